"""Atomic file writes: a reader sees the old file or the new one, never half of either.

A write killed between creating its temporary file and renaming it leaves `.NAME.PID.XXXX.tmp` beside
the file; the next process's first write of the same file removes it once that process is gone.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path


def write_text_atomic(path: Path, text: str, *, durable: bool = True) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`.

    `durable=False` skips the flushes to disk: the file still survives the process being killed (the
    kernel has it), not a power cut; for what is rewritten at every keystroke.
    """
    write_bytes_atomic(path, text.encode("utf-8"), durable=durable)


# The paths this process has swept for leftovers: a killed writer's leftover is removed by the next process's
# first write, and the interview's draft (written at every keystroke) does not list its folder each time.
_SWEPT: set[Path] = set()


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path not in _SWEPT:
        remove_leftover_temporaries(path)
        _SWEPT.add(path)
    # The writer's pid is in the name, so a later write can tell a killed writer's leftover from a live one's.
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        Path(temp_name).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temp_name).unlink()
        raise
    if durable:
        _fsync_directory(path.parent)


def remove_leftover_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files a killed write of `path` left beside it; the ones removed.

    A temporary whose writer (the pid in its name) is still running is left alone; one of an older
    version's naming (no pid) only once it is an hour old.
    """
    prefix = f".{path.name}."
    removed: list[Path] = []
    try:
        candidates = [entry for entry in path.parent.iterdir()
                      if entry.name.startswith(prefix) and entry.name.endswith(".tmp")]
    except OSError:
        return removed
    for entry in candidates:
        parts = entry.name[len(prefix):].split(".")  # PID, mkstemp's random part, "tmp"
        if len(parts) == 3 and parts[0].isdigit():
            stale = not _process_is_running(int(parts[0]))
        else:
            stale = _age_seconds(entry) > _UNNAMED_LEFTOVER_SECONDS
        if stale:
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


_UNNAMED_LEFTOVER_SECONDS = 3600


def _process_is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of ours may be writing the same file right now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _age_seconds(entry: Path) -> float:
    try:
        return time.time() - entry.stat().st_mtime
    except OSError:
        return 0.0


def _mode_for(path: Path) -> int:
    """Keep the mode of the file being replaced; a new file gets what the umask gives (not mkstemp's 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _fsync_directory(directory: Path) -> None:
    # The rename itself must reach the disk, or a crash can bring the old name back.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
