"""How well the offline extractor maps the bundled examples, scored against their hand-made gold maps.

    python -m benchmarks.extractor_quality            # every example: overall, per type, checks, speed
    python -m benchmarks.extractor_quality --blind    # only the examples written blind to the extractor

Each example's transcripts are mapped offline (as `vsm map` does), then scored with `vsm eval`'s
rules (evidence span overlap, and meaning with the offline MiniLM). Examples are marked:

- **blind**: written by someone who never read the extractor (the held-out one and `blind-*`); the
  honest figure. Never tune the extractor on them.
- **tuned**: read by the extractor's author while developing it (the three first examples, and `dev-*`, written
  blind and then tuned on); their scores are optimistic. The sentence typer the rules consult learned from
  these examples too, so each tuned example is scored with a typer trained on the *other* tuned examples
  (leave one out): the rules' optimism stays, the typer's is taken out.

Where an example lists its designed findings and must-stay-quiet codes (`design.json`), the checks
are run on the *extracted* map and the share of each that fires is reported: a map is only as good as
the findings it lets the checks raise. Last, the time to extract a 20,000-word transcript.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from agent.checks import check_map
from agent.checks.divergence import TextEmbedder
from agent.evaluation import score_map
from agent.extraction.offline import extract_offline
from agent.extraction.offline.typer.model import SentenceTyper
from agent.extraction.offline.typer.training import is_blind, labelled_sentences, train
from agent.mapping import Perspectives, map_transcripts
from agent.semantics import embedder_from_settings
from agent.storage import load_map
from schemas.elements import Perspective
from schemas.evaluation import EvaluationReport, Tally
from schemas.transcript import Transcript, Turn

EXAMPLES = Path(__file__).parents[1] / "transcripts"
SPEED_WORDS = 20_000


@dataclass(frozen=True)
class Design:
    """The check codes an example is built to raise, and those it must keep quiet (its `design.json`)."""

    designed: frozenset[str]
    quiet: frozenset[str]

    @classmethod
    def of(cls, folder: Path) -> Design | None:
        path = folder / "design.json"
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(frozenset(data["designed"]), frozenset(data["quiet"]))


@dataclass(frozen=True)
class ExampleScore:
    name: str
    blind: bool
    report: EvaluationReport
    found: int
    raised: frozenset[str]  # codes the checks raise on the extracted map
    design: Design | None


def example_folders(*, blind_only: bool = False) -> list[Path]:
    folders = sorted(p for p in EXAMPLES.iterdir() if (p / "map.json").is_file())
    return [f for f in folders if is_blind(f) or not blind_only]


def score_example(folder: Path, embedder: TextEmbedder | None, typer: SentenceTyper | None = None) -> ExampleScore:
    """Map an example offline, as `vsm map` does (with `typer` in place of the bundled one, if given), and score
    it against its gold map."""
    gold = load_map(folder / "map.json")
    interviewers = [p.name for s in gold.sources for p in s.stakeholders if p.interviewer]
    customers = [p.name for s in gold.sources for p in s.stakeholders if p.perspective is Perspective.CUSTOMER]
    by_source = {s.id: s.perspective for s in gold.sources}
    paths = [EXAMPLES.parent / s.path for s in gold.sources if s.path]  # the transcripts, not the notes beside them
    result = map_transcripts(paths, interviewers=interviewers, embedder=embedder,
                             perspectives=Perspectives(default=Perspective.INTERNAL, by_source=by_source,
                                                       customers=customers), typer=typer)
    report = score_map(result.value_map, gold, embedder=embedder)
    raised = frozenset(f.code for f in check_map(result.value_map).findings)
    return ExampleScore(folder.name, is_blind(folder), report, result.value_map.element_count(), raised,
                        Design.of(folder))


def leave_one_out_typers(folders: list[Path]) -> dict[str, SentenceTyper]:
    """For each tuned example, a typer trained on all the other tuned examples."""
    tuned = [f for f in folders if not is_blind(f)]
    samples = {f.name: labelled_sentences(f) for f in tuned}
    return {f.name: train([s for g in tuned if g != f for s in samples[g.name]], [g.name for g in tuned if g != f])
            for f in tuned}


def score_examples(folders: list[Path], embedder: TextEmbedder | None) -> list[ExampleScore]:
    """Blind examples with the bundled typer; tuned ones each with a typer that never saw them."""
    typers = leave_one_out_typers(folders)
    return [score_example(f, embedder, typers.get(f.name)) for f in folders]


def pooled(reports: Iterable[EvaluationReport]) -> tuple[Tally, dict[str, Tally]]:
    """Micro-averaged tallies over several examples' reports: overall and per element type."""
    per_type: dict[str, Tally] = {}
    for report in reports:
        for t in report.types:
            held = per_type.get(t.element_type.value)
            per_type[t.element_type.value] = Tally(
                gold=t.gold + (held.gold if held else 0),
                predicted=t.predicted + (held.predicted if held else 0),
                true_positives=t.true_positives + (held.true_positives if held else 0),
            )
    overall = Tally(gold=sum(t.gold for t in per_type.values()), predicted=sum(t.predicted for t in per_type.values()),
                    true_positives=sum(t.true_positives for t in per_type.values()))
    return overall, per_type


