"""The diagram as SVG, drawn from the layout model with the standard library.

Only presentation attributes, no `<style>` or script: the SVG is inlined in the HTML report under a
strict Content-Security-Policy, and the same markup is saved for slides and rendered to PNG. Cards and
trace arrows carry `data-` attributes (their ids, and each card's chain) that the report's one small
script reads to highlight a chain; without the script they change nothing. Every text
line carries `textLength`, the width the layout measured from the bundled font: with that font it
changes nothing, and with any other (a slide tool that ignores embedded fonts) the text still fits its box.
Every piece of map text is escaped here, and nowhere else needs to be.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

from agent.reports.card_text import TextRole
from agent.reports.layout import (
    Card,
    CardKind,
    Connector,
    ConnectorKind,
    DiagramLayout,
    LegendItem,
    Rect,
    Row,
    Swatch,
    TextLine,
)
from agent.reports.text_metrics import BOLD_FONT, FONT_FAMILY, REGULAR_FONT
from agent.terminal_text import neutralise_bidi

MARGIN_RIGHT = 24.0
FONT_STACK = f"'{FONT_FAMILY}', 'Bitstream Vera Sans', Verdana, sans-serif"
INK = "#1b1b1b"
MARK_INK = "#8c1d18"


@dataclass(frozen=True)
class CardStyle:
    """How one kind of card looks; the shape differs by kind too, so grey print still tells them apart."""

    fill: str
    stroke: str
    width: float
    radius: float
    ink: str


# Chosen to stay apart for colour-blind readers too (tests/test_report_colours.py simulates deuteranopia
# and protanopia): blue stages, amber gates, violet duplications, crimson losses. Gate and final gate
# share a hue and differ in shape (double posts).
CARD_STYLES: dict[CardKind, CardStyle] = {
    CardKind.CUSTOMER_STAGE: CardStyle("#e4eefa", "#1d5c99", 2.0, 9, "#154a7d"),
    CardKind.INTERNAL_STAGE: CardStyle("#f1f1ee", "#6b6b6b", 1.2, 2, "#4a4a4a"),
    CardKind.GATE: CardStyle("#fff4e0", "#b57d00", 1.6, 3, "#6e4b00"),
    CardKind.FINAL_GATE: CardStyle("#ffefc4", "#a37000", 2.4, 3, "#5a3d00"),
    CardKind.DUPLICATION: CardStyle("#f0e9fd", "#5400cc", 1.6, 14, "#4a0fa8"),
    CardKind.LOSS: CardStyle("#fbe6ea", "#8c0a2e", 2.0, 2, "#7a0926"),
}
FLOW_INK = "#3a3a3a"
TRACE_INK = {CardKind.DUPLICATION: "#5400cc", CardKind.LOSS: "#8c0a2e"}
VEP_FILL = "#0b6e69"
GUIDE_INK = "#8a8a8a"

# XML 1.0 forbids most control characters; a transcript may carry them, and one would break the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """Escape map text for XML content and attribute values (both quotes included).

    Bidi controls are shown as `\\uXXXX`: a right-to-left override in a quote would otherwise show its
    words (and everything after them in the element) reversed.
    """
    text = neutralise_bidi(_NOT_XML.sub("\ufffd", text))
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")
    )


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(line: TextLine, ink: str) -> str:
    weight = ' font-weight="bold"' if line.bold else ""
    return (
        f'<text x="{_n(line.x)}" y="{_n(line.baseline)}" font-size="{_n(line.size)}"{weight} fill="{ink}" '
        f'textLength="{_n(line.width)}" lengthAdjust="spacingAndGlyphs">{xml_text(line.text)}</text>'
    )


def _rect(box: Rect, fill: str, stroke: str, width: float, radius: float = 0, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    rounded = f' rx="{_n(radius)}"' if radius else ""
    return (
        f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.w)}" height="{_n(box.h)}"{rounded} '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{_n(width)}"{dash}/>'
    )


def _polygon(points: tuple[tuple[float, float], ...], fill: str, stroke: str = "none") -> str:
    coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
    return f'<polygon points="{coords}" fill="{fill}" stroke="{stroke}"/>'


def _gate_posts(box: Rect, style: CardStyle, final: bool) -> list[str]:
    """Two posts on a gate's sides: the shape says 'gate' without colour."""
    post = 6.0
    parts = [
        _rect(Rect(box.x + 3, box.y + 3, post, box.h - 6), style.stroke, "none", 0),
        _rect(Rect(box.right - 3 - post, box.y + 3, post, box.h - 6), style.stroke, "none", 0),
    ]
    if final:  # a second, thinner post on each side marks the final gate
        parts.append(_rect(Rect(box.x + 11, box.y + 3, 1.6, box.h - 6), style.stroke, "none", 0))
        parts.append(_rect(Rect(box.right - 12.6, box.y + 3, 1.6, box.h - 6), style.stroke, "none", 0))
    return parts


