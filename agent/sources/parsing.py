"""`parse_transcript`: text of a known format into a `Transcript`. Pure: no files, no encodings.

Every parser yields utterances; one layout step turns them into turns, so every format gets the same
merging, offsets and interviewer marking.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import PurePath

from agent.sources.decoding import normalise_newlines
from agent.sources.errors import TranscriptError, TranscriptProblem
from agent.sources.json_layouts import parse_json
from agent.sources.plain_text import parse_markdown, parse_plain_text
from agent.sources.subrip import parse_subrip
from agent.sources.turn_layout import assemble_transcript
from agent.sources.utterances import Utterance
from agent.sources.webvtt import parse_webvtt
from schemas.transcript import Transcript

_PARSERS: dict[str, Callable[[str], list[Utterance]]] = {
    "text": parse_plain_text,
    "markdown": parse_markdown,
    "webvtt": parse_webvtt,
    "srt": parse_subrip,
    "json": parse_json,
}
SUPPORTED_FORMATS: tuple[str, ...] = tuple(_PARSERS)
_FORMAT_ALIASES = {"txt": "text", "md": "markdown", "vtt": "webvtt", "subrip": "srt"}
_FORMAT_TITLES = {"text": "text", "markdown": "Markdown", "webvtt": "WebVTT", "srt": "SubRip", "json": "JSON"}


def parse_transcript(
    text: str,
    *,
    format: str,
    source_id: str,
    path: str | None = None,
    interviewers: Collection[str] = (),
) -> Transcript:
    """The normalised transcript of `text` written in `format`; a one-line `TranscriptError` if it has none."""
    file_name = PurePath(path).name if path else source_id
    canonical = _FORMAT_ALIASES.get(format.lower(), format.lower())
    parser = _PARSERS.get(canonical)
    if parser is None:
        raise TranscriptError(
            file_name, f"unknown transcript format '{format}'", f"use one of {', '.join(SUPPORTED_FORMATS)}"
        )
    text = normalise_newlines(text)
    if not text.strip():
        raise TranscriptError(file_name, "the file is empty", "export the transcript again")
    try:
        utterances = parser(text)
    except TranscriptProblem as problem:
        raise TranscriptError(file_name, problem.problem, problem.fix) from None
    transcript = assemble_transcript(
        utterances, source_id=source_id, path=path, format=canonical, interviewers=interviewers
    )
    if not transcript.turns:
        raise TranscriptError(
            file_name,
            f"no speech found in this {_FORMAT_TITLES[canonical]} file (no line, cue or item holds any words)",
            "check that it is the transcript itself and not an empty export",
        )
    return transcript
