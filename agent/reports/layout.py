"""The diagram's geometry: a value map in, positioned cards, gates, bands and arrows out. Pure, no I/O.

The picture is laid out by rule, not by a layout engine, so it is fast, the same on every machine and
provable: tests compute every box from this model and check that no text overlaps.

The whole stream reads left to right on one line: stages in columns, each threshold a gate column right
after the stage it stands at. Customer-facing stages sit in the upper lane, internal ones in the lower
lane (the line of visibility between them); gates span both. Below hang two bands: duplications, then
losses, each under the latest gate it traces to, with arrows back up to those gates and duplications.
A long stream is never wrapped: the reader scales it (the HTML report fits it to the page, with pan and
zoom). A map that joins several businesses (an engagement map) draws one row per value stream, each
complete and never interleaved with another; a link across streams is written in the card ("traces to
T2"), not drawn.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from agent.checks.view import MapView
from agent.reports.card_text import (
    TEXT_STYLES,
    CardContext,
    Paragraph,
    TextRole,
    duplication_paragraphs,
    gate_paragraphs,
    loss_paragraphs,
    stage_paragraphs,
)
from agent.reports.stream import Slot, ValueStream, read_stream, value_streams
from agent.reports.text_metrics import font_metrics, wrap_text
from schemas.elements import Duplication, Element, Loss, Threshold
from schemas.value_map import ValueMap

# Geometry, in CSS pixels at 1x.
MARGIN = 24.0
GUTTER = 128.0  # each row's left column: lane and band labels
GUTTER_TEXT = GUTTER - 34  # the rest of the gutter is where the "continued" arrow enters
STAGE_W = 184.0
GATE_W = 204.0
BAND_CARD_W = 192.0
SLOT_GAP = 36.0  # between columns: room for the flow arrow's elbow
BAND_GAP = 18.0
PAD = 9.0
GATE_PAD_X = 17.0  # gates have posts on both sides
LANE_GAP = 16.0
MIN_LANE = 56.0
ROW_TOP = 12.0  # above the cards: room for the VEP diamonds that sit on a card's top edge
ROW_GAP = 30.0
CHANNEL_PAD = 9.0
TRACK = 7.0
MIN_CHANNEL = 20.0
CORRIDOR_STEP = 8.0
PARA_GAP = 3.0
LINE_SPACING = 1.3
VEP_MARK = 14.0
ARROW_LENGTH = 8.0
ARROW_HALF_WIDTH = 4.0
READING_WIDTH = 1200.0  # the heading and legend wrap at this width, however wide the stream


class CardKind(StrEnum):
    CUSTOMER_STAGE = "customer-stage"
    INTERNAL_STAGE = "internal-stage"
    GATE = "gate"
    FINAL_GATE = "final-gate"
    DUPLICATION = "duplication"
    LOSS = "loss"


class ConnectorKind(StrEnum):
    FLOW = "flow"  # the stream, left to right
    TRACE = "trace"  # a loss or duplication, back to what it traces to


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def center_x(self) -> float:
        return self.x + self.w / 2

    @property
    def center_y(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Rect) -> bool:
        """True when the interiors meet (touching edges do not count)."""
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom

    def contains(self, other: Rect, tolerance: float = 0.01) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def moved(self, dy: float) -> Rect:
        return replace(self, y=self.y + dy)


@dataclass(frozen=True)
class TextLine:
    """One line of text, left-aligned at `x`; `width` is measured from the bundled font."""

    text: str
    x: float
    baseline: float
    role: TextRole
    width: float

    @property
    def size(self) -> float:
        return TEXT_STYLES[self.role][0]

    @property
    def bold(self) -> bool:
        return TEXT_STYLES[self.role][1]

    @property
    def box(self) -> Rect:
        metrics = font_metrics(self.bold)
        top = self.baseline - metrics.ascent * self.size
        return Rect(self.x, top, self.width, (metrics.ascent + metrics.descent) * self.size)

    def moved(self, dy: float) -> TextLine:
        return replace(self, baseline=self.baseline + dy)


Point = tuple[float, float]


@dataclass(frozen=True)
class Card:
    """A stage, gate, duplication or loss: a box with its text, and how far a reader can trust it."""

    element_id: str
    tag: str
    kind: CardKind
    box: Rect
    lines: tuple[TextLine, ...]
    grounded: bool  # has at least one verified quote
    confirmed: bool  # a person confirmed or edited it
    tooltip: str
    vep_mark: Rect | None = None  # the diamond on the top edge of a stage with a value evocation point

    def moved(self, dy: float) -> Card:
        return replace(
            self,
            box=self.box.moved(dy),
            lines=tuple(line.moved(dy) for line in self.lines),
            vep_mark=self.vep_mark.moved(dy) if self.vep_mark else None,
        )


@dataclass(frozen=True)
class Connector:
    """A polyline with an arrowhead at its last point."""

    kind: ConnectorKind
    points: tuple[Point, ...]
    source_id: str | None = None
    target_id: str | None = None

    @property
    def head(self) -> tuple[Point, Point, Point]:
        (x1, y1), (x2, y2) = self.points[-2], self.points[-1]
        length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-9)
        dx, dy = (x2 - x1) / length, (y2 - y1) / length
        back = (x2 - dx * ARROW_LENGTH, y2 - dy * ARROW_LENGTH)
        return (
            (x2, y2),
            (back[0] - dy * ARROW_HALF_WIDTH, back[1] + dx * ARROW_HALF_WIDTH),
            (back[0] + dy * ARROW_HALF_WIDTH, back[1] - dx * ARROW_HALF_WIDTH),
        )

    def segments(self) -> Iterator[tuple[Point, Point]]:
        yield from zip(self.points, self.points[1:], strict=False)

    def moved(self, dy: float) -> Connector:
        return replace(self, points=tuple((x, y + dy) for x, y in self.points))


@dataclass(frozen=True)
class Guide:
    """The dashed line of visibility between the customer-facing and the internal lane."""

    x1: float
    x2: float
    y: float

    def moved(self, dy: float) -> Guide:
        return replace(self, y=self.y + dy)


@dataclass(frozen=True)
class Row:
    """One value stream, left to right, with its bands; an engagement map has one per business."""

    index: int
    box: Rect
    cards: tuple[Card, ...]
    connectors: tuple[Connector, ...]
    labels: tuple[TextLine, ...]
    guides: tuple[Guide, ...]

    def moved(self, dy: float) -> Row:
        return Row(
            index=self.index,
            box=self.box.moved(dy),
            cards=tuple(card.moved(dy) for card in self.cards),
            connectors=tuple(c.moved(dy) for c in self.connectors),
            labels=tuple(label.moved(dy) for label in self.labels),
            guides=tuple(g.moved(dy) for g in self.guides),
        )


class Swatch(StrEnum):
    CUSTOMER_STAGE = "customer-stage"
    INTERNAL_STAGE = "internal-stage"
    GATE = "gate"
    FINAL_GATE = "final-gate"
    VEP = "vep"
    DUPLICATION = "duplication"
    LOSS = "loss"
    UNGROUNDED = "ungrounded"
    FLOW = "flow"
    TRACE = "trace"
    VISIBILITY = "visibility"


@dataclass(frozen=True)
class LegendItem:
    swatch: Swatch
    box: Rect
    label: TextLine

    def moved(self, dy: float) -> LegendItem:
        return LegendItem(self.swatch, self.box.moved(dy), self.label.moved(dy))


@dataclass(frozen=True)
class DiagramLayout:
    """Everything the SVG draws, in absolute coordinates."""

    width: float
    height: float
    heading: tuple[TextLine, ...]
    rows: tuple[Row, ...]
    legend: tuple[LegendItem, ...]
    legend_box: Rect | None = None

    def cards(self) -> Iterator[Card]:
        for row in self.rows:
            yield from row.cards

    def texts(self) -> Iterator[TextLine]:
        yield from self.heading
        for row in self.rows:
            yield from row.labels
            for card in row.cards:
                yield from card.lines
        for item in self.legend:
            yield item.label


# ---------------------------------------------------------------------------------------------------
# Typesetting: wrap paragraphs into lines at known positions.


def typeset(paragraphs: Sequence[Paragraph], x: float, y: float, width: float) -> tuple[list[TextLine], float]:
    """Lines for `paragraphs` set from (x, y) down, and the height they take."""
    lines: list[TextLine] = []
    cursor = y
    for index, paragraph in enumerate(paragraphs):
        size, bold = TEXT_STYLES[paragraph.role]
        metrics = font_metrics(bold)
        line_height = size * LINE_SPACING
        # Centre the glyphs' extent in the line box, so consecutive lines never touch.
        lead = (line_height - (metrics.ascent + metrics.descent) * size) / 2 + metrics.ascent * size
        if index:
            cursor += PARA_GAP
        for text in wrap_text(paragraph.text, width, size, bold=bold, max_lines=paragraph.max_lines):
            lines.append(TextLine(text, x, cursor + lead, paragraph.role, metrics.width(text, size)))
            cursor += line_height
    return lines, cursor - y


def _shifted(lines: Sequence[TextLine], dx: float, dy: float) -> tuple[TextLine, ...]:
    return tuple(replace(line, x=line.x + dx, baseline=line.baseline + dy) for line in lines)


@dataclass
class _Draft:
    """A card whose text is set but whose place is not yet known."""

    element: Element
    kind: CardKind
    width: float
    pad_x: float
    lines: list[TextLine]
    text_height: float
    has_vep: bool = False

    @property
    def height(self) -> float:
        return self.text_height + 2 * PAD

    def place(self, x: float, y: float, height: float, tag: str) -> Card:
        box = Rect(x, y, self.width, max(height, self.height))
        vep = Rect(box.right - VEP_MARK - 10, y - VEP_MARK / 2, VEP_MARK, VEP_MARK) if self.has_vep else None
        detail = f"\n{self.element.detail}" if self.element.detail else ""
        return Card(
            element_id=self.element.id,
            tag=tag,
            kind=self.kind,
            box=box,
            lines=_shifted(self.lines, x + self.pad_x, y + PAD),
            grounded=any(q.verified for q in self.element.evidence),
            confirmed=self.element.provenance.confirmed,
            tooltip=f"{tag} {self.element.name}{detail}",
            vep_mark=vep,
        )


def _draft(element: Element, kind: CardKind, width: float, paragraphs: list[Paragraph], has_vep: bool = False) -> _Draft:
    pad_x = GATE_PAD_X if kind in (CardKind.GATE, CardKind.FINAL_GATE) else PAD
    # Leave the top-right corner free for the VEP diamond.
    lines, height = typeset(paragraphs, 0, 0, width - 2 * pad_x)
    if has_vep and lines and lines[0].width > width - 2 * pad_x - VEP_MARK - 12:
        lines, height = typeset(paragraphs, 0, 0, width - 2 * pad_x - VEP_MARK - 12)
    return _Draft(element, kind, width, pad_x, lines, height, has_vep)


def _slot_draft(slot: Slot, ctx: CardContext) -> _Draft:
    element = slot.element
    if isinstance(element, Threshold):
        kind = CardKind.FINAL_GATE if element.is_final else CardKind.GATE
        return _draft(element, kind, GATE_W, gate_paragraphs(element, ctx))
    kind = CardKind.CUSTOMER_STAGE if element.customer_visible else CardKind.INTERNAL_STAGE
    has_vep = bool(ctx.view.veps_by_stage.get(element.id))
    return _draft(element, kind, STAGE_W, stage_paragraphs(element, ctx), has_vep)


def _band_draft(element: Duplication | Loss, ctx: CardContext) -> _Draft:
    if isinstance(element, Duplication):
        return _draft(element, CardKind.DUPLICATION, BAND_CARD_W, duplication_paragraphs(element, ctx))
    return _draft(element, CardKind.LOSS, BAND_CARD_W, loss_paragraphs(element, ctx))


# ---------------------------------------------------------------------------------------------------
# Which row (value stream) each element lives in.


def _row_width(slots: Sequence[Slot]) -> float:
    return sum(GATE_W if s.is_gate else STAGE_W for s in slots) + SLOT_GAP * max(len(slots) - 1, 0)


@dataclass(frozen=True)
class _Homes:
    """Row and column (slot index in the whole stream) of every element that is drawn."""

    slot_of: dict[str, int]
    row_of_slot: list[int]
    band_anchor: dict[str, int | None]  # duplication or loss -> the latest slot it traces to

    def row_of(self, element_id: str, last_row: int) -> int:
        slot = self.slot_of.get(element_id, self.band_anchor.get(element_id))
        return last_row if slot is None else self.row_of_slot[slot]


def _homes(value_map: ValueMap, rows: list[list[Slot]]) -> _Homes:
    slot_of: dict[str, int] = {}
    row_of_slot: list[int] = []
    for row_index, row in enumerate(rows):
        for slot in row:
            slot_of[slot.element.id] = len(row_of_slot)
            row_of_slot.append(row_index)
    stage_of_vep = {vep.id: vep.stage_id for vep in value_map.veps}
    anchor: dict[str, int | None] = {}
    for dup in value_map.duplications:
        slots = [slot_of[t] for t in dup.threshold_ids]
        if not slots:  # no threshold recorded: hang it under where its propositions are used
            for vp in value_map.propositions:
                if vp.id in dup.proposition_ids:
                    slots += [slot_of[stage_of_vep.get(ref, ref)] for ref in vp.used_at_ids]
        anchor[dup.id] = max(slots, default=None)
    for loss in value_map.losses:
        slots = [slot_of[t] for t in loss.threshold_ids]
        slots += [a for d in loss.duplication_ids if (a := anchor[d]) is not None]
        anchor[loss.id] = max(slots, default=None)
    return _Homes(slot_of, row_of_slot, anchor)


# ---------------------------------------------------------------------------------------------------
# One row.


@dataclass
class _BandCard:
    draft: _Draft
    x: float
    level: int  # 0 is the main band; 1.. the band lines below it, top to bottom
    card: Card | None = None


@dataclass
class _Link:
    """A trace arrow to route: from a band card's top edge up to a target's bottom edge."""

    source: _BandCard
    target_id: str
    target_level: int
    source_x: float = 0.0
    target_x: float = 0.0
    corridor_x: float | None = None
    tracks: dict[int, int] = field(default_factory=dict)  # channel -> track


def _pack_band(drafts: list[tuple[_Draft, float]], left: float, right: float, first_level: int) -> list[_BandCard]:
    """Place cards as near their wanted centres as they fit, in lines; a full line opens the next one.

    Each card goes right of the one before it; when the line runs past `right`, the line is pushed
    back left as a block; when even that does not fit, the card starts a new line below.
    """
    lines: list[list[_BandCard]] = [[]]
    for draft, wanted_center in sorted(drafts, key=lambda item: item[1]):
        card = _BandCard(draft, wanted_center - draft.width / 2, first_level + len(lines) - 1)
        if not _fits(lines[-1] + [card], left, right):
            lines.append([])
            card.level += 1
        lines[-1].append(card)
        _settle(lines[-1], left, right)
    return [card for line in lines for card in line]


def _settle(line: list[_BandCard], left: float, right: float) -> None:
    """Positions for a line of cards: left to right without overlap, then pushed back inside `right`."""
    cursor = left
    for card in line:
        card.x = max(card.x, cursor)
        cursor = card.x + card.draft.width + BAND_GAP
    limit = right
    for card in reversed(line):
        card.x = min(card.x, limit - card.draft.width)
        limit = card.x - BAND_GAP


def _fits(line: list[_BandCard], left: float, right: float) -> bool:
    needed = sum(card.draft.width for card in line) + BAND_GAP * (len(line) - 1)
    return len(line) == 1 or needed <= right - left


def _assign_tracks(spans: list[tuple[float, float, _Link]], channel: int) -> int:
    """Give each horizontal run in a channel a track so that runs on one track never overlap."""
    ends: list[float] = []
    for low, high, link in sorted(spans, key=lambda s: (s[0], s[1])):
        for track, end in enumerate(ends):
            if low > end + TRACK:
                ends[track] = high
                link.tracks[channel] = track
                break
        else:
            link.tracks[channel] = len(ends)
            ends.append(high)
    return len(ends)


def _spread(x: float, width: float, count: int) -> list[float]:
    """`count` attachment points spaced evenly along an edge from `x`, `width` long."""
    return [x + width * (i + 1) / (count + 1) for i in range(count)]


@dataclass
class _RowBuilder:
    index: int
    row_count: int
    stream: ValueStream
    band_elements: list[Duplication | Loss]
    ctx: CardContext
    band_right: float
    homes: _Homes
    cards: list[Card] = field(default_factory=list)
    connectors: list[Connector] = field(default_factory=list)
    labels: list[TextLine] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)

    @property
    def slots(self) -> tuple[Slot, ...]:
        return self.stream.slots

    def build(self) -> Row:
        left = MARGIN + GUTTER
        drafts = [_slot_draft(slot, self.ctx) for slot in self.slots]
        xs = self._columns(drafts, left)
        customer_h, internal_h = self._lanes(drafts)
        top = ROW_TOP + self._title()
        main_bottom = top + customer_h + LANE_GAP + internal_h
        slot_cards = self._place_slots(drafts, xs, top, customer_h, internal_h)
        self._flow(slot_cards, top)
        self.guides.append(Guide(MARGIN, max([c.box.right for c in slot_cards], default=left + STAGE_W),
                                 top + customer_h + LANE_GAP / 2))
        bottom = self._bands(slot_cards, main_bottom)
        right = max([c.box.right for c in self.cards] + [p[0] for c in self.connectors for p in c.points] + [left])
        return Row(
            index=self.index,
            box=Rect(MARGIN, 0, right + 12 - MARGIN, bottom),
            cards=tuple(self.cards),
            connectors=tuple(self.connectors),
            labels=tuple(self.labels),
            guides=tuple(self.guides),
        )

    def _columns(self, drafts: list[_Draft], left: float) -> list[float]:
        xs, x = [], left
        for draft in drafts:
            xs.append(x)
            x += draft.width + SLOT_GAP
        return xs

    def _gutter(self, texts: list[Paragraph], y: float) -> float:
        lines, height = typeset(texts, MARGIN, y, GUTTER_TEXT)
        self.labels.extend(lines)
        return height

    def _title(self) -> float:
        """The stream's name above its row, when the map holds more than one stream; returns its height."""
        if self.row_count == 1:
            return 0.0
        name = self.stream.name or "Untitled value stream"
        text = f"Value stream {self.index + 1} of {self.row_count}: {name}"
        width = max(_row_width(self.slots), READING_WIDTH - GUTTER)
        lines, height = typeset([Paragraph(text, TextRole.TITLE, 2)], MARGIN, 0, width)
        self.labels.extend(lines)
        return height + 6

    def _lane_labels(self) -> tuple[list[Paragraph], list[Paragraph]]:
        return [Paragraph("Customer-facing stages", TextRole.LABEL, 3)], [
            Paragraph("Internal stages", TextRole.LABEL, 3)
        ]

    def _lanes(self, drafts: list[_Draft]) -> tuple[float, float]:
        """Heights of the customer-facing and internal lanes: tallest card, gutter label, or the gates."""
        customer_label, internal_label = self._lane_labels()
        customer_h = max([MIN_LANE, _label_height(customer_label) + 2 * PAD]
                         + [d.height for d in drafts if d.kind is CardKind.CUSTOMER_STAGE])
        internal_h = max([MIN_LANE, _label_height(internal_label) + 2 * PAD]
                         + [d.height for d in drafts if d.kind is CardKind.INTERNAL_STAGE])
        gate_h = max([d.height for d in drafts if d.kind in (CardKind.GATE, CardKind.FINAL_GATE)], default=0.0)
        shortfall = gate_h - (customer_h + LANE_GAP + internal_h)
        if shortfall > 0:
            customer_h += shortfall / 2
            internal_h += shortfall / 2
        return customer_h, internal_h

    def _place_slots(self, drafts: list[_Draft], xs: list[float], top: float, customer_h: float,
                     internal_h: float) -> list[Card]:
        customer_label, internal_label = self._lane_labels()
        self._gutter(customer_label, top + PAD)
        self._gutter(internal_label, top + customer_h + LANE_GAP + PAD)
        if not drafts:
            self.labels.extend(typeset([Paragraph("No stages in this map yet: there is no stream to draw.",
                                                  TextRole.BODY, 2)], MARGIN + GUTTER, top + PAD, STAGE_W * 2)[0])
        placed = []
        for draft, x in zip(drafts, xs, strict=True):
            tag = self.ctx.stream.tag(draft.element.id)
            if draft.kind is CardKind.CUSTOMER_STAGE:
                card = draft.place(x, top, customer_h, tag)
            elif draft.kind is CardKind.INTERNAL_STAGE:
                card = draft.place(x, top + customer_h + LANE_GAP, internal_h, tag)
            else:
                card = draft.place(x, top, customer_h + LANE_GAP + internal_h, tag)
            placed.append(card)
        self.cards.extend(placed)
        return placed

    def _flow(self, cards: list[Card], top: float) -> None:
        """Arrows between consecutive columns."""

        stage_kinds = (CardKind.CUSTOMER_STAGE, CardKind.INTERNAL_STAGE)
        customer_lane_middle = top + MIN_LANE / 2

        def port(card: Card, neighbour: Card | None) -> float:
            # A stage is entered and left at its middle; a gate spans both lanes, so it meets its
            # neighbouring stage straight on.
            if card.kind in stage_kinds:
                return card.box.center_y
            if neighbour is not None and neighbour.kind in stage_kinds:
                return neighbour.box.center_y
            return customer_lane_middle

        for a, b in itertools.pairwise(cards):
            y1, y2 = port(a, b), port(b, a)
            mid = a.box.right + SLOT_GAP / 2
            points = [(a.box.right, y1), (mid, y1), (mid, y2), (b.box.x, y2)]
            self.connectors.append(Connector(ConnectorKind.FLOW, _simplified(points), a.element_id, b.element_id))

    def _bands(self, slot_cards: list[Card], main_bottom: float) -> float:
        """Place duplications and losses, route their arrows, and return the row's bottom."""
        if not self.band_elements:
            return main_bottom
        left = MARGIN + GUTTER
        center_of = {card.element_id: card.box.center_x for card in slot_cards}
        # Untraced elements hang at the downstream end of the row: where the stream ends, not where it starts.
        unanchored_x = max(center_of.values(), default=left + BAND_CARD_W / 2)
        dup_drafts = [(_band_draft(e, self.ctx), self._wanted_x(e, center_of, unanchored_x))
                      for e in self.band_elements if isinstance(e, Duplication)]
        dups = _pack_band(dup_drafts, left, self.band_right, 1)
        for placed in dups:
            center_of[placed.draft.element.id] = placed.x + placed.draft.width / 2
        first_loss_level = max((d.level for d in dups), default=0) + 1
        loss_drafts = [(_band_draft(e, self.ctx), self._wanted_x(e, center_of, unanchored_x))
                       for e in self.band_elements if isinstance(e, Loss)]
        losses = _pack_band(loss_drafts, left, self.band_right, first_loss_level)
        band = dups + losses
        levels = max(c.level for c in band)
        level_of = {slot.element.id: 0 for slot in self.slots} | {c.draft.element.id: c.level for c in band}
        links = self._links(band, level_of)
        self._choose_xs(links, band, slot_cards)
        channel_heights = self._tracks(links, levels)
        level_tops, line_heights = self._level_tops(band, levels, main_bottom, channel_heights)
        for placed in band:
            placed.card = placed.draft.place(placed.x, level_tops[placed.level], line_heights[placed.level],
                                             self.ctx.stream.tag(placed.draft.element.id))
            self.cards.append(placed.card)
        self._band_labels(dups, losses, level_tops, first_loss_level)
        self._route(links, level_tops, line_heights, main_bottom, channel_heights, slot_cards)
        return level_tops[levels] + line_heights[levels]

    def _wanted_x(self, element: Duplication | Loss, center_of: dict[str, float], unanchored_x: float) -> float:
        refs = (list(element.threshold_ids) if isinstance(element, Duplication)
                else [*element.duplication_ids, *element.threshold_ids])
        here = [center_of[r] for r in refs if r in center_of]
        if here:
            return max(here)
        anchor = self.homes.band_anchor.get(element.id)
        for card_id, x in center_of.items():
            if anchor is not None and self.homes.slot_of.get(card_id) == anchor:
                return x
        return unanchored_x

    def _links(self, band: list[_BandCard], level_of: dict[str, int]) -> list[_Link]:
        dup_thresholds = {d.id: set(d.threshold_ids) for d in self.ctx.view.map.duplications}
        links = []
        for placed in band:
            element = placed.draft.element
            if isinstance(element, Duplication):
                targets = list(element.threshold_ids)
            else:
                assert isinstance(element, Loss)
                via_dups = set().union(*(dup_thresholds[d] for d in element.duplication_ids))
                targets = [*element.duplication_ids, *(t for t in element.threshold_ids if t not in via_dups)]
            for target in dict.fromkeys(targets):
                if target in level_of and level_of[target] < placed.level:
                    links.append(_Link(placed, target, level_of[target]))
        return links

    def _choose_xs(self, links: list[_Link], band: list[_BandCard], slot_cards: list[Card]) -> None:
        """Attach points spread along each edge, and a free vertical corridor for links that skip lines."""
        x_of = {c.element_id: (c.box.x, c.box.w) for c in slot_cards}
        x_of |= {b.draft.element.id: (b.x, b.draft.width) for b in band}
        by_source: defaultdict[str, list[_Link]] = defaultdict(list)
        by_target: defaultdict[str, list[_Link]] = defaultdict(list)
        for link in links:
            by_source[link.source.draft.element.id].append(link)
            by_target[link.target_id].append(link)
        for target_id, group in by_target.items():
            x, w = x_of[target_id]
            group.sort(key=lambda lk: lk.source.x)
            for link, at in zip(group, _spread(x, w, len(group)), strict=True):
                link.target_x = at
        for source_id, group in by_source.items():
            x, w = x_of[source_id]
            group.sort(key=lambda lk: lk.target_x)
            for link, at in zip(group, _spread(x, w, len(group)), strict=True):
                link.source_x = at
        used: list[float] = []
        for link in links:
            if link.source.level - link.target_level > 1:
                blocked = [(b.x - 6, b.x + b.draft.width + 6) for b in band
                           if link.target_level < b.level < link.source.level]
                link.corridor_x = _free_x(link.target_x, blocked, used)
                used.append(link.corridor_x)

    def _tracks(self, links: list[_Link], levels: int) -> list[float]:
        """Height of the channel below each level (channel k lies between level k and level k+1)."""
        spans: defaultdict[int, list[tuple[float, float, _Link]]] = defaultdict(list)
        for link in links:
            lower = link.source.level - 1
            via = link.corridor_x if link.corridor_x is not None else link.target_x
            spans[lower].append((min(link.source_x, via), max(link.source_x, via), link))
            if link.corridor_x is not None:
                spans[link.target_level].append((min(via, link.target_x), max(via, link.target_x), link))
        heights: list[float] = []
        for channel in range(levels):
            count = _assign_tracks(spans[channel], channel)
            heights.append(max(MIN_CHANNEL, 2 * CHANNEL_PAD + TRACK * max(count - 1, 0)))
        return heights

    def _level_tops(self, band: list[_BandCard], levels: int, main_bottom: float,
                    channels: list[float]) -> tuple[list[float], list[float]]:
        heights = [0.0] * (levels + 1)
        label = _label_height([Paragraph("Duplication", TextRole.LABEL, 2)]) + 2 * PAD
        for placed in band:
            heights[placed.level] = max(heights[placed.level], placed.draft.height, label)
        tops = [0.0] * (levels + 1)
        y = main_bottom
        for level in range(1, levels + 1):
            y += channels[level - 1]
            tops[level] = y
            y += heights[level]
        return tops, heights

    def _band_labels(self, dups: list[_BandCard], losses: list[_BandCard], tops: list[float],
                     first_loss_level: int) -> None:
        if dups:
            self._gutter([Paragraph("Duplication", TextRole.LABEL, 2)], tops[1] + PAD)
        if losses:
            self._gutter([Paragraph("Loss", TextRole.LABEL, 2)], tops[first_loss_level] + PAD)

    def _route(self, links: list[_Link], tops: list[float], heights: list[float], main_bottom: float,
               channels: list[float], slot_cards: list[Card]) -> None:
        def bottom_of(level: int) -> float:
            return main_bottom if level == 0 else tops[level] + heights[level]

        def track_y(channel: int, link: _Link) -> float:
            return bottom_of(channel) + CHANNEL_PAD + TRACK * link.tracks[channel]

        for link in links:
            assert link.source.card is not None
            source_top = link.source.card.box.y
            lower = link.source.level - 1
            points: list[Point] = [(link.source_x, source_top), (link.source_x, track_y(lower, link))]
            if link.corridor_x is not None:
                points += [(link.corridor_x, track_y(lower, link)),
                           (link.corridor_x, track_y(link.target_level, link)),
                           (link.target_x, track_y(link.target_level, link))]
            else:
                points.append((link.target_x, track_y(lower, link)))
            points.append((link.target_x, bottom_of(link.target_level)))
            self.connectors.append(Connector(ConnectorKind.TRACE, _simplified(points),
                                             link.source.draft.element.id, link.target_id))


