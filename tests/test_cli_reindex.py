"""The evidence store kept in step with the workspace: interview sessions enter it at `vsm synthesize`,
and `vsm reindex` refills it from every source and session (a lost or outdated store is repaired)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from agent.interview.engine import InterviewEngine
from tests.cli_runner import run_vsm
from tests.test_interview_engine import Clock, collect

ROOT = Path(__file__).parents[1]
ENV = {"VSM_LLM_MODEL": "", "OPENAI_API_KEY": "", "VSM_CHROMA_URL": "", "VSM_EMBEDDER": "minilm"}
ANSWER = "Most new shops stall at the setup fee, because nobody tells them what the onboarding call includes."


def engagement(tmp_path: Path) -> Path:
    workspace = tmp_path / "Ærø engagement"
    assert run_vsm("init", workspace, cwd=tmp_path).returncode == 0
    added = run_vsm("add", ROOT / "transcripts" / "legal-platform" / "interview.md", cwd=workspace, env=ENV)
    assert added.returncode == 0, added.stderr
    return workspace


def interview(workspace: Path) -> str:
    """A session inside the workspace with one answer, mapped offline; its id."""
    engine = InterviewEngine.start(workspace / "sessions", stakeholder="Maria", role="Head of Growth", clock=Clock())
    asyncio.run(collect(engine))
    engine.answer(ANSWER)
    engine.extract_last_answer()
    return engine.state.meta.session_id


def passages(asked: str) -> list[str]:
    return [line for line in asked.splitlines() if line.startswith("[")]


def test_an_interviews_answers_enter_the_evidence_store_at_synthesis(tmp_path: Path) -> None:
    workspace = engagement(tmp_path)
    session_id = interview(workspace)
    before = run_vsm("ask", "What stops shops at the setup fee?", "--source", session_id, cwd=workspace, env=ENV)
    assert before.returncode == 2 and f"no source {session_id!r}" in before.stderr

    synthesized = run_vsm("synthesize", "--no", cwd=workspace, env=ENV)
    assert synthesized.returncode == 0, synthesized.stderr
    assert "passages of 1 interview session in the evidence store" in synthesized.stderr

    asked = run_vsm("ask", "What stops shops at the setup fee?", "--source", session_id, cwd=workspace, env=ENV)
    assert asked.returncode == 0, asked.stderr
    (only,) = passages(asked.stdout)  # the answer, not the interviewer's question
    assert only.startswith(f"[1] Maria (internal, Head of Growth) · source {session_id}")
    assert "setup fee" in asked.stdout

    again = run_vsm("synthesize", "--no", cwd=workspace, env=ENV)
    assert "interview session" not in again.stderr  # unchanged: nothing stored twice


def test_reindex_refills_a_lost_store_from_every_source_and_session(tmp_path: Path) -> None:
    workspace = engagement(tmp_path)
    session_id = interview(workspace)
    shutil.rmtree(workspace / "chroma")  # lost, or made before the workspace had an evidence store
    lost = run_vsm("ask", "Why do clients not come back?", cwd=workspace, env=ENV)
    assert lost.returncode == 2 and "no evidence stored yet" in lost.stderr

    reindexed = run_vsm("reindex", cwd=workspace, env=ENV)
    assert reindexed.returncode == 0, reindexed.stderr
    assert "of 2 sources and sessions" in reindexed.stdout and "(embedder all-MiniLM" in reindexed.stdout

    asked = run_vsm("ask", "Why do clients not come back?", "--k", "20", cwd=workspace, env=ENV)
    assert asked.returncode == 0, asked.stderr
    sources = {line.split(" · source ")[1].split(",")[0] for line in passages(asked.stdout)}
    assert sources == {"interview", session_id}

    twice = run_vsm("reindex", cwd=workspace, env=ENV)  # idempotent: the same passages, not twice as many
    assert twice.stdout.split(" passages")[0] == reindexed.stdout.split(" passages")[0]
