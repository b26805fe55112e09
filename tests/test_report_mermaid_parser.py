"""Mermaid's own parser reads what `vsm report --format mermaid` writes, and reads it as we meant it.

tests/test_report_mermaid.py pins the grammar with a validator of our own; this runs the real thing: the
`mermaid` npm package, at an exact version, in headless Chromium (its parser needs a DOM: in bare Node,
`mermaid.parse` fails on DOMPurify). npm installs it once into a cache outside the repository
(~/.cache/vsm-tests, or $XDG_CACHE_HOME); the page loads `mermaid.min.js` from that file, so nothing
is fetched while the test runs. Only the self-contained bundle is used, so the exact version of
`mermaid` pins everything the test runs. Skips only where npm or /usr/bin/chromium is absent (CI
installs both).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.reports.mermaid import map_mermaid
from agent.reports.synthetic_map import synthetic_map
from agent.storage import load_map
from schemas import ValueMap
from tests import test_report_browser as harness
from tests.map_builders import build, healthy_map_data
from tests.test_report_browser import DevTools
from tests.test_report_content import ATTRIBUTE_BREAKER, HOSTILE, hostile_map

MERMAID_VERSION = "12.3.0"  # exact: the newest release when this was written
NPM = shutil.which("npm")
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vsm-tests" / f"mermaid-{MERMAID_VERSION}"
ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "transcripts").glob("*/map.json"))

pytestmark = [
    pytest.mark.skipif(not harness.CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install chromium); CI installs it"),
    pytest.mark.skipif(NPM is None, reason="needs npm to install Mermaid (apt-get install nodejs npm); CI installs it"),
]

browser = harness.browser  # the same headless Chromium the HTML report is checked in

# Names that are Mermaid syntax outside a label: quotes, every bracket, pipes (edge labels), `;` and line
# breaks (statement ends), `:::` (class shorthand), `%%` and `%%{init}%%` (comments, directives), entity
# codes, backticks (Markdown strings), keywords, style syntax, markup, and scripts beyond Latin.
MERMAID_HOSTILE = [
    HOSTILE,
    ATTRIBUTE_BREAKER,
    'x"] --> Z["y" | ( ) [ ] { } {{ }} [[ ]] ([ ]) [/ /] > < ---',
    "|pipe| A;B\nnext\tline\u2028 ::: cls -.-> end subgraph click S1 call alert(1)",
    "%% c %%{init: {'theme':'dark', 'flowchart': {'htmlLabels': false}}}%%",
    "#quot; #35; &amp; &lt;b&gt; `md` \"`md`\" \\ 50% – Ünïcödé 中文 עברית 🚀",
    "style S1 fill:#f00; classDef x fill:#f00; linkStyle 0 stroke:#f00;",
]
STYLE_QUIRK = MERMAID_HOSTILE[-1]  # Mermaid eats two `;` of such a label (see the test of it)
MAX_INSTALL_SECONDS = 300

PARSE_PAGE = """<!doctype html><meta charset="utf-8"><title>mermaid parse</title>
<script src="{bundle}"></script>
<script>
mermaid.initialize({{startOnLoad: false}});
// Mermaid's verdict (the public `parse`), then what it understood: nodes, labels, edges.
window.vsmParse = async (text) => {{
  try {{
    const result = await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    return {{ok: true, type: result.diagramType, config: result.config,
            nodes: [...diagram.db.getVertices().values()].map((v) => [v.id, v.text]),
            edges: diagram.db.getEdges().map((e) => [e.start, e.end, e.stroke, e.text]),
            classes: [...diagram.db.getClasses().keys()]}};
  }} catch (error) {{
    return {{ok: false, error: String(error && error.message || error)}};
  }}
}};
window.vsmRender = async (text) => {{
  const {{svg}} = await mermaid.render("diagram", text);
  const host = document.createElement("div");
  host.innerHTML = svg;
  document.body.append(host);
  return {{scripts: host.querySelectorAll("script, iframe, object, embed").length,
          handlers: [...host.querySelectorAll("*")].flatMap((el) => [...el.attributes])
                      .filter((a) => a.name.startsWith("on")).length,
          text: host.textContent}};
}};
</script>
"""

NODE_LINE = re.compile(r'^    (?P<id>\w+)(?:\(\[|\[\[|\{\{|\[/|\[|>)"(?P<label>[^"]*)"(?:\]\)|\]\]|\}\}|/\]|\])$')
EDGE_LINE = re.compile(r"^    (?P<a>\w+) (?:-->|-\.->)(?:\|\"(?P<label>[^\"]*)\"\|)? (?P<b>\w+)$")


def _install(target: Path) -> None:
    """npm install the pinned Mermaid into a fresh folder, then move it into place in one step."""
    assert NPM is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        result = subprocess.run(
            [NPM, "install", "--prefix", str(staging), f"mermaid@{MERMAID_VERSION}", "--save-exact",
             "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
            capture_output=True, text=True, timeout=MAX_INSTALL_SECONDS, check=False)
        if result.returncode != 0:
            pytest.fail(f"npm install mermaid@{MERMAID_VERSION} failed:\n{result.stderr[-3000:]}")
        try:
            staging.rename(target)
        except OSError:
            assert target.exists(), "could not move the installed Mermaid into the cache"  # another run won
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@pytest.fixture(scope="session")
def mermaid_bundle() -> Path:
    """The pinned `mermaid.min.js`, installed on first use and kept in the cache after that."""
    package = CACHE / "node_modules" / "mermaid"
    if not (package / "dist" / "mermaid.min.js").exists():
        shutil.rmtree(CACHE, ignore_errors=True)  # an incomplete install, if any
        _install(CACHE)
    assert json.loads((package / "package.json").read_text())["version"] == MERMAID_VERSION
    return package / "dist" / "mermaid.min.js"


@pytest.fixture(scope="module")
def page(browser: str, mermaid_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    """One tab with Mermaid loaded from the cache; no request may leave the machine."""
    page_file = tmp_path_factory.mktemp("mermaid") / "parse.html"
    page_file.write_text(PARSE_PAGE.format(bundle=mermaid_bundle.as_uri()), encoding="utf-8")
    with harness.open_page(browser) as tab:
        harness.load(tab, page_file)
        assert tab.evaluate("typeof window.vsmParse") == "function", "mermaid.min.js did not load"
        yield tab
        tab.drain(0.2)
        requests = [r["request"]["url"] for r in tab.of("Network.requestWillBeSent")]
        assert all(url.startswith(("file:", "data:")) for url in requests), requests


def mermaid_parse(tab: DevTools, text: str) -> dict[str, Any]:
    result: dict[str, Any] = tab.evaluate(f"window.vsmParse({json.dumps(text)})")
    return result


def _as_written(parsed_label: str) -> str:
    """Mermaid's parser swaps entity codes for placeholders (`#quot;` -> `ﬂ°quot¶ß`); swap them back."""
    return parsed_label.replace("ﬂ°°", "#").replace("ﬂ°", "#").replace("¶ß", ";")


