"""Small modal dialogs of the review: choose one of a list (a type, an element, a filter), name a new element."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from agent.tui.actions import AppAction


class ChooseScreen(ModalScreen[str | None]):
    """A titled list; Enter returns the chosen option's id, Esc None. Typing narrows the list."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], *, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-dialog", classes="review-dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "Enter chooses · Esc cancels"
            if self.hint:
                yield Label(self.hint, markup=False, classes="dialog-hint")
            yield Input(placeholder="type to narrow the list", id="choose-filter")
            yield OptionList(*self._options(""), id="choose-list")

    def _options(self, words: str) -> list[Option]:
        folded = words.casefold()
        return [Option(Text(label), id=key) for key, label in self.choices if folded in label.casefold()]

    def on_mount(self) -> None:
        self.query_one("#choose-list", OptionList).highlighted = 0 if self.choices else None
        self.query_one("#choose-list", OptionList).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one("#choose-list", OptionList)
        options.set_options(self._options(event.value))
        options.highlighted = 0 if options.option_count else None

    def on_input_submitted(self) -> None:
        options = self.query_one("#choose-list", OptionList)
        if options.highlighted_option is not None:
            self.dismiss(options.highlighted_option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_key(self, event: Key) -> None:
        # Printable keys typed on the list go to the filter box, so a long list narrows as one types.
        character = event.character
        box = self.query_one("#choose-filter", Input)
        if character and character.isprintable() and not box.has_focus and event.key != "enter":
            box.focus()
            box.insert_text_at_cursor(character)
            event.stop()

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class NewElement:
    collection: str
    name: str


class NewElementScreen(ModalScreen[NewElement | None]):
    """The kind and name of an element made from a selected passage (the passage is shown, not editable)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, quote_text: str, speaker: str, kinds: Sequence[tuple[str, str]], default: str) -> None:
        super().__init__()
        self.quote_text, self.speaker, self.kinds, self.default = quote_text, speaker, list(kinds), default

    def compose(self) -> ComposeResult:
        with Vertical(id="new-dialog", classes="review-dialog") as dialog:
            dialog.border_title = "New element from the selection"
            dialog.border_subtitle = "Enter makes it · Esc cancels"
            yield Label(f"“{self.quote_text}” — {self.speaker}", markup=False, classes="dialog-quote")
            yield OptionList(*(Option(label, id=key) for key, label in self.kinds), id="new-kind")
            yield Label("Name")
            yield Input(self.default, id="new-name", max_length=200)

    def on_mount(self) -> None:
        kinds = self.query_one("#new-kind", OptionList)
        kinds.highlighted = 0
        kinds.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#new-name", Input).focus()

    def on_input_submitted(self) -> None:
        option = self.query_one("#new-kind", OptionList).highlighted_option
        name = self.query_one("#new-name", Input).value.strip()
        if option is not None and option.id is not None and name:
            self.dismiss(NewElement(option.id, name))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewHelpScreen(ModalScreen[None]):
    """Every key of the review, read from its registry."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q,question_mark", "close", "Close")]

    def __init__(self, actions: Sequence[AppAction]) -> None:
        super().__init__()
        self.actions = actions

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
        table.add_column("key", style="bold", no_wrap=True, min_width=12)
        table.add_column("what", ratio=1)
        for action in self.actions:
            table.add_row(action.key_label, Text.assemble((action.title, "bold"), " ", action.help))
        table.add_row("Shift+arrows", Text.assemble(("Select", "bold"), " Select words in the transcript (or drag "
                                                    "the mouse); then n makes an element, v adds evidence."))
        table.add_row("Ctrl+P", Text.assemble(("Commands", "bold"), " Search every action by name."))
        with VerticalScroll(id="help-dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "Esc closes"
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
