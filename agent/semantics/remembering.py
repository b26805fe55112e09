"""An embedder that remembers: each distinct text is embedded once per process.

The interview re-checks the map after every answer, but each answer adds only a few new texts; this
keeps those checks in milliseconds after the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from agent.semantics.embedder import Embedder, EmbeddingMatrix


@dataclass
class RememberingEmbedder:
    """Wraps an embedder; rows for texts seen before come from memory."""

    inner: Embedder
    rows: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.inner.name

    def embed(self, texts: Sequence[str]) -> EmbeddingMatrix:
        if not texts:
            return self.inner.embed(texts)
        missing = [text for text in dict.fromkeys(texts) if text not in self.rows]
        if missing:
            self.rows.update(zip(missing, self.inner.embed(missing), strict=True))
        stacked: EmbeddingMatrix = np.stack([self.rows[text] for text in texts])
        return stacked
