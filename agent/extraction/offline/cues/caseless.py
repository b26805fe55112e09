"""Case-insensitive cue patterns, searched as case-sensitive ones over lowercased text: the same matches, faster.

Under `re.IGNORECASE` the `re` engine cannot reject a position on its first letter, so an alternation of a hundred
phrases is entered at every word of every sentence; searched case-sensitively over `text.lower()` with the
pattern's letters lowered, it is rejected on the first letter (measured: the 20,000-word benchmark from 1.44 to
0.94 s of CPU, every bundled draft byte-identical). A hit is matched again with the case-insensitive pattern at the
same place, so callers get the match over the original text (its groups keep their case).

Lowering is exact where `str.lower` agrees with `re`'s case folding: on ASCII, Latin-1 letters, punctuation and
currency signs. A text with any other character (a Greek final sigma, a long s, a micro sign) is searched with
the case-insensitive pattern itself.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cache
from typing import Any

# Characters on which `str.lower` and `re.IGNORECASE` agree, and lowering keeps every offset (µ, U+00B5, does not:
# `re` also matches it to Greek mu).
_LOWERS_EXACTLY = re.compile(r"[\x00-\xb4\xb6-\xff\u2000-\u206f\u20a0-\u20cf]*")
_last_read: tuple[str, str | None] = ("", "")  # the text last searched and its lowered form (None: not exact)


def _lowered_text(text: str) -> str | None:
    """`text` lowered, or None where lowering is not exact; the last one is kept, as many cues read one sentence."""
    global _last_read
    last = _last_read  # one read: another thread may replace it meanwhile
    if last[0] is text:
        return last[1]
    lowered = text.lower() if text.isascii() or _LOWERS_EXACTLY.fullmatch(text) else None
    _last_read = (text, lowered)
    return lowered


def _lowered_pattern(source: str) -> str:
    """The pattern's letters lowered, escapes (`\\S`, `\\W`) and group names (`(?P<Verb>`) as written."""
    out: list[str] = []
    i = 0
    while i < len(source):
        if source[i] == "\\":
            out.append(source[i : i + 2])
            i += 2
        elif source.startswith(("(?P<", "(?P="), i):
            end = source.index(">" if source[i + 3] == "<" else ")", i) + 1
            out.append(source[i:end])
            i = end
        else:
            out.append(source[i].lower())
            i += 1
    return "".join(out)


class CaselessPattern:
    """A compiled case-insensitive pattern with `re.Pattern`'s reading methods; `search` and `finditer` fast."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self.any_case = re.compile(source, flags | re.IGNORECASE)
        # A pattern that turns case-sensitivity back on in places ("(?-i:May)") must see the text as written.
        self._lower = None if "(?-i" in source else re.compile(_lowered_pattern(source), flags & ~re.IGNORECASE)
        self.pattern = source

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        lowered = _lowered_text(string) if self._lower is not None else None
        if self._lower is None or lowered is None:
            return self.any_case.search(string, pos, endpos)
        found = self._lower.search(lowered, pos, endpos)
        return None if found is None else self.any_case.match(string, found.start(), endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        lowered = _lowered_text(string) if self._lower is not None else None
        if self._lower is None or lowered is None:
            yield from self.any_case.finditer(string, pos, endpos)
            return
        for found in self._lower.finditer(lowered, pos, endpos):
            again = self.any_case.match(string, found.start(), endpos)
            if again is not None:  # always, where lowering is exact
                yield again

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.any_case.match(string, pos, endpos)  # anchored: nothing to skip

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.any_case.fullmatch(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.any_case.findall(string, pos, endpos)

    def sub(self, repl: str, string: str, count: int = 0) -> str:
        return self.any_case.sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[Any]:
        return self.any_case.split(string, maxsplit)


@cache
def caseless(source: str, flags: int = 0) -> CaselessPattern:
    """`re.compile(source, flags | re.IGNORECASE)`, searched faster (see the module's docstring)."""
    return CaselessPattern(source, flags)
