"""The interview planner decides what to ask next: core questions, gaps by priority, ladders, summaries, time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from agent.bundled import bundled_path
from agent.checks import check_map
from agent.interview.planning import lint_question, next_probe, probe_key
from agent.storage import load_map
from schemas import ValueMap
from schemas.interview import AnswerEvent, DiagnosticStep, Probe, ProbeKind, QuestionEvent
from tests.map_builders import build, healthy_map_data, quote

AT = datetime(2025, 1, 1, 9, 0)
CONCRETE = "About 40 of every 100 trial users stop at the Stripe payment form."
ABSTRACT = "It generally makes things easier for them."
EXAMPLES = sorted(bundled_path("transcripts").glob("*/map.json"))

History = list[QuestionEvent | AnswerEvent]


def asked(probe: Probe, answer: str | None = CONCRETE) -> History:
    events: History = [QuestionEvent(at=AT, probe=probe, text=probe.fallback_question, worded_by="question bank")]
    if answer is not None:
        events.append(AnswerEvent(at=AT, text=answer))
    return events


def plan(value_map: ValueMap, history: Sequence[QuestionEvent | AnswerEvent] = (), **time: float) -> Probe:
    return next_probe(value_map, check_map(value_map), history, **time)


def interview(value_map: ValueMap, answer: str = CONCRETE, limit: int = 200) -> list[Probe]:
    """Ask until the planner closes, answering every question the same way."""
    history: History = []
    probes: list[Probe] = []
    for _ in range(limit):
        probe = plan(value_map, history)
        probes.append(probe)
        if probe.kind is ProbeKind.CLOSE:
            return probes
        history += asked(probe, answer)
    raise AssertionError(f"no close after {limit} probes")


def covered_map_data() -> dict[str, Any]:
    """The healthy map plus a traced loss: every core question is answered by the map."""
    data = healthy_map_data()
    data["losses"] = [{"id": "loss-churn", "name": "Churn after month one", "kind": "churn",
                       "threshold_ids": ["th-pay"], "evidence": [quote("we lost a few after month one")]}]
    return data


# --- Core questions -------------------------------------------------------------------------------

def test_an_empty_map_starts_with_the_three_core_questions_in_order() -> None:
    probes = interview(ValueMap())
    core = [p for p in probes if p.kind is ProbeKind.CORE]
    assert [p.step for p in core] == [DiagnosticStep.THRESHOLDS, DiagnosticStep.VALUE_EVOKED,
                                      DiagnosticStep.DUPLICATION]
    # "where does the system stop, and why": the why (the resistance) comes before the second core question
    assert probes[:4] == [core[0], probes[1], core[1], core[2]]
    assert (probes[1].kind, probes[1].step) == (ProbeKind.FOLLOW_UP, DiagnosticStep.RESISTANCE)
    assert "customer have to do something" in core[0].fallback_question


def test_a_core_question_the_map_already_answers_is_skipped() -> None:
    value_map = build(covered_map_data())
    assert all(p.kind is not ProbeKind.CORE for p in interview(value_map))


def test_only_the_unanswered_core_question_is_asked() -> None:
    value_map = build(healthy_map_data())  # no loss: "where does value break down" is still open
    core = [p for p in interview(value_map) if p.kind is ProbeKind.CORE]
    assert [p.step for p in core] == [DiagnosticStep.DUPLICATION]


# --- Gaps, by priority ----------------------------------------------------------------------------

def gappy_map() -> ValueMap:
    """A threshold without exchange, a threshold without resistance, an untraced loss, a one-sided exchange."""
    data = covered_map_data()
    data["exchanges"] = [{"id": "ex-pay", "name": "Money for nothing yet", "threshold_id": "th-pay",
                          "customer_gives": [{"kind": "money"}], "balance": "balanced",
                          "evidence": [quote("we pay up front")]}]
    data["resistances"] = [r for r in data["resistances"] if r["id"] != "res-cash"]
    data["losses"].append({"id": "loss-refunds", "name": "Refunds in week two", "kind": "refunds",
                           "evidence": [quote("a few asked for refunds in week two")]})
    return build(data)


def test_gaps_come_in_priority_order_missing_exchange_first() -> None:
    value_map = gappy_map()
    gaps = [p for p in interview(value_map) if p.kind is ProbeKind.FOLLOW_UP]
    codes = [p.finding_code for p in gaps]
    # no "why must customers act" at the purchase: paying is the exchange itself, not a lacking resource
    assert codes[:3] == ["missing-exchange", "untraced-loss", "one-sided-exchange"]
    assert [p.priority for p in gaps] == sorted(p.priority for p in gaps)


def test_finding_probes_name_their_element_and_carry_the_checks_question() -> None:
    first = next(p for p in interview(gappy_map()) if p.kind is ProbeKind.FOLLOW_UP)
    assert (first.finding_code, first.element_ids) == ("missing-exchange", ["th-mark"])
    assert "“First selection”" in first.fallback_question
    assert "First selection" in first.intent and "what does the customer give" in first.intent


def test_uncovered_steps_are_asked_after_the_findings_and_the_final_threshold_last() -> None:
    probes = interview(ValueMap())
    follow_ups = [p for p in probes if p.kind is ProbeKind.FOLLOW_UP]
    # the resistance comes first, as the second half of the first core question; asked once
    assert [p.step for p in follow_ups] == [DiagnosticStep.RESISTANCE,
                                            *(s for s in DiagnosticStep if s is not DiagnosticStep.RESISTANCE)]
    assert follow_ups[-1].finding_code == "missing-final-threshold"


def test_a_subject_a_finding_asks_about_is_not_asked_again_by_the_coverage_board() -> None:
    probes = interview(gappy_map())
    about_th_mark = [p for p in probes if p.step is DiagnosticStep.EXCHANGES and p.element_ids[:1] == ["th-mark"]]
    assert [p.finding_code for p in about_th_mark] == ["missing-exchange"]


def test_the_final_threshold_asks_about_compensation_once() -> None:
    probes = interview(build(covered_map_data()))
    compensation = [p for p in probes if p.step is DiagnosticStep.FINAL_THRESHOLD]
    assert [(p.finding_code, p.element_ids) for p in compensation] == [("subsidized-growth", ["th-pay"])]
    assert "“Purchase”" in compensation[0].fallback_question


# --- No repeats -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_no_probe_is_asked_twice_and_every_question_passes_the_lint(path: Path) -> None:
    probes = interview(load_map(path))
    keys = [probe_key(p) for p in probes]
    assert len(keys) == len(set(keys))
    for probe in probes:
        assert lint_question(probe.fallback_question, session_text="") == [], probe.fallback_question


def test_a_question_left_unanswered_is_not_asked_again() -> None:
    first = plan(ValueMap())
    assert probe_key(plan(ValueMap(), asked(first, answer=None))) != probe_key(first)


# --- Laddering ------------------------------------------------------------------------------------

def test_an_abstract_answer_is_laddered_at_most_twice_consequence_then_example_then_the_interview_moves_on(
) -> None:
    history: History = []
    q1 = plan(ValueMap(), history)
    history += asked(q1, ABSTRACT)
    rungs = []
    for _ in range(2):
        probe = plan(ValueMap(), history)
        rungs.append(probe)
        history += asked(probe, ABSTRACT)
    assert [p.kind for p in rungs] == [ProbeKind.LADDER, ProbeKind.EXAMPLE]
    assert [p.fallback_question for p in rungs] == [
        "What does that lead to for the customer?", "What is one recent example of that, as it actually happened?"]
    assert all(p.step is q1.step for p in rungs) and ABSTRACT in rungs[0].intent
    after = plan(ValueMap(), history)
    assert (after.kind, after.step) == (ProbeKind.FOLLOW_UP, DiagnosticStep.RESISTANCE)


NOT_LADDERS = (ProbeKind.LADDER, ProbeKind.EXAMPLE)


def test_a_concrete_answer_ends_the_ladder() -> None:
    history = asked(plan(ValueMap()), ABSTRACT)
    history += asked(plan(ValueMap(), history), CONCRETE)
    assert plan(ValueMap(), history).kind not in NOT_LADDERS


@pytest.mark.parametrize("answer", [CONCRETE, "I don't know.", "pass"])
def test_concrete_or_declined_answers_are_not_laddered(answer: str) -> None:
    assert plan(ValueMap(), asked(plan(ValueMap()), answer)).kind not in NOT_LADDERS


def test_a_short_confirmation_of_a_summary_is_not_laddered() -> None:
    value_map = load_map(bundled_path("transcripts/meal-kit-subscription/map.json"))
    history: History = []
    while (probe := plan(value_map, history)).kind is not ProbeKind.SUMMARY:
        history += asked(probe)
    history += asked(probe, "Yes.")
    assert plan(value_map, history).kind is ProbeKind.FOLLOW_UP


# --- Summaries ------------------------------------------------------------------------------------

def test_every_five_answers_the_planner_says_back_the_latest_elements() -> None:
    value_map = load_map(bundled_path("transcripts/meal-kit-subscription/map.json"))
    probes = interview(value_map)
    summaries = [i for i, p in enumerate(probes) if p.kind is ProbeKind.SUMMARY]
    assert summaries[:2] == [5, 11]
    first = probes[5]
    names = {e.id: e.name for e in value_map.elements()}
    assert first.element_ids and all(f"“{names[i]}”" in first.fallback_question for i in first.element_ids)
    assert "correct" in first.fallback_question
    later = {i for s in summaries[1:] for i in probes[s].element_ids}
    assert not later & set(first.element_ids)


def test_no_summary_when_nothing_has_been_understood_yet() -> None:
    assert all(p.kind is not ProbeKind.SUMMARY for p in interview(ValueMap()))


# --- Time budget ----------------------------------------------------------------------------------

def test_past_the_budget_the_planner_closes() -> None:
    probe = plan(ValueMap(), elapsed_minutes=30, budget_minutes=30)
    assert probe.kind is ProbeKind.CLOSE and "time is up" in probe.intent


def test_under_time_pressure_abstract_answers_are_not_laddered() -> None:
    history = asked(plan(ValueMap()), ABSTRACT)
    assert plan(ValueMap(), history, elapsed_minutes=5, budget_minutes=30).kind is ProbeKind.LADDER
    pressed = plan(ValueMap(), history, elapsed_minutes=20, budget_minutes=30)
    assert pressed.kind not in NOT_LADDERS and pressed.step is DiagnosticStep.RESISTANCE  # the core's "why"


def test_under_time_pressure_the_core_questions_come_before_a_summary() -> None:
    value_map = build(healthy_map_data())  # core question 3 is open
    history: History = []
    for _ in range(5):
        history += asked(Probe(kind=ProbeKind.FOLLOW_UP, step=DiagnosticStep.VEPS, intent="filler",
                               fallback_question=f"Filler {len(history)}?", element_ids=[f"x{len(history)}"]))
    assert plan(value_map, history).kind is ProbeKind.SUMMARY
    pressed = plan(value_map, history, elapsed_minutes=25, budget_minutes=30)
    assert (pressed.kind, pressed.step) == (ProbeKind.CORE, DiagnosticStep.DUPLICATION)


def test_under_time_pressure_info_level_findings_are_dropped() -> None:
    data = covered_map_data()
    del data["thresholds"][0]["crossing_metric"]  # pull-unmeasured: info
    value_map = build(data)
    history: History = []
    relaxed: list[str | None] = []
    while (probe := plan(value_map, history)).kind is not ProbeKind.CLOSE:
        relaxed.append(probe.finding_code)
        history += asked(probe)
    assert "pull-unmeasured" in relaxed
    history = []
    pressed: list[str | None] = []
    while (probe := plan(value_map, history, elapsed_minutes=20, budget_minutes=30)).kind is not ProbeKind.CLOSE:
        pressed.append(probe.finding_code)
        history += asked(probe)
    assert "pull-unmeasured" not in pressed and "subsidized-growth" in pressed


# --- Determinism ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_the_same_map_and_history_give_the_same_interview(path: Path) -> None:
    assert interview(load_map(path), ABSTRACT) == interview(load_map(path), ABSTRACT)

