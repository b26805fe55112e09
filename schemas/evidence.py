"""Evidence and provenance: why an element is believed, and who proposed it.

Every element of a map carries both. Evidence is the source's own words at a located span; a quote that
could not be located is kept as `unverified` so nothing is silently lost, but it is never shown as
evidence (see FRAMEWORK.md, "Evidence"). A quote located only fuzzily, whose words differ from the
source's, keeps the model's words in `claimed`: it is unconfirmed (needs review) until its element is
confirmed against the source, and does not count as verified.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator


class MatchStatus(StrEnum):
    """How a quote was found in its source; data, not a log line."""

    EXACT = "exact"
    NORMALISED = "normalised"  # equal after folding white space, case and punctuation
    FUZZY = "fuzzy"  # located approximately; the kept text is the source's span, not the model's words
    UNVERIFIED = "unverified"  # not found: kept for review, never shown as evidence


class Quote(BaseModel):
    """One piece of evidence: the source's text at a span, and who said it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    source_id: str
    speaker: str | None = None
    start: int | None = Field(default=None, ge=0, description="character offset in the source text")
    end: int | None = Field(default=None, ge=0)
    line: int | None = Field(default=None, ge=1)
    timestamp: str | None = Field(default=None, description="HH:MM:SS where the format has times")
    match: MatchStatus = MatchStatus.UNVERIFIED
    claimed: str | None = Field(
        default=None,
        description="the model's quote where its words differ from the source's (beyond case, punctuation, "
        "fillers, contractions and how a number is written): located, but unconfirmed until the element is "
        "confirmed against `text`; an unconfirmed quote is not verified evidence",
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_derived_verified(cls, data: Any) -> Any:
        # `verified` is written out for readers of the JSON, but derived from `match` on the way in.
        if isinstance(data, dict) and "verified" in data:
            data = {k: v for k, v in data.items() if k != "verified"}
        return data

    @model_validator(mode="after")
    def _span_is_ordered(self) -> Quote:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"quote span ends ({self.end}) before it starts ({self.start})")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def verified(self) -> bool:
        return self.match is not MatchStatus.UNVERIFIED and self.claimed is None

    @property
    def unconfirmed(self) -> bool:
        """Located in the source, but the model said something else there: needs review, not evidence."""
        return self.match is not MatchStatus.UNVERIFIED and self.claimed is not None


class ProposedBy(StrEnum):
    MODEL = "model"
    OFFLINE_EXTRACTOR = "offline_extractor"
    PERSON = "person"


class Review(StrEnum):
    """What a person did with a proposed element."""

    PROPOSED = "proposed"  # nobody has looked at it yet
    CONFIRMED = "confirmed"
    EDITED = "edited"  # a person changed it; it now says what they said
    REJECTED = "rejected"


class Provenance(BaseModel):
    """Who proposed an element and whether a person stands behind it."""

    model_config = ConfigDict(extra="forbid")

    proposed_by: ProposedBy = ProposedBy.PERSON
    model: str | None = None
    prompt: str | None = Field(default=None, description="prompt name and version, e.g. extract_map@1")
    person: str | None = None
    review: Review = Review.PROPOSED

    @property
    def confirmed(self) -> bool:
        return self.review in (Review.CONFIRMED, Review.EDITED)
