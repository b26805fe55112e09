"""Files vsm ships beside its code: prompts and the example transcripts and maps.

In a source checkout they are the repository's `prompts/` and `transcripts/`; in an installed wheel
they are copied into `agent/_bundled/` (pyproject.toml, force-include). One lookup serves both.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_path(relative: str) -> Path:
    """The bundled file or folder `relative` (e.g. "transcripts/legal-platform"), wherever vsm runs from."""
    for base in (_PACKAGE / "_bundled", _PACKAGE.parent):
        candidate = base / relative
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{relative} is not bundled with this vsm; reinstall it (pip install wasteless-vsm)")