CORRIDOR_REACH = 1500.0  # a corridor is sought this near its target; past it, right of everything


def _free_x(wanted: float, blocked: list[tuple[float, float]], used: list[float]) -> float:
    """The x nearest `wanted` outside every blocked interval and away from corridors already taken.

    Only what lies within CORRIDOR_REACH is looked at, so a stream of hundreds of cards on one line
    stays linear; a candidate that far away could only meet intervals and corridors that near.
    """
    low_end, high_end = wanted - CORRIDOR_REACH, wanted + CORRIDOR_REACH
    near = [(low, high) for low, high in blocked if high >= low_end and low <= high_end]
    near_used = [u for u in used if low_end - CORRIDOR_STEP <= u <= high_end + CORRIDOR_STEP]
    candidates = [wanted] + [edge for low, high in near for edge in (low, high)]
    candidates += [c + k * CORRIDOR_STEP * sign for c in list(candidates) for k in range(1, 6) for sign in (1, -1)]

    def free(x: float) -> bool:
        return (low_end <= x <= high_end
                and x >= MARGIN + GUTTER - SLOT_GAP / 2
                and all(not (low <= x <= high) for low, high in near)
                and all(abs(x - u) >= CORRIDOR_STEP for u in near_used))

    options = [x for x in candidates if free(x)]
    if options:
        return min(options, key=lambda x: abs(x - wanted))
    # Past every card on the right there is always room.
    return max([high for _, high in blocked] + used + [wanted]) + CORRIDOR_STEP


