"""Sentence vectors for comparing what statements mean: an offline MiniLM by default, OpenAI when configured.

Every embedder returns unit-length float32 rows, so `vectors @ vectors.T` is the cosine matrix. Importing
this package loads no model; the first `embed` does.
"""

from agent.semantics.embedder import Embedder, EmbeddingMatrix, normalise_rows
from agent.semantics.embedding_cache import CachedEmbedder, EmbeddingCache, default_cache_path
from agent.semantics.minilm import MiniLMEmbedder, MiniLMFiles, MiniLMUnavailableError, find_minilm_files
from agent.semantics.openai_embedder import OpenAIEmbedder, OpenAIKeyMissingError
from agent.semantics.selection import EmbedderKind, embedder_from_settings

__all__ = [
    "CachedEmbedder",
    "Embedder",
    "EmbedderKind",
    "EmbeddingCache",
    "EmbeddingMatrix",
    "MiniLMEmbedder",
    "MiniLMFiles",
    "MiniLMUnavailableError",
    "OpenAIEmbedder",
    "OpenAIKeyMissingError",
    "default_cache_path",
    "embedder_from_settings",
    "find_minilm_files",
    "normalise_rows",
]
