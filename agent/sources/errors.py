"""The one error ingestion raises, and the internal problem report parsers raise before a file name is known.

Parsers work on text and never see the file, so they raise `TranscriptProblem` (what is wrong, how to fix
it); `parse_transcript` adds the file name and re-raises it as the public `TranscriptError`.
"""

from __future__ import annotations

from agent.errors import VsmError


def _one_line(message: str) -> str:
    return " ".join(message.split())


class TranscriptError(VsmError, ValueError):
    """A transcript we cannot ingest. The message is one line: the file, the problem, the fix."""

    def __init__(self, file_name: str, problem: str, fix: str) -> None:
        self.file_name = file_name
        self.problem = problem
        self.fix = fix
        super().__init__(_one_line(f"{file_name}: {problem}; {fix}"))

    def __reduce__(self) -> tuple[type[TranscriptError], tuple[str, str, str]]:
        return type(self), (self.file_name, self.problem, self.fix)  # picklable despite the custom signature


class TranscriptProblem(Exception):
    """What a parser found wrong with a text, before anyone has said which file it came from."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem}; {fix}")


def excerpt(text: str, limit: int = 40) -> str:
    """A short, single-line quote of offending input for an error message."""
    flat = _one_line(text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
