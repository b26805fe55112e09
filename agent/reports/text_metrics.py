"""Text widths from the bundled font, so the diagram is laid out without a browser or a layout engine.

The layout needs to know how wide a line of text will be to wrap it inside a box and to prove, in tests,
that no two texts overlap. The bundled DejaVu Sans subset (see `fonts/README.md`) has no kerning or
ligatures, so a line's width is exactly the sum of its glyphs' advances, read here from the font's
`cmap` and `hmtx` tables with the standard library.
"""

from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"
FONT_FAMILY = "DejaVu Sans"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"

# Characters the subset lacks are drawn by a fallback font; budget them generously (wide for East Asian
# scripts) so the box is never too small. Every SVG line also carries textLength, which pins the result.
_FALLBACK_EM = 0.62
_WIDE_FALLBACK_EM = 1.0


@dataclass(frozen=True)
class FontMetrics:
    """Advance widths (in em) per character, and the vertical extent of a line."""

    advances: dict[int, float]
    ascent: float
    descent: float

    def width(self, text: str, size: float) -> float:
        """The width of `text` set on one line at `size` pixels."""
        advances = self.advances
        total = 0.0
        for char in text:
            em = advances.get(ord(char))
            if em is None:
                em = _fallback_em(char)
            total += em
        return total * size

    def covers(self, text: str) -> bool:
        return all(ord(char) in self.advances for char in text)


def _fallback_em(char: str) -> float:
    if unicodedata.combining(char):
        return 0.0
    return _WIDE_FALLBACK_EM if unicodedata.east_asian_width(char) in ("W", "F") else _FALLBACK_EM


@cache
def font_metrics(bold: bool = False) -> FontMetrics:
    """The metrics of the bundled regular or bold face, read once."""
    return read_font_metrics((BOLD_FONT if bold else REGULAR_FONT).read_bytes())


def read_font_metrics(data: bytes) -> FontMetrics:
    """Read advance widths and ascent/descent from a TrueType font (cmap format 4, hmtx, hhea, head)."""
    tables = _table_offsets(data)
    units_per_em = struct.unpack_from(">H", data, tables["head"] + 18)[0]
    ascent, descent = struct.unpack_from(">hh", data, tables["hhea"] + 4)
    metric_count = struct.unpack_from(">H", data, tables["hhea"] + 34)[0]
    hmtx = tables["hmtx"]
    glyph_advances = [struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(metric_count)]
    advances: dict[int, float] = {}
    for code_point, glyph in _unicode_cmap(data, tables["cmap"]).items():
        # Glyphs past numberOfHMetrics share the last advance (monospaced tails).
        advance = glyph_advances[min(glyph, metric_count - 1)]
        advances[code_point] = advance / units_per_em
    return FontMetrics(advances=advances, ascent=ascent / units_per_em, descent=-descent / units_per_em)


def _table_offsets(data: bytes) -> dict[str, int]:
    count = struct.unpack_from(">H", data, 4)[0]
    offsets = {}
    for index in range(count):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        offsets[tag.decode("latin-1")] = offset
    return offsets


def _unicode_cmap(data: bytes, cmap: int) -> dict[int, int]:
    """Code point -> glyph id from the Windows Unicode BMP subtable (format 4)."""
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * index)
        if (platform, encoding) in ((3, 1), (0, 3)) and struct.unpack_from(">H", data, cmap + offset)[0] == 4:
            return _cmap_format_4(data, cmap + offset)
    raise ValueError("the font has no Unicode BMP (format 4) cmap subtable")


def _cmap_format_4(data: bytes, start: int) -> dict[int, int]:
    segments = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends_at = start + 14
    starts_at = ends_at + 2 * segments + 2  # a reserved pad word sits after endCode
    deltas_at = starts_at + 2 * segments
    range_offsets_at = deltas_at + 2 * segments
    mapping: dict[int, int] = {}
    for seg in range(segments):
        end = struct.unpack_from(">H", data, ends_at + 2 * seg)[0]
        first = struct.unpack_from(">H", data, starts_at + 2 * seg)[0]
        delta = struct.unpack_from(">h", data, deltas_at + 2 * seg)[0]
        range_offset = struct.unpack_from(">H", data, range_offsets_at + 2 * seg)[0]
        if first == 0xFFFF:
            continue
        for code in range(first, end + 1):
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                at = range_offsets_at + 2 * seg + range_offset + 2 * (code - first)
                glyph = struct.unpack_from(">H", data, at)[0]
                if glyph:
                    glyph = (glyph + delta) & 0xFFFF
            if glyph:
                mapping[code] = glyph
    return mapping


ELLIPSIS = "…"


def wrap_text(text: str, width: float, size: float, *, bold: bool = False, max_lines: int = 0) -> list[str]:
    """Break `text` into lines no wider than `width`; past `max_lines` (0: no limit) end with an ellipsis.

    Greedy word wrap; a word wider than a whole line is cut between characters, since a long URL or id
    must still fit its box.
    """
    metrics = font_metrics(bold)
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if metrics.width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while metrics.width(current, size) > width and len(current) > 1:
            head = _longest_prefix(current, width, size, metrics)
            lines.append(head)
            current = current[len(head):]
    if current:
        lines.append(current)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _with_ellipsis(lines[-1], width, size, metrics)
    return lines


def _longest_prefix(word: str, width: float, size: float, metrics: FontMetrics) -> str:
    used = 0.0
    for index, char in enumerate(word):
        used += metrics.width(char, size)
        if used > width:
            head = word[: max(index, 1)]
            # Prefer to break a compound ("customer-facing") after its hyphen or slash.
            cut = max(head.rfind("-"), head.rfind("/"))
            return head[: cut + 1] if cut > 0 else head
    return word


def _with_ellipsis(line: str, width: float, size: float, metrics: FontMetrics) -> str:
    line = line.rstrip()
    while line and metrics.width(line + ELLIPSIS, size) > width:
        line = line[:-1].rstrip()
    return line + ELLIPSIS
