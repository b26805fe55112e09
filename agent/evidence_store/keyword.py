"""The keyword half of hybrid search: query terms, BM25 over candidate passages, reciprocal rank fusion.

A rare word (a product name, "SEPA", a number) is what an embedding blurs and a keyword match keeps;
fusing the two rankings lets either one bring a passage up. Pure functions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

_TERM = re.compile(r"\w+")
# Question words and fillers that say nothing about which passage answers.
_STOPWORDS = (
    "a about after again all also am an and any are as at be because been before being between both but by "
    "can could did do does doing done during each even ever every few for from further get gets got had has "
    "have having he her here hers him his how i if in into is it its just me more most my no nor not now of "
    "off on once only or other our ours out over own really same she should so some such tell than that the "
    "their theirs them then there these they this those through to too under until up us very was we were "
    "what when where which while who whom why will with would you your yours"
)
STOPWORDS = frozenset(_STOPWORDS.split())
#: BM25's usual constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
#: Reciprocal rank fusion's constant (Cormack et al. 2009): damps the head of each ranking.
RRF_K = 60


def query_terms(query: str) -> list[str]:
    """The query's words worth matching, lower-cased, once each: no stop words, no single letters."""
    seen: dict[str, None] = {}
    for match in _TERM.finditer(query.lower()):
        word = match.group()
        if word not in STOPWORDS and (len(word) > 2 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def term_pattern(*terms: str) -> str:
    """A case-insensitive regex for words starting with any of `terms` ("stall" finds "stalls", "stalled")."""
    return rf"(?i)\b(?:{'|'.join(re.escape(term) for term in terms)})"


def bm25_ranking(
    terms: Sequence[str], texts: Mapping[str, str], document_frequency: Mapping[str, int], total: int
) -> list[tuple[str, float]]:
    """The ids of `texts` that hold any term, best first, with their BM25 scores.

    `document_frequency[term]` counts the stored passages holding the term and `total` all of them, so the
    idf is the collection's, not the candidates'.
    """
    if not texts or not terms:
        return []
    patterns = {term: re.compile(term_pattern(term)) for term in terms}
    lengths = {key: len(text.split()) for key, text in texts.items()}
    average = sum(lengths.values()) / len(lengths) or 1.0
    scores: dict[str, float] = {}
    for term, pattern in patterns.items():
        frequency = document_frequency.get(term, 0)
        idf = math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
        for key, text in texts.items():
            hits = len(pattern.findall(text))
            if hits:
                norm = hits * (K1 + 1) / (hits + K1 * (1 - B + B * lengths[key] / average))
                scores[key] = scores.get(key, 0.0) + idf * norm
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def reciprocal_rank_fusion(*rankings: Sequence[str]) -> list[tuple[str, float]]:
    """Ids from several best-first rankings, fused: each rank r adds 1 / (RRF_K + r)."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))
