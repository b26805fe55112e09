"""The words a sentence is typed by: its own words and word pairs, and the last words of the question it answers.

Plain strings, so the learned weights stay readable ("q:why" and "w:forget" are features a person can
audit), and the same function serves training and extraction.
"""

from __future__ import annotations

import re
from itertools import pairwise

_WORD = re.compile(r"[a-z0-9']+")
QUESTION_WORDS = 25  # a long question's last words are what it asks
_LENGTH_BUCKET_WORDS = 5
_MAX_LENGTH_BUCKET = 6


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("’", "'"))


def sentence_features(text: str, question: str) -> list[str]:
    """The features of one evidence sentence: `question` is the interviewer's turn it answers ("" if none)."""
    words = _words(text)
    asked = _words(question)[-QUESTION_WORDS:]
    features = {"bias", f"length:{min(len(words) // _LENGTH_BUCKET_WORDS, _MAX_LENGTH_BUCKET)}"}
    features.update(f"w:{w}" for w in words)
    features.update(f"ww:{a}_{b}" for a, b in pairwise(words))
    features.update(f"q:{w}" for w in asked)
    features.update(f"qq:{a}_{b}" for a, b in pairwise(asked))
    if not asked:
        features.add("unasked")
    return sorted(features)
