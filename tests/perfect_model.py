"""A perfect extraction model for tests: answers each request from a gold map, knowing only the request.

Served by `tests.openai_stub_server.OpenAIStubServer(answer_for=PerfectModel(...))`, it reads the
request as a real model would: which transcript part it is given (the chunk label and text), and which
elements the prompt lists as already found (kind, key, name). It answers with every gold element that
has a quote inside that part, translated into the draft schema, with the gold element's words:

- an element listed as already found keeps the listed key (the prompt asks for that);
- an element told here for the first time gets a key of its own, made up per part
  (`th-monthly-subscription-p3`), so a reference from another part lands only through the listed keys
  or through the assembly joining parts by name, never by a key that happens to repeat;
- a reference to an element neither told here nor listed adds that element without quotes, with its
  required references only (the prompt asks for that, so the reference lands);
- the final threshold's economics (price, compensation, perceived value, accumulated loss) come with
  a quote from the part: the one giving the price where there is one.

It uses the gold map to know what exists, never to know what another request was told or answered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.assembly.assemble import ID_PREFIX
from agent.extraction.chunking import CONTEXT_KINDS, Chunk, chunk_transcript
from schemas.elements import (
    Duplication,
    Element,
    GiveGetExchange,
    Loss,
    Metric,
    Resistance,
    Stage,
    Threshold,
    ValueEvocationPoint,
    ValueProposition,
)
from schemas.evidence import Quote
from schemas.extraction import (
    DraftCompensation,
    DraftDuplication,
    DraftElement,
    DraftExchange,
    DraftFigure,
    DraftGive,
    DraftLoss,
    DraftMap,
    DraftMetric,
    DraftProposition,
    DraftQuote,
    DraftResistance,
    DraftStage,
    DraftThreshold,
    DraftVep,
)
from schemas.transcript import Transcript
from schemas.value_map import ELEMENT_COLLECTIONS, ValueMap
from tests.openai_stub_server import RecordedRequest, StubReply

# The words `agent.extraction.chunking.render_known_elements` lists each kind under, and the assembled ids' prefixes.
KIND_WORDS = dict(CONTEXT_KINDS)
_PREFIX = ID_PREFIX
_LABEL = re.compile(r"^Transcript part: (?P<label>.+)$", re.MULTILINE)
_KNOWN = re.compile(r"^- (?P<kind>[a-z]+), (?P<key>[^:\s]+): (?P<name>.*)$", re.MULTILINE)


def _slug(text: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split()[:5]) or "element"


def prompt_tokens_of(request: RecordedRequest) -> int:
    """What the server received, counted as the extractor estimates tokens (characters / 4): every
    message with its overhead, and the answer schema, which a server counts as part of the prompt."""
    messages = request.body["messages"]
    schema = json.dumps(request.body.get("response_format", {}).get("json_schema", {}).get("schema", {}))
    return sum(-(-len(str(m["content"])) // 4) + 4 for m in messages) + -(-len(schema) // 4)


def output_tokens_of(draft: DraftMap) -> int:
    """What a perfect answer costs in output tokens, counted as the extractor estimates them."""
    return -(-len(draft.model_dump_json()) // 4)


@dataclass
class PerfectModel:
    """Answers extraction requests from `gold`, for the transcripts `vsm map` reads (same chunking)."""

    gold: ValueMap
    transcripts: Sequence[Transcript]
    chunk_tokens: int
    gold_source_of: dict[str, str]  # gold source id -> the transcript's source id
    answers: list[DraftMap] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._chunks = {t.source_id: chunk_transcript(t, self.chunk_tokens) for t in self.transcripts}
        self._kind_of = {e.id: kind for kind in ELEMENT_COLLECTIONS for e in getattr(self.gold, kind)}
        self._by_id: dict[str, Element] = {e.id: e for kind in ELEMENT_COLLECTIONS for e in getattr(self.gold, kind)}

    def __call__(self, request: RecordedRequest) -> StubReply:
        user = str(request.body["messages"][-1]["content"])
        source_id, chunk = self._chunk_of(user)
        draft = _Answer(self, source_id, chunk, self._known(user)).draft()
        self.answers.append(draft)
        return StubReply.answer(draft.model_dump_json(), prompt_tokens=prompt_tokens_of(request),
                                completion_tokens=output_tokens_of(draft))

    def handles(self, request: RecordedRequest) -> bool:
        return bool(self._chunks_in(str(request.body["messages"][-1]["content"])))

    def _chunks_in(self, user: str) -> list[tuple[str, Chunk]]:
        match = _LABEL.search(user)
        assert match is not None, "the request names no transcript part"
        label = match.group("label").strip()
        return [(source, c) for source, chunks in self._chunks.items() for c in chunks
                if c.label(len(chunks)) == label and c.text in user]

    def _chunk_of(self, user: str) -> tuple[str, Chunk]:
        found = self._chunks_in(user)
        assert len(found) == 1, f"the request's part is {len(found)} known chunks"
        return found[0]

    def _known(self, user: str) -> dict[tuple[str, str], str]:
        listed = user.split("Elements already found", 1)[-1].split("Transcript part", 1)[0]
        return {(m.group("kind"), m.group("name").strip()): m.group("key") for m in _KNOWN.finditer(listed)}

    def quotes_in(self, element: Element, source_id: str, chunk: Chunk) -> list[Quote]:
        return [q for q in element.evidence
                if self.gold_source_of.get(q.source_id) == source_id and q.start is not None and q.end is not None
                and chunk.start <= q.start and q.end <= chunk.end]


class _Answer:
    """One request's answer, built element by element."""

    def __init__(self, model: PerfectModel, source_id: str, chunk: Chunk, known: dict[tuple[str, str], str]) -> None:
        self.model = model
        self.source_id = source_id
        self.chunk = chunk
        self.known = known
        self.keys: dict[str, str] = {}  # gold id -> key in this answer
        self.out: dict[str, list[DraftElement]] = {kind: [] for kind in ELEMENT_COLLECTIONS}
        self.told = {e.id for kind in ELEMENT_COLLECTIONS for e in getattr(model.gold, kind)
                     if model.quotes_in(e, source_id, chunk)}

    def draft(self) -> DraftMap:
        for kind in ELEMENT_COLLECTIONS:
            for element in getattr(self.model.gold, kind):
                if element.id in self.told:
                    self._add(element, placeholder=False)
        return DraftMap.model_validate({kind: [e.model_dump() for e in items] for kind, items in self.out.items()})

    def key_of(self, element: Element) -> str:
        if element.id not in self.keys:
            kind = self.model._kind_of[element.id]
            listed = self.known.get((KIND_WORDS[kind], element.name))
            self.keys[element.id] = listed or f"{_PREFIX[kind]}-{_slug(element.name)}-p{self.chunk.index + 1}"
        return self.keys[element.id]

    def ref(self, element_id: str) -> str:
        """The key to refer to `element_id` by: told here, listed, or added here without quotes."""
        element = self.model._by_id[element_id]
        kind = self.model._kind_of[element_id]
        if element_id in self.told or (KIND_WORDS[kind], element.name) in self.known or element_id in self.keys:
            return self.key_of(element)
        self.key_of(element)  # reserve the key first: a placeholder's own references may come back to it
        self._add(element, placeholder=True)
        return self.keys[element_id]

    def refs(self, ids: Sequence[str]) -> list[str]:
        return [self.ref(i) for i in ids]

    def _quotes(self, element: Element) -> list[Quote]:
        return self.model.quotes_in(element, self.source_id, self.chunk)

    def _add(self, element: Element, *, placeholder: bool) -> None:
        quotes = [] if placeholder else self._quotes(element)
        base: dict[str, Any] = {
            "key": self.key_of(element), "name": element.name, "detail": element.detail,
            "quotes": [DraftQuote(text=q.text, speaker=q.speaker) for q in quotes],
        }
        kind = self.model._kind_of[element.id]
        self.out[kind].append(self._draft(element, base, quotes, placeholder))

    def _draft(self, e: Element, base: dict[str, Any], quotes: list[Quote], placeholder: bool) -> DraftElement:
        whole = not placeholder  # a placeholder carries its required references only
        if isinstance(e, Stage):
            return DraftStage(**base, actor=e.actor, customer_visible=e.customer_visible, value_link=e.value_link,
                              internally_necessary=e.internally_necessary,
                              improvements=[i.description for i in e.improvements])
        if isinstance(e, ValueEvocationPoint):
            return DraftVep(**base, stage_key=self.ref(e.stage_id), customer_action=e.customer_action,
                            proposition_keys=self.refs(e.proposition_ids) if whole else [], activation=e.activation)
        if isinstance(e, Resistance):
            return DraftResistance(**base, vep_key=self.ref(e.vep_id), why_customer_action=e.why_customer_action,
                                   limitation=e.limitation, resources_lacking=e.resources_lacking,
                                   resolution=e.resolution)
        if isinstance(e, Threshold):
            return self._threshold(e, base, quotes)
        if isinstance(e, GiveGetExchange):
            return DraftExchange(**base, threshold_key=self.ref(e.threshold_id),
                                 customer_gives=[DraftGive(kind=g.kind, detail=g.detail) for g in e.customer_gives],
                                 organisation_gives=[b.what for b in e.organisation_gives], balance=e.balance,
                                 balance_reason=e.balance_reason)
        if isinstance(e, ValueProposition):
            return DraftProposition(**base, statement=e.statement, claims=e.claims, audience=e.audience,
                                    used_at_keys=self.refs(e.used_at_ids) if whole else [], said_by=e.said_by)
        if isinstance(e, Duplication):
            return DraftDuplication(**base, kind=e.kind, proposition_keys=self.refs(e.proposition_ids),
                                    threshold_keys=self.refs(e.threshold_ids) if whole else [])
        if isinstance(e, Loss):
            return DraftLoss(**base, kind=e.kind, signal=e.signal, metric=_metric(e.metric),
                             duplication_keys=self.refs(e.duplication_ids) if whole else [],
                             threshold_keys=self.refs(e.threshold_ids) if whole else [])
        raise TypeError(f"no draft for {type(e).__name__}")

    def _threshold(self, e: Threshold, base: dict[str, Any], quotes: list[Quote]) -> DraftThreshold:
        purchase = e.purchase
        fields: dict[str, Any] = {"price": None, "currency": None, "price_period": None, "price_quote": None,
                                  "compensation": [], "perceived_value": None, "accumulated_loss": None}
        if purchase is not None and quotes:
            price = purchase.price
            said = [DraftQuote(text=q.text, speaker=q.speaker) for q in quotes]
            priced = next((s for s, q in zip(said, quotes, strict=True)
                           if price is not None and f"{price.amount:g}" in q.text), said[0])
            if price is not None:
                fields.update(price=price.amount, currency=price.currency, price_period=price.period,
                              price_quote=priced)
            fields["compensation"] = [DraftCompensation(kind=c.kind, detail=c.detail, quote=said[0])
                                      for c in purchase.compensation]
            for name in ("perceived_value", "accumulated_loss"):
                value = getattr(purchase, name)
                if value is not None:
                    fields[name] = DraftFigure(value=value, text=f"{value:g}", quote=said[0])
        return DraftThreshold(**base, vep_key=self.ref(e.vep_id), condition=e.condition, on_failure=e.on_failure,
                              crossing_metric=_metric(e.crossing_metric), is_final=purchase is not None, **fields)


@dataclass
class PerfectModels:
    """Several transcripts' perfect models behind one server: each request goes to the one it is about."""

    models: list[PerfectModel]

    def __call__(self, request: RecordedRequest) -> StubReply:
        model = next(m for m in self.models if m.handles(request))
        return model(request)


def _metric(metric: Metric | None) -> DraftMetric | None:
    if metric is None:
        return None
    return DraftMetric(name=metric.name, value=metric.value, unit=metric.unit, text=metric.text or "")
