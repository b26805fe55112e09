"""What workers tell the app: they never touch a widget, they post one of these and the app decides.

Question messages carry the turn they belong to, so pieces still queued from a cancelled
generation are recognised and dropped.
"""

from __future__ import annotations

from textual.message import Message

from agent.checks.divergence import TextEmbedder
from schemas.findings import CheckReport
from schemas.interview import PatchEvent, Probe
from schemas.value_map import ValueMap


class QuestionPiece(Message):
    """A few more words of the question being written."""

    def __init__(self, turn: int, text: str) -> None:
        super().__init__()
        self.turn = turn
        self.text = text


class QuestionWritten(Message):
    """The writer finished: `text` is everything it streamed."""

    def __init__(self, turn: int, probe: Probe, text: str) -> None:
        super().__init__()
        self.turn = turn
        self.probe = probe
        self.text = text


class QuestionFailed(Message):
    """The writer raised (timeout, rate limit, bad output, anything)."""

    def __init__(self, turn: int, probe: Probe, error: str) -> None:
        super().__init__()
        self.turn = turn
        self.probe = probe
        self.error = error


class AnswerExtracted(Message):
    """The last answer became a patch; the engine has already logged and applied it."""

    def __init__(self, patch: PatchEvent) -> None:
        super().__init__()
        self.patch = patch


class ExtractionFailed(Message):
    """Extracting the last answer raised; the answer itself is on disk."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class EmbedderReady(Message):
    """The embedder is loaded, and the checks were re-run with it on the map as it was then."""

    def __init__(self, embedder: TextEmbedder, checked_map: ValueMap, report: CheckReport) -> None:
        super().__init__()
        self.embedder = embedder
        self.checked_map = checked_map
        self.report = report


class EmbedderFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class EngagementMapRebuilt(Message):
    """The engagement map synthesised again after merge decision number `decision` (and all before it)."""

    def __init__(self, decision: int, value_map: ValueMap) -> None:
        super().__init__()
        self.decision = decision
        self.value_map = value_map


class EngagementMapFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


def describe_error(err: BaseException) -> str:
    """One line for a notification: the error's kind and its first line, never a traceback."""
    first = str(err).strip().splitlines()[0] if str(err).strip() else ""
    kind = type(err).__name__
    text = f"{kind}: {first}" if first else kind
    return text if len(text) <= 200 else text[:197] + "..."
