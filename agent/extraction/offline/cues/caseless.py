"""Case-insensitive cue patterns, searched as case-sensitive ones over lowercased text: the same matches, faster.

Under `re.IGNORECASE` the `re` engine cannot reject a position on its first letter, so an alternation of a hundred
phrases is entered at every word of every sentence; searched case-sensitively over `text.lower()` with the
pattern's letters lowered, it is rejected on the first letter (measured: the 20,000-word benchmark from 1.44 to
0.91-0.93 s of CPU, every bundled draft byte-identical). A hit is matched again with the case-insensitive pattern at the
same place, so callers get the match over the original text (its groups keep their case).

Lowering is exact where `str.lower` agrees with `re`'s case folding: on ASCII, Latin-1 letters, punctuation and
currency signs. A text with any other character (a Greek final sigma, a long s, a micro sign) is searched with
the case-insensitive pattern itself, and so is a pattern whose meaning lowering would change (`_lowerable`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cached_property, lru_cache
from typing import Any

# Characters on which `str.lower` and `re.IGNORECASE` agree, and lowering keeps every offset (µ, U+00B5, does not:
# `re` also matches it to Greek mu).
_EXACT = r"\x00-\xb4\xb6-\xff\u2000-\u206f\u20a0-\u20cf"
_LOWERS_EXACTLY = re.compile(f"[{_EXACT}]*")
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


# What lowering a pattern's letters would change the meaning of, so such a pattern is searched as written: a
# character given by number or name (`\x41`, `\N{...}`), case-sensitivity switched back on (`(?-i:May)`, `(?s-i:`),
# a conditional on a group's name, and a letter `re` folds otherwise than `str.lower` (ı, ſ, İ, the Kelvin sign).
_NOT_LOWERABLE = re.compile(r"\\(?:[xuUN0]|[1-7][0-7]{2})|\(\?[a-zA-Z]*-[a-zA-Z]*i|\(\?\(|" + f"[^{_EXACT}]")
# A range in a character class: safe to lower only between two lowercase letters, two capitals or two digits
# (`[A-z]` holds `_` and `^`; lowered, it would not).
_RANGE = re.compile(r"(?<!\\)(\\?.)-(\\?[^\]])")
_SAFE_RANGE = re.compile(r"[a-z]-[a-z]|[A-Z]-[A-Z]|[0-9]-[0-9]")


def _lowerable(source: str) -> bool:
    if _NOT_LOWERABLE.search(source):
        return False
    for chars in re.findall(r"(?<!\\)\[((?:\\.|[^\]])*)\]", source):
        if any(not _SAFE_RANGE.fullmatch(f"{low}-{high}") for low, high in _RANGE.findall(chars)):
            return False
    return True


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
        self.pattern = source
        self._flags = flags

    # Compiled when first searched, not at import: some 200 cues, compiled twice, would add a quarter of a second to
    # every command that imports the extractor (tests/test_caseless_patterns.py compiles and searches every cue).
    @cached_property
    def any_case(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self._flags | re.IGNORECASE)

    @cached_property
    def _lower(self) -> re.Pattern[str] | None:
        if not _lowerable(self.pattern):
            return None
        return re.compile(_lowered_pattern(self.pattern), self._flags & ~re.IGNORECASE)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        lowered = _lowered_text(string) if self._lower is not None else None
        if self._lower is None or lowered is None:
            return self.any_case.search(string, pos, endpos)
        found = self._lower.search(lowered, pos, endpos)
        if found is None:
            return None
        again = self.any_case.match(string, found.start(), endpos)
        # Always the same span; if ever not, the case-insensitive pattern decides.
        return again if again is not None and again.span() == found.span() else self.any_case.search(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        lowered = _lowered_text(string) if self._lower is not None else None
        if self._lower is None or lowered is None:
            yield from self.any_case.finditer(string, pos, endpos)
            return
        found = list(self._lower.finditer(lowered, pos, endpos))  # few: a cue hits a sentence once or twice
        if not found:
            return
        again = [self.any_case.match(string, hit.start(), endpos) for hit in found]
        # The same spans, unless an empty match is followed by one at the same place ("a??" over "a"), which a
        # match at that place cannot repeat: then the case-insensitive pattern reads the whole text.
        if all(m is not None and m.span() == hit.span() for m, hit in zip(again, found, strict=True)):
            yield from (m for m in again if m is not None)
        else:
            yield from self.any_case.finditer(string, pos, endpos)

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


@lru_cache(maxsize=1024)  # module-level cues, and the few built per call (stops.py), once each
def caseless(source: str, flags: int = 0) -> CaselessPattern:
    """`re.compile(source, flags | re.IGNORECASE)`, searched faster (see the module's docstring)."""
    return CaselessPattern(source, flags)
