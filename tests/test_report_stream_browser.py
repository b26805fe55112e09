"""The stream diagram in a real browser, at the widths consultants use and in print.

At 1024, 1400 and 1920 px and in print emulation (A4 and Letter, landscape): the page never scrolls
sideways, the whole stream is inside its frame and every card inside the stream. Every bundled map's report is
checked on both papers and at 1024 px, the narrowest screen frame, where a stream is squeezed hardest; at the
wider screens, where a layout may change but has more room, the maps a user opens first, the engagement map of
all of them and a 60-stage stream are checked (all ninety-odd there took two minutes and found nothing more).
A click on a card lights up its chain and its findings; keys zoom and pan without pushing anything off the
page; with scripts off the stream is still whole. Screenshots (also in a simulated deuteranopia view) and PDFs go
to `artifacts/` for a person to look at.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from agent.reports.synthetic_map import synthetic_map
from agent.storage import load_map, save_map
from agent.synthesis.synthesize import synthesize
from tests.cli_runner import run_vsm
from tests.test_report_browser import ARTIFACTS, CHROMIUM, DevTools, browser, load, open_page, problems, screenshot

__all__ = ["browser"]  # the module-scoped Chromium fixture, shared with the other browser tests

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "transcripts").glob("*/map.json"))
WIDTHS = (1024, 1400, 1920)
HARDEST_WIDTH = min(WIDTHS)
# The examples a user meets in the README, plus the two built in `reports`.
SHOWCASE = ("ap-automation-trial", "legal-platform", "meal-kit-subscription", "held-out-b2b-marketplace",
            "engagement", "stream-60")
MM = 96 / 25.4
# Printable area of a landscape page with the report's 10 mm margins, in CSS px.
PAPERS = {"A4": (297 * MM - 20 * MM, 210 * MM - 20 * MM, 8.27, 11.69),
          "Letter": (279.4 * MM - 20 * MM, 215.9 * MM - 20 * MM, 8.5, 11.0)}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                "(apt-get install chromium); CI installs it")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled examples' reports, an engagement map of all four, and a generated 60-stage stream."""
    folder = tmp_path_factory.mktemp("stream-reports")
    maps = {example.parent.name: example for example in EXAMPLES}
    save_map(folder / "engagement.json", synthesize([load_map(p) for p in EXAMPLES]).value_map)
    save_map(folder / "stream-60.json", synthetic_map(60))
    maps |= {"engagement": folder / "engagement.json", "stream-60": folder / "stream-60.json"}

    def report(name: str, path: Path) -> Path:
        result = run_vsm("report", path, "--embedder", "none", "-o", folder / f"{name}.html")
        assert result.returncode == 0, result.stderr
        return folder / f"{name}.html"

    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores
        made = {name: pool.submit(report, name, path) for name, path in maps.items()}
        return {name: done.result() for name, done in made.items()}


FIT = """(() => {
  const svg = document.querySelector('svg.stream'), view = document.querySelector('.stream-view');
  const s = svg.getBoundingClientRect(), v = view.getBoundingClientRect();
  const out = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) out.push(`page scrolls sideways: ${page.scrollWidth} > ${page.clientWidth}`);
  if (view.scrollWidth > view.clientWidth + 1) out.push(`the frame scrolls: ${view.scrollWidth} > ${view.clientWidth}`);
  if (s.left < v.left - 1 || s.right > v.right + 1) out.push(`stream ${s.left}-${s.right} outside its frame ${v.left}-${v.right}`);
  if (s.right > page.clientWidth + 1 || s.left < -1) out.push(`stream past the page: ${s.left}-${s.right}`);
  for (const card of svg.querySelectorAll('g.card')) {
    const c = card.getBoundingClientRect();
    if (c.left < s.left - 1 || c.right > s.right + 1 || c.top < s.top - 1 || c.bottom > s.bottom + 1)
      out.push(`card ${card.dataset.id} cut off: ${c.left}-${c.right} x ${c.top}-${c.bottom}`);
  }
  for (const g of document.querySelectorAll('.legend-view svg, table, pre')) {
    const r = g.getBoundingClientRect();
    if (r.right > page.clientWidth + 1) out.push(`${g.tagName} past the page's right edge`);
  }
  return {problems: out, cards: svg.querySelectorAll('g.card').length, width: s.width, height: s.height};
})()"""


