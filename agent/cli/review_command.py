"""`vsm review [MAP]`: make a map right with its transcripts beside it; every decision saved as it is made.

Without MAP, inside a workspace, the engagement map. One review of a map at a time (a lock names who
holds it); `--readonly` browses without deciding or locking. Textual is imported only when the app runs.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from agent.cli.options import map_path_from_args
from agent.errors import VsmError
from agent.storage import Workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "review",
        help="review a map with its transcripts beside it: accept, edit, retype, merge, reject, add from a passage",
        description="Open the review app: the transcripts with every quote highlighted, the map, the findings. "
        "Each decision is saved at once (the map, atomically) and logged with who made it and when in "
        "MAP.review.jsonl beside the map.",
    )
    parser.add_argument("map", type=Path, nargs="?", help="the map to review (default: the workspace's engagement map)")
    parser.add_argument("--source", metavar="ID", help="inside a workspace: review one source's map (maps/sources/ID.json), "
                        "so the decisions flow into the next `vsm synthesize`")
    add_review_options(parser)
    parser.set_defaults(run=run)


def add_review_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reviewer", metavar="NAME", default=None,
                        help="who decides, as recorded with each decision (default: VSM_REVIEWER, else your login)")
    parser.add_argument("--readonly", action="store_true", help="browse only: nothing is changed, nothing locked")
    parser.add_argument("--transcripts", type=Path, action="append", default=[], metavar="FOLDER",
                        help="where to look for the transcripts if they moved (repeatable)")


def reviewer_name(given: str | None) -> str:
    if given:
        return given
    if os.environ.get("VSM_REVIEWER"):
        return os.environ["VSM_REVIEWER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def run(args: argparse.Namespace) -> int:
    path = source_map_path(args.source) if args.source else map_path_from_args(args.map)
    code = review_map(path, reviewer=reviewer_name(args.reviewer), readonly=args.readonly, search=tuple(args.transcripts))
    workspace = Workspace.find(path.resolve().parent)
    if workspace is not None and path.resolve() == workspace.map_path().resolve() and not args.readonly:
        sys.stdout.write("Note: `vsm synthesize` rebuilds the engagement map from the sources' maps; to keep decisions "
                         "through it, review a source's map: vsm review --source ID\n")
    return code


def source_map_path(source_id: str) -> Path:
    """The map of one source of the workspace we are in."""
    from agent.engagement import load_index

    workspace = Workspace.find(Path.cwd())
    if workspace is None:
        raise VsmError("--source names a source of a workspace; run it inside one (`vsm init NAME`)")
    sources = load_index(workspace).sources
    found = next((s for s in sources if s.id == source_id), None)
    if found is None or not found.map_file:
        known = ", ".join(s.id for s in sources) or "none yet (`vsm add FILES`)"
        raise VsmError(f"{workspace.root}: no source {source_id!r} with a map; the sources are: {known}")
    return workspace.root / found.map_file


def review_map(path: Path, *, reviewer: str, readonly: bool = False, search: tuple[Path, ...] = ()) -> int:
    """Lock, open and run the review of one map; the summary of what was decided goes to standard output."""
    from agent.review import open_review
    from agent.review.lock import ReviewLock

    workspace = Workspace.find(path.resolve().parent)
    root = workspace.root if workspace else None
    lock = None if readonly else ReviewLock(path, person=reviewer, workspace_root=root).acquire()
    try:
        session = open_review(path, person=reviewer, readonly=readonly, workspace_root=root, search=search)
        from agent.tui.review import ReviewApp  # lazy: the only import of Textual

        ReviewApp(session).run()
    finally:
        if lock is not None:
            lock.release()
    confirmed, total = session.counts()
    sys.stdout.write(f"Reviewed {path}: {len(session.decisions)} decisions this session; {confirmed} of {total} "
                     f"elements confirmed by a person.\n")
    return 0
