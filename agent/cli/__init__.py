"""The `vsm` command: one module per subcommand, each only calling the engine below it.

A subcommand module has `register(subparsers)`, which adds its parser and sets `run` (a function of
the parsed arguments returning the exit code). Errors the user can fix (`VsmError`) print as one line
and exit 2; nothing else is caught here, so a bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from agent import __version__
from agent.cli import (
    ask_command,
    check_command,
    demo_command,
    doctor_command,
    engagement_command,
    eval_command,
    interview_command,
    map_command,
    replay_command,
    report_command,
    schema_command,
    workspace_command,
)
from agent.errors import VsmError

# In the order `vsm --help` lists them: the main job first.
COMMANDS = (demo_command, map_command, interview_command, check_command, report_command, eval_command,
            replay_command, doctor_command, schema_command, workspace_command, engagement_command, ask_command)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vsm",
        description="Wasteless VSM: map where a value stream stops, why, and where its value breaks down.",
    )
    parser.add_argument("--version", action="version", version=f"vsm {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except VsmError as err:
        print(f"vsm: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("vsm: interrupted", file=sys.stderr)
        return 130
    return code


def entry_point() -> None:
    sys.exit(main())