def check_figures(scores: list[ExampleScore]) -> tuple[int, int, int, int]:
    """(designed raised, designed, must-stay-quiet raised, must-stay-quiet) over examples with a design."""
    designed = [s for s in scores if s.design is not None]
    return (
        sum(len(s.design.designed & s.raised) for s in designed if s.design),
        sum(len(s.design.designed) for s in designed if s.design),
        sum(len(s.design.quiet & s.raised) for s in designed if s.design),
        sum(len(s.design.quiet) for s in designed if s.design),
    )


def speed_transcript(words: int = SPEED_WORDS) -> Transcript:
    """A long transcript made of the bundled examples' turns, repeated: realistic sentences at scale."""
    turns: list[Turn] = []
    text_parts: list[str] = []
    offset = 0
    pool = [line for path in sorted(EXAMPLES.glob("*/*.md")) if path.name != "README.md"
            for line in path.read_text(encoding="utf-8").splitlines() if ": " in line]
    count = 0
    while count < words:
        for line in pool:
            speaker, said = line.split(": ", 1)
            label = f"{speaker}: "
            start = offset + len(label)
            turns.append(Turn(index=len(turns), speaker=speaker, text=said, start=start, end=start + len(said),
                              interviewer=speaker == "Consultant"))
            text_parts.append(label + said)
            offset += len(label + said) + 2
            count += len(said.split())
            if count >= words:
                break
    return Transcript(source_id="speed", format="md", text="\n\n".join(text_parts), turns=turns)


def extraction_seconds(transcript: Transcript) -> float:
    started = time.perf_counter()
    extract_offline(transcript)
    return time.perf_counter() - started


def _f(value: float | None) -> str:
    return f"{'n/a':>5}" if value is None else f"{value:>5.2f}"


def _row(label: str, tally: Tally) -> str:
    return (f"{label:<34} {tally.gold:>5} {tally.predicted:>6} {tally.true_positives:>4} "
            f"{_f(tally.precision)} {_f(tally.recall)} {_f(tally.f1)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--blind", action="store_true", help="only the examples written blind to the extractor")
    args = parser.parse_args()
    embedder = embedder_from_settings("minilm")
    scores = score_examples(example_folders(blind_only=args.blind), embedder)
    header = f"{'':<34} {'gold':>5} {'found':>6} {'TP':>4} {'P':>5} {'R':>5} {'F1':>5}"
    for score in scores:
        print(f"\n{score.name} ({'blind' if score.blind else 'tuned; typer left one out'})")
        print(header)
        for t in score.report.types:
            print(_row(f"  {t.element_type.value}", t))
        print(_row("  overall (micro)", score.report.overall))
        if score.design:
            print(f"  checks on the extracted map: designed raised {sorted(score.design.designed & score.raised)}"
                  f" of {sorted(score.design.designed)}; must-stay-quiet raised "
                  f"{sorted(score.design.quiet & score.raised)} of {len(score.design.quiet)}")
    for label, group in (("blind", [s for s in scores if s.blind]), ("tuned", [s for s in scores if not s.blind])):
        if not group:
            continue
        overall, per_type = pooled(s.report for s in group)
        print(f"\nall {label} examples pooled ({', '.join(s.name for s in group)})")
        print(header)
        for name, tally in per_type.items():
            print(_row(f"  {name}", tally))
        print(_row("  overall (micro)", overall))
        raised, designed, loud, quiet = check_figures(group)
        if designed:
            print(f"  checks on the extracted maps: {raised}/{designed} designed findings raised "
                  f"({raised / designed:.0%}), {loud}/{quiet} must-stay-quiet raised ({loud / max(quiet, 1):.0%})")
    transcript = speed_transcript()
    extraction_seconds(transcript)  # warm the regexes
    seconds = min(extraction_seconds(transcript) for _ in range(3))
    print(f"\noffline extraction of a {SPEED_WORDS:,}-word transcript: {seconds:.2f} s (target < 1 s)")


if __name__ == "__main__":
    main()
