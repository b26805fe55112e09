"""How well each available embedder separates paraphrased value statements from different ones, and how fast.

Run from the repository root:

    .venv/bin/python benchmarks/embedder_quality.py

It scores the labelled pairs in tests/data/semantics/value_pairs.jsonl with MiniLM (the default) and, when
the `wordllama` package is installed, with WordLlama's static 256-d vectors for comparison. It prints ROC
AUC (with a bootstrap 95% interval), average precision, the best-F1 threshold, mean cosine per kind of
pair, the most confusing pairs, throughput, the two cosine thresholds the duplication check should use, and
the cut above which it may suggest a duplication the map does not record, with its measured precision.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from agent.checks.divergence import SUGGEST_DUPLICATION
from agent.semantics import Embedder, EmbeddingMatrix, MiniLMEmbedder, normalise_rows
from agent.semantics.pair_separation import (
    LabelledPair,
    OperatingPoint,
    PairKind,
    Scores,
    average_precision,
    best_f1_threshold,
    load_labelled_pairs,
    operating_point,
    pair_cosines,
    roc_auc,
)

DEFAULT_PAIRS = Path(__file__).resolve().parent.parent / "tests" / "data" / "semantics" / "value_pairs.jsonl"
BOOTSTRAP_ROUNDS = 1000
SUGGESTION_PRECISION = 0.9  # a suggested duplication should be right nine times in ten


class WordLlamaEmbedder:
    """WordLlama's bundled 256-d static token vectors, averaged; a cheap baseline, not a project embedder."""

    name = "wordllama-l2-supercat-256"

    def __init__(self) -> None:
        import wordllama  # type: ignore[import-untyped,import-not-found]
        from wordllama import WordLlama  # type: ignore[import-untyped,import-not-found]

        # 0.4.0.post1 looks for its tokenizer under cache_dir/tokenizers and would download it from the
        # hub; its own package folder has exactly that layout, so pointing there keeps it offline.
        package_folder = Path(wordllama.__file__).parent
        self._model = WordLlama.load(cache_dir=package_folder, disable_download=True, dim=256)

    def embed(self, texts: Sequence[str]) -> EmbeddingMatrix:
        return normalise_rows(self._model.embed(list(texts), norm=True))


def available_embedders() -> list[Embedder]:
    embedders: list[Embedder] = [MiniLMEmbedder()]
    if importlib.util.find_spec("wordllama") is not None:
        embedders.append(WordLlamaEmbedder())
    return embedders


def bootstrap_interval(
    scores: Scores, labels: npt.NDArray[np.bool_], statistic: Callable[[Scores, npt.NDArray[np.bool_]], float]
) -> tuple[float, float]:
    """2.5th and 97.5th percentiles of a statistic over pairs resampled with replacement, within each label."""
    rng = np.random.default_rng(7)
    positives, negatives = np.flatnonzero(labels), np.flatnonzero(~labels)
    samples = []
    for _ in range(BOOTSTRAP_ROUNDS):
        rows = np.r_[rng.choice(positives, size=len(positives)), rng.choice(negatives, size=len(negatives))]
        samples.append(statistic(scores[rows], labels[rows]))
    low, high = np.percentile(samples, [2.5, 97.5])
    return float(low), float(high)


def _threshold_of_best_f1(scores: Scores, labels: npt.NDArray[np.bool_]) -> float:
    return best_f1_threshold(scores, labels).threshold


def suggestion_threshold(scores: Scores, labels: npt.NDArray[np.bool_]) -> OperatingPoint:
    """The lowest cosine at which at least `SUGGESTION_PRECISION` of the pairs above it are the same value:
    where the duplication check may suggest a pair the map does not record."""
    for threshold in np.round(np.arange(0.0, 1.0001, 0.01), 2):
        point = operating_point(scores, labels, float(threshold))
        if point.precision >= SUGGESTION_PRECISION:
            return point
    return operating_point(scores, labels, 1.0)


def throughput(embedder: Embedder, texts: list[str], rounds: int = 3) -> tuple[float, float]:
    """Sentences per second when embedding all texts in one call, and milliseconds for one text alone."""
    embedder.embed(texts[:2])  # load outside the clock
    batch_seconds = min(_timed(embedder, texts) for _ in range(rounds))
    single_seconds = statistics.median(_timed(embedder, [text]) for text in texts[:30])
    return len(texts) / batch_seconds, single_seconds * 1000


def _timed(embedder: Embedder, texts: list[str]) -> float:
    start = time.perf_counter()
    embedder.embed(texts)
    return time.perf_counter() - start


