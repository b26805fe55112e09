"""Untrusted text made safe to show: no control sequence reaches a terminal, no bidi override reorders a page.

Transcript and map text (speaker names, quotes, titles, file names, a server's error body) can carry
ESC/CSI/OSC sequences (`ESC[2J` clears the screen, OSC 52 writes the reader's clipboard) and Unicode
bidi overrides (U+202E shows text reversed). Every such character is shown as its `\\uXXXX` escape:
visible to the reader, nothing for a terminal or a browser to act on, and still valid inside JSON (where
`\\uXXXX` means the very character it replaces), so one sanitiser serves text and JSON output alike.
"""

from __future__ import annotations

import io
from typing import TextIO

from agent.url_redaction import redact_urls

# Bidi controls: the embeddings and overrides (LRE RLE PDF LRO RLO), the isolates (LRI RLI FSI PDI) and
# the marks (LRM RLM ALM), all of which change how the text around them is ordered on screen.
BIDI_CONTROLS = frozenset(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
# C0 controls (ESC starts every CSI and OSC sequence), DEL, C1 controls (0x9B is a one-character CSI),
# and the Unicode line and paragraph separators, which some terminals take as line breaks.
_CONTROLS = frozenset([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029])
_KEPT_IN_TEXT = frozenset(map(ord, "\n\t"))  # what lays out multi-line output, and harmless


def _escape_table(codes: frozenset[int]) -> dict[int, str]:
    return {code: f"\\u{code:04x}" for code in codes}


_TEXT_TABLE = _escape_table((_CONTROLS | BIDI_CONTROLS) - _KEPT_IN_TEXT)
_LINE_TABLE = _escape_table(_CONTROLS | BIDI_CONTROLS)
_BIDI_TABLE = _escape_table(BIDI_CONTROLS)


def terminal_text(text: str) -> str:
    """`text` with every control character and bidi control escaped, keeping newlines and tabs."""
    return text.translate(_TEXT_TABLE)


def terminal_line(text: str) -> str:
    """`text` as one terminal line: newlines and tabs escaped as well (file names, error messages)."""
    return text.translate(_LINE_TABLE)


def neutralise_bidi(text: str) -> str:
    """`text` with bidi controls shown as `\\uXXXX`, for HTML and SVG, where they would reorder the page."""
    return text.translate(_BIDI_TABLE)


class TerminalSafeStream(io.TextIOBase):
    """A text stream that passes everything written through `terminal_text` to the stream it wraps, with
    every URL's credentials redacted (`redact_urls`).

    The CLI puts its standard output and error behind one for the length of a command, so every printer
    (today's and those added later) is covered; bytes written to `.buffer` (a PNG) bypass it on purpose.
    """

    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        # `vsm` wraps stderr for the whole process and `main` again per command: once is enough, and a second
        # layer would sanitise the progress line's own `\r` into a visible escape.
        self.inner: TextIO = inner.inner if isinstance(inner, TerminalSafeStream) else inner

    def write(self, text: str) -> int:
        self.inner.write(terminal_text(redact_urls(text)))
        return len(text)

    def rewrite_line(self, text: str) -> None:
        """Return to the start of the line and write `text` over it: a progress line's one honest `\\r`."""
        self.inner.write("\r" + terminal_line(redact_urls(text)))
        self.inner.flush()

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True

    @property
    def buffer(self) -> object:
        return self.inner.buffer

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.inner.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.inner.errors
