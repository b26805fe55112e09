"""`vsm review`: the transcripts beside the map, every quote highlighted, each decision saved as it is made."""

from agent.tui.review.app import ReviewApp

__all__ = ["ReviewApp"]
