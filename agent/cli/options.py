"""Options several commands share, so they are spelled and resolved the same way everywhere."""

from __future__ import annotations

import argparse
import os

from agent.checks.divergence import TextEmbedder

EMBEDDERS = ("minilm", "openai", "none")


def add_embedder_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--embedder", choices=EMBEDDERS, default=os.environ.get("VSM_EMBEDDER", "minilm"),
        help="how propositions are compared for meaning: minilm (offline, default), openai, or none "
        "(only duplications the map records); env VSM_EMBEDDER",
    )


def embedder_from_args(args: argparse.Namespace) -> TextEmbedder | None:
    if args.embedder == "none":
        return None
    from agent.semantics import embedder_from_settings  # lazy: loads onnxruntime or langchain

    return embedder_from_settings(args.embedder)
