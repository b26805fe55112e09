"""Is an answer too abstract to map? A small, pure heuristic that decides when the planner ladders.

"It makes things easier, generally" names an attribute, not a threshold, an exchange or a loss; a
number, an example or a named thing ("Stripe", "the invoice form, 40% stop there") is concrete enough.
"""

from __future__ import annotations

import re

SHORT_ANSWER_WORDS = 4  # "It's better." says nothing to map; "At the payment form" already might

# Hedges and value words that float above the customer's experience.
ABSTRACT_PHRASES = (
    "generally", "in general", "kind of", "sort of", "basically", "usually", "typically", "somewhat",
    "more or less", "a bit", "things", "stuff", "something", "everything", "overall", "value", "valuable",
    "better", "easier", "easy", "faster", "smoother", "seamless", "convenient", "efficient", "efficiency",
    "quality", "experience", "benefit", "benefits", "improve", "improves", "improved", "helps", "help them",
    "peace of mind", "they like it", "it works", "it depends",
)
EXAMPLE_MARKERS = (
    "for example", "for instance", "e.g.", "such as", "last week", "last month", "last year", "yesterday",
    "this morning", "one customer", "one client", "a customer who", "a client who",
)
NUMBER_WORDS = frozenset(
    {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
     "thirty", "forty", "fifty", "hundred", "thousand", "million", "half", "third", "quarter", "dozen", "percent",
     "twice", "double"}
)
DECLINES = ("don't know", "do not know", "no idea", "not sure", "can't say", "cannot say", "no comment", "rather not")
DECLINE_WORDS = frozenset({"pass", "skip", "next"})  # a declining answer of one word
DECLINE_MAX_WORDS = 8

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,%]*")


def is_abstract(answer: str) -> bool:
    """True when the answer gives no number, example or named thing, and hedges or says almost nothing."""
    words = _WORD.findall(answer)
    if not words:
        return True
    if _is_concrete(answer, words):
        return False
    lowered = f" {' '.join(w.casefold() for w in words)} "
    if any(f" {phrase} " in lowered for phrase in ABSTRACT_PHRASES):
        return True
    return len(words) < SHORT_ANSWER_WORDS


def is_declined(answer: str) -> bool:
    """'I don't know', 'pass': laddering a refusal only repeats it."""
    lowered = answer.casefold().replace("’", "'")
    words = _WORD.findall(lowered)
    if len(words) == 1 and words[0] in DECLINE_WORDS:
        return True
    return len(words) <= DECLINE_MAX_WORDS and any(re.search(rf"\b{re.escape(p)}\b", lowered) for p in DECLINES)


def _is_concrete(answer: str, words: list[str]) -> bool:
    lowered = answer.casefold()
    if re.search(r"\d|[€$£%]", answer) or any(w.casefold() in NUMBER_WORDS for w in words):
        return True
    if any(re.search(rf"(?<!\w){re.escape(marker)}(?!\w)", lowered) for marker in EXAMPLE_MARKERS):
        return True
    return _names_something(answer)


def _names_something(answer: str) -> bool:
    """A capitalised word inside a sentence ("we use Stripe") is a named thing: a product, a team, a person."""
    for sentence in re.split(r"[.!?;:]\s+", answer):
        for word in _WORD.findall(sentence)[1:]:
            if word[0].isupper() and word not in ("I", "I'm", "I’m", "I've", "I’ve", "I'd", "I’d", "OK"):
                return True
    return False