def set_width(page: DevTools, width: int, height: int = 1000) -> None:
    page.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)


# Reports checked at once, each in its own tab: a load mostly waits (for late console messages), so a few tabs keep
# two cores busy and every report is still checked at every width and on every paper.
TABS = 4


def each_report(reports: dict[str, Path], check: Callable[[str, Path], None], *, every: bool = True) -> None:
    """`check` every report (else the SHOWCASE ones), on TABS threads; the first failure is raised."""
    chosen = reports if every else {name: reports[name] for name in SHOWCASE}
    with ThreadPoolExecutor(max_workers=TABS) as pool:
        for done in [pool.submit(check, name, report) for name, report in chosen.items()]:
            done.result()


def test_the_showcase_is_bundled(reports: dict[str, Path]) -> None:
    assert set(SHOWCASE) <= set(reports)  # a renamed example must not silently leave the other settings unchecked


@pytest.mark.parametrize("width", WIDTHS)
def test_the_whole_stream_fits_without_sideways_scrolling(browser: str, reports: dict[str, Path], width: int) -> None:
    def check(name: str, report: Path) -> None:
        with open_page(browser) as page:  # a page per report: its console and network are its own
            set_width(page, width)
            load(page, report)
            fit = page.evaluate(FIT)
            assert fit["problems"] == [], f"{name} at {width} px"
            assert fit["cards"] > 0
            assert problems(page, report.resolve().as_uri()) == []
            if width == 1400:
                screenshot(page, ARTIFACTS / f"stream-{name}-1400.png")

    each_report(reports, check, every=width == HARDEST_WIDTH)


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_in_print_the_stream_fits_one_landscape_page(browser: str, reports: dict[str, Path], paper: str) -> None:
    page_width, page_height, short_in, long_in = PAPERS[paper]

    def check(name: str, report: Path) -> None:
        with open_page(browser) as page:
            page.send("Emulation.setEmulatedMedia", media="print")
            set_width(page, round(page_width), round(page_height))
            load(page, report)
            fit = page.evaluate(FIT)
            assert fit["problems"] == [], f"{name} printed on {paper}"
            assert fit["height"] <= page_height, f"{name}: the stream is taller than a {paper} landscape page"
            assert page.evaluate("getComputedStyle(document.querySelector('.zoom-tools')).display") == "none"

    each_report(reports, check)
    with open_page(browser) as page:
        load(page, reports["legal-platform"])
        pdf = base64.b64decode(page.send("Page.printToPDF", printBackground=True, preferCSSPageSize=True,
                                         paperWidth=short_in, paperHeight=long_in, timeout=60)["data"])
        assert pdf.startswith(b"%PDF")
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"stream-legal-platform-{paper}.pdf").write_bytes(pdf)


def _centre(page: DevTools, selector: str) -> tuple[float, float]:
    box = page.evaluate(f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
                        " return [r.left + r.width / 2, r.top + r.height / 2]; })()")
    return box[0], box[1]


def _click(page: DevTools, x: float, y: float) -> None:
    for kind in ("mousePressed", "mouseReleased"):
        page.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


def _lit(page: DevTools) -> dict[str, Any]:
    return page.evaluate("""(() => ({
      focused: document.querySelector('svg.stream').classList.contains('focused'),
      cards: [...document.querySelectorAll('svg.stream g.card.on')].map(g => g.dataset.id).sort(),
      traces: [...document.querySelectorAll('svg.stream g.trace.on')].map(g => g.dataset.from + '>' + g.dataset.to),
      findings: [...document.querySelectorAll('article.finding.on')].map(a => a.id),
      note: document.getElementById('focus-note').textContent,
      noteHidden: document.getElementById('focus-note').hidden,
    }))()""")


