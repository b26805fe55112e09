"""Recognise who speaks from a line's label: `Name:`, `**Name:**`, `Name (Role):`, `[00:01:02] Name:`, ...

Plain text, Markdown and the text inside captions all label speakers the same handful of ways, so one
recogniser serves them all. A label must look like a name (at most five words, each capitalised, a number
or a name particle such as "van") so that prose like "Here's the thing: ..." stays speech.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.sources.timestamps import CLOCK_TIME, parse_clock_time


@dataclass(frozen=True, slots=True)
class SpeakerLabel:
    speaker: str
    words: str  # what follows the label on the same line; may be empty
    role: str | None = None
    time: float | None = None


_STAMP = r"(?:\\?\[[ \t]*" + CLOCK_TIME + r"[ \t]*\\?\]|\([ \t]*" + CLOCK_TIME + r"[ \t]*\)|" + CLOCK_TIME + ")"
_NAME = r"(?P<name>[^\W\d][\w.'’\- ]{0,59}?)"
_PARENS = r"(?:[ \t]*\((?P<paren1>[^()\n]{1,60})\))?(?:[ \t]*\((?P<paren2>[^()\n]{1,60})\))?"
_BOLD = r"(?:\*\*|__)"

# `Name: words`, with an optional leading stamp, optional bold (`**Name:**` or `**Name**:`) and parentheses.
_LABELLED_LINE = re.compile(
    "".join(
        (
            r"^[ \t]*(?:(?P<stamp>", _STAMP, r")[ \t]+)?",
            r"(?P<bold>", _BOLD, r")?", _NAME, _PARENS,
            r"(?(bold)(?:[ \t]*:[ \t]*", _BOLD, r"|", _BOLD, r"[ \t]*:)|[ \t]*:)",
            r"(?:[ \t]+|$)(?P<words>.*)$",
        )
    )
)  # fmt: skip
# Otter/Zoom style: `Name  00:01:02` alone on a line; the words follow on the next lines.
_NAME_AND_TIME_LINE = re.compile(
    "".join(
        (
            r"^[ \t]*(?P<bold>", _BOLD, r")?", _NAME, _PARENS, r"(?(bold)", _BOLD, r")",
            r"[ \t]+[\[(]?(?P<stamp>", CLOCK_TIME, r")[\])]?[ \t]*$",
        )
    )
)  # fmt: skip
_LEADING_STAMP = re.compile(r"^[ \t]*(?P<stamp>" + _STAMP + r")(?:[ \t]+|$)")
_STAMP_DIGITS = re.compile(CLOCK_TIME)

# Lower-case words that belong inside names ("Ludwig van Beethoven", "Maria de la Cruz").
_NAME_PARTICLES = frozenset(
    [
        "al",
        "bin",
        "da",
        "das",
        "de",
        "del",
        "della",
        "der",
        "di",
        "dos",
        "du",
        "el",
        "ibn",
        "la",
        "le",
        "ten",
        "ter",
        "van",
        "von",
        "y",
        "zu",
    ]
)
_MAX_NAME_WORDS = 5
# The titles of whoever asks the questions, where a label gives one ("Ana (Moderator):").
ASKING_TITLES = r"(?:host|co-?host|moderator|interviewer|facilitator|consultant|researcher)"
# A role written where the name goes, the name in brackets after it: "Moderator (Lena):", "Host (Sam Ortiz):".
_ROLE_FIRST = re.compile(rf"(?:the\s+)?(?:{ASKING_TITLES}|chair)", re.IGNORECASE)


def match_speaker_label(line: str) -> SpeakerLabel | None:
    """The speaker label at the start of `line`, or None when the line is just more words."""
    match = _LABELLED_LINE.match(line) or _NAME_AND_TIME_LINE.match(line)
    if match is None:
        return None
    name = " ".join(match["name"].split())
    if not looks_like_a_name(name):
        return None
    time = _stamp_seconds(match["stamp"])
    brackets: list[str] = []  # what the label says in brackets, other than a time: the last is the role
    for paren in (match["paren1"], match["paren2"]):
        if paren is None:
            continue
        paren_time = parse_clock_time(paren)
        if paren_time is None:
            brackets.append(" ".join(paren.split()))
        elif time is None:
            time = paren_time
    role = (brackets[-1] or None) if brackets else None
    if brackets and _ROLE_FIRST.fullmatch(name) and _a_person(brackets[0]):
        name, role = brackets[0], name  # "Moderator (Lena):" is Lena, the moderator, as "Lena (Moderator):" would be
    words = match.groupdict().get("words") or ""
    leading = _LEADING_STAMP.match(words)
    if leading:
        time = time if time is not None else _stamp_seconds(leading["stamp"])
        words = words[leading.end() :]
    return SpeakerLabel(speaker=name, words=words.strip(), role=role, time=time)


# Words a bracket after a role uses for a team, a place or a kind of guest, not a person: "Consultant (External)",
# "Chair (Finance)", "Interviewer (Customer Success)", "Host (Remote)", "Consultant (Acme Ltd)".
_NOT_A_PERSON = frozenset({
    "external", "internal", "remote", "guest", "guests", "customer", "customers", "client", "success", "sales",
    "finance", "marketing", "support", "product", "operations", "ops", "hr", "it", "legal", "engineering", "team",
    "group", "panel", "board", "anonymous", "unknown", "day", "session", "part", "lead", "senior", "junior", "ltd",
    "inc", "gmbh", "llc", "plc", "co", "corp", "company", "agency", "partner", "partners", "vendor", "staff",
})  # fmt: skip


def _a_person(bracket: str) -> bool:
    """Whether a bracket after a role names a person: one to three capitalised words, no digits, none a team's."""
    words = bracket.split()
    return (1 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words)
            and not _NOT_A_PERSON & {w.casefold() for w in words} and not _ROLE_FIRST.fullmatch(bracket))


def looks_like_a_name(name: str) -> bool:
    """True for "Jane Doe", "Speaker 2", "Q", "Ludwig van Beethoven"; False for "Here's the thing"."""
    words = name.split()
    if not 1 <= len(words) <= _MAX_NAME_WORDS:
        return False
    first, *rest = words
    if not first[0].isupper():
        return False
    return all(word[0].isupper() or word.isdigit() or word.casefold() in _NAME_PARTICLES for word in rest)


def _stamp_seconds(stamp: str | None) -> float | None:
    if stamp is None:
        return None
    digits = _STAMP_DIGITS.search(stamp)
    return parse_clock_time(digits.group()) if digits else None
