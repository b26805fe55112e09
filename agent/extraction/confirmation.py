"""Elements whose only evidence a model bent, sent back once per chunk: restated in the source's words, or withdrawn.

A fuzzy match locates a loosely copied quote, but the element around it is the model's: a model that
writes "the setup call is mandatory" where the customer said "optional" would get its element in,
with the customer's words as evidence. So after a chunk is extracted, every element whose quotes are
found only with changed words (see `Quote.claimed`) goes back to the model in one request: the
source's exact words beside the element's fields. For each, the model keeps the element, restated so
that it says what the source says, or withdraws it. A kept element's quotes become the source's exact
words; an element without an answer is withdrawn. Elements with one verified quote are not asked
about: their evidence already holds.

The pure parts (`elements_to_confirm`, `confirmation_request`, `apply_confirmations`) are separate
from the one call (`confirm_draft`), so they can be tested without a model.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from agent.extraction.chunking import estimate_tokens
from agent.grounding import ground_quote
from agent.llm.cache import CachedResponse, ResponseCache, cache_key
from agent.llm.prompts import Prompt, load_prompt
from schemas.evidence import Quote
from schemas.extraction import DraftElement, DraftMap, DraftQuote
from schemas.transcript import Transcript

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

PROMPT_NAME = "confirm_quotes"
# The kinds as a draft holds them, and the one word the request names each by.
KIND_NAMES = {
    "stages": "stage", "veps": "vep", "resistances": "resistance", "thresholds": "threshold",
    "exchanges": "exchange", "propositions": "proposition", "duplications": "duplication", "losses": "loss",
}  # fmt: skip


class Verdict(StrEnum):
    KEEP = "keep"
    WITHDRAW = "withdraw"


class ConfirmationStats(BaseModel):
    """What the confirmation pass did in a run: one line of the run summary."""

    requests: int = 0  # calls made (at most one per chunk), answers from the cache included
    asked: int = 0  # elements sent for confirmation
    kept: int = 0  # kept as they were: the model stands by them against the source's words
    restated: int = 0  # kept with their fields rewritten to say what the source says
    withdrawn: int = 0  # withdrawn by the model, or left unanswered

    def add(self, other: ConfirmationStats) -> None:
        for name in ConfirmationStats.model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def __str__(self) -> str:
        return (f"asked {self.asked} in {self.requests} request(s), kept {self.kept}, restated {self.restated}, "
                f"withdrawn {self.withdrawn}")


@dataclass(frozen=True)
class PendingConfirmation:
    """One element to confirm: its place in the draft, and what the source says where it was quoted."""

    id: str  # "c1", "c2": how the request and the answer name it
    kind: str  # a DraftMap list name ("veps")
    position: int  # index in that list
    element: DraftElement
    located: tuple[Quote, ...]  # the source's words at each bent quote, with the model's words in `claimed`


class _Decision(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    verdict: Verdict
    element: dict[str, Any] | None = None


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    decisions: list[_Decision]


def elements_to_confirm(draft: DraftMap, transcript: Transcript) -> list[PendingConfirmation]:
    """Elements with no verified quote and at least one quote located with changed words, in draft order."""
    pending: list[PendingConfirmation] = []
    for kind in KIND_NAMES:
        for position, element in enumerate(getattr(draft, kind)):
            results = [ground_quote(quote, transcript) for quote in element.quotes]
            quotes = [result for result in results if isinstance(result, Quote)]
            if any(quote.verified for quote in quotes):
                continue
            bent = tuple(quote for quote in quotes if quote.unconfirmed)
            if bent:
                pending.append(PendingConfirmation(f"c{len(pending) + 1}", kind, position, element, bent))
    return pending


def confirmation_items(pending: Sequence[PendingConfirmation]) -> str:
    """The elements as the request shows them: fields as JSON, then each quote beside the source's words.

    This text is what decides the answer, so it is also what the cache key hashes (the fence is not).
    """
    blocks = []
    for item in pending:
        fields = item.element.model_dump(mode="json", exclude={"quotes"})
        lines = [f"### {item.id}: {KIND_NAMES[item.kind]}", json.dumps(fields, ensure_ascii=False)]
        for quote in item.located:
            lines.append(f"- you quoted ({quote.speaker or 'unnamed speaker'}): {quote.claimed}")
            lines.append(f"  the source says: {quote.text}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def confirmation_request(prompt: Prompt, pending: Sequence[PendingConfirmation], chunk_label: str) -> list[BaseMessage]:
    from langchain_core.messages import HumanMessage, SystemMessage

    user = prompt.render_user(chunk_label=chunk_label, items=confirmation_items(pending))
    return [SystemMessage(prompt.system), HumanMessage(user)]


def confirmation_prompt_tokens(prompts_dir: Path | None = None) -> int:
    """Tokens a confirmation request sends besides the elements it asks about: for `--dry-run`."""
    prompt = load_prompt(PROMPT_NAME, prompts_dir)
    return sum(estimate_tokens(str(message.content)) for message in confirmation_request(prompt, [], ""))


def apply_confirmations(
    draft: DraftMap, pending: Sequence[PendingConfirmation], answer: str | None, stats: ConfirmationStats
) -> DraftMap:
    """The draft with each pending element kept (restated, quoting the source exactly) or withdrawn."""
    decisions = _decisions(answer)
    replaced: dict[tuple[str, int], DraftElement | None] = {}
    for item in pending:
        stats.asked += 1
        decision = decisions.get(item.id)
        kept = _kept_element(item, decision) if decision is not None and decision.verdict is Verdict.KEEP else None
        replaced[(item.kind, item.position)] = kept
        if kept is None:
            stats.withdrawn += 1
        elif _fields(kept) == _fields(item.element):
            stats.kept += 1
        else:
            stats.restated += 1
    update: dict[str, list[DraftElement]] = {}
    for kind in {item.kind for item in pending}:
        elements = getattr(draft, kind)
        kept_list = []
        for position, element in enumerate(elements):
            choice = replaced.get((kind, position), element)
            if choice is not None:
                kept_list.append(choice)
        update[kind] = kept_list
    return draft.model_copy(update=update)


Ask = Callable[[Sequence["BaseMessage"]], Awaitable[str]]


@dataclass(frozen=True)
class ConfirmationCache:
    """Where confirmation answers are kept, keyed like extraction answers (model, endpoint, prompt)."""

    cache: ResponseCache
    model: str
    endpoint: str

    def key(self, prompt: Prompt, items: str) -> str:
        return cache_key(chunk_text=items, prompt_id=prompt.id, model=self.model, endpoint=self.endpoint,
                         schema_hash="confirmation")


async def confirm_draft(
    draft: DraftMap,
    transcript: Transcript,
    *,
    ask: Ask,
    chunk_label: str,
    stats: ConfirmationStats,
    cache: ConfirmationCache | None = None,
    prompts_dir: Path | None = None,
) -> DraftMap:
    """`draft` after its one confirmation request (none when no element needs it)."""
    pending = elements_to_confirm(draft, transcript)
    if not pending:
        return draft
    prompt = load_prompt(PROMPT_NAME, prompts_dir)
    key = cache.key(prompt, confirmation_items(pending)) if cache is not None else None
    hit = cache.cache.get(key) if cache is not None and key is not None else None
    stats.requests += 1
    if hit is not None:
        answer: str | None = hit.text
    else:
        answer = await ask(confirmation_request(prompt, pending, chunk_label))
        if cache is not None and key is not None and _decisions(answer):
            cache.cache.put(key, CachedResponse(text=answer, input_tokens=0, output_tokens=0, model=cache.model,
                                                prompt_id=prompt.id))
    return apply_confirmations(draft, pending, answer, stats)


def _decisions(answer: str | None) -> dict[str, _Decision]:
    """The answer's decisions by id; an answer that is not the expected JSON decides nothing (all withdrawn)."""
    if not answer:
        return {}
    body = answer.strip()
    first, last = body.find("{"), body.rfind("}")
    if first == -1 or last < first:
        return {}
    try:
        parsed = _Answer.model_validate_json(body[first : last + 1])
    except ValidationError:
        return {}
    return {decision.id: decision for decision in parsed.decisions}


def _kept_element(item: PendingConfirmation, decision: _Decision) -> DraftElement | None:
    """The element as kept: the model's restated fields over the old ones, quoting the source's exact words."""
    restated = {key: value for key, value in (decision.element or {}).items() if key not in ("key", "quotes")}
    quotes = [DraftQuote(text=quote.text, speaker=quote.speaker) for quote in item.located]
    fields = {**item.element.model_dump(mode="json"), **restated, "key": item.element.key, "quotes": []}
    try:
        kept = type(item.element).model_validate(fields)
    except ValidationError:
        return None  # a restatement that is not a valid element confirms nothing
    return kept.model_copy(update={"quotes": quotes})


def _fields(element: DraftElement) -> dict[str, Any]:
    return element.model_dump(mode="json", exclude={"quotes"})


__all__ = [
    "PROMPT_NAME",
    "ConfirmationCache",
    "ConfirmationStats",
    "PendingConfirmation",
    "Verdict",
    "apply_confirmations",
    "confirm_draft",
    "confirmation_items",
    "confirmation_request",
    "elements_to_confirm",
]
