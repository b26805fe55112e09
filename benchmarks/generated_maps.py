"""Maps of any size for benchmarks and scaling tests, shaped like real ones.

Each unit of eight elements is one threshold's worth of stream: a stage, its VEP, resistance,
threshold, exchange and proposition, and every fourth unit a duplication and a loss. Statements vary
by template so the semantic comparison has related, unrelated and repeated text to work on.
"""

from __future__ import annotations

import random

from schemas import ValueMap

_BENEFITS = ["save hours every week", "fewer billing errors", "a vetted expert within a day", "lower fees",
             "faster onboarding", "peace of mind", "real-time reports", "no paperwork", "a dedicated manager",
             "guaranteed results", "cheaper than hiring", "works with your tools"]
_AUDIENCES = ["SMB owners", "finance teams", "lawyers", "operations leads", None]
_VERBS = ["Get", "Enjoy", "Unlock", "Count on", "Start with"]


def generated_map(elements: int, seed: int = 7) -> ValueMap:
    rng = random.Random(seed)
    data: dict[str, list[dict[str, object]]] = {k: [] for k in (
        "stages", "veps", "resistances", "thresholds", "exchanges", "propositions", "duplications", "losses")}
    quote = {"text": "we lose people here", "source_id": "src", "speaker": "Ana", "start": 0, "end": 19,
             "match": "exact"}
    units = max(1, elements // 6)
    for i in range(units):
        claims = rng.sample(_BENEFITS, k=rng.randint(1, 3))
        data["stages"].append({"id": f"st-{i}", "name": f"Stage {i}", "order": i, "customer_visible": i % 3 != 0,
                               "value_link": rng.choice(["direct", "indirect", "none", "unknown"]),
                               "improvements": [{"description": "cycle time cut 30%"}] if i % 5 == 0 else [],
                               "evidence": [quote] if i % 2 else []})
        data["propositions"].append({"id": f"vp-{i}", "name": f"Proposition {i}",
                                     "statement": f"{rng.choice(_VERBS)} {' and '.join(claims)}",
                                     "claims": claims, "audience": rng.choice(_AUDIENCES),
                                     "used_at_ids": [f"th-{i}"], "evidence": [quote]})
        data["veps"].append({"id": f"vep-{i}", "name": f"Ask {i}", "stage_id": f"st-{i}", "customer_action": "act",
                             "proposition_ids": [f"vp-{i}"], "activation": rng.choice(["activates", "resonates"])})
        data["resistances"].append({"id": f"res-{i}", "name": f"Lack {i}", "vep_id": f"vep-{i}",
                                    "resources_lacking": ["capacity"],
                                    "resolution": rng.choice(["customer_exchange", "unresolved"])})
        purchase = {"purchase": {"perceived_value": 100, "accumulated_loss": 40}} if i == units - 1 else {}
        data["thresholds"].append({"id": f"th-{i}", "name": f"Threshold {i}", "vep_id": f"vep-{i}", **purchase})
        if i % 2:
            data["exchanges"].append({"id": f"ex-{i}", "name": f"Exchange {i}", "threshold_id": f"th-{i}",
                                      "customer_gives": [{"kind": "time"}], "organisation_gives": [{"what": "access"}]})
        if i % 4 == 3:
            data["duplications"].append({"id": f"dup-{i}", "name": f"Duplication {i}", "kind": "layering",
                                         "proposition_ids": [f"vp-{i}", f"vp-{i - 1}"], "threshold_ids": [f"th-{i}"]})
            data["losses"].append({"id": f"loss-{i}", "name": f"Loss {i}", "kind": "churn",
                                   "duplication_ids": [f"dup-{i}"] if i % 8 == 3 else []})
    return ValueMap.model_validate({"schema_version": 1, "title": f"Generated ({elements})",
                                    "sources": [{"id": "src"}], **data})
