"""How well a map recovers a gold map: per element type and overall, with the pairs that explain it.

`agent.evaluation.score_map` makes an `EvaluationReport`; the CLI, benchmarks and reports read it. Counts
are stored; precision, recall, F1 and the false counts are derived from them (written out for readers of
the JSON, recomputed on the way in), so a report can never disagree with itself.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator


class ElementType(StrEnum):
    """The element collections of a map, in reading order (names as in `ValueMap`)."""

    STAGES = "stages"
    VEPS = "veps"
    RESISTANCES = "resistances"
    THRESHOLDS = "thresholds"
    EXCHANGES = "exchanges"
    PROPOSITIONS = "propositions"
    DUPLICATIONS = "duplications"
    LOSSES = "losses"


class MatchBasis(StrEnum):
    """Why a predicted element was taken for a gold one."""

    EVIDENCE = "evidence"  # their verified quotes overlap in the same source
    MEANING = "meaning"  # their texts mean the same (cosine, or identical text without an embedder)
    EVIDENCE_AND_MEANING = "evidence_and_meaning"


class MeaningComparison(StrEnum):
    """How meaning was compared for this report."""

    EMBEDDER = "embedder"  # cosine of sentence vectors
    IDENTICAL_TEXT = "identical_text"  # no embedder: only identical texts count as the same meaning


class SourceLink(StrEnum):
    """How a predicted map's source was found to be one of the gold map's sources."""

    SAME_ID = "same_id"
    SAME_PATH = "same_path"  # ids differ, paths name the same file
    NONE = "none"  # no gold counterpart: its quotes cannot match any gold quote


class SourcePair(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    predicted_id: str
    gold_id: str | None = None
    link: SourceLink = SourceLink.NONE


_DERIVED_TALLY_FIELDS = frozenset({"false_positives", "false_negatives", "precision", "recall", "f1"})


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


class Tally(BaseModel):
    """Counts of one comparison and the figures derived from them.

    A figure whose denominator is zero is `None` (undefined), not 0 or 1: precision with nothing
    predicted, recall with nothing in gold, F1 when both sides are empty.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    gold: int = Field(ge=0)
    predicted: int = Field(ge=0)
    true_positives: int = Field(ge=0)

    @model_validator(mode="before")
    @classmethod
    def _drop_derived(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k not in _DERIVED_TALLY_FIELDS}
        return data

    @model_validator(mode="after")
    def _matches_fit_both_sides(self) -> Tally:
        if self.true_positives > min(self.gold, self.predicted):
            raise ValueError(
                f"{self.true_positives} true positives cannot exceed gold ({self.gold}) or predicted ({self.predicted})"
            )
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def false_positives(self) -> int:
        return self.predicted - self.true_positives

    @computed_field  # type: ignore[prop-decorator]
    @property
    def false_negatives(self) -> int:
        return self.gold - self.true_positives

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        return _ratio(self.true_positives, self.predicted)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        return _ratio(self.true_positives, self.gold)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float | None:
        # 2TP / (2TP + FP + FN): the harmonic mean of P and R, and 0 when one side is empty and the other not.
        return _ratio(2 * self.true_positives, self.gold + self.predicted)


class MatchedPair(BaseModel):
    """One predicted element taken for one gold element, and the evidence for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    predicted_id: str
    gold_id: str
    predicted_name: str
    gold_name: str
    basis: MatchBasis
    score: float = Field(ge=0, le=1, description="combined score the assignment ranked by")
    shared_chars: int = Field(ge=0, description="characters shared by the best-overlapping pair of quotes")
    span_score: float = Field(ge=0, le=1, description="shared characters / the longer of those two quotes")
    similarity: float | None = Field(default=None, description="cosine of the two texts; None if not compared")


class UnmatchedElement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str


class TypeScore(Tally):
    """The comparison for one element type: counts, the pairs matched and what was left on each side."""

    element_type: ElementType
    matches: list[MatchedPair] = Field(default_factory=list)
    unmatched_predicted: list[UnmatchedElement] = Field(default_factory=list)
    unmatched_gold: list[UnmatchedElement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _counts_are_the_lists(self) -> TypeScore:
        if (self.true_positives, self.false_positives, self.false_negatives) != (
            len(self.matches), len(self.unmatched_predicted), len(self.unmatched_gold)
        ):
            raise ValueError(f"{self.element_type}: counts disagree with the matched and unmatched lists")
        return self


class MatchingRule(BaseModel):
    """The rule and thresholds the report was made with, so two reports can be compared fairly."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_shared_fraction: float = Field(description="quotes overlap when they share this share of the shorter one")
    min_shared_chars: int = Field(description="... or at least this many characters")
    min_similarity: float = Field(description="texts mean the same at or above this cosine")
    meaning: MeaningComparison
    embedder: str | None = None
    assignment: str = Field(description="how pairs were made one-to-one")


class EvaluationReport(BaseModel):
    """A predicted map scored against a gold map, type by type, with a micro-averaged overall figure."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    predicted_title: str = ""
    gold_title: str = ""
    rule: MatchingRule
    sources: list[SourcePair] = Field(default_factory=list, description="each predicted source's gold counterpart")
    types: list[TypeScore]

    @model_validator(mode="before")
    @classmethod
    def _drop_derived(cls, data: Any) -> Any:
        if isinstance(data, dict) and "overall" in data:
            data = {k: v for k, v in data.items() if k != "overall"}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overall(self) -> Tally:
        """Micro-average: every element counts once, whatever its type."""
        return Tally(
            gold=sum(t.gold for t in self.types),
            predicted=sum(t.predicted for t in self.types),
            true_positives=sum(t.true_positives for t in self.types),
        )

    def score_of(self, element_type: ElementType | str) -> TypeScore:
        wanted = ElementType(element_type)
        for score in self.types:
            if score.element_type is wanted:
                return score
        raise KeyError(f"no score for {wanted.value}")
