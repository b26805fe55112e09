"""`read_transcript`: the I/O edge of ingestion. Checks the file, reads its bytes, finds encoding and format.

The size is checked before anything is read, so pointing the tool at a 100 MB recording export fails at
once with a clear message instead of filling memory.
"""

from __future__ import annotations

import stat
from collections.abc import Collection
from pathlib import Path

from agent.sources.decoding import decode_transcript_bytes, normalise_newlines
from agent.sources.errors import TranscriptError, TranscriptProblem
from agent.sources.format_detection import detect_format
from agent.sources.parsing import parse_transcript
from schemas.transcript import Transcript

# A two-hour interview is well under 1 MB of text; 50 MB leaves room for verbose JSON with word timings.
MAX_TRANSCRIPT_BYTES = 50 * 1024 * 1024


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
        text = normalise_newlines(decode_transcript_bytes(data))
        detected_format = detect_format(file_name, text)
    except TranscriptProblem as problem:
        raise TranscriptError(file_name, problem.problem, problem.fix) from None
    return parse_transcript(
        text, format=detected_format, source_id=source_id or file_name, path=str(path), interviewers=interviewers
    )


def _read_bytes(path: Path, file_name: str) -> bytes:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise TranscriptError(file_name, "no such file", "check the path and the file name") from None
    except OSError as error:
        raise TranscriptError(file_name, f"cannot read the file ({error.strerror})", _permission_fix()) from None
    if stat.S_ISDIR(status.st_mode):
        raise TranscriptError(file_name, "is a directory, not a transcript file", "pass one transcript file in it")
    if not stat.S_ISREG(status.st_mode):
        raise TranscriptError(file_name, "is not a regular file", "copy the transcript into an ordinary file")
    _refuse_if_too_large(status.st_size, file_name)
    if status.st_size == 0:
        raise TranscriptError(file_name, "the file is empty", "export the transcript again")
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_TRANSCRIPT_BYTES + 1)  # +1: notices a file that grew after stat
    except OSError as error:
        raise TranscriptError(file_name, f"cannot read the file ({error.strerror})", _permission_fix()) from None
    _refuse_if_too_large(len(data), file_name)
    return data


def _refuse_if_too_large(size: int, file_name: str) -> None:
    if size > MAX_TRANSCRIPT_BYTES:
        raise TranscriptError(
            file_name,
            f"the file is {size / 1024 / 1024:.1f} MB, over the {MAX_TRANSCRIPT_BYTES // 1024 // 1024} MB limit "
            "for one transcript",
            "check that it is a transcript and not a recording, or split it into smaller files",
        )


def _permission_fix() -> str:
    return "check that the file exists and that you may read it"
