"""The review engine's details and stage-order decisions, without a screen: parsed, refused, saved, undone."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from agent.review import Decision, DecisionKind, ReviewRefused, open_review
from agent.review.details import DetailRefused, detail_fields, detail_values, parse_detail, set_details
from agent.review.session import ReviewSession, decision_log_path
from agent.storage.map_files import load_map
from schemas.elements import CompensationKind, Loss, Stage, Threshold
from schemas.evidence import Review
from tests.review_fixtures import offline_map_file


def _final(session: ReviewSession) -> Threshold:
    """A final threshold in the session's map (made final through a decision when the extractor made none)."""
    final = next((t for t in session.value_map.thresholds if t.is_final), None)
    if final is None:
        first = session.value_map.thresholds[0]
        session.decide(Decision(kind=DecisionKind.SET_FIELD, element_id=first.id, name="final", detail="yes"))
        final = next(t for t in session.value_map.thresholds if t.id == first.id)
    return final


def _codes(session: ReviewSession, element_id: str) -> set[str]:
    return {f.code for f in session.report.findings if element_id in f.element_ids}


def test_the_purchase_numbers_are_saved_logged_and_read_by_the_checks(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    final = _final(session)
    assert "value-unreckoned" in _codes(session, final.id)
    session.decide(Decision(kind=DecisionKind.SET_DETAILS, element_id=final.id, values={
        "purchase.price.amount": "49", "purchase.price.period": "month", "purchase.perceived_value": "110",
        "purchase.accumulated_loss": "40"}))
    saved = next(t for t in load_map(path).thresholds if t.id == final.id)
    assert saved.purchase is not None and saved.purchase.price is not None
    assert (saved.purchase.price.amount, saved.purchase.price.currency, saved.purchase.price.period) == (49, "EUR", "month")
    assert saved.purchase.surviving_value == 70
    assert saved.provenance.review is Review.EDITED and saved.provenance.person == "Ana"
    assert not {"value-unreckoned", "value-not-surviving"} & _codes(session, final.id)
    session.decide(Decision(kind=DecisionKind.SET_DETAILS, element_id=final.id,
                            values={"purchase.accumulated_loss": "120", "purchase.compensation": "discount: first month free"}))
    assert {"value-not-surviving", "subsidized-growth"} <= _codes(session, final.id)
    logged = json.loads(decision_log_path(path).read_text().splitlines()[-1])
    assert logged["kind"] == "set_details" and logged["values"]["purchase.accumulated_loss"] == "120"
    assert "accumulated loss" in logged["summary"] and "compensation" in logged["summary"]
    session.undo()
    assert not {"value-not-surviving", "subsidized-growth"} & _codes(session, final.id)
    assert next(t for t in load_map(path).thresholds if t.id == final.id).purchase == saved.purchase
    session.redo()
    assert "value-not-surviving" in _codes(session, final.id)


@pytest.mark.parametrize(("text", "said"), [("forty", "is not a number"), ("-5", "is below 0"),
                                             ("NaN", "is not a number a check can use"), ("inf", "is not a number a check can use")])
def test_a_bad_number_is_refused_saying_what_to_type_and_nothing_is_saved(tmp_path: Path, text: str, said: str) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    final = _final(session)
    log_path = decision_log_path(path)
    before, log = path.read_text(), log_path.read_text() if log_path.exists() else None
    with pytest.raises(ReviewRefused, match=rf"^Price: amount: '{text}' {said}; type a number of 0 or more"):
        session.decide(Decision(kind=DecisionKind.SET_DETAILS, element_id=final.id,
                                values={"purchase.price.amount": text, "purchase.perceived_value": "10"}))
    assert path.read_text() == before and (log_path.read_text() if log_path.exists() else None) == log


def test_every_kind_has_its_details_and_they_round_trip(tmp_path: Path) -> None:
    session = open_review(offline_map_file(tmp_path), person="Ana")
    value_map = session.value_map
    typed = {"stages": {"cycle_time_hours": "3", "wait_time_hours": "48.5"},
             "veps": {"customer_action": "marks a lawyer"},
             "resistances": {"why_customer_action": "to get advice", "limitation": "no time"},
             "exchanges": {"balance_reason": "gives more than it gets"},
             "propositions": {"statement": "Find a lawyer in minutes", "audience": "small business owners",
                              "channel": "landing page", "said_by": "Marketing"},
             "losses": {"metric.name": "early cancellations", "metric.value": "33", "metric.unit": "%"},
             "thresholds": {"condition": "account created", "on_failure": "leaves",
                            "crossing_metric.value": "18", "crossing_metric.unit": "%"}}
    for collection, values in typed.items():
        element = getattr(value_map, collection)[0]
        assert set(values) <= {f.path for f in detail_fields(element)}, collection
        changed, labels = set_details(element, values)
        assert detail_values(changed) | values == detail_values(changed), collection
        assert labels
    threshold, _ = set_details(value_map.thresholds[0], {"crossing_metric.value": "18"})
    assert isinstance(threshold, Threshold) and threshold.crossing_metric is not None
    assert threshold.crossing_metric.name == threshold.name  # a metric is always of something
    cleared, _ = set_details(threshold, {"crossing_metric.value": "", "crossing_metric.name": ""})
    assert isinstance(cleared, Threshold) and cleared.crossing_metric is None


def test_compensation_is_added_and_removed_as_text() -> None:
    spec = next(f for f in detail_fields(Threshold(id="th", name="pay", vep_id="v", purchase={}))  # type: ignore[arg-type]
                if f.path == "purchase.compensation")
    assert parse_detail(spec, "discount: 20% off; free extension: a month") == [
        {"kind": "discount", "detail": "20% off"}, {"kind": "free_extension", "detail": "a month"}]
    assert parse_detail(spec, "") == []
    with pytest.raises(DetailRefused, match="'bribe: cash' does not start with a kind of compensation; type kind: detail"):
        parse_detail(spec, "bribe: cash")
    assert all(k.value in spec.hint for k in CompensationKind)


def test_a_required_field_cannot_be_emptied_and_an_unknown_field_is_refused(tmp_path: Path) -> None:
    session = open_review(offline_map_file(tmp_path), person="Ana")
    vep = session.value_map.veps[0]
    with pytest.raises(ReviewRefused, match="Customer action: '' is empty; type what the customer does here"):
        session.decide(Decision(kind=DecisionKind.SET_DETAILS, element_id=vep.id, values={"customer_action": " "}))
    with pytest.raises(ReviewRefused, match="has no detail 'price'"):
        session.decide(Decision(kind=DecisionKind.SET_DETAILS, element_id=vep.id, values={"price": "3"}))
    with pytest.raises(ReviewRefused, match="nothing changed"):
        session.decide(Decision(kind=DecisionKind.SET_DETAILS, element_id=vep.id, values=detail_values(vep)))
    assert not session.decisions


def test_a_loss_metric_and_stage_hours_are_numbers() -> None:
    loss = Loss(id="loss", name="churn", kind="churn")  # type: ignore[arg-type]
    changed, _ = set_details(loss, {"metric.value": "33,5", "metric.unit": "%"})
    assert isinstance(changed, Loss) and changed.metric is not None and math.isclose(changed.metric.value or 0, 33.5)
    stage = Stage(id="st", name="outreach", order=0)
    with pytest.raises(DetailRefused, match=r"Wait time \(hours\): '-1' is below 0"):
        set_details(stage, {"wait_time_hours": "-1"})


def _order(session: ReviewSession) -> list[str]:
    return [s.id for s in sorted(session.value_map.stages, key=lambda s: s.order)]


def test_a_stage_moves_earlier_and_later_orders_stay_without_gaps_and_undo_restores(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    original = _order(session)
    assert len(original) >= 3
    second = original[1]
    session.decide(Decision(kind=DecisionKind.MOVE_STAGE, element_id=second, detail="earlier"))
    assert _order(session) == [second, original[0], *original[2:]]
    saved = load_map(path)
    assert sorted(s.order for s in saved.stages) == list(range(len(original)))
    assert next(s for s in saved.stages if s.id == second).provenance.review is Review.EDITED
    with pytest.raises(ReviewRefused, match="is the first stage already"):
        session.decide(Decision(kind=DecisionKind.MOVE_STAGE, element_id=second, detail="earlier"))
    session.undo()
    assert _order(session) == original and [s.id for s in sorted(load_map(path).stages, key=lambda s: s.order)] == original
    session.redo()
    assert _order(session)[0] == second
    with pytest.raises(ReviewRefused, match="only a stage has a place"):
        session.decide(Decision(kind=DecisionKind.MOVE_STAGE, element_id=session.value_map.veps[0].id, detail="later"))
    kinds = [json.loads(line)["kind"] for line in decision_log_path(path).read_text().splitlines()]
    assert kinds == ["move_stage", "undo", "redo"]


def test_orders_with_gaps_become_0_to_n_minus_1_after_a_move(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    gapped = [s.model_copy(update={"order": 10 * n + 5}) for n, s in enumerate(session.value_map.stages)]
    session.value_map = session.value_map.model_copy(update={"stages": gapped})
    last = max(gapped, key=lambda s: s.order)
    session.decide(Decision(kind=DecisionKind.MOVE_STAGE, element_id=last.id, detail="earlier"))
    assert sorted(s.order for s in session.value_map.stages) == list(range(len(gapped)))
    assert _order(session)[-2] == last.id


def test_a_changed_number_drops_the_words_that_said_the_old_one() -> None:
    loss = Loss(id="loss", name="churn", kind="churn",  # type: ignore[arg-type]
                metric={"name": "cancel in three months", "value": 33, "unit": "%", "text": "About a third"})  # type: ignore[arg-type]
    renamed, _ = set_details(loss, {"metric.name": "cancel within 90 days"})
    assert isinstance(renamed, Loss) and renamed.metric is not None and renamed.metric.text == "About a third"
    changed, _ = set_details(loss, {"metric.value": "40"})
    assert isinstance(changed, Loss) and changed.metric is not None
    assert (changed.metric.value, changed.metric.text) == (40, None)
