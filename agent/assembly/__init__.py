"""Assembly: grounded drafts from any extractor become one map with ids, references and evidence."""

from agent.assembly.assemble import AssemblyStats, assemble_map, source_from_transcript

__all__ = ["AssemblyStats", "assemble_map", "source_from_transcript"]
