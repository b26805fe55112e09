"""The report as Markdown, for docs and tickets: the same content as the HTML, with the stream as Mermaid.

Map text goes through `md_text` (agent/reports/markdown_text.py): escaped only where Markdown or the HTML
it passes through would act on it, so a name such as `<script>` or `**urgent**` shows as typed in any viewer
and never becomes markup, while the report's own arrows and parentheses read cleanly as plain text.
"""

from __future__ import annotations

from agent.reports.content import ElementView, FindingView, ReportContent, plural, report_content
from agent.reports.markdown_text import md_text
from agent.reports.mermaid import map_mermaid
from schemas.findings import CheckReport
from schemas.value_map import ValueMap

__all__ = ["md_text", "report_markdown"]


def report_markdown(value_map: ValueMap, report: CheckReport) -> str:
    """The whole report as one Markdown document."""
    content = report_content(value_map, report)
    out: list[str] = []
    out += _header(content)
    out += _summary(content)
    out += ["## The stream", "", "```mermaid", map_mermaid(value_map).rstrip("\n"), "```", ""]
    out += _findings(content)
    out += _appendix(content)
    if content.hidden_quotes:
        out += [f"_Not shown: {plural(content.hidden_quotes, 'quote')} that could not be found in the sources._", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _header(content: ReportContent) -> list[str]:
    counts = ", ".join(plural(n, s) for s, n in content.counts.items() if n) or "no findings"
    out = [f"# {md_text(content.title)}: value stream report", ""]
    if content.description:
        out += [md_text(content.description), ""]
    out += [f"{plural(content.element_count, 'element')}; {counts}.", ""]
    return out


def _summary(content: ReportContent) -> list[str]:
    out = ["## Summary", "", "| figure | value |", "| --- | --- |"]
    out += [f"| {md_text(key)} | {md_text(value)} |" for key, value in content.summary]
    out += ["", "### Threshold → duplication → loss", ""]
    out += [f"- {md_text(line)}" for line in content.chains] or ["No loss is traced yet."]
    return [*out, ""]


def _findings(content: ReportContent) -> list[str]:
    out = ["## Findings", ""]
    for question, findings in content.questions:
        out += [f"### {question.number}. {md_text(question.text)}", ""]
        if not findings:
            out += ["Nothing flagged.", ""]
        for finding in findings:
            out += _finding(finding)
    return out


def _finding(view: FindingView) -> list[str]:
    finding = view.finding
    out = [
        f"#### {finding.severity.value.upper()} `{finding.code}`",
        "",
        md_text(finding.reason),
        "",
        f"**Ask next:** {md_text(finding.next_question)}",
        "",
    ]
    for element in view.elements:
        out.append(f"- {_element_line(element)}")
        out += [f"  {line}" for line in _quotes(element, 3)]
    out += [f"- `{i}`" for i in view.unknown_ids]
    return [*out, ""] if view.elements or view.unknown_ids else out


def _element_line(element: ElementView) -> str:
    marks = "".join(f" _({md_text(mark)})_" for mark in element.marks)
    told = f", {element.told_by}" if element.told_by else ""
    return (f"**{md_text(element.tag)}** {md_text(element.name)} ({md_text(element.kind)} `{element.element_id}`"
            f"{told}){marks}")


def _quotes(element: ElementView, limit: int | None) -> list[str]:
    shown = element.quotes if limit is None else element.quotes[:limit]
    out = []
    for quote in shown:
        out += [f"> “{md_text(quote.text)}”", f"> — {md_text(quote.attribution)} ({quote.match} match)", ""]
    if limit is not None and len(element.quotes) > limit:
        out += [f"{plural(len(element.quotes) - limit, 'more quote')} in the appendix.", ""]
    return out


def _appendix(content: ReportContent) -> list[str]:
    out = ["## Elements and evidence", "", "Only quotes verified against their source are shown.", ""]
    for heading, elements in content.appendix:
        out += [f"### {heading} ({len(elements)})", ""]
        for element in elements:
            out.append(f"- {_element_line(element)}")
            if element.detail:
                out.append(f"  {md_text(element.detail)}")
            quotes = _quotes(element, None)
            if quotes:
                out.append("")
                out += [f"  {line}" if line else "" for line in quotes]
        out.append("")
    return out
