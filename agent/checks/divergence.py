"""Semantic comparison of value propositions: which pairs tell the same value differently.

FRAMEWORK.md: duplication is *partially* inconsistent value narratives. Two propositions are compared
when they are used in different places (thresholds, stages, audiences); a pair is divergent when it is
related (similar statements, or shared claims) but not the same value told the same way. Everything
here is vectorised: one matrix product for statements, one for claims, no Python loop over pairs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from schemas.elements import DuplicationKind, ValueProposition

Vectors = npt.NDArray[np.float32]

# Cosine similarities between unit vectors of the default embedder; measured on the labelled pairs in
# tests/data/semantics/value_pairs.jsonl (benchmarks/embedder_quality.py; README, "Semantic comparison"):
# SAME is about the best-F1 cut between paraphrases and other value, RELATED between same-topic and
# unrelated pairs. Cosine alone cannot tell "cut review time" from "cut review cost" (0.90): a known limit.
SAME_MEANING = 0.45
RELATED = 0.20
# A pair the map does not record is *suggested* as one value told several ways only at or above this
# cosine: the lowest cut at which, on the labelled pairs without minimal-edit look-alikes, at least 90% of
# pairs are the same value (measured: precision 0.92, recall 0.85 with MiniLM; benchmarks/embedder_quality).
# Below it (unrelated propositions reach 0.23-0.40) the check stays quiet rather than guess.
SUGGEST_DUPLICATION = 0.45
PARTNERS_PER_PROPOSITION = 3

_CONDITIONAL = re.compile(
    r"\b(if you|if your|when you|once you|as long as|only if|provided (?:that )?you|unless you|after you|"
    r"depending on|for customers who|for users who)\b",
    re.IGNORECASE,
)


class TextEmbedder(Protocol):
    """What the checks need from an embedder: unit-length rows, one per text."""

    def embed(self, texts: Sequence[str]) -> Vectors: ...


@dataclass(frozen=True)
class PropositionVectors:
    """Unit vectors of each proposition's statement and of every claim, computed once at the edge."""

    proposition_ids: list[str]
    statements: Vectors  # (n, d)
    claims: Vectors  # (m, d)
    claim_owner: npt.NDArray[np.intp]  # (m,): index into proposition_ids


def embed_propositions(propositions: Sequence[ValueProposition], embedder: TextEmbedder) -> PropositionVectors:
    """Embed statements and claims in one batch of unique texts (maps repeat phrases a lot)."""
    statements = [p.statement for p in propositions]
    claims: list[str] = []
    owners: list[int] = []
    for index, proposition in enumerate(propositions):
        for claim in proposition.claims:
            claims.append(claim)
            owners.append(index)
    unique = list(dict.fromkeys(statements + claims))
    position = {text: i for i, text in enumerate(unique)}
    matrix = embedder.embed(unique) if unique else np.zeros((0, 1), dtype=np.float32)
    dims = matrix.shape[1] if matrix.ndim == 2 else 1
    return PropositionVectors(
        proposition_ids=[p.id for p in propositions],
        statements=matrix[[position[t] for t in statements]] if statements else np.zeros((0, dims), np.float32),
        claims=matrix[[position[t] for t in claims]] if claims else np.zeros((0, dims), np.float32),
        claim_owner=np.asarray(owners, dtype=np.intp),
    )


class Divergence(NamedTuple):
    first_id: str
    second_id: str
    kind: DuplicationKind
    similarity: float
    why: str


def _placement(proposition: ValueProposition) -> tuple[frozenset[str], str]:
    return frozenset(proposition.used_at_ids), (proposition.audience or "").strip().casefold()


