"""How well an embedder's cosines tell paraphrased value statements from different ones, on labelled pairs.

Used by the quality benchmark and by the test that holds MiniLM to a floor; the metrics follow
scikit-learn's definitions, written out in numpy to avoid a dependency for a few lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, model_validator

from agent.semantics.embedder import Embedder

Scores = npt.NDArray[np.float64]
Labels = npt.NDArray[np.bool_]


class PairKind(StrEnum):
    """Why a pair is labelled the way it is; lets a report say where an embedder goes wrong."""

    PARAPHRASE = "paraphrase"  # the same value told in other words (label 1)
    WORD_OVERLAP = "word_overlap"  # many shared words, a different value: "review time" vs "review cost"
    SAME_TOPIC = "same_topic"  # same market and topic, a different value, few shared words
    UNRELATED = "unrelated"  # different topic and value


class LabelledPair(BaseModel):
    """Two value-proposition statements and whether they promise the same value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    a: str = Field(min_length=1)
    b: str = Field(min_length=1)
    label: Literal[0, 1]
    kind: PairKind
    domain: str = ""

    @model_validator(mode="after")
    def _label_matches_kind(self) -> LabelledPair:
        if (self.label == 1) != (self.kind is PairKind.PARAPHRASE):
            raise ValueError(f"label {self.label} contradicts kind {self.kind.value!r}: only paraphrases are 1")
        return self


def load_labelled_pairs(path: Path) -> list[LabelledPair]:
    """Pairs from a JSON Lines file, one object per line; blank lines are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [LabelledPair.model_validate_json(line) for line in lines if line.strip()]


def pair_cosines(embedder: Embedder, pairs: Sequence[LabelledPair]) -> Scores:
    """Cosine of each pair, embedding every distinct text once."""
    texts = sorted({text for pair in pairs for text in (pair.a, pair.b)})
    row_of = {text: row for row, text in enumerate(texts)}
    vectors = embedder.embed(texts).astype(np.float64)
    left = vectors[[row_of[pair.a] for pair in pairs]]
    right = vectors[[row_of[pair.b] for pair in pairs]]
    cosines: Scores = np.einsum("ij,ij->i", left, right)
    return cosines


def roc_auc(scores: Iterable[float], labels: Iterable[bool]) -> float:
    """Chance that a random positive outscores a random negative (ties count half)."""
    score_array, label_array = _checked(scores, labels)
    positives, negatives = score_array[label_array], score_array[~label_array]
    wins = (positives[:, None] > negatives[None, :]).mean()
    ties = (positives[:, None] == negatives[None, :]).mean()
    return float(wins + 0.5 * ties)


def average_precision(scores: Iterable[float], labels: Iterable[bool]) -> float:
    """Precision averaged over the recall gained at each distinct score, highest first."""
    score_array, label_array = _checked(scores, labels)
    true_positives, false_positives = _counts_at_each_threshold(score_array, label_array)
    precision = true_positives / (true_positives + false_positives)
    recall = true_positives / label_array.sum()
    return float(np.sum(np.diff(recall, prepend=0.0) * precision))


@dataclass(frozen=True)
class OperatingPoint:
    """What calling every pair with cosine >= `threshold` a match gives on a labelled set."""

    threshold: float
    precision: float
    recall: float
    f1: float


def operating_point(scores: Iterable[float], labels: Iterable[bool], threshold: float) -> OperatingPoint:
    """Precision, recall and F1 of the rule `cosine >= threshold`."""
    score_array, label_array = _checked(scores, labels)
    called = score_array >= threshold
    true_positives = int(np.sum(called & label_array))
    precision = true_positives / max(int(called.sum()), 1)
    recall = true_positives / int(label_array.sum())
    f1 = 2 * precision * recall / (precision + recall) if true_positives else 0.0
    return OperatingPoint(threshold=threshold, precision=precision, recall=recall, f1=f1)


def best_f1_threshold(scores: Iterable[float], labels: Iterable[bool]) -> OperatingPoint:
    """The threshold with the highest F1, placed midway between the last score kept and the next one down.

    Midway rather than on a score, so a new pair scoring just under the last positive is not a coin flip.
    """
    score_array, label_array = _checked(scores, labels)
    distinct = np.unique(score_array)[::-1]
    best = OperatingPoint(threshold=float(distinct[0]), precision=0.0, recall=0.0, f1=-1.0)
    for index, lowest_kept in enumerate(distinct):
        below = distinct[index + 1] if index + 1 < len(distinct) else lowest_kept
        candidate = operating_point(score_array, label_array, float((lowest_kept + below) / 2))
        if candidate.f1 > best.f1:
            best = candidate
    return best


def _counts_at_each_threshold(scores: Scores, labels: Labels) -> tuple[Scores, Scores]:
    order = np.argsort(-scores, kind="stable")
    sorted_scores, sorted_labels = scores[order], labels[order]
    # Only the last index of a run of tied scores is a threshold anyone can choose.
    last_of_tie = np.r_[np.diff(sorted_scores) != 0, True]
    true_positives = np.cumsum(sorted_labels)[last_of_tie].astype(np.float64)
    false_positives = np.cumsum(~sorted_labels)[last_of_tie].astype(np.float64)
    return true_positives, false_positives


def _checked(scores: Iterable[float], labels: Iterable[bool]) -> tuple[Scores, Labels]:
    score_array = np.asarray(list(scores), dtype=np.float64)
    label_array = np.asarray(list(labels), dtype=np.bool_)
    if score_array.shape != label_array.shape or score_array.ndim != 1:
        raise ValueError(f"scores {score_array.shape} and labels {label_array.shape} must be equal-length vectors")
    if label_array.all() or not label_array.any():
        raise ValueError("separation needs at least one positive and one negative pair")
    return score_array, label_array
