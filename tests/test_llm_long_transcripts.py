"""With a model, at any length: a perfect model's answers give the gold map, however the text is chunked.

`vsm map` runs as a user runs it, against an OpenAI-format server on 127.0.0.1 whose model answers
each request perfectly from the bundled gold maps (`tests.perfect_model`): only what the request's
part holds, keys reused as the prompt lists them. The map is judged with the project's own evaluation
and checks: every gold element found (F1 1.00 per type), every relation and the final threshold's
economics kept, and the same findings as the gold map raises.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from agent.checks import check_map
from agent.evaluation import score_map
from agent.llm.settings import LLMSettings
from agent.mapping import map_transcripts_with_model, plan_mapping, read_sources
from agent.storage import load_map
from schemas.elements import Element
from schemas.evaluation import EvaluationReport
from schemas.value_map import ELEMENT_COLLECTIONS, REFERENCE_FIELDS, REFERENCE_LIST_FIELDS, ValueMap
from tests.cli_runner import run_vsm
from tests.gold_examples import EXAMPLES, GoldExample, bundled_example, joined_example
from tests.openai_stub_server import OpenAIStubServer
from tests.perfect_model import PerfectModel

DEFAULT_CHUNK_TOKENS = 4_000
CHUNK_SIZES = (800, 2_000, DEFAULT_CHUNK_TOKENS)


def model_env(stub: OpenAIStubServer, chunk_tokens: int, concurrency: int) -> dict[str, str]:
    return {"VSM_LLM_PROVIDER": "openai-compatible", "VSM_LLM_MODEL": "perfect", "VSM_LLM_BASE_URL": stub.base_url,
            "VSM_LLM_CHUNK_TOKENS": str(chunk_tokens), "VSM_LLM_MAX_CONCURRENCY": str(concurrency),
            "VSM_LLM_TOKEN_BUDGET": "10000000"}


def map_with_perfect_model(
    examples: Sequence[GoldExample], folder: Path, chunk_tokens: int, concurrency: int
) -> tuple[list[ValueMap], OpenAIStubServer, list[str]]:
    """Each example mapped by `vsm map` with the perfect model; the maps, the server, and the summaries."""
    maps, summaries = [], []
    with OpenAIStubServer() as stub:
        for example in examples:
            transcripts = read_sources(list(example.files))
            stub.answer_for = PerfectModel(example.gold, transcripts, chunk_tokens,
                                           example.gold_source_of([t.source_id for t in transcripts]))
            output = folder / f"{example.name}.json"
            customers = [arg for name in example.customers for arg in ("--customer", name)]
            result = run_vsm("map", *example.files, "-o", output, *customers, cwd=folder,
                             env=model_env(stub, chunk_tokens, concurrency))
            assert result.returncode == 0, result.stderr
            maps.append(load_map(output))
            summaries.append(result.stdout)
    return maps, stub, summaries


def gold_ids(report: EvaluationReport) -> dict[str, str]:
    """Predicted id -> the gold id it was matched to."""
    return {m.predicted_id: m.gold_id for t in report.types for m in t.matches}


def relations(value_map: ValueMap, rename: dict[str, str] | None = None) -> set[tuple[str, str, str]]:
    """Every (element, field, target) link of a map, in gold ids when `rename` maps to them."""
    name = (lambda i: rename.get(i, f"unmatched:{i}")) if rename is not None else (lambda i: i)
    links: set[tuple[str, str, str]] = set()
    for kind in ELEMENT_COLLECTIONS:
        element: Element
        for element in getattr(value_map, kind):
            for field in REFERENCE_FIELDS:
                if getattr(element, field, None) is not None:
                    links.add((name(element.id), field, name(getattr(element, field))))
            for field in REFERENCE_LIST_FIELDS:
                for target in getattr(element, field, ()):
                    links.add((name(element.id), field, name(target)))
    return links


def findings(value_map: ValueMap, rename: dict[str, str] | None = None) -> set[tuple[str, frozenset[str]]]:
    name = (lambda i: rename.get(i, f"unmatched:{i}")) if rename is not None else (lambda i: i)
    return {(f.code, frozenset(name(i) for i in f.element_ids)) for f in check_map(value_map).findings}


def economics(value_map: ValueMap) -> list[tuple[object, ...]]:
    return sorted((p.price.amount if p.price else None, p.price.period if p.price else None, p.perceived_value,
                   p.accumulated_loss, tuple(sorted((c.kind, c.detail) for c in p.compensation)))
                  for t in value_map.thresholds if (p := t.purchase) is not None)


def extractable(gold: ValueMap) -> ValueMap:
    """The gold map as far as any extractor can reach it from the transcript: an element with no quote
    that nothing refers to (two of ap-automation-trial's stages, noted by the annotators from context)
    has no words a model could ground, so it is not expected."""
    referenced = {target for _, _, target in relations(gold)}
    return gold.model_copy(update={kind: [e for e in getattr(gold, kind) if e.evidence or e.id in referenced]
                                   for kind in ELEMENT_COLLECTIONS})


def assert_equals_gold(predicted: ValueMap, gold: ValueMap) -> None:
    gold = extractable(gold)
    report = score_map(predicted, gold)
    scores = {t.element_type.value: (t.gold, t.predicted, t.true_positives) for t in report.types}
    assert all(g == p == tp for g, p, tp in scores.values()), scores
    rename = gold_ids(report)
    assert relations(predicted, rename) == relations(gold)
    assert economics(predicted) == economics(gold)
    assert findings(predicted, rename) == findings(gold)


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GoldExample]:
    yield joined_example(tmp_path_factory.mktemp("joined"))


def test_the_joined_transcript_is_real_length_and_its_gold_map_is_whole(joined: GoldExample) -> None:
    (path,) = joined.files
    assert len(path.read_text(encoding="utf-8").split()) >= 15_000
    parts = [bundled_example(name).gold for name in EXAMPLES]
    assert sum(len(list(g.elements())) for g in parts) == len(list(joined.gold.elements()))
    assert all(e.evidence for e in joined.gold.elements() if any(
        o.evidence for g in parts for o in g.elements() if e.id.endswith(o.id)))


@pytest.mark.parametrize("concurrency", (1, 4))
@pytest.mark.parametrize("chunk_tokens", CHUNK_SIZES)
def test_a_perfect_model_gives_the_gold_map_at_any_chunk_size(
    tmp_path: Path, joined: GoldExample, chunk_tokens: int, concurrency: int
) -> None:
    examples = [*(bundled_example(name) for name in EXAMPLES), joined]
    maps, stub, _ = map_with_perfect_model(examples, tmp_path, chunk_tokens, concurrency)
    for example, predicted in zip(examples, maps, strict=True):
        assert_equals_gold(predicted, example.gold)
    assert stub.max_in_flight <= concurrency


def test_the_fidelity_table_holds_every_gold_element_type(tmp_path: Path) -> None:
    """`vsm eval` itself, as a user runs it, says 1.00 for every type of the map made at 800 tokens."""
    example = bundled_example("legal-platform")
    maps, _, _ = map_with_perfect_model([example], tmp_path, 800, 4)
    gold = tmp_path / "gold.json"
    gold.write_text(example.gold.model_dump_json(), encoding="utf-8")
    result = run_vsm("eval", tmp_path / "legal-platform.json", gold, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {t["element_type"]: t["f1"] for t in report["types"]} == {t: 1.0 for t in (
        "stages", "veps", "resistances", "thresholds", "exchanges", "propositions", "duplications", "losses")}
    assert maps[0].thresholds


@pytest.mark.parametrize("chunk_tokens", (800, DEFAULT_CHUNK_TOKENS))
def test_the_dry_run_estimates_the_tokens_complete_answers_use(chunk_tokens: int) -> None:
    examples = [bundled_example(name) for name in EXAMPLES]
    planned_in = planned_out = sent = received = 0
    with OpenAIStubServer() as stub:
        settings = LLMSettings(provider="openai-compatible", model="perfect", base_url=stub.base_url,
                               chunk_tokens=chunk_tokens, token_budget=10_000_000)
        for example in examples:
            transcripts = read_sources(list(example.files))
            stub.answer_for = PerfectModel(example.gold, transcripts, chunk_tokens,
                                           example.gold_source_of([t.source_id for t in transcripts]))
            plans = plan_mapping(list(example.files), settings=settings, cache=None)
            result = asyncio.run(map_transcripts_with_model(list(example.files), settings=settings, cache=None))
            planned_in += sum(p.input_tokens for p in plans)
            planned_out += sum(p.output_tokens for p in plans)
            sent += sum(s.input_tokens for s in result.model_stats)
            received += sum(s.output_tokens for s in result.model_stats)
    assert abs(sent / planned_in - 1) < 0.05, (sent, planned_in)
    assert abs(received / planned_out - 1) < 0.15, (received, planned_out)
