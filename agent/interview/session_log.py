"""The session file: one JSON line per event, appended and flushed to disk before anything else happens.

Append-only is what makes "never lose an answer" cheap: a `kill -9` can at worst cut the line being
written, which `read_session` reports and skips; every earlier line is already on disk.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from agent.errors import VsmError
from agent.regular_files import FileProblem, read_regular_file
from schemas.interview import SESSION_VERSION, MetaEvent, SessionEvent

_EVENT = TypeAdapter[SessionEvent](SessionEvent)


class SessionFileError(VsmError):
    pass


class SessionLog:
    """An open session file that events are appended to."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create(cls, folder: Path, meta: MetaEvent) -> SessionLog:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{meta.session_id}.jsonl"
        if path.exists():
            raise SessionFileError(f"{path}: a session with this id exists; resume it with `vsm interview --resume`")
        log = cls(path)
        log.append(meta)
        return log

    def append(self, event: SessionEvent) -> None:
        line = event.model_dump_json() + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)


# Hours of interview are a few MB of events; far more is not a session file, and is refused before it is read.
MAX_SESSION_BYTES = 200 * 1024 * 1024


def read_session(path: Path) -> tuple[list[SessionEvent], list[str]]:
    """Every event in the file, and a note for each line that could not be read (a cut last line)."""
    if not path.exists():
        raise SessionFileError(f"{path}: no such session file; list sessions with `vsm interview --list`")
    try:  # a regular file only: a named pipe would wait forever
        raw = read_regular_file(path, max_bytes=MAX_SESSION_BYTES, too_large_fix="check that it is a session file")
    except FileProblem as problem:
        raise SessionFileError(f"{path}: {problem.problem}; {problem.fix}") from None
    events: list[SessionEvent] = []
    notes: list[str] = []
    for number, line in _lines(raw):
        try:
            events.append(_EVENT.validate_json(line))
        except ValidationError:
            notes.append(f"{path.name} line {number}: unreadable (cut by a crash?); skipped")
    if not events or not isinstance(events[0], MetaEvent):
        raise SessionFileError(f"{path}: not a vsm interview session (no session header on line 1)")
    if events[0].version > SESSION_VERSION:
        raise SessionFileError(f"{path}: session version {events[0].version} is newer than this vsm; upgrade vsm")
    return events, notes


def _lines(raw: bytes) -> Iterator[tuple[int, bytes]]:
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.strip():
            yield number, line
