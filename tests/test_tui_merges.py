"""Inside a workspace, the interview's map pane shows the engagement's uncertain merges, and `a` / `r`
decide them: the decision lands where `vsm synthesize` keeps it and the engagement map is rebuilt."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.engagement import DECISIONS, pending_merges, synthesize_workspace
from agent.interview.engagement_context import EngagementContext, workspace_merge_desk
from agent.interview.engine import InterviewEngine
from agent.interview.session_log import SessionLog
from agent.interview.session_state import SessionState
from agent.storage import Workspace, load_map, save_map, write_text_atomic
from agent.tui.app import InterviewApp
from agent.tui.map_pane import MapList, MapPane
from agent.tui.map_pane.map_list import MERGE_PREFIX
from schemas.engagement import MergeDecision, MergeDecisions, RegisteredSource, SourceIndex
from schemas.interview import MetaEvent
from tests.test_checks import KeywordEmbedder
from tests.test_synthesis import SALES, source_map
from tests.test_tui_fakes import AT, OFFLINE_MODE, fixed_clock
from tests.test_tui_interview import SIZE, wait_for

pytestmark = pytest.mark.anyio

# Told by operations: the same step as sales' "Mark lawyers", in other words (0.7-0.85 alike: unsure).
OPERATIONS = source_map("ops-call", "Olga", vep_name="Choose a lawyer from the database",
                        statement="A lawyer fast", audience="SMB owners")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def engagement_with_an_open_merge(root: Path) -> Workspace:
    """A workspace of two mapped sources whose VEPs synthesis is unsure about."""
    workspace = Workspace.init(root)
    sources = []
    for source_id, value_map in (("sales-call", SALES), ("ops-call", OPERATIONS)):
        map_file = f"maps/sources/{source_id}.json"
        save_map(workspace.root / map_file, value_map)
        sources.append(RegisteredSource(id=source_id, file=f"{source_id}.md", original_path=f"{source_id}.md",
                                        content_hash=source_id, added=datetime(2026, 11, 2, tzinfo=UTC),
                                        map_file=map_file))
    write_text_atomic(workspace.root / "sources/index.json", SourceIndex(sources=sources).model_dump_json())
    synthesize_workspace(workspace, embedder=KeywordEmbedder())
    assert [p.collection for p in pending_merges(workspace)] == ["veps"]
    return workspace


def interview_in(workspace: Workspace) -> InterviewApp:
    meta = MetaEvent(session_id="20261102-0900-maria-test", stakeholder="Maria", role="Head of Growth", started=AT)
    context = EngagementContext(engagement_map=load_map(workspace.map_path()),
                                merges=workspace_merge_desk(workspace.root, "minilm"))
    engine = InterviewEngine(SessionLog.create(workspace.folder("sessions"), meta), SessionState.new(meta),
                             embedder=KeywordEmbedder(), clock=fixed_clock, context=context)
    return InterviewApp(engine, mode=OFFLINE_MODE)


def decisions(workspace: Workspace) -> dict[str, MergeDecision]:
    return MergeDecisions.model_validate_json((workspace.root / DECISIONS).read_text(encoding="utf-8")).decisions


def merge_rows(app: InterviewApp) -> list[str]:
    return [o.id for o in app.query_one(MapList).options if o.id and o.id.startswith(MERGE_PREFIX)]


async def test_a_merges_the_proposed_pair_and_rebuilds_the_engagement_map(tmp_path: Path) -> None:
    workspace = engagement_with_an_open_merge(tmp_path / "acme")
    assert len(load_map(workspace.map_path()).veps) == 2
    app = interview_in(workspace)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(MapPane)
        assert len(merge_rows(app)) == 1
        assert "to merge" in str(app.query_one("#side-tabs").get_tab("map").label)  # type: ignore[attr-defined]
        app.query_one(MapList).focus()
        await pilot.pause()
        proposal = pane.selected_merge
        assert proposal is not None and {proposal.first_name, proposal.second_name} == {
            "Mark lawyers", "Choose a lawyer from the database"}
        assert "one value evocation point or two?" in str(app.query_one("#map-inspector").render())
        await pilot.press("a")
        await wait_for(pilot, lambda: app._merge_map_shown == 1)
        assert decisions(workspace) == {proposal.key: MergeDecision.MERGE}
        assert len(load_map(workspace.map_path()).veps) == 1  # the workspace's engagement map, rebuilt
        engagement_map = app.engine.context.engagement_map
        assert engagement_map is not None and engagement_map.veps[0].corroboration == 2
        assert merge_rows(app) == [] and pending_merges(workspace) == []


async def test_r_keeps_the_pair_apart_and_e_does_not_edit_a_merge(tmp_path: Path) -> None:
    workspace = engagement_with_an_open_merge(tmp_path / "acme")
    app = interview_in(workspace)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(MapList).focus()
        await pilot.pause()
        proposal = app.query_one(MapPane).selected_merge
        assert proposal is not None
        await pilot.press("e")
        await pilot.pause()
        assert not (workspace.root / DECISIONS).exists()  # nothing decided, no edit screen
        assert any("decided, not edited" in n.message for n in app._notifications)
        await pilot.press("r")
        await wait_for(pilot, lambda: app._merge_map_shown == 1)
        assert decisions(workspace) == {proposal.key: MergeDecision.KEEP_APART}
        assert len(load_map(workspace.map_path()).veps) == 2
        assert merge_rows(app) == []


def test_the_open_merges_go_with_a_removed_source_and_decided_ones_are_not_pending(tmp_path: Path) -> None:
    from agent.engagement import record_decisions, remove_source

    workspace = engagement_with_an_open_merge(tmp_path / "acme")
    (proposal,) = pending_merges(workspace)
    record_decisions(workspace, {proposal.key: MergeDecision.KEEP_APART})
    assert pending_merges(workspace) == []
    workspace = engagement_with_an_open_merge(tmp_path / "other")
    remove_source(workspace, "ops-call")
    assert pending_merges(workspace) == []
