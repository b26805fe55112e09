"""What the written report says: findings by core question, verified evidence only, trust marks, escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import pytest

from agent.checks import check_map
from agent.reports.content import report_content
from agent.reports.diff import diff_maps
from agent.reports.html import diff_html, escape, report_html, stream_script
from agent.reports.layout import layout_diagram
from agent.reports.markdown import md_text, report_markdown
from agent.reports.svg import diagram_svg
from schemas import ValueMap
from schemas.findings import CoreQuestion
from tests.map_builders import build, healthy_map_data

HOSTILE = '<script>window.__vsm_pwned = 1</script>'
ATTRIBUTE_BREAKER = '"><img src=x onerror="window.__vsm_pwned=2">'
UNVERIFIED_TEXT = "we never actually said this sentence"


def hostile_map() -> ValueMap:
    """A map whose every free text tries to become markup, with verified and unverified quotes."""
    data = healthy_map_data()
    data["title"] = f"Acme {HOSTILE}"
    data["description"] = f"{ATTRIBUTE_BREAKER} & </style> ]]> <!-- -->"
    data["sources"][1]["title"] = f"Call {HOSTILE}"
    stage = data["stages"][0]
    stage["name"] = HOSTILE
    stage["detail"] = f"{ATTRIBUTE_BREAKER} **bold** [link](javascript:alert(1))"
    stage["evidence"] = [
        {"text": f"I said {HOSTILE} on the call", "source_id": "src-customer", "speaker": f"Cora {HOSTILE}",
         "start": 0, "end": 10, "timestamp": "00:03:12", "match": "normalised"},
        {"text": UNVERIFIED_TEXT, "source_id": "src-customer", "speaker": "Cora", "match": "unverified"},
    ]
    data["thresholds"][0]["name"] = f"Gate {ATTRIBUTE_BREAKER}"
    data["thresholds"][0]["evidence"] = []  # ungrounded: must be marked
    data["exchanges"] = data["exchanges"][1:]  # th-mark loses its exchange: a missing-exchange error
    data["stages"][1]["provenance"] = {"proposed_by": "person", "review": "confirmed"}
    data["losses"] = [{"id": "loss-churn", "name": f"Churn {HOSTILE}", "kind": "churn",
                       "metric": {"name": "churn", "text": "30% <b>monthly</b>"}, "threshold_ids": ["th-pay"]}]
    return build(data)


class _Elements(HTMLParser):
    """Every start tag a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def parsed_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="module")
def hostile() -> tuple[ValueMap, Any]:
    value_map = hostile_map()
    return value_map, check_map(value_map)


def test_html_shows_script_from_a_transcript_as_text(hostile: tuple[ValueMap, Any]) -> None:
    html = report_html(*hostile)
    tags = [tag for tag, _ in parsed_tags(html)]
    assert tags.count("script") == 1 and "img" not in tags  # the one script is the report's own
    assert re.findall(r"<script>(.*?)</script>", html, re.S) == [stream_script()]
    assert "&lt;script&gt;window.__vsm_pwned = 1&lt;/script&gt;" in html
    assert all(not name.startswith("on") for _, attrs in parsed_tags(html) for name, _ in attrs)


def test_html_loads_nothing_from_outside(hostile: tuple[ValueMap, Any]) -> None:
    html = report_html(*hostile)
    for tag, attrs in parsed_tags(html):
        for name, value in attrs:
            if name in ("src", "href", "action", "xlink:href"):
                assert value is not None and (value.startswith("#") or value.startswith("data:")), (tag, name, value)
    assert not re.search(r"url\((?!data:)", html)
    assert "@import" not in html


