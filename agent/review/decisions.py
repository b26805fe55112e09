"""One decision a person makes in a review: what they did to which element, who, and when.

Decisions are data: the session applies them with `editing.apply_decision`, logs them one JSON line each
beside the map, and undo and redo are decisions too, so the log tells the whole session in order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from schemas.evidence import Quote


class DecisionKind(StrEnum):
    ACCEPT = "accept"  # a person stands behind the element as it is
    EDIT = "edit"  # name and detail changed; the element now says what the person said
    RETYPE = "retype"  # the same words and evidence, another kind of element
    MERGE = "merge"  # `other_id` is folded into `element_id`: evidence joined, references redirected
    REJECT = "reject"  # the element leaves the map (and what cannot stand without it)
    CREATE = "create"  # a new element from a passage selected in a transcript
    ADD_EVIDENCE = "add_evidence"  # a selected passage becomes one more quote of an element
    LINK = "link"  # `element_id` refers to `other_id` (a resistance to its VEP, a loss to its duplication)
    SET_FIELD = "set_field"  # one of the element's choices (`name` the field, `detail` the value), e.g. a loss's kind
    SET_DETAILS = "set_details"  # numbers and words beyond the name (`values`: field path -> text), e.g. a price
    MOVE_STAGE = "move_stage"  # a stage one place earlier or later (`detail`: "earlier" or "later")
    ADD_ENTRY = "add_entry"  # one more entry in a list of the element (`name` the list, `values` its fields)
    EDIT_ENTRY = "edit_entry"  # entry `index` of list `name` now says `values` (and keeps `quotes`)
    REMOVE_ENTRY = "remove_entry"  # entry `index` of list `name` leaves it
    UNDO = "undo"
    REDO = "redo"


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: DecisionKind
    element_id: str | None = None
    other_id: str | None = None
    collection: str | None = Field(default=None, description="create and retype: the element's collection")
    name: str | None = None
    detail: str | None = None
    quote: Quote | None = None
    references: dict[str, str] = Field(default_factory=dict,
                                       description="create and retype: the references the kind requires")
    values: dict[str, str] = Field(default_factory=dict,
                                   description="set_details: field path (purchase.price.amount) -> the text typed")
    index: int | None = Field(default=None, ge=0, description="edit_entry and remove_entry: which entry, from 0")
    quotes: list[Quote] = Field(default_factory=list,
                                description="add_entry and edit_entry: the entry's evidence (an improvement's)")
    person: str = ""
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    summary: str = Field(default="", description="what it did, in words, filled in when applied")

