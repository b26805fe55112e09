"""What a click on the diagram lights up: an element's chain, threshold -> duplication -> loss.

A consultant points at a loss and asks "where does this come from?", or at a gate and asks "what does it
cost us?". The answer is the chain through the element, both ways: the gates a loss traces to (directly
or through duplications), the duplications and losses that trace back to a gate, and the stages those
gates stand at. Pure: a map in, the members of each element's chain out.
"""

from __future__ import annotations

from collections import defaultdict

from schemas.value_map import ValueMap


def element_chains(value_map: ValueMap) -> dict[str, tuple[str, ...]]:
    """For each stage, gate, duplication and loss: the ids on its chain, itself first."""
    stage_of_vep = {vep.id: vep.stage_id for vep in value_map.veps}
    stage_of_gate = {t.id: stage_of_vep[t.vep_id] for t in value_map.thresholds}
    gates_at: defaultdict[str, list[str]] = defaultdict(list)
    for gate, stage_id in stage_of_gate.items():
        gates_at[stage_id].append(gate)
    dups_at: defaultdict[str, list[str]] = defaultdict(list)
    for dup in value_map.duplications:
        for gate in dup.threshold_ids:
            dups_at[gate].append(dup.id)
    dup_gates = {dup.id: list(dup.threshold_ids) for dup in value_map.duplications}
    losses_of: defaultdict[str, list[str]] = defaultdict(list)  # gate or duplication -> losses tracing to it
    for loss in value_map.losses:
        for ref in [*loss.threshold_ids, *loss.duplication_ids]:
            losses_of[ref].append(loss.id)

    def downstream_of_gate(gate: str) -> list[str]:
        """A gate, its stage, the duplications at it and every loss tracing to either."""
        found = [gate, stage_of_gate[gate], *dups_at[gate], *losses_of[gate]]
        for dup in dups_at[gate]:
            found += losses_of[dup]
        return found

    chains: dict[str, tuple[str, ...]] = {}
    for stage in value_map.stages:
        found = [stage.id]
        for gate in gates_at[stage.id]:
            found += downstream_of_gate(gate)
        chains[stage.id] = tuple(dict.fromkeys(found))
    for gate in stage_of_gate:
        chains[gate] = tuple(dict.fromkeys(downstream_of_gate(gate)))
    for duplication in value_map.duplications:
        found = [duplication.id, *losses_of[duplication.id]]
        for gate in duplication.threshold_ids:
            found += [gate, stage_of_gate[gate]]
        chains[duplication.id] = tuple(dict.fromkeys(found))
    for loss in value_map.losses:
        found = [loss.id]
        for dup_id in loss.duplication_ids:
            found.append(dup_id)
            found += [x for gate in dup_gates[dup_id] for x in (gate, stage_of_gate[gate])]
        found += [x for gate in loss.threshold_ids for x in (gate, stage_of_gate[gate])]
        chains[loss.id] = tuple(dict.fromkeys(found))
    return chains