def test_clicking_a_loss_lights_its_chain_and_its_findings(browser: str, reports: dict[str, Path]) -> None:
    value_map = load_map(ROOT / "transcripts" / "legal-platform" / "map.json")
    # A loss traced through a duplication to gates: the chain runs loss -> duplication -> gate -> stage.
    loss = next(lo for lo in value_map.losses if lo.duplication_ids)
    duplication = next(d for d in value_map.duplications if d.id == loss.duplication_ids[0])
    stage_of_vep = {v.id: v.stage_id for v in value_map.veps}
    gates = {t.id: stage_of_vep[t.vep_id] for t in value_map.thresholds}
    with open_page(browser) as page:
        set_width(page, 1400, 1200)
        load(page, reports["legal-platform"])
        page.evaluate("document.querySelector('.stream-view').scrollIntoView({block: 'start'})")
        assert _lit(page)["focused"] is False
        _click(page, *_centre(page, f'g.card[data-id="{loss.id}"] > rect'))
        lit = _lit(page)
        assert lit["focused"]
        assert {loss.id, duplication.id} <= set(lit["cards"])
        for gate in duplication.threshold_ids:
            assert {gate, gates[gate]} <= set(lit["cards"])
        unrelated = [s.id for s in value_map.stages if s.id not in lit["cards"]]
        assert unrelated, "the highlight must leave something out"
        assert f"{loss.id}>{duplication.id}" in lit["traces"]
        touching = page.evaluate(f"""[...document.querySelectorAll('article.finding')]
            .filter(a => a.dataset.elements.split(' ').some(id => {json.dumps(lit['cards'])}.includes(id)))
            .map(a => a.id)""")
        assert touching and lit["findings"] == touching
        assert not lit["noteHidden"] and "chain of" in lit["note"]
        screenshot(page, ARTIFACTS / "stream-chain-highlight.png")
        page.evaluate("document.querySelector('.stream-view').focus()")
        page.send("Input.dispatchKeyEvent", type="keyDown", key="Escape", code="Escape", windowsVirtualKeyCode=27)
        cleared = _lit(page)
        assert cleared["focused"] is False and cleared["cards"] == [] and cleared["findings"] == []


def test_keys_zoom_and_pan_inside_the_frame(browser: str, reports: dict[str, Path]) -> None:
    with open_page(browser) as page:
        set_width(page, 1024)
        load(page, reports["stream-60"])
        page.evaluate("document.querySelector('.stream-view').focus()")
        before = page.evaluate("document.querySelector('g.card').getBoundingClientRect().width")
        for key in ("+", "+", "+"):
            page.send("Input.dispatchKeyEvent", type="char", text=key, key=key)
            page.send("Input.dispatchKeyEvent", type="keyDown", key=key)
        after = page.evaluate("document.querySelector('g.card').getBoundingClientRect().width")
        assert after > 2 * before
        page.send("Input.dispatchKeyEvent", type="keyDown", key="ArrowRight", code="ArrowRight",
                  windowsVirtualKeyCode=39)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert page.evaluate("document.querySelector('.stream-view').scrollWidth") <= page.evaluate(
            "document.querySelector('.stream-view').clientWidth")
        page.send("Input.dispatchKeyEvent", type="keyDown", key="0")
        fitted = page.evaluate("document.querySelector('g.card').getBoundingClientRect().width")
        assert fitted == pytest.approx(before, abs=0.5)


def test_with_scripts_off_the_stream_is_still_whole(browser: str, reports: dict[str, Path]) -> None:
    with open_page(browser) as page:
        page.send("Emulation.setScriptExecutionDisabled", value=True)
        set_width(page, 1400)
        for name in ("legal-platform", "engagement"):
            load(page, reports[name])
            assert page.evaluate(FIT)["problems"] == [], name
            assert page.evaluate("document.querySelector('.zoom-tools').hidden") is True


