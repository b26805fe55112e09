"""The map's figures and its threshold -> duplication -> loss chains (FRAMEWORK.md, "Summary figures")."""

from __future__ import annotations

from agent.checks.view import MapView
from schemas.findings import Chain, Summary, SurvivingValue


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def loss_chains(view: MapView) -> list[Chain]:
    """Every path from a threshold through a duplication to a loss, as the map records it."""
    duplications = {d.id: d for d in view.map.duplications}
    chains: set[Chain] = set()
    for loss in view.map.losses:
        for dup_id in loss.duplication_ids:
            thresholds: list[str | None] = [*(duplications[dup_id].threshold_ids or loss.threshold_ids)]
            for th_id in thresholds or [None]:
                chains.add(Chain(threshold_id=th_id, duplication_id=dup_id, loss_id=loss.id))
        if not loss.duplication_ids:
            for th_id in loss.threshold_ids:
                chains.add(Chain(threshold_id=th_id, duplication_id=None, loss_id=loss.id))
    return sorted(chains, key=lambda c: (c.threshold_id or "", c.duplication_id or "", c.loss_id))


def summarise(view: MapView) -> Summary:
    value_map = view.map
    elements = list(value_map.elements())
    thresholds = value_map.thresholds
    explained = [t for t in thresholds if view.resistances_at(t) and view.exchanges_at(t)]
    surviving = []
    for threshold in view.final_thresholds():
        purchase = threshold.purchase
        assert purchase is not None
        if purchase.perceived_value is not None and purchase.accumulated_loss is not None:
            surviving.append(SurvivingValue(
                threshold_id=threshold.id,
                perceived_value=purchase.perceived_value,
                accumulated_loss=purchase.accumulated_loss,
                surviving_value=purchase.perceived_value - purchase.accumulated_loss,
                price=purchase.price.amount if purchase.price else None,
            ))
    return Summary(
        elements=len(elements),
        stages_anchored_share=_share(sum(view.is_anchored(s) for s in value_map.stages), len(value_map.stages)),
        thresholds_explained_share=_share(len(explained), len(thresholds)),
        evidenced_share=_share(sum(view.is_grounded(e) for e in elements), len(elements)),
        losses_traced_share=_share(sum(bool(loss.duplication_ids) for loss in value_map.losses), len(value_map.losses)),
        surviving_value=surviving,
        chains=loss_chains(view),
    )
