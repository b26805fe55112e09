"""The coverage board says how far a map answers each diagnostic step and each core question."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.bundled import bundled_path
from agent.interview.planning import coverage_of
from agent.storage import load_map
from schemas import ValueMap
from schemas.findings import CoreQuestion
from schemas.interview import CoverageBoard, DiagnosticStep
from tests.map_builders import build, healthy_map_data

EXAMPLES = sorted(bundled_path("transcripts").glob("*/map.json"))


def fills(board: CoverageBoard) -> dict[DiagnosticStep, float]:
    return {s.step: s.filled for s in board.steps}


def test_an_empty_map_covers_nothing() -> None:
    board = coverage_of(ValueMap())
    assert [s.step for s in board.steps] == list(DiagnosticStep)
    assert set(fills(board).values()) == {0.0}
    assert board.uncovered_steps() == list(DiagnosticStep)
    assert not any(board.covers(q) for q in CoreQuestion)


def test_the_healthy_map_covers_every_step_but_loss() -> None:
    board = coverage_of(build(healthy_map_data()))
    assert board.uncovered_steps() == [DiagnosticStep.LOSS]
    assert board.covers(CoreQuestion.WHERE_IT_STOPS) and board.covers(CoreQuestion.VALUE_USED)
    assert not board.covers(CoreQuestion.VALUE_BREAKS)


def test_one_vep_is_half_of_the_points_where_the_customer_acts() -> None:
    data = healthy_map_data()
    data["veps"] = data["veps"][:1]
    data["resistances"] = data["resistances"][:1]
    data["thresholds"] = data["thresholds"][:1]
    data["exchanges"] = data["exchanges"][:1]
    data["propositions"][0]["used_at_ids"] = ["vep-mark"]
    board = coverage_of(build(data))
    assert board.of(DiagnosticStep.VEPS).filled == 0.5
    assert board.of(DiagnosticStep.DUPLICATION).filled == 0.5  # one threshold, one audience: nothing to compare
    assert board.of(DiagnosticStep.FINAL_THRESHOLD).filled == 0.0


def test_slots_name_the_elements_that_lack_what_the_step_needs() -> None:
    data = healthy_map_data()
    data["resistances"][1]["resources_lacking"] = []
    data["veps"][0]["activation"] = "unknown"
    data["thresholds"][1]["condition"] = ""
    data["exchanges"][1]["organisation_gives"] = []
    board = coverage_of(build(data))
    slot = {s.step: s.slots[0] for s in board.steps}
    assert (slot[DiagnosticStep.RESISTANCE].filled, slot[DiagnosticStep.RESISTANCE].missing_ids) == (0.5, ["vep-pay"])
    assert slot[DiagnosticStep.VALUE_EVOKED].missing_ids == ["vep-mark"]
    assert slot[DiagnosticStep.THRESHOLDS].missing_ids == ["th-pay"]
    assert slot[DiagnosticStep.EXCHANGES].missing_ids == ["th-pay"]


def test_the_final_threshold_needs_a_price_and_a_perceived_value() -> None:
    data = healthy_map_data()
    data["thresholds"][1]["purchase"] = {"price": {"amount": 49}}
    final = coverage_of(build(data)).of(DiagnosticStep.FINAL_THRESHOLD)
    assert {s.slot: s.filled for s in final.slots} == {"purchase_threshold": 1, "price": 1, "perceived_value": 0}
    assert final.slots[2].missing_ids == ["th-pay"]
    assert final.filled == pytest.approx(2 / 3)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_the_bundled_examples_answer_all_three_core_questions(path: Path) -> None:
    board = coverage_of(load_map(path))
    assert all(board.covers(q) for q in CoreQuestion)
    assert all(0 <= s.filled <= 1 for s in board.steps)
    assert CoverageBoard.model_validate_json(board.model_dump_json()) == board


def test_the_bundled_examples_show_their_known_gaps() -> None:
    legal = coverage_of(load_map(bundled_path("transcripts/legal-platform/map.json")))
    assert legal.uncovered_steps() == []
    meal_kit = coverage_of(load_map(bundled_path("transcripts/meal-kit-subscription/map.json")))
    assert DiagnosticStep.FINAL_THRESHOLD in meal_kit.uncovered_steps()
    ap = coverage_of(load_map(bundled_path("transcripts/ap-automation-trial/map.json")))
    assert "th-security-review" in ap.of(DiagnosticStep.EXCHANGES).slots[0].missing_ids
