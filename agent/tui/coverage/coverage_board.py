"""One bar per diagnostic step (the interview's agenda), and which core questions the map answers."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from schemas.interview import CoverageBoard

BAR_CELLS = 10
TITLE_WIDTH = 29


def bar(filled: float, cells: int = BAR_CELLS) -> str:
    full = round(max(0.0, min(1.0, filled)) * cells)
    return "█" * full + "░" * (cells - full)


def coverage_content(board: CoverageBoard, *, elapsed_minutes: float | None = None,
                     budget_minutes: float | None = None, details: bool = True) -> Content:
    parts: list[str | tuple[str, str]] = []
    if elapsed_minutes is not None:
        budget = f" of {budget_minutes:g}" if budget_minutes else ""
        parts.append((f"{elapsed_minutes:.0f}{budget} minutes\n", "$text-muted"))
    for step in board.steps:
        style = "$success" if step.covered else "$warning" if step.filled > 0 else "$text-muted"
        parts += [f"{step.step.title:<{TITLE_WIDTH}.{TITLE_WIDTH}} ", (bar(step.filled), style),
                  (f" {step.filled:>4.0%}\n", style)]
        if details and not step.covered:
            parts += [(f"  needs {slot.needs}\n", "$text-muted") for slot in step.slots if slot.filled < 1]
    parts.append("\n")
    for core in board.core:
        mark, style = ("✓", "$success") if core.covered else ("·", "$text-muted")
        parts.append((f"{mark} {core.question.number} {core.question.text}\n", style))
    return Content.assemble(*parts)


class CoverageBoardView(Static):
    def show(self, board: CoverageBoard, *, elapsed_minutes: float | None = None,
             budget_minutes: float | None = None, details: bool = True) -> None:
        self.update(coverage_content(board, elapsed_minutes=elapsed_minutes, budget_minutes=budget_minutes,
                                     details=details))
