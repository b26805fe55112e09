"""An advisory lock on a workspace, so two vsm processes never write it at the same time."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from agent.errors import VsmError


class WorkspaceLockedError(VsmError):
    pass


class WorkspaceLock:
    """`with WorkspaceLock(folder):` holds an exclusive flock on `folder/.vsm/lock`.

    flock is released by the kernel when the process dies, so a crash never leaves a stale lock.
    """

    def __init__(self, folder: Path, *, timeout: float = 10.0) -> None:
        self.path = folder / ".vsm" / "lock"
        self.timeout = timeout
        self._fd: int | None = None

    def __enter__(self) -> WorkspaceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
                    os.close(fd)
                    raise WorkspaceLockedError(
                        f"{self.path.parent.parent}: the workspace is in use by {holder}; wait for it to finish "
                        "and try again"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"vsm pid {os.getpid()}".encode(), 0)
        self._fd = fd
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
