"""The workspace's register of sources (`sources/index.json`): read and written here, light to import.

`vsm ask` and `vsm doctor` read it to know what the evidence store should hold, without loading the
mapping and synthesis code that `agent.engagement` brings.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from agent.errors import VsmError
from agent.storage import Workspace, write_text_atomic
from schemas.engagement import RegisteredSource, SourceIndex

INDEX = "sources/index.json"
#: Sources a `vsm add` has begun and not finished (see engagement_adding).
HALF_ADDED = Path(".vsm", "adding")


class EngagementError(VsmError):
    pass


def load_index(workspace: Workspace) -> SourceIndex:
    path = workspace.root / INDEX
    if not path.exists():
        return SourceIndex()
    try:
        return SourceIndex.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError:
        raise EngagementError(f"{path}: is damaged; restore it, or remove it and add the sources again") from None


def save_index(workspace: Workspace, index: SourceIndex) -> None:
    write_text_atomic(workspace.root / INDEX, index.model_dump_json(indent=2) + "\n")


def half_added(workspace: Workspace) -> list[RegisteredSource]:
    """Sources a `vsm add` began and never finished (their records in .vsm/adding)."""
    found = []
    for record in sorted((workspace.root / HALF_ADDED).glob("*.json")):
        try:
            found.append(RegisteredSource.model_validate_json(record.read_text(encoding="utf-8")))
        except (OSError, ValidationError):
            record.unlink(missing_ok=True)  # torn record: its source was never registered, nothing refers to it
    return found
