"""Transcript to draft maps with a chat model: chunk -> prompt -> call -> validate (-> re-ask) -> cache.

Each chunk is one call answered as a `DraftMap`: through the provider's structured output where it has
one (a strict JSON schema for OpenAI-style models), else as JSON text the prompt asks for. Answers are
validated here, whatever the channel, and an invalid one is re-asked at most `MAX_REASKS` times with
the chunk's prompt, the bad answer and the errors: never the growing history.

Chunks run concurrently, at most `max_concurrency` calls in flight; files mapped together share one
`RunLimits` (the same slots and token budget for every chunk of every file). Chunk i is told the
elements found in chunks 0 .. i-max_concurrency of its transcript (those certainly finished), so with
`max_concurrency = 1` every chunk sees everything before it, and the context does not depend on
timing. One token budget caps the run; rate limits, timeouts and 5xx answers are retried with
exponential backoff. Every validated answer is cached on disk before the run goes on, so a run that
stops (budget, error, Ctrl-C) resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.errors import VsmError
from agent.extraction.chunking import (
    Chunk,
    KnownElement,
    chunk_transcript,
    estimate_tokens,
    interviewer_speakers,
    known_elements,
    render_known_elements,
)
from agent.extraction.confirmation import (
    ConfirmationCache,
    ConfirmationStats,
    confirm_draft,
)
from agent.llm.cache import CachedResponse, ResponseCache, cache_key, schema_hash
from agent.llm.pricing import estimated_cost
from agent.llm.prompts import Prompt, load_prompt
from agent.llm.settings import LLMSettings
from schemas.extraction import DraftMap
from schemas.transcript import Transcript

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage
    from langchain_core.runnables import Runnable

PROMPT_NAME = "extract_map"
MAX_REASKS = 2
MAX_RETRY_DELAY_S = 60.0
_MAX_ERRORS_SHOWN = 20
# Tokens each message costs beyond its text (role, separators), as OpenAI counts them.
_MESSAGE_OVERHEAD_TOKENS = 4
# A complete answer's length against its chunk's (see `expected_output_tokens`).
_ANSWER_BASE_TOKENS = 730
_ANSWER_TOKENS_PER_CHUNK_TOKEN = 2.5
# Typical length of the carried context ("kind, key: name" lines), for estimates before a run.
_CONTEXT_ESTIMATE_TOKENS = 250

ProgressEvent = Literal["cached", "extracted", "re-asking", "retrying"]


class ExtractionError(VsmError):
    """Extraction with a model stopped; finished chunks are cached, so a rerun resumes."""


class TokenBudgetExceededError(ExtractionError):
    pass


class ModelCallError(ExtractionError):
    pass


class ModelOutputError(ExtractionError):
    pass


class ExtractionProgress(BaseModel):
    """What happened just now, with running totals: for a progress bar or a log line."""

    model_config = ConfigDict(frozen=True)

    event: ProgressEvent
    chunk: int
    chunks: int
    done: int
    input_tokens: int
    output_tokens: int


class ExtractionStats(BaseModel):
    chunks: int = 0
    calls: int = 0  # answered calls, re-asks included
    re_asks: int = 0
    retries: int = 0  # failed attempts that were retried (rate limit, timeout, 5xx)
    cache_hits: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    tokens_estimated: bool = False  # some counts are estimates: the model reported no usage
    max_concurrency: int = 1
    elapsed_s: float = 0.0
    confirmations: ConfirmationStats = Field(default_factory=ConfirmationStats)  # see agent/extraction/confirmation.py


class ChunkExtraction(BaseModel):
    chunk: Chunk
    draft: DraftMap
    cached: bool
    re_asks: int
    input_tokens: int
    output_tokens: int


class ModelExtraction(BaseModel):
    """Per-chunk drafts in transcript order, and how they were obtained (for provenance and reports)."""

    source_id: str
    provider: str
    model: str
    prompt_id: str
    chunks: list[ChunkExtraction]
    stats: ExtractionStats

    @property
    def drafts(self) -> list[DraftMap]:
        return [c.draft for c in self.chunks]


class ExtractionPlan(BaseModel):
    """What `extract_with_model` would do, without calling anything: for `--dry-run`."""

    source_id: str
    provider: str
    model: str | None
    prompt_id: str
    chunks: list[Chunk]
    cached_chunks: int
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float | None

    @property
    def cost_text(self) -> str:
        return "unknown" if self.cost_usd is None else f"${self.cost_usd:.4f}"


def draft_map_schema() -> dict[str, Any]:
    """The JSON schema the model answers in (a fresh copy: callers may change theirs)."""
    schema: dict[str, Any] = json.loads(_draft_map_schema_json())
    return schema


@functools.cache
def _draft_map_schema_json() -> str:
    return json.dumps(DraftMap.model_json_schema())


def expected_output_tokens(chunk: Chunk) -> int:
    """One complete answer's length: the dry-run's estimate, and what a call reserves against the budget.

    Calibrated on complete answers in the draft schema: the perfect model's answers from the bundled
    gold maps (`tests/perfect_model.py`), 32 chunks of the four examples at 800, 2,000 and 4,000 tokens,
    counted as `estimate_tokens` counts them. A least-squares line gives 731 + 2.49 tokens per chunk
    token (answers average 3.2 times their chunk: quotes copied, names, details and references).
    """
    return _ANSWER_BASE_TOKENS + math.ceil(chunk.tokens * _ANSWER_TOKENS_PER_CHUNK_TOKEN)


def fixed_prompt_tokens() -> int:
    """Tokens every call sends besides its chunk and context: the instructions and the answer schema."""
    empty = Chunk(index=0, text="", start=0, end=0, first_turn=0, last_turn=0, speakers=(), tokens=0)
    messages = _chunk_messages(load_prompt(PROMPT_NAME), empty, 1, [], [], schema_in_prompt=False)
    return _estimate_input_tokens(messages) + estimate_tokens(_draft_map_schema_json())


def plan_extraction(
    transcript: Transcript, settings: LLMSettings, *, cache: ResponseCache | None = None
) -> ExtractionPlan:
    """Chunks, calls, estimated tokens and cost of extracting `transcript` with `settings`' model."""
    prompt = load_prompt(PROMPT_NAME, settings.prompts_dir)
    model_name = settings.model or "unknown"
    chunks = chunk_transcript(transcript, settings.chunk_tokens)
    keys = _CacheKeys(prompt, model_name, settings.endpoint)
    schema_tokens = estimate_tokens(_draft_map_schema_json())
    interviewers = interviewer_speakers(transcript)
    cached = calls = input_tokens = output_tokens = 0
    for chunk in chunks:
        if cache is not None and cache.get(keys.key(chunk)) is not None:
            cached += 1
            continue
        context_tokens = _CONTEXT_ESTIMATE_TOKENS if chunk.index >= settings.max_concurrency else 0
        messages = _chunk_messages(prompt, chunk, len(chunks), interviewers, [], schema_in_prompt=False)
        calls += 1
        input_tokens += _estimate_input_tokens(messages) + schema_tokens + context_tokens
        output_tokens += expected_output_tokens(chunk)
    return ExtractionPlan(
        source_id=transcript.source_id,
        provider=settings.provider,
        model=settings.model,
        prompt_id=prompt.id,
        chunks=chunks,
        cached_chunks=cached,
        calls=calls,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cost_usd=estimated_cost(settings.provider, settings.model, settings.base_url, input_tokens, output_tokens),
    )


