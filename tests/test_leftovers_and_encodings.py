"""A killed write's temporary file is cleaned by the next write; a file that is not UTF-8 is read only with a warning."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agent.cli import main
from agent.storage.atomic import remove_leftover_temporaries

WRITER = """
import sys, time
from pathlib import Path
import agent.storage.atomic as atomic
def stuck(self, target):  # the rename never comes: the writer is killed with its temporary on disk
    time.sleep(600)
Path.replace = stuck
atomic.write_text_atomic(Path(sys.argv[1]), "half a map")
"""


def start_stuck_writer(target: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], env={**os.environ})
    deadline = time.monotonic() + 30
    while not list(target.parent.glob(f".{target.name}.*.tmp")):
        assert time.monotonic() < deadline, "the writer never created its temporary file"
        assert process.poll() is None, "the writer ended early"
        time.sleep(0.05)
    return process


def test_the_next_write_removes_what_a_killed_write_left(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "schema.json"
    writer = start_stuck_writer(target)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    [leftover] = tmp_path.glob(".schema.json.*.tmp")
    assert leftover.name.startswith(f".schema.json.{writer.pid}.")

    assert main(["schema", "-o", str(target)]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schema.json"]


def test_a_running_writers_temporary_file_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "map.json"
    writer = start_stuck_writer(target)
    try:
        assert remove_leftover_temporaries(target) == []
        assert len(list(tmp_path.glob(".map.json.*.tmp"))) == 1
    finally:
        writer.kill()
        writer.wait()
    [leftover] = tmp_path.glob(".map.json.*.tmp")
    assert remove_leftover_temporaries(target) == [leftover]  # once its writer is gone
    assert not leftover.exists()


def test_an_old_style_leftover_is_removed_only_once_it_is_old(tmp_path: Path) -> None:
    target = tmp_path / "map.json"
    fresh, old = tmp_path / ".map.json.k3j_x9q2.tmp", tmp_path / ".map.json.a8d0f1zz.tmp"
    fresh.write_text("{")
    old.write_text("{")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert remove_leftover_temporaries(target) == [old]
    assert fresh.exists() and not old.exists()
    other = tmp_path / ".report.html.123.abc.tmp"  # another file's temporary is never touched
    other.write_text("<")
    assert remove_leftover_temporaries(target) == []
    assert other.exists()


WINDOWS_1252 = "Ana: We lose “customers” at the paywall – every week.\nBen: Why?\n".encode("cp1252")


def test_a_file_that_is_not_utf8_is_read_with_a_warning_naming_the_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("word.txt").write_bytes(WINDOWS_1252)
    Path("other.txt").write_bytes(WINDOWS_1252)
    assert main(["map", "word.txt", "other.txt", "--offline", "--embedder", "none", "-o", "map.json"]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("vsm: warning:")]
    assert warnings == [
        f"vsm: warning: {name}: not valid UTF-8 (byte 0x93 at offset 13, line 1); read as Windows-1252, so check "
        "its accented letters and quotes, or save it again as UTF-8" for name in ("word.txt", "other.txt")]


def test_utf8_is_read_without_a_word(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("call.txt").write_text("Ana: We lose “customers” at the paywall.\n", encoding="utf-8")
    assert main(["map", "call.txt", "--offline", "--embedder", "none", "-o", "map.json"]) == 0
    assert "warning" not in capsys.readouterr().err
