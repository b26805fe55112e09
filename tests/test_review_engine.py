"""The review engine without a screen: selections into quotes, decisions, undo/redo, saving, the lock."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from agent.review import Decision, DecisionKind, ReviewRefused, SelectionRefused, open_review, quote_from_selection
from agent.review.lock import ReviewLock, ReviewLockedError
from agent.review.selection import quote_is_grounded
from agent.review.session import decision_log_path
from agent.sources import read_transcript
from agent.storage.map_files import load_map
from schemas.evidence import MatchStatus, Review
from schemas.transcript import Transcript
from tests.review_fixtures import EXAMPLES, offline_map_file

INTERVIEW = EXAMPLES / "legal-platform" / "interview.md"


@pytest.fixture(scope="module")
def transcript() -> Transcript:
    return read_transcript(INTERVIEW, source_id="interview", interviewers=["Consultant"])


def _answer(transcript: Transcript, n: int = 0):  # type: ignore[no-untyped-def]
    return [t for t in transcript.turns if not t.interviewer][n]


def test_a_selection_inside_one_turn_is_its_exact_text_credited_to_its_speaker(transcript: Transcript) -> None:
    turn = _answer(transcript)
    quote = quote_from_selection(transcript, turn.start + 3, turn.start + 40)
    assert quote.text == transcript.text[turn.start + 3 : turn.start + 40].strip()
    assert quote.speaker == turn.speaker == "Marta Kowalski"
    assert quote.match is MatchStatus.EXACT and quote.line == 3
    assert transcript.text[quote.start : quote.end] == quote.text  # type: ignore[index]


def test_a_selection_is_trimmed_and_either_direction_works(transcript: Transcript) -> None:
    turn = _answer(transcript)
    forwards = quote_from_selection(transcript, turn.start, turn.start + 37)
    assert quote_from_selection(transcript, turn.start + 37, turn.start) == forwards
    assert forwards.text == "So the very first ask is the account."


def test_a_selection_across_turns_is_refused_with_the_reason(transcript: Transcript) -> None:
    first, second = _answer(transcript, 0), _answer(transcript, 1)
    with pytest.raises(SelectionRefused, match=r"runs across \d+ turns .* select inside one turn"):
        quote_from_selection(transcript, first.end - 10, second.start + 10)


def test_the_interviewers_words_are_refused_as_evidence(transcript: Transcript) -> None:
    question = next(t for t in transcript.turns if t.interviewer)
    with pytest.raises(SelectionRefused, match=r"interviewer's words .* never evidence"):
        quote_from_selection(transcript, question.start, question.end)


def test_an_empty_selection_or_a_speaker_label_is_refused(transcript: Transcript) -> None:
    turn = _answer(transcript)
    with pytest.raises(SelectionRefused, match="nothing is selected"):
        quote_from_selection(transcript, turn.start + 5, turn.start + 5)
    with pytest.raises(SelectionRefused, match="speaker's name"):
        quote_from_selection(transcript, turn.start - 10, turn.start + 10)


@pytest.mark.parametrize("example", ["legal-platform", "ap-automation-trial", "meal-kit-subscription"])
def test_every_span_a_selection_makes_is_verified_against_the_source(example: str) -> None:
    """Property: for 2,000 random selections per example, either a refusal, or a quote that is the source's
    own words at its span, in one stakeholder turn, with that turn's speaker (re-read from the file)."""
    rng = random.Random(13)
    for path in sorted((EXAMPLES / example).glob("*.md")):
        transcript = read_transcript(path, source_id=path.stem, interviewers=["Consultant"])
        raw = path.read_text(encoding="utf-8")
        made = 0
        for _ in range(2000):
            if rng.random() < 0.7:  # most selections start inside a turn, as a person's would
                turn = rng.choice(transcript.turns)
                start = rng.randint(turn.start, turn.end)
                end = start + rng.randint(-80, 250)
            else:
                start, end = rng.randint(0, len(transcript.text)), rng.randint(0, len(transcript.text))
            try:
                quote = quote_from_selection(transcript, start, end)
            except SelectionRefused:
                continue
            made += 1
            assert quote_is_grounded(quote, transcript)
            assert raw[quote.start : quote.end] == quote.text  # type: ignore[index]  # the file's own characters
            assert quote.text == quote.text.strip() and quote.text
        assert made > 300  # enough accepted selections for the property to mean something


