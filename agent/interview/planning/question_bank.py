"""The offline question bank (`prompts/interview_questions.toml`), loaded, validated and filled with names.

The bank is a versioned file so a change of wording is a diff a reviewer can read; this module turns
it into a typed model and fills its `{name}`-style placeholders.
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.bundled import bundled_path
from schemas.findings import CoreQuestion
from schemas.interview import DiagnosticStep

BANK_FILE = "prompts/interview_questions.toml"
PLACEHOLDERS = frozenset({"name", "names", "items", "earlier", "later", "question", "source", "who"})


class QuestionBankError(ValueError):
    """The question bank file is missing, malformed or incomplete."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CoreEntry(_Strict):
    intent: str
    question: str


class StepEntry(_Strict):
    intent: str
    question: str  # when no element is known yet
    question_for: str  # about one element: {name}


class FinalThresholdEntries(_Strict):
    price_and_value_for: str
    compensation_for: str


class LadderEntries(_Strict):
    consequence_intent: str
    consequence: str
    why_it_matters_intent: str
    why_it_matters: str
    example_intent: str
    example: str


class TemplateEntry(_Strict):
    intent: str
    question: str


class QuestionBank(_Strict):
    version: int = Field(ge=1)
    core: dict[CoreQuestion, CoreEntry]
    steps: dict[DiagnosticStep, StepEntry]
    final_threshold: FinalThresholdEntries
    follow_ups: dict[str, str]  # check code -> question
    ladder: LadderEntries
    summary: TemplateEntry
    close: TemplateEntry
    contradiction: TemplateEntry
    contradiction_other: TemplateEntry
    redirect: TemplateEntry

    @property
    def id(self) -> str:
        """How a session records which bank worded its questions."""
        return f"interview_questions@{self.version}"

    def questions(self) -> list[str]:
        """Every question template in the bank, for the lint and the placeholder test."""
        return [
            *(e.question for e in self.core.values()),
            *(q for e in self.steps.values() for q in (e.question, e.question_for)),
            self.final_threshold.price_and_value_for, self.final_threshold.compensation_for,
            *self.follow_ups.values(),
            self.ladder.consequence, self.ladder.why_it_matters, self.ladder.example,
            self.summary.question, self.close.question, self.contradiction.question,
            self.contradiction_other.question, self.redirect.question,
        ]


def parse_question_bank(text: str) -> QuestionBank:
    try:
        bank = QuestionBank.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as err:
        raise QuestionBankError(f"{BANK_FILE} is not valid TOML ({err}); fix the file") from None
    except ValidationError as err:
        raise QuestionBankError(f"{BANK_FILE} does not match the bank's layout:\n{err}") from None
    missing = [q.value for q in CoreQuestion if q not in bank.core] + [s.value for s in DiagnosticStep
                                                                         if s not in bank.steps]
    if missing:
        raise QuestionBankError(f"{BANK_FILE} has no questions for: {', '.join(missing)}")
    for template in bank.questions():
        unknown = placeholders_of(template) - PLACEHOLDERS
        if unknown:
            raise QuestionBankError(f"{BANK_FILE}: {template!r} uses unknown placeholder(s) {sorted(unknown)}; "
                                    f"use {sorted(PLACEHOLDERS)}")
    return bank


@cache
def load_question_bank(path: Path | None = None) -> QuestionBank:
    """The bundled bank (or the one at `path`), read once per process."""
    source = path or bundled_path(BANK_FILE)
    return parse_question_bank(source.read_text(encoding="utf-8"))


def placeholders_of(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def fill(template: str, **values: str) -> str:
    """The template with its placeholders filled; names are quoted here, so the bank stays plain."""
    return template.format_map(values)


def quoted(name: str) -> str:
    return f"“{name}”"


def quoted_list(names: list[str]) -> str:
    """“A”, “B” and “C”."""
    marks = [quoted(n) for n in names]
    return marks[0] if len(marks) == 1 else ", ".join(marks[:-1]) + " and " + marks[-1]
