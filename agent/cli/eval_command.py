"""`vsm eval MAP GOLD`: score a map against a gold map, type by type, and list what did not match."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agent.cli.options import add_embedder_option, embedder_from_args
from agent.evaluation import evaluation_as_markdown, evaluation_as_text, score_map
from agent.storage import load_map


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="score a map against a gold map (precision, recall, F1 per element type)",
        description="Match the map's elements to the gold map's, type by type: by overlapping verified "
        "evidence in the same source, and by close meaning when an embedder is on. Prints precision, "
        "recall and F1 per type and overall, then the elements left unmatched on each side.",
    )
    parser.add_argument("map", type=Path, help="the map to score (JSON)")
    parser.add_argument("gold", type=Path, help="the gold map to score it against (JSON)")
    parser.add_argument("--format", choices=("text", "md", "json"), default="text")
    parser.add_argument("--show-matches", action="store_true",
                        help="also list every matched pair, how it matched and its score (text and md)")
    add_embedder_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    predicted = load_map(args.map)
    gold = load_map(args.gold)
    report = score_map(predicted, gold, embedder=embedder_from_args(args))
    if args.format == "json":
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    elif args.format == "md":
        sys.stdout.write(evaluation_as_markdown(report, show_matches=args.show_matches))
    else:
        sys.stdout.write(evaluation_as_text(report, show_matches=args.show_matches))
    return 0
