"""`vsm review`'s list editor through Textual's Pilot: gives, gets, improvements and claims, as a person edits
them, and what the inspector, the saved map and `vsm check` then say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Button, Label, OptionList, Select, SelectionList

from agent.review import Decision, DecisionKind, open_review
from agent.review.session import ReviewSession, decision_log_path
from agent.storage.map_files import load_map
from agent.tui.review import ReviewApp
from agent.tui.review.details_form import DetailsScreen
from agent.tui.review.entries_form import EntriesScreen, EntryFormScreen
from schemas.elements import Benefit, Delivery, Give, GiveKind, Improvement
from tests.review_fixtures import check_codes, offline_map_file, type_into

SIZE = (160, 48)
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def session(tmp_path: Path) -> ReviewSession:
    return open_review(offline_map_file(tmp_path), person="Ana")


async def _choose(pilot, widget_id: str, label: str) -> None:  # type: ignore[no-untyped-def]
    """Open a drop-down of the form and move to the option shown as `label`, then Enter."""
    select = pilot.app.screen.query_one(f"#{widget_id}", Select)
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    labels = [str(prompt) for prompt, _ in select._options]
    now = labels.index(next(str(p) for p, v in select._options if v == select.value))
    target = labels.index(label)
    await pilot.press(*(["down"] * (target - now) if target >= now else ["up"] * (now - target)), "enter")
    await pilot.pause()


def _shown(app: ReviewApp, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}").render())


def _entries_shown(app: ReviewApp) -> list[str]:
    listed = app.screen.query_one("#entries-list", OptionList)
    return [str(listed.get_option_at_index(n).prompt) for n in range(listed.option_count)]


async def test_a_give_added_to_a_one_sided_exchange_shows_in_the_inspector_the_saved_map_and_vsm_check(
        session: ReviewSession) -> None:
    exchange = session.value_map.exchanges[0]
    for _ in exchange.customer_gives:  # as an extractor that heard nothing given would leave it
        session.decide(Decision(kind=DecisionKind.REMOVE_ENTRY, element_id=exchange.id, name="customer_gives", index=0))
    assert "one-sided-exchange" in check_codes(session.path, exchange.id)
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(exchange.id)
        await pilot.press("i")
        assert isinstance(app.screen, EntriesScreen)
        assert "  + add a give" in _entries_shown(app)
        app.screen.query_one("#entries-list", OptionList).highlighted = _entries_shown(app).index("  + add a give")
        await pilot.press("enter")
        assert isinstance(app.screen, EntryFormScreen)
        await _choose(pilot, "entry-kind", "time")
        await type_into(pilot, "entry-detail", "about two minutes")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntriesScreen)
        assert "  1. time: about two minutes" in _entries_shown(app)
        assert "Added give 'time: about two minutes' to customer gives" in _shown(app, "entries-status")
        await pilot.press("escape")
        await pilot.pause()
        inspector = str(app.query_one("#map-inspector").render())
        assert "Customer gives (1)" in inspector and "· time: about two minutes" in inspector
        assert "one-sided-exchange" not in {f.code for f in app.session.report.findings if exchange.id in f.element_ids}
    saved = next(e for e in load_map(session.path).exchanges if e.id == exchange.id)
    assert saved.customer_gives == [Give(kind=GiveKind.TIME, detail="about two minutes")]
    assert "one-sided-exchange" not in check_codes(session.path, exchange.id)


async def test_a_claim_removed_then_undone_and_the_log_tells_it(session: ReviewSession) -> None:
    proposition = next(p for p in session.value_map.propositions if len(p.claims) >= 2)
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(proposition.id)
        await pilot.press("i")
        listed = app.screen.query_one("#entries-list", OptionList)
        listed.highlighted = _entries_shown(app).index(f"  2. {proposition.claims[1]}")
        await pilot.press("x")
        await pilot.pause()
        assert f"  2. {proposition.claims[1]}" not in _entries_shown(app)
        assert next(p for p in load_map(session.path).propositions if p.id == proposition.id).claims == [
            proposition.claims[0], *proposition.claims[2:]]
        await pilot.press("escape", "u")  # undone from the map, like every decision
        await pilot.pause()
        assert next(p for p in load_map(session.path).propositions if p.id == proposition.id).claims == proposition.claims
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("x")  # the first claim this time; undone inside the editor
        await pilot.pause()
        assert len(next(p for p in load_map(session.path).propositions if p.id == proposition.id).claims) == \
            len(proposition.claims) - 1
        await pilot.press("u")
        await pilot.pause()
        assert _entries_shown(app)[1] == f"  1. {proposition.claims[0]}"
        assert next(p for p in load_map(session.path).propositions if p.id == proposition.id).claims == proposition.claims
    kinds = [json.loads(line)["kind"] for line in decision_log_path(session.path).read_text().splitlines()]
    assert kinds == ["remove_entry", "undo", "remove_entry", "undo"]


async def test_a_bad_value_is_refused_in_the_entry_form_and_nothing_is_saved(session: ReviewSession) -> None:
    proposition = session.value_map.propositions[0]
    exchange = session.value_map.exchanges[0]
    before = session.path.read_text()
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(proposition.id)
        await pilot.press("i", "a")
        assert isinstance(app.screen, EntryFormScreen)
        await pilot.press("space", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryFormScreen)  # still open: the person fixes it there
        assert _shown(app, "entry-problem") == "Claim: '' is empty; type one benefit the statement makes, in its words"
        await pilot.press("escape", "escape")
        await pilot.pause()
        app._select(exchange.id)
        await pilot.press("i")
        listed = app.screen.query_one("#entries-list", OptionList)
        listed.highlighted = _entries_shown(app).index("  + add a benefit")
        await pilot.press("enter")
        await type_into(pilot, "entry-what", "   ")
        await pilot.press("enter")
        await pilot.pause()
        assert _shown(app, "entry-problem").startswith("What: '' is empty; type what the customer gets")
        await pilot.press("escape", "escape")
        await pilot.pause()
    assert session.path.read_text() == before and not decision_log_path(session.path).exists()


async def test_a_benefit_is_delivered_at_a_stage_chosen_by_name(session: ReviewSession) -> None:
    exchange = next(e for e in session.value_map.exchanges if e.organisation_gives)
    gets = len(exchange.organisation_gives)
    stage = sorted(session.value_map.stages, key=lambda s: s.order)[2]
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(exchange.id)
        await pilot.press("d")  # from the details form, its Lists button
        assert isinstance(app.screen, DetailsScreen)
        assert str(app.screen.query_one("#details-lists", Button).label).startswith("Lists: customer gives ")
        await pilot.click("#details-lists")
        await pilot.pause()
        assert isinstance(app.screen, EntriesScreen)
        listed = app.screen.query_one("#entries-list", OptionList)
        shown = _entries_shown(app)
        listed.highlighted = next(n for n, text in enumerate(shown) if text.startswith("  1. ")
                                  and n > shown.index(f"Customer gets ({gets})"))
        await pilot.press("enter")
        await type_into(pilot, "entry-what", "a free first consultation")
        await _choose(pilot, "entry-delivery", "delivered")
        await _choose(pilot, "entry-delivered_at_stage_id", stage.name[:60])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert f"  1. a free first consultation (delivered at {stage.name})" in _entries_shown(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DetailsScreen)
        assert f"customer gets {gets}" in str(app.screen.query_one("#details-lists", Button).label)
        await pilot.press("escape")
        await pilot.pause()
        assert "a free first consultation (delivered at" in str(app.query_one("#map-inspector").render())
    saved = next(e for e in load_map(session.path).exchanges if e.id == exchange.id)
    assert saved.organisation_gives[0] == Benefit(what="a free first consultation", delivery=Delivery.DELIVERED,
                                                  delivered_at_stage_id=stage.id)


async def test_an_improvement_takes_the_passage_selected_in_the_transcript_as_its_quote(session: ReviewSession) -> None:
    stage = next(s for s in session.value_map.stages if s.verified_evidence and not s.customer_visible)
    transcript = session.transcript("interview")
    assert transcript is not None
    words = "most of them with just a name"
    at = transcript.text.index(words)
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(stage.id)
        app.source_id = "interview"
        app._show_transcript()
        app.transcript_view.select_offsets(at, at + len(words))  # what dragging the mouse over the words does
        app.map_list.focus()
        await pilot.press("i", "a")
        form = app.screen
        assert isinstance(form, EntryFormScreen)
        evidence = form.query_one("#entry-evidence", SelectionList)
        assert "(selected in the transcript)" in str(evidence.get_option_at_index(0).prompt)
        assert list(evidence.selected) == []  # offered, never picked for the person
        await type_into(pilot, "entry-description", "verified badge added")
        evidence.focus()
        await pilot.press("space")  # pick the selected passage
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "  1. verified badge added (1 quote)" in _entries_shown(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.query_one("#status", Label), Label)
    saved = next(s for s in load_map(session.path).stages if s.id == stage.id)
    assert len(saved.improvements) == 1
    improvement: Improvement = saved.improvements[0]
    assert improvement.description == "verified badge added"
    assert [(q.text, q.source_id, q.start, q.end, q.verified) for q in improvement.evidence] == [
        (words, "interview", at, at + len(words), True)]
    assert "efficiency-trap" in check_codes(session.path, stage.id)


async def test_an_element_without_lists_says_so(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(session.value_map.veps[0].id)
        await pilot.press("i")
        await pilot.pause()
        assert not isinstance(app.screen, EntriesScreen)
        assert "has no lists" in " ".join(str(n.message) for n in app._notifications)


async def test_transcript_words_with_markup_show_as_typed_in_the_list_editor(session: ReviewSession) -> None:
    stage = sorted(session.value_map.stages, key=lambda s: s.order)[0]
    session.decide(Decision(kind=DecisionKind.EDIT, element_id=stage.id, name="[red]Sign[/red] up", detail=""))
    proposition = session.value_map.propositions[0]
    session.decide(Decision(kind=DecisionKind.ADD_ENTRY, element_id=proposition.id, name="claims",
                            values={"text": "[b]no hourly surprises[/b] [link=http://x]"}))
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._select(proposition.id)
        await pilot.press("i")
        await pilot.pause()
        assert "[b]no hourly surprises[/b] [link=http://x]" in app.export_screenshot().replace("&#160;", " ")
        await pilot.press("escape")
        app._select(session.value_map.exchanges[0].id)
        await pilot.press("i")
        await pilot.pause()
        listed = app.screen.query_one("#entries-list", OptionList)
        listed.highlighted = _entries_shown(app).index("  + add a benefit")
        await pilot.press("enter")
        await _choose(pilot, "entry-delivered_at_stage_id", "[red]Sign[/red] up")
        assert "[red]Sign[/red]" in app.export_screenshot().replace("&#160;", " ")
