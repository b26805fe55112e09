"""Checks on where value breaks down: duplication and the loss it turns into (core question 3)."""

from __future__ import annotations

from collections.abc import Iterator

from agent.checks.divergence import SUGGEST_DUPLICATION, find_divergences, group_divergences
from agent.checks.registry import Hit, register
from agent.checks.view import MapView
from schemas.findings import CoreQuestion, Severity

Q3 = CoreQuestion.VALUE_BREAKS
MAX_PAIRS_IN_REASON = 3

_KIND_WORDS = {
    "layering": "benefits stacked on the original proposition",
    "audience_divergence": "versions of the value per audience, beyond segmentation",
    "stage_reframing": "the value framed differently at different stages: an expectation gap",
    "conditional_value": "value that depends on what the customer does",
}


@register("duplication", Severity.WARNING, Q3,
          "propositions across thresholds or audiences that diverge (stacked, reframed, conditional, or "
          "dissimilar in meaning)")
def duplication(view: MapView) -> Iterator[Hit]:
    names = {p.id: p.name for p in view.map.propositions}
    recorded_pairs: set[frozenset[str]] = set()
    for dup in view.map.duplications:
        ids = dup.proposition_ids
        recorded_pairs.update(frozenset((a, b)) for a in ids for b in ids if a != b)
        told = ", ".join(repr(names[i]) for i in ids)
        yield Hit(
            [dup.id, *ids, *dup.threshold_ids],
            f"Duplication {dup.name!r}: {_KIND_WORDS[dup.kind.value]} ({told}). Each version helps locally; "
            "together they inflate expectations that delivery cannot meet.",
            f"Which one of {told} does the customer actually experience after buying?",
        )
    if view.vectors is None:
        return
    # Only pairs similar enough to be one value (calibrated on labelled pairs) are suggested.
    unrecorded = [d for d in find_divergences(view.map.propositions, view.vectors)
                  if frozenset((d.first_id, d.second_id)) not in recorded_pairs and d.similarity >= SUGGEST_DUPLICATION]
    order = {p.id: i for i, p in enumerate(view.map.propositions)}
    for group in group_divergences(unrecorded):
        members = sorted({i for d in group for i in (d.first_id, d.second_id)}, key=order.__getitem__)
        shown = sorted(group, key=lambda d: -d.similarity)[:MAX_PAIRS_IN_REASON]
        pairs = "; ".join(f"{names[d.first_id]!r} vs {names[d.second_id]!r}: {d.kind.value}, {d.why} "
                          f"(similarity {d.similarity:.2f})" for d in shown)
        more = f"; and {len(group) - len(shown)} more pair(s)" if len(group) > len(shown) else ""
        told = ", ".join(repr(names[i]) for i in members[:MAX_PAIRS_IN_REASON + 1])
        yield Hit(
            members,
            f"{len(members)} propositions look like one value told {len(members)} ways, and the map does not "
            f"record it as a duplication. {pairs}{more}.",
            f"Are {told}{' ...' if len(members) > MAX_PAIRS_IN_REASON + 1 else ''} the same promise? Which "
            "version does delivery live up to?",
        )


@register("latent-loss", Severity.INFO, Q3, "duplication with no loss recorded yet: where loss is expected to show")
def latent_loss(view: MapView) -> Iterator[Hit]:
    for dup in view.map.duplications:
        if dup.id not in view.losses_by_duplication:
            yield Hit(
                [dup.id],
                f"Duplication {dup.name!r} has no loss traced to it yet. Loss is realised downstream, so this is "
                "where to look for drop-off, churn, refunds or support load.",
                f"Since {dup.name!r} began, where have you seen customers drop off, complain or ask for refunds?",
            )


@register("untraced-loss", Severity.WARNING, Q3,
          "loss with no link to a duplication or threshold: optimised locally, never traced back")
def untraced_loss(view: MapView) -> Iterator[Hit]:
    for loss in view.map.losses:
        if not loss.duplication_ids and not loss.threshold_ids:
            yield Hit(
                [loss.id],
                f"Loss {loss.name!r} is not traced to any duplication or threshold: it will be fixed locally "
                "while its cause keeps producing it.",
                f"What did these customers expect, before {loss.name!r} happened, that they did not get?",
            )
