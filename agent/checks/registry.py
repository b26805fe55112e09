"""The one registry of checks: each check is a pure function registered once with its code and meaning.

A check yields `Hit`s (which elements, why, what to ask next); the registry turns them into
`Finding`s with the check's code, severity and core question, so those are stated in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from agent.checks.view import MapView
from schemas.findings import CoreQuestion, Finding, Severity


class Hit(NamedTuple):
    element_ids: list[str]
    reason: str
    next_question: str
    question: CoreQuestion | None = None  # where a check spans questions, the one this hit answers


CheckFunction = Callable[[MapView], Iterable[Hit]]


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    question: CoreQuestion
    flags: str  # one line: what the check looks for, for `vsm checks` and the docs
    run: CheckFunction

    def findings(self, view: MapView) -> Iterator[Finding]:
        for hit in self.run(view):
            yield Finding(
                code=self.code,
                severity=self.severity,
                question=hit.question or self.question,
                element_ids=hit.element_ids,
                reason=hit.reason,
                next_question=hit.next_question,
            )


CHECKS: dict[str, Check] = {}


def register(code: str, severity: Severity, question: CoreQuestion, flags: str) -> Callable[[CheckFunction], CheckFunction]:
    """Add a check to the registry under a code that must stay stable across versions."""

    def add(function: CheckFunction) -> CheckFunction:
        if code in CHECKS:
            raise ValueError(f"check code {code!r} is registered twice")
        CHECKS[code] = Check(code, severity, question, flags, function)
        return function

    return add
