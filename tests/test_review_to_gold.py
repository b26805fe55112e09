"""Done when: the offline map of a bundled example reaches its gold map entirely through `vsm review`'s keys.

The scripted consultant (`benchmarks.review_to_gold`) only presses the app's keys; the map it leaves on
disk is scored with `vsm eval`'s rules (here without an embedder: evidence overlap and identical text).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.review.session import decision_log_path
from agent.storage.map_files import load_map
from benchmarks.review_to_gold import replay_to_gold
from schemas.evidence import Review

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_the_offline_map_reaches_the_gold_through_the_apps_actions(tmp_path: Path) -> None:
    result = await replay_to_gold("meal-kit-subscription", embedder=None, folder=tmp_path,
                                size=(120, 30))  # the smallest side-by-side layout: less to draw per key
    assert result.before.overall.f1 is not None and result.before.overall.f1 < 0.8
    after = result.after.overall
    assert (after.precision, after.recall, after.f1) == (1.0, 1.0, 1.0), result.after.types
    assert result.refused == []
    reviewed = load_map(tmp_path / "meal-kit-subscription.json")
    assert all(e.provenance.review is not Review.PROPOSED for e in reviewed.elements())  # a person stands behind all
    logged = [json.loads(line) for line in decision_log_path(tmp_path / "meal-kit-subscription.json").read_text().splitlines()]
    assert len(logged) == result.total and all(d["person"] == "Scripted consultant" for d in logged)
    assert {"create", "reject", "link", "edit", "set_details"} <= set(result.decisions)
    # beyond which elements exist: the gold's stage order, its purchase and its metrics, typed in the app
    assert result.stage_order_equal and result.purchase_equal, reviewed.stages
    assert result.metrics_equal[0] == result.metrics_equal[1] > 0
    # and the lists inside elements, entry by entry, through the list editor (`i`)
    assert set(result.lists_equal) == {"customer_gives", "organisation_gives", "improvements", "claims"}
    assert all(equal == total > 0 for equal, total in result.lists_equal.values()), result.lists_equal
    assert {"add_entry", "edit_entry"} <= set(result.decisions)
