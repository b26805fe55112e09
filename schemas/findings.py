"""What the checks say about a map: findings, summary figures and loss chains.

Findings are grouped by the framework's three core questions, so a report or the interviewer can
walk them in the order a discovery session asks them.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class CoreQuestion(StrEnum):
    """The three core questions of FRAMEWORK.md, the spine of every interview and report."""

    WHERE_IT_STOPS = "where_it_stops"
    VALUE_USED = "value_used"
    VALUE_BREAKS = "value_breaks"

    @property
    def number(self) -> int:
        return list(CoreQuestion).index(self) + 1

    @property
    def text(self) -> str:
        return {
            "where_it_stops": "Where does the system stop, and why?",
            "value_used": "What value is used to move it forward?",
            "value_breaks": "Where does that value break down?",
        }[self.value]


class Finding(BaseModel):
    """One place where the map shows False Value Mapping, and what to ask about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    severity: Severity
    question: CoreQuestion
    element_ids: list[str] = Field(default_factory=list)
    reason: str
    next_question: str


class Chain(BaseModel):
    """This threshold -> this duplication -> this loss (diagnostic step 7)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold_id: str | None
    duplication_id: str | None
    loss_id: str


class SurvivingValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold_id: str
    perceived_value: float
    accumulated_loss: float
    surviving_value: float
    price: float | None = None


class Summary(BaseModel):
    """The map's figures; a share is None where there is nothing to divide by."""

    model_config = ConfigDict(extra="forbid")

    elements: int
    stages_anchored_share: float | None = Field(description="stages linked to value consumption")
    thresholds_explained_share: float | None = Field(description="thresholds with a resistance and an exchange")
    evidenced_share: float | None = Field(description="elements with verified evidence")
    losses_traced_share: float | None = Field(description="losses traced to a duplication")
    surviving_value: list[SurvivingValue] = Field(default_factory=list)
    chains: list[Chain] = Field(default_factory=list)


class CheckReport(BaseModel):
    """Everything `vsm check` knows about one map."""

    model_config = ConfigDict(extra="forbid")

    map_title: str
    findings: list[Finding]
    summary: Summary

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def by_question(self) -> dict[CoreQuestion, list[Finding]]:
        grouped: dict[CoreQuestion, list[Finding]] = {q: [] for q in CoreQuestion}
        for finding in self.findings:
            grouped[finding.question].append(finding)
        return grouped
