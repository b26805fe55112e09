"""What a session leaves beside its log: the map and the conversation as files other commands read.

The log (`<id>.jsonl`) is the record; `<id>.map.json` is its map for `vsm check` and `vsm report`, and
`<id>.transcript.md` the conversation in the `Name: words` layout every transcript reader here takes
(the map's evidence offsets point into it). Both are derived, so they are rewritten whole, atomically.
`<id>.draft.txt` holds an answer being typed and not sent yet, so a killed app loses none of it.
"""

from __future__ import annotations

from pathlib import Path

from agent.interview.session_state import SessionState
from agent.regular_files import FileProblem, read_regular_file
from agent.storage import save_map, write_text_atomic

MAP_SUFFIX = ".map.json"
TRANSCRIPT_SUFFIX = ".transcript.md"
SUMMARY_SUFFIX = ".summary.md"
DRAFT_SUFFIX = ".draft.txt"


def session_outputs(log_path: Path) -> tuple[Path, Path]:
    """Where a session's map and transcript go: beside its log, named by its id."""
    stem = log_path.name.removesuffix(".jsonl")
    return log_path.with_name(stem + MAP_SUFFIX), log_path.with_name(stem + TRANSCRIPT_SUFFIX)


def write_session_outputs(log_path: Path, state: SessionState) -> tuple[Path, Path]:
    map_path, transcript_path = session_outputs(log_path)
    save_map(map_path, state.value_map)
    write_text_atomic(transcript_path, state.transcript().text + "\n")
    return map_path, transcript_path


def summary_path(log_path: Path) -> Path:
    return log_path.with_name(log_path.name.removesuffix(".jsonl") + SUMMARY_SUFFIX)


def write_summary(log_path: Path, text: str) -> Path:
    path = summary_path(log_path)
    write_text_atomic(path, text)
    return path


def draft_path(log_path: Path) -> Path:
    return log_path.with_name(log_path.name.removesuffix(".jsonl") + DRAFT_SUFFIX)


def save_draft(log_path: Path, text: str) -> None:
    """Keep the answer being typed (at every change: a rename, no flush to disk); nothing typed, no file."""
    path = draft_path(log_path)
    if text.strip():
        write_text_atomic(path, text, durable=False)
    else:
        path.unlink(missing_ok=True)


_MAX_DRAFT_BYTES = 1024 * 1024  # an answer being typed; far more is not a draft


def load_draft(log_path: Path, last_answer: str | None) -> str:
    """The draft left by a session that stopped mid-answer; not one that was sent just before it stopped."""
    path = draft_path(log_path)
    try:  # a regular file only: a named pipe in its place would hang the resume
        text = read_regular_file(path, max_bytes=_MAX_DRAFT_BYTES, too_large_fix="").decode("utf-8")
    except (FileProblem, UnicodeDecodeError):
        return ""
    return "" if last_answer is not None and " ".join(text.split()) == " ".join(last_answer.split()) else text
