"""Run `vsm` as a user does: a separate process, real files, exit code and both streams."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_vsm(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "VSM_EMBEDDER": "none", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "agent.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env=full_env, timeout=timeout, check=False,
    )
