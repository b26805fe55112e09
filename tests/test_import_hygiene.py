"""The engine never imports the UI: the CLI, the TUI and the tests all drive the same engine."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import agent

UI_PACKAGES = ("agent.tui",)


def engine_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(agent.__path__, "agent.")]
    return sorted(n for n in names if not n.startswith(UI_PACKAGES) and not n.endswith("__main__"))


def test_engine_modules_never_import_textual() -> None:
    modules = ["schemas", *engine_modules()]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'textual' not in sys.modules, f'{name} imported textual'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_schemas_import_nothing_from_agent() -> None:
    code = "import sys, schemas, schemas.extraction, schemas.migrations\n" \
           "print(sorted(m for m in sys.modules if m == 'agent' or m.startswith('agent.')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
