"""Sentence vectors kept on disk, keyed by embedder and text, so no command embeds the same text twice.

One SQLite file in WAL mode: readers never wait, writers from several processes take turns (each write
is one short transaction; a writer waits for another up to `BUSY_SECONDS`), and a process killed in the
middle of a write leaves the last committed state behind. Each row records when it was last used (to the
hour); when the file outgrows its bound, the least recently used fifth is deleted (the freed pages are reused,
so the file stays near the bound). A damaged file is moved aside and a new one started: the cache only
ever holds what can be computed again.

Where it lives: `cache/embeddings.sqlite3` in the workspace being worked in, else the user's cache
folder (`$VSM_CACHE_DIR`, else `$XDG_CACHE_HOME/vsm`, else `~/.cache/vsm`); `VSM_EMBEDDING_CACHE` names
another file, or `off`. `VSM_EMBEDDING_CACHE_MB` bounds its size (default 512).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from agent.semantics.embedder import Embedder, EmbeddingMatrix, texts_as_list

CACHE_ENV = "VSM_EMBEDDING_CACHE"
USER_CACHE_ENV = "VSM_CACHE_DIR"
SIZE_ENV = "VSM_EMBEDDING_CACHE_MB"
CACHE_FILE = "embeddings.sqlite3"
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
BUSY_SECONDS = 30.0
#: The workspace marker (agent.storage.workspace.MARKER), named here so semantics need not import storage.
WORKSPACE_MARKER = "vsm-workspace.json"
#: Share of rows deleted when the file outgrows its bound.
EVICT_SHARE = 0.2
_LOOKUP_BATCH = 500
#: A row used again is marked so at most once this often: reading commands rarely write.
_TOUCH_SECONDS = 3_600
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    key BLOB PRIMARY KEY,
    vector BLOB NOT NULL,
    used INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS vectors_used ON vectors (used);
"""


def default_cache_path(start: Path | None = None) -> Path | None:
    """The cache file for work started in `start` (default: the current folder); None when turned off."""
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen.lower() in ("off", "0", "none", "false"):
        return None
    if chosen:
        return Path(chosen).expanduser()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / WORKSPACE_MARKER).is_file():
            return folder / "cache" / CACHE_FILE
    return user_cache_folder() / CACHE_FILE


def user_cache_folder() -> Path:
    own = os.environ.get(USER_CACHE_ENV, "").strip()
    if own:
        return Path(own).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "vsm"


def max_cache_bytes() -> int:
    try:
        return max(1, int(float(os.environ.get(SIZE_ENV, "")) * 1024 * 1024))
    except ValueError:
        return DEFAULT_MAX_BYTES


def text_key(embedder_name: str, text: str) -> bytes:
    """The row key: the embedder's name and the text, hashed (the text itself is not stored)."""
    return hashlib.sha256(f"{embedder_name}\x00{text}".encode()).digest()


