"""The interview app: the Textual face of `agent.interview`; the only room that imports Textual.

Feature folders hold small widgets (chat, map pane, findings, coverage, help); `app.py` owns the
engine and every state change; `actions.py` is the one registry that drives keys, palette and help.
"""
