"""Checks on the value used to move the stream: evocation and give-get exchanges (core question 2)."""

from __future__ import annotations

from collections.abc import Iterator

from agent.checks.registry import Hit, register
from agent.checks.view import MapView
from schemas.elements import Activation, Balance, Delivery
from schemas.findings import CoreQuestion, Severity

Q2 = CoreQuestion.VALUE_USED


@register("missing-exchange", Severity.ERROR, Q2, "threshold without a give-get exchange")
def missing_exchange(view: MapView) -> Iterator[Hit]:
    for threshold in view.map.thresholds:
        if not view.exchanges_at(threshold):
            yield Hit(
                [threshold.id],
                f"At {threshold.name!r} the customer must act, but the map does not say what they give and what "
                "they get: every threshold is a negotiation.",
                f"To get past {threshold.name!r}, what does the customer give in exchange for what they get?",
            )


@register("one-sided-exchange", Severity.ERROR, Q2, "exchange with nothing given, or nothing got")
def one_sided_exchange(view: MapView) -> Iterator[Hit]:
    for exchange in view.map.exchanges:
        if exchange.customer_gives and exchange.organisation_gives:
            continue
        missing = "what the customer gives" if not exchange.customer_gives else "what the customer gets"
        yield Hit(
            [exchange.id, exchange.threshold_id],
            f"Exchange {exchange.name!r} records nothing for {missing}: a give-get with one side empty is a "
            "request or a gift, not an exchange that can resolve resistance.",
            f"In {exchange.name!r}, {missing}, concretely (time, effort, data, money; access, results)?",
        )


@register("overstated-exchange", Severity.WARNING, Q2,
          "value overstated, or a benefit promised at a threshold that no later stage delivers")
def overstated_exchange(view: MapView) -> Iterator[Hit]:
    for exchange in view.map.exchanges:
        undelivered = [b.what for b in exchange.organisation_gives if b.delivery is Delivery.NOT_DELIVERED]
        if exchange.balance is not Balance.VALUE_OVERSTATED and not undelivered:
            continue
        parts = []
        if exchange.balance is Balance.VALUE_OVERSTATED:
            why = f" ({exchange.balance_reason})" if exchange.balance_reason else ""
            parts.append(f"the value offered is overstated to compensate for weakness{why}")
        if undelivered:
            parts.append("promised but never delivered later: " + "; ".join(repr(w) for w in undelivered))
        yield Hit(
            [exchange.id, exchange.threshold_id],
            f"In {exchange.name!r}, " + ", and ".join(parts) + ": the gap surfaces downstream as loss.",
            f"When customers reach the stage where {undelivered[0]!r} should show up, what do they actually get?"
            if undelivered else
            f"What would happen at this threshold if {exchange.name!r} promised only what is delivered today?",
        )


@register("customer-over-gives", Severity.WARNING, Q2,
          "exchange where the customer gives more than they get: the threshold will stall")
def customer_over_gives(view: MapView) -> Iterator[Hit]:
    for exchange in view.map.exchanges:
        if exchange.balance is Balance.CUSTOMER_OVER_GIVES:
            why = f" ({exchange.balance_reason})" if exchange.balance_reason else ""
            yield Hit(
                [exchange.id, exchange.threshold_id],
                f"In {exchange.name!r} the customer gives more than they get{why}: without enough perceived "
                "value, customers will not contribute the resources the stream needs.",
                "What would make this exchange worth it to the customer without adding a new promise?",
            )


@register("inert-value", Severity.WARNING, Q2, "the value at a threshold only resonates: it cannot generate pull")
def inert_value(view: MapView) -> Iterator[Hit]:
    for threshold in view.map.thresholds:
        vep = view.veps.get(threshold.vep_id)
        if vep is not None and vep.activation is Activation.RESONATES:
            yield Hit(
                [threshold.id, vep.id, *vep.proposition_ids],
                f"At {threshold.name!r} the value evoked is liked but does not trigger action: inert value "
                "cannot move the stream past a threshold.",
                f"What did the customers who did act at {threshold.name!r} see or hear that the others did not?",
            )


@register("unnamed-value", Severity.WARNING, Q2,
          "value evocation point that calls on no value proposition (diagnostic step 3)")
def unnamed_value(view: MapView) -> Iterator[Hit]:
    for vep in view.map.veps:
        if not vep.proposition_ids:
            yield Hit(
                [vep.id],
                f"At {vep.name!r} the customer is asked to {vep.customer_action!r}, but no value proposition is "
                "named: what is supposed to make them act?",
                f"What exactly do you tell the customer at {vep.name!r} to make them {vep.customer_action}?",
            )
