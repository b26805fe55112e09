"""Findings grouped by the three core questions: code, severity, reason and the question to ask next."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from schemas.findings import CheckReport, Severity

_SEVERITY = {
    Severity.ERROR: ("✖", "bold $error"),
    Severity.WARNING: ("▲", "bold $warning"),
    Severity.INFO: ("●", "bold $primary"),
}
IDS_SHOWN = 3


def findings_content(report: CheckReport) -> Content:
    counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    parts: list[str | tuple[str, str]] = [
        (f"{counts[Severity.ERROR]} errors · {counts[Severity.WARNING]} warnings · {counts[Severity.INFO]} info\n",
         "$text-muted")]
    for question, findings in report.by_question().items():
        parts += ["\n", (f"{question.number} {question.text}", "bold underline"),
                  f" ({len(findings)})\n" if findings else "\n"]
        if not findings:
            parts.append(("  nothing flagged\n", "$text-muted"))
        for finding in findings:
            icon, style = _SEVERITY[finding.severity]
            parts += [(f"{icon} ", style), (finding.code, "bold"), (f" {finding.severity.value}", style)]
            if finding.element_ids:
                more = f" +{len(finding.element_ids) - IDS_SHOWN}" if len(finding.element_ids) > IDS_SHOWN else ""
                parts.append((f"  {', '.join(finding.element_ids[:IDS_SHOWN])}{more}", "$text-muted"))
            parts += [f"\n  {finding.reason}\n", (f"  → {finding.next_question}\n", "italic $accent")]
    return Content.assemble(*parts)


class FindingsView(Static):
    _report: CheckReport | None = None

    def show(self, report: CheckReport) -> None:
        if report == self._report:
            return
        self._report = report
        self.update(findings_content(report))
