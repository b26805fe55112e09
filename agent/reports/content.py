"""What a written report says, before it is HTML or Markdown: findings with their elements and evidence.

Both renderers walk this one model, so the HTML and the Markdown cannot disagree about what is shown.
Trust is decided here, once: only quotes whose match is not `unverified` become evidence, and every
element says whether it has verified evidence and whether a person confirmed it.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.reports.card_text import trust_marks
from agent.reports.findings_text import chain_text, summary_lines
from agent.reports.stream import TAG_PREFIX, Stream, read_stream
from schemas.elements import Element, Source
from schemas.evidence import Quote
from schemas.findings import CheckReport, CoreQuestion, Finding
from schemas.value_map import COLLECTIONS, ValueMap

QUOTES_PER_ELEMENT_IN_FINDINGS = 3


@dataclass(frozen=True)
class QuoteView:
    """A verified quote as a reader sees it: the source's words, who said them, where."""

    text: str
    speaker: str | None
    source: str
    position: str | None  # timestamp, else line, else character offset
    match: str

    @property
    def attribution(self) -> str:
        parts = [self.speaker or "unknown speaker", self.source]
        if self.position:
            parts.append(self.position)
        return ", ".join(parts)


@dataclass(frozen=True)
class ElementView:
    element_id: str
    tag: str
    kind: str
    name: str
    detail: str
    marks: tuple[str, ...]  # "no verified quote", "not confirmed"
    quotes: tuple[QuoteView, ...]  # verified only
    hidden_quotes: int  # unverified quotes, counted but never shown
    voices: int = 0  # independent people behind the verified quotes (the element's corroboration)

    @property
    def told_by(self) -> str:
        """"told by 3 people" where more than one person says it; nothing otherwise."""
        return f"told by {self.voices} people" if self.voices > 1 else ""

    @property
    def anchor(self) -> str:
        return f"el-{self.element_id}"


@dataclass(frozen=True)
class FindingView:
    finding: Finding
    elements: tuple[ElementView, ...]
    unknown_ids: tuple[str, ...]  # ids a finding names that are not elements (kept visible, not dropped)


@dataclass(frozen=True)
class ReportContent:
    title: str
    description: str
    element_count: int
    counts: dict[str, int]  # findings per severity
    summary: list[tuple[str, str]]
    chains: list[str]
    questions: list[tuple[CoreQuestion, list[FindingView]]]
    appendix: list[tuple[str, list[ElementView]]]  # (heading, e.g. 'Losses', elements) in reading order
    hidden_quotes: int
    stream: Stream


def _position(quote: Quote) -> str | None:
    if quote.timestamp:
        return quote.timestamp
    if quote.line is not None:
        return f"line {quote.line}"
    if quote.start is not None:
        return f"characters {quote.start}-{quote.end}" if quote.end is not None else f"character {quote.start}"
    return None


def quote_view(quote: Quote, sources: dict[str, Source]) -> QuoteView:
    source = sources.get(quote.source_id)
    name = (source.title or source.id) if source else quote.source_id
    return QuoteView(quote.text, quote.speaker, name, _position(quote), quote.match.value)


def element_view(element: Element, stream: Stream, sources: dict[str, Source]) -> ElementView:
    verified = [quote_view(q, sources) for q in element.evidence if q.verified]
    return ElementView(
        element_id=element.id,
        tag=stream.tag(element.id),
        kind=element.kind_name,
        name=element.name,
        detail=element.detail,
        marks=tuple(trust_marks(element)),
        quotes=tuple(verified),
        hidden_quotes=sum(1 for q in element.evidence if not q.verified),
        voices=element.corroboration,
    )


def report_content(value_map: ValueMap, report: CheckReport) -> ReportContent:
    """Gather everything the written report shows, in the order it shows it."""
    stream = read_stream(value_map)
    sources = {s.id: s for s in value_map.sources}
    views = {e.id: element_view(e, stream, sources) for e in value_map.elements()}
    questions = []
    for question, findings in report.by_question().items():
        questions.append((question, [
            FindingView(
                finding,
                tuple(views[i] for i in finding.element_ids if i in views),
                tuple(i for i in finding.element_ids if i not in views),
            )
            for finding in findings
        ]))
    appendix = []
    for collection in TAG_PREFIX:
        elements = sorted(getattr(value_map, collection), key=lambda e: _tag_order(stream.tag(e.id)))
        if elements:
            heading = plural_noun(COLLECTIONS[collection].kind_name).capitalize()
            appendix.append((heading, [views[e.id] for e in elements]))
    counts = {s: sum(1 for f in report.findings if f.severity.value == s) for s in ("error", "warning", "info")}
    return ReportContent(
        title=value_map.title or "Untitled map",
        description=value_map.description,
        element_count=report.summary.elements,
        counts=counts,
        summary=summary_lines(report.summary),
        chains=chain_text(value_map, report),
        questions=questions,
        appendix=appendix,
        hidden_quotes=sum(v.hidden_quotes for v in views.values()),
        stream=stream,
    )


def _tag_order(tag: str) -> tuple[str, int]:
    prefix, digits = tag[:1], tag[1:]
    return (prefix, int(digits)) if digits.isdigit() else (tag, 0)


def plural_noun(word: str) -> str:
    return f"{word}es" if word.endswith("s") else f"{word}s"


def plural(count: int, word: str) -> str:
    return f"{count} {word if count == 1 else plural_noun(word)}"
