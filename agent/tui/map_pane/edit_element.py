"""A small dialog to edit an element's name and detail; the app turns the result into a review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from schemas.elements import Element


@dataclass(frozen=True)
class ElementEdit:
    name: str
    detail: str


class EditElementScreen(ModalScreen[ElementEdit | None]):
    """Returns the edited name and detail, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, element: Element, kind: str) -> None:
        super().__init__()
        self.element = element
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-dialog") as dialog:
            dialog.border_title = f"Edit {self.kind}"
            yield Label("Name")
            yield Input(self.element.name, id="edit-name", max_length=200)
            yield Label("Detail")
            yield Input(self.element.detail, id="edit-detail")
            yield Label("", id="edit-problem")
            with Horizontal(id="edit-buttons"):
                yield Button("Save", variant="primary", id="edit-save")
                yield Button("Cancel", id="edit-cancel")

    def on_input_submitted(self) -> None:
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "edit-save":
            self._save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _save(self) -> None:
        name = self.query_one("#edit-name", Input).value.strip()
        if not name:
            self.query_one("#edit-problem", Label).update("An element needs a name.")
            return
        self.dismiss(ElementEdit(name=name, detail=self.query_one("#edit-detail", Input).value.strip()))
