"""`vsm COMMAND` imports only that command's module and the engine it needs: everyday commands start fast."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from agent.cli import COMMANDS, build_parser, command_module

REPO = Path(__file__).resolve().parents[1]


def test_the_command_table_names_what_each_module_registers() -> None:
    for module, names in COMMANDS:
        parser = argparse.ArgumentParser()
        subparsers = parser.add_subparsers()
        command_module(module).register(subparsers)
        assert tuple(subparsers.choices) == names, module


def test_help_lists_every_command_and_a_named_command_parses_alone() -> None:
    every = build_parser()
    listed = every.format_help()
    for _, names in COMMANDS:
        for name in names:
            assert name in listed
    args = build_parser(["check", "map.json"]).parse_args(["check", "map.json"])
    assert args.map == Path("map.json")


_LOADED = """
import contextlib, io, sys
from agent.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main(sys.argv[1:])
print("\\n".join(sorted(sys.modules)))
"""


def _imported(*argv: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _LOADED, *argv], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120, check=True)
    return set(done.stdout.split())


def test_check_imports_no_other_command_nor_chroma_nor_a_model_library() -> None:
    imported = _imported("check", "--help")
    assert "agent.cli.check_command" in imported
    for heavy in ("agent.cli.demo_command", "agent.cli.ask_command", "chromadb", "onnxruntime", "langchain_core",
                  "textual", "agent.extraction.offline"):
        assert heavy not in imported, heavy


def test_help_imports_every_command_but_no_chroma_nor_model_library() -> None:
    imported = _imported("--help")
    assert {f"agent.cli.{module}" for module, _ in COMMANDS} <= imported
    for heavy in ("chromadb", "onnxruntime", "langchain_core", "textual"):
        assert heavy not in imported, heavy
