"""How `vsm synthesize` scales: 5 to 40 per-source maps of about 100 elements each.

    python -m benchmarks.synthesis_speed

Each source is a generated map (its own seed, source id and speaker), so names repeat across sources
(the same stage told by several people), propositions are related, unrelated and repeated text, and
many merges and contradictions are found, as in a real engagement. Reports, per number of sources:
the whole synthesis with the offline MiniLM (cold: every label embedded), the same with the vectors
remembered (the merging itself, what scales with elements), and the pairs compared. The issue's
target: 20 maps under 5 s, not quadratic beyond the vector search. Doubling the sources doubles the
elements: linear work is a ratio of 2, quadratic 4.
"""

from __future__ import annotations

import itertools
import time

from agent.semantics import embedder_from_settings
from agent.semantics.remembering import RememberingEmbedder
from agent.synthesis import synthesize
from agent.synthesis.synthesize import candidate_pair_count
from benchmarks.generated_maps import generated_map
from schemas import ValueMap

SOURCES = (5, 10, 20, 40)
ELEMENTS_PER_SOURCE = 100


def source_map(index: int) -> ValueMap:
    """One stakeholder's map: a generated map whose evidence comes from its own source and speaker."""
    document = generated_map(ELEMENTS_PER_SOURCE, seed=index).model_dump(mode="json")
    document["sources"] = [{"id": f"src-{index}"}]
    for collection in ("stages", "veps", "resistances", "thresholds", "exchanges", "propositions",
                       "duplications", "losses"):
        for element in document[collection]:
            for quote in element.get("evidence", []):
                quote.update(source_id=f"src-{index}", speaker=f"Speaker {index}")
    return ValueMap.model_validate(document)


def main() -> None:
    inner = embedder_from_settings("minilm")
    inner.embed(["warm up the model"])
    all_maps = [source_map(i) for i in range(max(SOURCES))]
    print(f"{'sources':>8} {'elements':>9} {'merged':>7} {'contra':>7} {'pairs':>7} {'cold (s)':>9} {'merging (s)':>12}")
    warm: dict[int, float] = {}
    cold: dict[int, float] = {}
    for count in SOURCES:
        maps = all_maps[:count]
        elements = sum(m.element_count() for m in maps)
        started = time.perf_counter()
        result = synthesize(maps, embedder=inner)
        cold[count] = time.perf_counter() - started
        remembering = RememberingEmbedder(inner)
        synthesize(maps, embedder=remembering)
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            synthesize(maps, embedder=remembering)
            runs.append(time.perf_counter() - started)
        warm[count] = min(runs)
        print(f"{count:>8} {elements:>9} {result.merged:>7} {result.contradictions:>7} "
              f"{candidate_pair_count(maps, remembering):>7} {cold[count]:>9.2f} {warm[count]:>12.3f}")
    for low, high in itertools.pairwise(SOURCES):
        print(f"{high}/{low} sources: cold {cold[high] / cold[low]:.1f}x, merging {warm[high] / warm[low]:.1f}x "
              "(linear 2.0, quadratic 4.0)")


if __name__ == "__main__":
    main()
