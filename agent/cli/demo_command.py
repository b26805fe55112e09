"""`vsm demo`: the whole path on the bundled legal-platform example, offline, into one folder."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from agent.bundled import bundled_path
from agent.checks import check_map
from agent.cli.options import add_embedder_option, embedder_from_args
from agent.errors import VsmError
from agent.evaluation import score_map
from agent.mapping import Perspectives, map_transcripts
from agent.reports.findings_text import findings_as_markdown
from agent.reports.html import report_html
from agent.storage.atomic import write_text_atomic
from agent.storage.map_files import load_map, save_map

EXAMPLE = "transcripts/legal-platform"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the whole path on the bundled example, offline",
        description="Map the bundled legal-platform interviews with the offline extractor, check the map and "
        "the hand-made reference map, and write the results to one folder.",
    )
    parser.add_argument("-o", "--output", type=Path, default=Path("vsm-demo"), help="the folder to write (vsm-demo)")
    add_embedder_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out: Path = args.output
    if out.exists() and not out.is_dir():
        raise VsmError(f"{out}: is a file, and the demo writes a folder; pass -o FOLDER (e.g. -o vsm-demo)")
    example = bundled_path(EXAMPLE)
    sources = out / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    transcripts = sorted(example.glob("*.md"))
    for transcript in transcripts:
        shutil.copyfile(transcript, sources / transcript.name)
    embedder = embedder_from_args(args)
    reference = load_map(example / "map.json")
    # Each copy's side (the customer call is the customer's voice), as the reference map records it.
    sides = {Path(s.path).stem: s.perspective for s in reference.sources if s.path}
    print(f"Mapping {len(transcripts)} bundled transcripts of the legal platform, offline...", file=sys.stderr)
    result = map_transcripts([sources / t.name for t in transcripts], title="Legal platform for SMBs (extracted)",
                             interviewers=["Consultant"], embedder=embedder, perspectives=Perspectives(by_source=sides))
    save_map(out / "map.json", result.value_map)
    write_text_atomic(out / "findings.md", findings_as_markdown(result.value_map, result.report))
    write_text_atomic(out / "report.html", report_html(result.value_map, result.report))

    # The demo folder stands on its own: the reference map cites the copies of its transcripts.
    copied = {t.name: str(sources / t.name) for t in transcripts}
    reference = reference.model_copy(update={"sources": [
        s.model_copy(update={"path": copied.get(Path(s.path).name, s.path) if s.path else None})
        for s in reference.sources]})
    reference_report = check_map(reference, embedder=embedder)
    save_map(out / "reference-map.json", reference)
    write_text_atomic(out / "reference-report.html", report_html(reference, reference_report))
    score = score_map(result.value_map, reference, embedder=embedder).overall

    print(f"Mapped the legal platform's interviews with {result.extractor}: "
          f"{result.value_map.element_count()} elements, every quote verified; {len(result.report.findings)} findings.")
    print(f"Against the hand-made reference map ({reference.element_count()} elements): precision "
          f"{_figure(score.precision)}, recall {_figure(score.recall)}, F1 {_figure(score.f1)}.")
    print(f"Open {out / 'report.html'} (the extracted map) and {out / 'reference-report.html'} (the reference), "
          "in any browser.")
    print(f"Then: vsm check {out / 'map.json'}   |   vsm eval {out / 'map.json'} {out / 'reference-map.json'}")
    return 0


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"
