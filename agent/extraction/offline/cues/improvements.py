"""Cue: improvements made to a stage ("review time cut 30%"), which the efficiency-trap check weighs.

An improvement is a change the organisation *made* to its own activity: a past or present-perfect
verb of reduction or speed ("we cut it by thirty percent", "it's now half a day", "we automated the
review"), not a benefit promised to the customer ("cut your processing time by 70%") - those are
value claims, said in the second person or inside a quoted slogan.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from agent.extraction.offline.cues import phrases
from agent.extraction.offline.cues.caseless import caseless
from agent.extraction.offline.numbers import spoken_numbers

IMPROVEMENT = phrases((
    r"(?:cut|reduced|lowered|halved|shaved|slashed|trimmed|shortened|sped up|speeded up|improved|streamlined|"
    r"automated|redesigned|optimi[sz]ed) (?:[\w-]+ ){0,5}(?:by|from|to|in half|under|down)",
    r"(?:brought|got|went|came) (?:\w+ ){0,3}down (?:from|to|under)", r"(?:went|dropped) from (?:[\w-]+ ){1,6}to",
    r"(?:took|brought|got) (?:[\w-]+ ){1,3}from (?:[\w-]+ ){1,6}to",
    r"(?:time|times|costs?|turnaround|backlog|hours|minutes|days) (?:dropped|fell|came down|went down) (?:by|from|to)",
    # Now, after a change: "now it's about twenty minutes", "and now it's same-day".
    r"now (?:it's|it is|that's|they're|it takes|takes) (?:only |just |about |around |under |down to |less than )?"
    r"(?:[\w-]+ ){0,2}(?:hours?|days?|minutes?|weeks?|percent|%|same-day|same day)",
    r"(?:\d+|\w+) ?(?:%|percent) (?:faster|quicker|shorter|less|fewer|lower)",
    r"(?:is|are|'s|got|gets|has got|became) (?:now )?(?:much |a lot |way |a bit )?(?:faster|quicker|shorter|cheaper) now",
    r"(?:is|are|'s) now (?:around|about|under|only|just)? ?(?:\w+ ){0,2}(?:hours?|days?|minutes?|weeks?|percent|%)",
    r"now takes (?:only |just |about |around )?", r"(?:we|they) automated", r"brought (?:\w+ ){0,3}under",
    r"(?:cut|reduced|halved) (?:it|that|the \w+(?: \w+)?)",
    r"(?:it's|it is|is|are) (?:now )?(?:fully |completely )automat(?:ic|ed)",
    r"\bnow (?:the \w+ |it |we )?(?:\w+ ){0,3}(?:goes out|go out|takes|arrives?|happens|is done|gets done|comes back) "
    r"(?:by|in|within|under|the same)",
))  # fmt: skip
# The "then" of a then-and-now said over two sentences: "It used to take me half a day." "I wrote a little script
# and it's about forty minutes now." (`improvement_over`).
_USED_TO = phrases((r"used to (?:take|be|cost|need|run)", r"(?:I|we) used to spend"))
_NOW = phrases((r"now", r"these days", r"nowadays", r"since (?:the new|we|I|last|this|january|february|march|april|may|june|"
                r"july|august|september|october|november|december|spring|summer|autumn|winter|\d{4})"))
# Where the "now" of a then-and-now begins in one sentence: "It used to take twenty-five minutes a pair, and with
# the new test box it's eight."; "That took the categorising from three days a month to a day and a half."
_CLAUSE_BREAK = caseless(r",|;|\b(?:and|but|so|now|these days|nowadays|since)\b")
# The figure of the "now" follows a word that gives it: "it's eight", "takes twenty minutes", "now about six". A
# number said anywhere else ("and I was the only one doing it", "on 1 March") is no time.
_NOW_SAID = caseless(r"\b(?:it's|it is|that's|that is|takes|take|down to|now|these days|nowadays)\b")
# "took the checking from three days to one": a duration straight after "from", and a time straight after "to".
_FROM_TO = caseless(r"\b(?:took|take|takes|brought|cut|got|went)\b(?:\s[\w-]+){0,4}?\s+from\s+")
_TO = caseless(r"\bto\s+")
_ROUGHLY = caseless(r"(?:(?:about|around|roughly|nearly|almost|over|under|just|only|barely|less than)\s+)*")
_INSTEAD_OF = phrases((r"instead of",))
# How long a piece of work takes, in minutes of a working day: "half a day", "forty-five minutes", "a full morning".
_UNIT_MINUTES = {"minute": 1, "min": 1, "hour": 60, "morning": 240, "afternoon": 240, "evening": 240, "day": 480,
                 "week": 2400, "month": 9600}
_DURATION = caseless(
    r"(?<![\w'])(?P<amount>half an?|three quarters of an?|an?|(?:the )?same|[\w-]+(?: and a half)?)\s+(?:(?:full|whole|working)\s+)?"
    r"(?P<unit>minute|min|hour|morning|afternoon|evening|day|week|month)s?(?P<half>\s+and a half)?(?![\w'])",
)
# "The same day" is a time only where it ends the clause ("done the same afternoon"), not in "the same day rate".
_CLAUSE_END = caseless(r"\s*(?:[.,;:!?]|$|now\b)")
_CUSTOMER_VOICE = caseless(r'^\s*(?:"|cut your|reduce your|save|you\b)|\byour\b')


_MEASURED = phrases((
    r"\d+", r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|half|third|quarter", r"faster", r"quicker", r"shorter", r"cheaper", r"automat\w*",
    r"halved", r"percent", r"next (?:morning|day)", r"overnight", r"same[- ]day",
    r"an? (?:full |whole )?(?:hour|day|week|morning|afternoon|evening)",
))  # fmt: skip


def find_improvement(plain: str) -> re.Match[str] | None:
    """The improvement cue in a sentence about the organisation's own work, or None.

    The change must be measured or named as a speed-up ("cut by thirty percent", "faster now", "automated"):
    "it went from tech only to ..." is a story, not an improvement to a stage.
    """
    compared = _then_and_now(plain)
    if compared is not None and compared.now >= compared.then:
        return None  # "It used to take an hour, and now it takes half a day": slower, whatever words say "now"
    match = (IMPROVEMENT.search(plain) or (_INSTEAD_OF.search(plain) if _quicker_instead(plain) else None)
             or (compared.cue if compared is not None else None))
    if match is None or _CUSTOMER_VOICE.search(plain) or _inside_quotes(plain, match.start()):
        return None
    return match if _MEASURED.search(plain) else None


def improvement_over(then: str, now: str) -> bool:
    """Whether two sentences of one turn say the organisation's own work got quicker: the first what it "used to
    take", the second less, now ("That used to take me a full day in Word." "We moved it onto the template in April
    and it's about two hours now."). Longer now ("used to take three weeks ... now it's closer to two months") and
    talk that is not a duration ("four in ten rebooked ... now a quarter") are no improvement."""
    used = _USED_TO.search(then)
    if used is None or _NOW.search(now) is None or _CUSTOMER_VOICE.search(f"{then} {now}"):
        return False
    before = _durations(then[used.start() :])
    after = _minutes_now(now, before[0][1]) if before else []
    return bool(after) and after[0] < before[0][0]


class _ThenAndNow(NamedTuple):
    cue: re.Match[str]  # where the "then" is said
    then: float  # minutes
    now: float


def _then_and_now(plain: str) -> _ThenAndNow | None:
    """Then and now in one sentence, however far apart: what it "used to take", then, after a clause break, the time
    said for now ("It used to take twenty-five minutes a pair, and with the new test box it's eight."); or a duration
    took "from" one "to" another. None where either time is not said."""
    then = _USED_TO.search(plain)
    if then is not None:
        said = _durations_at(plain[then.end() :])
        if not said:
            return None
        minutes, unit, end, _ = said[0]
        after_then = plain[then.end() + end :]
        turn = _CLAUSE_BREAK.search(after_then)
        after = _minutes_now(after_then[turn.start() :], unit) if turn else []
        return _ThenAndNow(then, minutes, after[0]) if after else None
    then = _FROM_TO.search(plain)
    if then is None:
        return None
    rest = plain[then.end() :]
    said = _durations_at(rest)
    if not said or said[0][3] != _roughly_said(rest):  # "from a client three days ago" is no "from" a time
        return None
    minutes, unit, end, _ = said[0]
    to = _TO.search(rest, end)
    if to is None:
        return None
    now = rest[to.end() :]
    now = now[_roughly_said(now) :]
    after = [m for m, _, _, at in _durations_at(now) if at == 0] or [
        f.value * unit for f in spoken_numbers(now) if f.start == 0]
    return _ThenAndNow(then, minutes, after[0]) if after else None


def _roughly_said(text: str) -> int:
    """Where `text` begins to say a figure, past "about", "just under" and the like."""
    hedge = _ROUGHLY.match(text)
    return hedge.end() if hedge else 0


def _quicker_instead(plain: str) -> bool:
    """"Now a job card takes me about five minutes instead of twenty": the time now is less than the one it
    replaced (a bare number after "instead of" is in the unit said before it)."""
    instead = _INSTEAD_OF.search(plain)
    if instead is None or _NOW.search(plain) is None:
        return False
    before = _durations(plain[: instead.start()])
    after = _minutes_said(plain[instead.end() :], before[-1][1]) if before else []
    return bool(after) and before[-1][0] < after[0]


def _minutes_said(text: str, unit: int) -> list[float]:
    """The durations said in `text`, in minutes; where it says none, its bare numbers in `unit` ("it's about
    fifteen now" after "forty-five minutes")."""
    return [minutes for minutes, _ in _durations(text)] or [f.value * unit for f in spoken_numbers(text)]


def _minutes_now(text: str, unit: int) -> list[float]:
    """The time a then-and-now says it takes now: the figures after the first word that gives one ("it's", "takes",
    "now"), durations first, else bare numbers in `unit`; nothing if no such word is said."""
    said = _NOW_SAID.search(text)
    return _minutes_said(text[said.end() :], unit) if said else []


def _durations(text: str) -> list[tuple[float, int]]:
    """Every duration said in `text`, as (minutes, minutes in its unit), in order."""
    return [(minutes, unit) for minutes, unit, _, _ in _durations_at(text)]


def _durations_at(text: str) -> list[tuple[float, int, int, int]]:
    """Every duration said in `text`, as (minutes, minutes in its unit, where it ends, where it starts), in order.
    "The same day" is one only where it ends the clause ("now it's done the same afternoon"), not in "the same day
    rate"."""
    found = []
    for match in _DURATION.finditer(text):
        amount = match.group("amount").lower()
        if amount.startswith("half"):
            value = 0.5
        elif amount.startswith("three quarters"):
            value = 0.75
        elif amount in ("a", "an"):
            value = 1.0
        elif amount in ("same", "the same"):
            if not _CLAUSE_END.match(text, match.end()):
                continue
            value = 1.0
        else:
            figures = spoken_numbers(amount)
            if not figures:
                continue
            value = figures[0].value  # "two and a half" is 2.5
        if match.group("half"):
            value += 0.5  # "a day and a half"
        unit = _UNIT_MINUTES[match.group("unit").lower()]
        found.append((value * unit, unit, match.end(), match.start()))
    return found


def _inside_quotes(plain: str, offset: int) -> bool:
    return plain[:offset].count('"') % 2 == 1
