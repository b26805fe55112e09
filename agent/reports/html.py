"""The report a consultant hands over: one self-contained HTML file that opens anywhere and prints well.

Everything is inside the file: the CSS, the diagram as inline SVG, the font as a data URI, and one
small script (pan and zoom, click to light up a chain). A Content-Security-Policy allows exactly that
stylesheet and that script, by their hashes, and nothing else: no other script, no network, no font or
image that is not in the file. Every piece of map text goes through `escape`, so a transcript that
contains `<script>` shows those characters and runs nothing. With scripts off the report reads the
same, the whole stream fitted to the page.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path

from agent import __version__
from agent.reports.content import ElementView, FindingView, QuoteView, ReportContent, plural, report_content
from agent.reports.diff import MapDiff, diff_headline, diff_sections
from agent.reports.focus import element_chains
from agent.reports.layout import DiagramLayout, layout_diagram
from agent.reports.svg import font_face_css, legend_svg, stream_svg, xml_text
from schemas.findings import CheckReport
from schemas.value_map import ValueMap

SEVERITY_WORD = {"error": "Error", "warning": "Warning", "info": "Info"}

STYLE = """
:root { --ink: #1b1b1b; --muted: #555; --rule: #d9d9d9; --paper: #fff; --accent: #1d5c99; }
* { box-sizing: border-box; }
html { font-family: 'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif; color: var(--ink);
  background: var(--paper); font-size: 15px; line-height: 1.5; }
body { margin: 0 auto; padding: 28px 32px 48px; max-width: 1240px; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.08rem; margin: 1.6rem 0 .5rem; }
p { margin: .4rem 0; }
a { color: var(--accent); }
.lede { color: var(--muted); margin: 0 0 .6rem; }
.meta { color: var(--muted); font-size: .86rem; }
nav.toc ol { display: flex; flex-wrap: wrap; gap: .2rem 1.4rem; padding: 0; margin: .8rem 0 0;
  list-style: none; font-size: .9rem; }
table.figures { border-collapse: collapse; margin: .4rem 0 1rem; min-width: 60%; }
table.figures th, table.figures td { text-align: left; padding: .3rem .8rem .3rem 0;
  border-bottom: 1px solid var(--rule); vertical-align: top; }
table.figures td.value { font-variant-numeric: tabular-nums; white-space: nowrap; }
ul.chains { padding-left: 1.2rem; }
/* The stream may use the window's whole width, not only the text column: a long stream reads larger. */
.stream-wide { margin: 0 calc(50% - 50vw + 32px); }
.stream-view { border: 1px solid var(--rule); border-radius: 4px; overflow: hidden; padding: 4px 0;
  touch-action: pan-y; }
.stream-view:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.stream-view svg.stream { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.stream-view.zoomed { cursor: grab; }
.stream-view.dragging { cursor: grabbing; }
svg.stream g.card { cursor: pointer; }
svg.stream.focused g.card:not(.on), svg.stream.focused g.trace:not(.on),
svg.stream.focused g.flow:not(.on) { opacity: .2; }
svg.stream g.card.picked > rect:first-of-type { stroke-width: 4; }
svg.stream g.card:focus { outline: none; }
svg.stream g.card:focus-visible > rect:first-of-type { stroke: var(--accent); stroke-width: 4; }
.zoom-tools { display: flex; justify-content: flex-end; gap: 4px; margin-bottom: 4px; }
.zoom-tools[hidden] { display: none; }
.zoom-tools button, .focus-note button { font: inherit; font-size: .85rem; min-width: 2rem; padding: .1rem .5rem;
  background: #fff; border: 1px solid #767676; border-radius: 3px; cursor: pointer; }
.focus-note { border-left: 5px solid var(--accent); padding: .3rem .8rem; background: #f3f7fb; }
.legend-view { overflow: hidden; margin-top: .4rem; }
.legend-view svg { display: block; max-width: 100%; height: auto; }
.hint { color: var(--muted); font-size: .86rem; }
.finding.on { outline: 3px solid var(--accent); outline-offset: 2px; }
.finding { border-left: 5px solid var(--rule); padding: .5rem .9rem .6rem; margin: .8rem 0;
  background: #fafafa; }
.finding.error { border-left-color: #a32018; }
.finding.warning { border-left-color: #b86e00; border-left-style: double; border-left-width: 6px; }
.finding.info { border-left-color: #1d5c99; border-left-style: dotted; }
.finding header { display: flex; flex-wrap: wrap; gap: .2rem .7rem; align-items: baseline; }
.severity { font-weight: bold; text-transform: uppercase; font-size: .78rem; letter-spacing: .04em;
  padding: .05rem .45rem; border: 1.5px solid currentColor; border-radius: 3px; }
.severity.error { color: #a32018; }
.severity.warning { color: #8a5200; }
.severity.info { color: #1d5c99; }
code { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: .88em; }
.ask { font-weight: bold; }
.elements { margin: .5rem 0 0; padding: 0; list-style: none; }
.elements > li { margin: .45rem 0; }
.tag { font-weight: bold; }
.kind { color: var(--muted); font-size: .86rem; }
.told { display: inline-block; font-size: .76rem; color: #1f5130; border: 1px solid #1f5130;
  border-radius: 3px; padding: 0 .35rem; margin-left: .3rem; }
.mark { display: inline-block; font-size: .76rem; font-weight: bold; color: #8c1d18;
  border: 1px dashed #8c1d18; border-radius: 3px; padding: 0 .35rem; margin-left: .3rem; }
blockquote { margin: .35rem 0 .35rem 1rem; padding: .1rem 0 .1rem .8rem; border-left: 3px solid #b9b9b9; }
blockquote p { margin: 0; font-style: italic; }
blockquote footer { font-size: .82rem; color: var(--muted); }
.more { font-size: .84rem; color: var(--muted); }
.element { border-top: 1px solid var(--rule); padding: .5rem 0; }
.element h4 { margin: 0; font-size: 1rem; }
.detail { margin: .2rem 0; white-space: pre-wrap; }
.nothing { color: var(--muted); font-style: italic; }
footer.page { margin-top: 3rem; border-top: 1px solid var(--rule); padding-top: .6rem; }
@page { margin: 14mm 12mm; }
@page wide { size: landscape; margin: 10mm; }
@media print {
  html { font-size: 10pt; }
  body { padding: 0; max-width: none; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  section.diagram { page: wide; }
  .stream-wide { margin: 0; }
  .stream-view { border: 0; padding: 0; break-inside: avoid; }
  .stream-view svg.stream { width: auto; max-width: 100%; height: auto; max-height: 150mm; }
  .zoom-tools, .focus-note, .hint { display: none; }
  svg.stream.focused g.card, svg.stream.focused g.trace, svg.stream.focused g.flow { opacity: 1; }
  .legend-view { break-inside: avoid; }
  .finding, .element, blockquote, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .finding { background: none; }
}
"""


def escape(text: str) -> str:
    """Escape map text for HTML content and attributes: both quotes, and control characters replaced."""
    return xml_text(text)


def _csp_hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def _style_block() -> tuple[str, str]:
    """The page's CSS and its CSP hash: the policy allows exactly this stylesheet and nothing inline else."""
    css = font_face_css() + STYLE
    return css, _csp_hash(css)


@cache
def stream_script() -> str:
    """The one script of the report (pan, zoom, chain highlight), kept as a file a reviewer can read."""
    return (Path(__file__).parent / "stream_view.js").read_text(encoding="utf-8")


def content_security_policy(style_hash: str, script_hash: str | None = None) -> str:
    script = f"script-src {script_hash}; " if script_hash else ""
    return (
        f"default-src 'none'; {script}style-src {style_hash}; font-src data:; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def report_html(value_map: ValueMap, report: CheckReport, *, layout: DiagramLayout | None = None,
                source_name: str | None = None) -> str:
    """The whole report as one HTML document."""
    content = report_content(value_map, report)
    layout = layout or layout_diagram(value_map)
    body = [
        *_header(content, source_name),
        *_summary(content),
        *_diagram(layout, element_chains(value_map)),
        *_findings(content),
        *_appendix(content),
        *_footer(content),
    ]
    return _page(f"{content.title}: value stream report", body, script=stream_script())


def _page(title: str, body: list[str], script: str | None = None) -> str:
    """A complete document around `body`: the stylesheet, the font, the script if any, and the policy that
    locks it down to exactly those."""
    css, style_hash = _style_block()
    script_hash = _csp_hash(script) if script else None
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # The policy is ours, never map text; it holds single quotes only, so it sits unescaped in the attribute.
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(style_hash, script_hash)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)}</title>",
        f"<style>{css}</style>",
        "</head><body>",
        *body,
        *([f"<script>{script}</script>"] if script else []),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def diff_html(diff: MapDiff) -> str:
    """What changed between two versions of a map, as a page in the report's style."""
    title = diff.new_title or diff.old_title or "Untitled map"
    body = [f"<header><h1>{escape(title)}: what changed</h1>",
            f'<p class="lede">{escape(diff_headline(diff))}.</p></header>']
    for heading, lines in diff_sections(diff):
        body.append(f"<section><h2>{escape(heading)} ({len(lines)})</h2>")
        if lines:
            body.append("<ul>")
            body.extend(f"<li>{escape(line)}</li>" for line in lines)
            body.append("</ul>")
        else:
            body.append('<p class="nothing">None.</p>')
        body.append("</section>")
    return _page(f"{title}: what changed", body)


def _header(content: ReportContent, source_name: str | None) -> list[str]:
    counts = ", ".join(plural(n, s) for s, n in content.counts.items() if n) or "no findings"
    origin = f" from <code>{escape(source_name)}</code>" if source_name else ""
    parts = ["<header>", f"<h1>{escape(content.title)}</h1>"]
    if content.description:
        parts.append(f'<p class="lede">{escape(content.description)}</p>')
    parts += [
        f'<p class="meta">Value stream report{origin}: {plural(content.element_count, "element")}; {counts}. '
        f"Made by vsm {escape(__version__)} (Wasteless Growth value stream mapping).</p>",
        '<nav class="toc" aria-label="Contents"><ol>',
        '<li><a href="#summary">Summary</a></li><li><a href="#diagram">The stream</a></li>',
        '<li><a href="#findings">Findings</a></li><li><a href="#chains">Loss chains</a></li>',
        '<li><a href="#elements">Elements and evidence</a></li>',
        "</ol></nav>",
        "</header>",
    ]
    return parts


def _summary(content: ReportContent) -> list[str]:
    parts = ['<section id="summary"><h2>Summary</h2>', '<table class="figures"><tbody>']
    for key, value in content.summary:
        parts.append(f'<tr><th scope="row">{escape(key)}</th><td class="value">{escape(value)}</td></tr>')
    parts.append("</tbody></table>")
    parts.append('<h3 id="chains">Threshold → duplication → loss</h3>')
    if content.chains:
        parts.append('<ul class="chains">')
        parts.extend(f"<li>{escape(line)}</li>" for line in content.chains)
        parts.append("</ul>")
    else:
        parts.append('<p class="nothing">No loss is traced yet.</p>')
    parts.append("</section>")
    return parts


def _diagram(layout: DiagramLayout, chains: dict[str, tuple[str, ...]]) -> list[str]:
    streams = len(layout.rows)
    per_stream = (f" This map joins {streams} value streams; each is drawn whole, one under the other."
                  if streams > 1 else "")
    return [
        '<section class="diagram" id="diagram"><h2>The stream</h2>',
        "<p>Stages left to right, customer-facing above the line of visibility and internal below; each gate is "
        "a threshold the customer must cross, with its resistance and give-get exchange. Losses hang below, "
        "with arrows back to the duplications and gates they trace to. Tags (S1, T2, L3) point to the elements "
        f'listed <a href="#elements">below</a>.{per_stream}</p>',
        '<p class="hint">Click a card, or Tab to it and press Enter, to light up its chain (gate, duplication, '
        'loss) and its findings. '
        "Zoom: ctrl + wheel, double-click, or + and − (0 fits); drag or the arrow keys pan.</p>",
        '<div class="stream-wide">',
        '<div class="zoom-tools" hidden><button type="button" data-zoom="in" aria-label="Zoom in">+</button>'
        '<button type="button" data-zoom="out" aria-label="Zoom out">−</button>'
        '<button type="button" data-zoom="fit">Fit</button></div>',
        '<div class="stream-view" tabindex="0" role="group" aria-label="Value stream diagram; + and - zoom, '
        'arrow keys pan, 0 fits">',
        stream_svg(layout, chains),
        "</div></div>",
        '<p class="focus-note" id="focus-note" aria-live="polite" hidden></p>',
        f'<div class="legend-view">{legend_svg(layout)}</div>',
        "</section>",
    ]


def _findings(content: ReportContent) -> list[str]:
    parts = ['<section id="findings"><h2>Findings</h2>',
             "<p>Grouped by the three core questions of a discovery session. Each finding says why it matters, "
             "which elements it concerns with their verified evidence, and the question to ask next.</p>"]
    number = 0
    for question, findings in content.questions:
        parts.append(f'<h3 id="q{question.number}">{question.number}. {escape(question.text)}</h3>')
        if not findings:
            parts.append('<p class="nothing">Nothing flagged.</p>')
        for finding in findings:
            number += 1
            parts.extend(_finding(finding, number))
    parts.append("</section>")
    return parts


def _finding(view: FindingView, number: int) -> list[str]:
    finding = view.finding
    severity = finding.severity.value
    parts = [
        f'<article class="finding {severity}" id="finding-{number}" '
        f'data-elements="{escape(" ".join(finding.element_ids))}">',
        f'<header><span class="severity {severity}">{SEVERITY_WORD[severity]}</span>'
        f"<code>{escape(finding.code)}</code></header>",
        f"<p>{escape(finding.reason)}</p>",
        f'<p><span class="ask">Ask next:</span> {escape(finding.next_question)}</p>',
    ]
    if view.elements or view.unknown_ids:
        parts.append('<ul class="elements">')
        for element in view.elements:
            parts.append(f"<li>{_element_line(element, link=True)}")
            parts.extend(_quotes(element, QUOTES_IN_FINDING))
            parts.append("</li>")
        parts.extend(f"<li><code>{escape(i)}</code></li>" for i in view.unknown_ids)
        parts.append("</ul>")
    parts.append("</article>")
    return parts


QUOTES_IN_FINDING = 3


def _element_line(element: ElementView, *, link: bool) -> str:
    name = escape(element.name)
    if link:
        name = f'<a href="#{escape(element.anchor)}">{name}</a>'
    marks = "".join(f'<span class="mark">{escape(mark)}</span>' for mark in element.marks)
    told = f'<span class="told">{escape(element.told_by)}</span>' if element.told_by else ""
    return (
        f'<span class="tag">{escape(element.tag)}</span> {name} '
        f'<span class="kind">{escape(element.kind)} <code>{escape(element.element_id)}</code></span>{told}{marks}'
    )


def _quote(quote: QuoteView) -> str:
    return (
        f"<blockquote><p>“{escape(quote.text)}”</p>"
        f"<footer>— {escape(quote.attribution)} <span class=\"kind\">({escape(quote.match)} match)</span>"
        "</footer></blockquote>"
    )


def _quotes(element: ElementView, limit: int | None) -> list[str]:
    shown = element.quotes if limit is None else element.quotes[:limit]
    parts = [_quote(q) for q in shown]
    if limit is not None and len(element.quotes) > limit:
        rest = len(element.quotes) - limit
        parts.append(f'<p class="more">{plural(rest, "more quote")} under '
                     f'<a href="#{escape(element.anchor)}">{escape(element.tag)}</a>.</p>')
    return parts


def _appendix(content: ReportContent) -> list[str]:
    parts = ['<section id="elements"><h2>Elements and evidence</h2>',
             "<p>Every element of the map with the quotes that ground it. Only quotes verified against their "
             "source are shown. <em>no verified quote</em> marks an element nothing in the sources supports yet; "
             "<em>unconfirmed quote</em> one whose quote the model worded differently from the source (the "
             "findings show both wordings); <em>not confirmed</em> one no person has confirmed.</p>"]
    for heading, elements in content.appendix:
        parts.append(f"<h3>{escape(heading)} ({len(elements)})</h3>")
        for element in elements:
            parts.append(f'<div class="element" id="{escape(element.anchor)}">')
            parts.append(f"<h4>{_element_line(element, link=False)}</h4>")
            if element.detail:
                parts.append(f'<p class="detail">{escape(element.detail)}</p>')
            parts.extend(_quotes(element, None))
            parts.append("</div>")
    parts.append("</section>")
    return parts


def _footer(content: ReportContent) -> list[str]:
    hidden = (
        f" {plural(content.hidden_quotes, 'quote')} that could not be found in "
        f"{'its' if content.hidden_quotes == 1 else 'their'} source {'is' if content.hidden_quotes == 1 else 'are'} "
        "not shown."
        if content.hidden_quotes else ""
    )
    return [
        '<footer class="page"><p class="meta">Every quote shown was found in its source (exactly, after '
        f"normalising, or located approximately and shown in the source's own words).{hidden}</p></footer>"
    ]
