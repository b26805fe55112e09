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
# tests/data (see README, "Semantic comparison"). SAME: told in other words; RELATED: same topic.
SAME_MEANING = 0.80
RELATED = 0.45

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
    """matched[i, j]: how many of proposition i's claims have a same-meaning claim in proposition j."""
    n = len(vectors.proposition_ids)
    if len(vectors.claims) == 0:
        return np.zeros((n, n), dtype=np.int64)
    owner = np.zeros((len(vectors.claims), n), dtype=np.float32)
    owner[np.arange(len(vectors.claims)), vectors.claim_owner] = 1.0
    claim_matches = (vectors.claims @ vectors.claims.T) >= same  # (m, m)
    found_in = (claim_matches.astype(np.float32) @ owner) > 0  # (m, n): claim k has a match in proposition j
    result: npt.NDArray[np.int64] = np.rint(owner.T @ found_in.astype(np.float32)).astype(np.int64)
    return result


def find_divergences(
    propositions: Sequence[ValueProposition],
    vectors: PropositionVectors,
    *,
    same: float = SAME_MEANING,
    related: float = RELATED,
) -> list[Divergence]:
    """Pairs of propositions, used in different places, that tell related value differently."""
    n = len(propositions)
    if n < 2:
        return []
    similarity = vectors.statements @ vectors.statements.T
    matched = _claims_matched(vectors, same)
    claim_count = np.bincount(vectors.claim_owner, minlength=n) if len(vectors.claim_owner) else np.zeros(n, np.int64)

    shares_claims = (matched > 0) | (matched.T > 0)
    candidates = np.argwhere(np.triu((similarity >= related) | shares_claims, k=1))

    placements = [_placement(p) for p in propositions]
    conditional = [bool(_CONDITIONAL.search(p.statement)) for p in propositions]
    found: list[Divergence] = []
    for i, j in candidates.tolist():
        if placements[i] == placements[j]:
            continue  # the same place: not a second narrative, at most a longer one
        first, second = propositions[i], propositions[j]
        sim = float(similarity[i, j])
        all_i_in_j = claim_count[i] > 0 and matched[i, j] == claim_count[i]
        all_j_in_i = claim_count[j] > 0 and matched[j, i] == claim_count[j]
        layered = all_i_in_j != all_j_in_i
        if sim >= same and not layered and conditional[i] == conditional[j]:
            continue  # the same value, told the same way
        if conditional[i] != conditional[j]:
            which = first if conditional[i] else second
            found.append(Divergence(first.id, second.id, DuplicationKind.CONDITIONAL_VALUE, sim,
                                    f"{which.name!r} makes the value depend on what the customer does"))
        elif layered:
            base, layered = (first, second) if all_i_in_j else (second, first)
            extra = len(layered.claims) - len(base.claims)
            found.append(Divergence(first.id, second.id, DuplicationKind.LAYERING, sim,
                                    f"{layered.name!r} stacks {max(extra, 1)} more benefit(s) on {base.name!r}"))
        elif placements[i][1] and placements[j][1] and placements[i][1] != placements[j][1]:
            found.append(Divergence(first.id, second.id, DuplicationKind.AUDIENCE_DIVERGENCE, sim,
                                    f"told to {first.audience!r} one way and to {second.audience!r} another"))
        else:
            found.append(Divergence(first.id, second.id, DuplicationKind.STAGE_REFRAMING, sim,
                                    "the same value is framed differently where it is used"))
    return sorted(found, key=lambda d: (d.first_id, d.second_id))
