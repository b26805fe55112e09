"""What changed between two versions of a map: elements added, removed and changed; findings resolved and new.

A consultant re-maps after an interview and wants to show the client what moved. Elements are matched by
id (ids are stable across edits; a renamed element is "changed", not removed and added). Findings are
matched by code and the elements they concern, not by their wording, so a reworded reason is not news.
Pure functions; the renderers (text, Markdown, HTML) sit at the end and only format.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agent.reports.findings_text import summary_lines
from agent.reports.markdown import md_text
from schemas.findings import CheckReport, Finding
from schemas.value_map import COLLECTIONS, ValueMap


class ElementRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    id: str
    name: str


class ElementChange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    id: str
    name: str
    old_name: str
    fields: list[str] = Field(description="top-level fields whose value differs")


class FigureChange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    figure: str
    old: str
    new: str


class MapDiff(BaseModel):
    """The difference between two maps and between their check reports."""

    model_config = ConfigDict(extra="forbid")

    old_title: str
    new_title: str
    added: list[ElementRef] = Field(default_factory=list)
    removed: list[ElementRef] = Field(default_factory=list)
    changed: list[ElementChange] = Field(default_factory=list)
    resolved_findings: list[Finding] = Field(default_factory=list)
    new_findings: list[Finding] = Field(default_factory=list)
    open_findings: int = 0
    figures: list[FigureChange] = Field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.resolved_findings or self.new_findings)


def _items(value_map: ValueMap) -> dict[str, tuple[str, dict[str, Any]]]:
    """id -> (kind, JSON form) for every element and source."""
    items = {}
    for collection, model in COLLECTIONS.items():
        for item in getattr(value_map, collection):
            items[item.id] = (model.kind_name, item.model_dump(mode="json"))
    return items


def _name(document: dict[str, Any]) -> str:
    return str(document.get("name") or document.get("title") or document.get("id"))


def diff_elements(old: ValueMap, new: ValueMap) -> tuple[list[ElementRef], list[ElementRef], list[ElementChange]]:
    """Added, removed and changed elements (and sources), in each map's reading order."""
    before, after = _items(old), _items(new)
    added = [ElementRef(kind=k, id=i, name=_name(d)) for i, (k, d) in after.items() if i not in before]
    removed = [ElementRef(kind=k, id=i, name=_name(d)) for i, (k, d) in before.items() if i not in after]
    changed = []
    for element_id, (kind, document) in after.items():
        if element_id not in before:
            continue
        old_kind, old_document = before[element_id]
        if old_kind != kind:  # the same id now names another kind of element: report it as such
            removed.append(ElementRef(kind=old_kind, id=element_id, name=_name(old_document)))
            added.append(ElementRef(kind=kind, id=element_id, name=_name(document)))
            continue
        fields = sorted(k for k in document.keys() | old_document.keys() if document.get(k) != old_document.get(k))
        if fields:
            changed.append(ElementChange(kind=kind, id=element_id, name=_name(document),
                                         old_name=_name(old_document), fields=fields))
    return added, removed, changed


def _finding_key(finding: Finding) -> tuple[str, tuple[str, ...]]:
    return finding.code, tuple(sorted(finding.element_ids))


def diff_maps(old: ValueMap, new: ValueMap, old_report: CheckReport, new_report: CheckReport) -> MapDiff:
    """Compare two maps and their check reports."""
    added, removed, changed = diff_elements(old, new)
    old_keys = {_finding_key(f) for f in old_report.findings}
    new_keys = {_finding_key(f) for f in new_report.findings}
    before = dict(summary_lines(old_report.summary))
    after = dict(summary_lines(new_report.summary))
    figures = [
        FigureChange(figure=key, old=before.get(key, "n/a"), new=after.get(key, "n/a"))
        for key in dict.fromkeys([*before, *after])
        if before.get(key) != after.get(key)
    ]
    return MapDiff(
        old_title=old.title,
        new_title=new.title,
        added=added,
        removed=removed,
        changed=changed,
        resolved_findings=[f for f in old_report.findings if _finding_key(f) not in new_keys],
        new_findings=[f for f in new_report.findings if _finding_key(f) not in old_keys],
        open_findings=len(old_keys & new_keys),
        figures=figures,
    )


def _finding_line(finding: Finding) -> str:
    ids = f" ({', '.join(finding.element_ids)})" if finding.element_ids else ""
    return f"{finding.severity.value} {finding.code}{ids}: {finding.reason}"


def diff_sections(diff: MapDiff) -> list[tuple[str, list[str]]]:
    """The diff as headed lists of plain lines; each renderer formats these the same way."""
    return [
        ("Findings resolved", [_finding_line(f) for f in diff.resolved_findings]),
        ("New findings", [_finding_line(f) for f in diff.new_findings]),
        ("Elements added", [f"{e.kind} {e.id}: {e.name}" for e in diff.added]),
        ("Elements removed", [f"{e.kind} {e.id}: {e.name}" for e in diff.removed]),
        ("Elements changed", [
            f"{c.kind} {c.id}: {c.name}" + (f" (was {c.old_name})" if c.old_name != c.name else "")
            + f"; changed: {', '.join(c.fields)}"
            for c in diff.changed
        ]),
        ("Summary figures", [f"{f.figure}: {f.old} -> {f.new}" for f in diff.figures]),
    ]


def diff_headline(diff: MapDiff) -> str:
    return (
        f"{len(diff.resolved_findings)} findings resolved, {len(diff.new_findings)} new, {diff.open_findings} still "
        f"open; {len(diff.added)} elements added, {len(diff.removed)} removed, {len(diff.changed)} changed"
    )


def diff_text(diff: MapDiff) -> str:
    title = diff.new_title or diff.old_title or "Untitled map"
    out = [f"{title}: what changed", diff_headline(diff), ""]
    for heading, lines in diff_sections(diff):
        out.append(f"{heading} ({len(lines)})")
        out.extend(f"   {line}" for line in lines) if lines else out.append("   none")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def diff_markdown(diff: MapDiff) -> str:
    title = diff.new_title or diff.old_title or "Untitled map"
    out = [f"# {md_text(title)}: what changed", "", md_text(diff_headline(diff)) + ".", ""]
    for heading, lines in diff_sections(diff):
        out += [f"## {heading} ({len(lines)})", ""]
        out += [f"- {md_text(line)}" for line in lines] or ["None."]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
