"""What the rest of the engagement brings to an interview: other people's words, and the engagement map.

Inside a workspace, the interviewer can set what this stakeholder says against what others said
("Sales described onboarding as a two-day setup; how does that match what you see?"), always quoting
the other source verbatim and naming it, and the checks run on the engagement map with this session in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agent.synthesis import synthesize
from schemas.interview import Probe, ProbeKind
from schemas.value_map import ValueMap

MAX_QUOTE_WORDS = 28


@dataclass(frozen=True)
class OtherVoice:
    """A passage from another source: who said it, where, and their exact words."""

    source_id: str
    speaker: str | None
    role: str | None
    text: str


OthersSaid = Callable[[str], Sequence[OtherVoice]]


@dataclass(frozen=True)
class EngagementContext:
    others_said: OthersSaid | None = None
    engagement_map: ValueMap | None = None

    def map_to_check(self, session_map: ValueMap) -> ValueMap:
        """The engagement map with this session folded in (by identical names: cheap enough for every turn)."""
        if self.engagement_map is None or not self.engagement_map.element_count():
            return session_map
        return synthesize([self.engagement_map, session_map], title=self.engagement_map.title).value_map


def quotable(text: str) -> str:
    """The first sentence of a passage, cut at a word if long: still the speaker's own words, in order."""
    sentence = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    words = sentence.split()
    return " ".join(words[:MAX_QUOTE_WORDS]).rstrip(",;:") + (" …" if len(words) > MAX_QUOTE_WORDS else "")


def cross_reference(probe: Probe, voices: Sequence[OtherVoice], session_id: str) -> Probe | None:
    """The probe re-asked in the light of what someone else said, or None when nobody else spoke to it."""
    other = next((v for v in voices if v.source_id != session_id and v.text.strip()), None)
    if other is None:
        return None
    who = other.speaker or "Someone"
    if other.role:
        who += f" ({other.role})"
    quote = quotable(other.text)
    return Probe(
        kind=ProbeKind.FOLLOW_UP,
        step=probe.step,
        intent=f"{probe.intent} Set it against what {who} said in {other.source_id}: \u201c{quote}\u201d",
        fallback_question=f"In {other.source_id}, {who} said: \u201c{quote}\u201d. How does that match what you see?",
        element_ids=probe.element_ids,
        finding_code=probe.finding_code,
        priority=probe.priority,
    )
