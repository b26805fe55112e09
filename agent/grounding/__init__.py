"""Grounding: a model's quote located in its source transcript and turned into verified evidence.

`locate_quote` finds a quote (exact, normalised, then fuzzy) inside one turn of the credited speaker;
`ground_quote` turns a `DraftQuote` into a `Quote` holding the source's own words at that span, or a
`GroundingFailure` saying why it is not evidence; `GroundingTally` counts both for the run summary.
Pure functions: no I/O, no model calls. FRAMEWORK.md ("Evidence") is the spec.
"""

from agent.grounding.evidence import GroundingTally, clock_time, ground_quote
from agent.grounding.locating import FUZZY_THRESHOLD, MIN_WORDS, locate_quote
from agent.grounding.results import GroundingFailure, QuoteLocation

__all__ = [
    "FUZZY_THRESHOLD",
    "MIN_WORDS",
    "GroundingFailure",
    "GroundingTally",
    "QuoteLocation",
    "clock_time",
    "ground_quote",
    "locate_quote",
]
