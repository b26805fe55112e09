"""Cue: improvements made to a stage ("review time cut 30%"), which the efficiency-trap check weighs.

An improvement is a change the organisation *made* to its own activity: a past or present-perfect
verb of reduction or speed ("we cut it by thirty percent", "it's now half a day", "we automated the
review"), not a benefit promised to the customer ("cut your processing time by 70%") - those are
value claims, said in the second person or inside a quoted slogan.
"""

from __future__ import annotations

import re

from agent.extraction.offline.cues import phrases

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
    # Then and now in one breath: "it used to take twenty minutes per learner ... so now it's about five".
    r"used to (?:take|be|cost|need)\b[^.;]{0,100}?\bnow\b",
))  # fmt: skip
_CUSTOMER_VOICE = re.compile(r'^\s*(?:"|cut your|reduce your|save|you\b)|\byour\b', re.IGNORECASE)


_MEASURED = phrases((
    r"\d+", r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|half|third|quarter", r"faster", r"quicker", r"shorter", r"cheaper", r"automat\w*",
    r"halved", r"percent", r"next (?:morning|day)", r"overnight", r"same[- ]day",
))  # fmt: skip


def find_improvement(plain: str) -> re.Match[str] | None:
    """The improvement cue in a sentence about the organisation's own work, or None.

    The change must be measured or named as a speed-up ("cut by thirty percent", "faster now", "automated"):
    "it went from tech only to ..." is a story, not an improvement to a stage.
    """
    match = IMPROVEMENT.search(plain)
    if match is None or _CUSTOMER_VOICE.search(plain) or _inside_quotes(plain, match.start()):
        return None
    return match if _MEASURED.search(plain) else None


def _inside_quotes(plain: str, offset: int) -> bool:
    return plain[:offset].count('"') % 2 == 1
