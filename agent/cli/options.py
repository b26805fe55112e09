"""Options several commands share, so they are spelled and resolved the same way everywhere."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from agent.checks.divergence import TextEmbedder
from agent.errors import VsmError

EMBEDDERS = ("minilm", "openai", "none")


def add_embedder_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--embedder", choices=EMBEDDERS, default=os.environ.get("VSM_EMBEDDER", "minilm"),
        help="how propositions are compared for meaning: minilm (offline, default), openai, or none "
        "(only duplications the map records); env VSM_EMBEDDER",
    )


def map_path_from_args(given: Path | None) -> Path:
    """The map a command works on: the one named, else the engagement map of the workspace we are in."""
    if given is not None:
        return given
    from agent.storage import Workspace

    workspace = Workspace.find(Path.cwd())
    if workspace is None:
        raise VsmError("which map? pass MAP (e.g. map.json), or run this inside a workspace (`vsm init NAME`)")
    path = workspace.map_path()
    if not path.exists():
        raise VsmError(f"{path}: the workspace has no engagement map yet; build it with `vsm synthesize`")
    return path


def embedder_from_args(args: argparse.Namespace) -> TextEmbedder | None:
    if args.embedder == "none":
        return None
    from agent.semantics import embedder_from_settings  # lazy: loads onnxruntime or langchain

    return embedder_from_settings(args.embedder)
