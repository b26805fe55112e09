"""Maps for tests: a healthy map that no check flags, which each test then breaks in one place."""

from __future__ import annotations

from typing import Any

from schemas import ValueMap


def quote(text: str, source: str = "src-customer", speaker: str = "Cora") -> dict[str, Any]:
    return {"text": text, "source_id": source, "speaker": speaker, "start": 0, "end": len(text), "match": "exact"}


def healthy_map_data() -> dict[str, Any]:
    """A small stream where every threshold has a resistance and an exchange and value survives."""
    inside = quote("we could not build the database alone", "src-internal", "Ivan")
    outside = quote("I picked three lawyers and booked one the same day")
    return {
        "schema_version": 1,
        "title": "Healthy stream",
        "sources": [
            {"id": "src-internal", "title": "Founder interview", "perspective": "internal"},
            {"id": "src-customer", "title": "Customer call", "perspective": "customer"},
        ],
        "stages": [
            {"id": "st-browse", "name": "Browse lawyers", "order": 0, "actor": "customer", "customer_visible": True,
             "value_link": "direct", "evidence": [outside]},
            {"id": "st-pay", "name": "Subscribe", "order": 1, "actor": "both", "customer_visible": True,
             "value_link": "direct", "evidence": [outside]},
        ],
        "propositions": [
            {"id": "vp-find", "name": "Find a lawyer fast", "statement": "Find a vetted lawyer for your business in a day",
             "claims": ["vetted lawyers", "within a day"], "audience": "SMB owners",
             "used_at_ids": ["vep-mark", "vep-pay"], "evidence": [outside]},
        ],
        "veps": [
            {"id": "vep-mark", "name": "Mark lawyers", "stage_id": "st-browse", "customer_action": "mark lawyers",
             "proposition_ids": ["vp-find"], "activation": "activates", "evidence": [outside]},
            {"id": "vep-pay", "name": "Pay", "stage_id": "st-pay", "customer_action": "subscribe",
             "proposition_ids": ["vp-find"], "activation": "activates", "evidence": [outside]},
        ],
        "resistances": [
            {"id": "res-db", "name": "Incomplete database", "vep_id": "vep-mark", "limitation": "no data team",
             "resources_lacking": ["capacity", "data"], "resolution": "customer_exchange", "evidence": [inside]},
            {"id": "res-cash", "name": "No runway", "vep_id": "vep-pay", "resources_lacking": ["capital"],
             "resolution": "customer_exchange", "evidence": [inside]},
        ],
        "thresholds": [
            {"id": "th-mark", "name": "First selection", "vep_id": "vep-mark", "condition": "user marks a lawyer",
             "crossing_metric": {"name": "marking rate", "value": 0.4}, "evidence": [outside]},
            {"id": "th-pay", "name": "Purchase", "vep_id": "vep-pay", "condition": "user subscribes",
             "crossing_metric": {"name": "conversion", "value": 0.05},
             "purchase": {"price": {"amount": 49}, "perceived_value": 80, "accumulated_loss": 10},
             "evidence": [outside]},
        ],
        "exchanges": [
            {"id": "ex-mark", "name": "Selection for access", "threshold_id": "th-mark",
             "customer_gives": [{"kind": "effort"}, {"kind": "data"}],
             "organisation_gives": [{"what": "access to the database", "delivery": "delivered"}],
             "balance": "balanced", "evidence": [outside]},
            {"id": "ex-pay", "name": "Money for matches", "threshold_id": "th-pay",
             "customer_gives": [{"kind": "money"}], "organisation_gives": [{"what": "booked consultations"}],
             "balance": "balanced", "evidence": [outside]},
        ],
    }


def build(data: dict[str, Any]) -> ValueMap:
    return ValueMap.model_validate(data)



# Bundled examples that are separate businesses whose steps synthesis never takes for one another (checked when
# they were chosen), so an engagement map of them draws exactly one stream each. All the bundled examples
# together would not do: unrelated businesses both have a "Trial started" threshold, which synthesis rightly
# reads as one step told twice.
SEPARATE_BUSINESSES = (
    "legal-platform", "ap-automation-trial", "meal-kit-subscription", "held-out-b2b-marketplace",
    "blind-budgeting-app-freemium", "blind-kitchen-sensors-subscription", "blind-payroll-software",
    "blind-vet-wellness-plan", "blind-bike-service-plan", "blind-physio-clinic", "blind-ticketing-platform",
    "dev-tutoring-marketplace", "dev-gym-membership", "dev-coworking-space", "dev-dental-aligners",
    "dev-coding-bootcamp", "dev-car-subscription", "dev-accounting-practice",
)
