"""What the evidence store hands back: passages found, sources held, and what an add changed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Passage(BaseModel):
    """A stored chunk of one speaker's turn, found by a search; `text` is the transcript's own words.

    `start`/`end` index `Transcript.text` of the source, so a passage can be grounded and cited like a quote.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    text: str
    source_id: str
    speaker: str | None = None
    role: str | None = None
    perspective: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    turn: int = Field(ge=0)
    line: int | None = None
    time_start: float | None = None
    time_end: float | None = None
    interviewer: bool = False
    score: float = Field(description="reciprocal-rank fusion of the semantic and keyword ranks; higher is better")


class StoredSource(BaseModel):
    """One source as the store holds it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    content_hash: str
    chunks: int
    perspective: str
    interviewers: list[str] = Field(default_factory=list)
    expected: int = Field(default=0, description="chunks its last add meant to store; more than `chunks`: cut short")

    @property
    def complete(self) -> bool:
        return self.chunks >= self.expected


class AddResult(BaseModel):
    """What `add_transcript` did: nothing (`unchanged`), or chunks written and stale ones removed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_id: str
    chunks: int = Field(description="chunks the source has in the store now")
    upserted: int = 0
    removed: int = 0
    unchanged: bool = False
    embed_seconds: float = 0.0
