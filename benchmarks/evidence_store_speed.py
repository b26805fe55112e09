"""How fast the evidence store ingests transcripts and answers queries.

    python -m benchmarks.evidence_store_speed [--chunks 100000] [--queries 50]

1. Ingest: 10 generated transcripts of 15,000 words each (interview turns of 20-320 words built from
   varied sentences) added to an embedded store with the offline MiniLM: words per second, and the share
   of that time spent embedding.
2. Query: a store of 100,000 chunks. Embedding that many with MiniLM on a laptop takes most of an hour,
   so the chunk vectors are synthetic: 2,000 generated sentences are embedded for real, and each stored
   vector is one of them plus Gaussian noise, renormalised (clustered like real text, unlike uniform noise).
   The chunk texts are generated sentences, so keyword search scans realistic text. Reported: median and
   p95 latency of embedding the question, of the semantic query alone (Chroma, query vector given; as
   `search` issues it, unfiltered, and with Chroma filtering out interviewer turns, to show why `search`
   filters itself), and of the whole hybrid `search` (embed + semantic + keyword + fusion), unfiltered
   and narrowed to one source. Target: semantic median < 100 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from agent.evidence_store import EvidenceStore, collection_name
from agent.evidence_store.store import CHROMA_FOLDER
from agent.semantics import Embedder, EmbeddingMatrix, embedder_from_settings, normalise_rows
from agent.sources import read_transcript
from agent.storage import Workspace
from benchmarks.stats import percentile

TRANSCRIPTS = 10
#: What `search` asks Chroma for with k=8: a pool of 32, fetched three times over, unfiltered.
SEMANTIC_FETCH = 96
LABELS = (
    "embed the question (MiniLM)",
    "semantic: Chroma query, unfiltered (as search)",
    "semantic: Chroma query, filter interviewer=false",
    "hybrid search, end to end",
    "hybrid search, one source of 1,000",
)
WORDS_PER_TRANSCRIPT = 15_000
SEED = 7

_PEOPLE = ("our clerk", "the finance lead", "the account executive", "a new customer", "the onboarding team",
           "our CFO", "the SDR", "the trial user", "the IT manager", "the solutions engineer", "the buyer")
_ACTIONS = ("waited", "uploaded", "chased", "approved", "reviewed", "typed in", "forwarded", "signed",
            "rejected", "escalated", "priced", "exported", "re-keyed", "scheduled", "cancelled")
_THINGS = ("supplier invoices", "the security questionnaire", "the sandbox", "the annual contract",
           "the pricing page", "the demo", "the ERP connector", "the duplicate flags", "the onboarding call",
           "a purchase order", "the SEPA mandate", "the VAT number", "the trial checklist", "the renewal quote")
_WHEN = ("last spring", "in the first week", "before the trial ended", "every month", "after the handover",
         "during onboarding", "at renewal", "on the second day", "in March", "before anyone called")
_BECAUSE = ("because nobody owned it", "since the checklist said so", "because the scans were crooked",
            "as the CFO had to sign", "because the discount ran out", "since the data was in three folders",
            "because the review took two days", "so the pilot could start", "because legal asked for it")
_NUMBERS = ("twelve", "thirty", "a hundred and eighty", "four hundred", "eleven percent", "two days",
            "three weeks", "six hundred euros", "forty hours", "one in five")
_SPEAKERS = ("Maria Lopez", "Jon Berg", "Aiko Tanaka")


def sentence(rng: random.Random) -> str:
    pattern = rng.randrange(4)
    if pattern == 0:
        text = f"{rng.choice(_PEOPLE)} {rng.choice(_ACTIONS)} {rng.choice(_THINGS)} {rng.choice(_WHEN)}"
    elif pattern == 1:
        text = f"{rng.choice(_PEOPLE)} {rng.choice(_ACTIONS)} {rng.choice(_THINGS)} {rng.choice(_BECAUSE)}"
    elif pattern == 2:
        text = f"it took {rng.choice(_NUMBERS)} before {rng.choice(_PEOPLE)} {rng.choice(_ACTIONS)} {rng.choice(_THINGS)}"
    else:
        text = f"honestly, {rng.choice(_THINGS)} cost us {rng.choice(_NUMBERS)} {rng.choice(_WHEN)}"
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "?", "!"))


def generated_transcript(rng: random.Random, words: int) -> str:
    paragraphs, total = [], 0
    while total < words:
        paragraphs.append(f"Consultant: {sentence(rng)}")
        answer: list[str] = []
        length = rng.choice((20, 40, 80, 150, 320))
        while sum(len(s.split()) for s in answer) < length:
            answer.append(sentence(rng))
        paragraphs.append(f"{rng.choice(_SPEAKERS)}: {' '.join(answer)}")
        total += sum(len(p.split()) - 1 for p in paragraphs[-2:])
    return "\n\n".join(paragraphs) + "\n"


class TimedEmbedder:
    """The real embedder, with the time it spends."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.seconds = 0.0

    @property
    def name(self) -> str:
        return self.inner.name

    def embed(self, texts: Sequence[str]) -> EmbeddingMatrix:
        started = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - started