async def extract_with_model(
    transcript: Transcript,
    *,
    settings: LLMSettings,
    model: BaseChatModel | None = None,
    cache: ResponseCache | None = None,
    on_progress: Callable[[ExtractionProgress], None] | None = None,
    limits: RunLimits | None = None,
) -> ModelExtraction:
    """Draft maps for every chunk of `transcript`; `model` defaults to the one `settings` name. Files
    extracted at once pass one `limits`, so `max_concurrency` and `token_budget` hold for them all."""
    if model is None:
        from agent.llm.chat_models import chat_model_from_settings

        model = chat_model_from_settings(settings)
    run = _ExtractionRun(transcript, settings, model, cache, on_progress, limits or RunLimits.from_settings(settings))
    return await run.extract()


@dataclass(frozen=True)
class _CacheKeys:
    prompt: Prompt
    model_name: str
    endpoint: str
    schema: str = field(default_factory=lambda: schema_hash(draft_map_schema()))

    def key(self, chunk: Chunk) -> str:
        return cache_key(
            chunk_text=chunk.text, prompt_id=self.prompt.id, model=self.model_name,
            endpoint=self.endpoint, schema_hash=self.schema,
        )


@dataclass
class _TokenLedger:
    """Tokens spent and reserved by calls in flight; refuses a call that could overrun the budget."""

    budget: int
    spent: int = 0
    reserved: int = 0
    refused: int | None = None  # the size of the first call refused

    def reserve(self, tokens: int) -> bool:
        if self.spent + self.reserved + tokens > self.budget:
            self.refused = self.refused or tokens
            return False
        self.reserved += tokens
        return True

    def settle(self, reserved: int, actual: int) -> None:
        self.reserved -= reserved
        self.spent += actual


