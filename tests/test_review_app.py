"""`vsm review` through Textual's Pilot: each action a consultant takes, and what it leaves on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from agent.review import open_review
from agent.review.editing import dependents
from agent.review.session import ReviewSession, decision_log_path
from agent.storage.map_files import load_map
from agent.tui.map_pane import EditElementScreen
from agent.tui.review import ReviewApp
from agent.tui.review.dialogs import ChooseScreen, NewElementScreen, ReviewHelpScreen
from schemas.evidence import ProposedBy, Review
from tests.review_fixtures import offline_map_file

SIZE = (160, 48)
pytestmark = pytest.mark.anyio  # anyio's pytest plugin runs the async tests, on asyncio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def session(tmp_path: Path) -> ReviewSession:
    return open_review(offline_map_file(tmp_path), person="Ana")


def _element(session: ReviewSession, element_id: str):  # type: ignore[no-untyped-def]
    return next(e for e in load_map(session.path).elements() if e.id == element_id)


def _total(session: ReviewSession) -> int:
    return load_map(session.path).element_count()


async def _show_source(pilot, source_id: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        if pilot.app.source_id == source_id:
            return
        await pilot.press("s")
    assert pilot.app.source_id == source_id


async def _choose(pilot, words: str) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, ChooseScreen)
    for character in words:
        await pilot.press(character if character != " " else "space")
    await pilot.press("enter")
    await pilot.pause()


async def test_opens_on_the_first_proposed_element_with_its_quotes_highlighted(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = next(session.unreviewed())
        assert app.map_list.selected_id == first.id
        quote = first.verified_evidence[0]
        assert app.transcript_view.text == session.transcript(quote.source_id).text  # type: ignore[union-attr]
        assert app.transcript_view.selected_text == quote.text  # its words, in context
        highlighted = {name for row in app.transcript_view._highlights.values() for *_, name in row}
        assert {"stages", "veps", "thresholds", "focused"} <= highlighted


async def test_accept_confirms_saves_and_moves_to_the_next_proposed(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.map_list.selected_id
        assert first is not None
        await pilot.press("a")
        await pilot.pause()
        saved = _element(session, first)
        assert saved.provenance.review is Review.CONFIRMED and saved.provenance.person == "Ana"
        assert app.map_list.selected_id != first
        assert f"1/{_total(session)} confirmed" in str(app.query_one("#status").render())


async def test_edit_changes_name_and_detail(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        element_id = app.map_list.selected_id
        await pilot.press("e")
        assert isinstance(app.screen, EditElementScreen)
        app.screen.query_one("#edit-name", Input).value = "Sign up to see profiles"
        app.screen.query_one("#edit-name", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        saved = _element(session, element_id)  # type: ignore[arg-type]
        assert saved.name == "Sign up to see profiles" and saved.provenance.review is Review.EDITED


async def test_retype_makes_it_another_kind_with_the_same_quotes(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        stage = next(s for s in session.value_map.stages if not dependents(session.value_map, s.id))
        app._select(stage.id)
        await pilot.press("t")
        await _choose(pilot, "loss")
        on_disk = load_map(session.path)
        assert stage.id not in {e.id for e in on_disk.elements()}
        [loss] = [e for e in on_disk.losses if e.name == stage.name]
        assert loss.evidence == stage.evidence and loss.provenance.review is Review.EDITED


async def test_merge_folds_another_element_in(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keep, other = session.value_map.thresholds[0], session.value_map.thresholds[1]
        app._select(keep.id)
        await pilot.press("m")
        await _choose(pilot, f"[{other.id}]")
        on_disk = load_map(session.path)
        merged = next(t for t in on_disk.thresholds if t.id == keep.id)
        assert other.id not in {e.id for e in on_disk.elements()}
        assert all(q in merged.evidence for q in other.evidence)


async def test_reject_removes_it_and_undo_brings_it_back_redo_again(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        loss = session.value_map.losses[0]
        app._select(loss.id)
        await pilot.press("r")
        await pilot.pause()
        assert loss.id not in {e.id for e in load_map(session.path).elements()}
        await pilot.press("u")
        await pilot.pause()
        assert loss.id in {e.id for e in load_map(session.path).elements()}
        assert app.map_list.selected_id == loss.id
        await pilot.press("U")
        await pilot.pause()
        assert loss.id not in {e.id for e in load_map(session.path).elements()}
    kinds = [line.split('"kind":"')[1].split('"')[0] for line in decision_log_path(session.path).read_text().splitlines()]
    assert kinds == ["reject", "undo", "redo"]


async def test_keyboard_selection_becomes_a_new_element_credited_to_its_speaker(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        transcript = session.transcript("interview")
        assert transcript is not None
        words = "most of them with just a name"
        at = transcript.text.index(words)
        await _show_source(pilot, "interview")
        view = app.transcript_view
        view.focus()
        view.move_cursor(view.location_of(at))
        for _ in words:
            await pilot.press("shift+right")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewElementScreen)
        app.screen.query_one("#new-kind", OptionList).highlighted = 7  # losses
        await pilot.press("enter")
        app.screen.query_one("#new-name", Input).value = "Bare listings"
        await pilot.press("enter")
        await pilot.pause()
        [made] = [e for e in load_map(session.path).losses if e.name == "Bare listings"]
        [quote] = made.evidence
        assert quote.text == words and quote.speaker == "Marta Kowalski" and quote.start == at
        assert made.provenance.proposed_by is ProposedBy.PERSON and made.provenance.person == "Ana"


async def test_a_selection_across_turns_is_refused_with_the_reason_on_screen(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = load_map(session.path)
        await _show_source(pilot, "interview")
        app.transcript_view.select_offsets(150, 400)
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, NewElementScreen)
        assert any("runs across 2 turns" in n.message for n in app._notifications)
        app.transcript_view.select_offsets(20, 60)  # the consultant's question
        await pilot.press("v")
        await pilot.pause()
        assert any("interviewer's words" in n.message for n in app._notifications)
        assert load_map(session.path) == before


async def test_add_evidence_and_link(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        loss = session.value_map.losses[-1]
        duplication = next(d for d in session.value_map.duplications if d.id not in loss.duplication_ids)
        transcript = session.transcript("interview")
        assert transcript is not None
        at = transcript.text.index("It takes something like three hours")
        await _show_source(pilot, "interview")
        app.transcript_view.select_offsets(at, at + len("It takes something like three hours"))
        app._select(loss.id)
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("l")
        await _choose(pilot, f"[{duplication.id}]")
        saved = _element(session, loss.id)
        assert saved.evidence[-1].text == "It takes something like three hours"
        assert duplication.id in saved.duplication_ids  # type: ignore[attr-defined]


async def test_next_unreviewed_skips_what_was_decided(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ids = app.map_list.element_ids()
        app._select(ids[1])
        await pilot.press("a")  # confirms ids[1], moves on to ids[2]
        await pilot.pause()
        app._select(ids[0])
        await pilot.press("j")
        assert app.map_list.selected_id == ids[2]
        await pilot.press("k")
        assert app.map_list.selected_id == ids[0]


async def test_filter_by_type_and_by_speaker(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await _choose(pilot, "type: loss")
        assert set(app.map_list.element_ids()) == {e.id for e in session.value_map.losses}
        await pilot.press("f")
        await _choose(pilot, "speaker: dennis")
        shown = app.map_list.element_ids()
        assert shown and all(any(q.speaker == "Dennis Okafor" for q in session.element(i)[1].evidence) for i in shown)
        await pilot.press("f")
        await _choose(pilot, "everything")
        assert len(app.map_list.element_ids()) == session.value_map.element_count()


async def test_a_finding_jumps_to_its_elements_and_their_quote(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        index, finding = next((i, f) for i, f in enumerate(session.report.findings) if f.element_ids)
        await pilot.press("f4")
        findings = app.query_one("#findings", OptionList)
        findings.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert set(app.map_list.element_ids()) == set(finding.element_ids)
        _, element = session.element(app.map_list.selected_id)  # type: ignore[arg-type]
        quote = element.verified_evidence[0]
        assert app.source_id == quote.source_id and app.transcript_view.selected_text == quote.text


async def test_the_findings_rerun_after_a_change(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        missing_before = sum(f.code == "missing-exchange" for f in session.report.findings)
        assert session.value_map.exchanges and missing_before < len(session.value_map.thresholds)
        for exchange in list(session.value_map.exchanges):
            app._select(exchange.id)
            await pilot.press("r")
            await pilot.pause()
        after = session.report.findings
        assert sum(f.code == "missing-exchange" for f in after) == len(session.value_map.thresholds)
        assert app.query_one("#findings", OptionList).option_count == len(after)


async def test_search_finds_words_in_the_transcripts(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        for character in "forty-nine":
            await pilot.press(character)
        await pilot.press("enter")
        await pilot.pause()
        assert app.transcript_view.selected_text.casefold() == "forty-nine"


async def test_save_and_resume_in_a_new_app(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.map_list.selected_id
        await pilot.press("a")
        await pilot.press("ctrl+q")
    resumed = open_review(session.path, person="Ben")
    app = ReviewApp(resumed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.map_list.selected_id != first  # the first proposed one is now another
        assert f"1/{_total(session)} confirmed" in str(app.query_one("#status").render())


async def test_readonly_hides_the_deciding_keys_and_changes_nothing(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    before = path.read_text()
    app = ReviewApp(open_review(path, person="Ana", readonly=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in ("a", "r", "e", "n"):
            await pilot.press(key)
        await pilot.pause()
        assert not app.check_action("accept_element", ())
        assert app.screen is app.screen_stack[0]
    assert path.read_text() == before and not decision_log_path(path).exists()


async def test_help_lists_every_key_and_narrow_terminals_switch_panes(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.query_one("#transcript-pane").display or not app.query_one("#side-pane").display
        side_shown = app.query_one("#side-pane").display
        await pilot.press("f2")
        await pilot.pause()
        assert app.query_one("#side-pane").display != side_shown
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, ReviewHelpScreen)


async def test_fields_sets_one_of_the_elements_choices(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        stage = session.value_map.stages[0]
        app._select(stage.id)
        await pilot.press("c")
        await _choose(pilot, "value link: direct")
        assert _element(session, stage.id).value_link.value == "direct"  # type: ignore[attr-defined]


async def test_a_mouse_drag_over_words_selects_them_as_evidence(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _show_source(pilot, "interview")
        transcript = session.transcript("interview")
        assert transcript is not None
        words = "So the very first ask is the account."
        at = transcript.text.index(words)
        view = app.transcript_view
        view.move_cursor(view.location_of(at + len(words)))
        await pilot.pause()
        end = view.cursor_screen_offset
        view.move_cursor(view.location_of(at))
        await pilot.pause()
        start = view.cursor_screen_offset
        await pilot.mouse_down(offset=(start.x, start.y))
        await pilot.hover(offset=(end.x, end.y))
        await pilot.mouse_up(offset=(end.x, end.y))
        await pilot.pause()
        assert view.selected_text == words
        target = session.value_map.losses[0]
        app._select(target.id)
        await pilot.press("v")
        await pilot.pause()
        quote = _element(session, target.id).evidence[-1]
        assert quote.text == words and quote.speaker == "Marta Kowalski"


async def test_reject_moves_on_to_the_next_proposed_element(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ids = app.map_list.element_ids()
        first_loss = next(i for i, element_id in enumerate(ids) if element_id.startswith("loss-"))
        app._select(ids[first_loss])
        await pilot.press("r")
        await pilot.pause()
        assert app.map_list.selected_id == ids[first_loss + 1]


async def test_the_command_palette_runs_review_actions(session: ReviewSession) -> None:
    app = ReviewApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        selected = app.map_list.selected_id
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Accept", "Retype", "Merge", "Link", "Fields", "New", "Evidence", "Filter"} <= set(commands)
        assert "Undo" not in commands and "Redo" not in commands  # nothing decided yet
        await pilot.press("ctrl+p")
        await pilot.pause()
        for character in "Accept":
            await pilot.press(character)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert _element(session, selected).provenance.review is Review.CONFIRMED  # type: ignore[arg-type]