def _vep_diamond(mark: Rect) -> str:
    return _polygon(
        ((mark.center_x, mark.y), (mark.right, mark.center_y), (mark.center_x, mark.bottom), (mark.x, mark.center_y)),
        VEP_FILL, "#ffffff",
    )


def _card(card: Card, chain: Sequence[str] = ()) -> str:
    style = CARD_STYLES[card.kind]
    links = f' data-chain="{xml_text(" ".join(chain))}"' if chain else ""
    parts = [f'<g class="card" data-id="{xml_text(card.element_id)}"{links}><title>{xml_text(card.tooltip)}</title>',
             _rect(card.box, style.fill, style.stroke, style.width, style.radius, dashed=not card.grounded)]
    if card.kind is CardKind.FINAL_GATE:
        inner = Rect(card.box.x + 3, card.box.y + 3, card.box.w - 6, card.box.h - 6)
        parts.append(_rect(inner, "none", style.stroke, 0.8, style.radius))
    if card.kind in (CardKind.GATE, CardKind.FINAL_GATE):
        parts.extend(_gate_posts(card.box, style, card.kind is CardKind.FINAL_GATE))
    if card.vep_mark is not None:
        parts.append(_vep_diamond(card.vep_mark))
    for line in card.lines:
        ink = style.ink if line.role is TextRole.TAG else MARK_INK if line.role is TextRole.MARK else INK
        parts.append(_text(line, ink))
    parts.append("</g>")
    return "".join(parts)


def _connector(connector: Connector, source_kind: CardKind | None) -> str:
    if connector.kind is ConnectorKind.TRACE:
        ink = TRACE_INK.get(source_kind or CardKind.LOSS, TRACE_INK[CardKind.LOSS])
        stroke = f'stroke="{ink}" stroke-width="1.3" stroke-dasharray="5 3"'
    else:
        ink = FLOW_INK
        stroke = f'stroke="{ink}" stroke-width="1.6"'
    # Stop the line where the arrowhead starts, so its end does not poke through the tip.
    head = connector.head
    back = ((head[1][0] + head[2][0]) / 2, (head[1][1] + head[2][1]) / 2)
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in (*connector.points[:-1], back))
    drawn = f'<polyline points="{points}" fill="none" {stroke}/>' + _polygon(head, ink)
    if connector.source_id is None or connector.target_id is None:
        return drawn
    ends = f'data-from="{xml_text(connector.source_id)}" data-to="{xml_text(connector.target_id)}"'
    return f'<g class="{connector.kind.value}" {ends}>{drawn}</g>'


def _row(row: Row, chains: Mapping[str, Sequence[str]] | None = None) -> str:
    kinds = {card.element_id: card.kind for card in row.cards}
    chains = chains or {}
    parts = [f'<g class="row" data-row="{row.index + 1}">']
    for guide in row.guides:
        parts.append(
            f'<line x1="{_n(guide.x1)}" y1="{_n(guide.y)}" x2="{_n(guide.x2)}" y2="{_n(guide.y)}" '
            f'stroke="{GUIDE_INK}" stroke-width="1" stroke-dasharray="8 5"/>'
        )
    parts.extend(_text(label, INK) for label in row.labels)
    parts.extend(_card(card, chains.get(card.element_id, ())) for card in row.cards)
    # Arrows last: an arrowhead must sit on top of the card edge it points at.
    parts.extend(_connector(c, kinds.get(c.source_id or "")) for c in row.connectors)
    parts.append("</g>")
    return "".join(parts)


def _swatch(item: LegendItem) -> str:
    box = item.box
    middle = box.center_y
    line = f'x1="{_n(box.x)}" y1="{_n(middle)}" x2="{_n(box.right)}" y2="{_n(middle)}"'
    kind_of = {
        Swatch.CUSTOMER_STAGE: CardKind.CUSTOMER_STAGE, Swatch.INTERNAL_STAGE: CardKind.INTERNAL_STAGE,
        Swatch.GATE: CardKind.GATE, Swatch.FINAL_GATE: CardKind.FINAL_GATE,
        Swatch.DUPLICATION: CardKind.DUPLICATION, Swatch.LOSS: CardKind.LOSS,
    }
    if item.swatch in kind_of:
        style = CARD_STYLES[kind_of[item.swatch]]
        parts = [_rect(box, style.fill, style.stroke, style.width, min(style.radius, 6))]
        if item.swatch in (Swatch.GATE, Swatch.FINAL_GATE):
            parts.append(_rect(Rect(box.x + 2, box.y + 2, 4, box.h - 4), style.stroke, "none", 0))
            parts.append(_rect(Rect(box.right - 6, box.y + 2, 4, box.h - 4), style.stroke, "none", 0))
        return "".join(parts)
    if item.swatch is Swatch.VEP:
        side = box.h
        return _vep_diamond(Rect(box.center_x - side / 2, box.y, side, side))
    if item.swatch is Swatch.UNGROUNDED:
        return _rect(box, "#ffffff", "#4a4a4a", 1.4, 2, dashed=True)
    if item.swatch is Swatch.VISIBILITY:
        return f'<line {line} stroke="{GUIDE_INK}" stroke-width="1" stroke-dasharray="8 5"/>'
    connector_kind = ConnectorKind.FLOW if item.swatch is Swatch.FLOW else ConnectorKind.TRACE
    return _connector(Connector(connector_kind, ((box.x, middle), (box.right, middle))), CardKind.LOSS)


