"""The Mermaid output parses with Mermaid's own parser, not only with our validator of its grammar.

The `mermaid` npm package (pinned) is installed once into a cache folder outside the checkout and run
in the same headless Chromium as the browser test, from a local page: nothing is fetched at parse time.
Skips only where npm or Chromium is absent (CI has both: `.ci/run` installs them when missing).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.reports.mermaid import map_mermaid
from agent.reports.synthetic_map import synthetic_map
from agent.storage import load_map
from tests.test_report_browser import CHROMIUM, DevTools, browser, load, open_page
from tests.test_report_content import hostile_map

__all__ = ["browser"]  # the Chromium fixture, shared with the browser test

MERMAID_VERSION = "12.3.0"
NPM = shutil.which("npm")
ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "transcripts").glob("*/map.json"))

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (CI installs it)"),
    pytest.mark.skipif(NPM is None, reason="needs npm to install Mermaid's parser (CI installs it)"),
]


@pytest.fixture(scope="session")
def mermaid_js() -> Path:
    """mermaid.min.js of the pinned version, installed once per machine (about 7 s, 200 MB of node_modules)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vsm-tests" / f"mermaid-{MERMAID_VERSION}"
    script = cache / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    if not script.is_file():
        assert NPM is not None
        subprocess.run([NPM, "install", "--prefix", str(cache), f"mermaid@{MERMAID_VERSION}", "--no-audit",
                        "--no-fund", "--silent"], check=True, timeout=600, capture_output=True)
    return script


@pytest.fixture(scope="module")
def mermaid_page(browser: str, mermaid_js: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    page_file = tmp_path_factory.mktemp("mermaid") / "parse.html"
    page_file.write_text(f'<!doctype html><meta charset="utf-8"><script src="{mermaid_js.resolve().as_uri()}">'
                         "</script><script>mermaid.initialize({startOnLoad: false});</script>", encoding="utf-8")
    with open_page(browser) as page:
        load(page, page_file)
        assert page.evaluate("typeof mermaid.parse") == "function"
        yield page


def mermaid_verdict(page: DevTools, text: str) -> str:
    """'ok:<diagram type>' or 'error:<Mermaid's message>'."""
    return str(page.evaluate(f"mermaid.parse({json.dumps(text)}).then(r => 'ok:' + r.diagramType, "
                             "e => 'error:' + (e.message || String(e)))"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.parent.name)
def test_the_bundled_maps_parse(mermaid_page: DevTools, example: Path) -> None:
    assert mermaid_verdict(mermaid_page, map_mermaid(load_map(example))).startswith("ok:flowchart")


@pytest.mark.parametrize("stages", [3, 40])
def test_generated_streams_parse(mermaid_page: DevTools, stages: int) -> None:
    assert mermaid_verdict(mermaid_page, map_mermaid(synthetic_map(stages))).startswith("ok:flowchart")


def test_a_map_whose_text_tries_to_break_the_syntax_parses(mermaid_page: DevTools) -> None:
    text = map_mermaid(hostile_map())
    assert "<script>" not in text
    assert mermaid_verdict(mermaid_page, text).startswith("ok:flowchart")


@pytest.mark.parametrize("broken", [
    'flowchart LR\n    a["unclosed label]',
    "flowchart LR\n    a --> ",
    "flowchart LR\n    a[x] -->|label b",
])
def test_the_parser_rejects_broken_mermaid(mermaid_page: DevTools, broken: str) -> None:
    assert mermaid_verdict(mermaid_page, broken).startswith("error:")
