"""The concepts of a Wasteless Growth value stream, one model each (FRAMEWORK.md, "Concepts").

Elements refer to each other by id (`*_id`, `*_ids` fields); `ValueMap` checks that every reference
lands. Enumerations use `unknown` where an interview may not have found out yet: an honest gap is
something the checks can ask about, a guessed value is not.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from schemas.evidence import Provenance, Quote

ElementId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$", max_length=120)]


class Actor(StrEnum):
    ORGANISATION = "organisation"
    CUSTOMER = "customer"
    BOTH = "both"


class ValueLink(StrEnum):
    """How a stage contributes to the customer consuming value."""

    DIRECT = "direct"
    INDIRECT = "indirect"
    NONE = "none"
    UNKNOWN = "unknown"


class Activation(StrEnum):
    ACTIVATES = "activates"  # strong enough to trigger the customer's action
    RESONATES = "resonates"  # liked, agreed with, but inert
    UNKNOWN = "unknown"


class Resource(StrEnum):
    """What the organisation lacks at a point of resistance (our reading of the seed)."""

    CAPITAL = "capital"
    CAPACITY = "capacity"
    EXPERTISE = "expertise"
    DATA = "data"
    REACH = "reach"
    TRUST = "trust"
    TECHNOLOGY = "technology"


class Resolution(StrEnum):
    CUSTOMER_EXCHANGE = "customer_exchange"
    INTERNAL = "internal"
    UNRESOLVED = "unresolved"
    UNKNOWN = "unknown"


class GiveKind(StrEnum):
    MONEY = "money"
    TIME = "time"
    EFFORT = "effort"
    DATA = "data"
    ATTENTION = "attention"
    COMMITMENT = "commitment"
    ACCESS = "access"
    REFERRAL = "referral"
    CONTENT = "content"


class Balance(StrEnum):
    BALANCED = "balanced"
    CUSTOMER_OVER_GIVES = "customer_over_gives"
    VALUE_OVERSTATED = "value_overstated"
    UNKNOWN = "unknown"


class Delivery(StrEnum):
    """Whether a benefit promised at a threshold is delivered later in the stream."""

    DELIVERED = "delivered"
    NOT_DELIVERED = "not_delivered"
    UNKNOWN = "unknown"


class DuplicationKind(StrEnum):
    LAYERING = "layering"
    AUDIENCE_DIVERGENCE = "audience_divergence"
    STAGE_REFRAMING = "stage_reframing"
    CONDITIONAL_VALUE = "conditional_value"


class LossKind(StrEnum):
    DROP_OFF = "drop_off"
    CHURN = "churn"
    REFUNDS = "refunds"
    SUPPORT_LOAD = "support_load"
    DISCOUNT_DEPENDENCY = "discount_dependency"
    LOW_ACTIVATION = "low_activation"
    LENGTHENING_SALES_CYCLE = "lengthening_sales_cycle"
    INTERNAL_MISALIGNMENT = "internal_misalignment"
    OTHER = "other"


class LossSignal(StrEnum):
    METRIC = "metric"
    BEHAVIOUR = "behaviour"  # blame, local fixes, escalating promotions


class CompensationKind(StrEnum):
    DISCOUNT = "discount"
    PROMOTION = "promotion"
    INCENTIVE = "incentive"
    FREE_EXTENSION = "free_extension"
    OTHER = "other"


class Perspective(StrEnum):
    INTERNAL = "internal"  # someone speaking for the organisation
    CUSTOMER = "customer"  # a customer, or someone speaking from the customer's side


class _Strict(BaseModel):
    # allow_inf_nan=False: a price of NaN or Infinity (or 1e309, which JSON reads as infinity) is not a number
    # a check or a diagram can use; refused at loading, with where it is.
    model_config = ConfigDict(extra="forbid", use_enum_values=False, allow_inf_nan=False)


class Element(_Strict):
    """What every element carries: identity, words, evidence and provenance."""

    kind_name: ClassVar[str] = "element"

    id: ElementId
    name: str = Field(min_length=1, max_length=200)
    detail: str = ""
    evidence: list[Quote] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance)

    @property
    def verified_evidence(self) -> list[Quote]:
        return [q for q in self.evidence if q.verified]

    @property
    def corroboration(self) -> int:
        """How many independent voices say it: the distinct people of its verified quotes (a quote with no
        speaker named counts for its source). One person told twice, in two interviews, is one voice."""
        return len({("person", " ".join(q.speaker.split()).casefold()) if q.speaker else ("source", q.source_id)
                    for q in self.evidence if q.verified})


class Metric(_Strict):
    """A measured figure, kept with its words so '~40%' and '40 %' both survive."""

    name: str
    value: float | None = None
    unit: str | None = None
    text: str | None = None


class Improvement(_Strict):
    """A change made to a stage, e.g. 'review time cut 30%'."""

    description: str = Field(min_length=1)
    evidence: list[Quote] = Field(default_factory=list)


class Stage(Element):
    kind_name: ClassVar[str] = "stage"

    order: int = Field(ge=0)
    actor: Actor = Actor.ORGANISATION
    customer_visible: bool = False
    value_link: ValueLink = ValueLink.UNKNOWN
    internally_necessary: bool | None = None
    cycle_time_hours: float | None = Field(default=None, ge=0)
    wait_time_hours: float | None = Field(default=None, ge=0)
    improvements: list[Improvement] = Field(default_factory=list)


class ValueEvocationPoint(Element):
    kind_name: ClassVar[str] = "value evocation point"

    stage_id: ElementId
    customer_action: str = Field(min_length=1)
    proposition_ids: list[ElementId] = Field(default_factory=list)
    activation: Activation = Activation.UNKNOWN


class Resistance(Element):
    kind_name: ClassVar[str] = "resistance"

    vep_id: ElementId
    why_customer_action: str = ""
    limitation: str = ""
    resources_lacking: list[Resource] = Field(default_factory=list)
    resolution: Resolution = Resolution.UNKNOWN


class Compensation(_Strict):
    kind: CompensationKind
    detail: str = ""


class Money(_Strict):
    amount: float = Field(ge=0)
    currency: str = "EUR"
    period: str | None = Field(default=None, description="e.g. month, year, one-off")


class Purchase(_Strict):
    """What makes a threshold the final one: the purchase, the stream's scorecard.

    Perceived value and accumulated loss are in the same unit as the price (per customer, per period),
    so Surviving Value = perceived value - accumulated loss is comparable with it.
    """

    price: Money | None = None
    perceived_value: float | None = None
    accumulated_loss: float | None = None
    compensation: list[Compensation] = Field(default_factory=list)

    @property
    def surviving_value(self) -> float | None:
        if self.perceived_value is None or self.accumulated_loss is None:
            return None
        return self.perceived_value - self.accumulated_loss


class Threshold(Element):
    kind_name: ClassVar[str] = "threshold"

    vep_id: ElementId
    condition: str = ""
    on_failure: str = ""
    crossing_metric: Metric | None = None
    purchase: Purchase | None = Field(default=None, description="set on the final threshold only")

    @property
    def is_final(self) -> bool:
        return self.purchase is not None


class Give(_Strict):
    kind: GiveKind
    detail: str = ""


class Benefit(_Strict):
    what: str = Field(min_length=1)
    delivery: Delivery = Delivery.UNKNOWN
    delivered_at_stage_id: ElementId | None = None


class GiveGetExchange(Element):
    kind_name: ClassVar[str] = "give-get exchange"

    threshold_id: ElementId
    customer_gives: list[Give] = Field(default_factory=list)
    organisation_gives: list[Benefit] = Field(default_factory=list)
    balance: Balance = Balance.UNKNOWN
    balance_reason: str = ""


class ValueProposition(Element):
    kind_name: ClassVar[str] = "value proposition"

    statement: str = Field(min_length=1)
    claims: list[str] = Field(default_factory=list, description="the atomic benefits the statement makes")
    audience: str | None = None
    used_at_ids: list[ElementId] = Field(default_factory=list, description="VEPs, thresholds or stages")
    channel: str | None = None
    said_by: str | None = None


class Duplication(Element):
    kind_name: ClassVar[str] = "duplication"

    kind: DuplicationKind
    proposition_ids: list[ElementId] = Field(min_length=1)
    threshold_ids: list[ElementId] = Field(default_factory=list)


class Loss(Element):
    kind_name: ClassVar[str] = "loss"

    kind: LossKind
    signal: LossSignal = LossSignal.METRIC
    metric: Metric | None = None
    duplication_ids: list[ElementId] = Field(default_factory=list)
    threshold_ids: list[ElementId] = Field(default_factory=list)


class Stakeholder(_Strict):
    name: str
    role: str | None = None
    perspective: Perspective | None = Field(default=None, description="overrides the source's perspective")
    interviewer: bool = False


class Source(_Strict):
    """A transcript, meeting or interview the map's evidence comes from."""

    kind_name: ClassVar[str] = "source"

    id: ElementId
    title: str = ""
    path: str | None = None
    perspective: Perspective = Perspective.INTERNAL
    date: str | None = None
    stakeholders: list[Stakeholder] = Field(default_factory=list)

    def perspective_of(self, speaker: str | None) -> Perspective:
        for person in self.stakeholders:
            if speaker is not None and person.name.casefold() == speaker.casefold():
                return person.perspective or self.perspective
        return self.perspective
