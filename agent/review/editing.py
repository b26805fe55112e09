"""Decisions applied to a map: pure functions, map in, map out; a decision that cannot stand is refused.

Every change a person makes marks what it touched as reviewed by them (confirmed, or edited when they
changed it), so reports can tell what a person stands behind from what an extractor proposed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import get_args, get_origin

from pydantic import ValidationError

from agent.errors import VsmError
from agent.interview.session_state import remove_element, standing_on
from agent.review.decisions import Decision, DecisionKind
from agent.review.details import DetailRefused, set_details
from agent.review.entries import EntryChange, EntryRefused, change_entry
from schemas.elements import (
    Duplication,
    DuplicationKind,
    Element,
    GiveGetExchange,
    Loss,
    LossKind,
    Purchase,
    Resistance,
    Stage,
    Threshold,
    ValueEvocationPoint,
    ValueProposition,
)
from schemas.evidence import ProposedBy, Provenance, Quote, Review
from schemas.value_map import (
    COLLECTIONS,
    ELEMENT_COLLECTIONS,
    REFERENCE_FIELDS,
    REFERENCE_LIST_FIELDS,
    REQUIRED_REFERENCE,
    ValueMap,
)

ID_PREFIX = {"stages": "st", "veps": "vep", "resistances": "res", "thresholds": "th", "exchanges": "ex",
             "propositions": "vp", "duplications": "dup", "losses": "loss"}

# Which field of the first kind names an element of the second (a loss -> its duplication: duplication_ids).
LINK_FIELDS: dict[tuple[str, str], str] = {
    ("veps", "stages"): "stage_id", ("veps", "propositions"): "proposition_ids",
    ("resistances", "veps"): "vep_id", ("resistances", "thresholds"): "vep_id",
    ("thresholds", "veps"): "vep_id", ("exchanges", "thresholds"): "threshold_id",
    ("propositions", "veps"): "used_at_ids", ("propositions", "thresholds"): "used_at_ids",
    ("propositions", "stages"): "used_at_ids",
    ("duplications", "propositions"): "proposition_ids", ("duplications", "thresholds"): "threshold_ids",
    ("losses", "duplications"): "duplication_ids", ("losses", "thresholds"): "threshold_ids",
}


class ReviewRefused(VsmError):
    """The decision would break the map; the message says why and what to do first."""


def kind_of(collection: str) -> str:
    return COLLECTIONS[collection].kind_name


def locate(value_map: ValueMap, element_id: str | None) -> tuple[str, Element]:
    for collection in ELEMENT_COLLECTIONS:
        for element in getattr(value_map, collection):
            if element.id == element_id:
                return collection, element
    raise ReviewRefused(f"{element_id!r} is not in the map (it may have been rejected or merged)")


def _replace(value_map: ValueMap, collection: str, element_id: str, new: Element) -> ValueMap:
    items = [new if item.id == element_id else item for item in getattr(value_map, collection)]
    return value_map.model_copy(update={collection: items})


def _reviewed(element: Element, review: Review, person: str) -> Element:
    provenance = element.provenance.model_copy(update={"review": review, "person": person or None})
    return element.model_copy(update={"provenance": provenance})


def _slug(text: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split()[:6]) or "element"


def new_id(value_map: ValueMap, collection: str, name: str) -> str:
    used = {e.id for e in value_map.elements()} | {s.id for s in value_map.sources}
    base = f"{ID_PREFIX[collection]}-{_slug(name)}"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def dependents(value_map: ValueMap, element_id: str) -> list[Element]:
    """The elements that cannot stand without `element_id` (a threshold on a VEP, ...), transitively."""
    gone = standing_on(value_map, element_id) - {element_id}
    return [e for e in value_map.elements() if e.id in gone]


def suggested_reference(value_map: ValueMap, collection: str, near: Quote | None) -> str | None:
    """For a kind that needs a reference, the candidate told nearest to `near` (else the last one)."""
    if collection not in REQUIRED_REFERENCE:
        return None
    candidates: list[Element] = list(getattr(value_map, REQUIRED_REFERENCE[collection][1]))
    if not candidates:
        return None
    if near is None or near.start is None:
        return candidates[-1].id

    def distance(element: Element) -> int:
        spans = [abs(q.start - near.start) for q in element.verified_evidence  # type: ignore[operator]
                 if q.source_id == near.source_id and q.start is not None]
        return min(spans, default=10**12)

    return min(candidates, key=distance).id


def _required(value_map: ValueMap, collection: str, references: dict[str, str], near: Quote | None) -> dict[str, object]:
    if collection not in REQUIRED_REFERENCE:
        return {}
    field_name, target = REQUIRED_REFERENCE[collection]
    ref = references.get(field_name) or suggested_reference(value_map, collection, near)
    if ref is None:
        raise ReviewRefused(f"a {kind_of(collection)} needs a {kind_of(target)} to stand on, and the map has none: "
                            f"make the {kind_of(target)} first")
    if ref not in {e.id for e in getattr(value_map, target)}:
        raise ReviewRefused(f"{ref!r} is not a {kind_of(target)}: a {kind_of(collection)}'s {field_name} must name one")
    return {field_name: [ref] if field_name.endswith("_ids") else ref}


def build_element(value_map: ValueMap, collection: str, *, element_id: str, name: str, detail: str,
                  evidence: list[Quote], provenance: Provenance, references: dict[str, str]) -> Element:
    """A new element of `collection` with what a person gave (words, evidence) and honest defaults."""
    near = evidence[0] if evidence else None
    fields: dict[str, object] = {"id": element_id, "name": name, "detail": detail, "evidence": evidence,
                                 "provenance": provenance, **_required(value_map, collection, references, near)}
    model = COLLECTIONS[collection]
    if model is Stage:
        fields["order"] = max((s.order for s in value_map.stages), default=-1) + 1
    elif model is ValueEvocationPoint:
        fields["customer_action"] = name
    elif model is ValueProposition:
        fields["statement"] = detail or (near.text if near else name)
    elif model is Duplication:
        fields["kind"] = DuplicationKind.LAYERING
    elif model is Loss:
        fields["kind"] = LossKind.OTHER
    assert model in (Stage, ValueEvocationPoint, Resistance, Threshold, GiveGetExchange, ValueProposition,
                     Duplication, Loss)
    element: Element = model.model_validate(fields)  # type: ignore[assignment]
    return element


def _check(value_map: ValueMap) -> ValueMap:
    """Validate the changed map as a whole (references land, ids unique); a failure is a refusal."""
    try:
        return ValueMap.model_validate(value_map.model_dump())
    except ValueError as err:
        raise ReviewRefused(str(err).splitlines()[-1]) from None


def _add_quote(evidence: Iterable[Quote], quote: Quote) -> list[Quote]:
    kept = list(evidence)
    if any((q.source_id, q.start, q.end) == (quote.source_id, quote.start, quote.end) for q in kept):
        raise ReviewRefused("that passage is already evidence of this element")
    return [*kept, quote]


def _redirect(value_map: ValueMap, old: str, new: str) -> ValueMap:
    """Every reference to `old` names `new` instead (lists keep one copy)."""
    updates: dict[str, list[Element]] = {}
    for collection in ELEMENT_COLLECTIONS:
        items = []
        for item in getattr(value_map, collection):
            change: dict[str, object] = {}
            for name in REFERENCE_FIELDS:
                if getattr(item, name, None) == old:
                    change[name] = new
            for name in REFERENCE_LIST_FIELDS:
                refs = getattr(item, name, None)
                if isinstance(refs, list) and old in refs:
                    change[name] = list(dict.fromkeys(new if r == old else r for r in refs if not (r == new and item.id == new)))
            if isinstance(item, GiveGetExchange) and any(b.delivered_at_stage_id == old for b in item.organisation_gives):
                change["organisation_gives"] = [b.model_copy(update={"delivered_at_stage_id": new})
                                                if b.delivered_at_stage_id == old else b for b in item.organisation_gives]
            items.append(item.model_copy(update=change) if change else item)
        updates[collection] = items
    return value_map.model_copy(update=updates)


def apply_decision(value_map: ValueMap, decision: Decision) -> tuple[ValueMap, str]:
    """The map after `decision`, and what it did in words; `ReviewRefused` when it cannot be done."""
    try:
        return _apply(value_map, decision)
    except ValidationError as err:
        # A rule above missed a consequence: refuse the decision in words, never crash the review with a traceback.
        problem = err.errors()[0]["msg"].removeprefix("Value error, ")
        raise ReviewRefused(f"the map would not be valid after this ({problem}); nothing was changed") from err


def _apply(value_map: ValueMap, decision: Decision) -> tuple[ValueMap, str]:
    kind, person = decision.kind, decision.person
    if kind is DecisionKind.CREATE:
        return _create(value_map, decision)
    collection, element = locate(value_map, decision.element_id)
    what = f"{kind_of(collection)} “{element.name}”"
    if kind is DecisionKind.ACCEPT:
        return _replace(value_map, collection, element.id, _reviewed(element, Review.CONFIRMED, person)), f"accepted {what}"
    if kind is DecisionKind.EDIT:
        name = (decision.name or "").strip()
        if not name:
            raise ReviewRefused("an element needs a name")
        change: dict[str, object] = {"name": name[:200], "detail": (decision.detail or "").strip()}
        edited = _reviewed(element.model_copy(update=change), Review.EDITED, person)
        return _check(_replace(value_map, collection, element.id, edited)), f"edited {what} to “{name}”"
    if kind is DecisionKind.REJECT:
        after = remove_element(value_map, element.id)
        gone = value_map.element_count() - after.element_count() - 1
        also = f" and {gone} element{'' if gone == 1 else 's'} that stood on it" if gone else ""
        return after, f"rejected {what}{also}"
    if kind is DecisionKind.ADD_EVIDENCE:
        if decision.quote is None:
            raise ReviewRefused("select a passage in the transcript first")
        grown = element.model_copy(update={"evidence": _add_quote(element.evidence, decision.quote)})
        return (_check(_replace(value_map, collection, element.id, _reviewed(grown, Review.EDITED, person))),
                f"added a quote by {decision.quote.speaker or 'an unnamed speaker'} to {what}")
    if kind is DecisionKind.RETYPE:
        return _retype(value_map, collection, element, decision)
    if kind is DecisionKind.MERGE:
        return _merge(value_map, collection, element, decision)
    if kind is DecisionKind.LINK:
        return _link(value_map, collection, element, decision)
    if kind is DecisionKind.SET_FIELD:
        return _set_field(value_map, collection, element, decision)
    if kind is DecisionKind.SET_DETAILS:
        return _set_details(value_map, collection, element, decision)
    if kind is DecisionKind.MOVE_STAGE:
        return _move_stage(value_map, element, decision)
    if kind in ENTRY_CHANGES:
        return _change_entry(value_map, collection, element, decision)
    raise ReviewRefused(f"{kind.value} is done by the session, not applied to a map")


def _create(value_map: ValueMap, decision: Decision) -> tuple[ValueMap, str]:
    collection = decision.collection or ""
    if collection not in ELEMENT_COLLECTIONS:
        raise ReviewRefused(f"{collection!r} is not a kind of element; choose one of {', '.join(ELEMENT_COLLECTIONS)}")
    if decision.quote is None:
        raise ReviewRefused("select the passage that is its evidence first: every element keeps its quote")
    name = (decision.name or "").strip() or decision.quote.text
    name = " ".join(name.split())[:200]
    element_id = decision.element_id or new_id(value_map, collection, name)
    provenance = Provenance(proposed_by=ProposedBy.PERSON, person=decision.person or None, review=Review.CONFIRMED)
    element = build_element(value_map, collection, element_id=element_id, name=name, detail=(decision.detail or "").strip(),
                            evidence=[decision.quote], provenance=provenance, references=decision.references)
    after = value_map.model_copy(update={collection: [*getattr(value_map, collection), element]})
    return _check(after), f"made {kind_of(collection)} “{name}” from {decision.quote.speaker or 'an unnamed speaker'}'s words"


def _retype(value_map: ValueMap, collection: str, element: Element, decision: Decision) -> tuple[ValueMap, str]:
    target = decision.collection or ""
    if target not in ELEMENT_COLLECTIONS:
        raise ReviewRefused(f"{target!r} is not a kind of element; choose one of {', '.join(ELEMENT_COLLECTIONS)}")
    if target == collection:
        raise ReviewRefused(f"it is a {kind_of(collection)} already")
    standing = dependents(value_map, element.id)
    if standing:
        names = ", ".join(f"“{e.name}”" for e in standing[:3]) + (f" and {len(standing) - 3} more" if len(standing) > 3 else "")
        raise ReviewRefused(f"{names} stand{'s' if len(standing) == 1 else ''} on this {kind_of(collection)}: "
                            "link or reject them first, then retype it")
    element_id = new_id(value_map, target, element.name)
    provenance = element.provenance.model_copy(update={"review": Review.EDITED, "person": decision.person or None})
    retyped = build_element(value_map, target, element_id=element_id, name=element.name, detail=element.detail,
                            evidence=list(element.evidence), provenance=provenance, references=decision.references)
    after = remove_element(value_map, element.id)
    after = after.model_copy(update={target: [*getattr(after, target), retyped]})
    return _check(after), f"retyped {kind_of(collection)} “{element.name}” as a {kind_of(target)}"


def _merge(value_map: ValueMap, collection: str, keep: Element, decision: Decision) -> tuple[ValueMap, str]:
    other_collection, other = locate(value_map, decision.other_id)
    if other.id == keep.id:
        raise ReviewRefused("an element cannot be merged with itself: choose another one")
    if other_collection != collection:
        raise ReviewRefused(f"“{other.name}” is a {kind_of(other_collection)}, not a {kind_of(collection)}: retype one "
                            "of them first")
    evidence = list(keep.evidence)
    for quote in other.evidence:
        if all((q.source_id, q.start, q.end) != (quote.source_id, quote.start, quote.end) for q in evidence):
            evidence.append(quote)
    lists = {name: list(dict.fromkeys([*getattr(keep, name), *getattr(other, name)]))
             for name in REFERENCE_LIST_FIELDS if hasattr(keep, name)}
    merged = _reviewed(keep.model_copy(update={"evidence": evidence, **lists}), Review.EDITED, decision.person)
    after = _redirect(_replace(value_map, collection, keep.id, merged), other.id, keep.id)
    after = after.model_copy(update={collection: [e for e in getattr(after, collection) if e.id != other.id]})
    after = _drop_self_references(after)
    return _check(after), f"merged {kind_of(collection)} “{other.name}” into “{keep.name}”"


def _drop_self_references(value_map: ValueMap) -> ValueMap:
    updates = {}
    for collection in ELEMENT_COLLECTIONS:
        items = []
        for item in getattr(value_map, collection):
            change = {name: [r for r in getattr(item, name) if r != item.id]
                      for name in REFERENCE_LIST_FIELDS if item.id in getattr(item, name, [])}
            items.append(item.model_copy(update=change) if change else item)
        updates[collection] = items
    return value_map.model_copy(update=updates)


def link_field(first: str, second: str) -> tuple[str, bool] | None:
    """The field that links elements of these collections, and whether it belongs to the second."""
    if (first, second) in LINK_FIELDS:
        return LINK_FIELDS[first, second], False
    if (second, first) in LINK_FIELDS:
        return LINK_FIELDS[second, first], True
    return None


def _link(value_map: ValueMap, collection: str, element: Element, decision: Decision) -> tuple[ValueMap, str]:
    other_collection, other = locate(value_map, decision.other_id)
    found = link_field(collection, other_collection)
    if found is None:
        raise ReviewRefused(f"a {kind_of(collection)} and a {kind_of(other_collection)} are not linked in the framework; "
                            "links go: VEP to stage or proposition, resistance or threshold to VEP, exchange to threshold, "
                            "proposition to where it is used, duplication to propositions and thresholds, loss to "
                            "duplications and thresholds")
    field_name, reversed_ = found
    owner_collection, owner, target_collection, target = (
        (other_collection, other, collection, element) if reversed_ else (collection, element, other_collection, other))
    target_id = target.id
    if field_name == "vep_id" and target_collection == "thresholds":
        target_id = target.vep_id  # type: ignore[attr-defined]  # a resistance stands at its threshold's VEP
    current = getattr(owner, field_name)
    verb = "linked"
    if isinstance(current, list):
        if target_id in current:  # a link in a list is undone the way it was made
            if field_name in {f for f, _ in REQUIRED_REFERENCE.values()} and len(current) == 1:
                raise ReviewRefused(f"“{owner.name}” needs at least one {kind_of(target_collection)}: link another first")
            value: object = [r for r in current if r != target_id]
            verb = "unlinked"
        else:
            value = [*current, target_id]
    else:
        if current == target_id:
            raise ReviewRefused(f"“{owner.name}” is linked to “{target.name}” already")
        value = target_id
    linked = _reviewed(owner.model_copy(update={field_name: value}), Review.EDITED, decision.person)
    after = _check(_replace(value_map, owner_collection, owner.id, linked))
    joint = "to" if verb == "linked" else "from"
    return after, f"{verb} {kind_of(owner_collection)} “{owner.name}” {joint} {kind_of(target_collection)} “{target.name}”"


FINAL = "final"  # a threshold's pseudo-field: it is the purchase (carries a `Purchase`) or not


def _choices(annotation: object) -> tuple[str, list[str]] | None:
    """How a field is chosen: ("one", values), ("toggle", values) for a list of them, or None (free text)."""
    args = get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return "one", [v.value for v in annotation]
    if annotation is bool:
        return "one", ["yes", "no"]
    if set(args) == {bool, type(None)}:
        return "one", ["yes", "no", "unknown"]
    if get_origin(annotation) is list and args and isinstance(args[0], type) and issubclass(args[0], StrEnum):
        return "toggle", [v.value for v in args[0]]
    return None


def field_choices(element: Element) -> list[tuple[str, str, bool]]:
    """Every choice a person can make on this element: (field, value, whether it is the current value)."""
    found: list[tuple[str, str, bool]] = []
    for name, info in type(element).model_fields.items():
        how = _choices(info.annotation)
        if how is None:
            continue
        current = getattr(element, name)
        for value in how[1]:
            if how[0] == "toggle":
                now = value in current
            elif isinstance(current, bool) or current is None:
                now = {True: "yes", False: "no", None: "unknown"}[current] == value
            else:
                now = current == value
            found.append((name, value, now))
    if isinstance(element, Threshold):
        found += [(FINAL, "yes", element.is_final), (FINAL, "no", not element.is_final)]
    return found


def _set_field(value_map: ValueMap, collection: str, element: Element, decision: Decision) -> tuple[ValueMap, str]:
    field_name, value = decision.name or "", decision.detail or ""
    if (field_name, value) not in {(f, v) for f, v, _ in field_choices(element)}:
        raise ReviewRefused(f"a {kind_of(collection)} has no choice {field_name} = {value!r}")
    new: object
    if field_name == FINAL:
        new = Purchase() if value == "yes" else None
        field_name, shown = "purchase", f"final threshold: {value}"
        if isinstance(element, Threshold) and (new is None) == (element.purchase is None):
            raise ReviewRefused(f"it is {'already' if new else 'not'} the final threshold")
        if isinstance(element, Threshold) and element.purchase is not None and new is not None:
            new = element.purchase
    else:
        info = type(element).model_fields[field_name]
        how = _choices(info.annotation)
        assert how is not None
        current = getattr(element, field_name)
        if how[0] == "toggle":
            new = [v for v in current if v != value] if value in current else [*current, value]
            shown = f"{field_name.replace('_', ' ')}: {'without' if value in current else 'with'} {value.replace('_', ' ')}"
        else:
            new = {"yes": True, "no": False, "unknown": None}[value] if not isinstance(current, StrEnum) else value
            shown = f"{field_name.replace('_', ' ')}: {value.replace('_', ' ')}"
    changed = _reviewed(type(element).model_validate({**element.model_dump(), field_name: new}), Review.EDITED,
                        decision.person)
    return (_check(_replace(value_map, collection, element.id, changed)),
            f"set {kind_of(collection)} “{element.name}” {shown}")


def _set_details(value_map: ValueMap, collection: str, element: Element, decision: Decision) -> tuple[ValueMap, str]:
    try:
        changed, labels = set_details(element, decision.values)
    except DetailRefused as err:
        raise ReviewRefused(str(err)) from None
    if not labels:
        raise ReviewRefused("nothing changed: type a new value in a field first")
    edited = _reviewed(changed, Review.EDITED, decision.person)
    return (_check(_replace(value_map, collection, element.id, edited)),
            f"set {', '.join(label.casefold() for label in labels)} of {kind_of(collection)} “{element.name}”")


ENTRY_CHANGES = {DecisionKind.ADD_ENTRY: EntryChange.ADD, DecisionKind.EDIT_ENTRY: EntryChange.EDIT,
                 DecisionKind.REMOVE_ENTRY: EntryChange.REMOVE}


def _change_entry(value_map: ValueMap, collection: str, element: Element, decision: Decision) -> tuple[ValueMap, str]:
    try:
        changed, words = change_entry(element, value_map, decision.name or "", ENTRY_CHANGES[decision.kind],
                                      index=decision.index, values=decision.values, quotes=decision.quotes)
    except EntryRefused as err:
        raise ReviewRefused(str(err)) from None
    edited = _reviewed(changed, Review.EDITED, decision.person)
    return (_check(_replace(value_map, collection, element.id, edited)),
            f"{words} of {kind_of(collection)} “{element.name}”")


MOVES = {"earlier": -1, "later": 1}


def _move_stage(value_map: ValueMap, element: Element, decision: Decision) -> tuple[ValueMap, str]:
    """The stage swaps places with its neighbour; orders become 0..n-1 in the new sequence, without gaps."""
    if not isinstance(element, Stage):
        raise ReviewRefused(f"only a stage has a place in the stream; “{element.name}” is a {element.kind_name}")
    step = MOVES.get(decision.detail or "")
    if step is None:
        raise ReviewRefused(f"a stage moves {' or '.join(MOVES)}, not {decision.detail!r}")
    stages = sorted(value_map.stages, key=lambda s: s.order)
    here = next(i for i, s in enumerate(stages) if s.id == element.id)
    there = here + step
    if not 0 <= there < len(stages):
        raise ReviewRefused(f"“{element.name}” is the {'first' if step < 0 else 'last'} stage already")
    stages[here], stages[there] = stages[there], stages[here]
    reordered: list[Element] = [s.model_copy(update={"order": n}) for n, s in enumerate(stages)]
    reordered = [_reviewed(s, Review.EDITED, decision.person) if s.id == element.id else s for s in reordered]
    return (_check(value_map.model_copy(update={"stages": reordered})),
            f"moved stage “{element.name}” {decision.detail}, to place {there + 1} of {len(stages)}")
