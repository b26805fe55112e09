"""The README a user clones links only to files the clone has: issue 11 saw it link `../shared/FRAMEWORK.md`,
which lives outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_every_relative_link_in_the_readme_is_a_path_in_the_repository() -> None:
    links = [link for link in _LINK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
             if not re.match(r"[a-z]+:", link)]
    assert "docs/framework.md" in links  # the project's own framework guide
    outside = [link for link in links if not (ROOT / link).resolve().is_relative_to(ROOT)]
    missing = [link for link in links if not (ROOT / link).exists()]
    assert (outside, missing) == ([], [])
