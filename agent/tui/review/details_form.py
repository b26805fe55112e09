"""The details form: an element's numbers and words beyond its name, one line per field.

The fields and their parsing are the engine's (`agent.review.details`); the form checks what was typed
with the same function before it closes, so a bad value ("forty", -5, NaN) is refused here, in one line
saying what to type, and nothing is saved. It returns only the fields that changed. An element with
lists (gives and gets, improvements, claims) has a button to their editor (`entries_form`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantFocus
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from agent.review.details import DetailRefused, detail_fields, detail_values, set_details
from agent.review.entries import entry_lists
from schemas.elements import Element


def _input_id(path: str) -> str:
    return "detail-" + path.replace(".", "-").replace("_", "-")


class DetailsScreen(ModalScreen[dict[str, str] | None]):
    """Returns {field path: text} for the fields changed, or None when cancelled or nothing changed."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel"),
                                             Binding("ctrl+s", "save", "Save", show=False),
                                             Binding("ctrl+l", "lists", "Lists", show=False)]

    def __init__(self, element: Element, kind: str, *, lists: Callable[[], ModalScreen[Element | None]] | None = None
                 ) -> None:
        super().__init__()
        self.element, self.kind, self.lists = element, kind, lists
        self.fields = detail_fields(element)
        self.before = detail_values(element)

    def compose(self) -> ComposeResult:
        with Vertical(id="details-dialog") as dialog:
            dialog.border_title = f"Details of {self.kind} “{self.element.name[:40]}”"
            dialog.border_subtitle = "Tab next field · Enter saves · Esc cancels"
            with VerticalScroll(id="details-fields"):
                for spec in self.fields:
                    with Horizontal(classes="details-row"):
                        yield Label(spec.label, classes="details-label", markup=False)
                        yield Input(self.before[spec.path], id=_input_id(spec.path), placeholder=spec.hint,
                                    classes="details-input")
            yield Label("", id="details-hint", markup=False)
            yield Label("", id="details-problem", markup=False)
            with Horizontal(id="details-buttons"):
                if self.lists is not None:
                    yield Button(self._lists_label(), id="details-lists")
                yield Button("Save", variant="primary", id="details-save")
                yield Button("Cancel", id="details-cancel")

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#{_input_id(self.fields[0].path)}", Input).focus()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        spec = next((s for s in self.fields if event.widget.id == _input_id(s.path)), None)
        if spec is not None:
            self.query_one("#details-hint", Label).update(f"{spec.label}: {spec.hint or 'words'}")

    def typed(self) -> dict[str, str]:
        """What the form holds now, for the fields that differ from the element."""
        values = {s.path: self.query_one(f"#{_input_id(s.path)}", Input).value for s in self.fields}
        return {path: text for path, text in values.items() if text.strip() != self.before[path]}

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "details-save":
            self.action_save()
        elif event.button.id == "details-lists":
            self.action_lists()
        else:
            self.dismiss(None)

    def _lists_label(self) -> str:
        counts = " · ".join(f"{spec.label.casefold()} {len(getattr(self.element, spec.field))}"
                            for spec in entry_lists(self.element))
        return f"Lists: {counts} (Ctrl+L)"

    def action_lists(self) -> None:
        """The element's lists, in their editor (each change there is a decision of its own, saved at once)."""
        if self.lists is not None:
            self.app.push_screen(self.lists(), callback=self._lists_closed)

    def _lists_closed(self, element: Element | None) -> None:
        if element is not None:
            self.element = element
            self.query_one("#details-lists", Button).label = self._lists_label()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        changed = self.typed()
        try:
            _, labels = set_details(self.element, changed)
        except DetailRefused as err:
            self.query_one("#details-problem", Label).update(str(err))
            return
        self.dismiss(changed if labels else None)
