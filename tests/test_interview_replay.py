"""`vsm replay`: a session's answers re-extracted without the UI, and the maps compared."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from agent.interview.engine import AnswerExtraction
from agent.interview.live_extraction import answer_patch
from agent.interview.session_log import SessionLog
from agent.interview.session_state import SessionState
from schemas import ValueMap
from schemas.interview import AnswerEvent, MetaEvent, Probe, ProbeKind, QuestionEvent, SessionEvent
from tests.cli_runner import run_vsm
from tests.fake_models import draft_with_stage
from tests.openai_stub_server import OpenAIStubServer, StubReply

AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
PROBE = Probe(kind=ProbeKind.CORE, intent="stops", fallback_question="Where does the customer have to act?")
ANSWERS = [
    "New customers have to upload a hundred invoices before they see any result, and many stop there.",
    "We do not have the data team to clean their history ourselves, so we ask them to do it.",
    "The plan costs 400 euros a month and about one in five trials converts.",
]


def record_session(folder: Path) -> Path:
    """A session as the app writes it: question, answer, then the patch the offline extractor made."""
    meta = MetaEvent(session_id="s-replay", stakeholder="Maya", role="COO", started=AT)
    log = SessionLog.create(folder, meta)
    state = SessionState.new(meta)
    offline = AnswerExtraction.offline()
    for answer in ANSWERS:
        events: list[SessionEvent] = [QuestionEvent(at=AT, probe=PROBE, text=PROBE.fallback_question,
                                                    worded_by="question bank"), AnswerEvent(at=AT, text=answer)]
        for event in events:
            log.append(event)
            state.apply(event)
        patch = answer_patch(state, offline.extract, provenance=offline.provenance, extractor=offline.name)
        log.append(patch)
        state.apply(patch)
    assert state.value_map.element_count() > 0
    return log.path


def test_replaying_with_the_same_extractor_reproduces_the_map(tmp_path: Path) -> None:
    session = record_session(tmp_path)
    result = run_vsm("replay", session, "--offline", "-o", tmp_path / "replayed.json", env={"VSM_LLM_MODEL": ""})
    assert result.returncode == 0, result.stderr
    assert "Replayed 3 answers" in result.stderr
    assert "0 elements added, 0 removed, 0 changed" in result.stdout
    replayed = ValueMap.model_validate_json((tmp_path / "replayed.json").read_text())
    assert replayed.element_count() > 0


def test_replaying_with_a_model_shows_what_changed(tmp_path: Path) -> None:
    session = record_session(tmp_path)
    draft = draft_with_stage("upload", "Invoice upload wall", "upload a hundred invoices before they see any result",
                             "Maya")
    with OpenAIStubServer() as stub:
        stub.script(*(StubReply.answer(draft.model_dump_json()) for _ in ANSWERS))
        result = run_vsm("replay", session, "--model", "gpt-4.1-mini", "--format", "md",
                         env={"VSM_LLM_BASE_URL": stub.base_url, "OPENAI_API_KEY": "sk-x", "VSM_LLM_MODEL": ""})
        assert len(stub.requests) == len(ANSWERS)
    assert result.returncode == 0, result.stderr
    assert "Invoice upload wall" in result.stdout  # added by the model
    assert "gpt-4.1-mini" in result.stderr


def test_replay_of_a_missing_session_is_one_line(tmp_path: Path) -> None:
    result = run_vsm("replay", tmp_path / "nope.jsonl")
    assert result.returncode == 2 and "no such session file" in result.stderr
