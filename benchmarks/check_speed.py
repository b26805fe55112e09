"""How `vsm check` scales: maps of 100, 1,000 and 10,000 elements.

    python -m benchmarks.check_speed

Reports, per size: the checks alone (proposition vectors already computed, as on a re-check or in
the interview), and cold (embedding every statement and claim with the offline MiniLM first), each
the best of several runs; then the 10k/1k ratios. n log n growth from 1k to 10k is a ratio of
about 13.3; linear is 10.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from agent.checks import check_map
from agent.checks.divergence import PropositionVectors, embed_propositions
from agent.checks.registry import CHECKS
from agent.checks.summary import summarise
from agent.checks.view import MapView
from agent.semantics import embedder_from_settings
from benchmarks.generated_maps import generated_map
from schemas import CheckReport, ValueMap

SIZES = (100, 1_000, 10_000)


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    embedder = embedder_from_settings("minilm")
    embedder.embed(["warm up the model"])
    warm: dict[int, float] = {}
    cold: dict[int, float] = {}
    print(f"{'elements':>9} {'findings':>9} {'checks (s)':>11} {'cold (s)':>9}")
    for size in SIZES:
        value_map = generated_map(size)
        vectors = embed_propositions(value_map.propositions, embedder)

        def checks_only(value_map: ValueMap = value_map, vectors: PropositionVectors = vectors) -> CheckReport:
            view = MapView.of(value_map, vectors)
            findings = [f for check in CHECKS.values() for f in check.findings(view)]
            return CheckReport(map_title="", findings=findings, summary=summarise(view))

        warm[size] = best_of(5, checks_only)
        cold[size] = best_of(2, lambda value_map=value_map: check_map(value_map, embedder=embedder))
        findings = len(checks_only().findings)
        print(f"{value_map.element_count():>9} {findings:>9} {warm[size]:>11.3f} {cold[size]:>9.3f}")
    nlogn = (10_000 * math.log(10_000)) / (1_000 * math.log(1_000))
    print(f"10k/1k ratio: checks {warm[10_000] / warm[1_000]:.1f}, cold {cold[10_000] / cold[1_000]:.1f} "
          f"(n log n would be {nlogn:.1f})")


if __name__ == "__main__":
    main()
