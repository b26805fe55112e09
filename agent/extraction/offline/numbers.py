"""Figures as people say them: "18%", "about eighteen percent", "one in three", "forty-nine euros a month".

Metrics and prices are read from speech, where numbers are as often words as digits. Every figure keeps
the exact span it was read from, so the draft can quote it ("the figure as spoken").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from agent.extraction.offline.cues.caseless import caseless

_READ_CACHE = 8192  # sentences whose numbers are kept read, within one extraction (`forget_readings`)

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "grand": 1_000, "million": 1_000_000, "k": 1_000, "m": 1_000_000}
_NOTES = {"fiver": 5, "tenner": 10}  # money said as the note: "a fiver a month of my time"
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_TOKEN = re.compile(r"[A-Za-z]+|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# Only spaces, hyphens or a lone "and" may sit between the words of one number ("one hundred and twenty").
_JOINER = re.compile(r"^(?:[\s-]+|\s+and\s+)$")


@dataclass(frozen=True)
class Figure:
    """A number found in text: its value and the exact span it was said in."""

    value: float
    start: int
    end: int
    unit: str | None = None  # "%" for shares; None for plain counts

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


def spoken_numbers(text: str) -> list[Figure]:
    """Every number in `text`, whether written in digits ("1,200", "3.99") or words ("forty-nine")."""
    return list(_spoken_numbers(text))


@lru_cache(maxsize=_READ_CACHE)
def _spoken_numbers(text: str) -> tuple[Figure, ...]:
    """Read once per sentence: the purchase, its price and its figures ask the same sentences several times."""
    found: list[Figure] = []
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        run_end = _number_run(text, tokens, i)
        if run_end == i:
            i += 1
            continue
        words = [t.group(0).lower() for t in tokens[i:run_end]]
        value = _value_of(words)
        if value is not None:
            found.append(Figure(value, tokens[i].start(), tokens[run_end - 1].end()))
        i = run_end
    return tuple(found)


def forget_readings() -> None:
    """Start an extraction cold: numbers are read once per sentence within it, not remembered across them (so
    each extraction costs what it costs, and memory does not grow with every transcript read)."""
    _spoken_numbers.cache_clear()
    _prices.cache_clear()


def _is_number_word(word: str, next_word: str | None) -> bool:
    if _DIGITS.fullmatch(word) or word in _UNITS or word in _TENS or word in _NOTES:
        return True
    # "a hundred", "a thousand": the article counts as one only in front of a scale word.
    return word == "a" and next_word in ("hundred", "thousand", "million", "dozen")


def _number_run(text: str, tokens: list[re.Match[str]], i: int) -> int:
    """The end (exclusive) of the run of number tokens starting at `i`; `i` itself if none starts there."""
    first = tokens[i].group(0).lower()
    after = tokens[i + 1].group(0).lower() if i + 1 < len(tokens) else None
    if not _is_number_word(first, after):
        return i
    j = i + 1
    while j < len(tokens):
        gap = text[tokens[j - 1].end() : tokens[j].start()]
        word = tokens[j].group(0).lower()
        nxt = tokens[j + 1].group(0).lower() if j + 1 < len(tokens) else None
        previous = tokens[j - 1].group(0).lower()
        if word == "and" and previous in ("hundred", "thousand") and nxt in {**_UNITS, **_TENS} and gap == " ":
            j += 1  # "one hundred and twenty"
            continue
        if word == "and" and gap == " " and [t.group(0).lower() for t in tokens[j + 1 : j + 3]] == ["a", "half"]:
            return j + 3  # "two and a half"
        is_scale = word in _SCALES and (word not in ("k", "m") or gap == "")
        if not (_JOINER.match(gap) or (gap == "" and is_scale)):
            break
        if not (is_scale or word == "dozen" or (_is_number_word(word, nxt) and not _DIGITS.fullmatch(word))):
            break
        j += 1
    return j


def _value_of(words: list[str]) -> float | None:
    colloquial = _colloquial_value(words)
    if colloquial is not None:
        return colloquial
    total, current, seen = 0.0, 0.0, False
    for word in words:
        if _DIGITS.fullmatch(word):
            current += float(word.replace(",", ""))
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _NOTES:
            current += _NOTES[word]
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        elif word == "half":
            current += 0.5  # "two and a half"
        elif word in ("a", "and"):
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


def _groups(words: list[str]) -> list[float] | None:
    """Number words cut where ordinary counting cannot continue: "three sixty" is [3, 60], "twenty five" is [25]."""
    groups: list[float] = []
    tens_open = False  # the last group is a bare tens word, which a unit may still complete ("twenty five")
    for word in words:
        if word in _TENS:
            groups.append(_TENS[word])
            tens_open = True
        elif word in _UNITS:
            if tens_open and _UNITS[word] < 10:
                groups[-1] += _UNITS[word]
            else:
                groups.append(_UNITS[word])
            tens_open = False
        else:
            return None  # digits, scales and "and" are read by the ordinary rules
    return groups


def _colloquial_value(words: list[str]) -> float | None:
    """How prices are said aloud: "three sixty" is 360, "seven-fifty" 750, "thirty-nine ninety" 39.90,
    "eleven one-fifty" 11,150. None when the words count the ordinary way ("forty-nine", "one hundred")."""
    groups = _groups(words)
    if groups is None or len(groups) < 2:
        return None
    if len(groups) == 2:
        first, second = groups
        if second < 10:
            return None
        return float(first * 100 + second) if first < 10 else round(first + second / 100, 2)
    if len(groups) == 3 and groups[0] >= 10 and groups[1] < 10 and groups[2] >= 10:
        return float(groups[0] * 1000 + groups[1] * 100 + groups[2])  # "eleven one-fifty"
    return None


_FRACTIONS = {
    "half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 33.0, "one third": 33.0, "two thirds": 67.0,
    "a quarter": 25.0, "one quarter": 25.0, "three quarters": 75.0, "a fifth": 20.0, "one fifth": 20.0,
    "a tenth": 10.0, "one tenth": 10.0,
}  # fmt: skip
# A fraction is a share only when it is a share *of* something: "a third of subscribers", not "a day and a half".
_FRACTION = caseless(
    r"(?<![\w-])(" + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + r")(?=\s+of\b)"
)
_PERCENT_SIGN = caseless(r"^\s?(?:%|percent\b|per cent\b|pc\b|percentage points\b)")
_RATIO_LINK = caseless(r"^\s+(?:in|out of)\s+$")


def shares(text: str) -> list[Figure]:
    """Shares of a whole, as percentages: "18%", "eighteen percent", "a third", "nine out of ten"."""
    numbers = spoken_numbers(text)
    found: list[Figure] = []
    used: set[int] = set()
    for k, figure in enumerate(numbers):
        if k in used:
            continue
        sign = _PERCENT_SIGN.match(text[figure.end :])
        if sign:
            found.append(Figure(figure.value, figure.start, figure.end + sign.end(), "%"))
            continue
        if k + 1 < len(numbers):
            other = numbers[k + 1]
            if _RATIO_LINK.match(text[figure.end : other.start]) and other.value > 0 and figure.value <= other.value:
                found.append(Figure(round(100 * figure.value / other.value, 1), figure.start, other.end, "%"))
                used.add(k + 1)
    for match in _FRACTION.finditer(text):
        if not any(f.start <= match.start() < f.end for f in found):
            found.append(Figure(_FRACTIONS[match.group(1).lower()], match.start(), match.end(), "%"))
    return sorted(found, key=lambda f: f.start)


@dataclass(frozen=True)
class Price:
    amount: float
    currency: str | None  # ISO code; None for "eight hundred a month", said without one
    period: str | None  # "month", "year", "week", ... or None for a one-off
    start: int
    end: int

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR"}
_CODES = ("EUR", "USD", "GBP", "CHF", "PLN", "SEK", "NOK", "DKK", "CAD", "AUD", "JPY", "INR")
_CURRENCY_WORDS = {
    "euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "bucks": "USD", "pound": "GBP",
    "pounds": "GBP", "quid": "GBP", "francs": "CHF", "zloty": "PLN", "rupees": "INR", "yen": "JPY",
}  # fmt: skip
_BEFORE = re.compile(r"(?:([€$£¥₹])|\b(" + "|".join(_CODES) + r"))\s?$")
_AFTER = caseless(
    r"^\s?(?:(" + "|".join(_CODES) + r")\b|(" + "|".join(_CURRENCY_WORDS) + r")\b|([€$£]))"
)
_PERIOD = caseless(
    # "per chair per month", "a van a month": the time is the period of a price said per unit.
    r"^[\s,]*(?:(?:a|an|per|each)\s+[a-z]+\s+(?:a|per|each)\s+(month|year|week|day)\b|"
    r"(?:a|an|per|each|every|/|for\s+(?:a|an|the|one))\s*(month|year|week|day|seat|user|head|person|mo|yr)\b|"
    # "forty-nine euros monthly", not "ten weekly lessons": an adverb of the amount, not an adjective of a noun.
    r"(monthly|annually|yearly|weekly)\b(?!\s+(?!(?:in|on|for|and|or|billed|paid|up|upfront|plus|with|after|before|"
    r"until|from|at|to|which|so|but)\b)[A-Za-z]))",
)
_PERIOD_NAMES = {
    "mo": "month",
    "yr": "year",
    "monthly": "month",
    "annually": "year",
    "yearly": "year",
    "weekly": "week",
}


def prices(text: str) -> list[Price]:
    """Amounts of money: "€49", "49 EUR", "forty-nine euros a month", "$1,200 per year", and an amount said
    with a period but no currency ("eight hundred a month"), which only the caller can judge to be a price."""
    return list(_prices(text))


@lru_cache(maxsize=_READ_CACHE)
def _prices(text: str) -> tuple[Price, ...]:
    found: list[Price] = []
    for figure in spoken_numbers(text):
        start, end, currency = figure.start, figure.end, None
        before = _BEFORE.search(text[max(0, start - 5) : start])
        if text[start:end].lower().endswith(tuple(_NOTES)):
            currency = "GBP"
        elif before:
            currency = _SYMBOLS.get(before.group(1) or "", before.group(2))
            start -= len(before.group(0))
        else:
            after = _AFTER.match(text[end:])
            if after:
                code, word, symbol = after.groups()
                currency = code.upper() if code else _CURRENCY_WORDS[word.lower()] if word else _SYMBOLS[symbol]
                end += after.end()
        period = None
        per = _PERIOD.match(text[end:])
        if per:
            raw = next(g for g in per.groups() if g).lower()
            period = _PERIOD_NAMES.get(raw, raw)
            end += per.end()
        if currency is not None or period is not None:
            found.append(Price(figure.value, currency, period, start, end))
    return tuple(found)
