"""Each answer changes the map by a patch: new elements, or new evidence for elements already there.

The answer is extracted on its own (with the question before it as context), assembled with the
same grounding as a transcript, and then matched against the session's map by kind and name, so a
thing said twice becomes one element with two quotes and the map is never regenerated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from agent.assembly import assemble_map
from agent.interview.session_state import SessionState
from schemas.evidence import Provenance
from schemas.extraction import DraftMap
from schemas.interview import ElementChange, PatchEvent
from schemas.transcript import Transcript
from schemas.value_map import ELEMENT_COLLECTIONS, REFERENCE_FIELDS, REFERENCE_LIST_FIELDS, ValueMap

DraftExtractor = Callable[[Transcript], DraftMap]



def latest_answer(transcript: Transcript) -> Transcript:
    """The last answer with the question before it: all an extractor needs to see for one patch."""
    last = max((t.index for t in transcript.turns if not t.interviewer), default=None)
    if last is None:
        return transcript.model_copy(update={"turns": []})
    keep = [t for t in transcript.turns if t.index in (last - 1, last)]
    return transcript.model_copy(update={"turns": keep})


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip()


def patch_from_drafts(
    state: SessionState, drafts: Sequence[DraftMap], answer: Transcript, *, provenance: Provenance, extractor: str
) -> PatchEvent:
    fragment, _stats = assemble_map([(draft, answer) for draft in drafts], provenance=provenance,
                                    sources=state.value_map.sources)
    changes = diff_into(state.value_map, fragment)
    return PatchEvent(at=datetime.now(UTC), answer_index=len(state.answers) - 1, extractor=extractor, changes=changes)


def answer_patch(
    state: SessionState, extract: DraftExtractor, *, provenance: Provenance, extractor: str
) -> PatchEvent:
    answer = latest_answer(state.transcript())
    return patch_from_drafts(state, [extract(answer)], answer, provenance=provenance, extractor=extractor)


def diff_into(current: ValueMap, fragment: ValueMap) -> list[ElementChange]:
    """Changes that fold `fragment` into `current`: known elements get evidence, new ones are added."""
    taken = {e.id for e in current.elements()}
    renamed: dict[str, str] = {}
    known: dict[str, str] = {}
    for collection in ELEMENT_COLLECTIONS:
        by_name = {_key(e.name): e.id for e in getattr(current, collection)}
        for element in getattr(fragment, collection):
            if _key(element.name) in by_name:
                known[element.id] = by_name[_key(element.name)]
                continue
            new_id, n = element.id, 2
            while new_id in taken:
                new_id, n = f"{element.id}-{n}", n + 1
            taken.add(new_id)
            renamed[element.id] = new_id
    mapping = {**renamed, **known}
    next_order = max((s.order for s in current.stages), default=-1) + 1
    changes: list[ElementChange] = []
    for collection in ELEMENT_COLLECTIONS:
        for element in getattr(fragment, collection):
            if element.id in known:
                if element.evidence:
                    changes.append(ElementChange(collection=collection, element_id=known[element.id],  # type: ignore[arg-type]
                                                 new_evidence=element.evidence))
                continue
            data = _remapped(element.model_dump(), mapping)
            if collection == "stages":  # told later in the conversation: placed after what the map has
                data["order"], next_order = next_order, next_order + 1
            changes.append(ElementChange.model_validate(
                {"collection": collection, "element_id": data["id"], "element": data}))
    return changes


def _remapped(data: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    data["id"] = mapping.get(data["id"], data["id"])
    for name in REFERENCE_FIELDS:
        if isinstance(data.get(name), str):
            data[name] = mapping.get(data[name], data[name])
    for name in REFERENCE_LIST_FIELDS:
        if name in data:
            data[name] = list(dict.fromkeys(mapping.get(v, v) for v in data[name]))
    for benefit in data.get("organisation_gives", []):
        if benefit.get("delivered_at_stage_id"):
            benefit["delivered_at_stage_id"] = mapping.get(benefit["delivered_at_stage_id"],
                                                           benefit["delivered_at_stage_id"])
    data.pop("verified", None)
    for quote in data.get("evidence", []):
        quote.pop("verified", None)
    return data
