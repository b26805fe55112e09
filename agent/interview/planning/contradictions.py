"""Two answers of one session that disagree about the same thing, found without a model.

Two kinds of disagreement are recognised, sentence against sentence:
- *requirement*: one sentence makes an action a condition ("nothing works until they connect"), the
  other says it is not one ("they don't have to connect anything to start"), about the same action;
- *number*: both tell the same thing (most of their words shared) with different figures of the same
  unit ("the trial is 14 days" / "the trial is 30 days").
The planner turns each into a neutral question that quotes both sentences verbatim. Sentences that
correct the map outright ("the price is 12, not 15") are corrections, not contradictions: left out here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from agent.interview.planning.memory import GENERIC_WORDS, sentences
from agent.interview.planning.near_duplicates import content_words

NOT_REQUIRED = re.compile(
    r"\b(?:do(?:n'?t| not)|does(?:n'?t| not)|did(?:n'?t| not)|never) (?:have|need) to\b|\bno need to\b"
    r"|\b(?:is|are|was|were)(?:n'?t| not) (?:required|mandatory|needed|necessary|obliged|forced)\b|\boptional\b"
    r"|\bwithout (?:having to |needing to )?\w+ing\b|\bcan skip\b",
    re.IGNORECASE,
)
REQUIRED = re.compile(
    r"\b(?:have|has|had|need|needs) to\b|\bmust\b|\b(?:is|are) (?:required|mandatory|needed)\b|\buntil\b"
    r"|\bonly (?:after|once|when|if)\b|\bnothing works\b|\b(?:can'?t|cannot|can not)\b[^.]*\bwithout\b"
    r"|\bbefore (?:they|you|anyone|customers?) can\b",
    re.IGNORECASE,
)
FIGURE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(%|percent|days?|weeks?|months?|hours?|minutes?|seats?|users?|"
                    r"dollars?|euros?|pounds?|\$|€|£)?", re.IGNORECASE)
CUE_WORDS = frozenset(content_words("have need required mandatory necessary optional until only after once "
                                    "nothing works without before can skip don't doesn't never"))
MIN_SHARED_FOR_NUMBERS = 2


class Disagreement(StrEnum):
    REQUIREMENT = "requirement"
    NUMBER = "number"


@dataclass(frozen=True)
class Contradiction:
    earlier: str  # the earlier answer's sentence, verbatim
    later: str  # the newer answer's sentence, verbatim
    earlier_answer: int
    later_answer: int
    about: str  # the shared words the two sentences are about
    kind: Disagreement

    @property
    def key(self) -> str:
        return f"{self.earlier_answer}:{self.later_answer}:{' '.join(self.earlier.split()[:8])}"


def requirement_of(sentence: str) -> bool | None:
    """True: the sentence makes something a condition; False: it says it is not one; None: neither."""
    if NOT_REQUIRED.search(sentence):
        return False
    if REQUIRED.search(sentence):
        return True
    return None


def _topic(sentence: str) -> set[str]:
    return {w for w in content_words(sentence) if w not in GENERIC_WORDS and w not in CUE_WORDS
            and not w[0].isdigit()}


def _figures(sentence: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for number, unit in FIGURE.findall(sentence):
        unit = (unit or "").casefold().rstrip("s").replace("percent", "%")
        if unit:
            found.setdefault(unit, number.replace(",", "."))
    return found


def actions_of(sentence: str) -> set[str]:
    """What the sentence says is (or is not) required: the first word of meaning after each cue ("until they
    *connect*", "don't have to *connect*"), so "they don't have to pay to sign up" is about paying."""
    pattern = NOT_REQUIRED if NOT_REQUIRED.search(sentence) else REQUIRED
    found: set[str] = set()
    for match in pattern.finditer(sentence):
        after = [w for w in content_words(sentence[match.end():])
                 if w not in CUE_WORDS and w not in GENERIC_WORDS and not w[0].isdigit()]
        if after:
            found.add(after[0])
    return found


def compare(earlier: str, later: str) -> tuple[Disagreement, set[str]] | None:
    """How two sentences disagree about the same thing, and the words they share; None if they do not."""
    shared = _topic(earlier) & _topic(later)
    if not shared:
        return None
    first, second = requirement_of(earlier), requirement_of(later)
    if first is not None and second is not None and first != second:
        acted = actions_of(earlier) & actions_of(later)
        return (Disagreement.REQUIREMENT, acted) if acted else None
    if len(shared) >= MIN_SHARED_FOR_NUMBERS:
        a, b = _figures(earlier), _figures(later)
        if any(unit in b and b[unit] != value for unit, value in a.items()):
            return Disagreement.NUMBER, shared
    return None


def contradictions_with_last(answers: Sequence[str], *, excluded: frozenset[str] = frozenset()) -> list[Contradiction]:
    """The earlier sentences the last answer disagrees with (a sentence in `excluded` is never compared)."""
    if len(answers) < 2:
        return []
    last = len(answers) - 1
    found: list[Contradiction] = []
    for later in sentences(answers[last]):
        if later in excluded:
            continue
        for index in range(last):
            for earlier in sentences(answers[index]):
                if earlier in excluded:
                    continue
                compared = compare(earlier, later)
                if compared is not None:
                    kind, shared = compared
                    found.append(Contradiction(earlier, later, index, last, " ".join(sorted(shared)), kind))
    return found
