"""The pinned requirement files say what uv.lock says, so pip users get the locked versions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.mark.parametrize(("target", "extra"), [("requirements.txt", ["--no-dev"]), ("requirements-dev.txt", [])])
def test_requirement_files_match_the_lock(target: str, extra: list[str]) -> None:
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv, "uv is a dev dependency; install requirements-dev.txt"
    result = subprocess.run(
        [uv, "export", "--frozen", "--no-hashes", "--no-emit-project", *extra, "--format", "requirements-txt",
         "-q"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    pinned = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    committed = [line for line in (ROOT / target).read_text().splitlines() if not line.startswith("#")]
    assert pinned == committed, f"{target} is stale: run the `uv export` line in the README, Development"
