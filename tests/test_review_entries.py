"""The review engine's list entries (gives, gets, improvements, claims), without a screen: parsed, refused,
saved, logged, undone and redone, and read by the checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.interview.session_state import remove_element
from agent.review import Decision, DecisionKind, ReviewRefused, open_review
from agent.review.entries import (
    CLAIMS,
    GETS,
    GIVES,
    EntryChange,
    EntryRefused,
    change_entry,
    entry_line,
    entry_lists,
    entry_values,
    parse_entry,
)
from agent.review.session import ReviewSession, decision_log_path
from agent.storage.map_files import load_map
from schemas.elements import Benefit, Delivery, Give, GiveGetExchange, GiveKind, Improvement, Stage, ValueProposition
from schemas.evidence import MatchStatus, Quote, Review
from schemas.value_map import ValueMap
from tests.review_fixtures import offline_map_file


@pytest.fixture
def session(tmp_path: Path) -> ReviewSession:
    return open_review(offline_map_file(tmp_path), person="Ana")


def _exchange(session: ReviewSession, element_id: str) -> GiveGetExchange:
    found = next(e for e in load_map(session.path).exchanges if e.id == element_id)
    return found


def _codes(session: ReviewSession, element_id: str) -> set[str]:
    return {f.code for f in session.report.findings if element_id in f.element_ids}


def test_a_give_added_removed_undone_and_redone_is_saved_logged_and_checked(session: ReviewSession) -> None:
    exchange = session.value_map.exchanges[0]
    for _ in exchange.customer_gives:  # empty what the customer gives: the checks call the exchange one-sided
        session.decide(Decision(kind=DecisionKind.REMOVE_ENTRY, element_id=exchange.id, name="customer_gives", index=0))
    assert _exchange(session, exchange.id).customer_gives == []
    assert "one-sided-exchange" in _codes(session, exchange.id)
    done = session.decide(Decision(kind=DecisionKind.ADD_ENTRY, element_id=exchange.id, name="customer_gives",
                                   values={"kind": "time", "detail": "about two minutes"}))
    saved = _exchange(session, exchange.id)
    assert saved.customer_gives == [Give(kind=GiveKind.TIME, detail="about two minutes")]
    assert saved.provenance.review is Review.EDITED and saved.provenance.person == "Ana"
    assert "one-sided-exchange" not in _codes(session, exchange.id)
    assert done.summary.startswith("added give 'time: about two minutes' to customer gives of give-get exchange")
    logged = json.loads(decision_log_path(session.path).read_text().splitlines()[-1])
    assert logged["kind"] == "add_entry" and logged["values"] == {"kind": "time", "detail": "about two minutes"}
    session.undo()
    assert _exchange(session, exchange.id).customer_gives == [] and "one-sided-exchange" in _codes(session, exchange.id)
    session.redo()
    assert _exchange(session, exchange.id).customer_gives == saved.customer_gives


def test_a_benefit_is_delivered_at_a_stage_of_the_map_and_nowhere_else(session: ReviewSession) -> None:
    exchange = session.value_map.exchanges[0]
    stage = next(s for s in session.value_map.stages  # one the exchange does not stand on, to reject below
                 if any(e.id == exchange.id for e in remove_element(session.value_map, s.id).exchanges))
    session.decide(Decision(kind=DecisionKind.EDIT_ENTRY, element_id=exchange.id, name="organisation_gives", index=0,
                            values={"what": "a free first consultation", "delivery": "delivered",
                                    "delivered_at_stage_id": stage.id}))
    got = _exchange(session, exchange.id).organisation_gives[0]
    assert got == Benefit(what="a free first consultation", delivery=Delivery.DELIVERED, delivered_at_stage_id=stage.id)
    before = session.path.read_text()
    with pytest.raises(ReviewRefused, match="Delivered at: 'st-nowhere' is not a stage of this map; choose one"):
        session.decide(Decision(kind=DecisionKind.EDIT_ENTRY, element_id=exchange.id, name="organisation_gives",
                                index=0, values={"what": "x", "delivery": "delivered", "delivered_at_stage_id": "st-nowhere"}))
    with pytest.raises(ReviewRefused, match="nothing changed"):
        session.decide(Decision(kind=DecisionKind.EDIT_ENTRY, element_id=exchange.id, name="organisation_gives",
                                index=0, values=entry_values(got)))
    assert session.path.read_text() == before
    session.decide(Decision(kind=DecisionKind.REJECT, element_id=stage.id))  # the stage leaves: the benefit stays
    assert _exchange(session, exchange.id).organisation_gives[0].delivered_at_stage_id is None


@pytest.mark.parametrize(("spec_name", "values", "said"), [
    ("customer_gives", {"kind": "cash", "detail": "x"}, "Kind: 'cash' is not one of the choices; type what the customer gives: money"),
    ("organisation_gives", {"what": "  ", "delivery": "unknown"}, "What: '' is empty; type what the customer gets"),
    ("organisation_gives", {"what": "x", "delivery": "soon"}, "Delivery: 'soon' is not one of the choices"),
    ("claims", {"text": ""}, "Claim: '' is empty; type one benefit the statement makes"),
    ("customer_gives", {"kind": "time", "colour": "red"}, "a give has no field 'colour'"),
])
def test_a_bad_value_is_refused_saying_what_to_type(spec_name: str, values: dict[str, str], said: str) -> None:
    spec = next(s for s in (GIVES, GETS, CLAIMS) if s.field == spec_name)
    with pytest.raises(EntryRefused, match="^" + said.replace("(", r"\(").replace(")", r"\)")):
        parse_entry(spec, values, [], ValueMap())


def test_a_claim_is_removed_and_an_index_that_is_not_there_is_refused(session: ReviewSession) -> None:
    proposition = next(p for p in session.value_map.propositions if len(p.claims) >= 2)
    session.decide(Decision(kind=DecisionKind.REMOVE_ENTRY, element_id=proposition.id, name="claims", index=1))
    saved = next(p for p in load_map(session.path).propositions if p.id == proposition.id)
    assert saved.claims == [proposition.claims[0], *proposition.claims[2:]]
    with pytest.raises(ReviewRefused, match=r"claims has no entry 99 \(it has"):
        session.decide(Decision(kind=DecisionKind.REMOVE_ENTRY, element_id=proposition.id, name="claims", index=98))
    with pytest.raises(ReviewRefused, match="has no list 'claims'; its lists: customer_gives, organisation_gives"):
        session.decide(Decision(kind=DecisionKind.ADD_ENTRY, element_id=session.value_map.exchanges[0].id,
                                name="claims", values={"text": "x"}))
    assert [d.kind for d in session.decisions] == [DecisionKind.REMOVE_ENTRY]


def test_an_improvement_keeps_only_quotes_picked_or_selected_never_typed(session: ReviewSession) -> None:
    stage = next(s for s in session.value_map.stages if s.verified_evidence and not s.customer_visible)
    assert "efficiency-trap" not in _codes(session, stage.id)
    own = stage.verified_evidence[0]
    session.decide(Decision(kind=DecisionKind.ADD_ENTRY, element_id=stage.id, name="improvements",
                            values={"description": "review time cut 30%"}, quotes=[own]))
    transcript = session.transcript("interview")
    assert transcript is not None
    words = "most of them with just a name"
    at = transcript.text.index(words)
    selected = session.quote("interview", at, at + len(words))
    session.decide(Decision(kind=DecisionKind.EDIT_ENTRY, element_id=stage.id, name="improvements", index=0,
                            values={"description": "review time cut 30%"}, quotes=[own, selected]))
    saved = next(s for s in load_map(session.path).stages if s.id == stage.id)
    assert saved.improvements == [Improvement(description="review time cut 30%", evidence=[own, selected])]
    assert "efficiency-trap" in _codes(session, stage.id)  # improved, but not where the customer sees value
    typed = Quote(text="we halved the review time", source_id="interview", speaker="Ben", start=0, end=25,
                  match=MatchStatus.EXACT)
    with pytest.raises(ReviewRefused, match="is not the words of a loaded transcript at that place: select the passage"):
        session.decide(Decision(kind=DecisionKind.ADD_ENTRY, element_id=stage.id, name="improvements",
                                values={"description": "halved"}, quotes=[typed]))
    unverified = selected.model_copy(update={"match": MatchStatus.UNVERIFIED})
    with pytest.raises(EntryRefused, match="is not verified in its transcript"):
        parse_entry(entry_lists(stage)[0], {"description": "x"}, [unverified], session.value_map)
    with pytest.raises(EntryRefused, match="a give keeps no quotes of its own"):
        parse_entry(GIVES, {"kind": "time"}, [own], session.value_map)


def test_an_entry_reads_in_one_line_and_round_trips_through_its_values() -> None:
    value_map = ValueMap.model_validate({"stages": [{"id": "st-work", "name": "legal work", "order": 0}]})
    benefit = Benefit(what="contract templates", delivery=Delivery.DELIVERED, delivered_at_stage_id="st-work")
    assert entry_line(benefit, value_map) == "contract templates (delivered at legal work)"
    assert entry_line(Give(kind=GiveKind.MONEY, detail="EUR 49 a month"), value_map) == "money: EUR 49 a month"
    assert entry_line(Improvement(description="faster"), value_map) == "faster (no quote)"
    for spec, entry in ((GETS, benefit), (GIVES, Give(kind=GiveKind.DATA)), (CLAIMS, "no hourly surprises")):
        assert parse_entry(spec, entry_values(entry), [], value_map) == entry
    stage = Stage(id="st", name="s", order=0)
    changed, words = change_entry(stage, value_map, "improvements", EntryChange.ADD, values={"description": "faster"})
    assert isinstance(changed, Stage) and changed.improvements == [Improvement(description="faster")]
    assert words == "added improvement 'faster (no quote)' to improvements"
    proposition = ValueProposition(id="vp", name="p", statement="s", claims=["a", "b"])
    edited, _ = change_entry(proposition, value_map, "claims", EntryChange.EDIT, index=1, values={"text": "  c  "})
    assert isinstance(edited, ValueProposition) and edited.claims == ["a", "c"]
