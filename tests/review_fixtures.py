"""Maps to review (the offline map of a bundled example, written where a test can change it), and what the
review tests do with them as a person would: type into a field, ask `vsm check` about an element."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from textual.widgets import Input

from agent.mapping import map_transcripts
from agent.storage.map_files import save_map
from schemas.value_map import ValueMap
from tests.cli_runner import run_vsm

EXAMPLES = Path(__file__).parents[1] / "transcripts"


@cache
def _offline_map(example: str) -> ValueMap:
    """Mapped once per test process: the offline mapping is deterministic, and a hundred review tests want it."""
    return map_transcripts(sorted((EXAMPLES / example).glob("*.md")), interviewers=["Consultant"]).value_map


def offline_map_file(folder: Path, example: str = "legal-platform") -> Path:
    """`vsm map --offline` of the example's transcripts, saved as folder/map.json."""
    path = folder / "map.json"
    save_map(path, _offline_map(example))
    return path


def check_codes(path: Path, element_id: str) -> set[str]:
    """What `vsm check` says about one element of the map on disk."""
    checked = run_vsm("check", path, "--format", "json", "--fail-on", "never", cwd=path.parent)
    assert checked.returncode == 0, checked.stderr
    return {f["code"] for f in json.loads(checked.stdout)["findings"] if element_id in f["element_ids"]}


async def type_into(pilot: Any, widget_id: str, text: str) -> None:
    """Click into a field of the open form, clear it and type, as a person does."""
    box = pilot.app.screen.query_one(f"#{widget_id}", Input)
    box.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * len(box.value))
    await pilot.press(*[c if c != " " else "space" for c in text])
