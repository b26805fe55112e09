"""Plain-text and Markdown transcripts: speaker labels start turns, every other line continues the turn.

Markdown adds only what is not speech (front matter, headings, rules, HTML comments) and backslash
escapes (`\\[00:01\\]`), which the Changelog transcripts use around their timestamps.

Stamps are never words: a paragraph that opens with one (`[12:34] And then...`) gives its turn a start
time when the label had none, and every stamp is dropped from the text and kept as the time of the words
after it (`(00:05:55):` opening a line is the continuation stamp of Rev-style podcast transcripts). Each line's words are remembered
with the line they came from, so a quote in a long turn can name its own line, not the turn's first.
"""

from __future__ import annotations

import re

from agent.sources.speaker_labels import match_speaker_label
from agent.sources.timestamps import CLOCK_TIME, parse_clock_time
from agent.sources.utterances import Utterance

# `[00:01:02]` (or Markdown's `\\[00:01:02\\]`) anywhere; `(00:05:55):` only where it opens a line.
_STAMP = re.compile(
    r"\\?\[[ \t]*(?P<clock>" + CLOCK_TIME + r")[ \t]*\\?\]"
    r"|^\([ \t]*(?P<opening>" + CLOCK_TIME + r")[ \t]*\)[ \t]*:?"
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
_MARKDOWN_RULE = re.compile(r"^(?:[-*_=][ \t]*){3,}$")
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_FRONT_MATTER_FENCE = "---"


class _TurnInProgress:
    """The utterance being collected: its label line and every following line until the next label."""

    def __init__(self, speaker: str | None, line: int, time: float | None = None, role: str | None = None):
        self.speaker = speaker
        self.line = line
        self.time = time
        self.role = role
        self.pieces: list[tuple[int, list[str | float]]] = []  # (file line, its words and stamps in order)

    def add_line(self, line: int, words: str) -> None:
        self.pieces.append((line, _words_and_stamps(words)))

    def finish(self) -> Utterance | None:
        said: list[str] = []  # joined once at the end: rebuilding the string per line was quadratic in a long turn
        length = 0
        line_starts: list[tuple[int, int]] = []
        time_starts: list[tuple[int, float]] = []
        pending: float | None = None  # a stamp waiting for the words it times
        for line, parts in self.pieces:
            first_of_line = True
            for part in parts:
                if isinstance(part, float):
                    pending = part
                    continue
                words = " ".join(part.split())
                if not words:
                    continue
                offset = length + 1 if said else 0
                said.append(words)
                length = offset + len(words)
                if first_of_line:
                    line_starts.append((offset, line))
                    first_of_line = False
                if pending is not None:
                    time_starts.append((offset, pending))
                    pending = None
        text = " ".join(said)
        if not text and self.speaker is None:
            return None
        time = self.time
        if time is None and time_starts:  # the turn's time is its first stamp's when its label gave none
            time = time_starts.pop(0)[1] if time_starts[0][0] == 0 else time_starts[0][1]
        # A label without words (a Changelog `**Break:**`) is kept: it separates the turns around it.
        return Utterance(
            self.speaker, text, line=self.line, time_start=time, role=self.role, line_starts=tuple(line_starts),
            time_starts=tuple(time_starts),
        )


def _words_and_stamps(words: str) -> list[str | float]:
    """A line's words split at its stamps: `[00:01:02]` anywhere, `(00:05:55):` opening the line (how Rev and
    podcast transcripts mark a speaker going on after a break). Stamps are never words; they are times."""
    parts: list[str | float] = []
    begin = 0
    for stamp in _STAMP.finditer(words):
        if stamp["opening"] is not None and stamp.start() != 0:
            continue
        seconds = parse_clock_time(stamp["clock"] or stamp["opening"])
        if seconds is None:
            continue
        parts.append(words[begin : stamp.start()])
        parts.append(seconds)
        begin = stamp.end()
    parts.append(words[begin:])
    return parts


def parse_plain_text(text: str) -> list[Utterance]:
    return _parse_lines(text, markdown=False)


def parse_markdown(text: str) -> list[Utterance]:
    return _parse_lines(text, markdown=True)


def _parse_lines(text: str, *, markdown: bool) -> list[Utterance]:
    lines = text.split("\n")
    utterances: list[Utterance] = []
    current: _TurnInProgress | None = None
    in_html_comment = False
    first = _first_line_after_front_matter(lines) if markdown else 0
    for index in range(first, len(lines)):
        line = lines[index].strip()
        if not line:
            continue
        if markdown:
            if in_html_comment or line.startswith("<!--"):
                in_html_comment = "-->" not in line
                continue
            if _MARKDOWN_HEADING.match(line) or _MARKDOWN_RULE.match(line):
                continue
        label = match_speaker_label(line)
        if label is not None:
            if current is not None and (finished := current.finish()):
                utterances.append(finished)
            current = _TurnInProgress(label.speaker, index + 1, label.time, label.role)
            words = label.words
        else:
            if current is None:
                current = _TurnInProgress(None, index + 1)
            words = line
        if markdown:
            words = _MARKDOWN_ESCAPE.sub(r"\1", words)
        current.add_line(index + 1, words)
    if current is not None and (finished := current.finish()):
        utterances.append(finished)
    return utterances


def _first_line_after_front_matter(lines: list[str]) -> int:
    """Index of the first line after a leading `---` ... `---` block, or 0 when there is none."""
    if not lines or lines[0].strip() != _FRONT_MATTER_FENCE:
        return 0
    for index in range(1, len(lines)):
        if lines[index].strip() in (_FRONT_MATTER_FENCE, "..."):
            return index + 1
    return 0