@dataclass(frozen=True)
class _Answer:
    text: str
    input_tokens: int
    output_tokens: int
    estimated: bool


class _RunStopped(Exception):
    """Internal: the run stops scheduling (the budget refused a call, or another chunk failed)."""


class ExtractionStoppedError(ExtractionError):
    """This file's extraction stopped because another file of the same run failed."""


@dataclass
class RunLimits:
    """What every chunk of every file in one run shares: the calls in flight and the token budget."""

    max_concurrency: int
    token_budget: int
    stopped: bool = False  # a chunk failed somewhere: no new call starts

    def __post_init__(self) -> None:
        self.slots = asyncio.Semaphore(self.max_concurrency)
        self.ledger = _TokenLedger(self.token_budget)

    @classmethod
    def from_settings(cls, settings: LLMSettings) -> RunLimits:
        return cls(settings.max_concurrency, settings.token_budget)


class _ExtractionRun:
    def __init__(
        self,
        transcript: Transcript,
        settings: LLMSettings,
        model: BaseChatModel,
        cache: ResponseCache | None,
        on_progress: Callable[[ExtractionProgress], None] | None,
        limits: RunLimits,
    ) -> None:
        self.transcript = transcript
        self.settings = settings
        self.model = model
        self.cache = cache
        self.on_progress = on_progress
        self.prompt = load_prompt(PROMPT_NAME, settings.prompts_dir)
        self.model_name = settings.model or _model_label(model)
        self.keys = _CacheKeys(self.prompt, self.model_name, settings.endpoint)
        self.chunks = chunk_transcript(transcript, settings.chunk_tokens)
        self.interviewers = interviewer_speakers(transcript)
        self.window = limits.max_concurrency
        self.limits = limits
        self.slots = limits.slots
        self.ledger = limits.ledger
        self.stats = ExtractionStats(chunks=len(self.chunks), max_concurrency=limits.max_concurrency)
        self.results: list[ChunkExtraction | None] = [None] * len(self.chunks)
        self.finished = [asyncio.Event() for _ in self.chunks]
        self.structured: Runnable[Any, Any] | None = _structured_runnable(model)
        self.schema_tokens = estimate_tokens(_draft_map_schema_json())

    async def extract(self) -> ModelExtraction:
        started = time.perf_counter()
        outcomes = await asyncio.gather(*(self._chunk_task(c) for c in self.chunks), return_exceptions=True)
        self.stats.elapsed_s = time.perf_counter() - started
        for outcome in outcomes:
            if isinstance(outcome, BaseException) and not isinstance(outcome, _RunStopped | ExtractionError):
                raise outcome
        errors = [o for o in outcomes if isinstance(o, ExtractionError)]
        if errors:
            raise errors[0]
        if self.ledger.refused is not None:
            raise self._budget_error()
        if any(isinstance(o, _RunStopped) for o in outcomes):
            raise ExtractionStoppedError(
                f"{self.transcript.source_id}: stopped because another file of this run failed; finished chunks "
                "are cached: fix that and re-run")
        return ModelExtraction(
            source_id=self.transcript.source_id,
            provider=self.settings.provider,
            model=self.model_name,
            prompt_id=self.prompt.id,
            chunks=[r for r in self.results if r is not None],
            stats=self.stats,
        )

    async def _chunk_task(self, chunk: Chunk) -> None:
        try:
            key = self.keys.key(chunk)
            hit = self.cache.get(key) if self.cache is not None else None
            cached_draft = _draft_or_none(hit.text) if hit is not None else None
            if hit is not None and cached_draft is not None:
                cached_draft = await self._confirmed(chunk, cached_draft)
                self._record(chunk, cached_draft, hit, cached=True, re_asks=0)
                return
            # Wait for the chunks whose elements this one is told about, so context never depends on timing.
            for earlier in range(chunk.index - self.window + 1):
                await self.finished[earlier].wait()
            async with self.slots:
                if self.limits.stopped:
                    raise _RunStopped
                context = known_elements(r.draft for r in self.results[: max(0, chunk.index - self.window + 1)] if r)
                draft, answer, re_asks = await self._extract_chunk(chunk, context)
            cached = CachedResponse(
                text=draft.model_dump_json(), input_tokens=answer.input_tokens, output_tokens=answer.output_tokens,
                model=self.model_name, prompt_id=self.prompt.id,
            )
            if self.cache is not None:
                self.cache.put(key, cached)
            draft = await self._confirmed(chunk, draft)
            self._record(chunk, draft, cached, cached=False, re_asks=re_asks)
        except BaseException:
            self.limits.stopped = True
            raise
        finally:
            self.finished[chunk.index].set()

    def _record(self, chunk: Chunk, draft: DraftMap, response: CachedResponse, *, cached: bool, re_asks: int) -> None:
        self.results[chunk.index] = ChunkExtraction(
            chunk=chunk, draft=draft, cached=cached, re_asks=re_asks,
            input_tokens=0 if cached else response.input_tokens,
            output_tokens=0 if cached else response.output_tokens,
        )
        if cached:
            self.stats.cache_hits += 1
        self._progress("cached" if cached else "extracted", chunk)

    async def _extract_chunk(self, chunk: Chunk, context: Sequence[KnownElement]) -> tuple[DraftMap, _Answer, int]:
        messages = _chunk_messages(
            self.prompt, chunk, len(self.chunks), self.interviewers, context,
            schema_in_prompt=self.structured is None,
        )
        attempt = messages
        spent_in = spent_out = 0
        for re_asks in range(MAX_REASKS + 1):
            answer = await self._call(chunk, attempt)
            spent_in += answer.input_tokens
            spent_out += answer.output_tokens
            try:
                draft = parse_draft_map(answer.text)
            except (ValueError, ValidationError) as err:
                problems = describe_invalid_answer(err)
                if re_asks == MAX_REASKS:
                    raise ModelOutputError(
                        f"chunk {chunk.label(len(self.chunks))}: the model's answer was still invalid after "
                        f"{MAX_REASKS} re-asks ({problems.splitlines()[0].lstrip('- ')}); finished chunks are "
                        "cached: re-run to retry, or use a model that follows JSON schemas"
                    ) from None
                self.stats.re_asks += 1
                self._progress("re-asking", chunk)
                attempt = _reask_messages(self.prompt, messages, answer.text, problems)
                continue
            total = _Answer(answer.text, spent_in, spent_out, answer.estimated)
            return draft, total, re_asks
        raise AssertionError("unreachable: the loop returns or raises")

    # --- confirmation hook (issue 10): the logic is agent/extraction/confirmation.py; this only makes the call.
    async def _confirmed(self, chunk: Chunk, draft: DraftMap) -> DraftMap:
        """`draft` after one confirmation request for the elements whose only quotes the model bent."""

        async def ask(messages: Sequence[BaseMessage]) -> str:
            async with self.slots:
                return (await self._call(chunk, messages, plain=True)).text

        cache = ConfirmationCache(self.cache, self.model_name, self.settings.endpoint) if self.cache is not None else None
        return await confirm_draft(
            draft, self.transcript, ask=ask, chunk_label=chunk.label(len(self.chunks)),
            stats=self.stats.confirmations, cache=cache, prompts_dir=self.settings.prompts_dir,
        )
    # --- end of the confirmation hook

    async def _call(self, chunk: Chunk, messages: Sequence[BaseMessage], *, plain: bool = False) -> _Answer:
        estimate_in = _estimate_input_tokens(messages) + self.schema_tokens
        reservation = estimate_in + expected_output_tokens(chunk)
        for attempt in range(self.settings.max_retries + 1):
            if not self.ledger.reserve(reservation):
                raise _RunStopped
            try:
                # The client has its own timeout; this one also bounds providers and fakes that have none.
                message = await asyncio.wait_for(self._invoke(messages, plain), timeout=self.settings.timeout)
            except Exception as err:
                self.ledger.settle(reservation, 0)
                if not _is_transient(err):
                    raise self._call_error(err, attempts=attempt + 1, transient=False) from err
                if attempt == self.settings.max_retries:
                    raise self._call_error(err, attempts=attempt + 1, transient=True) from err
                self.stats.retries += 1
                self._progress("retrying", chunk)
                await asyncio.sleep(_retry_delay(err, attempt, self.settings.retry_backoff))
                continue
            answer = _answer_of(message, estimate_in)
            self.ledger.settle(reservation, answer.input_tokens + answer.output_tokens)
            self.stats.calls += 1
            self.stats.input_tokens += answer.input_tokens
            self.stats.output_tokens += answer.output_tokens
            self.stats.tokens_estimated |= answer.estimated
            return answer
        raise AssertionError("unreachable: the loop returns or raises")

    async def _invoke(self, messages: Sequence[BaseMessage], plain: bool = False) -> AIMessage:
        from langchain_core.messages import AIMessage

        if self.structured is not None and not plain:
            result = await self.structured.ainvoke(list(messages))
            raw = result["raw"] if isinstance(result, dict) else result
        else:
            raw = await self.model.ainvoke(list(messages))
        if not isinstance(raw, AIMessage):
            raise TypeError(f"the chat model answered with {type(raw).__name__}, not an AIMessage")
        return raw

    def _progress(self, event: ProgressEvent, chunk: Chunk) -> None:
        if self.on_progress is None:
            return
        self.on_progress(ExtractionProgress(
            event=event, chunk=chunk.index, chunks=len(self.chunks),
            done=sum(r is not None for r in self.results),
            input_tokens=self.stats.input_tokens, output_tokens=self.stats.output_tokens,
        ))

    def _budget_error(self) -> TokenBudgetExceededError:
        done = sum(r is not None for r in self.results)
        return TokenBudgetExceededError(
            f"the token budget of {self.ledger.budget:,} would be exceeded (spent {self.ledger.spent:,}; the next "
            f"call needs about {self.ledger.refused or 0:,}); {done} of {len(self.chunks)} chunks are done and "
            "cached: raise token_budget ([llm] in vsm.toml, or VSM_LLM_TOKEN_BUDGET) and re-run to continue"
        )

    def _call_error(self, err: Exception, *, attempts: int, transient: bool) -> ModelCallError:
        where = f"{self.settings.provider} model {self.model_name!r}"
        if self.settings.base_url:
            where += f" at {self.settings.base_url}"
        reason = _redact(_first_line(err), self.settings)
        if transient:
            return ModelCallError(
                f"{where} kept failing after {attempts} attempts ({reason}); finished chunks are cached: "
                "wait and re-run, or lower max_concurrency"
            )
        return ModelCallError(f"{where} refused the call ({reason}); check the settings with `vsm doctor`")


