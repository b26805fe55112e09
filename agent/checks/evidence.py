"""Checks on what the map rests on: verified evidence, and whose voice it is."""

from __future__ import annotations

from collections.abc import Iterator

from agent.checks.registry import Hit, register
from agent.checks.view import MapView
from schemas.elements import Perspective
from schemas.findings import CoreQuestion, Severity

# Which core question an element answers, so an ungrounded element is listed where it matters.
_QUESTION_OF_KIND = {
    "stage": CoreQuestion.WHERE_IT_STOPS,
    "resistance": CoreQuestion.WHERE_IT_STOPS,
    "threshold": CoreQuestion.WHERE_IT_STOPS,
    "value evocation point": CoreQuestion.VALUE_USED,
    "give-get exchange": CoreQuestion.VALUE_USED,
    "value proposition": CoreQuestion.VALUE_USED,
    "duplication": CoreQuestion.VALUE_BREAKS,
    "loss": CoreQuestion.VALUE_BREAKS,
}


@register("ungrounded", Severity.WARNING, CoreQuestion.VALUE_USED, "element with no verified evidence")
def ungrounded(view: MapView) -> Iterator[Hit]:
    for element in view.map.elements():
        # An element whose quote was located with changed words has its own finding, `unconfirmed-evidence`.
        if not view.is_grounded(element) and not any(q.unconfirmed for q in element.evidence):
            yield Hit(
                [element.id],
                f"The {element.kind_name} {element.name!r} has no verified quote behind it: it is an assumption "
                "until someone says it.",
                f"Who could tell us about {element.name!r} in their own words, with an example?",
                _QUESTION_OF_KIND[element.kind_name],
            )


@register("unconfirmed-evidence", Severity.WARNING, CoreQuestion.VALUE_USED,
          "element whose only quotes the model worded differently from the source: needs review")
def unconfirmed_evidence(view: MapView) -> Iterator[Hit]:
    for element in view.map.elements():
        bent = [q for q in element.evidence if q.unconfirmed]
        if bent and not view.is_grounded(element):
            quote = bent[0]
            yield Hit(
                [element.id],
                f"The {element.kind_name} {element.name!r} is unconfirmed: the model quoted {quote.claimed!r} where "
                f"{quote.speaker or 'the source'} said {quote.text!r}. Until someone confirms it against the "
                "source's words, it is the model's reading, not evidence.",
                f"Does {quote.text!r} really say what {element.name!r} claims?",
                _QUESTION_OF_KIND[element.kind_name],
            )


@register("internal-narrative", Severity.WARNING, CoreQuestion.VALUE_USED,
          "value and thresholds evidenced only by internal sources, never by customer-side ones")
def internal_narrative(view: MapView) -> Iterator[Hit]:
    elements = [*view.map.veps, *view.map.thresholds, *view.map.exchanges, *view.map.propositions]
    perspectives = {view.perspective_of(q) for e in elements for q in e.evidence if q.verified}
    if perspectives == {Perspective.INTERNAL}:
        yield Hit(
            [e.id for e in elements if view.is_grounded(e)],
            "Every quote behind the value and the thresholds comes from inside the organisation: the map "
            "tells the organisation's narrative of value, not the customer's experience of it.",
            "Which customers (who crossed, and who stalled) can we hear on these thresholds?",
        )