def report(embedder: Embedder, pairs: list[LabelledPair]) -> None:
    start = time.perf_counter()
    scores = pair_cosines(embedder, pairs)
    first_call_s = time.perf_counter() - start
    labels = np.array([pair.label == 1 for pair in pairs])
    kinds = np.array([pair.kind for pair in pairs])

    print(f"\n== {embedder.name}  ({len(pairs)} pairs, {labels.sum()} paraphrases)")
    low, high = bootstrap_interval(scores, labels, roc_auc)
    _line("ROC AUC, all pairs", f"{roc_auc(scores, labels):.3f}  (95% CI {low:.3f}-{high:.3f})")
    _line("average precision, all pairs", f"{average_precision(scores, labels):.3f}")
    best = best_f1_threshold(scores, labels)
    _line("best-F1 threshold, all pairs", f"{best.threshold:.3f}  ({_described(best)})")
    for kind in PairKind:
        chosen = scores[kinds == kind]
        _line(f"mean cosine, {kind.value}", f"{chosen.mean():.3f}  ({chosen.min():.3f} to {chosen.max():.3f})")
    for negative_kinds in ({PairKind.WORD_OVERLAP}, {PairKind.SAME_TOPIC}, {PairKind.SAME_TOPIC, PairKind.UNRELATED}):
        rows = labels | np.isin(kinds, list(negative_kinds))
        against = " + ".join(sorted(kind.value for kind in negative_kinds))
        _line(f"ROC AUC, paraphrase vs {against}", f"{roc_auc(scores[rows], labels[rows]):.3f}")

    # The duplication check's thresholds. Minimal-edit pairs ("review time" vs "review cost") are left out:
    # they score like paraphrases, no cosine threshold separates them, and the check must confirm hits.
    natural = kinds != PairKind.WORD_OVERLAP
    same_meaning = best_f1_threshold(scores[natural], labels[natural])
    low, high = bootstrap_interval(scores[natural], labels[natural], _threshold_of_best_f1)
    print(
        f"same_meaning >= {same_meaning.threshold:.2f}  (bootstrap {low:.2f}-{high:.2f}; vs same-topic + unrelated:"
        f" {_described(same_meaning)}; word-overlap pairs above it: "
        f"{np.mean(scores[kinds == PairKind.WORD_OVERLAP] >= same_meaning.threshold):.0%})"
    )
    topical = np.isin(kinds, [PairKind.SAME_TOPIC, PairKind.UNRELATED])
    is_same_topic = kinds[topical] == PairKind.SAME_TOPIC
    related = best_f1_threshold(scores[topical], is_same_topic)
    low, high = bootstrap_interval(scores[topical], is_same_topic, _threshold_of_best_f1)
    print(
        f"related      >= {related.threshold:.2f}  (bootstrap {low:.2f}-{high:.2f}; same-topic vs unrelated:"
        f" {_described(related)})"
    )
    suggest = suggestion_threshold(scores[natural], labels[natural])
    print(
        f"suggest a duplication >= {suggest.threshold:.2f}  (lowest cut with precision >= {SUGGESTION_PRECISION:.0%} "
        f"on same-value vs same-topic + unrelated: {_described(suggest)}; with word-overlap pairs too: "
        f"{_described(operating_point(scores, labels, suggest.threshold))})\n"
        f"  the check suggests at SUGGEST_DUPLICATION = {SUGGEST_DUPLICATION:.2f}: "
        f"{_described(operating_point(scores[natural], labels[natural], SUGGEST_DUPLICATION))}"
    )
    for threshold in (0.4, 0.5, 0.6, 0.7):
        print(
            f"  paraphrase if >= {threshold:.2f} vs same-topic + unrelated: "
            f"{_described(operating_point(scores[natural], labels[natural], threshold))}"
        )

    print("most confusing pairs:")
    negatives = np.flatnonzero(~labels)
    for index in negatives[np.argsort(-scores[negatives])][:3]:
        print(f"  {scores[index]:.3f} different ({pairs[index].kind.value}): {pairs[index].a} | {pairs[index].b}")
    positives = np.flatnonzero(labels)
    for index in positives[np.argsort(scores[positives])][:3]:
        print(f"  {scores[index]:.3f} paraphrase: {pairs[index].a} | {pairs[index].b}")

    texts = sorted({text for pair in pairs for text in (pair.a, pair.b)})
    per_second, single_ms = throughput(embedder, texts)
    print(
        f"throughput {per_second:.0f} sentences/s in one call of {len(texts)}; one sentence alone "
        f"{single_ms:.1f} ms; first call incl. loading {first_call_s:.2f} s"
    )


def _line(label: str, value: str) -> None:
    print(f"{label:<46}{value}")


def _described(point: OperatingPoint) -> str:
    return f"P {point.precision:.2f}, R {point.recall:.2f}, F1 {point.f1:.2f}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS, help="labelled pairs, JSON Lines")
    args = parser.parse_args(argv)
    pairs = load_labelled_pairs(args.pairs)
    for embedder in available_embedders():
        report(embedder, pairs)


if __name__ == "__main__":
    main()