def assert_mermaid_reads_it_as_written(tab: DevTools, text: str, *, labels: bool = True) -> dict[str, Any]:
    """Parses, and Mermaid's model is ours: every node with its whole label, every edge, no extra node,
    no configuration taken from map text."""
    parsed = mermaid_parse(tab, text)
    assert parsed["ok"], f"Mermaid {MERMAID_VERSION} rejects our output: {parsed['error']}\n{text}"
    assert parsed["type"] == "flowchart-v2"
    assert parsed["config"] == {}, "map text set Mermaid configuration (a %%{init}%% directive got through)"
    lines = text.split("\n")
    nodes = {m["id"]: m["label"] for m in map(NODE_LINE.match, lines) if m}
    edges = [(m["a"], m["b"], m["label"] or "") for m in map(EDGE_LINE.match, lines) if m]
    read = {node_id: _as_written(label) for node_id, label in parsed["nodes"]}
    assert (read if labels else read.keys()) == (nodes if labels else nodes.keys())
    assert [(a, b, label) for a, b, _, label in parsed["edges"]] == edges
    assert {stroke for _, _, stroke, _ in parsed["edges"]} <= {"normal", "dotted"}
    assert set(parsed["classes"]) >= {"customer", "internal", "gate", "final"}
    return parsed


@pytest.mark.skipif(not EXAMPLES, reason="the bundled example maps are not there")
@pytest.mark.parametrize("example", EXAMPLES, ids=[path.parent.name for path in EXAMPLES])
def test_bundled_examples_parse(page: DevTools, example: Path) -> None:
    value_map = load_map(example)
    parsed = assert_mermaid_reads_it_as_written(page, map_mermaid(value_map))
    assert len(parsed["nodes"]) == (len(value_map.stages) + len(value_map.thresholds)
                                    + len(value_map.duplications) + len(value_map.losses))


def test_generated_40_stage_map_parses(page: DevTools) -> None:
    value_map = synthetic_map(40)
    parsed = assert_mermaid_reads_it_as_written(page, map_mermaid(value_map))
    assert len([e for e in parsed["edges"] if e[2] == "normal"]) == len(value_map.stages) + len(value_map.thresholds) - 1
    assert any(e[2] == "dotted" for e in parsed["edges"])


