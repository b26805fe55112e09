"""`vsm demo`, the Quickstart's main job: offline, from a checkout and from the installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from agent.storage import load_map
from tests.cli_runner import run_vsm

ROOT = Path(__file__).parents[1]
NO_MODEL = {"VSM_LLM_MODEL": "", "OPENAI_API_KEY": ""}


def test_demo_maps_checks_and_reports_the_bundled_example_offline(tmp_path: Path) -> None:
    result = run_vsm("demo", "-o", tmp_path / "out", cwd=tmp_path, env=NO_MODEL)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    for name in ("map.json", "findings.md", "report.html", "reference-map.json", "reference-report.html"):
        assert (out / name).is_file(), name
    assert sorted(p.name for p in (out / "sources").iterdir()) == ["customer-call.md", "interview.md"]
    assert "offline rules" in result.stdout and "every quote verified" in result.stdout
    assert f"Open {out / 'report.html'}" in result.stdout
    assert "F1 0." in result.stdout  # scored against the hand-made map through the copied sources
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<script") == 1 and "Content-Security-Policy" in html  # the report's own, allowed by hash
    sides = {s.id: s.perspective.value for s in load_map(out / "map.json").sources}
    assert sides == {"interview": "internal", "customer-call": "customer"}  # as the reference map has them
    assert "internal-narrative" not in (out / "findings.md").read_text(encoding="utf-8")  # the customer was heard


def test_the_wheel_carries_prompts_and_examples_and_runs_the_demo_alone(tmp_path: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
                           cwd=ROOT, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(installed)
    assert {"agent/_bundled/prompts/extract_map.md", "agent/_bundled/transcripts/legal-platform/map.json",
            "agent/reports/fonts/DejaVuSans.ttf"} <= names
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import agent; assert agent.__file__.startswith(sys.argv[1]);"
            "from agent.cli import main; raise SystemExit(main(['demo', '-o', sys.argv[2], '--embedder', 'none']))")
    ran = subprocess.run([sys.executable, "-c", code, str(installed), str(tmp_path / "demo")],
                         cwd=tmp_path, capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "demo" / "report.html").is_file()
