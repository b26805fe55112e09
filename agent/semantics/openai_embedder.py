"""Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint, through langchain-openai, when configured.

For teams that already pay for a hosted model, or run one (vLLM, Ollama, LiteLLM) on their network. The
offline MiniLM embedder stays the default: this one sends the texts away.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from pydantic import SecretStr

from agent.semantics.embedder import EmbeddingMatrix, normalise_rows, texts_as_list
from agent.url_redaction import redact_url, url_host

if TYPE_CHECKING:
    from langchain_openai import OpenAIEmbeddings

DEFAULT_OPENAI_MODEL = "text-embedding-3-small"
OPENAI_BASE_URL = "https://api.openai.com/v1"


class OpenAIKeyMissingError(RuntimeError):
    """The environment variable that should hold the API key is unset or empty."""


def resolve_base_url(base_url: str | None) -> str:
    """The endpoint langchain-openai would use: the argument, else OPENAI_API_BASE, OPENAI_BASE_URL, OpenAI."""
    return base_url or os.environ.get("OPENAI_API_BASE") or os.environ.get("OPENAI_BASE_URL") or OPENAI_BASE_URL


class OpenAIEmbedder:
    """Vectors from a remote embedding model; rows are re-normalised since not every server returns unit rows.

    The key is read from the environment once, kept as a `SecretStr`, and appears in no name, repr or log.
    """

    def __init__(
        self,
        model: str = DEFAULT_OPENAI_MODEL,
        *,
        base_url: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        dimensions: int | None = None,
        batch_size: int = 256,
        timeout_s: float = 60.0,
        max_retries: int = 2,
    ) -> None:
        key = os.environ.get(api_key_env, "")
        if not key:
            raise OpenAIKeyMissingError(
                f"set {api_key_env} to the API key of the embedding endpoint "
                "(any placeholder works for a local server that checks none)"
            )
        self._api_key = SecretStr(key)
        self._model = model
        self._base_url = resolve_base_url(base_url)
        self._dimensions = dimensions
        self._batch_size = batch_size
        self._timeout_s = timeout_s
        self._max_retries = max_retries
        self._client: OpenAIEmbeddings | None = None

    @property
    def name(self) -> str:
        # The same model name on two servers may be two different models, so the host is part of the key.
        host = url_host(self._base_url)  # never the user-info: this name is written to caches on disk
        size = f"-{self._dimensions}d" if self._dimensions else ""
        return f"openai:{self._model}{size}@{host}"

    def __repr__(self) -> str:
        return f"OpenAIEmbedder(model={self._model!r}, base_url={redact_url(self._base_url)!r})"

    def embed(self, texts: Sequence[str]) -> EmbeddingMatrix:
        batch = texts_as_list(texts)
        if not batch:
            return np.zeros((0, self._dimensions or 0), dtype=np.float32)
        vectors = self._embeddings_client().embed_documents(batch)
        return normalise_rows(vectors)

    def _embeddings_client(self) -> OpenAIEmbeddings:
        if self._client is None:
            from langchain_openai import OpenAIEmbeddings

            self._client = OpenAIEmbeddings(
                model=self._model,
                openai_api_base=self._base_url,
                openai_api_key=self._api_key,
                dimensions=self._dimensions,
                chunk_size=self._batch_size,
                request_timeout=self._timeout_s,
                max_retries=self._max_retries,
                # Send the texts themselves: token-id input needs tiktoken's files (a download) and
                # OpenAI-compatible servers rarely accept it. Plain floats are what every such server returns.
                check_embedding_ctx_length=False,
                model_kwargs={"encoding_format": "float"},
            )
        return self._client
