"""What each card of the diagram says: the element's facts as short paragraphs, in reading order.

Kept apart from the geometry so the wording can change without touching the layout, and so the
same phrases (metrics, trust marks) read the same in the diagram and the written report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from agent.checks.view import MapView
from agent.reports.stream import Stream
from schemas.elements import (
    Activation,
    Duplication,
    Element,
    GiveGetExchange,
    Loss,
    Metric,
    Resistance,
    Resolution,
    Stage,
    Threshold,
)


class TextRole(StrEnum):
    TITLE = "title"
    SUBTITLE = "subtitle"
    TAG = "tag"
    NAME = "name"
    BODY = "body"
    EMPHASIS = "emphasis"
    MARK = "mark"
    LABEL = "label"


# Size (px) and weight of each role; the SVG styles them by class, the layout measures them here.
TEXT_STYLES: dict[TextRole, tuple[float, bool]] = {
    TextRole.TITLE: (19.0, True),
    TextRole.SUBTITLE: (11.5, False),
    TextRole.TAG: (9.5, True),
    TextRole.NAME: (12.5, True),
    TextRole.BODY: (10.5, False),
    TextRole.EMPHASIS: (10.5, True),
    TextRole.MARK: (9.5, True),
    TextRole.LABEL: (10.5, True),
}


@dataclass(frozen=True)
class Paragraph:
    text: str
    role: TextRole
    max_lines: int = 2


@dataclass
class CardContext:
    view: MapView
    stream: Stream
    names: dict[str, str] = field(default_factory=dict)

    def tags(self, ids: Sequence[str]) -> str:
        return ", ".join(self.stream.tag(i) for i in ids)


def _number(value: float) -> str:
    if not math.isfinite(value):  # finite figures whose difference overflows (1e308 - -1e308)
        return "too large to compute" if not math.isnan(value) else "not a number"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def _duration(hours: float) -> str:
    return f"{_number(hours)} h" if hours < 48 else f"{_number(hours / 24)} d"


def metric_text(metric: Metric) -> str:
    """A measured figure as people say it: its own words first, else value and unit."""
    if metric.text:
        return metric.text
    if metric.value is not None:
        unit = metric.unit or ""
        spacer = "" if unit in ("%", "") else " "
        return f"{metric.name}: {_number(metric.value)}{spacer}{unit}"
    return metric.name


def trust_marks(element: Element) -> list[str]:
    """The reader's warnings for one element: no verified quote (or only unconfirmed ones), nobody confirmed it."""
    marks = []
    if not any(quote.verified for quote in element.evidence):
        unconfirmed = any(quote.unconfirmed for quote in element.evidence)
        marks.append("unconfirmed quote" if unconfirmed else "no verified quote")
    if not element.provenance.confirmed:
        marks.append("not confirmed")
    return marks


def _marks(element: Element) -> list[Paragraph]:
    marks = trust_marks(element)
    return [Paragraph(" · ".join(marks), TextRole.MARK, 2)] if marks else []


def stage_paragraphs(stage: Stage, ctx: CardContext) -> list[Paragraph]:
    lane = "CUSTOMER-FACING" if stage.customer_visible else "INTERNAL"
    paragraphs = [
        Paragraph(f"{ctx.stream.tag(stage.id)} · {lane}", TextRole.TAG, 1),
        Paragraph(stage.name, TextRole.NAME, 3),
    ]
    facts = [f"value link: {stage.value_link.value}", f"done by {stage.actor.value}"]
    if stage.internally_necessary is False:
        facts.append("not needed internally")
    paragraphs.append(Paragraph(" · ".join(facts), TextRole.BODY, 3))
    timings = []
    if stage.cycle_time_hours is not None:
        timings.append(f"cycle {_duration(stage.cycle_time_hours)}")
    if stage.wait_time_hours is not None:
        timings.append(f"wait {_duration(stage.wait_time_hours)}")
    if timings:
        paragraphs.append(Paragraph(" · ".join(timings), TextRole.BODY, 1))
    if stage.improvements:
        more = f" (+{len(stage.improvements) - 1} more)" if len(stage.improvements) > 1 else ""
        paragraphs.append(Paragraph(f"Improved: {stage.improvements[0].description}{more}", TextRole.BODY, 2))
    veps = ctx.view.veps_by_stage.get(stage.id, [])
    for vep in veps[:2]:
        paragraphs.append(
            Paragraph(f"◆ {ctx.stream.tag(vep.id)} customer must: {vep.customer_action}", TextRole.EMPHASIS, 3)
        )
        activation = {
            Activation.ACTIVATES: "value activates (pull)",
            Activation.RESONATES: "value only resonates (inert)",
            Activation.UNKNOWN: "activation unknown",
        }[vep.activation]
        paragraphs.append(Paragraph(activation, TextRole.BODY, 1))
    if len(veps) > 2:
        paragraphs.append(Paragraph(f"+{len(veps) - 2} more value evocation points", TextRole.BODY, 1))
    return paragraphs + _marks(stage)


def _resistance_text(resistance: Resistance) -> str:
    lacking = ", ".join(r.value for r in resistance.resources_lacking) or "resource unknown"
    resolved = {
        Resolution.CUSTOMER_EXCHANGE: "resolved by customer exchange",
        Resolution.INTERNAL: "resolved internally",
        Resolution.UNRESOLVED: "UNRESOLVED: the stream stops",
        Resolution.UNKNOWN: "resolution unknown",
    }[resistance.resolution]
    return f"Resistance: lacks {lacking}; {resolved}"


