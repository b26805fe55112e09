"""Choosing an embedder from settings, and the helpers every embedder shares."""

from __future__ import annotations

import numpy as np
import pytest

from agent.semantics import (
    CachedEmbedder,
    Embedder,
    MiniLMEmbedder,
    OpenAIEmbedder,
    embedder_from_settings,
    normalise_rows,
)


def test_the_default_is_the_offline_minilm_behind_the_disk_cache() -> None:
    embedder = embedder_from_settings()

    assert isinstance(embedder, CachedEmbedder) and isinstance(embedder.inner, MiniLMEmbedder)
    assert isinstance(embedder, Embedder)
    assert isinstance(embedder_from_settings(cached=False), MiniLMEmbedder)


def test_openai_is_chosen_by_name_with_its_model_and_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-placeholder")

    embedder = embedder_from_settings(" OpenAI ", model="nomic-embed-text", base_url="http://127.0.0.1:11434/v1",
                                      cached=False)

    assert isinstance(embedder, OpenAIEmbedder)
    assert isinstance(embedder, Embedder)
    assert embedder.name == "openai:nomic-embed-text@127.0.0.1:11434"


def test_an_unknown_kind_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="choose one of 'minilm', 'openai'"):
        embedder_from_settings("bert")


def test_minilm_refuses_options_it_would_silently_ignore() -> None:
    with pytest.raises(ValueError, match="model and base_url are for 'openai'"):
        embedder_from_settings("minilm", model="all-mpnet-base-v2")


def test_normalise_rows_scales_to_unit_length_and_keeps_zero_rows_zero() -> None:
    rows = normalise_rows([[3.0, 4.0], [0.0, 0.0]])

    assert rows.dtype == np.float32
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0]])


def test_normalise_rows_refuses_a_single_vector() -> None:
    with pytest.raises(ValueError, match="2-D"):
        normalise_rows([1.0, 2.0])
