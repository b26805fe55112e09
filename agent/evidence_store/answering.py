"""A question answered from retrieved passages only, every cited quote grounded in its transcript.

The model sees the numbered passages and replies with an answer citing them ([1], [2]) and the words it
relied on from each. `settle_answer` keeps a quote only if `locate_quote` finds it in the source transcript,
said by the passage's speaker, inside that passage; the rest are dropped with their reason, and a citation
left without a verified quote is taken out of the answer. Only the model call is I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.errors import VsmError
from agent.evidence_store.models import Passage
from agent.grounding import GroundingFailure, clock_time, locate_quote
from schemas.evidence import MatchStatus
from schemas.transcript import Transcript

if TYPE_CHECKING:
    from pathlib import Path

    from langchain_core.language_models import BaseChatModel

PROMPT_NAME = "answer_question"
#: Why a quote found in the transcript is still dropped: it is not in the passage it was credited to.
OUTSIDE_PASSAGE = "outside_passage"
NO_SUCH_PASSAGE = "no_such_passage"
NO_TRANSCRIPT = "no_transcript"
_MARKERS = re.compile(r"(\s?)\[(\d+(?:\s*[,;]\s*\d+)*)\]")


class AnswerFormatError(VsmError):
    """The model did not reply with the JSON the prompt asks for."""


class Citation(BaseModel):
    """A verified quote: the transcript's own words at `start:end`, inside passage `number`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1)
    passage: Passage
    text: str
    start: int
    end: int
    match: MatchStatus


class DroppedQuote(BaseModel):
    """A quote the model gave that is not evidence, and why (a `GroundingFailure` value or one above)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int
    text: str
    reason: str


class AnsweredQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    question: str
    answer: str
    citations: list[Citation]
    dropped: list[DroppedQuote]
    uncited: list[int] = Field(default_factory=list, description="passage numbers cited without a verified quote")
    prompt: str = ""


class _DraftQuote(BaseModel):
    passage: int
    text: str


class _DraftAnswer(BaseModel):
    answer: str
    quotes: list[_DraftQuote] = Field(default_factory=list)


def passages_for_prompt(passages: Sequence[Passage]) -> str:
    """The passages numbered from 1, each with who said it and where."""
    blocks = []
    for number, passage in enumerate(passages, start=1):
        who = passage.speaker or "unnamed speaker"
        detail = ", ".join(part for part in (passage.perspective, passage.role) if part)
        where = passage_address(passage)
        blocks.append(f"[{number}] {who} ({detail}), {where}:\n{passage.text}")
    return "\n\n".join(blocks)


def passage_address(passage: Passage) -> str:
    """Where a passage is: "source call-1, line 12, 00:03:05"."""
    parts = [f"source {passage.source_id}"]
    if passage.line is not None:
        parts.append(f"line {passage.line}")
    if passage.time_start is not None:
        parts.append(clock_time(passage.time_start))
    return ", ".join(parts)


def answer_from_passages(
    question: str,
    passages: Sequence[Passage],
    transcripts: Mapping[str, Transcript],
    model: BaseChatModel,
    *,
    prompts_dir: Path | None = None,
) -> AnsweredQuestion:
    """Ask the model, then keep only what the transcripts bear out (see `settle_answer`)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from agent.llm.prompts import load_prompt

    prompt = load_prompt(PROMPT_NAME, prompts_dir)
    user = prompt.render_user(question=question, passages=passages_for_prompt(passages))
    reply = model.invoke([SystemMessage(prompt.system), HumanMessage(user)])
    text = reply.text if isinstance(reply.text, str) else str(reply.content)
    return settle_answer(question, text, passages, transcripts).model_copy(update={"prompt": prompt.id})


def settle_answer(
    question: str, reply: str, passages: Sequence[Passage], transcripts: Mapping[str, Transcript]
) -> AnsweredQuestion:
    draft = _parse(reply)
    citations: list[Citation] = []
    dropped: list[DroppedQuote] = []
    for quote in draft.quotes:
        result = _verify(quote, passages, transcripts)
        if isinstance(result, Citation):
            citations.append(result)
        else:
            dropped.append(result)
    verified = {citation.number for citation in citations}
    uncited: list[int] = []

    def keep_verified(marker: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*[,;]\s*", marker.group(2))]
        kept = [n for n in numbers if n in verified]
        uncited.extend(n for n in numbers if n not in verified and n not in uncited)
        return marker.group(1) + "".join(f"[{n}]" for n in kept) if kept else ""

    answer = _MARKERS.sub(keep_verified, draft.answer).strip()
    citations.sort(key=lambda c: (c.number, c.start))
    return AnsweredQuestion(question=question, answer=answer, citations=citations, dropped=dropped, uncited=uncited)


def _verify(
    quote: _DraftQuote, passages: Sequence[Passage], transcripts: Mapping[str, Transcript]
) -> Citation | DroppedQuote:
    def drop(reason: str) -> DroppedQuote:
        return DroppedQuote(number=quote.passage, text=quote.text, reason=reason)

    if not 1 <= quote.passage <= len(passages):
        return drop(NO_SUCH_PASSAGE)
    passage = passages[quote.passage - 1]
    transcript = transcripts.get(passage.source_id)
    if transcript is None:
        return drop(NO_TRANSCRIPT)
    location = locate_quote(quote.text, transcript, speaker=passage.speaker)
    if isinstance(location, GroundingFailure):
        return drop(location.value)
    if location.end <= passage.start or location.start >= passage.end:
        return drop(OUTSIDE_PASSAGE)
    return Citation(number=quote.passage, passage=passage, text=transcript.text[location.start : location.end],
                    start=location.start, end=location.end, match=location.match)


def _parse(reply: str) -> _DraftAnswer:
    start, end = reply.find("{"), reply.rfind("}")
    try:
        if start == -1 or end < start:
            raise ValueError("no JSON object")
        return _DraftAnswer.model_validate(json.loads(reply[start : end + 1]))
    except (ValueError, ValidationError) as err:
        problem = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise AnswerFormatError(
            f"the model's reply is not the JSON answer prompts/{PROMPT_NAME}.md asks for ({problem}); "
            "run again, or pass --offline to see the passages"
        ) from None
