"""`vsm ask` as a user runs it: inside a workspace whose sources are stored, offline and with a model."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.engagement import INDEX
from agent.evidence_store import EvidenceStore, Passage
from agent.semantics import embedder_from_settings
from agent.sources import read_transcript
from agent.storage import Workspace, write_text_atomic
from schemas.elements import Perspective
from schemas.engagement import RegisteredSource, SourceIndex
from tests.cli_runner import run_vsm
from tests.openai_stub_server import OpenAIStubServer, StubReply

ROOT = Path(__file__).parents[1]
SOURCES = {  # id: (bundled file, perspective)
    "ingrid-call": (ROOT / "transcripts" / "ap-automation-trial" / "customer-call.md", "customer"),
    "team-interview": (ROOT / "transcripts" / "ap-automation-trial" / "interview.md", "internal"),
}
QUESTION = "What made the trial so much work for the customer?"
INVENTED = "We never had to upload a single old invoice during the trial"


@pytest.fixture
def space(tmp_path: Path) -> Workspace:
    """A workspace (spaces and non-ASCII in its path) with two transcripts registered and in the store."""
    workspace = Workspace.init(tmp_path / "Acme Søftware ünïcode")
    store = EvidenceStore.open(workspace.root, embedder=embedder_from_settings("minilm"))
    registered = []
    for source_id, (original, perspective) in SOURCES.items():
        stored = workspace.folder("sources") / f"{source_id}.md"
        shutil.copyfile(original, stored)
        digest = hashlib.sha256(stored.read_bytes()).hexdigest()
        registered.append(RegisteredSource(id=source_id, file=stored.name, original_path=str(original),
                                           perspective=Perspective(perspective), content_hash=digest,
                                           added=datetime(2026, 11, 2, tzinfo=UTC)))
        transcript = read_transcript(stored, source_id=source_id, interviewers=["Consultant"])
        store.add_transcript(transcript, source_id=source_id, perspective=perspective,
                             speaker_roles={"Ingrid Solberg": "Head of Finance"}, content_hash=digest)
    write_text_atomic(workspace.root / INDEX, SourceIndex(sources=registered).model_dump_json())
    return workspace


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    no_model = {"VSM_LLM_MODEL": "", "OPENAI_API_KEY": "", "VSM_CHROMA_URL": ""}
    return {"VSM_EMBEDDER": "minilm", "XDG_CONFIG_HOME": str(tmp_path / "config"), **no_model, **extra}


def search(space: Workspace, k: int) -> list[Passage]:
    return EvidenceStore.open(space.root, embedder=embedder_from_settings("minilm")).search(QUESTION, k=k)


def test_offline_ask_prints_the_ranked_quotes_with_who_and_where(space: Workspace, tmp_path: Path) -> None:
    result = run_vsm("ask", QUESTION, "--k", "3", cwd=space.root, env=env(tmp_path))

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "no model configured" in out and "[3] " in out and "[4] " not in out
    first = search(space, 3)[0]
    heading = f"[1] {first.speaker} ({first.perspective}) · source {first.source_id}, line {first.line}\n"
    assert heading in out and " ".join(first.text.split()[:6]) in " ".join(out.split())
    assert "Consultant" not in out


def test_ask_filters_by_perspective_and_source(space: Workspace, tmp_path: Path) -> None:
    customer = run_vsm("ask", QUESTION, "--perspective", "customer", cwd=space.root, env=env(tmp_path))
    headings = [line for line in customer.stdout.splitlines() if line.startswith("[")]
    assert customer.returncode == 0 and headings
    assert all(line.split("] ", 1)[1].startswith("Ingrid Solberg (customer, Head of Finance) · source ingrid-call, "
                                                 "line ") for line in headings)

    team = run_vsm("ask", QUESTION, "--source", "team-interview", "--k", "2", cwd=space.root, env=env(tmp_path))
    headings = [line for line in team.stdout.splitlines() if line.startswith("[")]
    assert len(headings) == 2 and all("source team-interview" in line for line in headings)

    unknown = run_vsm("ask", QUESTION, "--source", "nope", cwd=space.root, env=env(tmp_path))
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    assert "no source 'nope'" in unknown.stderr and "ingrid-call" in unknown.stderr


def test_ask_outside_a_workspace_says_to_create_one(tmp_path: Path) -> None:
    elsewhere = tmp_path / "not a workspace"
    elsewhere.mkdir()
    result = run_vsm("ask", QUESTION, cwd=elsewhere, env=env(tmp_path))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "vsm init" in result.stderr
    assert not (elsewhere / "chroma").exists()


def test_ask_in_a_workspace_with_no_evidence_says_to_add_sources(tmp_path: Path) -> None:
    empty = Workspace.init(tmp_path / "empty")
    result = run_vsm("ask", QUESTION, cwd=empty.root, env=env(tmp_path))
    assert result.returncode == 2 and "vsm add" in result.stderr and result.stderr.count("\n") == 1


def test_a_model_answers_from_verified_quotes_and_an_invented_one_is_dropped(
    space: Workspace, tmp_path: Path
) -> None:
    passages = search(space, 4)
    real = passages[0].text.split(". ")[0].rstrip(".") + "."
    reply = {"answer": f"{passages[0].speaker} describes the effort [1]. Nobody had to upload anything [2].",
             "quotes": [{"passage": 1, "text": real}, {"passage": 2, "text": INVENTED}]}
    with OpenAIStubServer() as stub:
        stub.script(StubReply.answer(json.dumps(reply)))
        model = {"VSM_LLM_MODEL": "gpt-4.1-mini", "VSM_LLM_BASE_URL": stub.base_url, "OPENAI_API_KEY": "sk-test"}
        result = run_vsm("ask", QUESTION, "--k", "4", cwd=space.root, env=env(tmp_path, **model))

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "describes the effort [1]. Nobody had to upload anything." in " ".join(out.split())
    assert "Quotes (verified in the transcripts):" in out and " ".join(real.split()) in " ".join(out.split())
    assert "Dropped 1 quote the transcripts do not bear out:" in out and INVENTED in out
    assert "Citations [2] were removed" in out
    (request,) = stub.requests
    prompt = request.body["messages"][-1]["content"]
    assert QUESTION in prompt and passages[3].text[:40] in prompt


def test_offline_flag_prints_quotes_even_with_a_model_configured(space: Workspace, tmp_path: Path) -> None:
    with OpenAIStubServer() as stub:
        model = {"VSM_LLM_MODEL": "gpt-4.1-mini", "VSM_LLM_BASE_URL": stub.base_url, "OPENAI_API_KEY": "sk-test"}
        result = run_vsm("ask", QUESTION, "--offline", "--k", "2", cwd=space.root, env=env(tmp_path, **model))
        assert stub.requests == []
    assert result.returncode == 0 and "(--offline)" in result.stdout and "[2] " in result.stdout
