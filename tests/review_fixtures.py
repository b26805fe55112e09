"""Maps to review: the offline map of a bundled example, written where a test can change it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from agent.mapping import map_transcripts
from agent.storage.map_files import save_map
from schemas.value_map import ValueMap

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