def mermaid_hostile_map() -> ValueMap:
    """A generated map with every shape (both lanes, gate, final gate, duplication, loss), its title and
    every name full of markup and Mermaid syntax."""
    data = synthetic_map(8).model_dump(mode="json")
    data["title"] = f"Acme {MERMAID_HOSTILE[4]} {HOSTILE}"
    elements = [element for kind in ("stages", "thresholds", "duplications", "losses") for element in data[kind]]
    assert len(elements) >= len(MERMAID_HOSTILE)
    names = [name for name in MERMAID_HOSTILE if name != STYLE_QUIRK]
    for number, element in enumerate(elements):
        element["name"] = names[number % len(names)]
    return build(data)


@pytest.mark.parametrize("make", [hostile_map, mermaid_hostile_map], ids=["report-hostile", "mermaid-hostile"])
def test_hostile_map_parses_as_written(page: DevTools, make: Callable[[], ValueMap]) -> None:
    parsed = assert_mermaid_reads_it_as_written(page, map_mermaid(make()))
    labels = " ".join(label for _, label in parsed["nodes"])
    assert "<script>" not in labels and "%%{" not in labels


def test_hostile_map_renders_its_text_as_text(page: DevTools) -> None:
    rendered = page.evaluate(f"window.vsmRender({json.dumps(map_mermaid(mermaid_hostile_map()))})")
    assert rendered["scripts"] == 0 and rendered["handlers"] == 0
    assert HOSTILE in rendered["text"]  # the entity codes come back as the characters, shown as text
    for name in (name for name in MERMAID_HOSTILE if name != STYLE_QUIRK):
        assert " ".join(name.split()) in rendered["text"]
    assert page.evaluate("typeof window.__vsm_pwned") == "undefined"


def test_style_syntax_in_a_name_costs_its_label_two_semicolons_and_nothing_else(page: DevTools) -> None:
    # Before parsing, Mermaid runs /style.*:\S*#.*;/ and then /classDef.*:\S*#.*;/ over each line and drops
    # the last `;` of each match, even inside a quoted label, so the label ends `stroke:#35f00` and shows
    # "#35f00". A Mermaid quirk, cosmetic only: no style is applied and the structure stands.
    data = healthy_map_data()
    data["stages"][0]["name"] = STYLE_QUIRK
    text = map_mermaid(build(data))
    parsed = assert_mermaid_reads_it_as_written(page, text, labels=False)
    label = _as_written(dict(parsed["nodes"])["S1"])
    written = next(m["label"] for m in map(NODE_LINE.match, text.split("\n")) if m and m["id"] == "S1")
    assert label == written.replace("stroke:#35;f00;", "stroke:#35f00")


def _broken_output() -> list[Any]:
    """Our own output, broken the ways an escaping or shape bug would break it."""
    ours = map_mermaid(mermaid_hostile_map())
    first_node = next(line for line in ours.split("\n") if NODE_LINE.match(line))
    broken = {
        "quotes-unescaped": ours.replace("#quot;", '"'),
        "label-unclosed": ours.replace(first_node, first_node[:-3], 1),
        "shape-mismatched": ours.replace('"}}', '"]]', 1),
        "keyword-as-id": re.sub(r"\n    S1(?=[\[(])", "\n    end", ours, count=1),
        "edge-label-unquoted": ours.replace('|"traces to"|', "|traces | to|", 1),
        "header-misspelt": ours.replace("flowchart LR", "flowchart LEFT", 1),
    }
    assert all(text != ours for text in broken.values())
    return [pytest.param(text, id=name) for name, text in broken.items()]


@pytest.mark.parametrize("text", _broken_output())
def test_the_real_parser_rejects_broken_mermaid(page: DevTools, text: str) -> None:
    parsed = mermaid_parse(page, text)
    assert not parsed["ok"], "Mermaid accepted it"
    assert re.search(r"Parse error|Lexical error|No diagram type", parsed["error"]), parsed["error"]


def test_a_directive_let_through_is_caught(page: DevTools) -> None:
    # Mermaid reads `%%{init: ...}%%` anywhere in the text, even inside a label or a comment; without `%`
    # escaped, a map's title or names reconfigure the diagram. The parser accepts that, so this check must.
    unescaped = map_mermaid(mermaid_hostile_map()).replace("#37;", "%")
    assert mermaid_parse(page, unescaped)["config"] == {"theme": "dark", "flowchart": {"htmlLabels": False}}
    with pytest.raises(AssertionError, match="directive got through"):
        assert_mermaid_reads_it_as_written(page, unescaped)
