"""Run every registered check over a map: same map in, same findings out, no model call."""

from __future__ import annotations

from collections.abc import Collection

from agent.checks.divergence import TextEmbedder, embed_propositions
from agent.checks.registry import CHECKS
from agent.checks.summary import summarise
from agent.checks.view import MapView
from schemas.findings import CheckReport, Finding
from schemas.value_map import ValueMap


def check_map(
    value_map: ValueMap,
    *,
    embedder: TextEmbedder | None = None,
    only: Collection[str] | None = None,
) -> CheckReport:
    """Findings and summary for one map.

    The embedder is the one piece of I/O (a model on the CPU); it runs once, before the checks, so the
    checks themselves stay pure. Without one, duplication is reported only where the map records it.
    """
    vectors = embed_propositions(value_map.propositions, embedder) if embedder else None
    view = MapView.of(value_map, vectors)
    findings: list[Finding] = []
    for code, check in CHECKS.items():
        if only is None or code in only:
            findings.extend(check.findings(view))
    findings.sort(key=lambda f: (f.question.number, -f.severity.rank, f.code, f.element_ids))
    return CheckReport(map_title=value_map.title, findings=findings, summary=summarise(view))
