"""WebVTT captions (Teams, Zoom, YouTube): cues with timings, optional `<v Speaker>` voices or `Name:` labels.

Lenient where real exports are sloppy (missing blank line between cues, cue settings, whitespace-only
lines inside YouTube cues), strict where guessing would invent text: no header, unreadable timings, text
that belongs to no cue.
"""

from __future__ import annotations

import re

from agent.sources.cue_text import Cue, read_cue_timing, utterances_from_cues
from agent.sources.errors import TranscriptProblem, excerpt
from agent.sources.utterances import Utterance

_HEADER = re.compile(r"^\ufeff?WEBVTT(?:[ \t]|$)")
_NON_CUE_BLOCK = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
_TIMING_EXAMPLE = "00:01:02.000 --> 00:01:05.000"
_FIX = "fix that line or export the captions again as WebVTT"


def parse_webvtt(text: str) -> list[Utterance]:
    lines = text.split("\n")
    if not _HEADER.match(lines[0]):
        raise TranscriptProblem(
            "not a WebVTT file (no WEBVTT header on line 1)", "export it again as WebVTT or rename it .txt"
        )
    return utterances_from_cues(_cues(lines))


def _cues(lines: list[str]) -> list[Cue]:
    cues: list[Cue] = []
    index = _end_of_header(lines)
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped:
            index += 1
            continue
        if _NON_CUE_BLOCK.match(stripped):
            index = _end_of_block(lines, index)
            continue
        if "-->" in stripped:
            timing_index = index
        elif index + 1 < len(lines) and "-->" in lines[index + 1]:
            timing_index = index + 1  # the line before the timing is the cue's identifier
        else:
            raise TranscriptProblem(
                f"line {index + 1}: '{excerpt(stripped)}' is not part of any cue (expected a timing line like "
                f"'{_TIMING_EXAMPLE}')",
                _FIX,
            )
        cue = read_cue_timing(lines[timing_index], timing_index + 1, example=_TIMING_EXAMPLE, fix=_FIX)
        index = timing_index + 1
        # Only a truly empty line ends a cue: YouTube puts whitespace-only lines inside its cues.
        while index < len(lines) and lines[index] != "" and "-->" not in lines[index]:
            cue.payload.append((index + 1, lines[index]))
            index += 1
        if index < len(lines) and "-->" in lines[index]:
            _drop_identifier_of_next_cue(cue)
        cues.append(cue)
    return cues


def _end_of_header(lines: list[str]) -> int:
    index = 1
    while index < len(lines) and lines[index].strip() and "-->" not in lines[index]:
        index += 1
    return index


def _end_of_block(lines: list[str], index: int) -> int:
    while index < len(lines) and lines[index].strip():
        index += 1
    return index


def _drop_identifier_of_next_cue(cue: Cue) -> None:
    """A cue ran into the next one through a whitespace-only line: its last line is the next cue's id."""
    payload = cue.payload
    if len(payload) >= 2 and not payload[-2][1].strip() and payload[-1][1].strip():
        del payload[-2:]
