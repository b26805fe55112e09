"""How fast `vsm review` opens a large map and takes a decision (checks rerun and the map saved included).

    python -m benchmarks.review_speed

Maps of 100 and 1,000 elements (`generated_maps`), each element quoting one or two passages of three
generated transcripts of 20,000 words each (60,000 words, the size of a day of interviews). Every quote
is made the way the review makes one, by selecting a span in a stakeholder's turn.

- open: from the map file on disk to the app's first screen drawn (map read and validated, transcripts
  read, checks run, the map list and the transcript laid out), in a 160x48 headless terminal.
- decision: one key to the next screen, through Pilot: accept, or reject then undo, alternating; each
  writes the map atomically (fsync), appends the decision log, reruns the checks and redraws.
- engine: the same decisions without a screen (`ReviewSession.decide`), to show what the UI costs.

Each figure is the median and p95 of the wall clock, and of the CPU time this process used: on a shared
machine the wall clock includes waiting for other processes; the CPU time is what it would be alone.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from agent.review import Decision, DecisionKind, open_review
from agent.review.selection import quote_from_selection
from agent.sources import read_transcript
from agent.storage.map_files import save_map
from agent.tui.review import ReviewApp
from benchmarks.extraction_speed import generated_transcript
from benchmarks.generated_maps import generated_map
from benchmarks.stats import percentile
from schemas.elements import Source, Stakeholder
from schemas.transcript import Transcript
from schemas.value_map import ELEMENT_COLLECTIONS, ValueMap

SIZES = (100, 1_000)
WORDS_PER_SOURCE = 20_000
SOURCES = 3
OPENS = 7
DECISIONS = 40


def write_transcripts(folder: Path) -> list[Transcript]:
    transcripts = []
    for n in range(SOURCES):
        text = generated_transcript(WORDS_PER_SOURCE, seed=n).text
        path = folder / f"interview-{n}.md"
        path.write_text(text + "\n", encoding="utf-8")
        transcripts.append(read_transcript(path, source_id=f"interview-{n}", interviewers=["Interviewer"]))
    return transcripts


def grounded_map(elements: int, transcripts: list[Transcript], folder: Path) -> ValueMap:
    """A generated map whose every quote is a selection in one of the transcripts."""
    rng = random.Random(elements)
    answers = [(t, turn) for t in transcripts for turn in t.turns if not turn.interviewer]
    value_map = generated_map(elements)
    data = value_map.model_dump()
    for collection in ELEMENT_COLLECTIONS:
        for item in data[collection]:
            quotes = []
            for _ in range(rng.randint(1, 2)):
                transcript, turn = rng.choice(answers)
                start = rng.randint(turn.start, max(turn.start, turn.end - 120))
                quotes.append(quote_from_selection(transcript, start, min(turn.end, start + rng.randint(40, 120))).model_dump())
            item["evidence"] = quotes
    data["sources"] = [Source(id=t.source_id, title=t.source_id, path=str(folder / f"{t.source_id}.md"),
                              stakeholders=[Stakeholder(name="Interviewer", interviewer=True), Stakeholder(name="Maya")]
                              ).model_dump() for t in transcripts]
    return ValueMap.model_validate(data)


def _stats(samples: list[Timing]) -> str:
    """Median and p95 of the wall time, then of the CPU time (what the wall time is on an idle machine)."""
    parts = []
    for column in (0, 1):
        values = [sample[column] for sample in samples]
        parts.append(f"{statistics.median(values) * 1000:,.0f} / {percentile(values, 0.95) * 1000:,.0f}")
    return f"{parts[0]} ms (CPU {parts[1]})"


Timing = tuple[float, float]  # (wall seconds, CPU seconds of this process)


def _clock() -> Timing:
    return time.perf_counter(), time.process_time()


def _since(started: Timing) -> Timing:
    return time.perf_counter() - started[0], time.process_time() - started[1]


async def _open_once(path: Path) -> Timing:
    started = _clock()
    app = ReviewApp(open_review(path, person="Benchmark"))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        elapsed = _since(started)
        await pilot.press("ctrl+q")
    return elapsed


async def _decisions(path: Path) -> list[Timing]:
    app = ReviewApp(open_review(path, person="Benchmark"))
    samples: list[Timing] = []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        for n in range(DECISIONS):
            keys = ("a",) if n % 2 == 0 else ("r", "u")
            for key in keys:
                started = _clock()
                await pilot.press(key)
                await pilot.pause()
                samples.append(_since(started))
    return samples


def _engine_decisions(path: Path) -> list[Timing]:
    session = open_review(path, person="Benchmark")
    samples = []
    for element in list(session.value_map.elements())[:DECISIONS]:
        started = _clock()
        session.decide(Decision(kind=DecisionKind.ACCEPT, element_id=element.id))
        samples.append(_since(started))
    return samples


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        transcripts = write_transcripts(folder)
        words = sum(len(t.text.split()) for t in transcripts)
        print(f"transcripts: {len(transcripts)} x ~{WORDS_PER_SOURCE:,} words = {words:,} words")
        print("median / p95, wall clock (and CPU time of the process)")
        print("| elements | open (map to first screen) | decision in the app | decision, engine only |")
        print("| --- | --- | --- | --- |")
        for size in SIZES:
            path = folder / f"map-{size}.json"
            value_map = grounded_map(size, transcripts, folder)
            save_map(path, value_map)
            opens = [asyncio.run(_open_once(path)) for _ in range(OPENS)]
            save_map(path, value_map)
            in_app = asyncio.run(_decisions(path))
            save_map(path, value_map)
            engine = _engine_decisions(path)
            print(f"| {value_map.element_count():,} | {_stats(opens)} | {_stats(in_app)} | {_stats(engine)} |")


if __name__ == "__main__":
    main()
