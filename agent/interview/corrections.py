"""Answers that correct the map, recognised by their wording and turned into proposed changes.

"The discount isn't a loss" proposes removing that loss; "it isn't required" proposes that a threshold
is only a point where the customer acts (the threshold goes, the VEP stays); "the price is 12, not 15"
proposes the same element with 12 where it said 15. Nothing changes until a person accepts, in the
map pane. The sentences that correct are also kept out of the answer's own extraction, so "the
discount isn't a loss" never adds a loss.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.interview.planning.memory import sentences
from agent.interview.planning.near_duplicates import content_words
from agent.interview.session_state import replace_figure
from schemas.elements import Element
from schemas.interview import CorrectionKind, ElementChange, Probe, ProposedCorrection
from schemas.value_map import ELEMENT_COLLECTIONS, ValueMap

# The framework's own words only: "it's not a step anyone enjoys" is not a correction of the map.
KIND_WORDS = {
    "loss": "losses", "losses": "losses", "threshold": "thresholds", "stage": "stages",
    "resistance": "resistances", "exchange": "exchanges", "duplication": "duplications",
    "value proposition": "propositions", "proposition": "propositions",
}
_NEGATED = r"(?:is|are|was|were|'s|’s)\s*(?:n't|n’t|\s+not)|(?:isn't|isn’t|aren't|aren’t|wasn't|wasn’t)"
NOT_A_KIND = re.compile(
    rf"(?P<subject>[\w\s'’-]{{0,60}}?)\s*(?:{_NEGATED})\s+(?:really\s+|actually\s+|even\s+)?an?\s+"
    rf"(?P<kind>value proposition|{'|'.join(k for k in KIND_WORDS if ' ' not in k)})\b",
    re.IGNORECASE,
)
NOT_REQUIRED = re.compile(
    rf"(?P<subject>[\w\s'’-]{{0,60}}?)\s*(?:{_NEGATED})\s+(?:really\s+|actually\s+|even\s+|strictly\s+)?"
    r"(?:required|mandatory|compulsory|a requirement|a condition)\b"
    r"|(?P<subject2>[\w\s'’-]{0,60}?)\s+(?:is|are)\s+(?:actually\s+|really\s+)?optional\b",
    re.IGNORECASE,
)
_NUMBER = r"\d+(?:[.,]\d+)?"
NOT_THIS_NUMBER = re.compile(
    rf"(?P<subject>[\w\s'’-]{{0,60}}?)\s*(?:is|are|was|were|'s|’s)?\s*(?:actually\s+|really\s+)?"
    rf"[$€£]?(?P<new>{_NUMBER})[^,.;\d]{{0,20}}?,?\s+not\s+[$€£]?(?P<old>{_NUMBER})"
    rf"|not\s+[$€£]?(?P<old2>{_NUMBER})[^,.;\d]{{0,20}}?,?\s+but\s+[$€£]?(?P<new2>{_NUMBER})",
    re.IGNORECASE,
)
_MAY_CORRECT = re.compile(r"not|n['’]t|optional", re.IGNORECASE)
PRONOUNS = frozenset({"it", "that", "this", "they", "those", "these", "which"})


@dataclass(frozen=True)
class FoundCorrections:
    corrections: list[ProposedCorrection]
    sentences: frozenset[str]  # the answer's sentences that correct: not extracted as new facts


def find_corrections(answer: str, answer_index: int, value_map: ValueMap, asked: Probe | None) -> FoundCorrections:
    """The corrections one answer makes to the map (see the module's docstring)."""
    found: list[ProposedCorrection] = []
    correcting: set[str] = set()
    for sentence in sentences(answer):
        if _MAY_CORRECT.search(sentence) is None:
            continue  # every correction pattern needs one of these words; their lazy subjects are costly to try
        for match in NOT_A_KIND.finditer(sentence):
            collection = KIND_WORDS[match.group("kind").casefold()]
            target = _target(value_map, collection, match.group("subject"), asked)
            correcting.add(sentence)
            if target is not None:
                found.append(_proposal(CorrectionKind.REMOVE, collection, target, sentence, answer_index, len(found),
                                       f"remove the {target.kind_name} “{target.name}”: not a {match.group('kind')}"))
        for match in NOT_REQUIRED.finditer(sentence):
            subject = match.group("subject") or match.group("subject2") or ""
            target = _target(value_map, "thresholds", subject, asked)
            correcting.add(sentence)
            if target is not None:
                found.append(_proposal(CorrectionKind.RETYPE, "thresholds", target, sentence, answer_index,
                                       len(found), f"“{target.name}” is not a threshold: customers go on without "
                                       "crossing it (it stays a point where they act)"))
        for match in NOT_THIS_NUMBER.finditer(sentence):
            new = match.group("new") or match.group("new2")
            old = match.group("old") or match.group("old2")
            correcting.add(sentence)
            edit = _number_edit(value_map, old, new, match.group("subject") or "", asked)
            if edit is not None:
                collection, element, edited = edit
                found.append(_proposal(CorrectionKind.EDIT, collection, element, sentence, answer_index, len(found),
                                       f"in the {element.kind_name} “{element.name}”: {new}, not {old}", edited))
    return FoundCorrections(_unique(found), frozenset(correcting))


def _proposal(kind: CorrectionKind, collection: str, element: Element, sentence: str, answer_index: int, n: int,
              description: str, edited: Element | None = None) -> ProposedCorrection:
    change = None if edited is None else ElementChange.model_validate(
        {"collection": collection, "element_id": element.id, "element": edited})
    return ProposedCorrection.model_validate({
        "id": f"fix-{answer_index + 1}-{n + 1}", "kind": kind, "collection": collection, "element_id": element.id,
        "element_name": element.name, "said": sentence, "answer_index": answer_index, "description": description,
        "edited": change})


def _unique(found: list[ProposedCorrection]) -> list[ProposedCorrection]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for correction in found:
        if (correction.kind, correction.element_id) not in seen:
            seen.add((correction.kind, correction.element_id))
            kept.append(correction)
    return kept


def _target(value_map: ValueMap, collection: str, subject: str, asked: Probe | None) -> Element | None:
    """The element a correction is about: the one its words name best; for "it"/"that", the one just asked about."""
    items: Sequence[Element] = getattr(value_map, collection)
    if not items:
        return None
    words = [w for w in content_words(subject) if w not in PRONOUNS]
    if words:
        scored = [(_overlap(words, element), -i, element) for i, element in enumerate(items)]
        best = max(scored, key=lambda s: (s[0], s[1]))
        if best[0] > 0:
            return best[2]
    asked_ids = set(asked.element_ids) if asked is not None else set()
    related = _related_ids(value_map, asked_ids)
    for element in reversed(items):
        if element.id in related:
            return element
    return None if words else items[-1]


def _overlap(words: list[str], element: Element) -> float:
    said = set(content_words(element.name))
    for quote in element.evidence:
        said.update(content_words(quote.text))
    return sum(1 for w in words if w in said) / len(words)


def _related_ids(value_map: ValueMap, ids: set[str]) -> set[str]:
    """The elements asked about and the ones anchored to them (a threshold for its VEP, and back)."""
    related = set(ids)
    for threshold in value_map.thresholds:
        if threshold.vep_id in ids or threshold.id in ids:
            related.update({threshold.id, threshold.vep_id})
    for vep in value_map.veps:
        if vep.stage_id in ids:
            related.add(vep.id)
    return related


def _number_edit(value_map: ValueMap, old: str, new: str, subject: str, asked: Probe | None
                 ) -> tuple[str, Element, Element] | None:
    """The element that says `old`, and the same element saying `new`; the best-named one first."""
    candidates: list[tuple[float, int, str, Element, Element]] = []
    words = [w for w in content_words(subject) if w not in PRONOUNS and not w[0].isdigit()]
    asked_ids = _related_ids(value_map, set(asked.element_ids)) if asked is not None else set()
    for collection in ELEMENT_COLLECTIONS:
        for position, element in enumerate(getattr(value_map, collection)):
            data = element.model_dump(exclude={"evidence"})  # what was said stays what was said
            if not replace_figure(data, old, new):
                continue
            figure = replace_figure(element.model_dump(exclude={"evidence", "name", "detail"}), old, new, texts=False)
            edited = element.model_copy(update={k: getattr(type(element).model_validate(
                {**data, "evidence": []}), k) for k in data})
            score = ((_overlap(words, element) if words else 0) + (0.5 if element.id in asked_ids else 0)
                     + (1.0 if figure else 0))
            candidates.append((score, position, collection, element, edited))
    if not candidates:
        return None
    _score, _position, collection, element, edited = max(candidates, key=lambda c: (c[0], c[1]))
    return collection, element, edited
