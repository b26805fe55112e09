"""Generated value stream maps of any size, for layout tests, the report benchmark and demos.

Real maps have 3 to 40 stages; the layout must hold at both ends and past them. These maps are
deterministic (a seeded generator), valid by construction, and use every feature the diagram draws:
both lanes, VEPs, gates with resistance and exchange, a final gate, duplications that span rows,
losses traced and untraced, verified and unverified quotes, confirmed and unconfirmed elements.
"""

from __future__ import annotations

import random

from schemas.elements import (
    Activation,
    Actor,
    Balance,
    Benefit,
    Compensation,
    CompensationKind,
    Duplication,
    DuplicationKind,
    Give,
    GiveGetExchange,
    GiveKind,
    Improvement,
    Loss,
    LossKind,
    Metric,
    Money,
    Perspective,
    Purchase,
    Resistance,
    Resolution,
    Resource,
    Source,
    Stage,
    Stakeholder,
    Threshold,
    ValueEvocationPoint,
    ValueLink,
    ValueProposition,
)
from schemas.evidence import MatchStatus, Provenance, Quote, Review
from schemas.value_map import ValueMap

_WORDS = ["lawyer", "database", "onboarding", "shortlist", "quote", "review", "contract", "signature", "invoice", "approval", "trial", "kickoff", "demo", "pricing", "discount", "renewal", "support", "ticket", "delivery", "menu", "recipe", "subscription", "checkout", "referral", "integration", "training", "report", "handover", "migration", "audit"]


def _phrase(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high))).capitalize()


def _quote(rng: random.Random, index: int, text: str) -> Quote:
    verified = index % 5 != 3
    return Quote(
        text=text,
        source_id="interview" if index % 2 else "customer-call",
        speaker="Ana (COO)" if index % 2 else "Client buyer",
        start=index * 10,
        end=index * 10 + len(text),
        timestamp=f"00:{index % 60:02d}:{(index * 7) % 60:02d}",
        match=MatchStatus.EXACT if verified else MatchStatus.UNVERIFIED,
    )


def _provenance(index: int) -> Provenance:
    return Provenance(review=Review.CONFIRMED if index % 4 == 0 else Review.PROPOSED)


