"""The deck a consultant hands over: `vsm report --format pptx`, built with python-pptx.

Slides: a title; the stream (one overview per value stream, then close-ups a few columns wide so every
card reads at slide size); one slide per core question with its findings and their verified quotes
(continued on more slides when they do not fit); the Surviving Value of each final gate that has one.
The diagram is the report's own layout rendered to high-resolution PNG by resvg with the bundled font
(PowerPoint, Keynote and Google Slides take no SVG through python-pptx). Text is set in Arial, a font
every slide tool has; its lines are measured with the bundled DejaVu Sans, which is wider, so text that
fits here fits there. python-pptx (about 0.4 s to import) is imported only when a deck is asked for.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from agent import __version__
from agent.reports.content import FindingView, ReportContent, plural, report_content
from agent.reports.layout import CardKind, DiagramLayout, Rect, Row, layout_diagram
from agent.reports.png import RenderError
from agent.reports.svg import region_svg
from agent.reports.text_metrics import BOLD_FONT, FONT_FAMILY, REGULAR_FONT, font_metrics, wrap_text
from schemas.findings import CheckReport
from schemas.value_map import ValueMap

if TYPE_CHECKING:
    from pptx.slide import Slide
    from pptx.text.text import TextFrame

FONT = "Arial"
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5  # 16:9
MARGIN_IN = 0.5
TITLE_H_IN = 0.9
PX_PER_IN = 96.0
IMAGE_DPI = 150  # pixels per inch on the slide: a full-width picture is 2,000 px, a 1080p projector's width
CLOSE_UP_COLUMNS = 6  # stages and gates per close-up: readable at slide size
FINDINGS_SLIDES_PER_QUESTION = 4  # past this, the deck points to the HTML report for the rest
QUOTES_PER_FINDING = 2
INK = (0x1B, 0x1B, 0x1B)
MUTED = (0x55, 0x55, 0x55)
SEVERITY_INK = {"error": (0xA3, 0x20, 0x18), "warning": (0x8A, 0x52, 0x00), "info": (0x1D, 0x5C, 0x99)}


class SlidesError(RenderError):
    pass


def report_slides(value_map: ValueMap, report: CheckReport, *, layout: DiagramLayout | None = None) -> bytes:
    """The deck as .pptx bytes."""
    try:
        from pptx import Presentation
        from pptx.util import Inches
    except ImportError:
        raise SlidesError("slides need the python-pptx package (pip install python-pptx)") from None
    content = report_content(value_map, report)
    layout = layout or layout_diagram(value_map)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    _title_slide(deck, content)
    for row in layout.rows:
        _stream_slides(deck, layout, row)
    for question, findings in content.questions:
        _question_slides(deck, f"{question.number}. {question.text}", findings)
    _surviving_value_slides(deck, value_map)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------
# Building blocks.


def _blank(deck: object) -> Slide:
    return deck.slides.add_slide(deck.slide_layouts[6])  # type: ignore[attr-defined, no-any-return]


def _textbox(slide: Slide, x: float, y: float, w: float, h: float) -> TextFrame:
    from pptx.util import Emu, Inches

    frame: TextFrame = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h)).text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Emu(0)
    return frame


def _paragraph(frame: TextFrame, text: str, size: float, *, bold: bool = False, italic: bool = False,
               colour: tuple[int, int, int] = INK, first: bool = False, space_before: float = 0) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()  # type: ignore[no-untyped-call]
    paragraph.space_before = Pt(space_before)
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, italic
    font.color.rgb = RGBColor(*colour)  # type: ignore[no-untyped-call]


def _title(slide: Slide, text: str, subtitle: str = "") -> None:
    frame = _textbox(slide, MARGIN_IN, 0.35, SLIDE_W_IN - 2 * MARGIN_IN, TITLE_H_IN)
    _paragraph(frame, text, 26, bold=True, first=True)
    if subtitle:
        _paragraph(frame, subtitle, 13, colour=MUTED, space_before=2)


def _lines(text: str, width_in: float, size_pt: float, bold: bool = False) -> int:
    """How many lines `text` takes in a box `width_in` wide, measured with the (wider) bundled font."""
    return max(1, len(wrap_text(text, width_in * 72, size_pt, bold=bold)))


def _title_slide(deck: object, content: ReportContent) -> None:
    slide = _blank(deck)
    frame = _textbox(slide, 0.9, 2.2, SLIDE_W_IN - 1.8, 3.6)
    _paragraph(frame, content.title, 38, bold=True, first=True)
    if content.description:
        _paragraph(frame, content.description, 18, colour=MUTED, space_before=10)
    counts = ", ".join(plural(n, s) for s, n in content.counts.items() if n) or "no findings"
    _paragraph(frame, f"Value stream report: {plural(content.element_count, 'element')}; {counts}.", 14,
               colour=MUTED, space_before=18)
    _paragraph(frame, f"Made by vsm {__version__} (Wasteless Growth value stream mapping).", 12,
               colour=MUTED, space_before=4)


# ---------------------------------------------------------------------------------------------------
# The stream: an overview per value stream, then close-ups.


@dataclass(frozen=True)
class _Window:
    """A part of a row to show on one slide, in diagram pixels."""

    box: Rect
    first: int  # 1-based number of the first stage or gate shown
    last: int


def _windows(row: Row) -> list[_Window]:
    """Close-ups of CLOSE_UP_COLUMNS stages and gates each; a band card goes with the window its middle is in."""
    columns = sorted((c for c in row.cards if c.kind not in (CardKind.DUPLICATION, CardKind.LOSS)),
                     key=lambda c: c.box.x)
    bands = [c for c in row.cards if c.kind in (CardKind.DUPLICATION, CardKind.LOSS)]
    if len(columns) <= CLOSE_UP_COLUMNS:
        return []
    windows = []
    left = row.box.x
    for start in range(0, len(columns), CLOSE_UP_COLUMNS):
        group = columns[start:start + CLOSE_UP_COLUMNS]
        is_last = start + CLOSE_UP_COLUMNS >= len(columns)
        right = row.box.right if is_last else group[-1].box.right + 18
        right = max([right] + [b.box.right + 6 for b in bands if left <= b.box.center_x < right])
        windows.append(_Window(Rect(left, row.box.y, right - left, row.box.h), start + 1, start + len(group)))
        left = right
    return windows


def _render(svg: str, zoom: float, covered: bool) -> bytes:
    import resvg_py

    try:
        return bytes(resvg_py.svg_to_bytes(svg_string=svg, font_files=[str(REGULAR_FONT), str(BOLD_FONT)],
                                           font_family=FONT_FAMILY, sans_serif_family=FONT_FAMILY,
                                           skip_system_fonts=covered, zoom=zoom, background="#ffffff"))
    except ValueError as err:
        raise SlidesError(f"could not render the diagram for the slides ({err})") from None


def _picture(slide: Slide, layout: DiagramLayout, region: Rect, top_in: float) -> None:
    """`region` of the diagram as a PNG, as large as fits below the title, sharp at IMAGE_DPI."""
    from pptx.util import Inches

    room_w, room_h = SLIDE_W_IN - 2 * MARGIN_IN, SLIDE_H_IN - top_in - 0.35
    inches_per_px = min(room_w / region.w, room_h / region.h)
    zoom = max(min(inches_per_px * IMAGE_DPI, 4.0), 0.05)
    # System fonts are loaded only for characters the bundled font lacks (CJK, say), as for `--format png`.
    covered = all(font_metrics(line.bold).covers(line.text) for line in layout.texts())
    png = _render(region_svg(layout, region), zoom, covered)
    w, h = region.w * inches_per_px, region.h * inches_per_px
    slide.shapes.add_picture(io.BytesIO(png), Inches((SLIDE_W_IN - w) / 2), Inches(top_in), Inches(w), Inches(h))


def _stream_slides(deck: object, layout: DiagramLayout, row: Row) -> None:
    name = _stream_name(layout, row)
    columns = sum(1 for c in row.cards if c.kind not in (CardKind.DUPLICATION, CardKind.LOSS))
    windows = _windows(row)
    slide = _blank(deck)
    more = f"; close-ups follow, {CLOSE_UP_COLUMNS} at a time" if windows else ""
    _title(slide, name, f"{columns} stages and gates left to right, customer-facing above the line "
           f"of visibility; losses below, with arrows back to what they trace to{more}.")
    _picture(slide, layout, row.box, 1.45)
    for number, window in enumerate(windows, start=1):
        slide = _blank(deck)
        _title(slide, f"{name}: close-up {number} of {len(windows)}",
               f"Stages and gates {window.first} to {window.last} of {columns}.")
        _picture(slide, layout, window.box, 1.45)


def _stream_name(layout: DiagramLayout, row: Row) -> str:
    if len(layout.rows) == 1:
        return "The stream"
    return f"Value stream {row.index + 1} of {len(layout.rows)}"


# ---------------------------------------------------------------------------------------------------
# Findings by core question.

BODY_W_IN = SLIDE_W_IN - 2 * MARGIN_IN
BODY_TOP_IN = 1.35
BODY_H_IN = SLIDE_H_IN - BODY_TOP_IN - 0.4
LINE = 1.2  # line height as a multiple of the font size


@dataclass(frozen=True)
class _Block:
    """One finding as it is set on a slide: paragraphs of (text, size, bold, italic, colour, space before)."""

    paragraphs: tuple[tuple[str, float, bool, bool, tuple[int, int, int], float], ...]

    @property
    def height_in(self) -> float:
        return sum((_lines(text, BODY_W_IN, size, bold) * size * LINE + before) / 72
                   for text, size, bold, _, _, before in self.paragraphs)


def _finding_block(view: FindingView) -> _Block:
    finding = view.finding
    severity = finding.severity.value
    paragraphs = [
        (f"{severity.upper()}  {finding.code}", 12.0, True, False, SEVERITY_INK[severity], 10.0),
        (finding.reason, 14.0, False, False, INK, 2.0),
        (f"Ask next: {finding.next_question}", 13.0, True, False, INK, 3.0),
    ]
    shown = 0
    for element in view.elements:
        for quote in element.quotes:
            if shown == QUOTES_PER_FINDING:
                break
            paragraphs.append((f"“{quote.text}” — {quote.attribution}", 12.0, False, True, MUTED, 3.0))
            shown += 1
    return _Block(tuple(paragraphs))


def _pages(blocks: list[_Block]) -> Iterator[list[_Block]]:
    page: list[_Block] = []
    used = 0.0
    for block in blocks:
        height = min(block.height_in, BODY_H_IN)
        if page and used + height > BODY_H_IN:
            yield page
            page, used = [], 0.0
        if height < block.height_in:  # a finding taller than a slide: its quotes give way
            block = replace(block, paragraphs=block.paragraphs[:3])
        page.append(block)
        used += height
    if page:
        yield page


def _question_slides(deck: object, heading: str, findings: list[FindingView]) -> None:
    pages = list(_pages([_finding_block(view) for view in findings]))
    if not pages:
        slide = _blank(deck)
        _title(slide, heading)
        frame = _textbox(slide, MARGIN_IN, BODY_TOP_IN, BODY_W_IN, 1)
        _paragraph(frame, "Nothing flagged.", 16, italic=True, colour=MUTED, first=True)
        return
    shown = pages[:FINDINGS_SLIDES_PER_QUESTION]
    left_out = sum(len(page) for page in pages[FINDINGS_SLIDES_PER_QUESTION:])
    for number, page in enumerate(shown, start=1):
        slide = _blank(deck)
        part = f" ({number} of {len(shown)})" if len(shown) > 1 else ""
        _title(slide, heading + part, plural(len(findings), "finding") + (
            f"; {left_out} more in the HTML report" if left_out and number == len(shown) else ""))
        frame = _textbox(slide, MARGIN_IN, BODY_TOP_IN, BODY_W_IN, BODY_H_IN)
        first = True
        for block in page:
            for text, size, bold, italic, colour, before in block.paragraphs:
                _paragraph(frame, text, size, bold=bold, italic=italic, colour=colour, first=first,
                           space_before=0 if first else before)
                first = False


# ---------------------------------------------------------------------------------------------------
# Surviving Value.


def _money(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _surviving_value_slides(deck: object, value_map: ValueMap) -> None:
    for gate in value_map.thresholds:
        purchase = gate.purchase
        if purchase is None or purchase.surviving_value is None:
            continue
        assert purchase.perceived_value is not None and purchase.accumulated_loss is not None
        slide = _blank(deck)
        _title(slide, f"Surviving Value at {gate.name}",
               "Perceived value minus the loss accumulated on the way: what is left when the customer pays.")
        unit = ""
        if purchase.price is not None:
            period = f" per {purchase.price.period}" if purchase.price.period else ""
            unit = f"{purchase.price.currency}{period}"
        figures = [("Perceived value", purchase.perceived_value), ("Accumulated loss", purchase.accumulated_loss),
                   ("Surviving Value", purchase.surviving_value)]
        if purchase.price is not None:
            figures.append(("Price", purchase.price.amount))
        width = BODY_W_IN / len(figures)
        for index, (label, value) in enumerate(figures):
            frame = _textbox(slide, MARGIN_IN + index * width, 2.0, width - 0.2, 2.2)
            _paragraph(frame, label, 16, colour=MUTED, first=True)
            colour = SEVERITY_INK["error"] if label == "Surviving Value" and value < 0 else INK
            _paragraph(frame, _money(value), 44, bold=True, colour=colour, space_before=4)
            if unit:
                _paragraph(frame, unit, 13, colour=MUTED)
        frame = _textbox(slide, MARGIN_IN, 4.6, BODY_W_IN, 2.2)
        verdict = ("more than the price: the value survives the stream"
                   if purchase.price is not None and purchase.surviving_value >= purchase.price.amount
                   else "less than the price: the customer pays for value the stream has lost"
                   if purchase.price is not None else "")
        sentence = (f"{_money(purchase.perceived_value)} − {_money(purchase.accumulated_loss)} = "
                    f"{_money(purchase.surviving_value)}" + (f", {verdict}." if verdict else "."))
        _paragraph(frame, sentence, 18, first=True)
        for compensation in purchase.compensation:
            detail = f": {compensation.detail}" if compensation.detail else ""
            _paragraph(frame, f"Compensation: {compensation.kind.value.replace('_', ' ')}{detail}", 14,
                       colour=MUTED, space_before=6)


