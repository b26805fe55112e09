"""A workspace: one folder per engagement holding its sources, maps and interview sessions.

    acme/
      vsm-workspace.json   name and format version
      sources/             transcripts as added
      maps/                maps by name (map.json is the engagement map)
      sessions/            interview sessions, appended turn by turn
      cache/               what can be recomputed (model responses, embeddings)
      .vsm/lock            held while a process writes
      .vsm/add.lock        held by a `vsm add` from start to end: a second one queues behind it
      .vsm/adding/         sources being added (a `vsm add` killed mid-way is finished by the next)

Every write goes through `write_text_atomic` under the workspace lock.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from agent.errors import VsmError
from agent.storage.atomic import write_text_atomic
from agent.storage.lock import WorkspaceLock
from agent.storage.map_files import load_map, save_map
from schemas.value_map import ValueMap

MARKER = "vsm-workspace.json"
WORKSPACE_VERSION = 1
FOLDERS = ("sources", "maps", "sessions", "cache")
_NAME = re.compile(r"^\w[\w. -]*$")


class WorkspaceError(VsmError):
    pass


@dataclass(frozen=True)
class Workspace:
    root: Path
    name: str

    @classmethod
    def init(cls, root: Path, name: str | None = None) -> Workspace:
        name = name or root.resolve().name
        if not _NAME.match(name):
            raise WorkspaceError(f"{root}: {name!r} is not a usable workspace name; use letters, digits, . _ - and spaces")
        if (root / MARKER).exists():
            raise WorkspaceError(f"{root}: is already a vsm workspace; use it as it is, or choose another folder")
        root.mkdir(parents=True, exist_ok=True)
        with WorkspaceLock(root):
            for folder in FOLDERS:
                (root / folder).mkdir(exist_ok=True)
            meta = {"workspace_version": WORKSPACE_VERSION, "name": name, "created": datetime.now(UTC).isoformat()}
            write_text_atomic(root / MARKER, json.dumps(meta, indent=2) + "\n")
        return cls(root=root, name=name)

    @classmethod
    def open(cls, root: Path) -> Workspace:
        marker = root / MARKER
        try:
            meta = json.loads(marker.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise WorkspaceError(f"{root}: not a vsm workspace; create one with `vsm init NAME`") from None
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise WorkspaceError(f"{marker}: is damaged (not JSON); restore it from a backup or run `vsm init`") from None
        version = meta.get("workspace_version") if isinstance(meta, dict) else None
        if not isinstance(version, int) or isinstance(version, bool):
            raise WorkspaceError(f"{marker}: is damaged (no workspace_version); restore it from a backup, or put "
                                 f'{{"workspace_version": {WORKSPACE_VERSION}, "name": "{root.name}"}} in it')
        if version > WORKSPACE_VERSION:
            raise WorkspaceError(f"{marker}: made by a newer vsm (workspace version {version}, this one reads "
                                 f"{WORKSPACE_VERSION}); upgrade vsm: pip install -U wasteless-vsm")
        if version < WORKSPACE_VERSION:  # no older layout has existed yet; a future change adds its step here
            raise WorkspaceError(f"{marker}: workspace version {version} has no migration to {WORKSPACE_VERSION}; "
                                 "make a new workspace with `vsm init` and `vsm add` the files in its sources/")
        return cls(root=root, name=str(meta.get("name", root.name)))

    @classmethod
    def find(cls, start: Path) -> Workspace | None:
        """The workspace containing `start`, looking upwards as git does, or None."""
        for folder in (start.resolve(), *start.resolve().parents):
            if (folder / MARKER).is_file():
                return cls.open(folder)
        return None

    def folder(self, name: str) -> Path:
        return self.root / name

    def map_path(self, name: str = "map") -> Path:
        return self.root / "maps" / f"{name}.json"

    def load_map(self, name: str = "map") -> ValueMap:
        return load_map(self.map_path(name))

    def save_map(self, value_map: ValueMap, name: str = "map") -> Path:
        path = self.map_path(name)
        with WorkspaceLock(self.root):
            save_map(path, value_map)
        return path

    def lock(self) -> WorkspaceLock:
        return WorkspaceLock(self.root)

    def adding(self, *, on_wait: Callable[[str], None] | None = None) -> WorkspaceLock:
        """Held by `vsm add` (and `vsm reindex`) for as long as they run; the next one waits its turn.

        The workspace lock is only taken for each short write, so interviews and synthesis go on meanwhile.
        """
        return WorkspaceLock(self.root, name="add.lock", timeout=None, purpose="vsm add", on_wait=on_wait)