def _legend(layout: DiagramLayout) -> str:
    parts = ['<g class="legend">']
    for item in layout.legend:
        parts.append(_swatch(item))
        parts.append(_text(item.label, INK))
    parts.append("</g>")
    return "".join(parts)


@cache
def font_face_css() -> str:
    """@font-face rules carrying the bundled font as data URIs: the page and the SVG need no font file."""
    rules = []
    for path, weight in ((REGULAR_FONT, "normal"), (BOLD_FONT, "bold")):
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        rules.append(
            f"@font-face{{font-family:'{FONT_FAMILY}';font-weight:{weight};font-style:normal;"
            f"src:url(data:font/ttf;base64,{data}) format('truetype')}}"
        )
    return "".join(rules)


def _open(width: float, view: Rect, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(view.h)}" '
        f'viewBox="{_n(view.x)} {_n(view.y)} {_n(view.w)} {_n(view.h)}" role="img" '
        f'font-family="{xml_text(FONT_STACK)}"><title>{xml_text(label)}</title>'
    )


def diagram_svg(layout: DiagramLayout, *, embed_font: bool = True) -> str:
    """The whole picture (heading, rows, legend) as one standalone SVG document."""
    title = " ".join(line.text for line in layout.heading[:1]) or "Value stream"
    view = Rect(0, 0, layout.width, layout.height)
    parts = [_open(layout.width, view, f"Value stream diagram: {title}")]
    if embed_font:
        parts.append(f"<defs><style>{font_face_css()}</style></defs>")
    parts.append(f'<rect x="0" y="0" width="{_n(layout.width)}" height="{_n(layout.height)}" fill="#ffffff"/>')
    for line in layout.heading:
        parts.append(_text(line, INK))
    parts.extend(_row(row) for row in layout.rows)
    parts.append(_legend(layout))
    parts.append("</svg>")
    return "".join(parts) + "\n"


def stream_svg(layout: DiagramLayout, chains: Mapping[str, Sequence[str]] | None = None) -> str:
    """Every row (value stream) in one SVG, for the HTML report: it scales to the page's width, and each
    card names its chain for the click-to-highlight script."""
    if not layout.rows:
        return ""
    top = layout.rows[0].box.y - 4
    bottom = layout.rows[-1].box.bottom + 4
    view = Rect(0, top, layout.width, bottom - top)
    label = f"Value stream diagram: {len(layout.rows)} stream{'s' * (len(layout.rows) != 1)}"
    return (_open(layout.width, view, label).replace("<svg ", '<svg class="stream" preserveAspectRatio="xMidYMid meet" ', 1)
            + '<g class="pan">' + "".join(_row(row, chains) for row in layout.rows) + "</g></svg>")


def region_svg(layout: DiagramLayout, region: Rect) -> str:
    """A part of the diagram (a stream, or a close-up of some columns) as a standalone SVG, for slides.

    The viewBox clips what straddles the edge; what lies wholly outside is left out, so a close-up of a
    long stream stays small to render.
    """
    view = Rect(region.x, region.y - 4, region.w, region.h + 8)
    parts = [_open(region.w, view, "Value stream diagram, part"),
             f'<rect x="{_n(view.x)}" y="{_n(view.y)}" width="{_n(view.w)}" height="{_n(view.h)}" fill="#ffffff"/>']
    for row in layout.rows:
        if not row.box.overlaps(region):
            continue
        inside = replace(
            row,
            cards=tuple(c for c in row.cards if c.box.overlaps(region)),
            labels=tuple(t for t in row.labels if t.box.overlaps(region)),
            connectors=tuple(c for c in row.connectors if _bounds(c.points).overlaps(region)),
        )
        parts.append(_row(inside))
    parts.append("</svg>")
    return "".join(parts) + "\n"


def _bounds(points: tuple[tuple[float, float], ...]) -> Rect:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Rect(min(xs) - 1, min(ys) - 1, max(xs) - min(xs) + 2, max(ys) - min(ys) + 2)


def legend_svg(layout: DiagramLayout) -> str:
    """The legend alone, for the HTML report."""
    box = layout.legend_box or Rect(0, 0, layout.width, 0)
    width = min(layout.width, box.right + MARGIN_RIGHT)  # its own width: it keeps its size beside a long stream
    view = Rect(0, box.y - 4, width, box.h + 8)
    return _open(width, view, "Legend of the value stream diagram") + _legend(layout) + "</svg>"
