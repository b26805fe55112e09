"""Where two maps cite the same words: verified quotes compared by source and character span.

A predicted map may name its sources differently from the gold map (an extractor picks its own ids), so
sources correspond by id first and, failing that, by path. Only verified quotes count: an unverified
quote is not evidence (FRAMEWORK.md, "Evidence").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath
from typing import NamedTuple

from schemas.elements import Element, Source
from schemas.evaluation import SourceLink, SourcePair
from schemas.value_map import ValueMap

# Two quotes overlap when the characters they share are at least half of the shorter quote, or at least
# 30 characters (about six words of the same source text), whichever comes first. Gold quotes are
# sentences of 12 to 210 characters (median about 65), so a span shifted by a few words still counts.
MIN_SHARED_FRACTION = 0.5
MIN_SHARED_CHARS = 30

_SPACE = re.compile(r"\s+")


class EvidenceSpan(NamedTuple):
    """One verified quote: the source it is in (as a key both maps share) and where."""

    source_key: str
    start: int | None
    end: int | None
    text: str

    @property
    def length(self) -> int:
        if self.start is not None and self.end is not None:
            return self.end - self.start
        return len(_folded(self.text))


class SpanOverlap(NamedTuple):
    shared_chars: int
    score: float  # shared / the longer span: 1.0 only when the spans coincide


def _folded(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _path_parts(path: str) -> tuple[str, ...]:
    return tuple(part for part in PurePath(path.replace("\\", "/")).parts if part not in ("", ".", "/"))


def _same_file(first: str, second: str) -> bool:
    # Paths are written relative to wherever a map was made, so one may be a tail of the other:
    # "interview.md" and "transcripts/legal-platform/interview.md" name the same file.
    a, b = _path_parts(first), _path_parts(second)
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return bool(shorter) and longer[len(longer) - len(shorter):] == shorter


def corresponding_sources(predicted: ValueMap, gold: ValueMap) -> list[SourcePair]:
    """Each predicted source's gold counterpart: the gold source with its id, else the one whose path
    names the same file (an ambiguous path matches nothing), else none."""
    gold_ids = {source.id for source in gold.sources}
    pairs = []
    for source in predicted.sources:
        if source.id in gold_ids:
            pairs.append(SourcePair(predicted_id=source.id, gold_id=source.id, link=SourceLink.SAME_ID))
            continue
        same = _gold_sources_at(source, gold.sources)
        if len(same) == 1:
            pairs.append(SourcePair(predicted_id=source.id, gold_id=same[0].id, link=SourceLink.SAME_PATH))
        else:
            pairs.append(SourcePair(predicted_id=source.id))
    return pairs


def source_keys(pairs: Iterable[SourcePair], gold: ValueMap) -> tuple[dict[str, str], dict[str, str]]:
    """For each map, source id -> a key that is equal exactly when the two sources are the same file."""
    gold_keys = {source.id: f"gold:{source.id}" for source in gold.sources}
    predicted_keys = {
        pair.predicted_id: gold_keys[pair.gold_id] if pair.gold_id is not None else f"predicted:{pair.predicted_id}"
        for pair in pairs
    }
    return predicted_keys, gold_keys


def _gold_sources_at(source: Source, gold_sources: Iterable[Source]) -> list[Source]:
    if not source.path:
        return []
    return [g for g in gold_sources if g.path and _same_file(source.path, g.path)]


def spans_of(element: Element, keys: dict[str, str]) -> list[EvidenceSpan]:
    """The element's verified quotes as spans; a quote on an unknown source keys to itself."""
    return [
        EvidenceSpan(keys.get(q.source_id, f"unknown:{q.source_id}"), q.start, q.end, q.text)
        for q in element.verified_evidence
    ]


def shared_chars(first: EvidenceSpan, second: EvidenceSpan) -> int:
    """Characters two spans share; without offsets on both, the shorter text if the longer contains it."""
    if first.source_key != second.source_key:
        return 0
    if first.start is not None and first.end is not None and second.start is not None and second.end is not None:
        return max(0, min(first.end, second.end) - max(first.start, second.start))
    a, b = _folded(first.text), _folded(second.text)
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return len(shorter) if shorter and shorter in longer else 0


def quotes_overlap(shared: int, first: EvidenceSpan, second: EvidenceSpan) -> bool:
    shorter = min(first.length, second.length)
    return shared > 0 and (shared >= MIN_SHARED_CHARS or shared >= MIN_SHARED_FRACTION * shorter)


def best_overlap(predicted: list[EvidenceSpan], gold: list[EvidenceSpan]) -> SpanOverlap | None:
    """The best-overlapping pair of quotes between two elements, or None when no pair overlaps enough."""
    best: SpanOverlap | None = None
    for p in predicted:
        for g in gold:
            shared = shared_chars(p, g)
            if not quotes_overlap(shared, p, g):
                continue
            overlap = SpanOverlap(shared, min(1.0, shared / max(p.length, g.length)))
            if best is None or overlap.score > best.score:
                best = overlap
    return best
