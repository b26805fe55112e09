"""Screens of the interview app as SVG snapshots: 80x24 (one pane at a time) and 160x48 (side by side).

Deterministic: a fixed clock and session id, the offline writer and extractor, no clock on screen and
the cursor not blinking. After a deliberate change of the layout: `pytest tests/test_tui_snapshots.py
--snapshot-update`, then look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Tabs

from agent.tui.app import InterviewApp, Phase
from agent.tui.chat import AnswerBox
from tests.test_tui_fakes import ANSWER, OFFLINE_MODE, SECOND_ANSWER, new_engine

SnapCompare = Callable[..., bool]


def answered(*answers: str, keys: tuple[str, ...] = ()) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, InterviewApp)
        box = app.query_one(AnswerBox)
        box.cursor_blink = False
        for text in answers:
            await _until_asked(pilot, app)
            box.insert(text)
            await pilot.press("enter")
            await pilot.pause()
        await _until_asked(pilot, app)
        for key in keys:
            await pilot.press(key)
        # On a loaded machine the map pane may still be redrawing after the question is asked: let every worker
        # finish and the screen settle before the picture is taken.
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await _until_underlined(pilot, app)

    return run_before


async def _until_underlined(pilot: Pilot[None], app: InterviewApp) -> None:
    """A tab whose label grew ("Map (4)" -> "Map (4, 1 to correct)") gets its underline redrawn on a timer, then
    slid there; a loaded machine once took the picture before it moved. Wait until it spans the active tab.

    Textual (8.2) measures where to move it after the next refresh; on a loaded machine (CI, 2026-12-06) that
    refresh came before the relabelled tab was laid out again, and the underline stayed at the old label's width
    for good. After 5 s the tabs are asked to place it again, without the slide, as a resize would."""
    for tabs in app.query(Tabs):
        underline = tabs.query_one("Underline")
        drawn: tuple[object, object] = (None, None)
        span: tuple[int, int] | None = None
        for attempt in range(500):
            active = tabs.active_tab
            if active is None:
                break
            span = active.virtual_region.shrink(active.styles.gutter).column_span
            drawn = (getattr(underline, "highlight_start", None), getattr(underline, "highlight_end", None))
            if drawn == span:
                break
            if attempt == 250:
                tabs._highlight_active(animate=False)  # Textual's own placement, not ours
            await pilot.pause(0.02)
        else:
            raise AssertionError(f"the underline of {tabs.id or 'the tabs'} never reached its tab: drawn at {drawn}, "
                                 f"the tab spans {span}")


async def _until_asked(pilot: Pilot[None], app: InterviewApp) -> None:
    for _ in range(250):
        if app.phase is Phase.ASKED:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"the app is stuck in phase {app.phase}")


def test_main_screen_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = InterviewApp(new_engine(tmp_path), mode=OFFLINE_MODE)
    assert snap_compare(app, terminal_size=(80, 24), run_before=answered(ANSWER))


def test_map_pane_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = InterviewApp(new_engine(tmp_path), mode=OFFLINE_MODE)
    assert snap_compare(app, terminal_size=(80, 24), run_before=answered(ANSWER, keys=("f2",)))


def test_findings_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = InterviewApp(new_engine(tmp_path), mode=OFFLINE_MODE)
    assert snap_compare(app, terminal_size=(80, 24), run_before=answered(ANSWER, keys=("f4",)))


def test_main_screen_at_160x48(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = InterviewApp(new_engine(tmp_path), mode=OFFLINE_MODE)
    assert snap_compare(app, terminal_size=(160, 48), run_before=answered(ANSWER, SECOND_ANSWER))


CORRECTION = "The incomplete database isn't a resistance, we chose to let customers pick."


def test_a_correction_to_decide_heads_the_map_at_160x48(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app = InterviewApp(new_engine(tmp_path), mode=OFFLINE_MODE)
    assert snap_compare(app, terminal_size=(160, 48), run_before=answered(ANSWER, CORRECTION))
