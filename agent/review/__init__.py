"""The review engine: a person makes a map right against its transcripts, one recorded decision at a time.

Textual-free (the app in `agent.tui.review` and the tests drive the same `ReviewSession`): decisions are
pydantic models applied by pure functions (`editing`), a selection in a transcript becomes a quote only
through `selection`, and `session` saves the map atomically and logs who decided what, and when.
"""

from agent.review.decisions import Decision, DecisionKind
from agent.review.editing import ReviewRefused
from agent.review.selection import SelectionRefused, quote_from_selection
from agent.review.session import ReviewSession, open_review

__all__ = ["Decision", "DecisionKind", "ReviewRefused", "ReviewSession", "SelectionRefused", "open_review",
           "quote_from_selection"]
