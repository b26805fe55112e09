"""Where `vsm` output goes: a pipe closed early ends quietly (exit 141), a PNG never lands in a terminal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.cli import BROKEN_PIPE_EXIT, main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "transcripts" / "legal-platform" / "map.json"
ENV = {**os.environ, "VSM_EMBEDDER": "none"}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run_into(stdout: int, *args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """`vsm ARGS` with its standard output on the given descriptor (stderr captured)."""
    return subprocess.run([sys.executable, "-m", "agent.cli", *map(str, args)], stdout=stdout,
                          stderr=subprocess.PIPE, cwd=ROOT, env=ENV, timeout=120, check=False)


@pytest.mark.parametrize("args", [
    ("check", EXAMPLE),
    ("report", EXAMPLE, "--format", "md"),
    ("report", EXAMPLE, "--format", "png"),
    ("schema",),
], ids=lambda a: " ".join(str(x) for x in a[:1] + a[2:]))
def test_a_pipe_closed_early_ends_quietly(args: tuple[str | Path, ...]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before vsm writes a byte, as with `| head -1` on a long output
    try:
        result = run_into(write_end, *args)
    finally:
        os.close(write_end)
    assert result.returncode == BROKEN_PIPE_EXIT == 141
    assert result.stderr.decode() == ""  # no traceback, no "Exception ignored" at exit


def test_main_returns_141_when_captured_stdout_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())  # no file descriptor: nothing to point at devnull
    assert main(["check", str(EXAMPLE)]) == BROKEN_PIPE_EXIT


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("map_path", [EXAMPLE, ROOT / "no-such-map.json"], ids=["map", "missing-map"])
def test_png_to_a_terminal_is_refused_before_drawing(map_path: Path) -> None:
    import pty

    primary, terminal = pty.openpty()
    try:
        result = run_into(terminal, "report", map_path, "--format", "png")
        os.set_blocking(primary, False)
        try:
            written = os.read(primary, 4096)
        except (BlockingIOError, OSError):
            written = b""
    finally:
        os.close(terminal)
        os.close(primary)
    assert result.returncode == 2
    assert written == b""
    # One line, naming the fix; refused before the map is even read (so a missing map is not the error).
    assert result.stderr.decode().splitlines() == [
        "vsm: error: a PNG is binary and would garble the terminal; give -o FILE.png (or redirect: > FILE.png)"]


def test_png_to_a_redirected_stdout_is_written_as_bytes(tmp_path: Path) -> None:
    target = tmp_path / "stream.png"
    with target.open("wb") as handle:
        result = run_into(handle.fileno(), "report", EXAMPLE, "--format", "png", "-o", "-")
    assert result.returncode == 0, result.stderr.decode()
    assert target.read_bytes().startswith(PNG_MAGIC)
