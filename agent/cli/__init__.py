"""The `vsm` command: one module per subcommand, each only calling the engine below it.

A subcommand module has `register(subparsers)`, which adds its parser and sets `run` (a function of
the parsed arguments returning the exit code). Errors the user can fix (`VsmError`) print as one line
and exit 2. Standard output closed early (`vsm check map.json | head -1`) ends quietly with exit code
141, what a shell reports for a command stopped by SIGPIPE, so `set -o pipefail` still sees it. Nothing
else is caught here, so a bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import os
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
    review_command,
    schema_command,
    workspace_command,
)
from agent.errors import VsmError

# In the order `vsm --help` lists them: the main job first.
COMMANDS = (demo_command, map_command, interview_command, check_command, report_command, eval_command,
            review_command, replay_command, doctor_command, schema_command, workspace_command, engagement_command, ask_command)


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


# 128 + SIGPIPE: the exit code a shell shows for `yes | head -1`'s `yes`.
BROKEN_PIPE_EXIT = 141


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)  # --help may meet a closed pipe too
        try:
            code: int = args.run(args)
        except VsmError as err:
            print(f"vsm: error: {err}", file=sys.stderr)
            return err.exit_code
        except KeyboardInterrupt:
            print("vsm: interrupted", file=sys.stderr)
            return 130
        sys.stdout.flush()  # inside the try: what is still buffered can meet the closed pipe too
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE_EXIT
    return code


def _silence_stdout() -> None:
    """Point standard output at the null device, so the interpreter's flush at exit cannot fail again.

    The Python recipe (docs: signal, "Note on SIGPIPE"). Where standard output is no file descriptor
    (a test capturing it), there is nothing to redirect.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def entry_point() -> None:
    sys.exit(main())
