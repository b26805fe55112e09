"""Reading a user's file only when it is an ordinary file, and checking where output will go before work starts.

A FIFO, a terminal or a device given as input would make `read()` wait forever or never end, so the
file is opened without blocking and refused unless it is a regular file; the check and the read use
the same open descriptor, so nothing can swap the file in between. An output path is checked before any
mapping or drawing: a directory, a path under a file or a folder we may not write in fails in a second,
not after minutes of work.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from agent.errors import VsmError

_READ_CHUNK = 1 << 20


class FileProblem(Exception):
    """What is wrong with a file and how to fix it, for the caller to word as its own error."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem}; {fix}")


class OutputPathError(VsmError):
    pass


def read_regular_file(path: Path, *, max_bytes: int, too_large_fix: str) -> bytes:
    """The bytes of the regular file at `path`; a `FileProblem` for anything else or anything too large."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise FileProblem("no such file", "check the path") from None
    except IsADirectoryError:
        raise FileProblem("is a directory, not a file", "name a file in it") from None
    except OSError as error:
        raise FileProblem(f"cannot read the file ({error.strerror})", "check that you may read it") from None
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise FileProblem("is a directory, not a file", "name a file in it")
        if not stat.S_ISREG(status.st_mode):
            raise FileProblem(f"is not a regular file (it is a {kind_of_file(status.st_mode)})",
                              "copy its content into an ordinary file and pass that")
        _refuse_if_too_large(status.st_size, max_bytes, too_large_fix)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, _READ_CHUNK):
            chunks.append(chunk)
            total += len(chunk)
            _refuse_if_too_large(total, max_bytes, too_large_fix)  # a file that grew after fstat
        return b"".join(chunks)
    except OSError as error:
        raise FileProblem(f"cannot read the file ({error.strerror})", "check that you may read it") from None
    finally:
        os.close(fd)


def kind_of_file(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _refuse_if_too_large(size: int, max_bytes: int, fix: str) -> None:
    if size > max_bytes:
        raise FileProblem(f"the file is {size / 2**20:.1f} MB, over the {max_bytes // 2**20} MB limit", fix)


def check_output_path(path: Path, *, example_name: str) -> None:
    """Refuse, before any work, an output path that cannot be written: one `OutputPathError` line.

    `example_name` is the file name suggested when `path` is a directory (e.g. "map.json").
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        status = None
    except NotADirectoryError:
        status = None  # a parent is a file: found below
    except OSError as error:
        raise OutputPathError(f"{path}: cannot be checked ({error.strerror}); choose another output path") from None
    if status is not None:
        if stat.S_ISDIR(status.st_mode):
            raise OutputPathError(f"{path}: is a directory; name the file to write, e.g. {path / example_name}")
        if not stat.S_ISREG(status.st_mode):
            raise OutputPathError(f"{path}: is a {kind_of_file(status.st_mode)}, not a file vsm can replace; write "
                                  "to an ordinary file (to discard the output, leave out -o and use > /dev/null)")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        if folder.is_symlink():
            break
        folder = folder.parent
    if not folder.is_dir():
        raise OutputPathError(f"{path}: {folder} is a file, not a folder; choose another output path")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(f"{path}: cannot write in {folder} (permission denied); choose another folder")
