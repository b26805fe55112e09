"""Whether a turn's speaker is the one a quote is credited to.

Models shorten names ("Maria" for "Maria Lopez"), change their case or add a role ("Maria (CEO)"), so
names match by whole words from the start; a different person never matches ("Speaker 1" is not
"Speaker 10"). An interviewer's turn is never evidence, whoever the quote is credited to.
"""

from __future__ import annotations

import re

_ROLE_SUFFIX = re.compile(r"\s*[(\[].*?[)\]]\s*$")


def speaker_words(name: str) -> tuple[str, ...]:
    """A speaker name as comparable words: case folded, role in brackets and a trailing colon dropped."""
    name = _ROLE_SUFFIX.sub("", name.strip().rstrip(":"))
    return tuple(re.findall(r"[^\W_]+", name.casefold()))


def same_speaker(credited: str, turn_speaker: str) -> bool:
    """True when one name is the other's first words ("Maria" / "Maria Lopez"), or a lone surname."""
    ours, theirs = speaker_words(credited), speaker_words(turn_speaker)
    if not ours or not theirs:
        return False
    shorter, longer = sorted((ours, theirs), key=len)
    if longer[: len(shorter)] == shorter:
        return True
    return len(ours) == 1 and ours[0] == theirs[-1]


def may_give_evidence(turn_speaker: str, credited: str | None) -> bool:
    """Whether words of `turn_speaker` may be evidence for a quote credited to `credited` (None: anyone).

    Interviewer turns are excluded by the caller, whoever speaks them. A turn without a speaker label
    cannot contradict the credit (plain transcripts have none), so it is accepted for any speaker.
    """
    if credited is None or not speaker_words(credited):
        return True
    return same_speaker(credited, turn_speaker)