def _chunk_messages(
    prompt: Prompt,
    chunk: Chunk,
    chunks: int,
    interviewers: Sequence[str],
    context: Sequence[KnownElement],
    *,
    schema_in_prompt: bool,
) -> list[BaseMessage]:
    from langchain_core.messages import HumanMessage, SystemMessage

    user = prompt.render_user(
        chunk_label=chunk.label(chunks),
        interviewers=", ".join(interviewers) or "none marked (a speaker who only asks questions is one)",
        known_elements=render_known_elements(context),
        transcript_chunk=chunk.text,
    )
    if schema_in_prompt:
        schema = json.dumps(draft_map_schema(), separators=(",", ":"))
        user += "\n\n" + prompt.render_answer_format(json_schema=schema)
    return [SystemMessage(prompt.system), HumanMessage(user)]


def _reask_messages(prompt: Prompt, messages: Sequence[BaseMessage], bad_answer: str, problems: str) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage, HumanMessage

    return [*messages, AIMessage(bad_answer), HumanMessage(prompt.render_reask(errors=problems))]


def parse_draft_map(text: str) -> DraftMap:
    """The answer as a `DraftMap`, tolerating a code fence or prose around the JSON object."""
    body = text.strip()
    if not body.startswith("{"):
        first, last = body.find("{"), body.rfind("}")
        if first == -1 or last < first:
            raise ValueError("the answer holds no JSON object")
        body = body[first : last + 1]
    return DraftMap.model_validate_json(body)


