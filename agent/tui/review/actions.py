"""The review's action registry: key bindings, footer, command palette and help all come from here.

The same `AppAction` record as the interview's registry; the map list keeps its own `a`/`e`/`r`
bindings (they call `app.accept_element`, ... which the review app defines too: one widget, two apps).
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from agent.tui.actions import AppAction

R = AppAction
REVIEW_ACTIONS: tuple[AppAction, ...] = (
    R("accept_element", "a", "Accept", "Confirm the selected element as it is: you stand behind it."),
    R("edit_element", "e", "Edit", "Change the selected element's name and detail."),
    R("help", "f1,question_mark", "Help", "Show every key and what it does."),
    R("retype_element", "t", "Retype", "Make the selected element another kind (same words and quotes).", show=False),
    R("merge_element", "m", "Merge", "Fold another element of the same kind into the selected one.", show=False),
    R("edit_details", "d", "Details", "Edit the selected element's numbers and words: a purchase's price, perceived "
      "value, loss and compensation; a threshold's metric; a stage's hours, ..."),
    R("edit_lists", "i", "Lists", "Add, change or remove the entries of the selected element's lists: an exchange's "
      "gives and gets, a stage's improvements (with quotes picked or selected), a proposition's claims.", show=False),
    R("move_stage_earlier", "less_than_sign", "Earlier", "Move the selected stage one place earlier in the stream.",
      show=False),
    R("move_stage_later", "greater_than_sign", "Later", "Move the selected stage one place later in the stream.",
      show=False),
    R("set_field", "c", "Fields", "Set one of the selected element's choices: a stage's actor or value link, a "
      "VEP's activation, the resource a resistance lacks, a final threshold, a loss's kind, ...", show=False),
    R("reject_element", "r", "Reject", "Take the selected element out of the map (and what stands on it)."),
    R("new_element", "n", "New", "Make a new element from the passage selected in the transcript."),
    R("add_evidence", "v", "Evidence", "Add the passage selected in the transcript as a quote of the selected element."),
    R("link_element", "l", "Link", "Link the selected element to another (a resistance to its VEP, a loss to "
      "its duplication); on a link it already has (a list), unlink.", show=False),
    R("next_unreviewed", "j,right_square_bracket", "Next", "Go to the next element nobody has reviewed yet."),
    R("previous_unreviewed", "k,left_square_bracket", "Previous", "Go to the previous element nobody has reviewed.",
      show=False),
    R("jump_to_quote", "g", "Quote", "Show the selected element's quote in its transcript (again: the next quote)."),
    R("filter", "f", "Filter", "Show only one type, the elements of one finding, or one speaker's quotes."),
    R("search", "slash", "Search", "Search the transcripts for words.", show=False),
    R("search_next", "f3", "Search next", "Find the next place the searched words occur.", show=False),
    R("next_source", "s", "Source", "Show the next transcript.", show=False),
    R("undo", "u,ctrl+z", "Undo", "Undo the last decision of this session (saved at once)."),
    R("redo", "U,ctrl+y", "Redo", "Redo the decision last undone.", show=False),
    R("toggle_side", "f2", "Pane", "Narrow terminal: switch between transcript and map. Wide: move the focus."),
    R("focus_findings", "f4", "Findings", "Go to the findings; Enter on one shows its elements.", show=False),
    R("quit", "ctrl+q", "Quit", "Quit; every decision is already saved.", priority=True),
)

# The actions that change the map: hidden and refused with --readonly.
DECIDING = frozenset({"accept_element", "edit_element", "retype_element", "merge_element", "reject_element",
                      "new_element", "add_evidence", "link_element", "set_field", "edit_details", "edit_lists", "move_stage_earlier",
                      "move_stage_later", "undo", "redo"})


def review_bindings() -> list[BindingType]:
    return [Binding(a.keys, a.action, a.title, show=a.show, priority=a.priority, tooltip=a.help)
            for a in REVIEW_ACTIONS]
