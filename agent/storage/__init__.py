"""The workspace on disk: map files, atomic writes and the lock that keeps two processes apart."""

from agent.storage.atomic import write_text_atomic
from agent.storage.lock import WorkspaceLock, WorkspaceLockedError
from agent.storage.map_files import MapFileError, load_map, parse_map, save_map
from agent.storage.workspace import Workspace, WorkspaceError

__all__ = [
    "MapFileError",
    "Workspace",
    "WorkspaceError",
    "WorkspaceLock",
    "WorkspaceLockedError",
    "load_map",
    "parse_map",
    "save_map",
    "write_text_atomic",
]
