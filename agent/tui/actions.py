"""The one action registry: every key binding, command palette entry and help line comes from here.

Each entry names an action on the app (`action_<name>`), its keys, a title for the footer and the
palette, and a sentence for the help screen. Where it is bound (anywhere, the answer box, the map)
is its scope; widgets ask for their scope's bindings, so a key is never declared twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from textual.binding import Binding, BindingType


class Scope(StrEnum):
    APP = "Anywhere"
    ANSWER = "In the answer box"
    MAP = "In the map"


@dataclass(frozen=True)
class AppAction:
    action: str  # the app's `action_<action>`
    keys: str  # Textual key names, comma-separated
    title: str  # short: the footer and the palette
    help: str  # one sentence: the help screen and the palette
    scope: Scope = Scope.APP
    show: bool = True  # in the footer
    priority: bool = False  # before the focused widget sees the key
    in_palette: bool = True

    @property
    def key_label(self) -> str:
        return " / ".join(_label(key) for key in self.keys.split(","))


_KEY_NAMES = {"question_mark": "?", "escape": "Esc", "enter": "Enter", "less_than_sign": "<", "greater_than_sign": ">",
              "slash": "/", "right_square_bracket": "]", "left_square_bracket": "["}


def _label(key: str) -> str:
    """`ctrl+s` -> `Ctrl+S`, `f1` -> `F1`, `a` -> `a`: as keys are printed on a keyboard's help card."""
    *modifiers, name = key.split("+")
    shown = _KEY_NAMES.get(name, name.upper() if modifiers or len(name) > 1 else name)
    return "+".join([*(m.capitalize() for m in modifiers), shown])


ACTIONS: tuple[AppAction, ...] = (
    AppAction("send_answer", "enter", "Send", "Record the answer (on disk first), then update the map and ask on.",
              Scope.ANSWER, show=False, in_palette=False),
    AppAction("new_line", "ctrl+j,alt+enter", "New line", "Start a new line in the answer instead of sending it.",
              Scope.ANSWER, show=False, in_palette=False),
    AppAction("cancel_question", "escape", "Cancel", "Stop the question being written; then ask the bank's "
              "question or retry."),
    AppAction("retry", "ctrl+r", "Retry", "Try again what failed: writing the question, or extracting the answer."),
    AppAction("use_bank_question", "ctrl+b", "Bank question", "Ask the question bank's wording of the planned "
              "question (after a cancel or a model error)."),
    AppAction("skip_extraction", "ctrl+n", "Next question", "Leave the last answer out of the map (it stays in "
              "the session) and ask the next question."),
    AppAction("save", "ctrl+s", "Save", "Confirm that every event of the session is on disk, and write its map "
              "and transcript files.", priority=True),
    AppAction("toggle_side", "f2", "Map", "Narrow terminal: switch between the chat and the map, findings and "
              "coverage. Wide: move between the answer box and the map."),
    AppAction("show_tab('map')", "f3", "Map tab", "Show the map.", show=False),
    AppAction("show_tab('findings')", "f4", "Findings", "Show the findings, grouped by the three core questions.",
              show=False),
    AppAction("show_tab('coverage')", "f5", "Coverage", "Show how far the map answers each diagnostic step.",
              show=False),
    AppAction("help", "f1,question_mark", "Help", "Show every key and what it does."),
    AppAction("quit", "ctrl+q", "Quit", "Quit; the session is already on disk and can be resumed.", priority=True),
    AppAction("accept_element", "a", "Accept", "Confirm the selected element: a person stands behind it. On a proposed "
              "merge: merge the two. On a correction the stakeholder made: apply it to the map.", Scope.MAP),
    AppAction("edit_element", "e", "Edit", "Edit the selected element's name and detail.", Scope.MAP),
    AppAction("reject_element", "r", "Reject", "Remove the selected element (and what cannot stand without it). On a "
              "proposed merge: keep the two apart. On a correction: keep the map as it is.", Scope.MAP),
)


def action_for(name: str) -> AppAction:
    return next(a for a in ACTIONS if a.action == name)


def bindings(scope: Scope) -> list[BindingType]:
    """Key bindings of one scope; actions outside the app's own scope are routed to the app."""
    prefix = "" if scope is Scope.APP else "app."
    return [Binding(a.keys, prefix + a.action, a.title, show=a.show, priority=a.priority, tooltip=a.help)
            for a in ACTIONS if a.scope is scope and a.scope is not Scope.ANSWER]
