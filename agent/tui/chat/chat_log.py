"""The chat: one widget per question, answer or note, in a scroll that follows the newest.

A question is streamed in three small steps (oterm's lifecycle): `append` words as they come through
a `MarkdownStream`, `finish` with one full update of the text that was kept, or `cancel`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widget import AwaitMount, Widget
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

from schemas.interview import Probe


class QuestionMessage(Vertical):
    """The interviewer's question, as Markdown; streamed while a model writes it."""

    def __init__(self, probe: Probe | None, text: str = "", *, who: str = "Interviewer") -> None:
        super().__init__(classes="question")
        step = f" · {probe.step.title}" if probe is not None and probe.step is not None else ""
        self.border_title = Content(f"{who}{step}")  # Content: a name is never read as markup
        self._text = text
        self._stream: MarkdownStream | None = None

    def compose(self) -> ComposeResult:
        yield Markdown(self._text)

    @property
    def markdown(self) -> Markdown:
        return self.query_one(Markdown)

    @property
    def streaming(self) -> bool:
        return self._stream is not None

    async def append(self, piece: str) -> None:
        if self._stream is None:
            self.add_class("-streaming")
            self._stream = Markdown.get_stream(self.markdown)
        await self._stream.write(piece)

    async def finish(self, text: str, *, worded_by: str | None = None) -> None:
        """Show the question as kept (it may differ from the streamed words: lint fallback)."""
        await self._stop()
        if worded_by:
            self.border_subtitle = Content(worded_by)
        self._text = text
        await self.markdown.update(text)

    async def cancel(self) -> None:
        """Discard the partial words: a cancelled question was never asked."""
        await self._stop()
        await self.remove()

    async def _stop(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            await stream.stop()
        self.remove_class("-streaming")


class AnswerMessage(Static):
    """The stakeholder's answer, exactly as recorded."""

    def __init__(self, text: str, *, who: str) -> None:
        super().__init__(text, markup=False, classes="answer")
        self.border_title = Content(who)


class NoteMessage(Static):
    """A line from the app: what the map learnt, a cancel, an error; never part of the session text."""

    def __init__(self, text: str, *, kind: str = "info") -> None:
        super().__init__(text, markup=False, classes=f"note -{kind}")


class ChatLog(VerticalScroll):
    """The conversation, newest at the bottom and kept in view."""

    can_focus = False

    def on_mount(self) -> None:
        self.anchor()

    def add(self, message: Widget) -> AwaitMount:
        """Append a message; await the result only where the next step needs it mounted."""
        return self.mount(message)
