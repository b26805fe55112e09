"""How quick the interview app is: cold start, Enter to the first streamed word, and the checks per turn.

    python -m benchmarks.interview_latency

1. Cold start: from launching `vsm interview` in a terminal (tmux, 120x40) to the first question on
   screen; skipped without tmux.
2. Enter to the first streamed word shown, with a writer that streams at once: the app's own overhead
   (answer written and fsynced, the answer shown, extraction on a thread, map/findings/coverage
   redrawn, next question planned, first piece handed to the Markdown stream). Measured with an
   extractor that finds nothing, and with the offline extractor, on a fresh map and on a 200-element map.
3. The checks each turn re-runs on a 200-element map: without an embedder, and with MiniLM behind the
   interview's `RememberingEmbedder` (only texts not seen before are embedded).
4. Our own code per turn with the planner's memory, on a 200-element session after 30 exchanges: the
   answer logged, extracted offline into a patch (corrections, near-duplicate merging, links), the
   checks, and the next probe planned (memory, contradictions, redirect, skips); median and p95.
Cold start is measured idle and under load (one busy process per core beside it).
Targets: Enter to first word < 50 ms; checks per turn < 20 ms; our code per turn < 20 ms; cold start < 1.5 s.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from agent.checks import check_map
from agent.extraction.offline import extract_offline
from agent.interview.engine import InterviewEngine
from agent.interview.session_log import SessionLog
from agent.interview.session_state import SessionState
from agent.semantics.remembering import RememberingEmbedder
from agent.tui.app import InterviewApp, Phase
from agent.tui.chat import AnswerBox
from agent.tui.messages import QuestionPiece
from benchmarks.generated_maps import generated_map
from benchmarks.stats import percentile
from schemas.extraction import DraftMap
from schemas.interview import ElementChange, MetaEvent, PatchEvent
from schemas.transcript import Transcript
from schemas.value_map import ValueMap
from tests.test_tui_fakes import ANSWER, AT, InstantWriter, fixed_clock, offline_extraction

TURNS = 15
MAP_ELEMENTS = 200


def empty_draft(_: Transcript) -> DraftMap:
    return DraftMap(stages=[], veps=[], resistances=[], thresholds=[], exchanges=[], propositions=[],
                    duplications=[], losses=[])


class TimedApp(InterviewApp):
    """Notes when the first piece of each question has been handed to the Markdown stream."""

    first_piece_at: float | None = None

    async def on_question_piece(self, message: QuestionPiece) -> None:
        await super().on_question_piece(message)
        if self.first_piece_at is None:
            self.first_piece_at = time.perf_counter()


def session_with_map(folder: Path, value_map: ValueMap | None) -> InterviewEngine:
    meta = MetaEvent(session_id="bench", stakeholder="Maria", role="Head of Growth", minutes=45, started=AT)
    log = SessionLog.create(folder, meta)
    state = SessionState.new(meta)
    if value_map is not None:  # the generated map, as if told in earlier answers of this session
        data = value_map.model_dump()
        for collection in ("stages", "veps", "resistances", "thresholds", "exchanges", "propositions",
                           "duplications", "losses"):
            for element in data[collection]:
                for quote in element["evidence"]:
                    quote["source_id"] = meta.session_id
        moved = ValueMap.model_validate({**data, "sources": state.value_map.model_dump()["sources"]})
        changes = [ElementChange.model_validate({"collection": c, "element_id": e.id, "element": e})
                   for c in ("stages", "veps", "resistances", "thresholds", "exchanges", "propositions",
                             "duplications", "losses") for e in getattr(moved, c)]
        patch = PatchEvent(at=AT, answer_index=-1, extractor="benchmark", changes=changes)
        log.append(patch)
        state.apply(patch)
    return InterviewEngine(log, state, writer=InstantWriter(), clock=fixed_clock)


async def enter_to_first_word(extract: Callable[[Transcript], DraftMap], value_map: ValueMap | None) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        engine = session_with_map(Path(folder), value_map)
        engine.extraction = offline_extraction(extract)
        app = TimedApp(engine, mode="benchmark")
        times: list[float] = []
        async with app.run_test(size=(160, 48)) as pilot:
            for _ in range(TURNS):
                while app.phase is not Phase.ASKED:
                    await pilot.pause(0.001)
                app.query_one(AnswerBox).insert(ANSWER)
                app.first_piece_at = None
                started = time.perf_counter()
                await pilot.press("enter")
                while app.first_piece_at is None:
                    await pilot.pause(0.001)
                times.append(app.first_piece_at - started)
        return times


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:6.1f} ms, max {max(values) * 1000:6.1f} ms"


def turns_ms(values: list[float]) -> str:
    """The first turn apart: it pays for Textual's first Markdown and the planner's first question bank read."""
    return f"first turn {values[0] * 1000:6.1f} ms; later turns {ms(values[1:])}"


def time_runs(runs: int, action: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def cold_start() -> float | None:
    from tests.test_tui_cli import TMUX, Tmux

    if TMUX is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "VSM_EMBEDDER": "none", "XDG_CONFIG_HOME": f"{folder}/config", "TERM": "xterm-256color"}
        env.pop("TMUX", None)
        env.pop("VSM_LLM_MODEL", None)
        tmux = Tmux(env)
        started = time.perf_counter()
        tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "interview", "-c", str(Path.cwd()),
             f"cd {folder} && {sys.executable} -m agent.cli interview --stakeholder Maria; sleep 30")
        try:
            tmux.wait_for("Your turn")
            return time.perf_counter() - started
        finally:
            tmux.kill_server()


COLD_START_CPU = """
import asyncio, sys, tempfile, time
from agent.cli import build_parser
from agent.cli.interview_command import open_engine
from agent.tui.app import InterviewApp, Phase

