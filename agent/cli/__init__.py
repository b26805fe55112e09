"""The `vsm` command: one module per subcommand, each only calling the engine below it.

A subcommand module has `register(subparsers)`, which adds its parser and sets `run` (a function of
the parsed arguments returning the exit code). Errors the user can fix (`VsmError`) print as one line
and exit 2, as does an `OSError` (a full disk, a read-only folder). While a command runs, standard
output and error pass through `TerminalSafeStream`, so no control sequence or bidi override from a
transcript, a map or a file name reaches the terminal. Standard output closed early (`vsm check
map.json | head -1`) ends quietly with exit code 141, what a shell reports for a command stopped by
SIGPIPE, so `set -o pipefail` still sees it. Nothing else is caught here, so a bug still shows its
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from types import ModuleType
from typing import TextIO

from agent import __version__
from agent.errors import VsmError, VsmWarning
from agent.terminal_text import TerminalSafeStream, terminal_line

# In the order `vsm --help` lists them, the main job first: each command module under agent.cli, with the
# subcommands its `register` adds. Naming them here lets `vsm check` import check_command alone (and
# the engine it needs), not every command's; `vsm --help` imports them all. A test keeps this in step.
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("demo_command", ("demo",)),
    ("map_command", ("map",)),
    ("interview_command", ("interview",)),
    ("check_command", ("check",)),
    ("report_command", ("report",)),
    ("eval_command", ("eval",)),
    ("review_command", ("review",)),
    ("replay_command", ("replay",)),
    ("doctor_command", ("doctor",)),
    ("schema_command", ("schema",)),
    ("workspace_command", ("init",)),
    ("engagement_command", ("add", "remove", "synthesize", "reindex")),
    ("ask_command", ("ask",)),
)


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"agent.cli.{name}")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments, with only the module of the subcommand they name (if they name one)."""
    parser = argparse.ArgumentParser(
        prog="vsm",
        description="Wasteless VSM: map where a value stream stops, why, and where its value breaks down.",
    )
    parser.add_argument("--version", action="version", version=f"vsm {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    named = next((arg for arg in argv or () if not arg.startswith("-")), None)
    wanted = [module for module, names in COMMANDS if named in names] or [module for module, _ in COMMANDS]
    for module in wanted:
        command_module(module).register(subparsers)
    return parser


# 128 + SIGPIPE: the exit code a shell shows for `yes | head -1`'s `yes`.
BROKEN_PIPE_EXIT = 141


def main(argv: Sequence[str] | None = None) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafeStream(stdout), TerminalSafeStream(stderr)  # type: ignore[assignment]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", VsmWarning)  # each file's warning, not only the first
            default_show = warnings.showwarning
            warnings.showwarning = partial(_show_warning, default_show)
            return _run_command(argv)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _show_warning(default_show: Callable[..., None], message: Warning | str, category: type[Warning],
                  filename: str, lineno: int, file: TextIO | None = None, line: str | None = None) -> None:
    """A `VsmWarning` as one `vsm: warning:` line; any other warning as Python shows it."""
    if issubclass(category, VsmWarning):
        print(f"vsm: warning: {terminal_line(str(message))}", file=sys.stderr)
    else:
        default_show(message, category, filename, lineno, file, line)


def _run_command(argv: Sequence[str] | None) -> int:
    try:
        arguments = sys.argv[1:] if argv is None else list(argv)
        parser = build_parser(arguments)
        args = parser.parse_args(arguments)  # --help may meet a closed pipe too
        try:
            code: int = args.run(args)
        except VsmError as err:
            print(f"vsm: error: {terminal_line(str(err))}", file=sys.stderr)
            return err.exit_code
        except BrokenPipeError:
            raise
        except OSError as err:  # the disk or the system refused (full, read-only, permissions): not a bug
            print(f"vsm: error: {terminal_line(os_error_line(err))}", file=sys.stderr)
            return VsmError.exit_code
        except KeyboardInterrupt:
            print("vsm: interrupted", file=sys.stderr)
            return 130
        sys.stdout.flush()  # inside the try: what is still buffered can meet the closed pipe too
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE_EXIT
    return code


def os_error_line(err: OSError) -> str:
    """`path: what the system said; what to check`, from an error the system raised mid-command."""
    names = " -> ".join(str(name) for name in (err.filename, err.filename2) if name is not None)
    said = err.strerror or str(err)
    return f"{names or 'vsm'}: {said}; check the path, the free space and the permissions, then run it again"


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
    # For the life of the process, so even a bug's traceback (printed after `main` returns) shows map text inert.
    sys.stderr = TerminalSafeStream(sys.stderr)  # type: ignore[assignment]
    sys.exit(main())
