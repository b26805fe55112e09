"""`read_transcript`: the I/O edge of ingestion. Checks the file, reads its bytes, finds encoding and format.

The size is checked before anything is read, so pointing the tool at a 100 MB recording export fails at
once with a clear message instead of filling memory.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection
from pathlib import Path

from agent.errors import VsmWarning
from agent.regular_files import FileProblem, read_regular_file
from agent.sources.decoding import decode_transcript, normalise_newlines
from agent.sources.errors import TranscriptError, TranscriptProblem
from agent.sources.format_detection import detect_format
from agent.sources.parsing import parse_transcript
from schemas.transcript import Transcript

# A two-hour interview is well under 1 MB of text; 50 MB leaves room for verbose JSON with word timings.
MAX_TRANSCRIPT_BYTES = 50 * 1024 * 1024
TOO_LARGE_FIX = "check that it is a transcript and not a recording, or split it into smaller files"


def read_transcript(
    path: Path,
    *,
    source_id: str | None = None,
    interviewers: Collection[str] = (),
) -> Transcript:
    """The normalised transcript in the file at `path`; a one-line `TranscriptError` if it cannot be read.

    `source_id` defaults to the file name; speakers named in `interviewers` (any case) are marked as such.
    """
    file_name = path.name or str(path)
    data = _read_bytes(path, file_name)
    try:
        decoded = decode_transcript(data)
        text = normalise_newlines(decoded.text)
        detected_format = detect_format(file_name, text)
    except TranscriptProblem as problem:
        raise TranscriptError(file_name, problem.problem, problem.fix) from None
    if decoded.guess:
        warnings.warn(f"{path}: {decoded.guess}", VsmWarning, stacklevel=2)
    return parse_transcript(
        text, format=detected_format, source_id=source_id or file_name, path=str(path), interviewers=interviewers
    )


def _read_bytes(path: Path, file_name: str) -> bytes:
    try:
        data = read_regular_file(path, max_bytes=MAX_TRANSCRIPT_BYTES, too_large_fix=TOO_LARGE_FIX)
    except FileProblem as problem:
        raise TranscriptError(file_name, problem.problem, problem.fix) from None
    if not data:
        raise TranscriptError(file_name, "the file is empty", "export the transcript again")
    return data