class EmbeddingCache:
    """Vectors by key in one SQLite file; every failure to read or write makes it a miss, never an error."""

    def __init__(self, path: Path, *, max_bytes: int | None = None) -> None:
        self.path = path
        self.max_bytes = max_bytes if max_bytes is not None else max_cache_bytes()
        self._connection: sqlite3.Connection | None = None
        self._broken = False
        self._lock = threading.Lock()  # one connection, shared by the threads of a process

    def get(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The vectors found for `keys` (missing keys are absent); marks them used now (if not this hour)."""
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            connection = self._open()
            if connection is None or not keys:
                return found
            now = _now()
            stale: list[bytes] = []
            try:
                for offset in range(0, len(keys), _LOOKUP_BATCH):
                    window = list(keys[offset : offset + _LOOKUP_BATCH])
                    marks = ",".join("?" * len(window))
                    rows = connection.execute(f"SELECT key, vector, used FROM vectors WHERE key IN ({marks})", window)
                    for key, blob, used in rows:
                        found[key] = np.frombuffer(blob, dtype=np.float32)
                        if used < now - _TOUCH_SECONDS:
                            stale.append(key)
                if stale:
                    with connection:
                        connection.executemany("UPDATE vectors SET used = ? WHERE key = ?",
                                               [(now, key) for key in stale])
            except sqlite3.Error:
                self._give_up()
        return found

    def put(self, rows: Sequence[tuple[bytes, np.ndarray]]) -> None:
        """Store vectors (one transaction), then trim the file if it outgrew its bound."""
        with self._lock:
            connection = self._open()
            if connection is None or not rows:
                return
            now = _now()
            try:
                with connection:
                    connection.executemany(
                        "INSERT OR REPLACE INTO vectors (key, vector, used) VALUES (?, ?, ?)",
                        [(key, np.asarray(vector, dtype=np.float32).tobytes(), now) for key, vector in rows],
                    )
                self._trim(connection)
            except sqlite3.Error:
                self._give_up()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def size_bytes(self) -> int:
        with self._lock:
            connection = self._open()
            return 0 if connection is None else _file_bytes(connection)

    def _trim(self, connection: sqlite3.Connection) -> None:
        while _file_bytes(connection) - _free_bytes(connection) > self.max_bytes:
            (count,) = connection.execute("SELECT count(*) FROM vectors").fetchone()
            if not count:
                return
            with connection:
                connection.execute("DELETE FROM vectors WHERE rowid IN (SELECT rowid FROM vectors ORDER BY used, rowid "
                                   "LIMIT ?)", (max(1, int(count * EVICT_SHARE)),))

    def _open(self) -> sqlite3.Connection | None:
        if self._connection is not None or self._broken:
            return self._connection
        for attempt in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, check_same_thread=False,
                                             isolation_level=None)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")  # a lost last write after a power cut is a miss
                connection.executescript(_SCHEMA)
                self._connection = connection
                return connection
            except sqlite3.DatabaseError as err:
                if attempt or isinstance(err, sqlite3.OperationalError):  # busy, or cannot open: not damage
                    break
                self._move_aside()  # not a database (a torn copy, another program's file): start again
            except OSError:
                break
        self._broken = True
        return None

    def _move_aside(self) -> None:
        with contextlib.suppress(OSError):
            self.path.replace(self.path.with_name(self.path.name + ".damaged"))
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                self.path.with_name(self.path.name + suffix).unlink()

    def _give_up(self) -> None:
        """A read or write failed (disk full, file damaged under us): carry on without the cache."""
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
        self._connection = None
        self._broken = True


def _file_bytes(connection: sqlite3.Connection) -> int:
    (pages,) = connection.execute("PRAGMA page_count").fetchone()
    (size,) = connection.execute("PRAGMA page_size").fetchone()
    return int(pages) * int(size)


def _free_bytes(connection: sqlite3.Connection) -> int:
    (pages,) = connection.execute("PRAGMA freelist_count").fetchone()
    (size,) = connection.execute("PRAGMA page_size").fetchone()
    return int(pages) * int(size)


def _now() -> int:
    return int(time.time())


class CachedEmbedder:
    """An embedder whose vectors come from the disk cache where it has them, and from `inner` otherwise.

    The inner embedder (and its model) is only loaded for texts the cache does not hold, so a command
    over texts seen before never loads a model. Rows are remembered in memory too, for the process.
    """

    def __init__(self, inner: Embedder, cache: EmbeddingCache | None) -> None:
        self.inner = inner
        self.cache = cache
        self._rows: dict[str, np.ndarray] = {}
        self._rows_lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.inner.name

    def embed(self, texts: Sequence[str]) -> EmbeddingMatrix:
        batch = texts_as_list(texts)
        if not batch:
            return self.inner.embed(batch)
        with self._rows_lock:
            missing = [text for text in dict.fromkeys(batch) if text not in self._rows]
        if missing and self.cache is not None:
            name = self.inner.name
            keys = {text_key(name, text): text for text in missing}
            found = self.cache.get(list(keys))
            with self._rows_lock:
                self._rows.update((keys[key], vector) for key, vector in found.items())
            missing = [text for text in missing if text_key(name, text) not in found]
        if missing:
            vectors = self.inner.embed(missing)
            with self._rows_lock:
                self._rows.update(zip(missing, vectors, strict=True))
            if self.cache is not None:
                name = self.inner.name
                self.cache.put([(text_key(name, text), vector) for text, vector in zip(missing, vectors, strict=True)])
        with self._rows_lock:
            stacked: EmbeddingMatrix = np.stack([self._rows[text] for text in batch]).astype(np.float32, copy=False)
        return stacked

    def forget(self) -> None:
        """Drop the rows remembered in memory (the disk cache keeps them): for long-running processes."""
        with self._rows_lock:
            self._rows.clear()
