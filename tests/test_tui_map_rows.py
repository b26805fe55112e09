"""The map pane rebuilds its list every turn; rows of elements a patch did not touch are reused."""

from __future__ import annotations

from agent.interview.session_state import apply_changes
from agent.tui.map_pane.map_list import RowCache, map_options
from benchmarks.generated_maps import generated_map
from schemas.interview import ElementChange


def prompts(options: list[object]) -> dict[str, object]:
    return {o.id: o.prompt for o in options if getattr(o, "id", None)}  # type: ignore[attr-defined]


def test_unchanged_elements_reuse_their_rows_and_changed_ones_are_drawn_again() -> None:
    value_map = generated_map(60)
    rows: RowCache = {}
    first = prompts(list(map_options(value_map, rows=rows)))
    renamed = value_map.stages[1].model_copy(update={"name": "Renamed stage"})
    patched = apply_changes(value_map, [ElementChange(collection="stages", element_id=renamed.id, element=renamed)])
    second = prompts(list(map_options(patched, rows=rows)))

    assert second.keys() == first.keys()
    changed = {key for key in first if second[key] is not first[key]}
    # the renamed stage, and the VEPs that name it in their row
    assert changed == {renamed.id, *(v.id for v in patched.veps if v.stage_id == renamed.id)}
    assert "Renamed stage" in str(second[renamed.id])
    assert prompts(list(map_options(patched))).keys() == second.keys()  # no cache: the same rows, all drawn
