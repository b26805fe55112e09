"""Separation metrics, the labelled value-statement pairs, and the quality floor MiniLM must keep on them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from agent.semantics import MiniLMEmbedder
from agent.semantics.pair_separation import (
    LabelledPair,
    PairKind,
    average_precision,
    best_f1_threshold,
    load_labelled_pairs,
    operating_point,
    pair_cosines,
    roc_auc,
)

VALUE_PAIRS = Path(__file__).parent / "data" / "semantics" / "value_pairs.jsonl"

# Floors, from benchmarks/embedder_quality.py on 133 pairs (MiniLM int8, onnxruntime 1.32):
#   all pairs AUC 0.622 (bootstrap 95% 0.52-0.72); paraphrase vs same-topic + unrelated AUC 0.958.
# The vectors are deterministic, so the margin only absorbs runtime rounding. Each floor fails for a
# broken pipeline, measured: CLS instead of mean pooling 0.588 / 0.884, padding pooled as tokens
# 0.523 / 0.840, a scrambled vocabulary 0.437 / 0.730, and the static WordLlama baseline 0.549 / 0.900.
FLOOR_AUC_ALL_PAIRS = 0.60
FLOOR_AUC_WITHOUT_WORD_OVERLAP = 0.93


@pytest.fixture(scope="module")
def value_pairs() -> list[LabelledPair]:
    return load_labelled_pairs(VALUE_PAIRS)


def test_the_labelled_set_has_enough_pairs_of_every_kind(value_pairs: list[LabelledPair]) -> None:
    kinds = Counter(pair.kind for pair in value_pairs)

    assert len(value_pairs) >= 80
    assert kinds[PairKind.PARAPHRASE] >= 40
    assert all(kinds[kind] >= 15 for kind in PairKind)
    assert len({(pair.a, pair.b) for pair in value_pairs}) == len(value_pairs)
    assert all(pair.a != pair.b for pair in value_pairs)


def test_only_paraphrases_may_be_labelled_one() -> None:
    with pytest.raises(ValidationError, match="only paraphrases are 1"):
        LabelledPair(a="Cut review time.", b="Cut review cost.", label=1, kind=PairKind.WORD_OVERLAP)


def test_minilm_separates_paraphrases_above_the_floor(value_pairs: list[LabelledPair]) -> None:
    scores = pair_cosines(MiniLMEmbedder(), value_pairs)
    labels = np.array([pair.label == 1 for pair in value_pairs])
    without_word_overlap = np.array([pair.kind is not PairKind.WORD_OVERLAP for pair in value_pairs])

    assert roc_auc(scores, labels) >= FLOOR_AUC_ALL_PAIRS
    assert roc_auc(scores[without_word_overlap], labels[without_word_overlap]) >= FLOOR_AUC_WITHOUT_WORD_OVERLAP


def test_roc_auc_counts_wins_and_half_ties() -> None:
    assert roc_auc([0.9, 0.8, 0.2, 0.1], [True, True, False, False]) == 1.0
    assert roc_auc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0
    assert roc_auc([0.5, 0.5], [True, False]) == 0.5
    assert roc_auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == pytest.approx(0.75)


def test_average_precision_matches_scikit_learns_example() -> None:
    # sklearn.metrics.average_precision_score's documented example gives 0.8333.
    assert average_precision([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == pytest.approx(0.8333, abs=1e-4)


def test_best_f1_threshold_falls_between_separable_classes() -> None:
    best = best_f1_threshold([0.9, 0.7, 0.3, 0.1], [True, True, False, False])

    assert best.threshold == pytest.approx(0.5)
    assert (best.precision, best.recall, best.f1) == (1.0, 1.0, 1.0)


def test_operating_point_reports_precision_and_recall_of_a_threshold() -> None:
    point = operating_point([0.9, 0.6, 0.6, 0.1], [True, False, True, True], threshold=0.5)

    assert point.precision == pytest.approx(2 / 3)
    assert point.recall == pytest.approx(2 / 3)


def test_metrics_refuse_a_set_with_a_single_class() -> None:
    with pytest.raises(ValueError, match="at least one positive and one negative"):
        roc_auc([0.2, 0.4], [True, True])


def test_a_duplication_is_suggested_only_where_nine_pairs_in_ten_are_one_value(
    value_pairs: list[LabelledPair],
) -> None:
    from agent.checks.divergence import SUGGEST_DUPLICATION
    from agent.semantics.pair_separation import PairKind, operating_point

    natural = [p for p in value_pairs if p.kind is not PairKind.WORD_OVERLAP]
    scores = pair_cosines(MiniLMEmbedder(), natural)
    point = operating_point(scores, [p.label == 1 for p in natural], SUGGEST_DUPLICATION)
    assert point.precision >= 0.9
    assert point.recall >= 0.75


def test_the_hand_made_legal_map_gets_no_duplication_it_does_not_record() -> None:
    """The issue's case: 'Find the right business lawyer in minutes' vs 'For lawyers nothing changes' (0.38)."""
    from pathlib import Path

    from agent.checks import check_map
    from agent.storage import load_map

    value_map = load_map(Path(__file__).parents[1] / "transcripts" / "legal-platform" / "map.json")
    recorded = {d.id for d in value_map.duplications}
    findings = [f for f in check_map(value_map, embedder=MiniLMEmbedder()).findings if f.code == "duplication"]
    assert findings and all(recorded & set(f.element_ids) for f in findings)
