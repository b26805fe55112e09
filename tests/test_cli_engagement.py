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
