"""The offline extractor: a rule-based reading of a transcript into a draft map, with no model at all.

It is the embedded default that makes the product work offline. Sentences of the non-interviewer turns
are matched against cue lexicons (`cues/`, one module per concept of the framework) and read by a small
learned sentence typer (`typer/`, weights shipped with the package, trained on the tuned examples), and the
hits are assembled step by step along the framework's diagnostic agenda (`extractor.py`). Every element
carries exact quotes from the speaker's own words.
"""

from agent.extraction.offline.extractor import OFFLINE_EXTRACTOR_VERSION, extract_offline

__all__ = ["OFFLINE_EXTRACTOR_VERSION", "extract_offline"]
