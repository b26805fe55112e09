"""The words inside caption cues (WebVTT and SubRip): tags stripped, speakers found, rolling repeats removed.

Auto-captions (YouTube and similar) "roll": each cue repeats the line shown before it and adds new words,
so read naively every sentence would be said two or three times. A line equal to the previous line of the
same speaker is dropped, and a line that extends it keeps only the new words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from agent.sources.errors import TranscriptProblem, excerpt
from agent.sources.speaker_labels import match_speaker_label
from agent.sources.timestamps import parse_clock_time
from agent.sources.utterances import Utterance

_VOICE_TAG = re.compile(r"<v(?:\.[^ \t>]*)?[ \t]+([^>\n]+)>")
_ANY_TAG = re.compile(r"<[^>\n]*>")
_SUBSTATION_OVERRIDE = re.compile(r"\{\\[^}\n]*\}")  # {\an8} in SubRip files converted from ASS
_DIALOGUE_DASH = re.compile(r"^[-–—][ \t]+")
_TIMING = re.compile(r"^[ \t]*(\S+)[ \t]+-->[ \t]+(\S+)")


@dataclass(slots=True)
class Cue:
    start: float
    end: float
    payload: list[tuple[int, str]] = field(default_factory=list)  # (line number, raw text) pairs


def read_cue_timing(line: str, line_number: int, *, example: str, fix: str) -> Cue:
    """An empty cue timed by `start --> end [settings]`; a TranscriptProblem naming the line otherwise."""
    match = _TIMING.match(line)
    start = parse_clock_time(match.group(1)) if match else None
    end = parse_clock_time(match.group(2)) if match else None
    if start is None or end is None:
        raise TranscriptProblem(
            f"line {line_number}: cannot read the cue timing '{excerpt(line)}' (expected '{example}')", fix
        )
    return Cue(start, max(start, end))


def utterances_from_cues(cues: Iterable[Cue]) -> list[Utterance]:
    """The cues' words as utterances, one per cue line, each timed by its cue.

    Who speaks: a `<v Name>` voice names the speaker of its cue only (WebVTT gives each cue its voice). A
    `Name:` label names the speaker until the next label: captions label a speaker when the speaker
    changes, so an unlabelled cue continues the last one (were it left unnamed, an interviewer's
    continuation would become evidence). A dialogue dash (`- words`) without a label is a change to a
    speaker the file does not name.
    """
    utterances: list[Utterance] = []
    previous_line = ""
    previous_speaker: str | None = None
    labelled: tuple[str | None, str | None] = (None, None)  # the last label's speaker and role
    for cue in cues:
        speaker, role = labelled
        for line_number, raw in cue.payload:
            voice = _VOICE_TAG.search(raw)
            if voice:
                speaker, role = " ".join(voice.group(1).split()), None
                labelled = (None, None)
            words = _visible_text(raw)
            if not voice and (label := match_speaker_label(words)) is not None:
                speaker, role, words = label.speaker, label.role, label.words
                labelled = (speaker, role)
            elif not voice and _DIALOGUE_DASH.match(words):
                speaker, role = None, None
                labelled = (None, None)
            words = _DIALOGUE_DASH.sub("", words)
            if not words:
                continue
            new_words = _words_not_yet_shown(previous_line, words) if speaker == previous_speaker else words
            previous_line, previous_speaker = words, speaker
            if new_words:
                utterances.append(Utterance(speaker, new_words, line_number, cue.start, cue.end, role))
            elif utterances:  # a pure repeat still tells us the speech lasted until this cue's end
                utterances[-1] = replace(utterances[-1], time_end=cue.end)
    return utterances


def _visible_text(raw: str) -> str:
    without_tags = _ANY_TAG.sub("", _SUBSTATION_OVERRIDE.sub("", raw))
    return " ".join(html.unescape(without_tags).split())


def _words_not_yet_shown(previous_line: str, line: str) -> str:
    if line == previous_line:
        return ""
    if previous_line and line.startswith(previous_line + " "):
        return line[len(previous_line) + 1 :]
    return line