def _claims_matched(vectors: PropositionVectors, same: float) -> npt.NDArray[np.int64]:
    """matched[i, j]: how many of proposition i's claims have a same-meaning claim in proposition j.

    Works on distinct claims and on the sparse list of same-meaning pairs, so the cost follows the number
    of distinct claims and of real matches, not claims x claims x propositions.
    """
    n = len(vectors.proposition_ids)
    matched = np.zeros((n, n), dtype=np.int64)
    if len(vectors.claims) == 0:
        return matched
    distinct, which = np.unique(vectors.claims, axis=0, return_inverse=True)
    which = which.reshape(-1)
    present = np.zeros((len(distinct), n), dtype=np.int64)  # distinct claim d is said in proposition j
    present[which, vectors.claim_owner] = 1
    a, b = np.nonzero((distinct @ distinct.T) >= same)  # sparse: pairs of distinct claims that mean the same
    found = np.zeros_like(present)  # distinct claim d has a same-meaning claim in proposition j
    np.add.at(found, a, present[b])
    np.add.at(matched, vectors.claim_owner, (found[which] > 0).astype(np.int64))
    return matched


def find_divergences(
    propositions: Sequence[ValueProposition],
    vectors: PropositionVectors,
    *,
    same: float = SAME_MEANING,
    related: float = RELATED,
    partners: int = PARTNERS_PER_PROPOSITION,
    across_places_only: bool = True,
) -> list[Divergence]:
    """Pairs of propositions, used in different places, that tell related value differently.

    With `across_places_only` off, pairs told at the same place count too (two people telling one
    audience different things at one threshold). Each proposition keeps its `partners` most similar
    divergent pairs: enough to connect every group of
    narratives, while a map of thousands of look-alike propositions still yields a linear number of pairs.
    """
    n = len(propositions)
    if n < 2:
        return []
    similarity = vectors.statements @ vectors.statements.T
    matched = _claims_matched(vectors, same)
    claim_count = np.bincount(vectors.claim_owner, minlength=n).astype(np.int64)

    placement_codes: dict[tuple[frozenset[str], str], int] = {}
    placement = np.array([placement_codes.setdefault(_placement(p), len(placement_codes)) for p in propositions])
    conditional = np.array([bool(_CONDITIONAL.search(p.statement)) for p in propositions])
    all_in = (matched == claim_count[:, None]) & (claim_count[:, None] > 0)  # all of i's claims are in j
    layered = all_in != all_in.T
    differs_in_condition = conditional[:, None] != conditional[None, :]
    related_pair = (similarity >= related) | (matched > 0) | (matched.T > 0)
    told_the_same = (similarity >= same) & ~layered & ~differs_in_condition
    divergent = related_pair & ~told_the_same
    if across_places_only:
        divergent &= placement[:, None] != placement[None, :]
    np.fill_diagonal(divergent, False)

    score = np.where(divergent, similarity, -np.inf)
    keep = min(partners, n - 1)
    strongest = np.argpartition(-score, keep - 1, axis=1)[:, :keep]
    pairs = {(min(i, int(j)), max(i, int(j))) for i in range(n) for j in strongest[i] if divergent[i, j]}

    found = []
    for i, j in sorted(pairs):
        first, second = propositions[i], propositions[j]
        sim = float(similarity[i, j])
        if differs_in_condition[i, j]:
            which = first if conditional[i] else second
            found.append(Divergence(first.id, second.id, DuplicationKind.CONDITIONAL_VALUE, sim,
                                    f"{which.name!r} makes the value depend on what the customer does"))
        elif layered[i, j]:
            base, layer = (first, second) if all_in[i, j] else (second, first)
            found.append(Divergence(first.id, second.id, DuplicationKind.LAYERING, sim,
                                    f"{layer.name!r} stacks more benefits on {base.name!r}"))
        elif first.audience and second.audience and placement[i] != placement[j] and \
                first.audience.strip().casefold() != second.audience.strip().casefold():
            found.append(Divergence(first.id, second.id, DuplicationKind.AUDIENCE_DIVERGENCE, sim,
                                    f"told to {first.audience!r} one way and to {second.audience!r} another"))
        else:
            found.append(Divergence(first.id, second.id, DuplicationKind.STAGE_REFRAMING, sim,
                                    "the same value is framed differently where it is used"))
    return found


def group_divergences(divergences: Sequence[Divergence]) -> list[list[Divergence]]:
    """Connected groups of divergent pairs: each group is one value told several ways."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in divergences:
        parent[root(pair.first_id)] = root(pair.second_id)
    groups: dict[str, list[Divergence]] = {}
    for pair in divergences:
        groups.setdefault(root(pair.first_id), []).append(pair)
    return list(groups.values())
