"""Choosing an embedder from settings: offline MiniLM unless an OpenAI-compatible endpoint is configured."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from agent.semantics.embedder import Embedder
from agent.semantics.embedding_cache import CachedEmbedder, EmbeddingCache, default_cache_path
from agent.semantics.minilm import MiniLMEmbedder
from agent.semantics.openai_embedder import DEFAULT_OPENAI_MODEL, OpenAIEmbedder


class EmbedderKind(StrEnum):
    """The embedders a setting may name."""

    MINILM = "minilm"
    OPENAI = "openai"


def embedder_from_settings(
    kind: str = EmbedderKind.MINILM,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key_env: str = "OPENAI_API_KEY",
    dimensions: int | None = None,
    batch_size: int | None = None,
    cached: bool = True,
    cache_start: Path | None = None,
) -> Embedder:
    """The embedder a setting names; cheap to call, since neither kind loads anything before its first embed.

    `model`, `base_url`, `api_key_env` and `dimensions` configure the OpenAI kind; MiniLM has one model.
    Unless `cached` is False, vectors go through the on-disk cache of the workspace containing
    `cache_start` (default: the current folder), else the user's cache (see `embedding_cache`).
    """
    inner = _uncached_embedder(kind, model=model, base_url=base_url, api_key_env=api_key_env,
                               dimensions=dimensions, batch_size=batch_size)
    path = default_cache_path(cache_start) if cached else None
    return inner if path is None else CachedEmbedder(inner, EmbeddingCache(path))


def _uncached_embedder(
    kind: str, *, model: str | None, base_url: str | None, api_key_env: str, dimensions: int | None,
    batch_size: int | None,
) -> Embedder:
    try:
        chosen = EmbedderKind(kind.strip().lower())
    except ValueError:
        choices = ", ".join(repr(member.value) for member in EmbedderKind)
        raise ValueError(f"unknown embedder {kind!r}; choose one of {choices}") from None
    if chosen is EmbedderKind.MINILM:
        if model is not None or base_url is not None:
            raise ValueError("the minilm embedder runs one bundled model; model and base_url are for 'openai'")
        return MiniLMEmbedder(batch_size=batch_size or 32)
    return OpenAIEmbedder(
        model or DEFAULT_OPENAI_MODEL,
        base_url=base_url,
        api_key_env=api_key_env,
        dimensions=dimensions,
        batch_size=batch_size or 256,
    )
