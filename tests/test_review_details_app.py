"""`vsm review`'s details form and stage moves through Textual's Pilot, and what `vsm check` then says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Label

from agent.review import open_review
from agent.review.session import ReviewSession, decision_log_path
from agent.storage.map_files import load_map
from agent.tui.review import ReviewApp
from agent.tui.review.details_form import DetailsScreen
from schemas.elements import Threshold
from tests.review_fixtures import check_codes, offline_map_file, type_into

SIZE = (160, 48)
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def session(tmp_path: Path) -> ReviewSession:
    return open_review(offline_map_file(tmp_path), person="Ana")


def _final_id(session: ReviewSession) -> str:
    return next(t.id for t in session.value_map.thresholds if t.is_final)


def _saved_final(session: ReviewSession, element_id: str) -> Threshold:
    found = next(t for t in load_map(session.path).thresholds if t.id == element_id)
    assert found.purchase is not None
    return found


async def _type(pilot, path: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click into a field of the details form (by its field path), clear it and type, as a person does."""
    await type_into(pilot, f"detail-{path.replace('.', '-').replace('_', '-')}", text)


async def test_the_purchase_numbers_set_in_the_form_change_what_vsm_check_finds(session: ReviewSession) -> None:
    final = _final_id(session)
    assert "value-unreckoned" in check_codes(session.path, final)
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(final)
        await pilot.press("d")
        assert isinstance(app.screen, DetailsScreen)
        await _type(pilot, "purchase.price.amount", "49")
        await _type(pilot, "purchase.price.period", "month")
        await _type(pilot, "purchase.perceived_value", "110")
        await _type(pilot, "purchase.accumulated_loss", "140")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, DetailsScreen)
        saved = _saved_final(session, final)
        assert saved.purchase is not None and saved.purchase.price is not None
        assert (saved.purchase.price.amount, saved.purchase.price.period) == (49, "month")
        assert saved.purchase.surviving_value == -30
        assert "value-not-surviving" in {f.code for f in app.session.report.findings}
    codes = check_codes(session.path, final)
    assert "value-not-surviving" in codes and "value-unreckoned" not in codes

    app = ReviewApp(open_review(session.path, person="Ana"))  # a second sitting lowers the loss, adds a discount
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(final)
        await pilot.press("d")
        await _type(pilot, "purchase.accumulated_loss", "40")
        await _type(pilot, "purchase.compensation", "discount: first box half price")
        await pilot.click("#details-save")
        await pilot.pause()
    codes = check_codes(session.path, final)
    assert "value-not-surviving" not in codes and "subsidized-growth" in codes
    kinds = [json.loads(line)["kind"] for line in decision_log_path(session.path).read_text().splitlines()]
    assert kinds == ["set_details", "set_details"]


async def test_a_bad_number_is_refused_in_the_form_and_nothing_is_saved(session: ReviewSession) -> None:
    final = _final_id(session)
    before = session.path.read_text()
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(final)
        await pilot.press("d")
        for bad, said in (("forty", "is not a number"), ("-5", "is below 0"), ("NaN", "is not a number a check")):
            await _type(pilot, "purchase.price.amount", bad)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, DetailsScreen)  # still open: the person fixes it there
            problem = str(app.screen.query_one("#details-problem", Label).render())
            assert problem.startswith(f"Price: amount: '{bad}' {said}") and "type a number of 0 or more" in problem
        assert session.path.read_text() == before and not decision_log_path(session.path).exists()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DetailsScreen) and session.path.read_text() == before


async def test_a_stage_moves_earlier_and_later_the_list_follows_and_undo_restores(session: ReviewSession) -> None:
    order = [s.id for s in sorted(session.value_map.stages, key=lambda s: s.order)]
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(order[2])
        await pilot.press("less_than_sign")
        await pilot.pause()
        moved = [order[0], order[2], order[1], *order[3:]]
        on_disk = sorted(load_map(session.path).stages, key=lambda s: s.order)
        assert [s.id for s in on_disk] == moved and [s.order for s in on_disk] == list(range(len(order)))
        listed = [i for i in app.map_list.element_ids() if i in order]
        assert listed == moved  # the map list shows the new order at once
        assert app.map_list.selected_id == order[2]
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert [s.id for s in sorted(load_map(session.path).stages, key=lambda s: s.order)][3] == order[2]
        await pilot.press("u", "u", "u")
        await pilot.pause()
        assert [s.id for s in sorted(load_map(session.path).stages, key=lambda s: s.order)] == order
        assert [i for i in app.map_list.element_ids() if i in order] == order
        app._select(order[0])
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert "is the first stage already" in " ".join(str(n.message) for n in app._notifications)


async def test_details_and_moves_are_in_help_footer_and_palette(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        commands = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Details", "Earlier", "Later"} <= commands
        footer_keys = {key for key, b in app.active_bindings.items() if b.binding.show}
        assert "d" in footer_keys
        await pilot.press("f1")
        await pilot.pause()
        shown = app.export_screenshot()  # what the person sees, as SVG text
        assert "Details" in shown and "Earlier" in shown and "&lt;" in shown and "&gt;" in shown


async def test_the_inspector_shows_the_purchase_scorecard_after_the_form(session: ReviewSession) -> None:
    final = _final_id(session)
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(final)
        await pilot.press("d")
        await _type(pilot, "purchase.price.amount", "53.94")
        await _type(pilot, "purchase.price.period", "week")
        await _type(pilot, "purchase.perceived_value", "60")
        await _type(pilot, "purchase.accumulated_loss", "25")
        await pilot.press("enter")
        await pilot.pause()
        shown = str(app.query_one("#map-inspector").render())
        assert "price 53.94 EUR/week · perceived value 60 · accumulated loss 25 · surviving value 35" in shown
