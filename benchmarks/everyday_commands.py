"""How long the everyday commands take, as a consultant runs them: whole processes, cold and warm.

    python -m benchmarks.everyday_commands [--runs 10] [--words 100000] [--repo PATH]

Each figure is the median wall time of `--runs` runs of `python -m agent.cli ...` in a new process.
*Cold* is a first run: the embedding cache is empty (a new cache file each run), so every statement, or
the question, is embedded with MiniLM, which has to load. *Warm* is every run after: the vectors are in
the cache, no model loads. (The files themselves are in the page cache either way; this machine's
disk cache cannot be emptied without root.)

- `vsm --help`
- `vsm check` on the bundled legal-platform map (outside a workspace: the user cache)
- `vsm report ... -o report.html` on the same map
- `vsm ask QUESTION` in a workspace holding the six bundled transcripts (cold: a new question each run)
- `vsm add` of `--words` words (five generated interviews): words per second into a new workspace,
  with an empty cache, and again into another new workspace with the cache the first one filled.

`--repo` times another checkout (e.g. before a change) with the same method. `--clock cpu` reports the
CPU time of each process (user + system) instead of the wall time: on a shared, loaded machine the wall
time mostly measures the other processes.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.evidence_store_speed import generated_transcript

ROOT = Path(__file__).resolve().parents[1]
TRANSCRIPTS = ROOT / "transcripts"
MAP = TRANSCRIPTS / "legal-platform" / "map.json"
QUESTIONS = ("why do customers stall before paying?", "what do trial users have to hand over?",
             "why must a shipper's account be approved first?", "how long do the recipes take to cook?",
             "why do lawyers claim their profile?", "how complete is the lawyer directory?",
             "why do customers not renew?", "where do lane prices come from?",
             "what is the free consultation worth?", "what happens when nobody is at home?",
             "who signs the contract?", "what does onboarding cost?")


#: Wall time or CPU time (user + system of the process): on a shared machine the CPU time is the steadier.
CLOCKS = ("wall", "cpu")
clock = "wall"


def vsm(repo: Path, *args: str | Path, cwd: Path, cache: Path | None = None) -> float:
    """Seconds one `vsm` process takes, start to exit (wall or CPU time, as `clock` says)."""
    env = {**os.environ, "PYTHONPATH": str(repo), "VSM_EMBEDDER": "minilm", "VSM_LLM_MODEL": "", "OPENAI_API_KEY": "",
           "VSM_CHROMA_URL": ""}
    if cache is not None:
        env["VSM_EMBEDDING_CACHE"] = str(cache)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "agent.cli", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if clock == "cpu":
        seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):  # check exits 1 when it finds errors in the map: that is its answer
        raise RuntimeError(f"vsm {' '.join(map(str, args))} failed: {done.stderr[-500:]}")
    return seconds


def median_of(runs: int, measure: object) -> float:
    assert callable(measure)
    return statistics.median(float(measure(n)) for n in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--repo", type=Path, default=ROOT)
    parser.add_argument("--clock", choices=CLOCKS, default="wall")
    args = parser.parse_args()
    global clock
    clock = args.clock
    repo, runs = args.repo.resolve(), args.runs
    rows: list[tuple[str, float, float, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        caches = folder / "caches"
        caches.mkdir()
        warm_cache = folder / "warm.sqlite3"

        def fresh_cache(n: int, name: str) -> Path:
            return caches / f"{name}-{n}.sqlite3"

        rows.append(("vsm --help", median_of(runs, lambda n: vsm(repo, "--help", cwd=folder, cache=fresh_cache(n, "h"))),
                     median_of(runs, lambda n: vsm(repo, "--help", cwd=folder, cache=warm_cache)), ""))
        cold = median_of(runs, lambda n: vsm(repo, "check", MAP, cwd=folder, cache=fresh_cache(n, "c")))
        vsm(repo, "check", MAP, cwd=folder, cache=warm_cache)
        rows.append(("vsm check (bundled legal-platform map)", cold,
                     median_of(runs, lambda n: vsm(repo, "check", MAP, cwd=folder, cache=warm_cache)), "< 0.5 s"))
        report = folder / "report.html"
        cold = median_of(runs, lambda n: vsm(repo, "report", MAP, "-o", report, cwd=folder, cache=fresh_cache(n, "r")))
        vsm(repo, "report", MAP, "-o", report, cwd=folder, cache=warm_cache)
        rows.append(("vsm report -o report.html (same map)", cold,
                     median_of(runs, lambda n: vsm(repo, "report", MAP, "-o", report, cwd=folder, cache=warm_cache)),
                     "< 0.7 s"))

        space = folder / "engagement"
        vsm(repo, "init", space, cwd=folder)
        vsm(repo, "add", *sorted(TRANSCRIPTS.glob("*/*.md")), cwd=space, cache=warm_cache)
        cold = median_of(runs, lambda n: vsm(repo, "ask", QUESTIONS[n % len(QUESTIONS)], cwd=space,
                                             cache=fresh_cache(n, "a")))
        vsm(repo, "ask", QUESTIONS[0], cwd=space, cache=warm_cache)
        rows.append(("vsm ask (6 bundled transcripts, no model)", cold,
                     median_of(runs, lambda n: vsm(repo, "ask", QUESTIONS[0], cwd=space, cache=warm_cache)), "< 1 s"))

        print(f"{'command':<44} {'cold (s)':>9} {'warm (s)':>9}  target (warm)")
        for name, cold_s, warm_s, target in rows:
            print(f"{name:<44} {cold_s:>9.2f} {warm_s:>9.2f}  {target}")
        load = os.getloadavg()[0]
        print(f"({clock} time, median of {runs} runs each; {os.cpu_count()} CPUs, load {load:.1f}; repo {repo})\n")

        interviews = folder / "interviews"
        interviews.mkdir()
        rng = random.Random(11)
        for n in range(5):
            (interviews / f"interview-{n}.md").write_text(generated_transcript(rng, args.words // 5), encoding="utf-8")
        words = sum(len(path.read_text(encoding="utf-8").split()) for path in interviews.glob("*.md"))
        shared = folder / "add-cache.sqlite3"
        for label in ("cold (empty cache)", "cache warm"):
            target = folder / f"add-{label.split()[0]}"
            vsm(repo, "init", target, cwd=folder)
            seconds = vsm(repo, "add", *sorted(interviews.glob("*.md")), cwd=target, cache=shared)
            print(f"vsm add, {words:,} words, {label}: {seconds:.1f} s {clock} = {words / seconds:,.0f} words/s")


if __name__ == "__main__":
    main()
