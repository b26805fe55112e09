"""Every subcommand meets bad paths, FIFOs, deep JSON and non-finite numbers: one line, exit 2, never a traceback.

Each case runs `vsm` in this process (fast enough to walk them all) under an alarm, so a command that
waits on a FIFO fails the test instead of hanging it; the output paths are checked before any work, so
a bad `-o` leaves nothing written and costs no mapping.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from agent.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOOD_MAP = ROOT / "transcripts" / "legal-platform" / "map.json"
GOOD_TRANSCRIPT = ROOT / "transcripts" / "legal-platform" / "customer-call.md"


def _map_with_price(token: str) -> str:
    """The bundled map with its purchase price written as `token` (NaN, Infinity, 1e309, ...)."""
    document = json.loads(GOOD_MAP.read_text(encoding="utf-8"))
    for threshold in document["thresholds"]:
        if threshold.get("purchase", {}).get("price"):
            threshold["purchase"]["price"]["amount"] = "__PRICE__"
            break
    else:  # pragma: no cover - the bundled map has a purchase
        raise AssertionError("no purchase price in the bundled map")
    return json.dumps(document, indent=1).replace('"__PRICE__"', token)


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    (folder / "a-folder").mkdir()
    os.mkfifo(folder / "a-fifo")
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "deep-object.json").write_text('{"a":' * 100_000 + "1" + "}" * 100_000)
    (folder / "digits.json").write_text('{"schema_version": ' + "9" * 5000 + "}")
    for name, token in (("nan", "NaN"), ("infinity", "Infinity"), ("minus-infinity", "-Infinity"),
                        ("overflow", "1e309")):
        (folder / f"{name}.json").write_text(_map_with_price(token))
    (folder / "binary.json").write_bytes(bytes(range(256)) * 4)
    (folder / "a-file").write_text("not a folder\n")
    return {
        "missing": folder / "missing.json",
        "folder": folder / "a-folder",
        "fifo": folder / "a-fifo",
        "deep": folder / "deep.json",
        "deep-object": folder / "deep-object.json",
        "digits": folder / "digits.json",
        "nan": folder / "nan.json",
        "infinity": folder / "infinity.json",
        "minus-infinity": folder / "minus-infinity.json",
        "overflow": folder / "overflow.json",
        "binary": folder / "binary.json",
        "under-a-file": folder / "a-file" / "out.json",
    }


class _Hung(Exception):
    pass


@pytest.fixture
def alarm() -> Iterator[None]:
    def hung(_signum: int, _frame: FrameType | None) -> None:
        raise _Hung("the command waited for more than 20 s (a FIFO read?)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_vsm(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_error_line(code: int, err: str, names: str) -> None:
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("vsm: error: "), err
    assert "Traceback" not in err
    assert names in lines[0], lines[0]


MAP_INPUTS = ("missing", "folder", "fifo", "deep", "deep-object", "digits", "nan", "infinity", "minus-infinity",
              "overflow", "binary")
MAP_COMMANDS = {
    "check": lambda p: ["check", p],
    "report md": lambda p: ["report", p, "--format", "md"],
    "report html": lambda p: ["report", p, "--format", "html"],
    "report svg": lambda p: ["report", p, "--format", "svg"],
    "report mermaid": lambda p: ["report", p, "--format", "mermaid"],
    "diff old": lambda p: ["report", "--diff", p, str(GOOD_MAP), "--format", "text"],
    "diff new": lambda p: ["report", "--diff", str(GOOD_MAP), p, "--format", "json"],
    "eval map": lambda p: ["eval", p, str(GOOD_MAP)],
    "eval gold": lambda p: ["eval", str(GOOD_MAP), p],
}


@pytest.mark.parametrize("input_name", MAP_INPUTS)
@pytest.mark.parametrize("command", list(MAP_COMMANDS))
@pytest.mark.usefixtures("alarm")
def test_every_map_reading_command_refuses_bad_input_in_one_line(
    command: str, input_name: str, bad: dict[str, Path], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VSM_EMBEDDER", "none")
    path = bad[input_name]
    args = MAP_COMMANDS[command](str(path))
    code, out, err = run_vsm([*args, "--embedder", "none"], capsys)
    assert_one_error_line(code, err, path.name)
    assert out == ""


def test_a_non_finite_price_is_refused_where_it_is(bad: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_vsm(["check", str(bad["infinity"]), "--embedder", "none"], capsys)
    assert_one_error_line(code, err, "infinity.json")
    assert "purchase.price.amount" in err and "finite number" in err


@pytest.mark.parametrize("input_name", ["missing", "folder", "fifo", "deep", "deep-object", "digits", "binary"])
@pytest.mark.usefixtures("alarm")
def test_map_refuses_bad_transcripts_in_one_line_and_writes_nothing(
    input_name: str, bad: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    path = bad[input_name]
    code, out, err = run_vsm(["map", str(path), "--offline", "--embedder", "none", "-o", "out.json"], capsys)
    errors = [line for line in err.splitlines() if not line.startswith("  ")]  # progress lines are indented
    assert code == 2 and len(errors) == 1 and errors[0].startswith("vsm: error: ") and path.name in errors[0], err
    assert "Traceback" not in err and out == ""
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("input_name", ["missing", "folder", "fifo", "deep", "binary"])
@pytest.mark.usefixtures("alarm")
def test_replay_and_resume_refuse_bad_session_files(
    input_name: str, bad: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    path = bad[input_name]
    for args in (["replay", str(path), "--offline"], ["interview", "--resume", str(path), "--offline"]):
        code, _, err = run_vsm(args, capsys)
        assert_one_error_line(code, err, path.name)


OUTPUTS = ("folder", "under-a-file", "fifo")
OUTPUT_COMMANDS = {
    "map": lambda o: ["map", str(GOOD_TRANSCRIPT), "--offline", "--embedder", "none", "-o", o],
    "report html": lambda o: ["report", str(GOOD_MAP), "--format", "html", "--embedder", "none", "-o", o],
    "report png": lambda o: ["report", str(GOOD_MAP), "--format", "png", "-o", o],
    "diff": lambda o: ["report", "--diff", str(GOOD_MAP), str(GOOD_MAP), "--format", "md", "--embedder", "none",
                       "-o", o],
    "schema": lambda o: ["schema", "-o", o],
}


@pytest.mark.parametrize("output_name", OUTPUTS)
@pytest.mark.parametrize("command", list(OUTPUT_COMMANDS))
@pytest.mark.usefixtures("alarm")
def test_a_bad_output_path_is_refused_before_any_work(
    command: str, output_name: str, bad: dict[str, Path], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import agent.cli.map_command as map_command

    def no_mapping(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("mapping started before the output path was checked")

    monkeypatch.setattr(map_command, "map_transcripts", no_mapping)
    output = bad[output_name]
    before = sorted(p.name for p in output.parent.iterdir()) if output.parent.is_dir() else []
    code, out, err = run_vsm(OUTPUT_COMMANDS[command](str(output)), capsys)
    assert_one_error_line(code, err, str(output))
    assert out == ""
    after = sorted(p.name for p in output.parent.iterdir()) if output.parent.is_dir() else []
    assert after == before  # no temporary file, nothing replaced


def test_a_character_device_is_not_replaced_by_a_report(capsys: pytest.CaptureFixture[str]) -> None:
    # A pseudo-terminal stands for /dev/null: were the check ever lost, a root run would replace the
    # real /dev/null with a file (an older vsm did), while /dev/pts refuses new files.
    primary, terminal = os.openpty()
    device = os.ttyname(terminal)
    try:
        code, _, err = run_vsm(["schema", "-o", device], capsys)
    finally:
        os.close(terminal)
        os.close(primary)
    assert_one_error_line(code, err, device)
    assert "character device" in err and "> /dev/null" in err
    assert Path(device).is_char_device() or not Path(device).exists()


def test_a_failing_write_is_one_line_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import agent.storage.atomic as atomic

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / "schema.json"))

    monkeypatch.setattr(atomic.os, "fchmod", full)
    code, _, err = run_vsm(["schema", "-o", str(tmp_path / "schema.json")], capsys)
    assert_one_error_line(code, err, "schema.json")
    assert "No space left on device" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["check"], ["check", "--format", "json"], ["report", "--format", "md"], ["report", "--format", "html"],
    ["report", "--format", "svg"], ["report", "--format", "mermaid"], ["report", "--format", "json"],
], ids=lambda a: " ".join(a))
def test_finite_figures_whose_arithmetic_overflows_still_render(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(_map_with_price("1.7e308"))
    for threshold in document["thresholds"]:
        if threshold.get("purchase"):
            threshold["purchase"].update(perceived_value=-1.7e308, accumulated_loss=1.7e308)
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(document))
    code, out, err = run_vsm([*args[:1], str(path), *args[1:], "--embedder", "none"], capsys)
    assert code in (0, 1), err
    assert out and "Traceback" not in err
