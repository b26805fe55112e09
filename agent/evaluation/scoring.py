"""Scoring a predicted map against a gold map: candidate pairs per element type, made one-to-one, then P/R/F1.

A predicted and a gold element of the same type are a candidate pair when their verified quotes overlap
in the same source (`spans`), or when their texts mean the same: cosine of "name. detail" (the statement,
for a proposition) at or above `MIN_SIMILARITY` with an embedder, identical text without one.

Each candidate gets a combined score in [0, 1]: `EVIDENCE_WEIGHT` when its quotes overlap, plus a share
of its span score (how closely the best pair of quotes coincides) and of its similarity (0 when not
measured). Evidence is the tier: any pair that shares quoted words outranks any pair that only reads
alike, because a grounded quote is the map's strongest claim and sentence embedders also score "same
words, other meaning" high. Within a tier, closer spans and closer meaning win. Pairs are then taken
greedily, best score first, each element at most once.

Greedy rather than an optimal (Hungarian) assignment: the best remaining pair always wins, which a
person can check by eye in the report, and on maps of tens of elements per type the two rarely differ.
Pure apart from the one `embed` call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from agent.checks.divergence import TextEmbedder, Vectors
from agent.evaluation.spans import (
    MIN_SHARED_CHARS,
    MIN_SHARED_FRACTION,
    EvidenceSpan,
    best_overlap,
    corresponding_sources,
    source_keys,
    spans_of,
)
from schemas.elements import Element, ValueProposition
from schemas.evaluation import (
    ElementType,
    EvaluationReport,
    MatchBasis,
    MatchedPair,
    MatchingRule,
    MeaningComparison,
    TypeScore,
    UnmatchedElement,
)
from schemas.value_map import ValueMap

# Cosine between unit vectors of the default MiniLM embedder. Measured on the bundled gold maps: of the
# pairs of *different* elements of one type in one map, 1.4% reach 0.70 and 6% reach 0.50; paraphrases in
# tests/data/semantics reach 0.56 at the median. So 0.70 rarely joins two different elements, at the
# cost of missing loose rewordings, which evidence overlap usually catches instead.
MIN_SIMILARITY = 0.70

# Combined score = EVIDENCE_WEIGHT * (quotes overlap) + SPAN_WEIGHT * span score + MEANING_WEIGHT * similarity.
EVIDENCE_WEIGHT = 0.5
SPAN_WEIGHT = 0.25
MEANING_WEIGHT = 0.25

ASSIGNMENT = (
    "greedy: candidate pairs by descending combined score (0.5 if quotes overlap + 0.25 x span score "
    "+ 0.25 x similarity), each element used once"
)

_SPACE = re.compile(r"\s+")


def meaning_text(element: Element) -> str:
    """What an element says, as compared for meaning: the statement of a proposition, else "name. detail"."""
    if isinstance(element, ValueProposition):
        return element.statement
    name = element.name.strip()
    detail = element.detail.strip()
    return f"{name.rstrip('.')}. {detail}" if detail else name


def _same_text(first: str, second: str) -> bool:
    return _SPACE.sub(" ", first).strip().casefold() == _SPACE.sub(" ", second).strip().casefold()


class _MeaningVectors(NamedTuple):
    rows: Vectors
    row_of: dict[str, int]

    def of(self, elements: Sequence[Element]) -> Vectors:
        return self.rows[[self.row_of[meaning_text(e)] for e in elements]]


def _embed_elements(predicted: ValueMap, gold: ValueMap, embedder: TextEmbedder) -> _MeaningVectors | None:
    # One batch of unique texts for both maps: a map repeats phrases, and a model call is the slow part.
    texts = list(dict.fromkeys(meaning_text(e) for m in (predicted, gold) for e in m.elements()))
    if not texts:
        return None
    return _MeaningVectors(embedder.embed(texts), {text: i for i, text in enumerate(texts)})


def embedder_label(embedder: TextEmbedder) -> str:
    name = getattr(embedder, "name", None)
    return name if isinstance(name, str) else type(embedder).__name__


def matching_rule(embedder: TextEmbedder | None) -> MatchingRule:
    return MatchingRule(
        min_shared_fraction=MIN_SHARED_FRACTION,
        min_shared_chars=MIN_SHARED_CHARS,
        min_similarity=MIN_SIMILARITY,
        meaning=MeaningComparison.IDENTICAL_TEXT if embedder is None else MeaningComparison.EMBEDDER,
        embedder=None if embedder is None else embedder_label(embedder),
        assignment=ASSIGNMENT,
    )


class _Candidate(NamedTuple):
    score: float
    gold_index: int
    predicted_index: int
    pair: MatchedPair


def _candidate(
    p: Element, g: Element, p_spans: list[EvidenceSpan], g_spans: list[EvidenceSpan], similarity: float | None,
) -> MatchedPair | None:
    overlap = best_overlap(p_spans, g_spans)
    close = similarity is not None and similarity >= MIN_SIMILARITY
    if overlap is None and not close:
        return None
    span_score = overlap.score if overlap is not None else 0.0
    if overlap is not None and close:
        basis = MatchBasis.EVIDENCE_AND_MEANING
    else:
        basis = MatchBasis.EVIDENCE if overlap is not None else MatchBasis.MEANING
    meaning_score = min(1.0, max(0.0, similarity or 0.0))
    return MatchedPair(
        predicted_id=p.id,
        gold_id=g.id,
        predicted_name=p.name,
        gold_name=g.name,
        basis=basis,
        score=round(
            (EVIDENCE_WEIGHT if overlap is not None else 0.0) + SPAN_WEIGHT * span_score + MEANING_WEIGHT * meaning_score,
            4,
        ),
        shared_chars=overlap.shared_chars if overlap is not None else 0,
        span_score=round(span_score, 4),
        similarity=None if similarity is None else round(similarity, 4),
    )


def _similarities(
    predicted: Sequence[Element], gold: Sequence[Element], vectors: _MeaningVectors | None,
) -> list[list[float | None]]:
    if vectors is not None and predicted and gold:
        matrix = np.asarray(vectors.of(predicted) @ vectors.of(gold).T, dtype=np.float64)
        return [[float(value) for value in row] for row in matrix]
    # No embedder: identical texts are the one meaning comparison that needs no model.
    return [
        [1.0 if _same_text(meaning_text(p), meaning_text(g)) else None for g in gold]
        for p in predicted
    ]


def _score_type(
    element_type: ElementType,
    predicted: Sequence[Element],
    gold: Sequence[Element],
    keys: tuple[dict[str, str], dict[str, str]],
    vectors: _MeaningVectors | None,
) -> TypeScore:
    predicted_spans = [spans_of(e, keys[0]) for e in predicted]
    gold_spans = [spans_of(e, keys[1]) for e in gold]
    similarities = _similarities(predicted, gold, vectors)
    candidates: list[_Candidate] = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            pair = _candidate(p, g, predicted_spans[i], gold_spans[j], similarities[i][j])
            if pair is not None:
                candidates.append(_Candidate(pair.score, j, i, pair))
    candidates.sort(key=lambda c: (-c.score, c.gold_index, c.predicted_index))

    taken: list[_Candidate] = []
    taken_predicted: set[int] = set()
    taken_gold: set[int] = set()
    for candidate in candidates:
        if candidate.predicted_index in taken_predicted or candidate.gold_index in taken_gold:
            continue
        taken_predicted.add(candidate.predicted_index)
        taken_gold.add(candidate.gold_index)
        taken.append(candidate)
    matches = [c.pair for c in sorted(taken, key=lambda c: c.gold_index)]  # in the gold map's order

    return TypeScore(
        element_type=element_type,
        gold=len(gold),
        predicted=len(predicted),
        true_positives=len(matches),
        matches=matches,
        unmatched_predicted=[
            UnmatchedElement(id=e.id, name=e.name) for i, e in enumerate(predicted) if i not in taken_predicted
        ],
        unmatched_gold=[UnmatchedElement(id=e.id, name=e.name) for j, e in enumerate(gold) if j not in taken_gold],
    )


def score_map(predicted: ValueMap, gold: ValueMap, *, embedder: TextEmbedder | None = None) -> EvaluationReport:
    """Score `predicted` against `gold`, type by type; meaning is compared only when an embedder is given."""
    sources = corresponding_sources(predicted, gold)
    keys = source_keys(sources, gold)
    vectors = _embed_elements(predicted, gold, embedder) if embedder is not None else None
    types = [
        _score_type(
            element_type, getattr(predicted, element_type.value), getattr(gold, element_type.value),
            keys, vectors,
        )
        for element_type in ElementType
    ]
    return EvaluationReport(
        predicted_title=predicted.title,
        gold_title=gold.title,
        rule=matching_rule(embedder),
        sources=sources,
        types=types,
    )
