"""Whose voice a source is: `vsm map --perspective/--customer` and `vsm interview --perspective` record it,
and the checks read it (a map told only from inside is the organisation's narrative of value)."""

from __future__ import annotations

from pathlib import Path

from agent.interview.engine import InterviewEngine
from agent.storage import load_map
from schemas.elements import Perspective
from tests.cli_runner import run_vsm

ROOT = Path(__file__).parents[1]
CALL = ROOT / "transcripts" / "legal-platform" / "customer-call.md"
NO_MODEL = {"VSM_LLM_MODEL": "", "OPENAI_API_KEY": ""}


def mapped(tmp_path: Path, *options: str) -> tuple[dict[str, str], str]:
    out = tmp_path / "map.json"
    result = run_vsm("map", CALL, "-o", out, "--interviewer", "Consultant", *options, cwd=tmp_path, env=NO_MODEL)
    assert result.returncode == 0, result.stderr
    value_map = load_map(out)
    people = {p.name: (p.perspective or value_map.sources[0].perspective).value for p in value_map.sources[0].stakeholders
              if not p.interviewer}
    checked = run_vsm("check", out, "--fail-on", "never", cwd=tmp_path)
    return people, checked.stdout


def test_a_source_is_internal_unless_told_and_the_checks_say_so(tmp_path: Path) -> None:
    people, findings = mapped(tmp_path)
    assert people == {"Dennis Okafor": "internal"}
    assert "internal-narrative" in findings


def test_perspective_customer_marks_the_whole_source(tmp_path: Path) -> None:
    people, findings = mapped(tmp_path, "--perspective", "customer")
    assert people == {"Dennis Okafor": "customer"}
    assert "internal-narrative" not in findings


def test_customer_marks_one_speaker_wherever_they_speak(tmp_path: Path) -> None:
    people, findings = mapped(tmp_path, "--customer", "dennis okafor")
    assert people == {"Dennis Okafor": "customer"}
    assert "internal-narrative" not in findings


def test_an_interview_with_a_customer_is_the_customers_voice(tmp_path: Path) -> None:
    engine = InterviewEngine.start(tmp_path, stakeholder="Dana", role="Buyer", perspective=Perspective.CUSTOMER)
    assert engine.state.meta.perspective is Perspective.CUSTOMER
    assert engine.state.value_map.sources[0].perspective is Perspective.CUSTOMER
    resumed = InterviewEngine.resume(engine.log.path)
    assert resumed.state.value_map.sources[0].perspective is Perspective.CUSTOMER
