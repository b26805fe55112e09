"""Hermetic by default: no test reaches a real model provider because a developer's shell has a key.

An OpenAI key alone selects OpenAI (`vsm doctor` says so), so every test starts without one; a test
that needs a key sets its own, pointed at the local stub server.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Vectors embedded outside a workspace are cached in the test session's folder, not the developer's."""
    monkeypatch.setenv("VSM_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "user-cache"))
    monkeypatch.delenv("VSM_EMBEDDING_CACHE", raising=False)


@pytest.fixture(autouse=True)
def _no_provider_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "VSM_LLM_MODEL", "VSM_LLM_PROVIDER", "VSM_LLM_BASE_URL", "VSM_CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
