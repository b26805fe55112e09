"""A contradiction the stakeholder confirms ("both hold: it depends on the plan") is a possible duplication.

The probe quoted two of their sentences; when the answer says both hold, the value is being told two
ways: to different audiences (audience divergence) or at different stages (stage reframing). The two
sentences become propositions and a duplication links them, every quote grounded in the session like
any other evidence, for a person to accept or reject in the map pane.
"""

from __future__ import annotations

import re

from agent.grounding.evidence import ground_quote
from agent.interview.planning.memory import ElementGroups, sentences
from agent.interview.planning.near_duplicates import content_words
from schemas.elements import Duplication, DuplicationKind, ValueProposition
from schemas.evidence import Provenance, Quote
from schemas.extraction import DraftQuote
from schemas.interview import ElementChange, Probe, ProbeKind
from schemas.transcript import Transcript
from schemas.value_map import ValueMap

CONFIRMS_BOTH = re.compile(r"\b(both|each (?:one )?(?:holds|is true)|it depends|depends on|true for|in some cases|"
                           r"for some|sometimes)\b", re.IGNORECASE)
DENIES = re.compile(r"^\s*(no\b|neither|only the (first|second|earlier|later)|the (first|earlier) is wrong|"
                    r"i was wrong)", re.IGNORECASE)
AUDIENCES = re.compile(r"\b(admins?|users?|owners?|firms?|families|students|buyers|analysts|executives|clerks|"
                       r"controllers|enterprise|smbs?|solo|segments?|audiences?|plans?|tiers?|existing customers|"
                       r"new customers)\b", re.IGNORECASE)
QUOTED = re.compile(r"“([^”]+)”")


def confirms_contradiction(asked: Probe | None, said: str) -> bool:
    """Whether `said` answers a contradiction probe by saying both versions hold (cheap: words only)."""
    return (asked is not None and asked.kind is ProbeKind.CONTRADICTION and not DENIES.search(said)
            and CONFIRMS_BOTH.search(said) is not None)


def duplication_from_confirmation(value_map: ValueMap, transcript: Transcript, asked: Probe | None, said: str,
                                  *, speaker: str, provenance: Provenance, answer_index: int) -> list[ElementChange]:
    """The propositions and duplication a confirmed contradiction records; none when it was not confirmed."""
    if asked is None or not confirms_contradiction(asked, said):
        return []
    told = QUOTED.findall(asked.fallback_question)[:2]
    if len(told) < 2:
        return []
    quotes = [_grounded(text, transcript, speaker) for text in [*told, sentences(said)[0] if sentences(said) else said]]
    if any(q is None for q in quotes):
        return []
    earlier, later, confirmation = quotes
    assert earlier is not None and later is not None and confirmation is not None
    taken = {e.id for e in value_map.elements()}
    n = answer_index + 1
    ids = [_free(f"vp-told-{n}-{side}", taken) for side in ("a", "b")]
    propositions = [
        ValueProposition(id=ids[i], name=_short(quote.text), statement=quote.text, claims=[quote.text],
                         evidence=[quote], provenance=provenance, said_by=speaker)
        for i, quote in enumerate((earlier, later))
    ]
    groups = ElementGroups.of(value_map)
    words = set(content_words(earlier.text)) | set(content_words(later.text))
    thresholds = [t.id for t in value_map.thresholds if groups.words(groups.of_ids([t.id])) & words]
    kind = DuplicationKind.AUDIENCE_DIVERGENCE if AUDIENCES.search(said) else DuplicationKind.STAGE_REFRAMING
    duplication = Duplication(id=_free(f"dup-told-{n}", taken), name=f"Told two ways: {_short(earlier.text, 6)}",
                              detail="The stakeholder confirmed that both versions hold.", kind=kind,
                              proposition_ids=ids, threshold_ids=thresholds, evidence=[confirmation],
                              provenance=provenance)
    return [*(ElementChange(collection="propositions", element_id=p.id, element=p) for p in propositions),
            ElementChange(collection="duplications", element_id=duplication.id, element=duplication)]


def _grounded(text: str, transcript: Transcript, speaker: str) -> Quote | None:
    quote = ground_quote(DraftQuote(text=text, speaker=speaker), transcript)
    return quote if isinstance(quote, Quote) and quote.verified else None


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]).rstrip(",;:") + ("…" if len(parts) > words else "")


def _free(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    taken.add(candidate)
    return candidate
