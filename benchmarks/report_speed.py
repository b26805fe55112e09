"""How fast `vsm report` renders maps of 100 and 1,000 elements (target: the HTML report in under 1 s).

    python -m benchmarks.report_speed

Maps of about 100 and 1,000 elements: `synthetic_map_of_size` (many stages: one very long stream) and
`generated_map` (one gate per stage: many gates, duplications and losses). For each, the best of several
runs of every step a report takes, from a loaded map: the checks (no embedder, as with
`--embedder none`), the diagram layout, the SVG, the HTML report (layout included, checks not), the
Markdown, Mermaid, the PNG at 1x and 2x, and the slide deck (pptx: layout, every slide's picture
rendered by resvg, python-pptx already imported). Exits 1 if the HTML report takes 1 s or more.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable

from agent.checks import check_map
from agent.reports.html import report_html
from agent.reports.layout import layout_diagram
from agent.reports.markdown import report_markdown
from agent.reports.mermaid import map_mermaid
from agent.reports.slides import report_slides
from agent.reports.svg import diagram_svg
from agent.reports.synthetic_map import synthetic_map_of_size
from benchmarks.generated_maps import generated_map
from schemas import ValueMap

TARGET_SECONDS = 1.0
RUNS = 5
SLOW_RUNS = 2  # PNG and pptx: seconds each at 1,000 elements


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of `runs`; NaN when the step refuses the map (a PNG too large to be readable)."""
    from agent.reports.png import RenderError

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            action()
        except RenderError as err:
            print(f"  (refused: {err})")
            return float("nan")
        times.append(time.perf_counter() - started)
    return min(times)


def measure(name: str, value_map: ValueMap) -> dict[str, float]:
    report = check_map(value_map)
    layout = layout_diagram(value_map)
    steps: dict[str, Callable[[], object]] = {
        "checks": lambda: check_map(value_map),
        "layout": lambda: layout_diagram(value_map),
        "svg": lambda: diagram_svg(layout),
        "html report": lambda: report_html(value_map, report),
        "markdown report": lambda: report_markdown(value_map, report),
        "mermaid": lambda: map_mermaid(value_map),
    }
    try:
        from agent.reports.png import diagram_png

        steps["png 1x"] = lambda: diagram_png(layout, scale=1)
        steps["png 2x"] = lambda: diagram_png(layout, scale=2)
    except ImportError:  # resvg-py missing: the other figures still stand
        pass
    steps["pptx deck"] = lambda: report_slides(value_map, report)
    print(f"\n{name}: {value_map.element_count()} elements, {len(value_map.stages)} stages, "
          f"{len(value_map.thresholds)} gates, {len(layout.rows)} stream(s), diagram {layout.width:.0f} x "
          f"{layout.height:.0f} px")
    slow = ("png", "pptx")
    timings = {step: best_of(SLOW_RUNS if step.startswith(slow) else RUNS, action) for step, action in steps.items()}
    for step, seconds in timings.items():
        print(f"  {step:<16} {seconds * 1000:8.1f} ms")
    from pptx import Presentation  # already imported by the deck step

    deck = report_slides(value_map, report)
    print(f"  html size        {len(report_html(value_map, report).encode()) / 1024:8.0f} KB")
    print(f"  pptx size        {len(deck) / 1024:8.0f} KB, {len(Presentation(io.BytesIO(deck)).slides)} slides")
    return timings


def main() -> int:
    results = {}
    for size in (100, 1000):
        results[f"synthetic_map_of_size({size})"] = measure(f"synthetic_map_of_size({size})",
                                                            synthetic_map_of_size(size))
        results[f"generated_map({size})"] = measure(f"generated_map({size})", generated_map(size))
    print("\nsummary (best of runs)")
    print(f"  {'map':<30} {'html':>9} {'pptx':>9}")
    for name, timings in results.items():
        print(f"  {name:<30} {timings['html report'] * 1000:7.0f} ms {timings['pptx deck']:7.2f} s")
    worst = max(t["html report"] for t in results.values())
    verdict = "under" if worst < TARGET_SECONDS else "OVER"
    print(f"\nslowest HTML report: {worst * 1000:.0f} ms, {verdict} the {TARGET_SECONDS:g} s target")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
