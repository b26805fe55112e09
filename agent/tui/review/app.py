"""The review app: a transcript with every quote highlighted, the map beside it, the findings below.

Every key goes through one `ReviewSession` decision (saved before the screen changes); the widgets
only show. Narrow terminals (< 120 columns) show the transcript or the map side (F2 switches); wide
ones show both. Selection is the transcript's own (Shift+arrows, or the mouse): `n` makes an element
of it, `v` adds it as evidence, and the engine refuses what cannot be a quote, saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList

from agent.errors import VsmError
from agent.review.decisions import Decision, DecisionKind
from agent.review.editing import LINK_FIELDS, field_choices, kind_of, link_field
from agent.review.entries import entry_lists
from agent.review.session import ReviewSession
from agent.tui.map_pane import EditElementScreen, ElementEdit, ElementInspector
from agent.tui.review.actions import DECIDING, REVIEW_ACTIONS, review_bindings
from agent.tui.review.details_form import DetailsScreen
from agent.tui.review.dialogs import ChooseScreen, NewElement, NewElementScreen, ReviewHelpScreen
from agent.tui.review.entries_form import EntriesScreen
from agent.tui.review.panes import FindingsList, ReviewMapList
from agent.tui.review.transcript_view import TYPE_COLOURS, TranscriptView
from schemas.elements import Element
from schemas.evidence import Quote
from schemas.value_map import ELEMENT_COLLECTIONS

WIDE = 120
KINDS = [(c, kind_of(c)) for c in ELEMENT_COLLECTIONS]


class ReviewApp(App[None]):
    CSS_PATH = Path(__file__).with_name("review.tcss")
    TITLE = "Wasteless VSM review"
    BINDINGS: ClassVar[list[BindingType]] = review_bindings()
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]  # noqa: RUF012 (typed by App)

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.source_ids = [s.id for s in session.value_map.sources if session.transcript(s.id) is not None]
        self.source_id: str | None = self.source_ids[0] if self.source_ids else None
        self.filter_key: str | None = None  # "type:stages", "finding:3", "speaker:Name"
        self.search_words = ""
        self._quote_turn: dict[str, int] = {}  # which quote `g` shows next, per element

    # -- layout ---------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="transcript-pane"):
                yield Label("", id="transcript-title")
                yield TranscriptView(id="transcript")
                yield Input(placeholder="search the transcripts; Enter finds, Esc closes", id="search")
            with Vertical(id="side-pane"):
                yield ReviewMapList(id="map-list")
                yield ElementInspector(id="map-inspector")
                yield FindingsList(id="findings")
        yield Label("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        session = self.session
        self.title = f"Review: {session.value_map.title or session.path.name}"
        self.sub_title = ("read-only" if session.readonly else f"as {session.person}") + f" · {session.path.name}"
        self.query_one("#findings", FindingsList).border_title = "Findings"
        self.query_one("#map-list", ReviewMapList).border_title = "Map"
        for note in session.transcripts.notes:
            self.tell(note, severity="warning", timeout=10)
        self._refresh()
        self.query_one(ReviewMapList).focus()
        first = next(iter(session.unreviewed()), None)
        if first is not None:
            self._select(first.id)
            self._show_quote(first.id)

    def tell(self, message: str, *, severity: str = "information", timeout: float | None = None) -> None:
        """A notification; never markup, since it may quote a transcript."""
        self.notify(message, severity=severity, timeout=timeout or 4, markup=False)  # type: ignore[arg-type]

    # -- showing -----------------------------------------------------------------------------------------

    @property
    def map_list(self) -> ReviewMapList:
        return self.query_one("#map-list", ReviewMapList)

    @property
    def transcript_view(self) -> TranscriptView:
        return self.query_one("#transcript", TranscriptView)

    def _filtered(self) -> tuple[list[Element] | None, str]:
        key = self.filter_key
        value_map = self.session.value_map
        if key is None:
            return None, ""
        what, _, value = key.partition(":")
        if what == "type":
            return list(getattr(value_map, value)), f"{kind_of(value).upper()}S (f: all)"
        if what == "finding":
            findings = self.session.report.findings
            index = int(value)
            if index >= len(findings):
                return [], "that finding is gone"
            ids = findings[index].element_ids
            return ([e for e in value_map.elements() if e.id in ids],
                    f"FINDING {findings[index].code} (f: all)")
        if what == "speaker":
            return ([e for e in value_map.elements() if any(q.speaker == value for q in e.verified_evidence)],
                    f"QUOTING {value.upper()} (f: all)")
        if what == "unreviewed":
            return list(self.session.unreviewed()), "NOT REVIEWED (f: all)"
        return None, ""

    def _refresh(self) -> None:
        session = self.session
        shown, heading = self._filtered()
        self.map_list.show_elements(session.value_map, shown, heading)
        self.query_one("#findings", FindingsList).show(session.report)
        self._show_transcript()
        self._inspect()
        confirmed, total = session.counts()
        last = session.decisions[-1].summary if session.decisions else "no decision yet"
        self.query_one("#status", Label).update(
            f"{confirmed}/{total} confirmed · {total - confirmed} proposed · {len(session.report.findings)} findings"
            f" · {len(session.decisions)} decisions · last: {last}")
        self.query_one("#findings", FindingsList).border_title = f"Findings ({len(session.report.findings)})"
        self.query_one("#map-list", ReviewMapList).border_title = f"Map ({confirmed}/{total} confirmed)"

    def _show_transcript(self) -> None:
        view = self.transcript_view
        source_id = self.source_id
        transcript = self.session.transcript(source_id) if source_id else None
        view.show(transcript, self.session.spans(source_id) if source_id else [], self.map_list.selected_id)
        title = self.query_one("#transcript-title", Label)
        if transcript is None:
            title.update("No transcript found for this map's sources (see the notes)")
            return
        more = f" (s: next of {len(self.source_ids)})" if len(self.source_ids) > 1 else ""
        legend: list[str | tuple[str, str]] = []
        for collection, colour in TYPE_COLOURS.items():
            legend += [" ", (f" {kind_of(collection)} ", f"#f0f0f0 on {colour}")]
        title.update(Content.assemble((f"{source_id}{more}", "bold"), " ", *legend))

    def _inspect(self) -> None:
        self.query_one(ElementInspector).show(self.session.value_map, self.map_list.selected_id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is self.map_list:
            event.stop()
            self._inspect()
            self.transcript_view.focus_element(self.map_list.selected_id)  # the spans change only on _refresh

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list is self.map_list:
            self.action_jump_to_quote()
        elif isinstance(event.option_list, FindingsList) and event.option.id is not None:
            self._show_finding(int(event.option.id))

    def _show_finding(self, index: int) -> None:
        self.filter_key = f"finding:{index}"
        self._refresh()
        ids = self.map_list.element_ids()
        if ids:
            self._select(ids[0])
            self.action_jump_to_quote()
        self.map_list.focus()

    def _select(self, element_id: str) -> None:
        if not self.map_list.select_id(element_id):
            self.filter_key = None
            self._refresh()
            self.map_list.select_id(element_id)
        self._inspect()

    # -- deciding ---------------------------------------------------------------------------------------

    def _selected(self) -> str | None:
        element_id = self.map_list.selected_id
        if element_id is None:
            self.tell("Select an element in the map first.", severity="warning")
        return element_id

    def decide(self, decision: Decision, *, advance: bool = False) -> bool:
        """One decision through the session (saved); the screen follows. False, with the reason, if refused."""
        ids_before = self.map_list.element_ids()
        position = ids_before.index(decision.element_id) if decision.element_id in ids_before else 0
        try:
            done = self.session.decide(decision)
        except VsmError as err:
            self.tell(f"Not done: {err}", severity="warning", timeout=8)
            return False
        self._refresh()
        if advance:
            self._go_unreviewed(1, after=position)  # a rejected element left its place to the next one
        elif done.element_id is not None:
            self._select(done.element_id)
        self.tell(done.summary[:1].upper() + done.summary[1:] + ".")
        return True

    def action_accept_element(self) -> None:
        if (element_id := self._selected()) is not None:
            self.decide(Decision(kind=DecisionKind.ACCEPT, element_id=element_id), advance=True)

    def action_reject_element(self) -> None:
        if (element_id := self._selected()) is not None:
            self.decide(Decision(kind=DecisionKind.REJECT, element_id=element_id), advance=True)

    def action_edit_element(self) -> None:
        if (element_id := self._selected()) is None:
            return
        collection, element = self.session.element(element_id)
        self.push_screen(EditElementScreen(element, kind_of(collection)), callback=partial(self._edited, element_id))

    def _edited(self, element_id: str, edit: ElementEdit | None) -> None:
        if edit is not None:
            self.decide(Decision(kind=DecisionKind.EDIT, element_id=element_id, name=edit.name, detail=edit.detail))

    def action_retype_element(self) -> None:
        if (element_id := self._selected()) is None:
            return
        collection, element = self.session.element(element_id)
        choices = [(c, label) for c, label in KINDS if c != collection]
        self.push_screen(ChooseScreen(f"Retype “{element.name}” as", choices),
                         callback=partial(self._retyped, element_id))

    def _retyped(self, element_id: str, collection: str | None) -> None:
        if collection is not None:
            self.decide(Decision(kind=DecisionKind.RETYPE, element_id=element_id, collection=collection))

    def _element_choices(self, keep: Callable[[str, Element], bool]) -> list[tuple[str, str]]:
        return [(e.id, f"{kind_of(c)}: {e.name}  [{e.id}]") for c in ELEMENT_COLLECTIONS
                for e in getattr(self.session.value_map, c) if keep(c, e)]

    def action_merge_element(self) -> None:
        if (element_id := self._selected()) is None:
            return
        collection, element = self.session.element(element_id)
        choices = self._element_choices(lambda c, e: c == collection and e.id != element_id)
        self.push_screen(ChooseScreen(f"Merge into “{element.name}”", choices,
                                      hint="The chosen element's quotes and links join this one; it leaves the map."),
                         callback=partial(self._merged, element_id))

    def _merged(self, element_id: str, other_id: str | None) -> None:
        if other_id is not None:
            self.decide(Decision(kind=DecisionKind.MERGE, element_id=element_id, other_id=other_id))

    def action_link_element(self) -> None:
        if (element_id := self._selected()) is None:
            return
        collection, element = self.session.element(element_id)
        linkable = {b for a, b in LINK_FIELDS if a == collection} | {a for a, b in LINK_FIELDS if b == collection}
        choices = self._element_choices(lambda c, e: c in linkable and link_field(collection, c) is not None)
        self.push_screen(ChooseScreen(f"Link “{element.name}” to", choices), callback=partial(self._linked, element_id))

    def _linked(self, element_id: str, other_id: str | None) -> None:
        if other_id is not None:
            self.decide(Decision(kind=DecisionKind.LINK, element_id=element_id, other_id=other_id))

    def action_set_field(self) -> None:
        if (element_id := self._selected()) is None:
            return
        collection, element = self.session.element(element_id)
        choices = [(f"{name}={value}", f"{'✓' if now else ' '} {name.replace('_', ' ')}: {value.replace('_', ' ')}")
                   for name, value, now in field_choices(element)]
        self.push_screen(ChooseScreen(f"Set a field of {kind_of(collection)} “{element.name}”", choices,
                                      hint="✓ marks what it is now; a list (resources lacking) toggles the value."),
                         callback=partial(self._field_set, element_id))

    def _field_set(self, element_id: str, choice: str | None) -> None:
        if choice is not None:
            name, _, value = choice.partition("=")
            self.decide(Decision(kind=DecisionKind.SET_FIELD, element_id=element_id, name=name, detail=value))

    def action_edit_details(self) -> None:
        if (element_id := self._selected()) is None:
            return
        collection, element = self.session.element(element_id)
        lists = partial(self._entries_screen, element_id) if entry_lists(element) else None
        self.push_screen(DetailsScreen(element, kind_of(collection), lists=lists),
                         callback=partial(self._details_set, element_id))

    def _details_set(self, element_id: str, values: dict[str, str] | None) -> None:
        if values:
            self.decide(Decision(kind=DecisionKind.SET_DETAILS, element_id=element_id, values=values))
        else:
            self._lists_closed(element_id, None)  # the form may have opened the lists, which decide on their own

    def action_edit_lists(self) -> None:
        if (element_id := self._selected()) is None:
            return
        _, element = self.session.element(element_id)
        if not entry_lists(element):
            self.tell(f"A {element.kind_name} has no lists: an exchange has gives and gets, a stage improvements, a "
                      "proposition claims.", severity="warning")
            return
        self.push_screen(self._entries_screen(element_id), callback=partial(self._lists_closed, element_id))

    def _entries_screen(self, element_id: str) -> EntriesScreen:
        return EntriesScreen(self.session, element_id, self._transcript_selection())

    def _transcript_selection(self) -> Quote | None:
        """The passage selected in the transcript as a quote, or None (quietly: having none is usual)."""
        if self.source_id is None:
            return None
        start, end = self.transcript_view.offsets()
        if start == end:
            return None
        try:
            return self.session.quote(self.source_id, start, end)
        except VsmError:
            return None

    def _lists_closed(self, element_id: str, _element: Element | None) -> None:
        self._refresh()
        if any(e.id == element_id for e in self.session.value_map.elements()):
            self._select(element_id)

    def action_move_stage_earlier(self) -> None:
        self._move_stage("earlier")

    def action_move_stage_later(self) -> None:
        self._move_stage("later")

    def _move_stage(self, where: str) -> None:
        if (element_id := self._selected()) is not None:
            self.decide(Decision(kind=DecisionKind.MOVE_STAGE, element_id=element_id, detail=where))

    def _selected_quote(self) -> Decision | None:
        """The transcript's selection as a quote (in a decision), or None after saying why it is refused."""
        if self.source_id is None:
            self.tell("No transcript is shown, so nothing can be selected.", severity="warning")
            return None
        start, end = self.transcript_view.offsets()
        try:
            quote = self.session.quote(self.source_id, start, end)
        except VsmError as err:
            self.tell(f"Not a quote: {err}", severity="warning", timeout=8)
            return None
        return Decision(kind=DecisionKind.CREATE, quote=quote)

    def action_new_element(self) -> None:
        draft = self._selected_quote()
        if draft is None or draft.quote is None:
            return
        quote = draft.quote
        default = " ".join(quote.text.split())[:80]
        self.push_screen(NewElementScreen(quote.text, quote.speaker or "unnamed", KINDS, default),
                         callback=partial(self._created, draft))

    def _created(self, draft: Decision, new: NewElement | None) -> None:
        if new is not None:
            self.decide(draft.model_copy(update={"collection": new.collection, "name": new.name}))

    def action_add_evidence(self) -> None:
        if (element_id := self._selected()) is None:
            return
        draft = self._selected_quote()
        if draft is not None:
            self.decide(Decision(kind=DecisionKind.ADD_EVIDENCE, element_id=element_id, quote=draft.quote))

    def action_undo(self) -> None:
        self._undo_redo(self.session.undo)

    def action_redo(self) -> None:
        self._undo_redo(self.session.redo)

    def _undo_redo(self, step: Callable[[], Decision]) -> None:
        try:
            done = step()
        except VsmError as err:
            self.tell(str(err), severity="warning")
            return
        self._refresh()
        if done.element_id is not None:
            self.map_list.select_id(done.element_id)
            self._inspect()
        self.tell(done.summary[:1].upper() + done.summary[1:] + ".")

    # -- moving -------------------------------------------------------------------------------------------

    def _go_unreviewed(self, step: int, *, after: int | None = None) -> None:
        ids = self.map_list.element_ids()
        if not ids:
            return
        current = self.map_list.selected_id
        start = after if after is not None else (ids.index(current) if current in ids else -1)
        proposed = {e.id for e in self.session.unreviewed()}
        order = [ids[(start + step * i) % len(ids)] for i in range(0 if after is not None else 1, len(ids) + 1)]
        target = next((i for i in order if i in proposed), None)
        if target is None:
            self.tell("Every element shown has been reviewed.")
            return
        self._select(target)
        self._show_quote(target)  # walking the proposed elements: each one's words in context

    def _show_quote(self, element_id: str) -> None:
        """Show the element's first quote in its transcript, if it has one (no notice otherwise)."""
        _, element = self.session.element(element_id)
        if any(self.session.transcript(q.source_id) for q in element.verified_evidence if q.start is not None):
            self._quote_turn[element_id] = 0
            self.action_jump_to_quote(keep_side=True)

    def action_next_unreviewed(self) -> None:
        self._go_unreviewed(1)

    def action_previous_unreviewed(self) -> None:
        self._go_unreviewed(-1)

    def action_jump_to_quote(self, keep_side: bool = False) -> None:
        if (element_id := self._selected()) is None:
            return
        _, element = self.session.element(element_id)
        quotes = [q for q in element.verified_evidence if q.start is not None and q.end is not None
                  and self.session.transcript(q.source_id) is not None]
        if not quotes:
            self.tell("This element has no quote in a loaded transcript.", severity="warning")
            return
        turn = self._quote_turn.get(element_id, 0) % len(quotes)
        self._quote_turn[element_id] = turn + 1
        quote = quotes[turn]
        self.source_id = quote.source_id
        self._show_transcript()
        assert quote.start is not None and quote.end is not None
        self.transcript_view.select_offsets(quote.start, quote.end)
        if not keep_side and not self.screen.has_class("-wide"):
            self.screen.remove_class("-side")

    def action_next_source(self) -> None:
        if len(self.source_ids) > 1 and self.source_id is not None:
            self.source_id = self.source_ids[(self.source_ids.index(self.source_id) + 1) % len(self.source_ids)]
            self._show_transcript()

    def action_filter(self) -> None:
        value_map = self.session.value_map
        choices = [("all", "Everything"), ("unreviewed", "Not reviewed yet")]
        choices += [(f"type:{c}", f"Type: {label}s ({len(getattr(value_map, c))})") for c, label in KINDS]
        choices += [(f"finding:{i}", f"Finding: {f.code} ({len(f.element_ids)} elements) {f.reason[:60]}")
                    for i, f in enumerate(self.session.report.findings) if f.element_ids]
        speakers = sorted({q.speaker for e in value_map.elements() for q in e.verified_evidence if q.speaker})
        choices += [(f"speaker:{s}", f"Speaker: {s}") for s in speakers]
        self.push_screen(ChooseScreen("Show", choices), callback=self._filtered_by)

    def _filtered_by(self, key: str | None) -> None:
        if key is None:
            return
        self.filter_key = None if key == "all" else key
        self._refresh()
        self.map_list.focus()

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.add_class("-open")
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.search_words = event.value.strip()
            self.action_search_next()

    def on_key(self, event: Key) -> None:
        box = self.query_one("#search", Input)
        if event.key == "escape" and box.has_focus:
            box.remove_class("-open")
            self.transcript_view.focus()

    def action_search_next(self) -> None:
        words = self.search_words.casefold()
        if not words or not self.source_ids:
            return
        start_source = self.source_id or self.source_ids[0]
        _, cursor = self.transcript_view.offsets()
        order = self.source_ids[self.source_ids.index(start_source):] + self.source_ids[:self.source_ids.index(start_source) + 1]
        for n, source_id in enumerate(order):
            transcript = self.session.transcript(source_id)
            assert transcript is not None
            found = transcript.text.casefold().find(words, cursor if n == 0 else 0)
            if found >= 0 and not (n == len(order) - 1 and source_id == start_source and found >= cursor):
                self.source_id = source_id
                self._show_transcript()
                self.transcript_view.select_offsets(found, found + len(words))
                self.transcript_view.focus()
                return
        self.tell(f"“{self.search_words}” is not in the transcripts.", severity="warning")

    def action_toggle_side(self) -> None:
        screen = self.screen
        if not screen.has_class("-wide"):
            screen.toggle_class("-side")
            if screen.has_class("-side"):
                self.map_list.focus()
            else:
                self.transcript_view.focus()
        elif self.transcript_view.has_focus:
            self.map_list.focus()
        else:
            self.transcript_view.focus()

    def action_focus_findings(self) -> None:
        if not self.screen.has_class("-wide"):
            self.screen.add_class("-side")
        self.query_one("#findings", FindingsList).focus()

    def action_help(self) -> None:
        if not isinstance(self.screen, ReviewHelpScreen):
            self.push_screen(ReviewHelpScreen(REVIEW_ACTIONS))

    # -- keys and palette -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.session.readonly and action in DECIDING:
            return False
        if action == "undo":
            return self.session.can_undo
        if action == "redo":
            return self.session.can_redo
        return True

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for action in REVIEW_ACTIONS:
            if action.in_palette and self.check_action(action.action, ()):
                yield SystemCommand(action.title, f"{action.help} ({action.key_label})",
                                    partial(self.run_action, action.action))
        yield from (c for c in super().get_system_commands(screen) if c.title not in ("Quit", "Keys"))
