"""The findings pane: what the checks say about the map, by the three core questions."""

from agent.tui.findings.findings_view import FindingsView, findings_content

__all__ = ["FindingsView", "findings_content"]
