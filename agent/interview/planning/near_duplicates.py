"""When two names in one interview mean the same thing: "Connect" and "Connect their Google calendar".

Offline and cheap enough for every turn: names are reduced to their content words (crudely stemmed, the
offline extractor's step nouns read as their verbs);
two names are near-duplicates when one's words are all in the other (or in what the other was said
with, its quotes), they start with the same word, and they carry the same numbers. Numbers keep
"Pay 15 dollars" and "Pay 12 dollars" apart: that difference is a correction, not a duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from agent.extraction.offline.naming import VERB_OF_NOMINAL
from schemas.elements import Element

STOP_WORDS = frozenset(re.findall(r"[a-z]+",
    """a an the and or but of to for in on at by with from into onto about as is are was were be been being it its
    this that these those their there they them he she his her we our us you your i my me not no so than then
    up out over per via some any all each every more most less very just also only do does did has have had
    can could will would should may might must"""))
_WORD = re.compile(r"[a-z]+|\d+(?:[.,]\d+)?")
MIN_JACCARD = 0.6  # names of equal length that share most of their words


def stem(word: str) -> str:
    """A crude stem, enough to match 'connects', 'connected', 'connecting' and 'connect', 'invoices' and 'invoice'."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


@lru_cache(maxsize=4096)
def content_words(text: str) -> tuple[str, ...]:
    """The text's words that carry meaning, stemmed, in order (numbers kept as they are). A noun the offline
    names make of a verb is read as that verb: "Google connection" names what "they connect" says."""
    return tuple(stem(VERB_OF_NOMINAL.get(w, w)) if not w[0].isdigit() else w for w in _WORD.findall(text.casefold())
                 if w not in STOP_WORDS)


@lru_cache(maxsize=4096)
def numbers_of(text: str) -> frozenset[str]:
    return frozenset(w.replace(",", ".") for w in _WORD.findall(text.casefold()) if w[0].isdigit())


def context_words(element: Element) -> frozenset[str]:
    """The element's name and the sentences it was said in."""
    words = set(content_words(element.name))
    for quote in element.evidence[:3]:
        words.update(content_words(quote.text))
    return frozenset(words)


def same_thing(first: Element, second: Element) -> bool:
    """Whether two elements of one kind are the same thing told twice (see the module's docstring)."""
    return names_alike(first.name, second.name, context_words(first), context_words(second))


def alike_pairs(elements: Sequence[Element]) -> Iterator[tuple[Element, Element]]:
    """Every pair of near-duplicates among `elements` (of one kind), without weighing every pair: only names
    that share a word can be alike, so candidates come from an index of the names' words."""
    words = [content_words(e.name) for e in elements]
    contexts: dict[int, frozenset[str]] = {}
    by_word: dict[str, list[int]] = {}
    for i, name_words in enumerate(words):
        for word in set(name_words):
            by_word.setdefault(word, []).append(i)
    for i, first in enumerate(elements):
        candidates = sorted({j for word in set(words[i]) for j in by_word[word] if j > i})
        for j in candidates:
            if i not in contexts:
                contexts[i] = context_words(first)
            if j not in contexts:
                contexts[j] = context_words(elements[j])
            if names_alike(first.name, elements[j].name, contexts[i], contexts[j]):
                yield first, elements[j]


def names_alike(first: str, second: str, first_context: Iterable[str] = (), second_context: Iterable[str] = ()
                ) -> bool:
    a, b = content_words(first), content_words(second)
    if not a or not b or numbers_of(first) != numbers_of(second):
        return False
    if a == b:
        return True
    set_a, set_b = set(a), set(b)
    if len(set_a & set_b) / len(set_a | set_b) >= MIN_JACCARD:
        return True
    if a[0] != b[0]:
        return False
    return set_a <= set_b | set(second_context) or set_b <= set_a | set(first_context)


def numbers_differ_only(first: str, second: str) -> bool:
    """'Pay 15 dollars per seat' and 'Pay 12 dollars per seat': one thing, told with another number."""
    a = [w for w in content_words(first) if not w[0].isdigit()]
    b = [w for w in content_words(second) if not w[0].isdigit()]
    return bool(a) and a == b and numbers_of(first) != numbers_of(second) and bool(numbers_of(first))
