"""How well the offline extractor maps the bundled examples, scored against their hand-made gold maps.

    python -m benchmarks.extractor_quality

Each example's transcripts are mapped offline (as `vsm map` does), then scored with `vsm eval`'s
rules (evidence span overlap, and meaning with the offline MiniLM). The held-out example was written
without looking at the extractor; the others were read by the extractor's author while developing it,
so their scores are optimistic.
"""

from __future__ import annotations

from pathlib import Path

from agent.evaluation import score_map
from agent.mapping import map_transcripts
from agent.semantics import embedder_from_settings
from agent.storage import load_map

EXAMPLES = Path(__file__).parents[1] / "transcripts"


def main() -> None:
    embedder = embedder_from_settings("minilm")
    print(f"{'example':<32} {'gold':>5} {'found':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for folder in sorted(p for p in EXAMPLES.iterdir() if (p / "map.json").is_file()):
        gold = load_map(folder / "map.json")
        result = map_transcripts(sorted(folder.glob("*.md")), interviewers=["Consultant"], embedder=embedder)
        overall = score_map(result.value_map, gold, embedder=embedder).overall
        print(f"{folder.name:<32} {overall.true_positives + overall.false_negatives:>5} "
              f"{result.value_map.element_count():>6} {_f(overall.precision)} {_f(overall.recall)} {_f(overall.f1)}")


def _f(value: float | None) -> str:
    return f"{'n/a':>6}" if value is None else f"{value:>6.2f}"


if __name__ == "__main__":
    main()