async def main():
    folder = tempfile.mkdtemp()
    args = build_parser().parse_args(["interview", "--stakeholder", "Maria", "--offline"])
    engine, mode = open_engine(args, __import__("pathlib").Path(folder))
    app = InterviewApp(engine, mode=mode)
    async with app.run_test(size=(120, 40)) as pilot:
        while app.phase is not Phase.ASKED:
            await pilot.pause(0.01)
        print(time.process_time(), time.perf_counter() - STARTED)

asyncio.run(main())
"""


def cold_start_cpu() -> tuple[float, float]:
    """CPU seconds (and wall seconds) of a fresh process from its start to the first question asked, headless:
    what the start costs whatever else the machine is doing."""
    import subprocess

    code = "import time; STARTED = time.perf_counter()\n" + COLD_START_CPU
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=folder,
                              env={**os.environ, "XDG_CONFIG_HOME": f"{folder}/config", "VSM_EMBEDDER": "none"})
    cpu, wall = done.stdout.split()[-2:]
    return float(cpu), float(wall)


def engine_turns(value_map: ValueMap, turns: int = 40, clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Answer -> patch -> checks -> next probe, on the engine alone (what the app runs besides drawing).
    With `time.process_time`, the CPU this process spent: on a shared machine, what our code costs."""
    from tests.personas import PERSONAS, Script

    persona = PERSONAS[0]
    with tempfile.TemporaryDirectory() as folder:
        engine = session_with_map(Path(folder), value_map)
        script = Script(persona, specials=[(2, persona.vague), (4, persona.off_topic)])
        times = []
        probe = engine.plan_next()
        for turn in range(turns):
            engine.ask(probe, probe.fallback_question)
            answer = script.answer(turn, probe)
            started = clock()
            engine.answer(answer)
            engine.extract_last_answer()
            probe = engine.plan_next()
            times.append(clock() - started)
        return times[10:]  # after 30 exchanges of memory


def busy(seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        pass


def under_load(runs: int) -> list[float]:
    import multiprocessing

    workers = [multiprocessing.Process(target=busy, args=(60.0,)) for _ in range(os.cpu_count() or 2)]
    for worker in workers:
        worker.start()
    try:
        return [s for s in (cold_start() for _ in range(runs)) if s is not None]
    finally:
        for worker in workers:
            worker.terminate()


def main() -> None:
    starts = [s for s in (cold_start() for _ in range(5)) if s is not None]
    if starts:
        print(f"cold start to the first question on screen (tmux 120x40): median {statistics.median(starts):.2f} s, "
              f"worst {max(starts):.2f} s (target < 1.5 s)")
        loaded = under_load(5)
        print(f"  under load (a busy process per core): median {statistics.median(loaded):.2f} s, "
              f"worst {max(loaded):.2f} s")
    else:
        print("cold start: skipped (tmux is not installed)")
    cpu = [cold_start_cpu() for _ in range(3)]
    print(f"  CPU time of a fresh process to the first question (headless, imports included): median "
          f"{statistics.median(c for c, _ in cpu):.2f} s (wall {statistics.median(w for _, w in cpu):.2f} s)")

    print(f"our code per turn, {MAP_ELEMENTS}-element session with memory (answer fsynced, patch, checks, plan), "
          "target < 20 ms:")
    for label, clock in (("wall clock", time.perf_counter), ("CPU time  ", time.process_time)):
        turns = engine_turns(generated_map(MAP_ELEMENTS), clock=clock)
        print(f"  {label}: median {statistics.median(turns) * 1000:.1f} ms, p95 {percentile(turns, 0.95) * 1000:.1f} ms")

    big = generated_map(MAP_ELEMENTS)
    print(f"Enter to the first streamed word shown ({TURNS} turns each, target < 50 ms):")
    for label, extract, value_map in (
        ("extractor finds nothing, fresh map", empty_draft, None),
        ("offline extractor,       fresh map", extract_offline, None),
        (f"extractor finds nothing, {big.element_count()}-element map", empty_draft, big),
        (f"offline extractor,       {big.element_count()}-element map", extract_offline, big),
    ):
        print(f"  {label}: {turns_ms(asyncio.run(enter_to_first_word(extract, value_map)))}")

    print(f"checks per turn on a {big.element_count()}-element map (target < 20 ms):")
    print(f"  check_map, no embedder:            {ms(time_runs(20, lambda: check_map(big)))}")
    try:
        from agent.semantics import embedder_from_settings

        embedder = RememberingEmbedder(embedder_from_settings("minilm"))
        first = time_runs(1, lambda: check_map(big, embedder=embedder))
        print(f"  check_map, MiniLM, first turn:      {ms(first)} (every statement and claim embedded once)")
        print(f"  check_map, MiniLM, later turns:     {ms(time_runs(20, lambda: check_map(big, embedder=embedder)))}")
        grown = big.model_copy(update={"propositions": [*big.propositions, big.propositions[0].model_copy(
            update={"id": "vp-new", "statement": "A brand new promise told this turn", "claims": ["new promise"]})]})
        print(f"  check_map, MiniLM, one new proposition: {ms(time_runs(1, lambda: check_map(grown, embedder=embedder)))}")
    except Exception as err:  # MiniLM files missing: the embedder line is optional
        print(f"  MiniLM: skipped ({err})")


if __name__ == "__main__":
    main()
