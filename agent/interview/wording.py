"""Wording the planner's next probe as a question: from the question bank, or by a model, streamed.

Whatever words a model chooses, the question is linted before it is kept (leading, double-barrelled,
presumptive, praise, a "you said" that is not verbatim); a question that fails falls back to the
bank's neutral wording, and the issues are returned so the app can say why.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Protocol

from agent.interview.planning.question_lint import QuestionIssue, lint_question
from agent.interview.session_state import SessionState
from schemas.interview import AnswerEvent, Probe, ProbeKind, QuestionIssueKind

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

BANK = "question bank"
QUOTATION = re.compile(r"“([^”]+)”")
RECENT_EXCHANGES = 6


class QuestionWriter(Protocol):
    """Streams the words of one question."""

    name: str

    def stream(self, probe: Probe, state: SessionState) -> AsyncIterator[str]: ...


class BankWriter:
    """Offline: the bank's question, as the planner filled it in."""

    name = BANK

    async def stream(self, probe: Probe, state: SessionState) -> AsyncIterator[str]:
        yield probe.fallback_question


class ModelWriter:
    """A chat model words the question, streamed token by token."""

    def __init__(self, model: BaseChatModel, model_name: str) -> None:
        from agent.llm.prompts import load_prompt

        self.model = model
        self.name = model_name
        self.prompt = load_prompt("interview_question")

    async def stream(self, probe: Probe, state: SessionState) -> AsyncIterator[str]:
        from langchain_core.messages import HumanMessage, SystemMessage

        recent = "\n".join(
            f"{state.meta.stakeholder if isinstance(e, AnswerEvent) else state.meta.interviewer}: {e.text}"
            for e in state.history[-RECENT_EXCHANGES:]
        ) or "(nothing yet: this is the first question)"
        user = self.prompt.render_user(stakeholder=state.meta.stakeholder, role=state.meta.role or "no role given",
                                       intent=probe.intent, fallback=probe.fallback_question, recent=recent)
        messages = [SystemMessage(self.prompt.system), HumanMessage(user)]
        async for chunk in self.model.astream(messages):
            text = chunk.text if isinstance(chunk.text, str) else str(chunk.content)
            if text:
                yield text


def settle_question(text: str, probe: Probe, state: SessionState) -> tuple[str, list[QuestionIssue]]:
    """The question to keep: the streamed words if they pass the lint, else the bank's wording. A
    contradiction probe must keep both quotations word for word (they are its whole point)."""
    words = " ".join(text.split())
    if words == " ".join(probe.fallback_question.split()):
        return probe.fallback_question, []  # the bank's own wording: nothing better to fall back to
    issues = lint_question(words, session_text=state.transcript().text) if words else []
    if words and probe.kind is ProbeKind.CONTRADICTION and not all(
            f"“{quote}”" in words for quote in QUOTATION.findall(probe.fallback_question)):
        issues.append(QuestionIssue(kind=QuestionIssueKind.MISQUOTE, message="Misquote: a contradiction probe "
                                    "quotes both statements word for word."))
    if not words or issues:
        return probe.fallback_question, issues
    return words, []
