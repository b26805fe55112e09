"""`vsm map FILES -o map.json`: transcripts in, an evidence-grounded map and its findings out."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from pathlib import Path

from agent.cli.options import add_embedder_option, embedder_from_args
from agent.errors import VsmError
from agent.mapping import MappingResult, Perspectives, map_transcripts, map_transcripts_with_model, plan_mapping
from agent.regular_files import check_output_path
from agent.reports.findings_text import summary_lines
from agent.storage import Workspace
from agent.storage.map_files import load_map, save_map
from agent.terminal_text import TerminalSafeStream
from schemas.elements import Perspective
from schemas.value_map import ELEMENT_COLLECTIONS, ValueMap

_DROPS_SHOWN = 10


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "map",
        help="turn meeting and interview transcripts into a map",
        description="Read transcripts (txt, md, vtt, srt, json), extract the value stream with the configured "
        "model (or offline rules when none is configured), verify every quote against its source, merge "
        "everything into one map and run the checks.",
    )
    parser.add_argument("files", type=Path, nargs="+", help="transcript files")
    parser.add_argument("-o", "--output", type=Path, default=Path("map.json"), help="the map to write (map.json)")
    parser.add_argument("--title", default="", help="the map's title")
    asking = parser.add_mutually_exclusive_group()
    asking.add_argument("--interviewer", action="append", default=[], metavar="NAME",
                        help="a speaker who asks the questions (repeatable); their words are never evidence")
    asking.add_argument("--no-interviewer", action="store_true",
                        help="nobody is guessed to ask the questions, so every speaker's words are evidence (a sales "
                        "call, where the seller asks and pitches); speakers titled Interviewer, Moderator, ... still ask")
    parser.add_argument("--perspective", choices=[p.value for p in Perspective], default="internal",
                        help="whose voice these files are: internal (the organisation, default) or customer")
    parser.add_argument("--customer", action="append", default=[], metavar="NAME",
                        help="a speaker who is customer-side wherever they speak (repeatable), e.g. the client "
                        "in a sales call")
    parser.add_argument("--offline", action="store_true", help="use the offline extractor even if a model is set")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the plan (chunks, calls, estimated tokens and cost) and call nothing")
    parser.add_argument("--review", action="store_true",
                        help="open the map in `vsm review` as soon as it is written, the transcripts beside it")
    add_embedder_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from agent.llm.settings import load_settings

    workspace = Workspace.find(Path.cwd())
    settings = load_settings(workspace.root if workspace else None)
    use_model = settings.is_configured() and not args.offline
    if args.dry_run:
        return dry_run(args, settings if use_model else None, workspace)
    check_output_path(args.output, example_name="map.json")  # before minutes of mapping, not after
    embedder = embedder_from_args(args)
    perspectives = Perspectives(default=Perspective(args.perspective), customers=args.customer)
    if use_model:
        from agent.llm.cache import ResponseCache

        cache = ResponseCache((workspace.folder("cache") if workspace else Path(".vsm-cache")) / "llm")
        bar = ProgressLine()
        result = asyncio.run(map_transcripts_with_model(
            args.files, settings=settings, cache=cache, title=args.title, interviewers=args.interviewer,
            guess=not args.no_interviewer,
            embedder=embedder, progress=say, on_chunk=bar.update, perspectives=perspectives))
        bar.close()
    else:
        reason = "--offline was given" if args.offline else "no language model is configured (see `vsm doctor`)"
        say(f"Mapping with the offline extractor (cue phrases, no network): {reason}.")
        result = map_transcripts(args.files, title=args.title, interviewers=args.interviewer,
                                 guess=not args.no_interviewer, embedder=embedder,
                                 progress=say, perspectives=perspectives)
    refuse_to_replace_a_map_with_nothing(args.output, result.value_map)
    save_map(args.output, result.value_map)
    sys.stdout.write(run_summary(result, args.output))
    if args.review:
        from agent.cli.review_command import review_map, reviewer_name

        sys.stdout.flush()
        return review_map(args.output, reviewer=reviewer_name(None))
    return 0


def refuse_to_replace_a_map_with_nothing(output: Path, value_map: ValueMap) -> None:
    """A run that found nothing never overwrites a map that holds something: that map may be days of work."""
    if value_map.element_count() or not output.is_file():
        return
    try:
        existing = load_map(output)
    except VsmError:
        return  # not a map (or a damaged one): nothing of value to keep
    if existing.element_count():
        raise VsmError(f"{output}: this run found nothing to map (0 elements) and would replace the "
                       f"{existing.element_count()} elements there, so the file is left as it was; check the "
                       "transcripts, or write the empty map elsewhere with -o")


def say(message: str) -> None:
    print(f"  {message}", file=sys.stderr)


class ProgressLine:
    """Chunks of all files, tokens and time on one line of the terminal (one line per event when not a
    terminal): files are extracted at once, so one count says how far the run is."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.live = sys.stderr.isatty()

    def update(self, source: str, event: object) -> None:
        done, chunks = getattr(event, "done", 0), getattr(event, "chunks", 0)
        tokens = getattr(event, "input_tokens", 0) + getattr(event, "output_tokens", 0)
        filled = int(20 * done / chunks) if chunks else 0
        line = (f"  [{'#' * filled}{'.' * (20 - filled)}] {done}/{chunks} chunks of all files (last: {source}), "
                f"{tokens:,} tokens, {time.perf_counter() - self.started:.1f} s")
        if self.live and isinstance(sys.stderr, TerminalSafeStream):
            sys.stderr.rewrite_line(line)  # the one `\r` that may reach the terminal: ours, not the text's
        else:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.live:
            print(file=sys.stderr)


