"""An advisory lock on a workspace, so two vsm processes never write it at the same time."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from agent.errors import VsmError


class WorkspaceLockedError(VsmError):
    pass


class WorkspaceLock:
    """`with WorkspaceLock(folder):` holds an exclusive flock on `folder/.vsm/lock`.

    flock is released by the kernel when the process dies, so a crash never leaves a stale lock.
    `timeout=None` waits as long as it takes; `on_wait` is told once who holds it, when it has to wait.
    `name` picks another lock in the same folder (`vsm add` queues on its own, see Workspace.adding).
    """

    def __init__(self, folder: Path, *, timeout: float | None = 10.0, name: str = "lock", purpose: str = "vsm",
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.path = folder / ".vsm" / name
        self.timeout = timeout
        self.purpose = purpose
        self.on_wait = on_wait
        self._fd: int | None = None

    def __enter__(self) -> WorkspaceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
                if self.on_wait is not None and not told:
                    self.on_wait(holder)
                    told = True
                if deadline is not None and time.monotonic() >= deadline:
                    os.close(fd)
                    raise WorkspaceLockedError(
                        f"{self.path.parent.parent}: the workspace is in use by {holder}; wait for it to finish "
                        "and try again"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{self.purpose} pid {os.getpid()}".encode(), 0)
        self._fd = fd
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
