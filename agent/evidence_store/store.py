"""`EvidenceStore`: a workspace's transcript passages in Chroma, with their vectors, for hybrid search.

Embedded by default (`chromadb.PersistentClient` in `<workspace>/chroma`); a Chroma server when a URL is
given or `VSM_CHROMA_URL` is set. Both go through the same client API, so the rest of this file does not
know which it talks to. Chroma never embeds anything itself: every collection is opened with
`embedding_function=None` and every vector comes from our `Embedder` (Chroma's default would download a
model). A collection records its embedder's name and refuses vectors from another.

Writers hold the workspace lock (`vsm add` does); the store itself takes none.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np

from agent.errors import VsmError
from agent.evidence_store.chunking import Chunk, chunk_transcript
from agent.evidence_store.keyword import bm25_ranking, query_terms, reciprocal_rank_fusion, term_pattern
from agent.evidence_store.models import AddResult, Passage, StoredSource
from agent.grounding.evidence import line_of
from agent.semantics.embedder import Embedder, EmbeddingMatrix
from agent.storage.workspace import MARKER
from schemas.transcript import Transcript

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Metadata

CHROMA_FOLDER = "chroma"
SERVER_URL_ENV = "VSM_CHROMA_URL"
STORE_VERSION = 1
#: Semantic candidates fetched per passage asked for (at least SEMANTIC_POOL_MIN), for the fusion to rerank.
SEMANTIC_POOL_FACTOR = 4
SEMANTIC_POOL_MIN = 32
#: Semantic candidates fetched unfiltered, per candidate wanted, before filtering here.
OVERFETCH = 3
#: A term found in more passages than this is too common to pick passages by; it still scores candidates.
KEYWORD_LIMIT = 200
#: Most query terms matched by keyword.
MAX_TERMS = 8
#: In a capped sample of keyword hits, a term in fewer than 1/RARE_IN_SAMPLE of them gets a scan of its own.
RARE_IN_SAMPLE = 10
_PAGE = 5_000
#: How `search` may rank: by meaning alone, meaning and keywords fused (RRF), or that fusion plus the
#: answers to the interviewer's questions nearest the query, with passages that only ask put last.
RANKINGS = ("semantic", "fused", "answers")
#: Interviewer questions whose answers join the candidates, nearest the query first.
ASKED_POOL = 6
#: Interviewer questions whose closeness to the query is known (the rest count as the farthest of these).
QUESTION_POOL = 50
#: Weights of the answer-aware score, chosen on tests/data/ask/questions.json (benchmarks.ask_ranking).
QUESTION_WEIGHT = 1.0
KEYWORD_WEIGHT = 0.15
#: Turns after a matching question that count as its answer (a group interview may answer twice).
ANSWER_TURNS = 2
#: A passage this short that ends in "?" only asks (a host nobody marked as interviewer): never evidence first.
ASKING_WORDS = 30
#: Chunks read per answering turn (a turn longer than this many chunks contributes its first ones).
_MAX_PARTS = 4
#: Passages embedded and written per step of an add: progress shows, and memory stays flat for long sources.
EMBED_BATCH = 256
# Letters NFKD does not split into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "þ": "th", "ı": "i"})

Scalar = str | int | float | bool


class EvidenceStoreError(VsmError):
    """The store cannot be opened or used as asked; the message says how to fix it."""


def collection_name(workspace_root: Path) -> str:
    """A Chroma-legal collection name for the workspace: `vsm-<ascii slug of its name>-<hash>`.

    Chroma wants 3-63 characters of [a-z0-9._-], starting and ending alphanumeric. The name and the hash
    come from the workspace's marker (its name and creation time), not its path, so a moved or renamed
    folder keeps its collection, and two workspaces both called "acme" stay apart on a shared server;
    a folder without a marker is named by its folder name.
    """
    name, created = workspace_root.resolve().name, ""
    try:
        marker = json.loads((workspace_root / MARKER).read_text(encoding="utf-8"))
        name, created = str(marker.get("name") or name), str(marker.get("created", ""))
    except (OSError, ValueError, AttributeError):
        pass
    folded = unicodedata.normalize("NFKD", name.lower().translate(_UNDECOMPOSED)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40].strip("-") or "workspace"
    digest = hashlib.sha256(f"{name}\n{created}".encode()).hexdigest()[:10]
    return f"vsm-{slug}-{digest}"


class EvidenceStore:
    """One workspace's passages: add and remove sources, list them, search them."""

    def __init__(self, client: ClientAPI, collection: Collection, embedder: Embedder, *, location: str) -> None:
        self._client = client
        self._collection = collection
        self._embedder = embedder
        self.location = location  # where the vectors live, for messages: a folder or a server URL (no secrets)

    @property
    def collection_name(self) -> str:
        return str(self._collection.name)

    @classmethod
    def open(
        cls, workspace_root: Path, *, embedder: Embedder, server_url: str | None = None, empty: bool = False
    ) -> EvidenceStore:
        """The workspace's store: on the Chroma server at `server_url` (or $VSM_CHROMA_URL), else embedded.

        `empty` drops whatever the workspace's collection held first (to refill it, e.g. with another embedder).
        """
        from chromadb.errors import ChromaError, NotFoundError

        url = server_url or os.environ.get(SERVER_URL_ENV, "").strip() or None
        if url:
            client, location = _server_client(url), redacted_url(url)
        else:
            folder = workspace_root / CHROMA_FOLDER
            client, location = _embedded_client(folder), str(folder)
        name = collection_name(workspace_root)
        try:
            if empty:
                with contextlib.suppress(NotFoundError, ValueError):  # nothing stored yet
                    client.delete_collection(name)
            collection = client.get_or_create_collection(
                name,
                embedding_function=None,  # never Chroma's default: it downloads a model
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder": embedder.name, "store_version": STORE_VERSION},
            )
        except (ChromaError, ValueError, OSError) as err:
            raise EvidenceStoreError(f"{location}: cannot open the evidence store ({_first_line(err)})") from None
        recorded = (collection.metadata or {}).get("embedder")
        if recorded != embedder.name:
            raise EvidenceStoreError(
                f"{location}: collection {name} holds vectors from the embedder {recorded!r}, not {embedder.name!r}; "
                f"use that embedder, or store everything again with this one (`vsm reindex`)"
            )
        return cls(client, collection, embedder, location=location)

    @property
    def embedder_name(self) -> str:
        return self._embedder.name

    def count(self) -> int:
        """Chunks stored, interviewer turns included."""
        return int(self._collection.count())

    def add_transcript(
        self,
        transcript: Transcript,
        *,
        source_id: str,
        speaker_roles: Mapping[str, str] | None = None,
        perspective: str = "internal",
        content_hash: str,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> AddResult:
        """Chunk, embed and upsert a transcript; the same content again is a no-op, new content replaces the old.

        New chunks are written before stale ones are deleted, and each chunk records the source's hash and
        chunk count, so an add cut short is redone, not mistaken for done. Chunks are embedded and written
        EMBED_BATCH at a time; `on_progress(done, total)` hears after each batch.
        """
        stored = self._collection.get(where={"source_id": source_id}, include=["metadatas"])
        before: list[str] = list(stored["ids"])
        metadatas = stored["metadatas"] or []
        if before and all(m.get("content_hash") == content_hash and m.get("chunks") == len(before) for m in metadatas):
            return AddResult(source_id=source_id, chunks=len(before), unchanged=True)
        chunks = chunk_transcript(transcript)
        ids = [chunk_id(source_id, chunk) for chunk in chunks]
        roles = speaker_roles or {}
        rows: list[Metadata] = [
            _chunk_metadata(chunk, source_id=source_id, content_hash=content_hash, chunks=len(chunks),
                            perspective=perspective, role=roles.get(chunk.turn.speaker or ""))
            for chunk in chunks
        ]
        batch = min(self._batch_size(), EMBED_BATCH)
        embed_seconds = 0.0
        # Batches of texts of like length: the embedder pads each of its batches to the longest text in it.
        by_length = sorted(range(len(chunks)), key=lambda i: len(chunks[i].text))
        for offset in range(0, len(chunks), batch):
            window = by_length[offset : offset + batch]
            texts = [chunks[i].text for i in window]
            started = time.perf_counter()
            vectors = self._embedder.embed(texts)
            embed_seconds += time.perf_counter() - started
            self._collection.upsert(ids=[ids[i] for i in window], embeddings=vectors, documents=texts,
                                    metadatas=[rows[i] for i in window])
            if on_progress is not None:
                on_progress(min(offset + batch, len(chunks)), len(chunks))
        kept = set(ids)
        stale = [key for key in before if key not in kept]
        self._delete(stale)
        return AddResult(source_id=source_id, chunks=len(chunks), upserted=len(chunks), removed=len(stale),
                         embed_seconds=embed_seconds)

    def remove_source(self, source_id: str) -> int:
        """Delete every chunk of the source; returns how many there were (0 for an unknown source)."""
        ids = list(self._collection.get(where={"source_id": source_id}, include=[])["ids"])
        self._delete(ids)
        return len(ids)

    def source(self, source_id: str) -> StoredSource | None:
        """One source as stored, or None; cheap (reads only its own chunks)."""
        rows = self._collection.get(where={"source_id": source_id}, include=["metadatas"])["metadatas"] or []
        found = _stored_sources(rows)
        return found[0] if found else None

    def sources(self) -> list[StoredSource]:
        """Every source stored, by id (reads every chunk's metadata: for listings, not per query)."""
        return _stored_sources(self._all_metadatas())

    def search(
        self, query: str, *, k: int = 8, where: Mapping[str, Scalar] | None = None, include_interviewer: bool = False,
        exclude_sources: Iterable[str] = (), ranking: str = "answers",
    ) -> list[Passage]:
        """The k passages that best answer `query`, ranked as `ranking` says (see RANKINGS; default "answers").

        "answers" fuses (RRF) three rankings: the passages nearest the query in meaning, the passages its
        keywords pick (BM25), and the answers given to the interviewer's questions nearest the query (in
        an interview the question asked is often closer to the user's question than the answer's words
        are). A passage that only asks a question goes after those that answer. With `include_interviewer`
        the questions are wanted too, so the plain fusion ranks.

        `where` keeps passages whose metadata equals every value given (e.g. {"perspective": "customer",
        "source_id": "call-1"}); interviewer turns are left out unless `include_interviewer`; passages of
        `exclude_sources` (a source half added) never.
        """
        if ranking not in RANKINGS:
            raise ValueError(f"unknown ranking {ranking!r}; choose one of {', '.join(RANKINGS)}")
        if k < 1 or not query.strip():
            return []
        total = self.count()
        if total == 0:
            return []
        wanted: dict[str, Scalar] = dict(where or {})
        if not include_interviewer:
            wanted["interviewer"] = False
        candidates = _Candidates(wanted, narrowing=dict(where or {}), excluded=frozenset(exclude_sources))
        vector = self._embedder.embed([query])
        semantic = self._semantic_ranking(vector, candidates, max(k * SEMANTIC_POOL_FACTOR, SEMANTIC_POOL_MIN), total)
        if ranking == "semantic":
            ranked = [(key, candidates.similarity.get(key, 0.0)) for key in semantic]
            return [_passage(key, candidates.texts[key], candidates.metadatas[key], score) for key, score in ranked[:k]]
        terms = query_terms(query)[:MAX_TERMS]
        frequency = self._keyword_frequencies(terms, candidates)
        keyword = bm25_ranking(terms, candidates.texts, frequency, total)
        if ranking == "fused" or include_interviewer:  # questions wanted too: nothing to tell answers by
            fused = reciprocal_rank_fusion(semantic, [key for key, _ in keyword])
        else:
            fused = self._answer_aware(vector, candidates, dict(keyword))
        return [_passage(key, candidates.texts[key], candidates.metadatas[key], score) for key, score in fused[:k]]

    def _answer_aware(self, vector: EmbeddingMatrix, candidates: _Candidates,
                      keyword: Mapping[str, float]) -> list[tuple[str, float]]:
        """Candidates scored by meaning, the question they answer, and keywords; those that only ask last.

        score = cos(query, passage) + QUESTION_WEIGHT * cos(query, the interviewer question before it)
                + KEYWORD_WEIGHT * BM25 / the best BM25
        """
        asked = self._nearest_questions(vector)
        self._add_answers(list(asked)[:ASKED_POOL], candidates)
        self._fill_similarity(vector, candidates)
        floor = min(asked.values(), default=0.0)
        best = max(keyword.values(), default=0.0) or 1.0
        scored = []
        for key in candidates.texts:
            metadata = candidates.metadatas[key]
            source, turn = str(metadata.get("source_id", "")), int(metadata.get("turn", 0))
            question = asked.get((source, turn - 1), asked.get((source, turn - 2), floor))
            score = (candidates.similarity.get(key, 0.0) + QUESTION_WEIGHT * question
                     + KEYWORD_WEIGHT * keyword.get(key, 0.0) / best)
            scored.append((key, score))
        scored.sort(key=lambda item: (_only_asks(candidates.texts[item[0]]), -item[1], item[0]))
        return scored

    def _nearest_questions(self, vector: EmbeddingMatrix) -> dict[tuple[str, int], float]:
        """The QUESTION_POOL interviewer turns nearest the query: (source, turn) -> cosine, nearest first."""
        found = self._collection.query(query_embeddings=vector, n_results=QUESTION_POOL, where={"interviewer": True},
                                       include=["metadatas", "distances"])
        nearest: dict[tuple[str, int], float] = {}
        for metadata, distance in zip((found["metadatas"] or [[]])[0], (found["distances"] or [[]])[0], strict=True):
            turn = (metadata or {}).get("turn")
            if metadata and isinstance(turn, int):
                nearest.setdefault((str(metadata.get("source_id")), turn), 1.0 - float(distance))
        return nearest

    def _fill_similarity(self, vector: EmbeddingMatrix, candidates: _Candidates) -> None:
        """The cosine to the query of candidates found by keyword or as answers (one read of their vectors)."""
        unknown = [key for key in candidates.texts if key not in candidates.similarity]
        if not unknown:
            return
        rows = self._collection.get(ids=unknown, include=["embeddings"])
        embeddings = rows["embeddings"]
        if embeddings is None:
            return
        query = vector[0]
        for key, embedding in zip(rows["ids"], embeddings, strict=True):
            candidates.similarity[key] = float(query @ np.asarray(embedding, dtype=np.float32))

    def _add_answers(self, asked: Sequence[tuple[str, int]], candidates: _Candidates) -> None:
        """The passages answering the given interviewer questions join the candidates.

        One read by id (a chunk's id is source:turn:part): the turns after each question, up to the next one.
        """
        wanted = [f"{source}:{turn + step}:{part}" for source, turn in asked
                  for step in range(1, ANSWER_TURNS + 1) for part in range(_MAX_PARTS)]
        if not wanted:
            return
        rows = self._collection.get(ids=list(dict.fromkeys(wanted)), include=["documents", "metadatas"])
        by_id = {key: (document or "", metadata or {}) for key, document, metadata
                 in zip(rows["ids"], rows["documents"] or [], rows["metadatas"] or [], strict=True)}
        answering: list[str] = []
        for source, turn in asked:
            for step in range(1, ANSWER_TURNS + 1):
                parts = [key for part in range(_MAX_PARTS) if (key := f"{source}:{turn + step}:{part}") in by_id]
                if not parts or by_id[parts[0]][1].get("interviewer"):
                    break
                answering += parts
        answering = list(dict.fromkeys(answering))
        candidates.add(answering, [by_id[key][0] for key in answering], [by_id[key][1] for key in answering])

    def _semantic_ranking(self, vector: EmbeddingMatrix, candidates: _Candidates, pool: int, total: int) -> list[str]:
        """The `pool` nearest passages that pass the filter, best first.

        Chroma's metadata filter costs more than the vector search when most passages pass it (it gathers
        every matching id first: ~170 ms at 100k chunks, against ~2 ms unfiltered), so a few times the pool
        is fetched unfiltered and filtered here. Only when too few pass, as with a narrow filter (a source,
        which Chroma serves fast), is the caller's filter given to Chroma; the interviewer flag, which most
        passages pass, never is, unless nothing else helps.
        """
        fetch = min(total, pool * OVERFETCH)
        narrowing = _chroma_where(candidates.narrowing)
        attempts = [None, *([narrowing] if narrowing else []), _chroma_where(candidates.wanted)]
        ids: list[str] = []
        for where in attempts:
            found = self._collection.query(query_embeddings=vector, n_results=fetch, where=where,
                                           include=["documents", "metadatas", "distances"])
            ids = candidates.add(found["ids"][0], (found["documents"] or [[]])[0], (found["metadatas"] or [[]])[0])
            for key, distance in zip(found["ids"][0], (found["distances"] or [[]])[0], strict=True):
                candidates.similarity.setdefault(key, 1.0 - float(distance))
            if len(ids) >= pool or fetch >= total:
                break
        return ids[:pool]

    def _keyword_frequencies(self, terms: Sequence[str], candidates: _Candidates) -> dict[str, int]:
        """How many passages hold each term; the passages holding a rare term join the candidates.

        One scan for all terms first: when it finds at most KEYWORD_LIMIT passages every term is rare and
        the counts are exact. Otherwise only the terms scarce in that sample are scanned on their own; the
        rest are common, counted as KEYWORD_LIMIT + 1 (their idf is low either way).
        """
        if not terms:
            return {}
        sample = self._scan(terms, candidates)
        patterns = {term: re.compile(term_pattern(term)) for term in terms}
        counts = {term: sum(1 for text in sample[1] if pattern.search(text)) for term, pattern in patterns.items()}
        if len(sample[0]) <= KEYWORD_LIMIT:
            candidates.add(*sample)
            return counts
        frequency = dict.fromkeys(terms, KEYWORD_LIMIT + 1)
        for term in terms:
            if counts[term] * RARE_IN_SAMPLE <= len(sample[0]):
                own = self._scan([term], candidates)
                if len(own[0]) <= KEYWORD_LIMIT:
                    frequency[term] = len(own[0])
                    candidates.add(*own)
        return frequency

    def _scan(self, terms: Sequence[str], candidates: _Candidates) -> tuple[list[str], list[str], list[Mapping[str, Any]]]:
        """Up to KEYWORD_LIMIT + 1 passages holding any of the terms, within the caller's filter."""
        hits = self._collection.get(where=_chroma_where(candidates.narrowing),
                                    where_document={"$regex": term_pattern(*terms)}, limit=KEYWORD_LIMIT + 1,
                                    include=["documents", "metadatas"])
        documents = [document or "" for document in hits["documents"] or []]
        return list(hits["ids"]), documents, [metadata or {} for metadata in hits["metadatas"] or []]

    def _batch_size(self) -> int:
        try:
            return max(1, min(int(self._client.get_max_batch_size()), 1_000))
        except (AttributeError, TypeError, ValueError):
            return 1_000

    def _delete(self, ids: Sequence[str]) -> None:
        batch = self._batch_size()
        for offset in range(0, len(ids), batch):
            self._collection.delete(ids=list(ids[offset : offset + batch]))

    def _all_metadatas(self) -> Iterator[Mapping[str, Any]]:
        offset = 0
        while True:
            page = self._collection.get(include=["metadatas"], limit=_PAGE, offset=offset)
            rows = page["metadatas"] or []
            yield from rows
            if len(rows) < _PAGE:
                return
            offset += _PAGE


def _only_asks(text: str) -> bool:
    """A short passage ending in a question mark asks rather than answers (a host's turn, unmarked)."""
    stripped = text.rstrip().rstrip("\"'\u201d)")
    return stripped.endswith("?") and len(text.split()) < ASKING_WORDS


def _stored_sources(metadatas: Iterable[Mapping[str, Any] | None]) -> list[StoredSource]:
    found: dict[str, dict[str, Any]] = {}
    for metadata in metadatas:
        if not metadata:
            continue
        source_id = str(metadata["source_id"])
        entry = found.setdefault(source_id, {"hash": metadata.get("content_hash", ""), "chunks": 0, "expected": 0,
                                             "perspective": metadata.get("perspective", ""), "interviewers": {}})
        entry["chunks"] += 1
        if metadata.get("content_hash") == entry["hash"]:
            entry["expected"] = max(entry["expected"], int(metadata.get("chunks", 0)))
        if metadata.get("interviewer") and metadata.get("speaker"):
            entry["interviewers"][str(metadata["speaker"])] = None
    return [
        StoredSource(id=key, content_hash=str(entry["hash"]), chunks=entry["chunks"], expected=entry["expected"],
                     perspective=str(entry["perspective"]), interviewers=list(entry["interviewers"]))
        for key, entry in sorted(found.items())
    ]


def chunk_id(source_id: str, chunk: Chunk) -> str:
    return f"{source_id}:{chunk.turn.index}:{chunk.part}"


def _chunk_metadata(
    chunk: Chunk, *, source_id: str, content_hash: str, chunks: int, perspective: str, role: str | None
) -> Metadata:
    """Chroma metadata values are str, int, float or bool: an unknown value is left out, never None."""
    turn = chunk.turn
    metadata: dict[str, Scalar] = {
        "source_id": source_id, "content_hash": content_hash, "chunks": chunks, "perspective": perspective,
        "start": chunk.start, "end": chunk.end, "turn": turn.index, "part": chunk.part,
        "interviewer": turn.interviewer, "words": chunk.words,
    }
    optional: dict[str, Scalar | None] = {"speaker": turn.speaker, "role": role, "line": line_of(turn, chunk.start),
                                          "time_start": turn.time_start, "time_end": turn.time_end}
    metadata.update({key: value for key, value in optional.items() if value is not None})
    return metadata


def _chroma_where(wanted: Mapping[str, Scalar]) -> dict[str, Any] | None:
    conditions: list[dict[str, Any]] = [{key: value} for key, value in wanted.items()]
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


class _Candidates:
    """The passages one search has seen that pass its filter: their texts and metadata by id."""

    def __init__(self, wanted: Mapping[str, Scalar], *, narrowing: Mapping[str, Scalar],
                 excluded: frozenset[str] = frozenset()) -> None:
        self.wanted = wanted  # every condition, checked here
        self.narrowing = narrowing  # the caller's own conditions, worth giving to Chroma
        self.excluded = excluded  # sources whose passages never count
        self.texts: dict[str, str] = {}
        self.metadatas: dict[str, Mapping[str, Any]] = {}
        self.similarity: dict[str, float] = {}  # cosine to the query, where known

    def add(
        self, ids: Sequence[str], documents: Sequence[str | None], metadatas: Sequence[Mapping[str, Any] | None]
    ) -> list[str]:
        """Keep the rows that pass the filter; returns their ids, in the order given."""
        kept = []
        for key, document, metadata in zip(ids, documents, metadatas, strict=True):
            row = metadata or {}
            if row.get("source_id") not in self.excluded and all(
                row.get(name) == value for name, value in self.wanted.items()
            ):
                self.texts.setdefault(key, document or "")
                self.metadatas.setdefault(key, row)
                kept.append(key)
        return kept


def _passage(key: str, text: str, metadata: Mapping[str, Any], score: float) -> Passage:
    def number(name: str) -> float | None:
        value = metadata.get(name)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    line = metadata.get("line")
    return Passage(
        id=key, text=text, source_id=str(metadata.get("source_id", "")), speaker=metadata.get("speaker"),
        role=metadata.get("role"), perspective=str(metadata.get("perspective", "")),
        start=int(metadata.get("start", 0)), end=int(metadata.get("end", 0)), turn=int(metadata.get("turn", 0)),
        line=int(line) if isinstance(line, int) else None, time_start=number("time_start"),
        time_end=number("time_end"), interviewer=bool(metadata.get("interviewer", False)), score=score,
    )


def _embedded_client(folder: Path) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings

    try:
        folder.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(folder), settings=Settings(anonymized_telemetry=False))
    except (OSError, ValueError) as err:
        raise EvidenceStoreError(f"{folder}: cannot open the evidence store ({_first_line(err)}); "
                                 "check the folder's permissions and free space") from None


def _server_client(url: str) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings

    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EvidenceStoreError(f"{redacted_url(url)!r} is not a Chroma server URL; use e.g. http://127.0.0.1:8000 "
                                 f"(from --server or {SERVER_URL_ENV})")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 8000)
        return chromadb.HttpClient(host=parts.hostname, port=port, ssl=parts.scheme == "https",
                                   settings=Settings(anonymized_telemetry=False))
    except (ValueError, OSError) as err:
        raise EvidenceStoreError(
            f"{redacted_url(url)}: no Chroma server answers ({_first_line(err)}); start one with `chroma run --path DIR --port "
            f"{parts.port or 8000}`, or unset {SERVER_URL_ENV} to use the workspace's own store"
        ) from None


def redacted_url(url: str) -> str:
    """A server URL fit to print: no user name or password, no query (where tokens ride), no fragment."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
