"""A model that misquotes does not change what the map says: the lie battery through `vsm map`.

`benchmarks/lie_battery.py` changes every gold quote of the bundled examples one way per class (fixed
seed), and a scripted model behind the OpenAI-format stub on 127.0.0.1 sends each variant as a stage's
quote to a real `vsm map` run. No lie of any class ends up as an element's evidence without a
confirmation; every positive (case, punctuation, fillers, contractions, numbers written otherwise) is
kept without one. The model answers the confirmation requests by withdrawing, then by restating.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.lie_battery import LIES, POSITIVES, BatteryResult, battery, run_battery

# Two `vsm map` runs over every gold quote of the bundled examples: about 65 s each on a shared 2-core machine (80 s
# before windows that cannot match stopped being aligned), half of it locating the ~40,000 changed quotes before
# asking for confirmation (profiled 2026-12-06).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def withdrawn(tmp_path_factory: pytest.TempPathFactory) -> BatteryResult:
    return run_battery("withdraw", tmp_path_factory.mktemp("withdraw"))


@pytest.fixture(scope="module")
def restated(tmp_path_factory: pytest.TempPathFactory) -> tuple[BatteryResult, Path]:
    folder = tmp_path_factory.mktemp("restate")
    return run_battery("restate", folder), folder / "map.json"


def test_the_battery_covers_every_class_with_a_fixed_seed() -> None:
    variants = battery()

    assert [v.text for v in variants] == [v.text for v in battery()]  # the same battery on every machine
    counts = {kind: sum(v.kind == kind for v in variants) for kind in (*LIES, *POSITIVES)}
    assert all(count >= 30 for count in counts.values()), counts


def test_no_lie_is_evidence_without_a_confirmation_when_the_model_withdraws(withdrawn: BatteryResult) -> None:
    print("\n" + withdrawn.table())

    assert [(v.kind, v.text) for v in withdrawn.kept_lies] == []
    assert all(withdrawn.kept[kind] == 0 for kind in LIES)
    assert sum(withdrawn.asked.values()) > 0  # the confirmation path was exercised
    assert "withdrawn" in withdrawn.summary and "restated 0" in withdrawn.summary


def test_every_positive_is_kept_without_a_confirmation(withdrawn: BatteryResult) -> None:
    assert [(v.kind, v.gold.text, v.text) for v in withdrawn.lost_positives] == []
    assert [(v.kind, v.gold.text, v.text) for v in withdrawn.questioned_positives] == []
    assert all(withdrawn.kept[kind] == withdrawn.sent[kind] for kind in POSITIVES)


def test_the_confirmation_pass_adds_at_most_one_request_per_chunk(withdrawn: BatteryResult) -> None:
    assert 0 < withdrawn.confirmation_requests <= withdrawn.extraction_requests


def test_restated_elements_are_kept_with_the_sources_exact_words(restated: tuple[BatteryResult, Path]) -> None:
    result, map_file = restated

    assert all(result.kept[kind] == 0 for kind in LIES)
    assert sum(result.restated.values()) == sum(result.asked.values()) > 0
    value_map = json.loads(map_file.read_text(encoding="utf-8"))
    stages = [stage for stage in value_map["stages"] if stage["name"].startswith("Restated ")]
    assert len(stages) == sum(result.asked.values())
    for stage in stages:
        assert stage["detail"] == "As the source says it."
        assert [q["match"] for q in stage["evidence"]] == ["exact"]
        assert "claimed" not in stage["evidence"][0]
    assert "restated" in result.summary and "withdrawn 0" in result.summary


def test_a_pronoun_one_is_not_a_number_to_write_in_digits() -> None:
    """Seen on a new example: "That one's real" became "That 1's real", a misquote no model makes, and was then
    counted as a true quote that grounding lost."""
    import random

    from benchmarks.lie_battery import Gold, _number_written

    said = Gold("x", Path("x.md"), "Bettina", "That one's real, and two of them were not.")
    rewritten = _number_written(random.Random(0), said, None, [])  # type: ignore[arg-type]
    assert rewritten is not None and rewritten[0] == "That one's real, and 2 of them were not."
