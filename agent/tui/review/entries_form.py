"""The list editor: an element's lists (an exchange's gives and gets, a stage's improvements, a proposition's
claims), entry by entry, and the small form for one entry.

Each add, change or removal is one decision of the session, saved at once like every other; the form
checks what was typed with the engine's parser first, so a bad value is refused in the form, in one line
saying what to type, and nothing is saved. A benefit's stage is chosen from the map's stages by name.
An improvement's evidence is picked from quotes that already exist (its own, the stage's) or the passage
selected in the transcript before the editor opened: a person never types a quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import DescendantFocus
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList
from textual.widgets.option_list import Option

from agent.errors import VsmError
from agent.review.decisions import Decision, DecisionKind
from agent.review.editing import kind_of
from agent.review.entries import (
    NO_STAGE,
    Entry,
    EntryList,
    EntryRefused,
    candidate_quotes,
    entry_line,
    entry_list,
    entry_lists,
    entry_values,
    parse_entry,
)
from agent.review.session import ReviewSession
from schemas.elements import Delivery, Element
from schemas.evidence import Quote
from schemas.value_map import ValueMap

ADD = "add"


@dataclass(frozen=True)
class EntryDraft:
    values: dict[str, str]
    quotes: list[Quote] = field(default_factory=list)


def _quote_label(quote: Quote, note: str) -> Text:
    words = " ".join(quote.text.split())
    return Text.assemble((f"“{words[:70]}{'…' if len(words) > 70 else ''}”", "italic"),
                         (f" — {quote.speaker or 'unnamed'}{note}", "dim"))


class EntryFormScreen(ModalScreen[EntryDraft | None]):
    """One entry's fields; returns what was typed and picked, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel"),
                                             Binding("ctrl+s", "save", "Save", show=False)]

    def __init__(self, spec: EntryList, entry: Entry | None, element: Element, value_map: ValueMap,
                 selected: Quote | None) -> None:
        super().__init__()
        self.spec, self.entry, self.element, self.value_map = spec, entry, element, value_map
        self.before = entry_values(entry) if entry is not None else {}
        self.quotes: list[tuple[Quote, bool, str]] = []  # candidate, picked at first, why it is offered
        if spec.evidence:
            own = candidate_quotes(element, entry)
            mine = len(getattr(entry, "evidence", []))
            self.quotes = [(q, n < mine, "" if n < mine else " (the stage's)") for n, q in enumerate(own)]
            if selected is not None and all((q.source_id, q.start, q.end) != (selected.source_id, selected.start,
                                                                             selected.end) for q in own):
                # offered after the entry's own quotes (so a new one goes last), but not picked: the
                # selection may be left over from walking the map
                self.quotes.insert(mine, (selected, False, " (selected in the transcript)"))

    def compose(self) -> ComposeResult:
        verb = "Change" if self.entry is not None else "Add"
        with Vertical(id="entry-dialog") as dialog:
            dialog.border_title = f"{verb} a {self.spec.entry} · {self.spec.label.casefold()}"
            dialog.border_subtitle = "Tab next field · Enter saves · Esc cancels"
            for spec in self.spec.fields:
                with Horizontal(classes="entry-row"):
                    yield Label(spec.label, classes="entry-label", markup=False)
                    now = self.before.get(spec.name, "")
                    if spec.kind == "choice":
                        default = now or (Delivery.UNKNOWN.value if spec.name == "delivery" else spec.choices[0])
                        yield Select([(c.replace("_", " "), c) for c in spec.choices], value=default,
                                     allow_blank=False, id=f"entry-{spec.name}", classes="entry-select", compact=True)
                    elif spec.kind == "stage":
                        stages = sorted(self.value_map.stages, key=lambda s: s.order)
                        # a stage's name is the transcript's words: shown as plain text, never as markup
                        yield Select([("none", NO_STAGE), *((Content(s.name[:60]), s.id) for s in stages)], value=now,
                                     allow_blank=False, id=f"entry-{spec.name}", classes="entry-select", compact=True)
                    else:
                        yield Input(now, placeholder=spec.hint, id=f"entry-{spec.name}", classes="entry-input")
            if self.spec.evidence:
                yield Label("Evidence (Space picks; select words in the transcript before opening to offer them)",
                            classes="entry-label-wide", markup=False)
                yield SelectionList[int](*((_quote_label(q, note), n, picked)
                                           for n, (q, picked, note) in enumerate(self.quotes)), id="entry-evidence")
            yield Label("", id="entry-hint", markup=False)
            yield Label("", id="entry-problem", markup=False)
            with Horizontal(id="entry-buttons"):
                yield Button("Save", variant="primary", id="entry-save")
                yield Button("Cancel", id="entry-cancel")

    def on_mount(self) -> None:
        self.query_one(f"#entry-{self.spec.fields[0].name}").focus()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        spec = next((s for s in self.spec.fields if event.widget.id == f"entry-{s.name}"), None)
        if spec is not None:
            self.query_one("#entry-hint", Label).update(f"{spec.label}: {spec.hint or 'words'}")

    def typed(self) -> EntryDraft:
        values: dict[str, str] = {}
        for spec in self.spec.fields:
            widget = self.query_one(f"#entry-{spec.name}")
            value = widget.value if isinstance(widget, Input | Select) else ""
            values[spec.name] = "" if value is Select.BLANK else str(value)
        picked: list[Quote] = []
        if self.spec.evidence:
            chosen = set(self.query_one("#entry-evidence", SelectionList).selected)
            picked = [q for n, (q, _, _) in enumerate(self.quotes) if n in chosen]
        return EntryDraft(values, picked)

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "entry-save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        draft = self.typed()
        try:
            parse_entry(self.spec, draft.values, draft.quotes, self.value_map)
        except EntryRefused as err:
            self.query_one("#entry-problem", Label).update(str(err))
            return
        self.dismiss(draft)


