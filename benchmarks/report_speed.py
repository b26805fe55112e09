"""How fast `vsm report` renders a 1,000-element map (target: the HTML report in under 1 s).

    python -m benchmarks.report_speed

Two maps of about 1,000 elements: `synthetic_map_of_size` (many stages: a long diagram, 100+ rows)
and `generated_map` (one gate per stage: many gates, duplications and losses). For each, the best of
several runs of every step a report takes, from a loaded map: the checks (no embedder, as with
`--embedder none`), the diagram layout, the SVG, the HTML report (layout included, checks not), the
Markdown, Mermaid, and the PNG at 1x and 2x. Exits 1 if the HTML report takes 1 s or more.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from agent.checks import check_map
from agent.reports.html import report_html
from agent.reports.layout import layout_diagram
from agent.reports.markdown import report_markdown
from agent.reports.mermaid import map_mermaid
from agent.reports.svg import diagram_svg
from agent.reports.synthetic_map import synthetic_map_of_size
from benchmarks.generated_maps import generated_map
from schemas import ValueMap

TARGET_SECONDS = 1.0
RUNS = 5


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(name: str, value_map: ValueMap) -> float:
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
    print(f"\n{name}: {value_map.element_count()} elements, {len(value_map.stages)} stages, "
          f"{len(value_map.thresholds)} gates, {len(layout.rows)} rows, diagram {layout.width:.0f} x {layout.height:.0f} px")
    timings = {step: best_of(RUNS if not step.startswith("png") else 2, action) for step, action in steps.items()}
    for step, seconds in timings.items():
        print(f"  {step:<16} {seconds * 1000:8.1f} ms")
    html_size = len(report_html(value_map, report).encode())
    print(f"  html size        {html_size / 1024:8.0f} KB")
    return timings["html report"]


def main() -> int:
    worst = max(
        measure("synthetic_map_of_size(1000)", synthetic_map_of_size(1000)),
        measure("generated_map(1000)", generated_map(1000)),
    )
    verdict = "under" if worst < TARGET_SECONDS else "OVER"
    print(f"\nslowest HTML report: {worst * 1000:.0f} ms, {verdict} the {TARGET_SECONDS:g} s target")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
