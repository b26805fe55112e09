"""Keys and names for draft elements: stable slugs ("vep-book-the-first-consultation") and short names.

Keys are derived from what an element is about, not from a counter, so the same transcript always
yields the same keys, and a reader can tell `th-sign-up` from `th-pay` without looking them up.
"""

from __future__ import annotations

import re
import unicodedata

_MAX_SLUG_WORDS = 6
_MAX_SLUG_CHARS = 48
_FILLERS = re.compile(
    r"^(?:(?:so|and|but|um|uh|honestly|basically|actually|because|also|then|i mean|you know|i think|i'd say|"
    r"the thing is|one is that|the other is that|it's just|just)[,.]?\s+|(?:well|like|yeah|yes|no|okay|ok|right)[,.]\s+)+",
    re.IGNORECASE,
)
_TRAILING = frozenset({"a", "an", "the", "and", "or", "but", "to", "of", "for", "with", "in", "on", "at", "by",
                       "that", "which", "who", "is", "are", "was", "were", "so", "if", "as", "their", "your", "our"})  # fmt: skip
_NAME_BREAK = re.compile(r"\s(?:--|-|—)\s|[;:()]|,\s(?=(?:and|but|so|because|which|otherwise)\b)")


def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens, at most a few words: "Book the first consultation" -> "book-the-first-consultation"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    words = [w for w in words if w not in ("a", "an", "the")] or words
    joined = "-".join(words[:_MAX_SLUG_WORDS])[:_MAX_SLUG_CHARS].strip("-")
    return joined or "element"


def short_name(text: str, max_words: int = 8) -> str:
    """A short name from a clause of speech: fillers dropped, first clause only, at most `max_words` words."""
    clause = _NAME_BREAK.split(text.strip(), maxsplit=1)[0]
    clause = _FILLERS.sub("", clause).strip(" \"'.,!?…")
    words = clause.split()[:max_words]
    while len(words) > 1 and words[-1].lower().strip(",.") in _TRAILING:
        words.pop()
    name = " ".join(words).strip(" ,.;:\"'")
    return (name[:1].upper() + name[1:]) if name else "Unnamed"


class KeyRegistry:
    """Hands out unique keys in one DraftMap: the second "vep-pay" becomes "vep-pay-2"."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def key(self, prefix: str, about: str) -> str:
        base = f"{prefix}-{slug(about)}"
        key, n = base, 2
        while key in self._taken:
            key, n = f"{base}-{n}", n + 1
        self._taken.add(key)
        return key
