"""`vsm check MAP`: findings grouped by the three core questions, summary figures and loss chains."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agent.checks import check_map
from agent.cli.options import add_embedder_option, embedder_from_args, map_path_from_args
from agent.reports.findings_text import findings_as_markdown, findings_as_text
from agent.storage import load_map
from schemas.findings import CheckReport, Severity

FAIL_LEVELS = ("error", "warning", "info", "never")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="flag where a map shows False Value Mapping",
        description="Run the deterministic checks over a map and print the findings, grouped by the "
        "framework's three core questions, with the question to ask next.",
    )
    parser.add_argument("map", type=Path, nargs="?", help="the map's JSON file (default: the workspace's map)")
    parser.add_argument("--format", choices=("text", "md", "json"), default="text")
    parser.add_argument(
        "--fail-on", choices=FAIL_LEVELS, default="error",
        help="exit 1 when a finding is at or above this severity (default: error)",
    )
    add_embedder_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    value_map = load_map(map_path_from_args(args.map))
    report = check_map(value_map, embedder=embedder_from_args(args))
    if args.format == "json":
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    elif args.format == "md":
        sys.stdout.write(findings_as_markdown(value_map, report))
    else:
        sys.stdout.write(findings_as_text(value_map, report))
    return exit_code(report, args.fail_on)


def exit_code(report: CheckReport, fail_on: str) -> int:
    if fail_on == "never":
        return 0
    floor = Severity(fail_on).rank
    return 1 if any(f.severity.rank >= floor for f in report.findings) else 0
