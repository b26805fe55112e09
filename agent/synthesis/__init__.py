"""Synthesis: per-source maps of an engagement merged into one map, disagreements kept as duplications."""

from agent.synthesis.synthesize import SURE_MERGE, UNSURE_MERGE, Synthesis, synthesize

__all__ = ["SURE_MERGE", "UNSURE_MERGE", "Synthesis", "synthesize"]
