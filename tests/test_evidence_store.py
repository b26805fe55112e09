"""The evidence store, the way `vsm add` and `vsm ask` use it: against embedded Chroma and a real Chroma server.

Every test that takes `store_for` runs twice: on the workspace's own embedded store and on a `chroma run`
server started once per session. The real MiniLM embedder embeds the bundled transcripts. No test may
reach beyond the loopback interface (`no_network`).
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from agent.evidence_store import EvidenceStore, EvidenceStoreError, chunk_transcript
from agent.semantics import Embedder, EmbeddingMatrix, embedder_from_settings
from agent.sources import read_transcript
from agent.storage import Workspace
from schemas.transcript import Transcript
from tests.processes import stop

ROOT = Path(__file__).parents[1]
BUNDLED = sorted((ROOT / "transcripts").glob("*/*.md"))
UNICODE_FOLDER = "Acme Søftware ünïcode"
LOOPBACK = ("127.0.0.1", "localhost", "::1")

StoreFor = Callable[..., EvidenceStore]  # (workspace_root, embedder=None) -> store


@contextmanager
def loopback_only() -> Iterator[list[object]]:
    """Refuse (and record) every connection that would leave this machine."""
    attempts: list[object] = []
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        if address[0] not in LOOPBACK:
            attempts.append(address)
            raise OSError(f"tests may not use the network: {address}")
        return real(address, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "create_connection", guarded)
        yield attempts
    assert attempts == [], f"tried to reach the network: {attempts}"


@pytest.fixture(autouse=True)
def no_network() -> Iterator[list[object]]:
    with loopback_only() as attempts:
        yield attempts


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.texts = 0

    @property
    def name(self) -> str:
        return self.inner.name

    def embed(self, texts: Sequence[str]) -> EmbeddingMatrix:
        self.texts += len(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="session")
def minilm() -> Embedder:
    return embedder_from_settings("minilm")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on a free loopback port, for the whole session."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` command is not installed (it comes with chromadb); reinstall the dependencies")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = tmp_path_factory.mktemp("chroma server data")
    log = (data.parent / "chroma-server.log").open("w")
    process = subprocess.Popen([chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"chroma server did not start; see {log.name}")
                time.sleep(0.2)
        yield url
    finally:
        stop(process)
        log.close()


def _store_factory(mode: str, request: pytest.FixtureRequest, default: Embedder) -> StoreFor:
    url = request.getfixturevalue("chroma_server") if mode == "server" else None

    def open_store(root: Path, embedder: Embedder | None = None) -> EvidenceStore:
        return EvidenceStore.open(root, embedder=embedder or default, server_url=url)

    return open_store


@pytest.fixture(params=["embedded", "server"])
def store_for(request: pytest.FixtureRequest, minilm: Embedder) -> StoreFor:
    return _store_factory(request.param, request, minilm)


def workspace(tmp_path: Path, folder: str = UNICODE_FOLDER) -> Workspace:
    return Workspace.init(tmp_path / folder)


def add_source(workspace: Workspace, store: EvidenceStore, original: Path, source_id: str,
               perspective: str = "internal") -> Transcript:
    """What `vsm add` does with a file: copy it into sources/, read it, store its turns."""
    stored = workspace.folder("sources") / f"{source_id}{original.suffix}"
    if stored != original:
        shutil.copyfile(original, stored)
    transcript = read_transcript(stored, source_id=source_id, interviewers=["Consultant"])
    store.add_transcript(transcript, source_id=source_id, perspective=perspective,
                         speaker_roles={"Ingrid Solberg": "Head of Finance"},
                         content_hash=hashlib.sha256(stored.read_bytes()).hexdigest())
    return transcript


def source_id_of(path: Path) -> str:
    return f"{path.parent.name}-{path.stem}"


def perspective_of(path: Path) -> str:
    return "customer" if path.stem == "customer-call" else "internal"


@pytest.fixture(scope="module", params=["embedded", "server"])
def bundled_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, minilm: Embedder
) -> Iterator[EvidenceStore]:
    """Every bundled transcript in one store, in a workspace whose path has spaces and non-ASCII letters."""
    with loopback_only():
        space = workspace(tmp_path_factory.mktemp("bundled"))
        store = _store_factory(request.param, request, minilm)(space.root)
        for path in BUNDLED:
            add_source(space, store, path, source_id_of(path), perspective_of(path))
    yield store


def content_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_network_guard_refuses_and_reports_a_connection_beyond_loopback() -> None:
    with (
        pytest.raises(AssertionError, match="tried to reach the network"),
        loopback_only(),
        pytest.raises(OSError, match="may not use the network"),
    ):
        socket.create_connection(("192.0.2.1", 443), timeout=0.1)


def test_readding_the_same_content_embeds_and_upserts_nothing(
    tmp_path: Path, store_for: StoreFor, minilm: Embedder
) -> None:
    space = workspace(tmp_path)
    counting = CountingEmbedder(minilm)
    store = store_for(space.root, counting)
    transcript = add_source(space, store, BUNDLED[0], "call")
    stored, embedded = store.count(), counting.texts
    assert stored == len(chunk_transcript(transcript)) == embedded > 0

    again = store.add_transcript(transcript, source_id="call", content_hash=content_hash(BUNDLED[0]))

    assert again.unchanged and again.upserted == 0 and again.chunks == stored
    assert counting.texts == embedded
    assert store.count() == stored
    assert [(s.id, s.chunks) for s in store.sources()] == [("call", stored)]


def test_changed_content_replaces_the_sources_chunks(tmp_path: Path, store_for: StoreFor) -> None:
    space = workspace(tmp_path)
    store = store_for(space.root)
    original = BUNDLED[0].read_text(encoding="utf-8").split("\n\n")
    add_source(space, store, BUNDLED[0], "call")
    assert store.search("Will you renew next year?", k=1, include_interviewer=True)[0].text.startswith("Will you")

    before = store.count()
    shorter = space.folder("sources") / "call.md"  # the first six paragraphs, the last one new
    shorter.write_text("\n\n".join([*original[:5], "Ingrid Solberg: The kelp invoices were the surprise."]),
                       encoding="utf-8")
    transcript = read_transcript(shorter, source_id="call", interviewers=["Consultant"])
    result = store.add_transcript(transcript, source_id="call", content_hash=content_hash(shorter))

    chunks = len(chunk_transcript(transcript))
    assert not result.unchanged and result.upserted == chunks == 6 and result.removed == before - chunks
    assert store.count() == chunks
    (source,) = store.sources()
    assert source.content_hash == content_hash(shorter) and source.chunks == chunks
    assert not any("renew" in p.text for p in store.search("renew next year", k=20, include_interviewer=True))
    assert "kelp" in store.search("kelp invoices", k=1)[0].text


def test_remove_source_removes_every_chunk_of_it_and_nothing_else(tmp_path: Path, store_for: StoreFor) -> None:
    space = workspace(tmp_path)
    store = store_for(space.root)
    kept = add_source(space, store, BUNDLED[0], "kept")
    add_source(space, store, BUNDLED[1], "gone")

    removed = store.remove_source("gone")

    assert removed > 0 and store.count() == len(chunk_transcript(kept))
    assert [s.id for s in store.sources()] == ["kept"]
    assert {p.source_id for p in store.search("trial invoices", k=50)} == {"kept"}
    assert store.remove_source("gone") == 0


@pytest.mark.parametrize(
    ("question", "answer_words"),
    [
        ("How expensive is one hour of the bookkeeper's work?", "An hour of her time costs us about forty euros"),
        ("What makes finance teams distrust vendor demos?", "nobody in finance believes a demo"),
    ],
)
def test_a_paraphrased_question_finds_the_passage_that_answers_it(
    bundled_store: EvidenceStore, question: str, answer_words: str
) -> None:
    passages = bundled_store.search(question, k=3)
    assert any(answer_words in p.text for p in passages), [p.text[:60] for p in passages]


def test_an_exact_rare_term_comes_first(bundled_store: EvidenceStore) -> None:
    (first,) = bundled_store.search("Poznan", k=1)
    assert "Poznan" in first.text
    assert first.speaker and first.source_id == "legal-platform-interview"


def test_a_passage_knows_who_said_it_and_where(bundled_store: EvidenceStore) -> None:
    (passage,) = bundled_store.search("An hour of her time costs us about forty euros", k=1)
    transcript = read_transcript(BUNDLED[0], source_id="ap-automation-trial-customer-call")
    assert (passage.speaker, passage.role, passage.perspective) == ("Ingrid Solberg", "Head of Finance", "customer")
    assert transcript.text[passage.start : passage.end] == passage.text
    assert passage.line is not None and transcript.turn_at(passage.start).line == passage.line  # type: ignore[union-attr]
    assert passage.id == f"{passage.source_id}:{passage.turn}:0"


def test_the_perspective_filter_keeps_only_that_perspective(bundled_store: EvidenceStore) -> None:
    customer = bundled_store.search("why did you buy?", k=10, where={"perspective": "customer"})
    internal = bundled_store.search("why did you buy?", k=10, where={"perspective": "internal"})
    assert customer and {p.perspective for p in customer} == {"customer"}
    assert internal and {p.perspective for p in internal} == {"internal"}


def test_a_source_filter_keeps_only_that_source(bundled_store: EvidenceStore) -> None:
    found = bundled_store.search("price", k=10, where={"source_id": "legal-platform-customer-call"})
    assert found and {p.source_id for p in found} == {"legal-platform-customer-call"}


def test_interviewer_turns_are_stored_but_never_evidence_by_default(bundled_store: EvidenceStore) -> None:
    question = "Did you notice the account review at the start, before you got your login?"
    assert all(p.speaker != "Consultant" and not p.interviewer for p in bundled_store.search(question, k=20))
    with_interviewer = bundled_store.search(question, k=1, include_interviewer=True)
    assert with_interviewer[0].speaker == "Consultant" and with_interviewer[0].text == question
    assert all(source.interviewers == ["Consultant"] for source in bundled_store.sources())
    assert bundled_store.source("legal-platform-interview") in bundled_store.sources()
    assert bundled_store.source("nope") is None


def test_an_empty_store_or_question_finds_nothing(tmp_path: Path, store_for: StoreFor) -> None:
    space = workspace(tmp_path)
    store = store_for(space.root)
    assert store.search("anything", k=5) == [] and store.sources() == []
    add_source(space, store, BUNDLED[0], "call")
    assert store.search("   ", k=5) == [] and store.search("renew", k=0) == []


def test_the_store_survives_reopening(tmp_path: Path, store_for: StoreFor) -> None:
    space = workspace(tmp_path)
    add_source(space, store_for(space.root), BUNDLED[0], "call")
    reopened = store_for(space.root)
    assert [s.id for s in reopened.sources()] == ["call"]
    assert reopened.search("Nordvik Foods", k=1, include_interviewer=True)


def test_vectors_of_another_embedder_are_refused_in_one_line(
    tmp_path: Path, store_for: StoreFor, minilm: Embedder
) -> None:
    space = workspace(tmp_path)
    add_source(space, store_for(space.root), BUNDLED[0], "call")

    class Renamed(CountingEmbedder):
        name = "another-embedder"  # type: ignore[assignment]

    with pytest.raises(EvidenceStoreError) as refused:
        store_for(space.root, Renamed(minilm))
    message = str(refused.value)
    assert "\n" not in message and "another-embedder" in message and minilm.name in message


def test_two_workspaces_with_the_same_folder_name_keep_their_evidence_apart(
    tmp_path: Path, store_for: StoreFor
) -> None:
    first, second = workspace(tmp_path / "a", "acme"), workspace(tmp_path / "b", "acme")
    add_source(first, store_for(first.root), BUNDLED[0], "call")
    assert store_for(second.root).count() == 0


def test_a_transcript_without_speakers_lines_or_times_is_stored(tmp_path: Path, store_for: StoreFor) -> None:
    space = workspace(tmp_path)
    store = store_for(space.root)
    plain = tmp_path / "notes.txt"
    plain.write_text("We lost the Kowalczyk account because the invoice arrived three weeks late.\n",
                     encoding="utf-8")
    add_source(space, store, plain, "notes")
    (passage,) = store.search("Kowalczyk", k=1)
    assert passage.speaker is None and passage.role is None and passage.time_start is None


def test_a_server_that_does_not_answer_is_a_one_line_error(tmp_path: Path, minilm: Embedder) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(EvidenceStoreError) as failed:
        EvidenceStore.open(workspace(tmp_path).root, embedder=minilm, server_url=f"http://127.0.0.1:{port}")
    assert "\n" not in str(failed.value) and "chroma run" in str(failed.value)


def test_the_server_url_may_come_from_the_environment(
    tmp_path: Path, minilm: Embedder, chroma_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    space = workspace(tmp_path)
    monkeypatch.setenv("VSM_CHROMA_URL", chroma_server)
    store = EvidenceStore.open(space.root, embedder=minilm)
    add_source(space, store, BUNDLED[0], "call")
    assert store.location == chroma_server
    assert not (space.root / "chroma").exists()
