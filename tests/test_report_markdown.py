"""Markdown reports read cleanly as text (the tool's own arrows and parentheses are not escaped) and stay
inert when rendered (transcript text such as `<script>` or `**bold**` never becomes markup)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from agent.checks import check_map
from agent.reports.diff import diff_maps, diff_markdown
from agent.reports.findings_text import findings_as_markdown
from agent.reports.markdown import report_markdown
from agent.reports.markdown_text import md_text
from agent.storage import load_map
from schemas import ValueMap
from tests.map_builders import build, healthy_map_data

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "transcripts" / "legal-platform" / "map.json"
HOSTILE = "<script>window.__vsm_pwned = 1</script>"


def chain_map() -> ValueMap:
    """A traced loss whose name comes from a transcript with a script in it, and text with parentheses."""
    data = healthy_map_data()
    data["stages"][0]["detail"] = "Owners browse (often from search) and mark **every** lawyer -> partnerships call them"
    data["losses"] = [{"id": "loss-churn", "name": f"Churn {HOSTILE}", "kind": "churn", "threshold_ids": ["th-pay"]}]
    return build(data)


@pytest.fixture(scope="module")
def checked() -> tuple[ValueMap, Any]:
    value_map = chain_map()
    return value_map, check_map(value_map)


def renderer() -> Any:
    """A CommonMark renderer that passes raw HTML through, as many viewers do (plus GFM tables, strikethrough)."""
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def test_the_tools_own_chain_arrows_and_parentheses_come_out_clean(checked: tuple[ValueMap, Any]) -> None:
    for markdown in (report_markdown(*checked), findings_as_markdown(*checked)):
        assert "- Purchase -> (no duplication) -> Churn &lt;script>" in markdown
        assert "&gt;" not in markdown and "\\(" not in markdown and "\\)" not in markdown
    assert "Owners browse (often from search) and mark \\*\\*every\\*\\* lawyer -> partnerships call them" \
        in report_markdown(*checked)
    assert "### Threshold → duplication → loss" in report_markdown(*checked)


def test_a_bundled_report_has_no_stray_entities_or_backslashes() -> None:
    value_map = load_map(EXAMPLE)
    markdown = report_markdown(value_map, check_map(value_map))
    assert " -> " in markdown
    assert not re.search(r"&gt;|&amp;|\\[()]", markdown)


def test_script_from_a_transcript_stays_text_when_the_markdown_is_rendered(checked: tuple[ValueMap, Any]) -> None:
    rendered = renderer().render(report_markdown(*checked))
    assert "<script" not in rendered and "<strong>every" not in rendered and "mark **every** lawyer" in rendered
    assert "Churn &lt;script&gt;window.__vsm_pwned = 1&lt;/script&gt;" in rendered
    assert "Purchase -&gt; (no duplication) -&gt; Churn" in rendered  # HTML's own escaping, shown as "->"


def test_diff_markdown_neutralises_a_script_in_a_title(checked: tuple[ValueMap, Any]) -> None:
    after = checked[0].model_copy(update={"title": HOSTILE})
    rendered = renderer().render(diff_markdown(diff_maps(checked[0], after, checked[1], check_map(after))))
    assert "<script" not in rendered and "&lt;script&gt;" in rendered


TRICKY = [
    "A -> B → C (note)", "<script>alert(1)</script>", "<b>x</b> <!-- c --> <?php <http://evil.example>",
    "<5 days, x < y > z", "R&D &amp; &#60; &lt;", "**bold** *it* __b__ _urgent_", "audience_divergence __init__",
    "[link](javascript:alert(1)) ![img](x) [ref]: http://a", "a | b ~~gone~~ ~40 min `code`",
    "- dash", "+ plus", "-5% and +1", "1. one", "2) two", "1.5 days", "# heading", "#123 ticket", "Step ##",
    "---", "===", "> quote", "C:\\path \\* ends with \\",
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize(("before", "after"), [("", ""), ("- ", ""), ("| k | ", " |"), ("> “", "”")],
                         ids=["paragraph", "list", "table", "quote"])
def test_map_text_renders_exactly_as_typed(text: str, before: str, after: str) -> None:
    source = f"{before}{md_text(text)}{after}"
    if before.startswith("|"):
        source = f"| key | value |\n| --- | --- |\n{source}"
    rendered = renderer().render(source)
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "blockquote"}, rendered
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
    if before.startswith("|"):
        shown = shown.split("\n")[-1].strip()
    assert shown.removeprefix("“").removesuffix("”") == text
