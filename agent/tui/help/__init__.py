"""The help screen, generated from the action registry."""

from agent.tui.help.help_screen import HelpScreen

__all__ = ["HelpScreen"]