def _draft_or_none(text: str) -> DraftMap | None:
    try:
        return DraftMap.model_validate_json(text)
    except ValidationError:  # a damaged cache file is a miss; the fresh answer overwrites it
        return None


def describe_invalid_answer(err: Exception) -> str:
    """The problems with an answer as short lines a model can act on."""
    if not isinstance(err, ValidationError):
        return f"- {err}"
    lines = []
    for error in err.errors(include_url=False, include_input=False)[:_MAX_ERRORS_SHOWN]:
        where = ".".join(str(part) for part in error["loc"]) or "the answer"
        lines.append(f"- {where}: {error['msg']}")
    hidden = err.error_count() - _MAX_ERRORS_SHOWN
    if hidden > 0:
        lines.append(f"- and {hidden} more errors of the same kinds")
    return "\n".join(lines)


def _structured_runnable(model: BaseChatModel) -> Runnable[Any, Any] | None:
    """The model bound to answer in the DraftMap schema, or None when it has no structured output.

    The schema goes as a dict, not the pydantic class: the openai client would otherwise parse the
    answer itself and raise on invalid JSON, losing the answer a re-ask needs. Validation is ours.
    """
    options: dict[str, Any] = {"method": "json_schema", "include_raw": True}
    if _is_openai_style(model):
        options["strict"] = True
    try:
        return model.with_structured_output(draft_map_schema(), **options)
    except (NotImplementedError, ValueError, TypeError):
        return None