def test_html_policy_allows_only_its_own_stylesheet_and_script(hostile: tuple[ValueMap, Any]) -> None:
    import base64
    import hashlib

    def hashed(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    html = report_html(*hostile)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
    assert directives["default-src"] == "'none'"
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    script = re.search(r"<script>(.*?)</script>", html, re.S)
    assert style is not None and script is not None
    assert directives["style-src"] == hashed(style.group(1))
    assert directives["script-src"] == hashed(script.group(1))  # that script only: no 'unsafe-inline', no host
    assert html.count("<style>") == 1 and html.count("<script") == 1


def test_the_diff_page_has_no_script_at_all(hostile: tuple[ValueMap, Any]) -> None:
    value_map, report = hostile
    html = diff_html(diff_maps(value_map, value_map, report, report))
    assert "<script" not in html and "script-src" not in html


def test_only_verified_quotes_are_shown(hostile: tuple[ValueMap, Any]) -> None:
    html = report_html(*hostile)
    markdown = report_markdown(*hostile)
    assert UNVERIFIED_TEXT not in html and UNVERIFIED_TEXT not in markdown
    assert "I said &lt;script&gt;" in html
    assert "00:03:12" in html and "Cora &lt;script&gt;" in html and "Call &lt;script&gt;" in html
    assert "1 quote that could not be found in its source is not shown" in html


def test_elements_without_evidence_or_confirmation_are_marked(hostile: tuple[ValueMap, Any]) -> None:
    content = report_content(*hostile)
    views = {v.element_id: v for _, elements in content.appendix for v in elements}
    assert views["th-mark"].marks == ("no verified quote", "not confirmed")
    assert views["st-pay"].marks == ()  # verified quote and confirmed by a person
    assert views["st-browse"].marks == ("not confirmed",)
    assert views["st-browse"].hidden_quotes == 1 and len(views["st-browse"].quotes) == 1
    html = report_html(*hostile)
    assert '<span class="mark">no verified quote</span>' in html
    assert "<h3>Losses (1)</h3>" in html and "<h3>Give-get exchanges (1)</h3>" in html


def test_an_element_told_by_several_people_says_so_in_both_reports() -> None:
    data = healthy_map_data()
    quote = {"source_id": "src-customer", "start": 0, "end": 10, "match": "exact"}
    data["stages"][0]["evidence"] = [{**quote, "text": "we mark lawyers", "speaker": "Cora"},
                                     {**quote, "text": "we mark them", "speaker": "Dan", "start": 20, "end": 30},
                                     {**quote, "text": "marking again", "speaker": "cora", "start": 40, "end": 50}]
    value_map = build(data)
    stage = value_map.stages[0]
    content = report_content(value_map, check_map(value_map))
    views = {v.element_id: v for _, elements in content.appendix for v in elements}
    assert views[stage.id].told_by == "told by 2 people"  # Cora twice is one voice
    assert all(v.told_by == "" for key, v in views.items() if key != stage.id)
    assert '<span class="told">told by 2 people</span>' in report_html(value_map, check_map(value_map))
    assert f"`{stage.id}`, told by 2 people)" in report_markdown(value_map, check_map(value_map))


def test_findings_are_grouped_by_the_three_questions_with_the_next_question(hostile: tuple[ValueMap, Any]) -> None:
    value_map, report = hostile
    html = report_html(value_map, report)
    for question in CoreQuestion:
        assert f"{question.number}. {question.text}" in html
    missing = next(f for f in report.findings if f.code == "missing-exchange")
    assert missing.question is CoreQuestion.VALUE_USED
    second = html.index("2. What value is used to move it forward?")
    third = html.index("3. Where does that value break down?")
    assert second < html.index("<code>missing-exchange</code>") < third
    assert f"Ask next:</span> {escape(missing.next_question)}" in html


def test_summary_figures_and_chains_are_in_both_reports(hostile: tuple[ValueMap, Any]) -> None:
    html = report_html(*hostile)
    markdown = report_markdown(*hostile)
    assert "thresholds with a resistance and an exchange" in html
    assert "| thresholds with a resistance and an exchange | 50% |" in markdown
    assert "Purchase -&gt; (no duplication) -&gt; Churn &lt;script&gt;" in html
    assert "Threshold → duplication → loss" in markdown


def test_markdown_escapes_markup_and_embeds_the_mermaid_stream(hostile: tuple[ValueMap, Any]) -> None:
    markdown = report_markdown(*hostile)
    assert "<script>" not in markdown and "<img" not in markdown and "<b>" not in markdown
    assert "&lt;script>" in markdown
    assert "\\*\\*bold\\*\\* \\[link\\](javascript:alert(1))" in markdown
    assert "```mermaid\nflowchart LR" in markdown


@pytest.mark.parametrize(("text", "shown"), [
    ("<b>x</b>", "&lt;b>x&lt;/b>"),
    ("a_b*c", "a_b\\*c"),
    ("_urgent_ __init__", "\\_urgent\\_ \\_\\_init\\_\\_"),
    ("- not a list", "\\- not a list"),
    ("1. not a list", "1\\. not a list"),
    ("line\nbreak", "line break"),
])
def test_markdown_text_is_inert(text: str, shown: str) -> None:
    assert md_text(text) == shown


def test_svg_of_a_hostile_map_is_well_formed_and_escaped(hostile: tuple[ValueMap, Any]) -> None:
    svg = diagram_svg(layout_diagram(hostile[0]))
    root = ET.fromstring(svg)
    namespace = "{http://www.w3.org/2000/svg}"
    assert not list(root.iter(f"{namespace}script"))
    texts = " ".join(t.text or "" for t in root.iter(f"{namespace}text"))
    assert "<script>" in texts  # shown as characters after parsing


def test_control_characters_from_a_transcript_do_not_break_the_svg() -> None:
    data = healthy_map_data()
    data["stages"][0]["name"] = "Bell\x07 and\x00 null"
    svg = diagram_svg(layout_diagram(build(data)))
    ET.fromstring(svg)


def test_check_markdown_escapes_map_text_too(hostile: tuple[ValueMap, Any]) -> None:
    from agent.reports.findings_text import findings_as_markdown

    markdown = findings_as_markdown(*hostile)
    assert "<script>" not in markdown and "&lt;script>" in markdown


def test_reports_are_deterministic(hostile: tuple[ValueMap, Any]) -> None:
    assert report_html(*hostile) == report_html(*hostile)
    assert report_markdown(*hostile) == report_markdown(*hostile)
