"""Every key and what it does, read from the one action registry (so help can never drift from keys)."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from agent.tui.actions import ACTIONS, Scope


def help_table() -> Group:
    """One small table per scope: the keys, the action's title and what it does."""
    tables: list[Table] = []
    for scope in Scope:
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1), title=scope.value,
                      title_justify="left", title_style="bold underline")
        table.add_column("key", style="bold", no_wrap=True, min_width=14)
        table.add_column("what", ratio=1)
        for action in (a for a in ACTIONS if a.scope is scope):
            table.add_row(action.key_label, Text.assemble((action.title, "bold"), " ", action.help))
        if scope is Scope.APP:
            table.add_row("Ctrl+P", Text.assemble(("Commands", "bold"), " Search every action by name."))
        tables.append(table)
    return Group(*tables)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "Esc closes"
            yield Static(help_table())

    def action_close(self) -> None:
        self.dismiss(None)
