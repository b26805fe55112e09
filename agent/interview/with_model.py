"""The interview with a configured model: one chat model, built on first use, shared by the question
writer and the answer extraction.

LangChain's import costs about a second, so nothing here builds a client until the app has shown its
first screen; the writer builds it on a thread.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from agent.interview.engine import AnswerExtraction
from agent.interview.session_state import SessionState
from agent.llm.settings import LLMSettings
from schemas.extraction import DraftMap
from schemas.interview import Probe
from schemas.transcript import Transcript

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agent.interview.wording import ModelWriter


class SharedChatModel:
    """The one chat model of a session, built on first use (LangChain's import costs about a second)."""

    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings
        self._model: BaseChatModel | None = None
        self._lock = threading.Lock()

    def get(self) -> BaseChatModel:
        with self._lock:
            if self._model is None:
                from agent.llm.chat_models import chat_model_from_settings

                self._model = chat_model_from_settings(self.settings)
            return self._model


class LazyModelWriter:
    """`ModelWriter` once the model exists; the client is built on a thread so the app stays responsive."""

    def __init__(self, chat_model: SharedChatModel) -> None:
        self.chat_model = chat_model
        self.name = chat_model.settings.model or "model"
        self._writer: ModelWriter | None = None

    async def stream(self, probe: Probe, state: SessionState) -> AsyncIterator[str]:
        if self._writer is None:
            import asyncio

            self._writer = await asyncio.to_thread(self._build)
        async for piece in self._writer.stream(probe, state):
            yield piece

    def _build(self) -> ModelWriter:
        from agent.interview.wording import ModelWriter

        return ModelWriter(self.chat_model.get(), self.name)


def model_extraction(settings: LLMSettings, chat_model: SharedChatModel, cache_folder: Path) -> AnswerExtraction:
    """Answers extracted by the configured model (cached, retried with backoff), run on the app's thread."""
    from agent.extraction.model_extractor import PROMPT_NAME
    from agent.llm.prompts import load_prompt
    from schemas.evidence import ProposedBy, Provenance

    prompt_id = load_prompt(PROMPT_NAME, settings.prompts_dir).id

    def extract(answer: Transcript) -> DraftMap:
        import asyncio

        from agent.extraction.model_extractor import extract_with_model
        from agent.llm.cache import ResponseCache

        result = asyncio.run(extract_with_model(answer, settings=settings, model=chat_model.get(),
                                                cache=ResponseCache(cache_folder)))
        return merged_drafts(result.drafts)

    return AnswerExtraction(extract, f"{settings.provider} model {settings.model} ({prompt_id})",
                            Provenance(proposed_by=ProposedBy.MODEL, model=settings.model, prompt=prompt_id))


def merged_drafts(drafts: Sequence[DraftMap]) -> DraftMap:
    """One draft from the chunks of one answer (an answer is almost always one chunk)."""
    if len(drafts) == 1:
        return drafts[0]
    return DraftMap.model_validate({name: [item for draft in drafts for item in getattr(draft, name)]
                                    for name in DraftMap.model_fields})