def _is_openai_style(model: BaseChatModel) -> bool:
    try:
        from langchain_openai.chat_models.base import BaseChatOpenAI
    except ImportError:
        return False
    return isinstance(model, BaseChatOpenAI)


def _answer_of(message: AIMessage, estimated_input: int) -> _Answer:
    # Some providers answer structured output as a tool call rather than as text.
    text = json.dumps(message.tool_calls[0]["args"]) if message.tool_calls else message.text
    usage = message.usage_metadata
    if usage is not None and usage.get("input_tokens"):
        return _Answer(text, usage["input_tokens"], usage.get("output_tokens", 0), estimated=False)
    return _Answer(text, estimated_input, estimate_tokens(text), estimated=True)


def _estimate_input_tokens(messages: Sequence[BaseMessage]) -> int:
    return sum(estimate_tokens(m.text) + _MESSAGE_OVERHEAD_TOKENS for m in messages)


def _is_transient(err: BaseException) -> bool:
    """A rate limit, timeout, dropped connection or server error: worth another try after a pause."""
    import openai
    from langchain_core.exceptions import ModelAPIError, ModelConnectionError, ModelRateLimitError, ModelTimeoutError

    transient = (
        openai.RateLimitError, openai.APITimeoutError, openai.APIConnectionError, openai.InternalServerError,
        ModelRateLimitError, ModelTimeoutError, ModelConnectionError, ModelAPIError, TimeoutError,
    )
    if isinstance(err, transient):
        return True
    status = getattr(err, "status_code", None)
    return isinstance(status, int) and (status in (408, 409, 429) or status >= 500)


def _retry_delay(err: BaseException, attempt: int, backoff: float) -> float:
    """Exponential backoff with jitter (concurrent retries spread out), or longer if the server asks."""
    delay: float = backoff * 2**attempt * random.uniform(1.0, 1.25)
    headers = getattr(getattr(err, "response", None), "headers", None)
    retry_after = headers.get("retry-after") if headers is not None else None
    if retry_after is not None:
        with contextlib.suppress(ValueError):
            delay = max(delay, float(retry_after))
    return min(delay, MAX_RETRY_DELAY_S)


def _model_label(model: BaseChatModel) -> str:
    for attribute in ("model_name", "model"):
        value = getattr(model, attribute, None)
        if isinstance(value, str) and value:
            return value
    return type(model).__name__


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    line = text.splitlines()[0] if text else type(err).__name__
    return line if len(line) <= 200 else line[:197] + "..."


def _redact(text: str, settings: LLMSettings) -> str:
    key = settings.api_key()
    return text.replace(key.get_secret_value(), "[redacted]") if key is not None else text


__all__ = [
    "MAX_REASKS",
    "PROMPT_NAME",
    "ChunkExtraction",
    "ExtractionError",
    "ExtractionPlan",
    "ExtractionProgress",
    "ExtractionStats",
    "ExtractionStoppedError",
    "ModelCallError",
    "ModelExtraction",
    "ModelOutputError",
    "RunLimits",
    "TokenBudgetExceededError",
    "describe_invalid_answer",
    "extract_with_model",
    "fixed_prompt_tokens",
    "parse_draft_map",
    "plan_extraction",
]