def dry_run(args: argparse.Namespace, settings: object | None, workspace: Workspace | None) -> int:
    from agent.llm.cache import ResponseCache
    from agent.llm.settings import LLMSettings
    from agent.mapping import read_sources

    if not isinstance(settings, LLMSettings):
        transcripts = read_sources(args.files, interviewers=args.interviewer, guess=not args.no_interviewer)
        turns = sum(len(t.turns) for t in transcripts)
        print(f"Plan: {len(transcripts)} transcript(s), {turns} turns, offline extractor: no model calls, no tokens, "
              "no cost.")
        return 0
    cache = ResponseCache((workspace.folder("cache") if workspace else Path(".vsm-cache")) / "llm")
    plans = plan_mapping(args.files, settings=settings, cache=cache, interviewers=args.interviewer,
                         guess=not args.no_interviewer)
    print(f"Plan with {settings.provider} model {settings.model} ({plans[0].prompt_id if plans else ''}):")
    for plan in plans:
        print(f"  {plan.source_id}: {len(plan.chunks)} chunks ({plan.cached_chunks} cached), {plan.calls} calls, "
              f"~{plan.input_tokens:,} input + ~{plan.output_tokens:,} output tokens, cost {plan.cost_text}")
    total_in = sum(p.input_tokens for p in plans)
    total_out = sum(p.output_tokens for p in plans)
    costs = [p.cost_usd for p in plans]
    cost = "unknown" if any(c is None for c in costs) else f"${sum(c or 0 for c in costs):.4f}"
    print(f"  total: {sum(p.calls for p in plans)} calls, ~{total_in:,} input + ~{total_out:,} output tokens, "
          f"cost {cost} (budget {settings.token_budget:,} tokens)")
    # The confirmation pass asks at most once per chunk extracted, and only when the answer bent a quote: how
    # many happen depends on the model, so only the ceiling (one per call) is known.
    confirming = sum(p.calls for p in plans)
    if confirming:
        from agent.extraction.confirmation import confirmation_prompt_tokens  # a model run's import, not offline's

        print(f"  plus at most {confirming} confirmation call(s), one per chunk whose answer bends a quote (a model "
              f"that quotes exactly needs none): each ~{confirmation_prompt_tokens(settings.prompts_dir):,} tokens of "
              "instructions plus the elements it asks about; the token budget covers them")
    return 0


def _voices_lines(result: MappingResult) -> list[str]:
    """Whose words the evidence is, and who was taken to ask the questions: a host or moderator not
    named as an interviewer would otherwise turn questions and framing into evidence."""
    quoted = Counter(q.speaker or "an unnamed speaker" for e in result.value_map.elements() for q in e.verified_evidence)
    asking = sorted({t.speaker for tr in result.transcripts for t in tr.turns if t.interviewer and t.speaker})
    lines = []
    if quoted:
        voices = ", ".join(f"{name} ({count})" for name, count in quoted.most_common(6))
        more = f" and {len(quoted) - 6} more" if len(quoted) > 6 else ""
        lines.append(f"  quotes by speaker: {voices}{more}")
    if asking:
        why = ", ".join(f"{s} ({result.asking[s]})" if s in result.asking else s for s in asking)
        lines.append(f"  asking the questions (never evidence): {why}; if that is wrong, map again with "
                     "--interviewer NAME, or --no-interviewer where nobody asks for the record (a sales call)")
    else:
        lines.append("  nobody was taken to ask the questions: if a host or moderator did, map again with "
                     "--interviewer NAME")
    return lines


def run_summary(result: MappingResult, output: Path) -> str:
    value_map, stats = result.value_map, result.assembly
    counts = ", ".join(f"{len(getattr(value_map, kind))} {kind}" for kind in ELEMENT_COLLECTIONS)
    lines = [
        f"Mapped {len(result.transcripts)} transcript(s) with {result.extractor} in {result.elapsed_seconds:.1f} s.",
        f"  {counts}",
        f"  quotes: {stats.grounding}",
    ]
    for model_stats in result.model_stats:
        lines.append(f"  model: {model_stats.calls} calls ({model_stats.re_asks} re-asks, {model_stats.cache_hits} "
                     f"from cache), {model_stats.input_tokens:,} input + {model_stats.output_tokens:,} output tokens")
        lines.append(f"  confirmations: {model_stats.confirmations}")  # elements whose only quotes the model bent
    if sum(stats.merged.values()):
        lines.append(f"  mentions merged into elements told before: {sum(stats.merged.values())}")
    if sum(stats.dropped_ungrounded.values()):
        lines.append(f"  elements dropped for lack of verified evidence: {sum(stats.dropped_ungrounded.values())}")
    if sum(stats.dropped_relations.values()):
        lines.append(f"  relations dropped (the other end was not found): {sum(stats.dropped_relations.values())}")
        lines.extend(f"    {note}" for note in stats.drop_notes[:_DROPS_SHOWN])
        if len(stats.drop_notes) > _DROPS_SHOWN:
            lines.append(f"    and {len(stats.drop_notes) - _DROPS_SHOWN} more")
    report = result.report
    worst = {s: sum(1 for f in report.findings if f.severity.value == s) for s in ("error", "warning", "info")}
    lines.append(f"  findings: {worst['error']} errors, {worst['warning']} warnings, {worst['info']} info")
    lines.extend(f"  {key}: {value}" for key, value in summary_lines(report.summary)[1:5])
    lines.extend(_voices_lines(result))
    lines.append(f"Wrote {output}. Next: vsm check {output}   or   vsm report {output} -o report.html")
    return "\n".join(lines) + "\n"
