"""Which parser a file needs: by extension first, by content when the extension says nothing.

A `.txt` is also sniffed, because people rename caption exports to `.txt` to open them; a `.vtt` is
never second-guessed, so a broken caption file gets a caption error rather than being read as prose.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath

from agent.sources.errors import TranscriptProblem

FORMAT_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".vtt": "webvtt",
    ".webvtt": "webvtt",
    ".srt": "srt",
    ".json": "json",
}
_WEBVTT_HEADER = re.compile(r"^\ufeff?WEBVTT(?:[ \t\n]|$)")
_SUBRIP_OPENING = re.compile(r"^\s*\d+[ \t]*\n[ \t]*\S+[ \t]+-->[ \t]+\S+")


def detect_format(file_name: str, text: str) -> str:
    """The format name (`text`, `markdown`, `webvtt`, `srt`, `json`) for a file called `file_name`."""
    extension = PurePath(file_name).suffix.lower()
    by_extension = FORMAT_BY_EXTENSION.get(extension)
    if by_extension is not None and by_extension != "text":
        return by_extension
    sniffed = sniff_format(text)
    if sniffed is not None:
        return sniffed
    if by_extension is not None or not extension:
        return "text"
    extensions = ", ".join(sorted(set(FORMAT_BY_EXTENSION) - {".text", ".markdown", ".webvtt"}))
    raise TranscriptProblem(
        f"unknown transcript format '{extension}' (and the content is not WebVTT, SubRip or JSON)",
        f"save or export it as one of {extensions}",
    )


def sniff_format(text: str) -> str | None:
    """`webvtt`, `srt` or `json` when the content plainly is one; None otherwise."""
    if _WEBVTT_HEADER.match(text):
        return "webvtt"
    if _SUBRIP_OPENING.match(text):
        return "srt"
    if text.lstrip()[:1] in ("{", "["):
        try:
            json.loads(text)
        except ValueError:
            return None
        return "json"
    return None
