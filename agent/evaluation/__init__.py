"""Evaluation: how well a map (an extractor's, an interview's) recovers a gold map annotated by hand.

`score_map(predicted, gold)` pairs elements of the same type by overlapping evidence and close meaning,
one-to-one, and reports precision, recall and F1 per type and overall (`schemas.evaluation`).
"""

from agent.evaluation.rendering import UNMATCHED_SHOWN, evaluation_as_markdown, evaluation_as_text
from agent.evaluation.scoring import MIN_SIMILARITY, meaning_text, score_map
from agent.evaluation.spans import MIN_SHARED_CHARS, MIN_SHARED_FRACTION

__all__ = [
    "MIN_SHARED_CHARS",
    "MIN_SHARED_FRACTION",
    "MIN_SIMILARITY",
    "UNMATCHED_SHOWN",
    "evaluation_as_markdown",
    "evaluation_as_text",
    "meaning_text",
    "score_map",
]
