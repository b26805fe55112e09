"""The session file and the state rebuilt from it: nothing on screen is ever lost."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.interview.session_log import SessionFileError, SessionLog, read_session
from agent.interview.session_state import SessionState, remove_element, session_transcript
from agent.storage import load_map
from schemas import Review
from schemas.interview import (
    AnswerEvent,
    ElementChange,
    MetaEvent,
    PatchEvent,
    Probe,
    ProbeKind,
    QuestionEvent,
    ReviewEvent,
)
from tests.map_builders import build, healthy_map_data

ROOT = Path(__file__).parents[1]
AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
META = MetaEvent(session_id="s1", stakeholder="Maria", role="Head of Growth", started=AT)
PROBE = Probe(kind=ProbeKind.CORE, intent="where it stops", fallback_question="Where does it stop?")


def question(text: str = "Where does the customer have to act?") -> QuestionEvent:
    return QuestionEvent(at=AT, probe=PROBE, text=text, worded_by="question bank")


def test_events_round_trip_through_the_file(tmp_path: Path) -> None:
    log = SessionLog.create(tmp_path, META)
    log.append(question())
    log.append(AnswerEvent(at=AT, text="They have to mark lawyers."))
    events, notes = read_session(log.path)
    assert [e.type for e in events] == ["meta", "question", "answer"]
    assert notes == []
    assert log.path.stat().st_mode & 0o777 == 0o600  # a client's words: readable by the consultant only


def test_a_line_cut_by_a_crash_is_skipped_and_reported(tmp_path: Path) -> None:
    log = SessionLog.create(tmp_path, META)
    log.append(AnswerEvent(at=AT, text="kept"))
    with log.path.open("a") as handle:
        handle.write('{"type": "answer", "at": "2026-11-28T09:0')  # kill -9 mid-write
    events, notes = read_session(log.path)
    assert events[-1].text == "kept"  # type: ignore[union-attr]
    assert len(notes) == 1 and "line 3" in notes[0]


def test_a_file_that_is_not_a_session_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"type": "answer", "at": "2026-11-28T09:00:00Z", "text": "hi"}\n')
    with pytest.raises(SessionFileError, match="not a vsm interview session"):
        read_session(path)
    with pytest.raises(SessionFileError, match="no such session file"):
        read_session(tmp_path / "missing.jsonl")


def test_the_session_transcript_indexes_every_answer() -> None:
    history = [question(), AnswerEvent(at=AT, text="They  have to\nmark lawyers.")]
    transcript = session_transcript(META, history)
    assert transcript.text == "Interviewer: Where does the customer have to act?\n\nMaria: They have to mark lawyers."
    answer = transcript.turns[1]
    assert transcript.text[answer.start:answer.end] == "They have to mark lawyers."
    assert transcript.turns[0].interviewer and not answer.interviewer


def test_state_rebuilds_from_events_and_knows_the_pending_question() -> None:
    state = SessionState.from_events([META, question(), AnswerEvent(at=AT, text="a"), question("next?")])
    assert len(state.answers) == 1
    assert state.pending_question is not None and state.pending_question.text == "next?"
    assert state.value_map.sources[0].stakeholders[0].role == "Head of Growth"


def test_patches_add_elements_and_evidence_and_reviews_are_recorded() -> None:
    state = SessionState.new(META)
    stage = {"id": "st-a", "name": "Browse", "order": 0,
             "evidence": [{"text": "a", "source_id": "s1", "start": 0, "end": 1, "match": "exact"}]}
    state.apply(PatchEvent(at=AT, answer_index=0, extractor="test", changes=[
        ElementChange.model_validate({"collection": "stages", "element_id": "st-a", "element": stage})]))
    state.apply(PatchEvent(at=AT, answer_index=1, extractor="test", changes=[
        ElementChange.model_validate({"collection": "stages", "element_id": "st-a", "new_evidence": [
            {"text": "b", "source_id": "s1", "start": 5, "end": 6, "match": "exact"}]})]))
    assert len(state.value_map.stages[0].evidence) == 2
    state.apply(ReviewEvent(at=AT, element_id="st-a", review=Review.CONFIRMED, person="Ana"))
    assert state.value_map.stages[0].provenance.confirmed
    state.apply(ReviewEvent(at=AT, element_id="st-a", review=Review.REJECTED))
    assert state.value_map.stages == []


def test_a_duplication_left_without_propositions_goes_and_no_loss_points_at_it() -> None:
    gold = load_map(ROOT / "transcripts" / "legal-platform" / "map.json")
    duplication = next(d for d in gold.duplications if any(d.id in loss.duplication_ids for loss in gold.losses))
    value_map = gold
    for proposition_id in duplication.proposition_ids:
        value_map = remove_element(value_map, proposition_id)  # validated on the way: a dangling id would raise
    assert duplication.id not in {d.id for d in value_map.duplications}
    assert all(duplication.id not in loss.duplication_ids for loss in value_map.losses)


def test_removing_an_element_removes_what_cannot_stand_without_it() -> None:
    value_map = remove_element(build(healthy_map_data()), "vep-mark")
    ids = {e.id for e in value_map.elements()}
    assert not {"vep-mark", "res-db", "th-mark", "ex-mark"} & ids
    assert value_map.propositions[0].used_at_ids == ["vep-pay"]
