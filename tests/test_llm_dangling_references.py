"""A reference from one chunk to another lands; one that lands nowhere is dropped and named, never a crash.

Before keys were resolved across chunks, a threshold told in chunk 2 at a VEP told in chunk 1 was
dropped, and an exchange in chunk 2 still pointing at that threshold made `vsm map` exit 1 with a
pydantic traceback, on every rerun, since the answers were cached.
"""

from __future__ import annotations

from pathlib import Path

from agent.storage import load_map
from schemas.extraction import DraftMap
from tests.cli_runner import run_vsm
from tests.openai_stub_server import OpenAIStubServer, RecordedRequest, StubReply

FIRST = "Maria: Customers have to mark the lawyers they want before anything else happens. " * 6
SECOND = "Maria: About 40 percent of new users never mark a single lawyer and just leave. " * 6
TRANSCRIPT = f"Consultant: Where do customers have to act?\n\n{FIRST.strip()}\n\n{SECOND.strip()}\n"

EMPTY = {k: [] for k in ("stages", "veps", "resistances", "thresholds", "exchanges", "propositions", "duplications",
                         "losses")}


def quote(text: str) -> list[dict[str, str]]:
    return [{"text": text, "speaker": "Maria"}]


CHUNK_1 = DraftMap.model_validate({**EMPTY, "veps": [{
    "key": "vep-mark", "name": "Mark lawyers", "detail": "", "quotes": quote("Customers have to mark the lawyers"),
    "stage_key": None, "customer_action": "mark lawyers", "proposition_keys": [], "activation": "unknown"}]})
CHUNK_2 = DraftMap.model_validate({**EMPTY, "thresholds": [{
    "key": "th-first-mark", "name": "First marking", "detail": "",
    "quotes": quote("About 40 percent of new users never mark a single lawyer"), "vep_key": "vep-mark",
    "condition": "a lawyer is marked", "on_failure": "they leave", "crossing_metric": None, "is_final": False,
    "price": None, "currency": None}], "exchanges": [
    {"key": "ex-mark", "name": "Marking for access", "detail": "", "quotes": quote("never mark a single lawyer"),
     "threshold_key": "th-first-mark", "customer_gives": [{"kind": "effort", "detail": "marking"}],
     "organisation_gives": ["access"], "balance": "unknown", "balance_reason": ""},
    {"key": "ex-pay", "name": "Paying for outreach", "detail": "", "quotes": quote("just leave"),
     "threshold_key": "th-subscription", "customer_gives": [{"kind": "money", "detail": "fee"}],
     "organisation_gives": ["outreach"], "balance": "unknown", "balance_reason": ""}]})


def answer(request: RecordedRequest) -> StubReply:
    user = str(request.body["messages"][-1]["content"])
    draft = CHUNK_1 if "Transcript part: 1 of 2" in user else CHUNK_2
    return StubReply.answer(draft.model_dump_json())


def test_an_exchange_whose_threshold_no_chunk_defined_is_dropped_and_named_and_the_rest_kept(tmp_path: Path) -> None:
    source = tmp_path / "call.md"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    with OpenAIStubServer(answer_for=answer) as stub:
        env = {"VSM_LLM_PROVIDER": "openai-compatible", "VSM_LLM_MODEL": "scripted", "VSM_LLM_BASE_URL": stub.base_url,
               "VSM_LLM_CHUNK_TOKENS": "200"}
        first = run_vsm("map", source, "-o", tmp_path / "map.json", cwd=tmp_path, env=env)
        calls = len(stub.requests)
        again = run_vsm("map", source, "-o", tmp_path / "again.json", cwd=tmp_path, env=env)
    assert calls == 2, first.stderr
    assert first.returncode == 0, first.stderr
    value_map = load_map(tmp_path / "map.json")
    (vep,) = value_map.veps
    (threshold,) = value_map.thresholds
    (exchange,) = value_map.exchanges
    assert threshold.vep_id == vep.id  # chunk 2 reused chunk 1's key, as the prompt asks
    assert exchange.threshold_id == threshold.id
    assert ("exchange 'Paying for outreach' referred to threshold 'th-subscription', which no chunk defined: "
            "dropped") in first.stdout
    # The cached answers, which crashed every rerun before, now make the same map without a call.
    assert again.returncode == 0, again.stderr
    assert len(stub.requests) == calls
    assert load_map(tmp_path / "again.json").model_dump(exclude={"title"}) == value_map.model_dump(exclude={"title"})
