"""The lists inside an element, entry by entry: an exchange's gives and gets, a stage's improvements, a
proposition's claims. What each entry has, how it reads in one line, and adding, changing or removing one.

The form shows each field of an entry as text or a choice and gives text back, so parsing and refusing
live here, once, in pure functions, and the models in `schemas.elements` have the last word: a kind of
give that is not one, an empty claim, a benefit delivered at a stage the map does not have, are refused
with one line saying what to type. An improvement's evidence is quotes, never typed: a person picks
them from the stage's quotes or selects them in a transcript (the session checks they are the
transcript's words); an entry given none carries none.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ValidationError

from agent.errors import VsmError
from schemas.elements import (
    Benefit,
    Delivery,
    Element,
    Give,
    GiveGetExchange,
    GiveKind,
    Improvement,
    Stage,
    ValueProposition,
)
from schemas.evidence import Quote
from schemas.value_map import ValueMap

NO_STAGE = ""  # a benefit delivered at no stage the map names (or not known where)


class EntryRefused(VsmError):
    """An entry the form cannot save; the message names the field and what to type."""


@dataclass(frozen=True)
class EntryField:
    name: str  # the model's field ("kind", "what"); a claim, a bare string, has the one field "text"
    label: str
    kind: str = "text"  # "text", "required" (cannot be empty), "choice" (one of `choices`), "stage" (a stage's id)
    hint: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntryList:
    field: str  # the element's list field: "customer_gives"
    label: str  # as a heading: "Customer gives"
    entry: str  # one entry, in words: "give"
    fields: tuple[EntryField, ...]
    evidence: bool = False  # an entry keeps its own quotes (an improvement)


def _values(kind: type[StrEnum]) -> tuple[str, ...]:
    return tuple(v.value for v in kind)


GIVES = EntryList("customer_gives", "Customer gives", "give", (
    EntryField("kind", "Kind", "choice", "what the customer gives: " + ", ".join(_values(GiveKind)), _values(GiveKind)),
    EntryField("detail", "Detail", hint="e.g. about two minutes, EUR 49 a month"),
))
GETS = EntryList("organisation_gives", "Customer gets", "benefit", (
    EntryField("what", "What", "required", "what the customer gets, e.g. a free first consultation"),
    EntryField("delivery", "Delivery", "choice", "whether a later stage delivers it: " + ", ".join(_values(Delivery)),
               _values(Delivery)),
    EntryField("delivered_at_stage_id", "Delivered at", "stage", "the stage that delivers it, or none"),
))
IMPROVEMENTS = EntryList("improvements", "Improvements", "improvement", (
    EntryField("description", "Description", "required", "the change made, e.g. review time cut 30%"),
), evidence=True)
CLAIMS = EntryList("claims", "Claims", "claim", (
    EntryField("text", "Claim", "required", "one benefit the statement makes, in its words"),
))


def entry_lists(element: Element) -> tuple[EntryList, ...]:
    """The lists of entries this kind of element has (none for most kinds)."""
    if isinstance(element, GiveGetExchange):
        return GIVES, GETS
    if isinstance(element, Stage):
        return (IMPROVEMENTS,)
    if isinstance(element, ValueProposition):
        return (CLAIMS,)
    return ()


Entry = Give | Benefit | Improvement | str


def entry_list(element: Element, field: str) -> EntryList:
    found = next((spec for spec in entry_lists(element) if spec.field == field), None)
    if found is None:
        has = ", ".join(s.field for s in entry_lists(element)) or "none"
        raise EntryRefused(f"a {element.kind_name} has no list {field!r}; its lists: {has}")
    return found


def entry_values(entry: Entry) -> dict[str, str]:
    """An entry's fields as the form shows them."""
    if isinstance(entry, str):
        return {"text": entry}
    return {name: "" if value is None else str(getattr(value, "value", value))
            for name, value in entry if name != "evidence"}


def _stage_name(value_map: ValueMap, stage_id: str | None) -> str:
    return next((s.name for s in value_map.stages if s.id == stage_id), stage_id or "")