def test_decisions_are_saved_and_logged_with_who_and_when(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    first = next(session.unreviewed())
    session.decide(Decision(kind=DecisionKind.ACCEPT, element_id=first.id))
    on_disk = load_map(path)
    found = next(e for e in on_disk.elements() if e.id == first.id)
    assert found.provenance.review is Review.CONFIRMED and found.provenance.person == "Ana"
    [line] = decision_log_path(path).read_text(encoding="utf-8").splitlines()
    logged = json.loads(line)
    assert logged["kind"] == "accept" and logged["person"] == "Ana" and logged["element_id"] == first.id
    assert logged["at"].startswith("20") and "accepted" in logged["summary"]


def test_a_new_session_resumes_from_what_was_saved(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    victim = session.value_map.losses[0]
    session.decide(Decision(kind=DecisionKind.REJECT, element_id=victim.id))
    again = open_review(path, person="Ben")
    assert victim.id not in {e.id for e in again.value_map.elements()}
    assert again.value_map == session.value_map


def test_undo_and_redo_restore_the_map_and_are_saved(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    original = session.value_map
    vep = session.value_map.veps[0]
    session.decide(Decision(kind=DecisionKind.REJECT, element_id=vep.id))
    rejected = session.value_map
    assert rejected.element_count() < original.element_count()
    session.undo()
    assert session.value_map == original and load_map(path) == original
    session.redo()
    assert load_map(path) == rejected
    kinds = [json.loads(line)["kind"] for line in decision_log_path(path).read_text().splitlines()]
    assert kinds == ["reject", "undo", "redo"]
    with pytest.raises(ReviewRefused, match="nothing to redo"):
        session.redo()


def test_create_edit_retype_merge_and_link(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    transcript = session.transcript("interview")
    assert transcript is not None
    turn = next(t for t in transcript.turns if not t.interviewer and "fourteen thousand" in t.text)
    at = transcript.text.index("fourteen thousand")
    quote = session.quote("interview", at, at + len("fourteen thousand lawyers"))
    made = session.decide(Decision(kind=DecisionKind.CREATE, collection="losses", name="Unverified listings",
                                   quote=quote))
    loss = next(e for e in session.value_map.losses if e.name == "Unverified listings")
    assert made.element_id == loss.id == "loss-unverified-listings"
    assert loss.provenance.review is Review.CONFIRMED and loss.evidence[0].speaker == turn.speaker
    session.decide(Decision(kind=DecisionKind.EDIT, element_id=loss.id, name="Listings nobody checked", detail="x"))
    duplication = session.value_map.duplications[0]
    session.decide(Decision(kind=DecisionKind.LINK, element_id=loss.id, other_id=duplication.id))
    loss = next(e for e in session.value_map.losses if e.id == loss.id)
    assert loss.name == "Listings nobody checked" and duplication.id in loss.duplication_ids
    session.decide(Decision(kind=DecisionKind.RETYPE, element_id=loss.id, collection="stages"))
    assert loss.id not in {e.id for e in session.value_map.elements()}
    stage = next(e for e in session.value_map.stages if e.name == "Listings nobody checked")
    other = session.value_map.stages[0]
    session.decide(Decision(kind=DecisionKind.MERGE, element_id=other.id, other_id=stage.id))
    merged = next(e for e in session.value_map.stages if e.id == other.id)
    assert quote in merged.evidence and stage.id not in {e.id for e in session.value_map.elements()}
    assert load_map(path) == session.value_map


def test_refusals_name_the_problem_and_change_nothing(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    before = path.read_text()
    vep = next(v for v in session.value_map.veps if any(t.vep_id == v.id for t in session.value_map.thresholds))
    with pytest.raises(ReviewRefused, match=r"stand.* on this value evocation point: link or reject them first"):
        session.decide(Decision(kind=DecisionKind.RETYPE, element_id=vep.id, collection="stages"))
    stage, loss = session.value_map.stages[0], session.value_map.losses[0]
    with pytest.raises(ReviewRefused, match="is a loss, not a stage: retype one of them first"):
        session.decide(Decision(kind=DecisionKind.MERGE, element_id=stage.id, other_id=loss.id))
    with pytest.raises(ReviewRefused, match="not linked in the framework"):
        session.decide(Decision(kind=DecisionKind.LINK, element_id=stage.id, other_id=loss.id))
    assert path.read_text() == before and session.decisions == []


def test_readonly_decides_nothing(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana", readonly=True)
    with pytest.raises(ReviewRefused, match="read-only"):
        session.decide(Decision(kind=DecisionKind.ACCEPT, element_id=session.value_map.stages[0].id))
    assert not decision_log_path(path).exists()


def test_a_second_review_of_the_same_map_is_refused_naming_the_holder(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    with ReviewLock(path, person="Ana"), pytest.raises(ReviewLockedError, match=r"already being reviewed by Ana \(vsm review, pid"):
        ReviewLock(path, person="Ben").acquire()
    with ReviewLock(path, person="Ben"):  # released when the first review ends
        pass


def test_set_field_makes_the_choices_the_checks_read(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    loss = session.value_map.losses[0]
    threshold = next(t for t in session.value_map.thresholds if not t.is_final)
    session.decide(Decision(kind=DecisionKind.SET_FIELD, element_id=loss.id, name="kind", detail="refunds"))
    session.decide(Decision(kind=DecisionKind.SET_FIELD, element_id=threshold.id, name="final", detail="yes"))
    saved = load_map(path)
    assert next(e for e in saved.losses if e.id == loss.id).kind.value == "refunds"
    final = next(e for e in saved.thresholds if e.id == threshold.id)
    assert final.is_final and final.provenance.review is Review.EDITED
    assert any(f.code == "value-unreckoned" and threshold.id in f.element_ids for f in session.report.findings)
    with pytest.raises(ReviewRefused, match="has no choice kind = 'bankrupt'"):
        session.decide(Decision(kind=DecisionKind.SET_FIELD, element_id=loss.id, name="kind", detail="bankrupt"))


def test_linking_again_unlinks_a_listed_link(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    loss = next(e for e in session.value_map.losses if e.duplication_ids)
    duplication_id = loss.duplication_ids[0]
    done = session.decide(Decision(kind=DecisionKind.LINK, element_id=loss.id, other_id=duplication_id))
    assert done.summary.startswith("unlinked loss")
    assert duplication_id not in next(e for e in load_map(path).losses if e.id == loss.id).duplication_ids


def test_a_transcript_edited_after_mapping_is_noted(tmp_path: Path) -> None:
    interview = tmp_path / "interview.md"
    interview.write_text(INTERVIEW.read_text(encoding="utf-8"), encoding="utf-8")
    from agent.mapping import map_transcripts
    from agent.storage.map_files import save_map

    save_map(tmp_path / "map.json", map_transcripts([interview], interviewers=["Consultant"]).value_map)
    assert open_review(tmp_path / "map.json", person="Ana").transcripts.notes == []
    interview.write_text("Consultant: Hello.\n\n" + interview.read_text(encoding="utf-8"), encoding="utf-8")
    [note] = open_review(tmp_path / "map.json", person="Ana").transcripts.notes
    assert "quotes no longer match" in note and "was the file edited after mapping?" in note


def test_a_transcript_that_moved_is_noted_and_found_with_a_search_folder(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    text = path.read_text(encoding="utf-8").replace(str(EXAMPLES / "legal-platform"), "/gone/away")
    path.write_text(text, encoding="utf-8")
    notes = open_review(path, person="Ana").transcripts.notes
    assert len(notes) == 2 and all("not found; pass --transcripts FOLDER" in n for n in notes)
    found = open_review(path, person="Ana", search=(EXAMPLES / "legal-platform",)).transcripts
    assert found.notes == [] and set(found.by_source) == {"interview", "customer-call"}



def test_a_decision_that_would_leave_the_map_invalid_is_refused_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """The safety net under every rule: pydantic's verdict becomes a refusal, never a traceback in the app."""
    from agent.review import editing
    from schemas import ValueMap

    gold = load_map(EXAMPLES / "legal-platform" / "map.json")

    def invalid(*_: object) -> object:
        return ValueMap.model_validate({"losses": [{"id": "x"}]})

    monkeypatch.setattr(editing, "_apply", invalid)
    with pytest.raises(ReviewRefused, match="nothing was changed"):
        editing.apply_decision(gold, Decision(kind=DecisionKind.REJECT, element_id=gold.stages[0].id))
