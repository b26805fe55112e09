"""What an LLM fills when it reads a transcript chunk: a draft of map elements with quotes.

These models are shaped for OpenAI's strict structured outputs: every object closed
(`additionalProperties: false`), every property required, "optional" spelled as a null union, and no
keyword beyond the supported subset (no defaults, formats, lengths or patterns). Grounding turns a
draft into map elements: quotes located in the source, keys turned into ids, provenance attached.
Elements refer to each other by `key`, a short slug the model invents, unique within one answer, and
reused for an element listed as already found in an earlier chunk of the same transcript.

Fields added after a prompt version shipped have defaults, so answers cached under an older version
(and drafts the offline extractor builds without them) still load; the schema sent to a model still
requires every property (`_every_property_required`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.elements import (
    Activation,
    Actor,
    Balance,
    CompensationKind,
    DuplicationKind,
    GiveKind,
    LossKind,
    LossSignal,
    Resolution,
    Resource,
    ValueLink,
)


def _every_property_required(schema: dict[str, Any]) -> None:
    """Strict structured output requires every property: a default is for loading old answers only."""
    properties: dict[str, dict[str, Any]] = schema.get("properties", {})
    for prop in properties.values():
        prop.pop("default", None)
    if properties:
        schema["required"] = list(properties)


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False,  # a model's NaN is no figure
                              json_schema_extra=_every_property_required)


class DraftQuote(_Draft):
    text: str = Field(description="the speaker's words copied exactly from the transcript, one to three sentences")
    speaker: str | None = Field(description="the speaker label as it appears in the transcript")


class DraftElement(_Draft):
    key: str = Field(description="short slug, unique in this answer, used by other elements to refer to this one")
    name: str = Field(description="a short name, at most eight words")
    detail: str = Field(description="one or two sentences in your own words")
    quotes: list[DraftQuote] = Field(
        description="evidence: exact quotes from a non-interviewer; empty only for an element told in another part")


class DraftStage(DraftElement):
    actor: Actor
    customer_visible: bool
    value_link: ValueLink
    internally_necessary: bool | None
    improvements: list[str] = Field(description="changes made to this stage, e.g. 'review time cut 30%'")


class DraftVep(DraftElement):
    stage_key: str | None = Field(description="key of the stage where this happens")
    customer_action: str = Field(description="what the customer must do here")
    proposition_keys: list[str]
    activation: Activation


class DraftResistance(DraftElement):
    vep_key: str
    why_customer_action: str
    limitation: str = Field(description="the internal limitation the customer's action compensates for")
    resources_lacking: list[Resource]
    resolution: Resolution


class DraftMetric(_Draft):
    name: str
    value: float | None
    unit: str | None
    text: str = Field(description="the figure as spoken, e.g. 'about 40 percent'")


class DraftFigure(_Draft):
    """A figure of the purchase's scorecard, with the words it rests on."""

    value: float = Field(description="in the price's currency and period")
    text: str = Field(description="the figure as spoken, or how it follows from figures spoken")
    quote: DraftQuote = Field(description="the speaker's words the figure rests on, copied exactly")


class DraftCompensation(_Draft):
    kind: CompensationKind
    detail: str = Field(description="what is given to buy the conversion, e.g. '25% off the first year'")
    quote: DraftQuote = Field(description="the speaker's words about it, copied exactly")


class DraftThreshold(DraftElement):
    vep_key: str
    condition: str = Field(description="what must happen for the stream to continue")
    on_failure: str = Field(description="what happens when the customer does not act")
    crossing_metric: DraftMetric | None
    is_final: bool = Field(description="true only for the purchase")
    # The purchase's economics (final threshold only; null or empty on every other threshold).
    price: float | None
    currency: str | None
    price_period: str | None = Field(default=None, description="month, year, week or one-off")
    price_quote: DraftQuote | None = Field(default=None, description="the words that give the price")
    compensation: list[DraftCompensation] = Field(
        default_factory=list, description="discounts, promotions, incentives, free extensions used to close")
    perceived_value: DraftFigure | None = Field(
        default=None, description="what the purchase is worth to the customer, when said as a number")
    accumulated_loss: DraftFigure | None = Field(
        default=None, description="the value lost on the way to the purchase, when said as a number")


class DraftGive(_Draft):
    kind: GiveKind
    detail: str


class DraftExchange(DraftElement):
    threshold_key: str
    customer_gives: list[DraftGive]
    organisation_gives: list[str]
    balance: Balance
    balance_reason: str


class DraftProposition(DraftElement):
    statement: str = Field(description="the value proposition as it is told")
    claims: list[str] = Field(description="its atomic benefits, one short phrase each")
    audience: str | None
    used_at_keys: list[str] = Field(description="keys of the VEPs, thresholds or stages where it is used")
    said_by: str | None


class DraftDuplication(DraftElement):
    kind: DuplicationKind
    proposition_keys: list[str]
    threshold_keys: list[str]


class DraftLoss(DraftElement):
    kind: LossKind
    signal: LossSignal
    metric: DraftMetric | None
    duplication_keys: list[str]
    threshold_keys: list[str]


class DraftMap(_Draft):
    """Everything found in one chunk of a transcript."""

    stages: list[DraftStage]
    veps: list[DraftVep]
    resistances: list[DraftResistance]
    thresholds: list[DraftThreshold]
    exchanges: list[DraftExchange]
    propositions: list[DraftProposition]
    duplications: list[DraftDuplication]
    losses: list[DraftLoss]


# The models an LLM is asked to fill; the strict-schema test walks every one of them.
EXTRACTION_MODELS: tuple[type[BaseModel], ...] = (DraftMap,)