def _simplified(points: list[Point]) -> tuple[Point, ...]:
    """Drop repeated points and middle points of straight runs."""
    kept: list[Point] = []
    for point in points:
        if kept and abs(point[0] - kept[-1][0]) < 1e-6 and abs(point[1] - kept[-1][1]) < 1e-6:
            continue
        if len(kept) >= 2:
            (ax, ay), (bx, by) = kept[-2], kept[-1]
            if (abs(ax - bx) < 1e-6 and abs(bx - point[0]) < 1e-6) or (abs(ay - by) < 1e-6 and abs(by - point[1]) < 1e-6):
                kept[-1] = point
                continue
        kept.append(point)
    return tuple(kept)


def _label_height(paragraphs: list[Paragraph]) -> float:
    return typeset(paragraphs, 0, 0, GUTTER_TEXT)[1]


# ---------------------------------------------------------------------------------------------------
# The whole diagram.


def layout_diagram(value_map: ValueMap) -> DiagramLayout:
    """Lay out the map: heading, one row per value stream (stages and gates with their bands), legend."""
    ctx = CardContext(MapView.of(value_map), read_stream(value_map))
    streams = value_streams(value_map, ctx.stream)
    slot_rows = [list(stream.slots) for stream in streams]
    homes = _homes(value_map, slot_rows)
    last = len(slot_rows) - 1
    band_of_row: defaultdict[int, list[Duplication | Loss]] = defaultdict(list)
    hanging: list[Duplication | Loss] = [*value_map.duplications, *value_map.losses]
    for element in hanging:
        band_of_row[homes.row_of(element.id, last)].append(element)
    rows = []
    for i, stream in enumerate(streams):
        # The bands may use the row's whole length, and at least a reading width when the row is short.
        band_right = MARGIN + GUTTER + max(_row_width(stream.slots), READING_WIDTH - GUTTER - 2 * MARGIN)
        rows.append(_RowBuilder(i, len(streams), stream, band_of_row[i], ctx, band_right, homes).build())
    width = max(max(row.box.right for row in rows) + MARGIN, 560.0)
    heading, heading_height = _heading(value_map, min(width, READING_WIDTH))
    y = MARGIN + heading_height + 10
    placed_rows = []
    for row in rows:
        placed_rows.append(row.moved(y))
        y += row.box.h + ROW_GAP
    legend, legend_height = _legend(min(width, READING_WIDTH), y)
    legend_box = Rect(MARGIN, y, min(width, READING_WIDTH) - 2 * MARGIN, legend_height)
    return DiagramLayout(
        width=width,
        height=y + legend_height + MARGIN,
        heading=tuple(heading),
        rows=tuple(placed_rows),
        legend=tuple(legend),
        legend_box=legend_box,
    )


