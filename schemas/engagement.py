"""An engagement: the sources a workspace holds and the merge decisions a consultant has made.

Synthesis merges per-source maps; where it is unsure that two elements are one, it proposes the
merge and waits for a person. Decisions are kept so a re-run does not ask again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from schemas.elements import Perspective, Stakeholder


class RegisteredSource(BaseModel):
    """A transcript added to the workspace with `vsm add`."""

    model_config = ConfigDict(extra="forbid")

    id: str
    file: str  # name inside the workspace's sources/ folder
    original_path: str
    title: str = ""
    perspective: Perspective = Perspective.INTERNAL
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    content_hash: str
    added: datetime
    map_file: str | None = None  # maps/sources/<id>.json once mapped


class SourceIndex(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[RegisteredSource] = Field(default_factory=list)

    def get(self, source_id: str) -> RegisteredSource | None:
        return next((s for s in self.sources if s.id == source_id), None)


class MergeDecision(StrEnum):
    MERGE = "merge"
    KEEP_APART = "keep_apart"


class MergeProposal(BaseModel):
    """Two elements that may be one, told by different sources; a person decides."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    collection: str
    first_id: str
    first_name: str
    second_id: str
    second_name: str
    similarity: float

    @property
    def key(self) -> str:
        return "|".join(sorted((f"{self.collection}:{self.first_name}", f"{self.collection}:{self.second_name}")))


class MergeDecisions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decisions: dict[str, MergeDecision] = Field(default_factory=dict)  # by MergeProposal.key


class PendingMerges(BaseModel):
    """The uncertain merges the last synthesis left for a person (`maps/merge-proposals.json`)."""

    model_config = ConfigDict(extra="forbid")

    proposals: list[MergeProposal] = Field(default_factory=list)
