"""Scripted chat models for tests and benchmarks: JSON answers, latency, failures, and a record of prompts.

`ScriptedChatModel` extends LangChain's `GenericFakeChatModel`. Each call takes the next scripted
reply (a `DraftMap`, a JSON string, or an exception to raise); when the script runs out it asks
`answer_for(messages)`, or repeats an empty map. It records every prompt it received, and how many
calls were in flight at once. With `structured=True` it supports `with_structured_output(...,
include_raw=True)` the way `ChatOpenAI` does (a dict of raw, parsed, parsing_error); with
`structured=False` it has no structured output, like most local servers' wrappers.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import httpx2
import openai
from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import Field, PrivateAttr

from schemas.elements import Actor, ValueLink
from schemas.extraction import DraftMap, DraftQuote, DraftStage

Reply = DraftMap | str | BaseException
AnswerFor = Callable[[Sequence[BaseMessage]], str]


def empty_draft() -> DraftMap:
    return DraftMap(
        stages=[], veps=[], resistances=[], thresholds=[], exchanges=[], propositions=[], duplications=[], losses=[]
    )


def draft_with_stage(key: str, name: str, quote: str, speaker: str | None = None) -> DraftMap:
    """A draft holding one stage: enough for tests about keys, context and caching."""
    stage = DraftStage(
        key=key, name=name, detail=f"{name}.", quotes=[DraftQuote(text=quote, speaker=speaker)],
        actor=Actor.CUSTOMER, customer_visible=True, value_link=ValueLink.DIRECT, internally_necessary=None,
        improvements=[],
    )
    return empty_draft().model_copy(update={"stages": [stage]})


def rate_limit_error(message: str = "Rate limit reached; retry after 0s") -> openai.RateLimitError:
    request = httpx2.Request("POST", "https://api.openai.com/v1/chat/completions")
    return openai.RateLimitError(message, response=httpx2.Response(429, request=request), body=None)


def server_error(message: str = "The server had an error") -> openai.InternalServerError:
    request = httpx2.Request("POST", "https://api.openai.com/v1/chat/completions")
    return openai.InternalServerError(message, response=httpx2.Response(500, request=request), body=None)


class ScriptedChatModel(GenericFakeChatModel):
    """A fake chat model answering from a script, optionally slowly, and recording what it was sent."""

    messages: Iterator[AIMessage | str] = Field(default_factory=lambda: iter(()))
    script: list[Reply] = Field(default_factory=list)
    answer_for: AnswerFor | None = None
    latency_s: float = 0.0
    structured: bool = True
    model_name: str = "scripted-fake"

    _prompts: list[list[BaseMessage]] = PrivateAttr(default_factory=list)
    _structured_calls: list[dict[str, Any]] = PrivateAttr(default_factory=list)
    _in_flight: int = PrivateAttr(default=0)
    _max_in_flight: int = PrivateAttr(default=0)

    @property
    def prompts(self) -> list[list[BaseMessage]]:
        """Every prompt received, in order: a list of messages per call."""
        return self._prompts

    @property
    def structured_calls(self) -> list[dict[str, Any]]:
        """The keyword arguments of each `with_structured_output` call."""
        return self._structured_calls

    @property
    def max_in_flight(self) -> int:
        return self._max_in_flight

    @property
    def calls(self) -> int:
        return len(self._prompts)

    def _next_reply(self, messages: Sequence[BaseMessage]) -> AIMessage:
        self._prompts.append(list(messages))
        if self.script:
            reply = self.script.pop(0)
        elif self.answer_for is not None:
            reply = self.answer_for(messages)
        else:
            reply = empty_draft()
        if isinstance(reply, BaseException):
            raise reply
        text = reply.model_dump_json() if isinstance(reply, DraftMap) else reply
        return AIMessage(content=text)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.latency_s:
            time.sleep(self.latency_s)
        return ChatResult(generations=[ChatGeneration(message=self._next_reply(messages))])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self._in_flight += 1
        self._max_in_flight = max(self._max_in_flight, self._in_flight)
        try:
            if self.latency_s:
                await asyncio.sleep(self.latency_s)
            return ChatResult(generations=[ChatGeneration(message=self._next_reply(messages))])
        finally:
            self._in_flight -= 1

    def with_structured_output(  # type: ignore[override]
        self, schema: dict[str, Any] | type, *, include_raw: bool = False, **kwargs: Any
    ) -> Runnable[Any, Any]:
        if not self.structured:
            raise NotImplementedError("this fake model has no structured output")
        self._structured_calls.append({"schema": schema, "include_raw": include_raw, **kwargs})

        async def answer(messages: list[BaseMessage]) -> dict[str, Any] | Any:
            raw = await self.ainvoke(messages)
            try:
                parsed, error = json.loads(raw.text), None
            except json.JSONDecodeError as err:
                parsed, error = None, err
            if include_raw:
                return {"raw": raw, "parsed": parsed, "parsing_error": error}
            if error is not None:
                raise error
            return parsed

        return RunnableLambda(answer)