def entry_line(entry: Entry, value_map: ValueMap) -> str:
    """One line for a list or the inspector: `time: about two minutes`, `contract templates (delivered at …)`."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Give):
        return f"{entry.kind.value}: {entry.detail}" if entry.detail else entry.kind.value
    if isinstance(entry, Benefit):
        where = f" at {_stage_name(value_map, entry.delivered_at_stage_id)}" if entry.delivered_at_stage_id else ""
        return f"{entry.what} ({entry.delivery.value.replace('_', ' ')}{where})"
    quotes = len(entry.evidence)
    return entry.description + (f" ({quotes} quote{'' if quotes == 1 else 's'})" if quotes else " (no quote)")


def _refuse(spec: EntryField, text: str, why: str) -> EntryRefused:
    shown = text if len(text) <= 30 else text[:29] + "…"
    return EntryRefused(f"{spec.label}: {shown!r} {why}; type {spec.hint or 'some words'}")


def _parse_field(spec: EntryField, text: str, value_map: ValueMap) -> str | None:
    text = " ".join(text.split())
    if spec.kind == "required" and not text:
        raise _refuse(spec, text, "is empty")
    if spec.kind == "choice":
        folded = text.casefold().replace(" ", "_")
        if folded not in spec.choices:
            raise _refuse(spec, text, "is not one of the choices")
        return folded
    if spec.kind == "stage":
        if text == NO_STAGE:
            return None
        if text not in {s.id for s in value_map.stages}:
            raise EntryRefused(f"{spec.label}: {text!r} is not a stage of this map; choose one of its stages, or none")
        return text
    return text


def parse_entry(spec: EntryList, values: dict[str, str], quotes: list[Quote], value_map: ValueMap) -> Entry:
    """The entry `values` (field -> text) and `quotes` stand for, or `EntryRefused` saying what to type."""
    known = {f.name for f in spec.fields}
    unknown = sorted(set(values) - known)
    if unknown:
        raise EntryRefused(f"a {spec.entry} has no field {unknown[0]!r}; it has: {', '.join(sorted(known))}")
    parsed = {f.name: _parse_field(f, values.get(f.name, ""), value_map) for f in spec.fields}
    if quotes and not spec.evidence:
        raise EntryRefused(f"a {spec.entry} keeps no quotes of its own; add evidence to the element instead")
    unverified = next((q for q in quotes if not q.verified), None)
    if unverified is not None:
        raise EntryRefused(f"Evidence: {unverified.text[:40]!r} is not verified in its transcript; select the words "
                           "in the transcript, or pick one of the element's quotes")
    if spec is CLAIMS:
        return str(parsed["text"])
    models: dict[str, type[BaseModel]] = {GIVES.field: Give, GETS.field: Benefit, IMPROVEMENTS.field: Improvement}
    model = models[spec.field]
    data: dict[str, object] = {k: v for k, v in parsed.items() if v is not None}
    if spec.evidence:
        data["evidence"] = _distinct(quotes)
    try:
        return model.model_validate(data)  # type: ignore[return-value]
    except ValidationError as err:
        first = err.errors()[0]
        field = next((f for f in spec.fields if f.name == str(first["loc"][0])), None)
        raise EntryRefused(f"{field.label if field else first['loc'][0]}: {first['msg']}; type "
                           f"{field.hint if field else 'another value'}") from None


def _distinct(quotes: list[Quote]) -> list[Quote]:
    seen: set[tuple[str, int | None, int | None]] = set()
    kept = []
    for quote in quotes:
        key = (quote.source_id, quote.start, quote.end)
        if key not in seen:
            seen.add(key)
            kept.append(quote)
    return kept


class EntryChange(StrEnum):
    ADD = "add"
    EDIT = "edit"
    REMOVE = "remove"


def change_entry(element: Element, value_map: ValueMap, field: str, change: EntryChange, *, index: int | None = None,
                 values: dict[str, str] | None = None, quotes: list[Quote] | None = None) -> tuple[Element, str]:
    """The element with one entry of its list `field` added (at the end), changed or removed; and what, in words."""
    spec = entry_list(element, field)
    items: list[Entry] = list(getattr(element, field))
    if change is not EntryChange.ADD and (index is None or not 0 <= index < len(items)):
        raise EntryRefused(f"{spec.label.casefold()} has no entry {index if index is None else index + 1} "
                           f"(it has {len(items)}); choose one in the list")
    if change is EntryChange.REMOVE:
        assert index is not None
        gone = items.pop(index)
        words = f"removed {spec.entry} {entry_line(gone, value_map)!r} from {spec.label.casefold()}"
    else:
        entry = parse_entry(spec, values or {}, quotes or [], value_map)
        if change is EntryChange.ADD:
            items.append(entry)
            words = f"added {spec.entry} {entry_line(entry, value_map)!r} to {spec.label.casefold()}"
        else:
            assert index is not None
            if items[index] == entry:
                raise EntryRefused("nothing changed: type a new value in a field first")
            items[index] = entry
            words = f"changed {spec.entry} {index + 1} of {spec.label.casefold()} to {entry_line(entry, value_map)!r}"
    return type(element).model_validate({**element.model_dump(), field: [_dump(e) for e in items]}), words


def _dump(entry: Entry) -> object:
    return entry if isinstance(entry, str) else entry.model_dump()


def candidate_quotes(element: Element, entry: Entry | None) -> list[Quote]:
    """The quotes a person may pick as an entry's evidence without selecting: the entry's own, then the element's."""
    own = list(entry.evidence) if isinstance(entry, Improvement) else []
    return _distinct([*own, *element.verified_evidence])
