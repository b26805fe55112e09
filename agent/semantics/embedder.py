"""What every embedder promises: unit-length float32 rows, so one matmul gives a cosine matrix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeAlias, runtime_checkable

import numpy as np
import numpy.typing as npt

#: Rows of float32 vectors, one per text; shape (n, d).
EmbeddingMatrix: TypeAlias = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors.

    Rows are unit length, so `a @ b.T` is the cosine matrix: callers never normalise again. `name` changes
    whenever the vectors would, so it can key a cache.
    """

    @property
    def name(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> EmbeddingMatrix: ...


def texts_as_list(texts: Sequence[str]) -> list[str]:
    """The texts as a list, refusing a bare string (which would embed one vector per character)."""
    if isinstance(texts, str):
        raise TypeError("embed() takes a sequence of texts; wrap a single text in a list: embed([text])")
    return list(texts)


def normalise_rows(vectors: npt.ArrayLike) -> EmbeddingMatrix:
    """Rows scaled to unit length as float32; an all-zero row stays zero instead of becoming NaN."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"expected a 2-D matrix of vectors, got shape {matrix.shape}")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    normalised: EmbeddingMatrix = matrix / np.maximum(norms, np.float32(1e-12))
    return normalised
