"""Replaying a session's answers through another extractor, model or prompt, without the UI.

The questions and answers are kept as they were; each answer is extracted again and patched into a
fresh map, so the result can be compared with the original: this is how a prompt or model change is
judged. A person's reviews belong to the original run and are not replayed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from agent.interview.live_extraction import latest_answer, patch_from_drafts
from agent.interview.session_state import SessionState
from schemas.evidence import Provenance
from schemas.extraction import DraftMap
from schemas.interview import AnswerEvent, MetaEvent, QuestionEvent, SessionEvent
from schemas.transcript import Transcript

AsyncDraftExtractor = Callable[[Transcript], Awaitable[Sequence[DraftMap]]]


async def replay_session(
    events: Sequence[SessionEvent], extract: AsyncDraftExtractor, *, provenance: Provenance, extractor: str
) -> SessionState:
    meta = events[0]
    assert isinstance(meta, MetaEvent)
    state = SessionState.new(meta)
    for event in events[1:]:
        if not isinstance(event, QuestionEvent | AnswerEvent):
            continue
        state.apply(event)
        if isinstance(event, AnswerEvent):
            answer = latest_answer(state.transcript())
            drafts = await extract(answer)
            state.apply(patch_from_drafts(state, drafts, answer, provenance=provenance, extractor=extractor))
    return state