def _heading(value_map: ValueMap, width: float) -> tuple[list[TextLine], float]:
    stages, gates, losses = len(value_map.stages), len(value_map.thresholds), len(value_map.losses)
    subtitle = (
        f"Value stream: {stages} stage{'s' * (stages != 1)}, {gates} gate{'s' * (gates != 1)} (thresholds), "
        f"{losses} loss{'es' * (losses != 1)}. Read left to right; arrows below point back "
        "from each loss to the duplication and gate it traces to."
    )
    paragraphs = [Paragraph(value_map.title or "Untitled value stream", TextRole.TITLE, 2),
                  Paragraph(subtitle, TextRole.SUBTITLE, 3)]
    return typeset(paragraphs, MARGIN, MARGIN, width - 2 * MARGIN)


LEGEND_ENTRIES: tuple[tuple[Swatch, str], ...] = (
    (Swatch.CUSTOMER_STAGE, "Customer-facing stage"),
    (Swatch.INTERNAL_STAGE, "Internal stage"),
    (Swatch.VISIBILITY, "Line of visibility"),
    (Swatch.VEP, "Value evocation point: the customer must act"),
    (Swatch.GATE, "Gate: a threshold, with resistance and give-get"),
    (Swatch.FINAL_GATE, "Final gate: purchase and Surviving Value"),
    (Swatch.DUPLICATION, "Duplication"),
    (Swatch.LOSS, "Loss"),
    (Swatch.FLOW, "Stream"),
    (Swatch.TRACE, "Traces back to"),
    (Swatch.UNGROUNDED, "Dashed border: no verified quote"),
)
SWATCH_W, SWATCH_H = 28.0, 16.0


def _legend(width: float, top: float) -> tuple[list[LegendItem], float]:
    """The key to shapes and lines, flowed like words; every meaning is also written, not only coloured."""
    size, bold = TEXT_STYLES[TextRole.BODY]
    metrics = font_metrics(bold)
    line_height = SWATCH_H + 10
    items: list[LegendItem] = []
    x, y = MARGIN, top
    right = width - MARGIN
    for swatch, text in LEGEND_ENTRIES:
        text_w = metrics.width(text, size)
        item_w = SWATCH_W + 6 + text_w
        if x > MARGIN and x + item_w > right:
            x, y = MARGIN, y + line_height
        baseline = y + SWATCH_H / 2 + (metrics.ascent - metrics.descent) * size / 2
        label = TextLine(text, x + SWATCH_W + 6, baseline, TextRole.BODY, text_w)
        items.append(LegendItem(swatch, Rect(x, y, SWATCH_W, SWATCH_H), label))
        x += item_w + 22
    return items, y + line_height - top
