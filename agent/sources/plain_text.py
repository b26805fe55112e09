"""Plain-text and Markdown transcripts: speaker labels start turns, every other line continues the turn.

Markdown adds only what is not speech (front matter, headings, rules, HTML comments) and backslash
escapes (`\\[00:01\\]`), which the Changelog transcripts use around their timestamps.

Stamps are never words: a paragraph that opens with one (`[12:34] And then...`) gives its turn a start
time when the label had none, and every stamp is dropped from the text. Each line's words are remembered
with the line they came from, so a quote in a long turn can name its own line, not the turn's first.
"""

from __future__ import annotations

import re

from agent.sources.speaker_labels import match_speaker_label
from agent.sources.timestamps import CLOCK_TIME, parse_clock_time
from agent.sources.utterances import Utterance

_BRACKETED_STAMP = re.compile(r"\\?\[[ \t]*(?P<clock>" + CLOCK_TIME + r")[ \t]*\\?\]")
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
        self.pieces: list[tuple[int, str]] = []  # (file line, words on it)

    def finish(self) -> Utterance | None:
        texts: list[str] = []
        line_starts: list[tuple[int, int]] = []
        offset = 0
        for line, words in self.pieces:
            words = " ".join(words.split())
            if not words:
                continue
            line_starts.append((offset, line))
            texts.append(words)
            offset += len(words) + 1
        text = " ".join(texts)
        if not text and self.speaker is None:
            return None
        # A label without words (a Changelog `**Break:**`) is kept: it separates the turns around it.
        return Utterance(
            self.speaker, text, line=self.line, time_start=self.time, role=self.role, line_starts=tuple(line_starts)
        )


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
            if current.time is None and (stamp := _BRACKETED_STAMP.match(words)):
                current.time = parse_clock_time(stamp["clock"])
        words = _BRACKETED_STAMP.sub(" ", words)
        if markdown:
            words = _MARKDOWN_ESCAPE.sub(r"\1", words)
        current.pieces.append((index + 1, words))
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
