"""How model extraction scales: five files mapped at once, and one 20,000-word transcript.

    python -m benchmarks.extraction_speed

Five files: five transcripts of about 4,000 words (the bundled examples joined in pairs, so that their
gold maps say what a complete answer holds), mapped together by `map_transcripts_with_model` against
an OpenAI-format server on 127.0.0.1 whose perfect model (`tests/perfect_model.py`) answers each call
in 300 ms, at concurrency 4. Reports wall time against the ideal ceil(total chunks / 4) x 0.3 s, calls,
the most requests in flight, and tokens sent and received (as the server counted what it received)
against the dry-run's estimate.

One transcript: chunks and concurrency of a 20,000-word transcript with a fake model that answers in
300 ms; wall time against ceil(chunks / concurrency) x 0.3 s; calls against chunks x passes + re-asks;
tokens sent against 1.5 x the transcript's tokens + the fixed prompt (instructions and schema) per
chunk; then a rerun answered from the cache. Twice: with every answer valid, and with two chunks
answering invalid JSON once (each re-ask resends its chunk).
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from langchain_core.messages import BaseMessage

from agent.extraction.chunking import chunk_transcript, estimate_tokens
from agent.extraction.model_extractor import draft_map_schema, extract_with_model, fixed_prompt_tokens
from agent.llm.cache import ResponseCache
from agent.llm.settings import LLMSettings
from agent.mapping import map_transcripts_with_model, plan_mapping, read_sources
from agent.sources import parse_transcript
from schemas.transcript import Transcript
from tests.fake_models import ScriptedChatModel, draft_with_stage
from tests.gold_examples import joined_example
from tests.openai_stub_server import OpenAIStubServer
from tests.perfect_model import PerfectModel, PerfectModels

LATENCY_S = 0.3
WORDS = 20_000
PASSES = 1  # one extraction pass over every chunk
INVALID_ONCE = (3, 7)  # chunks whose first answer is invalid JSON
# Five files of about 4,000 words: the bundled examples joined in pairs.
FILE_PAIRS = (("legal-platform", "ap-automation-trial"), ("meal-kit-subscription", "held-out-b2b-marketplace"),
              ("legal-platform", "held-out-b2b-marketplace"), ("ap-automation-trial", "meal-kit-subscription"),
              ("ap-automation-trial", "held-out-b2b-marketplace"))

_SENTENCES = (
    "We lose most trial users at the card details step before they see any value.",
    "The sales team promises onboarding in a week but it usually takes a month.",
    "Customers have to upload their own data because our catalogue is incomplete.",
    "Marketing talks about saving time while support talks about avoiding mistakes.",
    "The discount at renewal has become the only reason some accounts stay.",
    "Nobody measures how many people actually finish the setup wizard.",
    "The legal review slows every enterprise deal by several weeks.",
    "When they invite a colleague the account suddenly becomes sticky.",
)
_QUESTIONS = ("Where does the customer have to act?", "Why is that step needed?", "What happens next?")


def generated_transcript(words: int = WORDS, seed: int = 7) -> Transcript:
    rng = random.Random(seed)
    turns: list[str] = []
    count = 0
    while count < words:
        question = rng.choice(_QUESTIONS)
        answer = " ".join(rng.choice(_SENTENCES) for _ in range(rng.randint(2, 14)))
        turns += [f"Interviewer: {question}", f"Maya: {answer}"]
        count += len(question.split()) + len(answer.split())
    return parse_transcript("\n\n".join(turns), format="text", source_id="generated", interviewers=["Interviewer"])


class _Answers:
    """One stage per chunk; the chunks in `invalid_once` answer invalid JSON the first time."""

    def __init__(self, chunk_labels: Sequence[str], invalid_once: Sequence[int]) -> None:
        self.labels = list(chunk_labels)
        self.invalid_once = set(invalid_once)
        self.failed: set[int] = set()

    def __call__(self, messages: Sequence[BaseMessage]) -> str:
        index = next(i for i, label in enumerate(self.labels) if f"Transcript part: {label}\n" in messages[1].text)
        if index in self.invalid_once and index not in self.failed:
            self.failed.add(index)
            return '{"stages": [ truncated'
        return draft_with_stage(f"stage-{index}", f"Stage {index}", "We lose most trial users").model_dump_json()


def five_files() -> None:
    with tempfile.TemporaryDirectory() as name, OpenAIStubServer(latency_s=LATENCY_S) as stub:
        folder = Path(name)
        examples = [joined_example(folder, copies=1, names=pair, file_name=f"file-{i + 1}.md")
                    for i, pair in enumerate(FILE_PAIRS)]
        paths = [e.files[0] for e in examples]
        settings = LLMSettings(provider="openai-compatible", model="perfect-300ms", base_url=stub.base_url,
                               max_concurrency=4)
        transcripts = read_sources(paths)
        stub.answer_for = PerfectModels([
            PerfectModel(e.gold, [t], settings.chunk_tokens, e.gold_source_of([t.source_id]))
            for e, t in zip(examples, transcripts, strict=True)])
        cache = ResponseCache(folder / "cache")
        plans = plan_mapping(paths, settings=settings, cache=cache)
        chunks = sum(len(p.chunks) for p in plans)
        ideal = math.ceil(chunks / settings.max_concurrency) * LATENCY_S
        words = [len(t.text.split()) for t in transcripts]
        # Warm up: the first call in a process imports langchain-openai and builds the schema.
        asyncio.run(extract_with_model(generated_transcript(50), settings=settings, model=ScriptedChatModel()))
        started = time.perf_counter()
        result = asyncio.run(map_transcripts_with_model(paths, settings=settings, cache=cache))
        elapsed = time.perf_counter() - started
    stats = result.model_stats
    extraction = max(s.elapsed_s for s in stats)
    sent, received = sum(s.input_tokens for s in stats), sum(s.output_tokens for s in stats)
    planned_in, planned_out = sum(p.input_tokens for p in plans), sum(p.output_tokens for p in plans)
    print(f"[five files at once] {', '.join(f'{w:,}' for w in words)} words; {chunks} chunks of <= "
          f"{settings.chunk_tokens:,} tokens; concurrency {settings.max_concurrency}; {LATENCY_S * 1000:.0f} ms a call")
    print(f"  extraction:  {extraction:.2f} s vs ideal ceil({chunks}/{settings.max_concurrency}) x {LATENCY_S} s = "
          f"{ideal:.2f} s; whole map (grounding, assembly, checks) {elapsed:.2f} s")
    print(f"  calls:       {sum(s.calls for s in stats)} for {chunks} chunks; most requests in flight "
          f"{stub.max_in_flight}")
    print(f"  tokens sent: {sent:,} vs dry-run estimate {planned_in:,} ({sent / planned_in:.0%})")
    print(f"  received:    {received:,} vs dry-run estimate {planned_out:,} ({received / planned_out:.0%})")
    told = {(type(e).__name__, e.name) for x in examples for e in x.gold.elements() if e.evidence}
    print(f"  map:         {sum(1 for _ in result.value_map.elements())} elements; the gold maps hold {len(told)} "
          "with a quote (an example's element told in two files is one element)")


def one_long_transcript() -> None:
    settings = LLMSettings(model="fake-300ms")
    transcript = generated_transcript()
    chunks = chunk_transcript(transcript, settings.chunk_tokens)
    labels = [c.label(len(chunks)) for c in chunks]
    fixed = fixed_prompt_tokens()
    transcript_tokens = estimate_tokens(transcript.text)
    ideal = math.ceil(len(chunks) / settings.max_concurrency) * LATENCY_S
    allowance = 1.5 * transcript_tokens + len(chunks) * fixed
    print(f"\n[one transcript]\ntranscript:   {len(transcript.text.split()):,} words, {transcript_tokens:,} tokens (estimated), "
          f"{len(transcript.turns)} turns")
    print(f"chunks:       {len(chunks)} of <= {settings.chunk_tokens:,} tokens; concurrency {settings.max_concurrency}; "
          f"fixed prompt per chunk {fixed:,} tokens (instructions {fixed - estimate_tokens(json.dumps(draft_map_schema())):,}"
          f" + schema {estimate_tokens(json.dumps(draft_map_schema())):,})")
    print(f"ideal:        ceil({len(chunks)}/{settings.max_concurrency}) x {LATENCY_S} s = {ideal:.2f} s; "
          f"token allowance 1.5 x {transcript_tokens:,} + {len(chunks)} x {fixed:,} = {allowance:,.0f}")
    # Warm up: the first run in a process imports langchain-openai and builds the schema (about 0.2 s).
    asyncio.run(extract_with_model(generated_transcript(50), settings=settings, model=ScriptedChatModel()))
    for scenario, invalid in (("clean", ()), ("2 re-asks", INVALID_ONCE)):
        with tempfile.TemporaryDirectory() as folder:
            cache = ResponseCache(Path(folder))
            model = ScriptedChatModel(answer_for=_Answers(labels, invalid), latency_s=LATENCY_S)
            started = time.perf_counter()
            result = asyncio.run(extract_with_model(transcript, settings=settings, model=model, cache=cache))
            elapsed = time.perf_counter() - started
            rerun_model = ScriptedChatModel(latency_s=LATENCY_S)
            started = time.perf_counter()
            rerun = asyncio.run(extract_with_model(transcript, settings=settings, model=rerun_model, cache=cache))
            rerun_elapsed = time.perf_counter() - started
        stats = result.stats
        expected_calls = len(chunks) * PASSES + stats.re_asks
        print(f"\n[{scenario}]")
        print(f"  elapsed:     {elapsed:.2f} s vs ideal {ideal:.2f} s; max in flight {model.max_in_flight}")
        print(f"  calls:       {stats.calls} vs chunks x passes + re-asks = {len(chunks)} x {PASSES} + {stats.re_asks} "
              f"= {expected_calls}")
        print(f"  tokens sent: {stats.input_tokens:,} vs allowance {allowance:,.0f} ({stats.input_tokens / allowance:.0%});"
              f" received {stats.output_tokens:,}")
        print(f"  rerun:       {rerun_elapsed:.3f} s, {rerun.stats.cache_hits} cache hits, {rerun_model.calls} calls")


def main() -> None:
    five_files()
    one_long_transcript()


if __name__ == "__main__":
    main()
