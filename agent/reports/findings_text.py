"""Findings as plain text (the terminal) and Markdown (docs, tickets), grouped by the core questions."""

from __future__ import annotations

import textwrap

from agent.reports.markdown_text import md_text
from schemas.findings import CheckReport, Finding, Summary
from schemas.value_map import ValueMap

_SEVERITY_LABEL = {"error": "ERROR", "warning": "WARN", "info": "INFO"}


def _names(value_map: ValueMap) -> dict[str, str]:
    return {e.id: e.name for e in value_map.elements()}


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"


def summary_lines(summary: Summary) -> list[tuple[str, str]]:
    rows = [
        ("elements", str(summary.elements)),
        ("stages anchored in value consumption", _percent(summary.stages_anchored_share)),
        ("thresholds with a resistance and an exchange", _percent(summary.thresholds_explained_share)),
        ("elements with verified evidence", _percent(summary.evidenced_share)),
        ("losses traced to a duplication", _percent(summary.losses_traced_share)),
    ]
    for value in summary.surviving_value:
        rows.append((
            f"Surviving Value at {value.threshold_id}",
            f"{value.perceived_value:g} - {value.accumulated_loss:g} = {value.surviving_value:g}",
        ))
    return rows


def chain_text(value_map: ValueMap, report: CheckReport) -> list[str]:
    names = _names(value_map)

    def label(element_id: str | None) -> str:
        return "(no threshold)" if element_id is None else names.get(element_id, element_id)

    lines = []
    for chain in report.summary.chains:
        middle = label(chain.duplication_id) if chain.duplication_id else "(no duplication)"
        lines.append(f"{label(chain.threshold_id)} -> {middle} -> {label(chain.loss_id)}")
    return lines


def _counts(findings: list[Finding]) -> str:
    parts = []
    for severity in ("error", "warning", "info"):
        count = sum(1 for f in findings if f.severity.value == severity)
        if count:
            parts.append(f"{count} {severity}{'s' if count != 1 else ''}")
    return ", ".join(parts) or "no findings"


def findings_as_text(value_map: ValueMap, report: CheckReport) -> str:
    title = value_map.title or "Untitled map"
    out = [f"{title}: {len(report.findings)} findings ({_counts(report.findings)})", ""]
    for question, findings in report.by_question().items():
        out.append(f"{question.number}. {question.text}")
        if not findings:
            out.append("   nothing flagged")
        for finding in findings:
            ids = f" [{', '.join(finding.element_ids)}]" if finding.element_ids else ""
            out.append(f"   {_SEVERITY_LABEL[finding.severity.value]:<5} {finding.code}{ids}")
            out.extend(_wrapped(finding.reason))
            out.extend(_wrapped(f"Ask: {finding.next_question}"))
        out.append("")
    out.append("Summary")
    width = max(len(k) for k, _ in summary_lines(report.summary))
    out.extend(f"   {key:<{width}}  {value}" for key, value in summary_lines(report.summary))
    chains = chain_text(value_map, report)
    out.append("")
    out.append("Threshold -> duplication -> loss")
    out.extend(f"   {line}" for line in chains) if chains else out.append("   no loss is traced yet")
    return "\n".join(out) + "\n"


def _wrapped(text: str, width: int = 100) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=" " * 9, subsequent_indent=" " * 9)


def findings_as_markdown(value_map: ValueMap, report: CheckReport) -> str:
    title = value_map.title or "Untitled map"
    out = [f"# {md_text(title)}: findings", "", f"{len(report.findings)} findings ({_counts(report.findings)}).", ""]
    for question, findings in report.by_question().items():
        out.append(f"## {question.number}. {question.text}")
        out.append("")
        if not findings:
            out.extend(["Nothing flagged.", ""])
        for finding in findings:
            ids = ", ".join(f"`{i}`" for i in finding.element_ids)
            out.append(f"- **{finding.severity.value}** `{finding.code}`{' (' + ids + ')' if ids else ''}: "
                       f"{md_text(finding.reason)}  ")
            out.append(f"  *Ask:* {md_text(finding.next_question)}")
        out.append("")
    out.extend(["## Summary", "", "| figure | value |", "| --- | --- |"])
    out.extend(f"| {key} | {md_text(value)} |" for key, value in summary_lines(report.summary))
    out.extend(["", "## Threshold -> duplication -> loss", ""])
    chains = chain_text(value_map, report)
    out.extend(f"- {md_text(line)}" for line in chains) if chains else out.append("No loss is traced yet.")
    return "\n".join(out) + "\n"