class EntriesScreen(ModalScreen[Element | None]):
    """Every list of one element; each change is a decision of the session. Returns the element as it is now."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("a,insert", "add", "Add"),
        Binding("enter", "change", "Change", show=False),
        Binding("x,delete", "remove", "Remove"),
        Binding("u,ctrl+z", "undo", "Undo"),
    ]

    def __init__(self, session: ReviewSession, element_id: str, selected: Quote | None = None) -> None:
        super().__init__()
        self.session, self.element_id, self.selected = session, element_id, selected
        self.made = 0  # decisions made in this editor, which its undo may take back

    @property
    def element(self) -> Element:
        return self.session.element(self.element_id)[1]

    def compose(self) -> ComposeResult:
        collection, element = self.session.element(self.element_id)
        with Vertical(id="entries-dialog") as dialog:
            dialog.border_title = f"Lists of {kind_of(collection)} “{element.name[:40]}”"
            dialog.border_subtitle = "Enter changes · a adds · x removes · u undoes · Esc closes"
            yield OptionList(id="entries-list")
            yield Label("", id="entries-status", markup=False)

    def on_mount(self) -> None:
        self._show()
        self.query_one("#entries-list", OptionList).focus()

    def _show(self, keep: str | None = None) -> None:
        element, value_map = self.element, self.session.value_map
        options: list[Option] = []
        for spec in entry_lists(element):
            items = getattr(element, spec.field)
            options.append(Option(Text(f"{spec.label} ({len(items)})", style="bold underline"), disabled=True))
            options += [Option(Text(f"  {n + 1}. {entry_line(item, value_map)}"), id=f"{spec.field}:{n}")
                        for n, item in enumerate(items)]
            options.append(Option(Text(f"  + add a {spec.entry}", style="italic"), id=f"{spec.field}:{ADD}"))
        listed = self.query_one("#entries-list", OptionList)
        before = keep or (listed.highlighted_option.id if listed.highlighted_option else None)
        listed.set_options(options)
        ids = [o.id for o in options]
        if before is not None and before in ids:
            listed.highlighted = ids.index(before)
        else:
            listed.highlighted = next((n for n, o in enumerate(options) if not o.disabled), None)

    def _highlighted(self) -> tuple[str, int | None] | None:
        option = self.query_one("#entries-list", OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        list_field, _, which = option.id.partition(":")
        return list_field, None if which == ADD else int(which)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_change()

    def action_change(self) -> None:
        where = self._highlighted()
        if where is None:
            return
        list_field, index = where
        spec = entry_list(self.element, list_field)
        entry = None if index is None else getattr(self.element, list_field)[index]
        form = EntryFormScreen(spec, entry, self.element, self.session.value_map, self.selected)
        self.app.push_screen(form, callback=lambda draft: self._drafted(list_field, index, draft))

    def action_add(self) -> None:
        where = self._highlighted()
        if where is not None:
            self._show(keep=f"{where[0]}:{ADD}")
            self.action_change()

    def _drafted(self, list_field: str, index: int | None, draft: EntryDraft | None) -> None:
        if draft is None:
            return
        kind = DecisionKind.ADD_ENTRY if index is None else DecisionKind.EDIT_ENTRY
        after = len(getattr(self.element, list_field)) if index is None else index
        self._decide(Decision(kind=kind, element_id=self.element_id, name=list_field, index=index,
                              values=draft.values, quotes=draft.quotes), keep=f"{list_field}:{after}")

    def action_remove(self) -> None:
        where = self._highlighted()
        index = where[1] if where is not None else None
        if where is None or index is None:
            self._say("Highlight an entry to remove (not the “+ add” line).")
            return
        list_field = where[0]
        left = len(getattr(self.element, list_field)) - 1
        keep = f"{list_field}:{min(index, left - 1)}" if left else f"{list_field}:{ADD}"
        self._decide(Decision(kind=DecisionKind.REMOVE_ENTRY, element_id=self.element_id, name=list_field,
                              index=index), keep=keep)

    def _decide(self, decision: Decision, *, keep: str) -> None:
        try:
            done = self.session.decide(decision)
        except VsmError as err:
            self._say(f"Not done: {err}")
            return
        self.made += 1
        self._show(keep=keep)
        self._say(done.summary[:1].upper() + done.summary[1:] + ".")

    def action_undo(self) -> None:
        """Undo the last change made in this editor (a decision made before it opened is undone outside it)."""
        if not self.made:
            self._say("Nothing changed here to undo; close the editor (Esc) and press u to undo earlier decisions.")
            return
        try:
            done = self.session.undo()
        except VsmError as err:
            self._say(str(err))
            return
        self.made -= 1
        self._show()
        self._say(done.summary[:1].upper() + done.summary[1:] + ".")

    def _say(self, words: str) -> None:
        self.query_one("#entries-status", Label).update(words)

    def action_close(self) -> None:
        self.dismiss(self.element)
