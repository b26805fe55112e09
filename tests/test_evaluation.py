"""Scoring a map against a gold map: which elements pair up, and the figures that follow.

The maps here quote one small transcript at real offsets, so a test can shift, shrink or move a quote and
see exactly which overlaps count. Meaning is compared with a transparent keyword-axis embedder.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from agent.checks.divergence import Vectors
from agent.evaluation import MIN_SHARED_CHARS, score_map
from agent.storage import load_map
from schemas.evaluation import (
    ElementType,
    EvaluationReport,
    MatchBasis,
    MeaningComparison,
    SourceLink,
    SourcePair,
    Tally,
    TypeScore,
)
from schemas.value_map import ValueMap

TRANSCRIPT = (
    "Marta: We could not build the lawyer database ourselves, it takes three hours per lawyer.\n\n"
    "Marta: So owners see every registered lawyer and mark the ones they want us to contact.\n\n"
    "Ben: Signup asks for the company size and the legal areas they care about.\n\n"
    "Dennis: I marked three lawyers and one of them called me back the same afternoon.\n\n"
    "Ben: The free first consultation is what gets people to book at all.\n"
)


def span(phrase: str, source: str = "src-interview") -> dict[str, Any]:
    start = TRANSCRIPT.index(phrase)
    return {"text": phrase, "source_id": source, "start": start, "end": start + len(phrase), "match": "exact"}


def gold_data() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "title": "Gold",
        "sources": [{"id": "src-interview", "title": "Interview", "path": "transcripts/demo/interview.md"}],
        "stages": [
            {"id": "st-signup", "name": "Signup", "order": 0, "actor": "customer",
             "evidence": [span("Signup asks for the company size and the legal areas they care about.")]},
            {"id": "st-mark", "name": "Mark lawyers", "order": 1, "actor": "customer",
             "evidence": [span("owners see every registered lawyer and mark the ones they want us to contact")]},
            {"id": "st-book", "name": "Book a consultation", "order": 2, "actor": "both",
             "evidence": [span("The free first consultation is what gets people to book at all.")]},
        ],
        "veps": [
            {"id": "vep-mark", "name": "Marking lawyers", "stage_id": "st-mark", "customer_action": "mark lawyers",
             "evidence": [span("mark the ones they want us to contact")]},
        ],
        "resistances": [
            {"id": "res-database", "name": "No complete lawyer database", "vep_id": "vep-mark",
             "detail": "Building profiles by hand takes hours per lawyer.",
             "evidence": [span("We could not build the lawyer database ourselves, it takes three hours per lawyer.")]},
        ],
    }


def as_map(data: dict[str, Any]) -> ValueMap:
    return ValueMap.model_validate(data)


class KeywordEmbedder:
    """One axis per keyword: texts mean the same exactly when they mention the same keywords."""

    name = "keyword-axes"
    AXES = ("lawyer", "database", "signup", "consultation", "price", "weather")

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        rows = np.array([[1.0 if axis in text.casefold() else 0.0 for axis in self.AXES] for text in texts],
                        dtype=np.float32).reshape(len(texts), len(self.AXES))
        norms = np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
        unit: Vectors = (rows / norms).astype(np.float32)
        return unit


def only_resistance(report: EvaluationReport) -> TypeScore:
    return report.score_of(ElementType.RESISTANCES)


def test_identical_maps_score_f1_one_for_every_type_they_have() -> None:
    gold = as_map(gold_data())
    report = score_map(gold, gold)
    for score in report.types:
        if score.gold:
            assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0), score.element_type
        else:
            assert score.f1 is None  # nothing to find and nothing found: undefined, not perfect
    assert report.overall.f1 == 1.0
    assert report.overall.true_positives == 5


def test_an_empty_prediction_recalls_nothing() -> None:
    gold = as_map(gold_data())
    report = score_map(ValueMap(), gold)
    stages = report.score_of("stages")
    assert (stages.recall, stages.precision, stages.f1) == (0.0, None, 0.0)
    assert [e.id for e in stages.unmatched_gold] == ["st-signup", "st-mark", "st-book"]
    assert report.overall.recall == 0.0
    assert report.overall.false_negatives == 5


def test_a_shifted_span_that_still_overlaps_matches() -> None:
    predicted = gold_data()
    # Another id and name, and the quote starts three words late and runs into the next sentence.
    predicted["resistances"][0] |= {
        "id": "r1", "name": "Hand-built profiles are slow", "detail": "",
        "evidence": [span("build the lawyer database ourselves, it takes three hours per lawyer.\n\nMarta: So owners")],
    }
    report = score_map(as_map(predicted), as_map(gold_data()))
    (pair,) = only_resistance(report).matches
    assert (pair.predicted_id, pair.gold_id, pair.basis) == ("r1", "res-database", MatchBasis.EVIDENCE)
    assert pair.shared_chars == len("build the lawyer database ourselves, it takes three hours per lawyer.")
    assert 0.5 < pair.span_score < 1.0


def test_a_span_that_only_touches_the_gold_quote_does_not_match() -> None:
    predicted = gold_data()
    predicted["resistances"][0] |= {
        "id": "r1", "name": "Hand-built profiles are slow", "detail": "",
        # Shares "per lawyer." (11 characters) with a gold quote of 86: under both overlap limits.
        "evidence": [span("per lawyer.\n\nMarta: So owners see every registered lawyer")],
    }
    report = score_map(as_map(predicted), as_map(gold_data()))
    assert len("per lawyer.") < MIN_SHARED_CHARS
    assert only_resistance(report).true_positives == 0


def test_a_fabricated_element_is_a_false_positive() -> None:
    predicted = gold_data()
    predicted["stages"].append({
        "id": "st-weather", "name": "Check the weather", "order": 3,
        "evidence": [span("I marked three lawyers and one of them called me back")],
    })
    report = score_map(as_map(predicted), as_map(gold_data()), embedder=KeywordEmbedder())
    stages = report.score_of("stages")
    assert (stages.true_positives, stages.false_positives, stages.false_negatives) == (3, 1, 0)
    assert [e.id for e in stages.unmatched_predicted] == ["st-weather"]
    assert stages.precision == 0.75


def test_meaning_alone_matches_when_an_embedder_is_given() -> None:
    predicted = gold_data()
    # Reworded and quoting nothing the gold quotes; the keyword axes say it is the same resistance.
    predicted["resistances"][0] |= {
        "id": "r1", "name": "The database of every lawyer cannot be finished in-house", "detail": "",
        "evidence": [span("Ben: The free first")],
    }
    embedder = KeywordEmbedder()
    report = score_map(as_map(predicted), as_map(gold_data()), embedder=embedder)
    (pair,) = only_resistance(report).matches
    assert pair.basis is MatchBasis.MEANING
    assert pair.similarity == pytest.approx(1.0)
    assert pair.shared_chars == 0
    assert embedder.calls == 1  # one batch for both maps
    assert report.rule.meaning is MeaningComparison.EMBEDDER
    assert report.rule.embedder == "keyword-axes"

    without = score_map(as_map(predicted), as_map(gold_data()))
    assert only_resistance(without).true_positives == 0
    assert without.rule.meaning is MeaningComparison.IDENTICAL_TEXT


def test_without_an_embedder_identical_text_still_matches() -> None:
    predicted = gold_data()
    predicted["resistances"][0] |= {"id": "r1", "evidence": []}  # same name and detail, no evidence
    report = score_map(as_map(predicted), as_map(gold_data()))
    (pair,) = only_resistance(report).matches
    assert (pair.basis, pair.similarity) == (MatchBasis.MEANING, 1.0)


def test_evidence_outranks_a_meaning_only_candidate() -> None:
    gold = gold_data()
    predicted = copy.deepcopy(gold)
    # Two predictions for one gold resistance: one quotes its words, the other only shares its keywords.
    predicted["resistances"] = [
        {"id": "r-meaning", "name": "Lawyer database", "vep_id": "vep-mark"},
        {"id": "r-evidence", "name": "Slow onboarding of firms", "vep_id": "vep-mark",
         "evidence": [span("it takes three hours per lawyer.")]},
    ]
    report = score_map(as_map(predicted), as_map(gold), embedder=KeywordEmbedder())
    resistances = only_resistance(report)
    assert [(p.predicted_id, p.basis) for p in resistances.matches] == [("r-evidence", MatchBasis.EVIDENCE)]
    assert [e.id for e in resistances.unmatched_predicted] == ["r-meaning"]


def test_each_gold_element_is_matched_once() -> None:
    predicted = gold_data()
    duplicate = copy.deepcopy(predicted["stages"][0]) | {"id": "st-signup-again"}
    predicted["stages"].append(duplicate)
    stages = score_map(as_map(predicted), as_map(gold_data())).score_of("stages")
    assert (stages.true_positives, stages.false_positives) == (3, 1)
    assert [e.id for e in stages.unmatched_predicted] == ["st-signup-again"]


def test_unverified_quotes_are_not_evidence() -> None:
    predicted = gold_data()
    predicted["resistances"][0] |= {"id": "r1", "name": "Something else", "detail": ""}
    predicted["resistances"][0]["evidence"][0]["match"] = "unverified"
    assert only_resistance(score_map(as_map(predicted), as_map(gold_data()))).true_positives == 0


def test_elements_of_different_types_never_match() -> None:
    predicted = gold_data()
    predicted |= {"veps": [], "resistances": []}  # the gold VEP quotes words inside the gold stage st-mark's quote
    report = score_map(as_map(predicted), as_map(gold_data()))
    assert report.score_of("veps").false_negatives == 1
    assert report.score_of("stages").false_positives == 0


@pytest.mark.parametrize(("predicted_path", "matches"), [
    ("/home/ana/work/transcripts/demo/interview.md", True),  # absolute, same file
    ("interview.md", True),  # relative to the transcript's folder
    ("transcripts/other/interview.md", False),  # another file of the same name
    (None, False),
])
def test_sources_named_differently_correspond_by_path(predicted_path: str | None, matches: bool) -> None:
    predicted = gold_data()
    predicted["sources"] = [{"id": "transcript-1", "path": predicted_path}]
    for stage in predicted["stages"]:
        for quote in stage["evidence"]:
            quote["source_id"] = "transcript-1"
        stage["name"] += " (predicted)"
    predicted |= {"veps": [], "resistances": []}
    report = score_map(as_map(predicted), as_map(gold_data()))
    assert report.score_of("stages").true_positives == (3 if matches else 0)
    expected = SourcePair(predicted_id="transcript-1", gold_id="src-interview", link=SourceLink.SAME_PATH)
    assert report.sources == [expected if matches else SourcePair(predicted_id="transcript-1")]


def test_quotes_without_offsets_overlap_by_containment() -> None:
    predicted = gold_data()
    quote = span("it takes three hours per lawyer.")
    del quote["start"], quote["end"]
    predicted["resistances"][0] |= {"id": "r1", "name": "Something else", "detail": "", "evidence": [quote]}
    (pair,) = only_resistance(score_map(as_map(predicted), as_map(gold_data()))).matches
    assert pair.basis is MatchBasis.EVIDENCE


def test_the_report_round_trips_through_json() -> None:
    predicted = gold_data()
    predicted["stages"].pop()
    report = score_map(as_map(predicted), as_map(gold_data()), embedder=KeywordEmbedder())
    again = EvaluationReport.model_validate_json(report.model_dump_json())
    assert again == report
    assert again.overall.recall == pytest.approx(4 / 5)


def test_counts_that_disagree_are_rejected() -> None:
    with pytest.raises(ValueError, match="cannot exceed"):
        Tally(gold=1, predicted=3, true_positives=2)
    with pytest.raises(ValueError, match="counts disagree"):
        TypeScore(element_type=ElementType.STAGES, gold=1, predicted=1, true_positives=1)


EXAMPLE_MAPS = sorted((Path(__file__).resolve().parents[1] / "transcripts").glob("*/map.json"))


@pytest.mark.parametrize("path", EXAMPLE_MAPS, ids=lambda p: p.parent.name)
def test_a_bundled_gold_map_scores_perfectly_against_itself(path: Path) -> None:
    gold = load_map(path)
    report = score_map(gold, gold)
    for score in report.types:
        assert score.f1 == (1.0 if score.gold else None), score.element_type
    assert report.overall.f1 == 1.0
    assert all(pair.predicted_id == pair.gold_id for score in report.types for pair in score.matches)


def test_there_are_bundled_gold_maps() -> None:
    assert len(EXAMPLE_MAPS) >= 3