def ingest(folder: Path, embedder: Embedder, rng: random.Random) -> None:
    space = Workspace.init(folder / "Ingest Bench ünïcode")
    timed = TimedEmbedder(embedder)
    store = EvidenceStore.open(space.root, embedder=timed)
    words = 0
    started = time.perf_counter()
    for n in range(TRANSCRIPTS):
        path = space.folder("sources") / f"interview-{n}.md"
        path.write_text(generated_transcript(rng, WORDS_PER_TRANSCRIPT), encoding="utf-8")
        transcript = read_transcript(path, source_id=path.stem, interviewers=["Consultant"])
        words += sum(len(turn.text.split()) for turn in transcript.turns)
        store.add_transcript(transcript, source_id=path.stem, content_hash=str(n))
    seconds = time.perf_counter() - started
    print(f"ingest: {TRANSCRIPTS} transcripts, {words:,} words, {store.count():,} chunks in {seconds:.1f} s: "
          f"{words / seconds:,.0f} words/s; embedding {timed.seconds:.1f} s = {timed.seconds / seconds:.0%} of it")
    again = time.perf_counter()
    for n in range(TRANSCRIPTS):
        path = space.folder("sources") / f"interview-{n}.md"
        store.add_transcript(read_transcript(path, source_id=path.stem), source_id=path.stem, content_hash=str(n))
    print(f"re-adding the same 10 (unchanged, nothing embedded): {time.perf_counter() - again:.2f} s")


def query_latency(folder: Path, embedder: Embedder, rng: random.Random, chunks: int, queries: int) -> None:
    import chromadb
    from chromadb.config import Settings

    space = Workspace.init(folder / "Query Bench")
    store = EvidenceStore.open(space.root, embedder=embedder)
    started = time.perf_counter()
    bases = [sentence(rng) + " " + sentence(rng) for _ in range(2_000)]
    base_vectors = embedder.embed(bases)
    print(f"query: embedded {len(bases):,} base passages for real in {time.perf_counter() - started:.1f} s")

    client = chromadb.PersistentClient(path=str(space.root / CHROMA_FOLDER), settings=Settings(anonymized_telemetry=False))
    collection = client.get_collection(collection_name(space.root), embedding_function=None)
    noise = np.random.default_rng(SEED)
    started = time.perf_counter()
    batch = 5_000
    for offset in range(0, chunks, batch):
        size = min(batch, chunks - offset)
        picks = noise.integers(0, len(bases), size)
        vectors = normalise_rows(base_vectors[picks] + noise.normal(0, 0.04, (size, base_vectors.shape[1])))
        ids = [f"synthetic-{(offset + i) // 100}:{(offset + i) % 100}:0" for i in range(size)]
        documents = [bases[p] + " " + sentence(rng) for p in picks]
        metadatas = [{"source_id": f"synthetic-{(offset + i) // 100}", "perspective": "internal",
                      "interviewer": False, "speaker": _SPEAKERS[i % 3], "start": 0, "end": len(documents[i]),
                      "turn": (offset + i) % 100, "part": 0, "content_hash": "x", "chunks": 100}
                     for i in range(size)]
        collection.upsert(ids=ids, embeddings=vectors, documents=documents, metadatas=metadatas)  # type: ignore[arg-type]
    print(f"query: stored {store.count():,} synthetic chunks in {time.perf_counter() - started:.1f} s")

    questions = [f"Why {sentence(rng).lower()}" for _ in range(queries)]
    timings: dict[str, list[float]] = {label: [] for label in LABELS}
    for question in questions:
        started = time.perf_counter()
        vector = embedder.embed([question])
        timings[LABELS[0]].append(time.perf_counter() - started)
        for label, where in ((LABELS[1], None), (LABELS[2], {"interviewer": False})):
            started = time.perf_counter()
            collection.query(query_embeddings=vector, n_results=SEMANTIC_FETCH, where=where,  # type: ignore[arg-type]
                             include=["documents", "metadatas"])
            timings[label].append(time.perf_counter() - started)
        for label, filters in ((LABELS[3], None), (LABELS[4], {"source_id": "synthetic-7"})):
            started = time.perf_counter()
            store.search(question, k=8, where=filters)
            timings[label].append(time.perf_counter() - started)
    for label, values in timings.items():
        print(f"  {label:<46} median {statistics.median(values) * 1000:6.1f} ms   "
              f"p95 {percentile(values, 0.95) * 1000:6.1f} ms")
    print(f"  ({queries} queries; k=8)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    embedder = embedder_from_settings("minilm")
    embedder.embed(["warm up the model"])
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="vsm evidence bench ") as folder:
        ingest(Path(folder), embedder, rng)
        query_latency(Path(folder), embedder, rng, args.chunks, args.queries)


if __name__ == "__main__":
    main()
