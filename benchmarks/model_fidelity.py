"""What a perfect model's answers keep of the gold maps, at each chunk size: the extraction path's ceiling.

    python -m benchmarks.model_fidelity

Maps the four bundled examples and a 22,000-word transcript joined from them (`tests/gold_examples.py`)
with `map_transcripts_with_model`, against an OpenAI-format server on 127.0.0.1 whose model answers
every request perfectly from the gold maps (`tests/perfect_model.py`), at 800 and 2,000 tokens a chunk
and the default, concurrency 4. Prints, per element type, the gold elements kept (matched by
`agent.evaluation.score_map`) of those a quote supports, and the relations kept. Anything below 100%
is lost by chunking, key resolution or assembly, not by the model.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from pathlib import Path

from agent.evaluation import score_map
from agent.llm.settings import LLMSettings
from agent.mapping import Perspectives, map_transcripts_with_model, read_sources
from schemas.value_map import ELEMENT_COLLECTIONS, REFERENCE_FIELDS, REFERENCE_LIST_FIELDS, ValueMap
from tests.gold_examples import EXAMPLES, GoldExample, bundled_example, joined_example
from tests.openai_stub_server import OpenAIStubServer
from tests.perfect_model import PerfectModel

CHUNK_SIZES = (800, 2_000, LLMSettings().chunk_tokens)


def _links(value_map: ValueMap, rename: dict[str, str] | None = None) -> set[tuple[str, str, str]]:
    name = (lambda i: rename.get(i, "?" + i)) if rename is not None else (lambda i: i)
    found: set[tuple[str, str, str]] = set()
    for element in value_map.elements():
        for field in REFERENCE_FIELDS:
            if getattr(element, field, None) is not None:
                found.add((name(element.id), field, name(getattr(element, field))))
        for field in REFERENCE_LIST_FIELDS:
            found.update((name(element.id), field, name(t)) for t in getattr(element, field, ()))
    return found


def _measure(example: GoldExample, chunk_tokens: int, stub: OpenAIStubServer, folder: Path) -> tuple[Counter[str], Counter[str], int, int]:
    transcripts = read_sources(list(example.files))
    stub.answer_for = PerfectModel(example.gold, transcripts, chunk_tokens,
                                   example.gold_source_of([t.source_id for t in transcripts]))
    settings = LLMSettings(provider="openai-compatible", model="perfect", base_url=stub.base_url,
                           chunk_tokens=chunk_tokens, max_concurrency=4, token_budget=10_000_000)
    result = asyncio.run(map_transcripts_with_model(
        list(example.files), settings=settings, cache=None, perspectives=Perspectives(customers=example.customers)))
    referenced = {t for _, _, t in _links(example.gold)}
    gold = example.gold.model_copy(update={kind: [e for e in getattr(example.gold, kind) if e.evidence or e.id in referenced]
                                           for kind in ELEMENT_COLLECTIONS})
    report = score_map(result.value_map, gold)
    kept = Counter({t.element_type.value: t.true_positives for t in report.types})
    total = Counter({t.element_type.value: t.gold for t in report.types})
    rename = {m.predicted_id: m.gold_id for t in report.types for m in t.matches}
    gold_links = _links(gold)
    return kept, total, len(gold_links & _links(result.value_map, rename)), len(gold_links)


def main() -> None:
    with tempfile.TemporaryDirectory() as name, OpenAIStubServer() as stub:
        folder = Path(name)
        examples = [*(bundled_example(n) for n in EXAMPLES), joined_example(folder)]
        words = len(examples[-1].files[0].read_text(encoding="utf-8").split())
        print(f"bundled examples and a joined transcript of {words:,} words; concurrency 4\n")
        header = ["chunk tokens", *ELEMENT_COLLECTIONS, "relations"]
        print("| " + " | ".join(header) + " |")
        print("|" + " --- |" * len(header))
        for chunk_tokens in CHUNK_SIZES:
            kept: Counter[str] = Counter()
            total: Counter[str] = Counter()
            links = gold_links = 0
            for example in examples:
                k, t, found, wanted = _measure(example, chunk_tokens, stub, folder)
                kept += k
                total += t
                links += found
                gold_links += wanted
            cells = [f"{kept[kind]}/{total[kind]}" for kind in ELEMENT_COLLECTIONS]
            print(f"| {chunk_tokens:,} | " + " | ".join(cells) + f" | {links}/{gold_links} |")


if __name__ == "__main__":
    main()
