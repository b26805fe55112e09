"""Screens of `vsm review` as SVG snapshots, at 80x24 (one side at a time) and 160x48 (side by side).

Deterministic: the offline map of a bundled example, the cursor not blinking. After a deliberate change
of the layout: `pytest tests/test_review_snapshots.py --snapshot-update`, then look at the new SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from agent.review import open_review
from agent.tui.review import ReviewApp
from tests.review_fixtures import offline_map_file

SnapCompare = Callable[..., bool]


def keys(*pressed: str, select: str | None = None) -> Callable[[Pilot[None], ], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, ReviewApp)
        app.transcript_view.cursor_blink = False
        await pilot.pause()
        if select is not None:
            while app.source_id != "interview":
                await pilot.press("s")
            transcript = app.session.transcript("interview")
            assert transcript is not None
            at = transcript.text.index(select)
            app.transcript_view.select_offsets(at, at + len(select))
        for key in pressed:
            await pilot.press(key)
        await pilot.pause()

    return run_before


def _app(tmp_path: Path) -> ReviewApp:
    return ReviewApp(open_review(offline_map_file(tmp_path), person="Ana"))


def test_review_at_160x48(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(160, 48), run_before=keys())


def test_review_transcript_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=keys())


def test_review_map_side_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=keys("f2"))


def test_new_element_from_a_selection_at_160x48(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(160, 48),
                        run_before=keys("n", select="most of them with just a name"))


def test_help_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=keys("f1"))


def test_details_form_of_the_final_threshold_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        from textual.widgets import Input

        app = pilot.app
        assert isinstance(app, ReviewApp)
        app.transcript_view.cursor_blink = False
        await pilot.pause()
        app._select(next(t.id for t in app.session.value_map.thresholds if t.is_final))
        await pilot.press("d")
        await pilot.pause()
        for box in app.screen.query(Input):
            box.cursor_blink = False
        await pilot.press("tab", "tab", "tab", "tab", "tab", "f", "o", "r", "t", "y", "enter")  # price: a refused word
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=run_before)


def _exchange_lists(*pressed: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """The list editor of the map's first exchange, then `pressed` (the cursor not blinking)."""
    async def run_before(pilot: Pilot[None]) -> None:
        from textual.widgets import Input

        app = pilot.app
        assert isinstance(app, ReviewApp)
        app.transcript_view.cursor_blink = False
        await pilot.pause()
        app._select(app.session.value_map.exchanges[0].id)
        await pilot.press("f2", "i")  # the map side, as a narrow terminal shows it, then the lists
        await pilot.pause()
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
        for box in app.screen.query(Input):
            box.cursor_blink = False
        await pilot.pause()

    return run_before


def test_list_editor_of_an_exchange_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=_exchange_lists())


def test_a_benefit_refused_in_its_form_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    keys_typed = ("end", "enter", "enter")  # the last row, "+ add a benefit", saved with nothing in "What"
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=_exchange_lists(*keys_typed))
