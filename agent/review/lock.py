"""One review of a map at a time: a second `vsm review` of the same map is refused, naming who holds it.

An flock on a file in the workspace's `.vsm/` (beside the map outside a workspace), released by the
kernel when the process dies, so a killed review never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from datetime import datetime
from pathlib import Path
from types import TracebackType

from agent.errors import VsmError


class ReviewLockedError(VsmError):
    pass


def lock_path(map_path: Path, workspace_root: Path | None) -> Path:
    folder = workspace_root if workspace_root is not None else map_path.resolve().parent
    return folder / ".vsm" / f"review-{map_path.resolve().name}.lock"


class ReviewLock:
    def __init__(self, map_path: Path, *, person: str, workspace_root: Path | None = None) -> None:
        self.map_path = map_path
        self.path = lock_path(map_path, workspace_root)
        self.person = person
        self._fd: int | None = None

    def acquire(self) -> ReviewLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise ReviewLockedError(f"{self.map_path}: already being reviewed by {holder}; finish that review first "
                                    "(or open this one with --readonly to browse)") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{self.person} (vsm review, pid {os.getpid()}, since {datetime.now():%Y-%m-%d %H:%M})".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> ReviewLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
