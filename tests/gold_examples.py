"""The bundled examples as a perfect model's knowledge: their files, gold maps and customer-side voices,
and a long transcript made of their turns (every example told again by other people) with its gold map.

The joined transcript is real-length (over 20,000 words) and keeps every gold quote exact: each copy
renames the non-interviewer speakers, so a quote is found in its own copy's turn, and each gold
element's evidence is its quotes in every copy (the same element told again is one element).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agent.bundled import bundled_path
from agent.storage import load_map
from schemas.elements import Perspective, Source, Stakeholder
from schemas.evidence import Quote
from schemas.value_map import ELEMENT_COLLECTIONS, REFERENCE_FIELDS, REFERENCE_LIST_FIELDS, ValueMap

EXAMPLES = ("legal-platform", "ap-automation-trial", "meal-kit-subscription", "held-out-b2b-marketplace")
# Surnames added to the speakers of each later copy of the joined transcript.
COPY_SURNAMES = ("", "Lindqvist", "Moreau")
INTERVIEWER = "Consultant"


@dataclass(frozen=True)
class GoldExample:
    name: str
    files: tuple[Path, ...]
    gold: ValueMap
    customers: tuple[str, ...]  # speakers on the customer's side (`vsm map --customer`)

    def gold_source_of(self, read_source_ids: list[str]) -> dict[str, str]:
        """Gold source id -> the source id `vsm map` gives the same file."""
        by_file = {path.resolve(): source_id for path, source_id in zip(self.files, read_source_ids, strict=True)}
        root = bundled_path("transcripts").parent
        return {s.id: by_file[(root / s.path).resolve()] if s.path and (root / s.path).resolve() in by_file
                else read_source_ids[0] for s in self.gold.sources}


def _customers(gold: ValueMap) -> tuple[str, ...]:
    return tuple(sorted({p.name for s in gold.sources for p in s.stakeholders if not p.interviewer
                         and (p.perspective or s.perspective) is Perspective.CUSTOMER}))


def bundled_example(name: str) -> GoldExample:
    folder = bundled_path(f"transcripts/{name}")
    gold = load_map(folder / "map.json")
    root = folder.parent.parent
    files = tuple(root / s.path for s in gold.sources if s.path)
    return GoldExample(name, files, gold, _customers(gold))


def _renamed(speaker: str | None, copy: int) -> str | None:
    if speaker is None or speaker == INTERVIEWER or not COPY_SURNAMES[copy]:
        return speaker
    return f"{speaker} {COPY_SURNAMES[copy]}"


def joined_example(
    folder: Path, copies: int = 3, names: tuple[str, ...] = EXAMPLES, file_name: str = "joined-interviews.md"
) -> GoldExample:
    """The examples' files, one after another, `copies` times (later copies by other people), as one
    transcript written to `folder`, with the union of their gold maps moved onto it."""
    examples = [bundled_example(name) for name in names]
    lines: list[str] = []
    offset = 0
    spans: list[tuple[str, str, int, int, int, int, int]] = []  # example, source, old start, old end, new start, delta, copy
    for copy in range(copies):
        for example in examples:
            for source in example.gold.sources:
                assert source.path is not None
                text = (bundled_path("transcripts").parent / source.path).read_text(encoding="utf-8")
                old = 0
                for line in text.splitlines(keepends=True):
                    speaker, sep, words = line.partition(": ")
                    new_line = f"{_renamed(speaker, copy)}{sep}{words}" if sep else line
                    spans.append((example.name, source.id, old, old + len(line), offset, len(new_line) - len(line),
                                  copy))
                    lines.append(new_line)
                    offset += len(new_line)
                    old += len(line)
                if not lines[-1].endswith("\n\n"):
                    lines.append("\n")
                    offset += 1
    text = "".join(lines).rstrip("\n") + "\n"
    path = folder / file_name
    path.write_text(text, encoding="utf-8")
    source_id = path.stem

    def copies_of(example: str, quote: Quote) -> list[Quote]:
        found = []
        for name, source, start, end, new_start, delta, copy in spans:
            if (name, source) == (example, quote.source_id) and quote.start is not None and quote.end is not None \
                    and start <= quote.start < end:
                at = new_start + (quote.start - start) + delta
                new = quote.model_copy(update={"source_id": source_id, "start": at, "end": at + len(quote.text),
                                               "speaker": _renamed(quote.speaker, copy), "line": None})
                assert text[at:at + len(quote.text)] == quote.text
                found.append(new)
        return found

    collections: dict[str, list[object]] = {kind: [] for kind in ELEMENT_COLLECTIONS}
    people: list[Stakeholder] = []
    for example in examples:
        prefix = example.name.split("-")[0]

        def ref(value: str, prefix: str = prefix) -> str:
            return f"{prefix}-{value}"

        for kind in ELEMENT_COLLECTIONS:
            for element in getattr(example.gold, kind):
                update: dict[str, object] = {
                    "id": ref(element.id),
                    "evidence": [q for quote in element.evidence for q in copies_of(example.name, quote)],
                }
                for name in REFERENCE_FIELDS:
                    if getattr(element, name, None) is not None:
                        update[name] = ref(getattr(element, name))
                for name in REFERENCE_LIST_FIELDS:
                    if hasattr(element, name):
                        update[name] = [ref(v) for v in getattr(element, name)]
                if kind == "stages":
                    update["improvements"] = [
                        i.model_copy(update={"evidence": [q for quote in i.evidence
                                                          for q in copies_of(example.name, quote)]})
                        for i in element.improvements]
                if kind == "exchanges":
                    update["organisation_gives"] = [
                        b.model_copy(update={"delivered_at_stage_id": ref(b.delivered_at_stage_id)
                                             if b.delivered_at_stage_id else None})
                        for b in element.organisation_gives]
                collections[kind].append(element.model_copy(update=update))
        for source in example.gold.sources:
            for person in source.stakeholders:
                for copy in range(copies):
                    name = _renamed(person.name, copy) or person.name
                    if all(p.name != name for p in people):
                        people.append(person.model_copy(update={
                            "name": name, "perspective": person.perspective or source.perspective}))
    gold = ValueMap(title=f"Joined examples: {', '.join(names)}", sources=[Source(id=source_id, path=str(path), stakeholders=people)],
                    **collections)  # type: ignore[arg-type]
    return GoldExample(path.stem, (path,), gold, _customers(gold))