def test_a_deuteranopia_view_is_kept_for_a_person_to_check(browser: str, reports: dict[str, Path]) -> None:
    with open_page(browser) as page:
        set_width(page, 1400)
        page.send("Emulation.setEmulatedVisionDeficiency", type="deuteranopia")
        load(page, reports["legal-platform"])
        page.evaluate("document.querySelector('.stream-view').scrollIntoView({block: 'start'})")
        shot = page.send("Page.captureScreenshot", format="png")
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "stream-legal-platform-deuteranopia.png").write_bytes(base64.b64decode(shot["data"]))


def _press(page: DevTools, key: str, code: str, key_code: int, *, shift: bool = False) -> None:
    modifiers = 8 if shift else 0
    page.send("Input.dispatchKeyEvent", type="rawKeyDown", key=key, code=code, windowsVirtualKeyCode=key_code,
              modifiers=modifiers)
    if key == "Enter":
        page.send("Input.dispatchKeyEvent", type="char", text="\r", key=key, code=code, windowsVirtualKeyCode=key_code)
    page.send("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=key_code,
              modifiers=modifiers)


def test_a_keyboard_reaches_every_card_and_enter_lights_its_chain(browser: str, reports: dict[str, Path]) -> None:
    """No mouse: Tab walks the cards in stream order, Enter lights the focused card's chain as a click does,
    and a card tabbed to while zoomed in is brought into the frame."""
    value_map = load_map(ROOT / "transcripts" / "legal-platform" / "map.json")
    loss = next(lo for lo in value_map.losses if lo.duplication_ids)
    with open_page(browser) as page:
        set_width(page, 1400, 1200)
        load(page, reports["legal-platform"])
        page.evaluate("document.querySelector('.stream-view').scrollIntoView({block: 'start'})")
        chained = page.evaluate("[...document.querySelectorAll('svg.stream g.card[data-chain]')].map(g => g.dataset.id)")
        page.evaluate("document.querySelector('.stream-view').focus()")
        reached = []
        for _ in chained:
            _press(page, "Tab", "Tab", 9)
            reached.append(page.evaluate("document.activeElement.dataset.id || document.activeElement.outerHTML.slice(0, 60)"))
        assert reached == chained  # each card once, in the drawing's order, none skipped
        name = page.evaluate("document.activeElement.getAttribute('aria-label')")
        assert name and name == page.evaluate("document.activeElement.querySelector('title').textContent"
                                              ".split('\\n')[0]")
        page.evaluate(f"document.querySelector('g.card[data-id=\"{loss.id}\"]').focus()")
        _press(page, "Enter", "Enter", 13)
        lit = _lit(page)
        assert lit["focused"] and loss.id in lit["cards"] and "chain of" in lit["note"]
        screenshot(page, ARTIFACTS / "stream-keyboard-focus.png")  # the focus ring, for a person to look at
        assert lit["cards"] == sorted(page.evaluate(
            f"document.querySelector('g.card[data-id=\"{loss.id}\"]').dataset.chain.split(' ')"))
        _press(page, "Enter", "Enter", 13)  # again: the chain goes out, as a second click does
        assert _lit(page)["focused"] is False
        for _ in range(4):
            page.send("Input.dispatchKeyEvent", type="keyDown", key="+")
        first, last = chained[0], chained[-1]
        page.evaluate(f"document.querySelector('g.card[data-id=\"{first}\"]').focus()")
        assert not _inside_the_frame(page, last)  # zoomed in on the start, the stream's end is out of sight
        page.evaluate(f"document.querySelector('g.card[data-id=\"{last}\"]').focus()")
        assert _inside_the_frame(page, last), "a card focused while zoomed in must be brought into the frame"


def _inside_the_frame(page: DevTools, card_id: str) -> bool:
    return bool(page.evaluate(f"""(() => {{
      const c = document.querySelector('g.card[data-id="{card_id}"]').getBoundingClientRect();
      const v = document.querySelector('.stream-view').getBoundingClientRect();
      return c.left >= v.left - 1 && c.right <= v.right + 1 && c.top >= v.top - 1 && c.bottom <= v.bottom + 1;
    }})()"""))
