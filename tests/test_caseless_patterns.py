"""The offline cues searched over lowercased text find exactly what `re.IGNORECASE` finds, in every case.

`CaselessPattern` is a speed-up only (agent/extraction/offline/cues/caseless.py): every cue of the offline
extractor is checked here against its own case-insensitive pattern, over the bundled examples' sentences as
written, shouted and with their case swapped, and over text where lowering is not exact.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import agent.extraction.offline as offline
from agent.extraction.offline.cues.caseless import CaselessPattern, caseless
from agent.extraction.offline.reading import read_sentences
from agent.sources import read_transcript

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ["dev-hearing-clinic", "legal-platform"]
UNUSUAL = [
    "Die Straße kostet 12 € im Monat, µ-Preis, ſo they said.",  # micro sign and long s: `re` folds them, lower() not
    "İstanbul clients pay £40 — they DON'T renew; CAFÉ owners churn.",  # dotted capital I lowers to two characters
    "Σίσυφος and ΣΊΣΥΦΟΣ sign up, ΚΑΙ they cancel",  # Greek final sigma
    "Ｆｕｌｌ-width ＳＩＧＮ ＵＰ then they PAY THE DEPOSIT.",
]


def _cues() -> list[CaselessPattern]:
    found: dict[int, CaselessPattern] = {}

    def walk(value: object, depth: int = 0) -> None:
        if isinstance(value, CaselessPattern):
            found[id(value)] = value
        elif isinstance(value, tuple | list) and depth < 3:
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, dict) and depth < 3:
            for item in value.values():
                walk(item, depth + 1)

    for module in pkgutil.walk_packages(offline.__path__, offline.__name__ + "."):
        for value in vars(importlib.import_module(module.name)).values():
            walk(value)
    return list(found.values())


def _texts() -> list[str]:
    texts: list[str] = list(UNUSUAL)
    for name in EXAMPLES:
        transcript = read_transcript(ROOT / "transcripts" / name / "interview.md")
        for sentence in read_sentences(transcript).sentences:
            texts += [sentence.plain, sentence.plain.upper(), sentence.plain.swapcase()]
    return texts


def _seen(match: re.Match[str] | None) -> object:
    return None if match is None else (match.span(), match.group(0), match.groupdict(), match.re.pattern)


def test_every_cue_finds_what_its_case_insensitive_pattern_finds() -> None:
    cues = _cues()
    texts = _texts()
    assert len(cues) > 150 and len(texts) > 500  # the whole lexicon, over real sentences
    differ = []
    for cue in cues:
        for text in texts:
            if _seen(cue.search(text)) != _seen(cue.any_case.search(text)) or [
                _seen(m) for m in cue.finditer(text)
            ] != [_seen(m) for m in cue.any_case.finditer(text)]:
                differ.append((cue.pattern[:60], text[:60]))
    assert differ == []


def test_a_search_from_a_position_sees_the_text_before_it() -> None:
    """`pos` and `endpos` as in `re`: a word boundary and a lookbehind look at what comes before `pos`."""
    cue = caseless(r"(?<![\w'])(?:sign up|pay)(?![\w'])")
    text = "They SIGN UP, then prepay and PAY."
    assert [m.group(0) for m in cue.finditer(text, 6)] == ["PAY"]  # from position 6, "IGN UP" is inside a word
    assert cue.search(text, 0, 12).group(0) == "SIGN UP"  # type: ignore[union-attr]
    assert cue.search(text, 20) is not None and cue.search(text, 20, 30) is None


def test_every_cue_reads_alike_from_any_position() -> None:
    """`pos` and `endpos` over the cues, at positions a caller uses: after the first words, up to a clause end."""
    texts = _texts()[:120]
    differ = []
    for cue in _cues():
        for text in texts:
            for pos, endpos in ((3, len(text)), (0, len(text) // 2), (len(text) // 3, len(text) - 2)):
                if _seen(cue.search(text, pos, endpos)) != _seen(cue.any_case.search(text, pos, endpos)) or [
                    _seen(m) for m in cue.finditer(text, pos, endpos)
                ] != [_seen(m) for m in cue.any_case.finditer(text, pos, endpos)]:
                    differ.append((cue.pattern[:60], text[:60], pos, endpos))
    assert differ == []


@pytest.mark.parametrize(("source", "text"), [
    (r"\x41bc", "abc"),  # a letter given by its number
    (r"[A-z]+", "a_b"),  # a range holding "_" and "^", which its lowered form does not
    (r"[À-Þ]", "×"),
    (r"(?s-i:May)\b", "MAY and May"),  # case-sensitivity switched back on
    (r"a??", "a"),  # an empty match, then a longer one at the same place
    (r"(?:\bno\b)?", "No way, NO."),
    (r"ſ", "S"),  # letters `re` folds otherwise than str.lower
    (r"ı", "I"),
    (r"K", "\u212a"),
])
def test_a_pattern_lowering_would_change_finds_what_re_finds(source: str, text: str) -> None:
    cue = caseless(source)
    assert _seen(cue.search(text)) == _seen(cue.any_case.search(text))
    assert [_seen(m) for m in cue.finditer(text)] == [_seen(m) for m in cue.any_case.finditer(text)]


@pytest.mark.parametrize("source", [r"\bMay\b", r"(?-i:May)\b", r"\S+ (?P<Verb>SIGN|pay)\b", r"[A-Z]{2} \w+"])
def test_escapes_group_names_and_case_sensitive_parts_keep_their_meaning(source: str) -> None:
    cue = caseless(source)
    for text in ("in may we pay", "In May WE PAY", "xx sign ups", "Go SIGN now", "AB cd"):
        assert _seen(cue.search(text)) == _seen(cue.any_case.search(text))
