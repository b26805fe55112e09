"""Maps to review: the offline map of a bundled example, written where a test can change it."""

from __future__ import annotations

from pathlib import Path

from agent.mapping import map_transcripts
from agent.storage.map_files import save_map

EXAMPLES = Path(__file__).parents[1] / "transcripts"


def offline_map_file(folder: Path, example: str = "legal-platform") -> Path:
    """`vsm map --offline` of the example's transcripts, saved as folder/map.json."""
    source = EXAMPLES / example
    result = map_transcripts(sorted(source.glob("*.md")), interviewers=["Consultant"])
    path = folder / "map.json"
    save_map(path, result.value_map)
    return path
