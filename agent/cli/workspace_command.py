"""`vsm init NAME`: create an engagement workspace (sources, maps, sessions)."""

from __future__ import annotations

import argparse
from pathlib import Path

from agent.storage import Workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("init", help="create a workspace folder for an engagement")
    parser.add_argument("folder", type=Path, help="the folder to create (its name is the workspace's name)")
    parser.add_argument("--name", help="a display name, if not the folder's")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    workspace = Workspace.init(args.folder, args.name)
    print(f"created workspace {workspace.name!r} in {workspace.root}")
    for folder in ("sources", "maps", "sessions"):
        print(f"  {workspace.folder(folder)}/")
    return 0
