"""`vsm map` as a consultant meets it: real transcript files in, a grounded map out, offline or via a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas import ValueMap
from tests.cli_runner import run_vsm
from tests.fake_models import draft_with_stage
from tests.openai_stub_server import OpenAIStubServer, StubReply

ROOT = Path(__file__).parents[1]
LEGAL = sorted((ROOT / "transcripts" / "legal-platform").glob("*.md"))
PUBLIC = Path(__file__).parents[2] / "shared" / "transcripts" / "public"
SECRET = "sk-test-never-print-me"
NO_MODEL = {"VSM_LLM_MODEL": "", "OPENAI_API_KEY": ""}


def load(path: Path) -> ValueMap:
    return ValueMap.model_validate_json(path.read_text(encoding="utf-8"))


def test_offline_mapping_writes_a_grounded_map_and_says_which_extractor(tmp_path: Path) -> None:
    out = tmp_path / "map.json"
    result = run_vsm("map", *LEGAL, "-o", out, cwd=tmp_path, env=NO_MODEL)
    assert result.returncode == 0, result.stderr
    assert "offline extractor" in result.stderr
    assert f"Wrote {out}" in result.stdout
    value_map = load(out)
    assert value_map.veps and value_map.thresholds
    quotes = [q for e in value_map.elements() for q in e.evidence]
    assert quotes and all(q.verified for q in quotes)
    texts = {p.name: p.read_text(encoding="utf-8") for p in LEGAL}
    for quote in quotes:  # the bundled files are in the normalised layout: file offsets are transcript offsets
        source = next(s for s in value_map.sources if s.id == quote.source_id)
        assert source.path is not None
        assert texts[Path(source.path).name][quote.start:quote.end] == quote.text
        assert quote.speaker != "Consultant"
    assert "asking the questions (never evidence): Consultant" in result.stdout
    assert "quotes by speaker: " in result.stdout and "Dennis Okafor (" in result.stdout


def test_a_host_who_asks_is_taken_as_the_interviewer_and_the_summary_says_why(tmp_path: Path) -> None:
    hosted = tmp_path / "podcast.md"
    hosted.write_text(LEGAL[0].read_text(encoding="utf-8").replace("Consultant:", "Host:"), encoding="utf-8")
    result = run_vsm("map", hosted, "-o", tmp_path / "map.json", cwd=tmp_path, env=NO_MODEL)
    assert result.returncode == 0, result.stderr
    assert "asking the questions (never evidence): Host (asks in 8 of 8 turns)" in result.stdout
    assert "--interviewer NAME" in result.stdout
    assert all(q.speaker != "Host" for e in load(tmp_path / "map.json").elements() for q in e.evidence)


def test_the_summary_says_when_nobody_was_taken_to_ask_the_questions(tmp_path: Path) -> None:
    meeting = tmp_path / "meeting.md"
    meeting.write_text("\n\n".join([
        "Ana: We lose most trials at the calendar step, because people will not connect a work calendar.",
        "Ben: Sales says the same. The demo shows the calendar, and then nobody connects it.",
        "Ana: Support gets about forty tickets a week about it.",
        "Ben: And the ones who connect mostly buy, about half of them.",
        "Ana: The price is forty-nine euros a month after the trial.",
        "Ben: We gave a quarter-end discount of twenty percent to close a few.",
    ]) + "\n", encoding="utf-8")
    result = run_vsm("map", meeting, "-o", tmp_path / "map.json", cwd=tmp_path, env=NO_MODEL)
    assert result.returncode == 0, result.stderr
    assert "nobody was taken to ask the questions: if a host or moderator did, map again with --interviewer NAME" \
        in result.stdout


@pytest.mark.skipif(not PUBLIC.is_dir(), reason="../shared/transcripts/public is not beside this checkout")
@pytest.mark.parametrize("name", sorted(p.name for p in PUBLIC.glob("*") if p.suffix in {".md", ".json"}
                                        and p.name != "SOURCES.md") if PUBLIC.is_dir() else [])
def test_every_public_transcript_maps_offline_with_only_verified_quotes(tmp_path: Path, name: str) -> None:
    out = tmp_path / "map.json"
    result = run_vsm("map", PUBLIC / name, "-o", out, cwd=tmp_path, env=NO_MODEL)
    assert result.returncode == 0, result.stderr
    value_map = load(out)
    assert value_map.element_count() > 0
    assert all(q.verified for e in value_map.elements() for q in e.evidence)


@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"", "empty.md", "empty"),
    (b"\x00\x01\x02binary\x00" * 50, "blob.txt", "binary"),
    (b"WEBVTT\n\n00:00:01.000 --> nonsense\nhello\n", "broken.vtt", "cue timing"),
    (b"{\"meeting\": ", "broken.json", "JSON"),
    (b"just words", "notes.docx", "format"),
])
def test_bad_transcripts_are_one_line_exit_2_and_nothing_written(
    tmp_path: Path, content: bytes, name: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "map.json"
    result = run_vsm("map", path, "-o", out, cwd=tmp_path, env=NO_MODEL)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("vsm: error: ") and name in lines[-1] and expected.lower() in lines[-1].lower()
    assert not out.exists()


TRANSCRIPT = "Consultant: Where do customers stop?\n\nMaya: Customers have to upload their invoices before they see anything.\n"


def model_env(stub: OpenAIStubServer) -> dict[str, str]:
    return {"VSM_LLM_MODEL": "gpt-4.1-mini", "VSM_LLM_BASE_URL": stub.base_url, "OPENAI_API_KEY": SECRET,
            "VSM_LLM_RETRY_BACKOFF": "0.01"}


def test_a_configured_model_maps_over_http_and_a_rerun_comes_from_the_cache(tmp_path: Path) -> None:
    source = tmp_path / "call.md"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    draft = draft_with_stage("upload", "Upload invoices", "Customers have to upload their invoices", "Maya")
    invented = draft_with_stage("made-up", "Invented stage", "We close every deal in a day", "Maya").stages[0]
    draft = draft.model_copy(update={"stages": [*draft.stages, invented]})
    with OpenAIStubServer() as stub:
        stub.script(StubReply.answer(draft.model_dump_json()))
        first = run_vsm("map", source, "-o", tmp_path / "map.json", cwd=tmp_path, env=model_env(stub))
        assert first.returncode == 0, first.stderr
        assert len(stub.requests) == 1
        request = stub.requests[0].body
        assert request["response_format"]["json_schema"]["strict"] is True
        second = run_vsm("map", source, "-o", tmp_path / "again.json", cwd=tmp_path, env=model_env(stub))
        assert second.returncode == 0, second.stderr
        assert len(stub.requests) == 1  # answered from the cache
    for result in (first, second):
        assert SECRET not in result.stdout + result.stderr
    assert "gpt-4.1-mini" in first.stdout and "1 from cache" in second.stdout
    value_map = load(tmp_path / "map.json")
    assert [s.name for s in value_map.stages] == ["Upload invoices"]  # the invented quote was dropped
    assert value_map.stages[0].provenance.model == "gpt-4.1-mini"
    assert value_map.stages[0].provenance.prompt == "extract_map@2"
    assert "1 not_found" in first.stdout or "not_found 1" in first.stdout


def test_dry_run_prints_the_plan_and_calls_nothing(tmp_path: Path) -> None:
    source = tmp_path / "call.md"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    with OpenAIStubServer() as stub:
        result = run_vsm("map", source, "--dry-run", cwd=tmp_path, env=model_env(stub))
        assert stub.requests == []
    assert result.returncode == 0, result.stderr
    assert "1 chunks" in result.stdout and "calls" in result.stdout and "cost" in result.stdout
    assert "plus at most 1 confirmation call(s)" in result.stdout  # the lie check's ceiling, counted too
    assert not (tmp_path / "map.json").exists()


def test_json_of_the_map_is_stable_across_runs(tmp_path: Path) -> None:
    outs = []
    for name in ("a.json", "b.json"):
        assert run_vsm("map", *LEGAL, "-o", tmp_path / name, cwd=tmp_path, env=NO_MODEL).returncode == 0
        outs.append(json.loads((tmp_path / name).read_text()))
    assert outs[0] == outs[1]
