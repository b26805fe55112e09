"""The coverage board: how far the map answers each diagnostic step and core question."""

from agent.tui.coverage.coverage_board import CoverageBoardView, coverage_content

__all__ = ["CoverageBoardView", "coverage_content"]
