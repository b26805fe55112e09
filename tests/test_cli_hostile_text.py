"""Hostile text in a map or a transcript never takes over the terminal or reorders a page.

Speaker names, quotes, titles and file names may carry ESC/CSI/OSC sequences (OSC 52 writes the reader's
clipboard, `ESC[2J` clears the screen), C1 controls and bidi overrides. A property test plants them,
seeded and at random, in every text field of a map and runs every printing command over it: no raw
control character may come out, and the HTML and SVG carry no bidi control.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent.cli import main
from agent.terminal_text import neutralise_bidi, terminal_line, terminal_text
from tests.cli_runner import run_vsm as run_vsm_process
from tests.map_builders import healthy_map_data

ROOT = Path(__file__).resolve().parent.parent
CUSTOMER_CALL = ROOT / "transcripts" / "legal-platform" / "customer-call.md"

OSC52 = "\x1b]52;c;aGVsbG8=\x07"
CLEAR = "\x1b[2J\x1b[H"
HOSTILE_PIECES = (OSC52, CLEAR, "\x1b[31m", "\x9b2J", "\x9d0;title\x9c", "\u202e", "\u202d", "\u2066", "\u2069",
                  "\u200f", "\u061c", "\r", "\x08", "\x07", "\x7f", "\u2028", "\x00", "\x1b", "\n", "\t")
# What must never reach a terminal raw: C0 (but newline and tab), DEL, C1, bidi controls, line separators.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def hostile(rng: random.Random, words: str) -> str:
    """`words` with hostile pieces planted at random places."""
    parts = words.split(" ")
    for _ in range(rng.randint(1, 3)):
        parts.insert(rng.randint(0, len(parts)), rng.choice(HOSTILE_PIECES))
    return " ".join(parts)


def hostile_map(rng: random.Random) -> dict[str, Any]:
    """The healthy test map with hostile pieces in its title, every name, detail, quote and speaker."""
    data = healthy_map_data()
    data["title"] = hostile(rng, "Acme stream")

    def plant(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("name", "detail", "statement", "title", "condition", "limitation", "customer_action",
                           "speaker", "audience", "what") and isinstance(value, str):
                    node[key] = hostile(rng, value)
                elif key == "text" and isinstance(value, str):
                    node[key] = hostile(rng, value)
                    node["end"] = node.get("start", 0) + len(node[key])
                elif key == "claims" and isinstance(value, list):
                    node[key] = [hostile(rng, claim) for claim in value]
                else:
                    plant(value)
        elif isinstance(node, list):
            for item in node:
                plant(item)

    plant(data)
    return data


def run_vsm(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_no_raw_control(output: str, what: str) -> None:
    found = RAW_CONTROL.search(output)
    assert found is None, f"{what}: raw {found.group()!r} at {found.start()}: {output[max(0, found.start() - 60):][:120]!r}"


PRINTING_COMMANDS = (
    ["check", "{map}"],
    ["check", "{map}", "--format", "md"],
    ["check", "{map}", "--format", "json"],
    ["report", "{map}", "--format", "md"],
    ["report", "{map}", "--format", "mermaid"],
    ["report", "{map}", "--format", "json"],
    ["report", "--diff", "{healthy}", "{map}", "--format", "text"],
    ["report", "--diff", "{healthy}", "{map}", "--format", "md"],
    ["report", "--diff", "{healthy}", "{map}", "--format", "json"],
    ["eval", "{map}", "{healthy}"],
    ["eval", "{map}", "{healthy}", "--format", "md", "--show-matches"],
)


@pytest.mark.parametrize("seed", range(12))
def test_no_cli_output_carries_raw_control_characters_from_a_hostile_map(
    seed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(seed)
    healthy = tmp_path / "healthy.json"
    healthy.write_text(json.dumps(healthy_map_data()))
    document = hostile_map(rng)
    hostile_path = tmp_path / "hostile.json"
    hostile_path.write_text(json.dumps(document))
    for template in PRINTING_COMMANDS:
        args = [part.format(map=hostile_path, healthy=healthy) for part in template]
        code, output = run_vsm([*args, "--embedder", "none"], capsys)
        assert code in (0, 1), output
        assert_no_raw_control(output, " ".join(template))
        if "json" in template:  # still JSON, meaning the very same text
            parsed = json.loads(output)
            assert parsed is not None
    for suffix in ("html", "svg"):
        target = tmp_path / f"report.{suffix}"
        code, output = run_vsm(["report", str(hostile_path), "-o", str(target), "--embedder", "none"], capsys)
        assert code == 0, output
        assert BIDI.search(target.read_text(encoding="utf-8")) is None
        assert_no_raw_control(output, f"report -o {suffix}")


def test_json_output_keeps_the_hostile_text_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.json"
    old.write_text(json.dumps(healthy_map_data()))
    document = healthy_map_data()
    renamed = f"Browse{OSC52}\u202eevil\x9b2J\x7f"
    document["stages"][0]["name"] = renamed
    new = tmp_path / "new.json"
    new.write_text(json.dumps(document))
    code, output = run_vsm(["report", "--diff", str(old), str(new), "--format", "json", "--embedder", "none"], capsys)
    assert code == 0
    assert_no_raw_control(output, "report --diff --format json")
    assert renamed in _strings(json.loads(output))  # escaped for the terminal, the same text to a JSON reader


def _strings(node: object) -> set[str]:
    if isinstance(node, str):
        return {node}
    if isinstance(node, dict):
        return set().union(*map(_strings, node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*map(_strings, node)) if node else set()
    return set()


def test_a_hostile_file_name_in_an_error_is_one_visible_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = tmp_path / f"evil{CLEAR}\u202e\nnext{OSC52}.json"
    code, output = run_vsm(["check", str(name)], capsys)
    assert code == 2
    assert_no_raw_control(output, "error line")
    assert output.count("\n") == 1 and "\\u001b[2J" in output and "\\u202e" in output


def _hostile_json_transcript(rng: random.Random) -> str:
    """The bundled customer call as a JSON list of turns, with hostile speaker names and words."""
    items = []
    for paragraph in CUSTOMER_CALL.read_text(encoding="utf-8").split("\n\n"):
        speaker, _, words = paragraph.partition(": ")
        if speaker.startswith("Dennis"):
            speaker = f"Dennis{OSC52}{CLEAR}\u202eOkafor"
        items.append({"speaker": speaker, "text": hostile(rng, words)})
    return json.dumps(items)


def _hostile_vtt_transcript(rng: random.Random) -> str:
    """The bundled customer call as WebVTT cues with hostile voices and words, few enough that the file is
    still text (a file full of control characters is refused as binary)."""
    cues = []
    for number, paragraph in enumerate(CUSTOMER_CALL.read_text(encoding="utf-8").split("\n\n")):
        speaker, _, words = paragraph.partition(": ")
        if speaker.startswith("Dennis"):
            speaker = f"Dennis{OSC52}\u202eOkafor"
        if number % 4 == 1:
            words = hostile(rng, words).replace("\n", " ").replace("\x00", "")
        cues.append(f"00:{number:02d}:00.000 --> 00:{number:02d}:59.000\n<v {speaker}>{words}\n")
    return "WEBVTT\n\n" + "\n".join(cues)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(("name", "make"), [("call.json", _hostile_json_transcript), ("call.vtt", _hostile_vtt_transcript)],
                         ids=["json", "vtt"])
def test_mapping_a_hostile_transcript_prints_nothing_raw(
    seed: int, name: str, make: Callable[[random.Random], str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(make(random.Random(seed)))
    code, output = run_vsm(["map", name, "--offline", "--embedder", "none", "-o", "map.json"], capsys)
    assert code == 0, output
    assert "quotes by speaker: Dennis\\u001b]52;c;aGVsbG8=\\u0007" in output  # shown, inert
    assert_no_raw_control(output, "vsm map")
    for args in (["check", "map.json"], ["report", "map.json", "--format", "md"],
                 ["report", "map.json", "--format", "mermaid"]):
        code, output = run_vsm([*args, "--embedder", "none"], capsys)
        assert_no_raw_control(output, " ".join(args))
    report = tmp_path / "report.html"
    assert run_vsm(["report", "map.json", "-o", str(report), "--embedder", "none"], capsys)[0] == 0
    assert BIDI.search(report.read_text(encoding="utf-8")) is None


def test_a_real_process_prints_the_escapes_not_the_sequences(tmp_path: Path) -> None:
    document = healthy_map_data()
    document["title"] = f"Acme{CLEAR}{OSC52}\u202eStream"
    path = tmp_path / "map.json"
    path.write_text(json.dumps(document))
    result = run_vsm_process("check", path)
    assert result.returncode in (0, 1), result.stderr
    assert RAW_CONTROL.search(result.stdout + result.stderr) is None
    assert "Acme\\u001b[2J\\u001b[H\\u001b]52;c;aGVsbG8=\\u0007\\u202eStream" in result.stdout


def test_the_sanitiser_escapes_every_control_and_keeps_the_rest() -> None:
    every = "".join(map(chr, range(0x2100)))
    assert RAW_CONTROL.search(terminal_text(every).replace("\n", "").replace("\t", "")) is None
    assert RAW_CONTROL.search(terminal_line(every)) is None
    assert terminal_text("Zoë: “ok”\n\tnext") == "Zoë: “ok”\n\tnext"
    assert terminal_line("a\nb") == "a\\u000ab"
    assert neutralise_bidi("abc\u202edef\u2066") == "abc\\u202edef\\u2066"
    raw = "x\u202ey\x9b"
    assert json.loads('"' + terminal_text(raw) + '"') == raw


def test_even_a_bugs_traceback_shows_hostile_text_inert(tmp_path: Path) -> None:
    import subprocess
    import sys

    program = ("import sys; import agent.cli.check_command as c\n"
               "def bug(args): raise RuntimeError('map text \\x1b[2J\\u202e')\n"
               "c.run = bug\n"
               "from agent.cli import entry_point; sys.argv = ['vsm', 'check', 'x.json']; entry_point()\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=tmp_path,
                            timeout=120, check=False)
    assert "Traceback" in result.stderr and "RuntimeError: map text \\u001b[2J\\u202e" in result.stderr
    assert RAW_CONTROL.search(result.stderr) is None


def test_the_progress_line_keeps_its_return_when_stderr_is_wrapped_twice() -> None:
    """`vsm` wraps stderr for the process and `main` again for the command: the progress line's `\\r` must still
    reach the terminal as a carriage return, while a `\\r` inside the text stays inert."""
    import io

    from agent.terminal_text import TerminalSafeStream

    terminal = io.StringIO()
    twice = TerminalSafeStream(TerminalSafeStream(terminal))  # type: ignore[arg-type]
    twice.rewrite_line("  [###] 1/2 chunks")
    twice.write("a\rb")
    assert terminal.getvalue().startswith("\r  [###] 1/2 chunks")
    assert "a\rb" not in terminal.getvalue()
