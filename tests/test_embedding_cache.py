"""The on-disk embedding cache: keyed by embedder and text, shared by processes, safe under kill -9, bounded."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from agent.semantics import embedder_from_settings
from agent.semantics.embedder import EmbeddingMatrix, normalise_rows
from agent.semantics.embedding_cache import (
    WORKSPACE_MARKER,
    CachedEmbedder,
    EmbeddingCache,
    default_cache_path,
    text_key,
)
from agent.storage import Workspace
from agent.storage.workspace import MARKER

REPO = Path(__file__).resolve().parents[1]
LEGAL_MAP = REPO / "transcripts" / "legal-platform" / "map.json"


class CountingEmbedder:
    """A deterministic embedder that counts the texts it was asked to embed."""

    def __init__(self, name: str = "counting-v1") -> None:
        self._name = name
        self.embedded: list[str] = []

    @property
    def name(self) -> str:
        return self._name

    def embed(self, texts: Sequence[str]) -> EmbeddingMatrix:
        self.embedded += list(texts)
        rows = [[float(len(text)), float(sum(map(ord, text)) % 97), 1.0] for text in texts]
        return normalise_rows(np.array(rows, dtype=np.float32).reshape(len(rows), 3))


def test_a_text_is_embedded_once_across_processes_sharing_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    first = CountingEmbedder()
    vectors = CachedEmbedder(first, EmbeddingCache(path)).embed(["a", "bb", "a"])
    assert first.embedded == ["a", "bb"]
    second = CountingEmbedder()  # a new process: nothing in memory, the file has it
    again = CachedEmbedder(second, EmbeddingCache(path)).embed(["bb", "a", "ccc"])
    assert second.embedded == ["ccc"]
    np.testing.assert_array_equal(again[:2], vectors[[1, 0]])
    assert again.dtype == np.float32


def test_vectors_are_keyed_by_the_embedder_too(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    CachedEmbedder(CountingEmbedder("model-a"), EmbeddingCache(path)).embed(["same text"])
    other = CountingEmbedder("model-b")
    CachedEmbedder(other, EmbeddingCache(path)).embed(["same text"])
    assert other.embedded == ["same text"]
    assert text_key("model-a", "x") != text_key("model-b", "x")


def test_the_cache_stays_within_its_bound_dropping_the_least_recently_used(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = EmbeddingCache(path, max_bytes=400_000)
    rng = np.random.default_rng(1)
    for batch in range(40):
        cache.put([(text_key("m", f"{batch}-{i}"), rng.random(384, dtype=np.float32)) for i in range(50)])
    assert cache.size_bytes() < 600_000  # the bound plus what one batch and the pages in flight take
    assert cache.get([text_key("m", "39-0")])  # the newest are kept
    with sqlite3.connect(path) as connection:
        (rows,) = connection.execute("SELECT count(*) FROM vectors").fetchone()
    assert 100 < rows < 2_000


def test_a_damaged_cache_file_is_moved_aside_and_the_command_still_works(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    inner = CountingEmbedder()
    vectors = CachedEmbedder(inner, EmbeddingCache(path)).embed(["a"])
    assert vectors.shape == (1, 3)
    assert (tmp_path / "cache.sqlite3.damaged").exists()
    assert CachedEmbedder(CountingEmbedder(), EmbeddingCache(path)).embed(["a"]).shape == (1, 3)


def test_an_unwritable_cache_folder_means_no_cache_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, EmbeddingCache(blocker / "sub" / "cache.sqlite3"))
    assert cached.embed(["a", "b"]).shape == (2, 3)


_WRITER = textwrap.dedent("""
    import sys
    import numpy as np
    from pathlib import Path
    from agent.semantics.embedding_cache import EmbeddingCache, text_key

    cache = EmbeddingCache(Path(sys.argv[1]))
    tag = sys.argv[2]
    print("ready", flush=True)
    for n in range(int(sys.argv[3])):
        cache.put([(text_key("m", f"{tag}-{n}-{i}"), np.full(384, n, dtype=np.float32)) for i in range(20)])
""")


def _writer(path: Path, tag: str, batches: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", _WRITER, str(path), tag, str(batches)], env=env,
                            stdout=subprocess.PIPE, text=True)


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    writers = [_writer(path, tag, 60) for tag in ("p", "q", "r")]
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    cache = EmbeddingCache(path)
    keys = [text_key("m", f"{tag}-{n}-{i}") for tag in ("p", "q", "r") for n in range(60) for i in range(20)]
    found = cache.get(keys)
    assert len(found) == len(keys)
    assert float(found[text_key("m", "q-59-3")][0]) == 59.0


def test_kill_9_in_the_middle_of_writing_leaves_a_usable_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    writer = _writer(path, "k", 100_000)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    cache = EmbeddingCache(path)
    found = cache.get([text_key("m", f"k-{n}-0") for n in range(5)])
    assert len(found) == 5  # what was committed before the kill is there
    cache.put([(text_key("m", "after"), np.ones(384, dtype=np.float32))])
    assert cache.get([text_key("m", "after")])
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_cache_lives_in_the_workspace_else_in_the_user_cache_folder(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert WORKSPACE_MARKER == MARKER
    workspace = Workspace.init(tmp_path / "acme")
    (workspace.root / "sources" / "deep").mkdir()
    assert default_cache_path(workspace.root / "sources" / "deep") == workspace.root / "cache" / "embeddings.sqlite3"
    monkeypatch.setenv("VSM_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_path(tmp_path) == tmp_path / "mine" / "embeddings.sqlite3"
    monkeypatch.setenv("VSM_EMBEDDING_CACHE", "off")
    assert default_cache_path(tmp_path) is None
    assert not isinstance(embedder_from_settings("minilm"), CachedEmbedder)


def _vsm(*args: str, cwd: Path, importtime: bool = False) -> subprocess.CompletedProcess[str]:
    """vsm outside a workspace, with a user cache of its own (empty at first)."""
    flags = ["-X", "importtime"] if importtime else []
    env = {**os.environ, "PYTHONPATH": str(REPO), "VSM_CACHE_DIR": str(cwd / "user-cache")}
    return subprocess.run([sys.executable, *flags, "-m", "agent.cli", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=120)


def test_a_second_check_of_the_same_map_loads_no_model(tmp_path: Path) -> None:
    first = _vsm("check", str(LEGAL_MAP), "--fail-on", "never", cwd=tmp_path, importtime=True)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "onnxruntime" in first.stderr  # cold: the statements are embedded
    second = _vsm("check", str(LEGAL_MAP), "--fail-on", "never", cwd=tmp_path, importtime=True)
    assert second.returncode == 0
    assert "onnxruntime" not in second.stderr
    assert second.stdout == first.stdout
