"""Fakes for the interview app's tests and benchmark: a fixed clock and session id, writers that stream
slowly or fail once, an extraction that waits for the test, and a log whose next append fails.

No network and no model: every fake is a few lines of plain Python around the engine's protocols.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

from agent.extraction.offline import extract_offline
from agent.interview.engine import AnswerExtraction, InterviewEngine
from agent.interview.session_log import SessionLog
from agent.interview.session_state import SessionState
from agent.interview.wording import QuestionWriter
from schemas.evidence import ProposedBy, Provenance
from schemas.extraction import DraftMap
from schemas.interview import MetaEvent, Probe, SessionEvent
from schemas.transcript import Transcript

AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
SESSION_ID = "20261128-0900-maria-test"
OFFLINE_MODE = "offline, no model"

ANSWER = ("Customers have to mark which lawyers they want to engage with before they can book. Our database "
          "of lawyers is incomplete because we don't have the people to verify every lawyer.")
SECOND_ANSWER = ("About 40% of visitors drop off at that marking step. In exchange they get access to the whole "
                 "list for free. Sales tells them it's a curated network, marketing says it's the biggest "
                 "directory.")


def fixed_clock() -> datetime:
    return AT


def new_engine(folder: Path, *, writer: QuestionWriter | None = None,
               extraction: AnswerExtraction | None = None) -> InterviewEngine:
    """A new session with a fixed id and clock, so screens and files are the same on every run."""
    meta = MetaEvent(session_id=SESSION_ID, stakeholder="Maria", role="Head of Growth", minutes=45, started=AT)
    log = SessionLog.create(folder, meta)
    return InterviewEngine(log, SessionState.new(meta), writer=writer, extraction=extraction, clock=fixed_clock)


def resumed_engine(path: Path, *, writer: QuestionWriter | None = None) -> InterviewEngine:
    return InterviewEngine.resume(path, writer=writer, clock=fixed_clock)


def offline_extraction(extract: Callable[[Transcript], DraftMap]) -> AnswerExtraction:
    return AnswerExtraction(extract, "offline rules (test)", Provenance(proposed_by=ProposedBy.OFFLINE_EXTRACTOR))


class GatedExtraction:
    """The offline extractor, but it waits on a thread until the test opens the gate."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()

    def __call__(self, answer: Transcript) -> DraftMap:
        self.started.set()
        if not self.gate.wait(timeout=10):
            raise TimeoutError("the test never opened the gate")
        return extract_offline(answer)


class FailingOnceExtraction:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, answer: Transcript) -> DraftMap:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("model returned invalid JSON")
        return extract_offline(answer)


class SlowWriter:
    """Streams a few words, then waits until `release` is set: long enough to press Esc."""

    name = "slow-fake"

    def __init__(self, first: str = "So, ") -> None:
        self.first = first
        self.release = asyncio.Event()
        self.calls = 0

    async def stream(self, probe: Probe, state: SessionState) -> AsyncIterator[str]:
        self.calls += 1
        yield self.first
        await self.release.wait()
        yield probe.fallback_question


MODEL_QUESTION = "Where does the customer first have to act before anything else can happen?"


class FailingOnceWriter:
    """Raises like a rate-limited API on its first call, then streams its own wording word by word."""

    name = "flaky-fake"

    def __init__(self) -> None:
        self.calls = 0

    async def stream(self, probe: Probe, state: SessionState) -> AsyncIterator[str]:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("429 rate limit reached; retry after 1s")
        for word in MODEL_QUESTION.split(" "):
            yield word + " "


class InstantWriter:
    """Streams the bank's question in a few pieces at once: for timing the app's own overhead."""

    name = "instant-fake"

    async def stream(self, probe: Probe, state: SessionState) -> AsyncIterator[str]:
        words = probe.fallback_question.split(" ")
        for i in range(0, len(words), 3):
            yield " ".join(words[i:i + 3]) + " "


class FailingOnceLog(SessionLog):
    """A session file whose next append fails (disk full), once."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.fail_next = False

    def append(self, event: SessionEvent) -> None:
        if self.fail_next:
            self.fail_next = False
            raise OSError(28, "No space left on device")
        super().append(event)


def event_types(path: Path) -> list[str]:
    from agent.interview.session_log import read_session

    events, _ = read_session(path)
    return [event.type for event in events]