def _exchange_paragraphs(exchange: GiveGetExchange) -> list[Paragraph]:
    gives = ", ".join(f"{g.kind.value} ({g.detail})" if g.detail else g.kind.value for g in exchange.customer_gives)
    gets = ", ".join(b.what for b in exchange.organisation_gives)
    return [
        Paragraph(f"Customer gives: {gives or 'nothing recorded'}", TextRole.BODY, 3),
        Paragraph(f"Customer gets: {gets or 'nothing recorded'}", TextRole.BODY, 3),
        Paragraph(f"Balance: {exchange.balance.value.replace('_', ' ')}", TextRole.BODY, 1),
    ]


def gate_paragraphs(threshold: Threshold, ctx: CardContext) -> list[Paragraph]:
    kind = "FINAL GATE (PURCHASE)" if threshold.is_final else "GATE (THRESHOLD)"
    paragraphs = [
        Paragraph(f"{ctx.stream.tag(threshold.id)} · {kind}", TextRole.TAG, 1),
        Paragraph(threshold.name, TextRole.NAME, 3),
    ]
    if threshold.condition:
        paragraphs.append(Paragraph(f"To cross: {threshold.condition}", TextRole.BODY, 2))
    resistances = ctx.view.resistances_at(threshold)
    for resistance in resistances[:2]:
        paragraphs.append(Paragraph(_resistance_text(resistance), TextRole.BODY, 3))
    if not resistances:
        paragraphs.append(Paragraph("Resistance: none recorded", TextRole.EMPHASIS, 1))
    exchanges = ctx.view.exchanges_at(threshold)
    if exchanges:
        paragraphs.extend(_exchange_paragraphs(exchanges[0]))
        if len(exchanges) > 1:
            paragraphs.append(Paragraph(f"+{len(exchanges) - 1} more exchanges", TextRole.BODY, 1))
    else:
        paragraphs.append(Paragraph("Give-get: none recorded", TextRole.EMPHASIS, 1))
    if threshold.crossing_metric:
        paragraphs.append(Paragraph(f"Crossing: {metric_text(threshold.crossing_metric)}", TextRole.BODY, 2))
    if threshold.purchase:
        paragraphs.extend(_purchase_paragraphs(threshold))
    return paragraphs + _marks(threshold)


def _purchase_paragraphs(threshold: Threshold) -> list[Paragraph]:
    purchase = threshold.purchase
    assert purchase is not None
    paragraphs = []
    if purchase.price:
        period = f" / {purchase.price.period}" if purchase.price.period else ""
        paragraphs.append(
            Paragraph(f"Price: {_number(purchase.price.amount)} {purchase.price.currency}{period}", TextRole.BODY, 1)
        )
    surviving = purchase.surviving_value
    if surviving is None:
        paragraphs.append(Paragraph("Surviving Value: unknown (no perceived value or loss)", TextRole.EMPHASIS, 2))
    else:
        assert purchase.perceived_value is not None and purchase.accumulated_loss is not None
        paragraphs.append(Paragraph(
            f"Perceived {_number(purchase.perceived_value)} − loss {_number(purchase.accumulated_loss)}",
            TextRole.BODY, 1,
        ))
        verdict = "" if surviving > 0 else " (not surviving)"
        paragraphs.append(Paragraph(f"Surviving Value: {_number(surviving)}{verdict}", TextRole.EMPHASIS, 2))
    if purchase.compensation:
        kinds = ", ".join(c.kind.value.replace("_", " ") for c in purchase.compensation)
        paragraphs.append(Paragraph(f"Compensation: {kinds}", TextRole.BODY, 2))
    return paragraphs


def duplication_paragraphs(duplication: Duplication, ctx: CardContext) -> list[Paragraph]:
    kind = duplication.kind.value.replace("_", " ").upper()
    where = f"arose at {ctx.tags(duplication.threshold_ids)}" if duplication.threshold_ids else "no threshold recorded"
    return [
        Paragraph(f"{ctx.stream.tag(duplication.id)} · DUPLICATION: {kind}", TextRole.TAG, 2),
        Paragraph(duplication.name, TextRole.NAME, 3),
        Paragraph(f"{where} · propositions {ctx.tags(duplication.proposition_ids)}", TextRole.BODY, 2),
        *_marks(duplication),
    ]


def loss_paragraphs(loss: Loss, ctx: CardContext) -> list[Paragraph]:
    kind = loss.kind.value.replace("_", " ").upper()
    paragraphs = [
        Paragraph(f"{ctx.stream.tag(loss.id)} · LOSS: {kind}", TextRole.TAG, 2),
        Paragraph(loss.name, TextRole.NAME, 3),
    ]
    if loss.metric:
        paragraphs.append(Paragraph(metric_text(loss.metric), TextRole.BODY, 2))
    targets = [*loss.duplication_ids, *loss.threshold_ids]
    if targets:
        paragraphs.append(Paragraph(f"traces to {ctx.tags(targets)}", TextRole.BODY, 2))
    else:
        paragraphs.append(Paragraph("untraced: no duplication or threshold", TextRole.EMPHASIS, 2))
    return paragraphs + _marks(loss)