def synthetic_map(stage_count: int, *, seed: int = 7, title: str | None = None) -> ValueMap:
    """A valid map with `stage_count` stages and the elements that hang off them (about 3 per stage)."""
    rng = random.Random(seed)
    sources = [
        Source(id="interview", title="Founder interview", perspective=Perspective.INTERNAL,
               stakeholders=[Stakeholder(name="Ana (COO)", role="COO")]),
        Source(id="customer-call", title="Customer call", perspective=Perspective.CUSTOMER),
    ]
    stages, veps, thresholds, resistances, exchanges, propositions = [], [], [], [], [], []
    counter = 0

    def evidence() -> list[Quote]:
        nonlocal counter
        counter += 1
        if counter % 7 == 0:
            return []
        return [_quote(rng, counter, f"We {_phrase(rng, 3, 9).lower()} every week")]

    for i in range(stage_count):
        visible = i % 3 != 1
        long_name = i % 5 == 2
        stages.append(Stage(
            id=f"s{i}", order=i, name=_phrase(rng, 4, 9) if long_name else _phrase(rng, 1, 3),
            actor=Actor.CUSTOMER if visible else Actor.ORGANISATION, customer_visible=visible,
            value_link=(ValueLink.DIRECT, ValueLink.INDIRECT, ValueLink.NONE, ValueLink.UNKNOWN)[i % 4],
            internally_necessary=None if i % 3 else False,
            cycle_time_hours=float(i % 7 + 1) if i % 2 else None,
            wait_time_hours=float(24 * (i % 4)) if i % 3 == 0 else None,
            improvements=[Improvement(description="Review time cut 30%")] if i % 6 == 4 else [],
            evidence=evidence(), provenance=_provenance(i),
        ))
        if not visible or i % 2:
            continue
        vep = ValueEvocationPoint(
            id=f"v{i}", stage_id=f"s{i}", name=f"Asks at {stages[-1].name}",
            customer_action=_phrase(rng, 2, 6).lower(),
            activation=(Activation.ACTIVATES, Activation.RESONATES, Activation.UNKNOWN)[i % 3],
            evidence=evidence(), provenance=_provenance(i + 1),
        )
        veps.append(vep)
        final = i == stage_count - 1 or (i == stage_count - 2 and stage_count % 2 == 0)
        if i % 4 and not final:
            continue
        threshold = Threshold(
            id=f"t{i}", vep_id=vep.id, name=_phrase(rng, 2, 5),
            condition=_phrase(rng, 3, 8).lower(), on_failure="drop-off",
            crossing_metric=Metric(name="conversion", value=float(10 + i % 50), unit="%") if i % 8 == 0 else None,
            purchase=Purchase(price=Money(amount=49, period="month"), perceived_value=80, accumulated_loss=30,
                              compensation=[Compensation(kind=CompensationKind.DISCOUNT)]) if final else None,
            evidence=evidence(), provenance=_provenance(i + 2),
        )
        thresholds.append(threshold)
        if i % 12 != 8:
            resistances.append(Resistance(
                id=f"r{i}", vep_id=vep.id, name="Not enough people to curate",
                resources_lacking=[Resource.CAPACITY, Resource.DATA][: 1 + i % 2],
                resolution=(Resolution.CUSTOMER_EXCHANGE, Resolution.UNRESOLVED, Resolution.INTERNAL)[i % 3],
                evidence=evidence(), provenance=_provenance(i + 3),
            ))
        if i % 16 != 12:
            exchanges.append(GiveGetExchange(
                id=f"x{i}", threshold_id=threshold.id, name="Selection for access",
                customer_gives=[Give(kind=GiveKind.EFFORT, detail="marks lawyers"), Give(kind=GiveKind.DATA)],
                organisation_gives=[Benefit(what="access to a broad, imperfect database")],
                balance=(Balance.BALANCED, Balance.VALUE_OVERSTATED, Balance.UNKNOWN)[i % 3],
                evidence=evidence(), provenance=_provenance(i + 4),
            ))
        for k in range(2):
            propositions.append(ValueProposition(
                id=f"p{i}-{k}", name=f"Promise {k + 1} at {threshold.name}", statement=_phrase(rng, 5, 12),
                used_at_ids=[threshold.id], evidence=evidence(), provenance=_provenance(i + k),
            ))
    duplications, losses = [], []
    for j in range(0, len(thresholds) - 1, 3):
        spanned = [thresholds[j].id, thresholds[min(j + 2, len(thresholds) - 1)].id]
        duplications.append(Duplication(
            id=f"d{j}", name=_phrase(rng, 2, 6), kind=list(DuplicationKind)[j % 4],
            proposition_ids=[f"p{spanned[0][1:]}-0", f"p{spanned[-1][1:]}-1"], threshold_ids=list(dict.fromkeys(spanned)),
            evidence=evidence(), provenance=_provenance(j),
        ))
        losses.append(Loss(
            id=f"l{j}", name=_phrase(rng, 2, 6), kind=list(LossKind)[j % 8],
            metric=Metric(name="drop-off", value=float(5 + j % 40), unit="%") if j % 2 == 0 else None,
            duplication_ids=[f"d{j}"], evidence=evidence(), provenance=_provenance(j + 1),
        ))
        if j % 2 == 1:
            losses.append(Loss(id=f"l{j}-direct", name=_phrase(rng, 2, 4), kind=LossKind.SUPPORT_LOAD,
                               threshold_ids=[thresholds[j].id], evidence=evidence()))
    if stage_count >= 3:
        losses.append(Loss(id="l-untraced", name="Refunds nobody traced", kind=LossKind.REFUNDS))
    return ValueMap(
        title=title or f"Generated stream, {stage_count} stages",
        sources=sources, stages=stages, veps=veps, resistances=resistances, thresholds=thresholds,
        exchanges=exchanges, propositions=propositions, duplications=duplications, losses=losses,
    )


def synthetic_map_of_size(element_count: int, *, seed: int = 7) -> ValueMap:
    """The smallest generated map with at least `element_count` elements."""
    stages = max(3, element_count // 3)
    value_map = synthetic_map(stages, seed=seed)
    while value_map.element_count() < element_count:
        stages += max(1, (element_count - value_map.element_count()) // 3)
        value_map = synthetic_map(stages, seed=seed)
    return value_map
