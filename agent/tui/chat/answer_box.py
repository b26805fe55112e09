"""The answer box: a soft-wrapped, multi-line text area where Enter sends.

A TextArea rather than an Input: a stakeholder's answer is often a paragraph, and the interviewer
should see all of it, wrapped, before sending; pasted notes keep their line breaks. Enter sends
(as in any chat); Ctrl+J or Alt+Enter starts a new line (Shift+Enter is not seen by most terminals).
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import TextArea

from agent.tui.actions import action_for

SEND_KEYS = frozenset(action_for("send_answer").keys.split(","))
NEW_LINE_KEYS = frozenset(action_for("new_line").keys.split(","))


class AnswerBox(TextArea):
    class Submitted(Message):
        def __init__(self, answer_box: AnswerBox, text: str) -> None:
            super().__init__()
            self.answer_box = answer_box
            self.text = text

        @property
        def control(self) -> AnswerBox:
            return self.answer_box

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         placeholder=placeholder, compact=True)

    async def _on_key(self, event: events.Key) -> None:
        if event.key in SEND_KEYS:
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.text))
            return
        if event.key in NEW_LINE_KEYS:
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)
