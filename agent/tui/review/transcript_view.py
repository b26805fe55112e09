"""One transcript, read-only, with every quote of the map highlighted in its element type's colour.

A `TextArea` renders only the lines in view (60,000 words scroll as fast as 600) and gives keyboard
(Shift+arrows) and mouse selection for free; this widget adds character offsets into `Transcript.text`,
which is what the review engine turns into quotes, and the highlights of the map's spans.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from rich.style import Style
from textual.document._document import DocumentBase
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.widgets import TextArea
from textual.widgets.text_area import Selection, TextAreaTheme

from agent.review.session import Span
from schemas.transcript import Transcript

# One colour per element type (a legend names them; the map's rows name the type in words too).
TYPE_COLOURS: dict[str, str] = {
    "stages": "#3b5b8c", "veps": "#7a4d9c", "resistances": "#9c3f3f", "thresholds": "#a8741a",
    "exchanges": "#2f7f6f", "propositions": "#4f7f2f", "duplications": "#8c3b6f", "losses": "#6b5a3a",
}
FOCUSED = "focused"  # the highlight name of the selected element's quotes
THEME = TextAreaTheme(
    name="vsm-review",
    syntax_styles={**{name: Style(bgcolor=colour, color="#f0f0f0") for name, colour in TYPE_COLOURS.items()},
                   FOCUSED: Style(bgcolor="#e0c050", color="#101010", bold=True)},
)


class TranscriptView(TextArea):
    """The transcript pane; `offsets()` is the selection as character offsets into the transcript's text."""

    def __init__(self, *, id: str | None = None) -> None:
        self.transcript: Transcript | None = None
        self._line_starts: list[int] = [0]
        self._spans: Sequence[Span] = ()
        self._focused: str | None = None
        # Each transcript shown so far, laid out: (document, wrapped document, navigator, line starts, width).
        self._laid_out: dict[int, tuple[DocumentBase, WrappedDocument, DocumentNavigator, list[int], int]] = {}
        super().__init__("", id=id, read_only=True, soft_wrap=True, show_line_numbers=False,
                         highlight_cursor_line=False)

    def on_mount(self) -> None:
        self.register_theme(THEME)
        self.theme = THEME.name

    def show(self, transcript: Transcript | None, spans: Sequence[Span], focused: str | None = None) -> None:
        if transcript is not self.transcript:
            self._switch_to(transcript, spans, focused)
            return
        self.highlight(spans, focused)

    def _switch_to(self, transcript: Transcript | None, spans: Sequence[Span], focused: str | None) -> None:
        """Show another transcript. Each one's document is kept with its wrapping: laying out 20,000 words
        again takes a tenth of a second or more, so switching back and forth between sources reuses it."""
        if self.transcript is not None:
            self._laid_out[id(self.transcript)] = (self.document, self.wrapped_document, self.navigator,
                                                   self._line_starts, self.wrap_width)
        self.transcript = transcript
        self._spans, self._focused = spans, focused
        kept = self._laid_out.get(id(transcript)) if transcript is not None else None
        if kept is None:
            text = transcript.text if transcript is not None else ""
            self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
            self.load_text(text)  # rebuilds the highlights
            return
        self.document, self.wrapped_document, self.navigator, self._line_starts, width = kept
        self.history.clear()
        if width != self.wrap_width:
            self.wrapped_document.wrap(self.wrap_width, tab_width=self.indent_width)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._refresh_size()

    def highlight(self, spans: Sequence[Span], focused: str | None) -> None:
        self._spans, self._focused = spans, focused
        self._build_highlight_map()
        self.refresh()

    def focus_element(self, focused: str | None) -> None:
        """Bring out another element's quotes among the spans already shown (a cursor move changes no span)."""
        self.highlight(self._spans, focused)

    # -- offsets and locations ------------------------------------------------------------------------

    def location_of(self, offset: int) -> tuple[int, int]:
        row = bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    def offset_of(self, location: tuple[int, int]) -> int:
        row, column = location
        return self._line_starts[min(row, len(self._line_starts) - 1)] + column

    def offsets(self) -> tuple[int, int]:
        start, end = self.selection
        return self.offset_of(start), self.offset_of(end)

    def select_offsets(self, start: int, end: int) -> None:
        self.selection = Selection(self.location_of(start), self.location_of(end))
        self.scroll_cursor_visible(center=True)

    # -- highlights -------------------------------------------------------------------------------------

    def _build_highlight_map(self) -> None:
        """The map's spans as the TextArea's highlights (per line, in UTF-8 byte columns)."""
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        document = self.document
        for span in self._spans:
            name = FOCUSED if span.element_id == self._focused else span.collection
            (first_row, first_col), (last_row, last_col) = self.location_of(span.start), self.location_of(span.end)
            for row in range(first_row, min(last_row, document.line_count - 1) + 1):
                line = document.get_line(row)
                start = first_col if row == first_row else 0
                end = last_col if row == last_row else len(line)
                highlights[row].append((len(line[:start].encode()), len(line[:end].encode()), name))
        if self._focused is not None:  # drawn last, so the selected element's quotes show over the others
            for row_highlights in highlights.values():
                row_highlights.sort(key=lambda h: h[2] == FOCUSED)
