"""An engagement from the command line: init, add, synthesize, check and report the workspace's map."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.cli_runner import run_vsm

ROOT = Path(__file__).parents[1]
NO_MODEL = {"VSM_LLM_MODEL": "", "OPENAI_API_KEY": ""}


def test_a_whole_engagement_from_init_to_report(tmp_path: Path) -> None:
    workspace = tmp_path / "Acme Søftware engagement"
    assert run_vsm("init", workspace, cwd=tmp_path).returncode == 0
    calls = tmp_path / "calls with spaces"
    calls.mkdir()
    for name in ("interview.md", "customer-call.md"):
        shutil.copy(ROOT / "transcripts" / "legal-platform" / name, calls / f"legal {name}")
    broken = calls / "broken.vtt"
    broken.write_text("not a vtt file at all", encoding="utf-8")

    added = run_vsm("add", calls / "legal interview.md", broken, calls / "legal customer-call.md",
                    "--interviewer", "Consultant", cwd=workspace, env=NO_MODEL)
    assert added.returncode == 2  # one source failed...
    assert "2 added, 0 unchanged, 1 failed" in added.stdout  # ...and did not block the others
    assert "broken.vtt" in added.stderr
    assert "passages of legal-interview in the evidence store" in added.stderr
    assert (workspace / "chroma").is_dir()
    again = run_vsm("add", calls / "legal interview.md", cwd=workspace, env=NO_MODEL)
    assert again.returncode == 0 and "0 added, 1 unchanged" in again.stdout
    index = json.loads((workspace / "sources" / "index.json").read_text())
    assert [s["id"] for s in index["sources"]] == ["legal-interview", "legal-customer-call"]

    synthesized = run_vsm("synthesize", "--yes", cwd=workspace, env=NO_MODEL)
    assert synthesized.returncode == 0, synthesized.stderr
    assert (workspace / "maps" / "map.json").is_file()
    checked = run_vsm("check", "--fail-on", "never", cwd=workspace)
    assert checked.returncode == 0 and "engagement map" in checked.stdout
    reported = run_vsm("report", "-o", tmp_path / "report.html", cwd=workspace)
    assert reported.returncode == 0, reported.stderr
    removed = run_vsm("remove", "legal-customer-call", cwd=workspace)
    assert removed.returncode == 0, removed.stderr
    assert "and its 0 stored passages" not in removed.stdout and "stored passages" in removed.stdout
    assert not (workspace / "sources" / "legal-customer-call.md").exists()


def test_workspace_commands_outside_a_workspace_say_how_to_start(tmp_path: Path) -> None:
    for command in (["synthesize"], ["add", "x.md"], ["check"]):
        result = run_vsm(*command, cwd=tmp_path)
        assert result.returncode == 2 and "vsm init" in result.stderr, command


def test_the_stakeholder_is_found_by_full_or_first_name_and_a_miss_is_said(tmp_path: Path) -> None:
    workspace = tmp_path / "acme"
    assert run_vsm("init", workspace, cwd=tmp_path).returncode == 0
    interview = ROOT / "transcripts" / "legal-platform" / "interview.md"
    by_first_name = run_vsm("add", interview, "--stakeholder", "marta", "--role", "CEO", cwd=workspace, env=NO_MODEL)
    assert by_first_name.returncode == 0 and "vsm: note" not in by_first_name.stderr
    index = json.loads((workspace / "sources" / "index.json").read_text())
    roles = {p["name"]: p["role"] for p in index["sources"][0]["stakeholders"]}
    assert roles["Marta Kowalski"] == "CEO" and roles["Ben Adeyemi"] is None

    renamed = tmp_path / "call.md"
    renamed.write_text(interview.read_text(encoding="utf-8") + "\n\nMarta Kowalski: One more thing.\n", encoding="utf-8")
    missed = run_vsm("add", renamed, "--stakeholder", "Sam", "--role", "Head of Sales", cwd=workspace, env=NO_MODEL)
    assert missed.returncode == 0
    assert "vsm: note: call.md: 'Sam' is not one of its speakers (Consultant, Marta Kowalski" in missed.stderr

    captions = tmp_path / "captions.txt"
    captions.write_text("We lose most trials at the data import step.\n\nNobody calls them back after that.\n",
                        encoding="utf-8")
    unnamed = run_vsm("add", captions, "--stakeholder", "Dana", "--role", "CFO", cwd=workspace, env=NO_MODEL)
    assert unnamed.returncode == 0 and "captions.txt: has no speaker names, so no turn is Dana's" in unnamed.stderr
    index = json.loads((workspace / "sources" / "index.json").read_text())
    assert {"name": "Dana", "role": "CFO", "perspective": None, "interviewer": False} in index["sources"][-1]["stakeholders"]
