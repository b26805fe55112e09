"""`vsm add`, `vsm remove` and `vsm synthesize`: the sources of an engagement and its one map."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from agent.cli.options import add_embedder_option, embedder_from_args
from agent.engagement import (
    EngagementError,
    Mapper,
    add_sources,
    offline_mapper,
    remove_source,
    synthesize_workspace,
)
from agent.mapping import USUAL_INTERVIEWERS, MappingResult, map_transcripts_with_model
from agent.sources import read_transcript
from agent.storage import Workspace
from schemas.elements import Perspective
from schemas.engagement import MergeDecision, MergeProposal, RegisteredSource

if TYPE_CHECKING:
    from agent.evidence_store import EvidenceStore


def current_workspace() -> Workspace:
    workspace = Workspace.find(Path.cwd())
    if workspace is None:
        raise EngagementError(f"{Path.cwd()}: not inside a vsm workspace; create one with `vsm init NAME` and cd into it")
    return workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add = subparsers.add_parser("add", help="add transcripts to the workspace's sources and map each one")
    add.add_argument("files", type=Path, nargs="+")
    add.add_argument("--stakeholder", help="who speaks for the organisation or the customer in these files")
    add.add_argument("--role", help="the stakeholder's role (e.g. Head of Sales)")
    add.add_argument("--perspective", choices=[p.value for p in Perspective], default="internal",
                     help="internal (the organisation) or customer (a customer's voice); default internal")
    add.add_argument("--interviewer", action="append", default=[], metavar="NAME")
    add.add_argument("--offline", action="store_true", help="map with the offline extractor even if a model is set")
    add_embedder_option(add)
    add.set_defaults(run=run_add)

    remove = subparsers.add_parser("remove", help="remove a source, its map and its stored evidence")
    remove.add_argument("source_id")
    remove.set_defaults(run=run_remove)

    synth = subparsers.add_parser("synthesize", help="build the engagement map from every source and interview")
    synth.add_argument("--yes", action="store_true", help="accept every uncertain merge without asking")
    synth.add_argument("--no", action="store_true", help="keep every uncertain pair apart without asking")
    add_embedder_option(synth)
    synth.set_defaults(run=run_synthesize)


def _mapper(args: argparse.Namespace, workspace: Workspace) -> tuple[Mapper, str]:
    from agent.llm.settings import load_settings

    embedder = embedder_from_args(args)
    settings = load_settings(workspace.root)
    if args.offline or not settings.is_configured():
        return offline_mapper(interviewers=args.interviewer, embedder=embedder), "the offline extractor"
    from agent.llm.cache import ResponseCache

    cache = ResponseCache(workspace.folder("cache") / "llm")

    def with_model(path: Path) -> MappingResult:
        return asyncio.run(map_transcripts_with_model([path], settings=settings, cache=cache,
                                                      interviewers=args.interviewer, embedder=embedder))

    return with_model, f"{settings.provider} model {settings.model}"


def run_add(args: argparse.Namespace) -> int:
    workspace = current_workspace()
    mapper, label = _mapper(args, workspace)
    print(f"Mapping each new source with {label}.", file=sys.stderr)
    outcome = add_sources(workspace, args.files, stakeholder=args.stakeholder, role=args.role,
                          perspective=Perspective(args.perspective), mapper=mapper,
                          on_added=_store_evidence(workspace, args))
    for source in outcome.added:
        print(f"added {source.id} ({source.original_path}, {source.perspective.value})")
    for source in outcome.unchanged:
        print(f"unchanged {source.id} (already added)")
    for problem in outcome.failed:
        print(f"vsm: error: {problem}", file=sys.stderr)
    print(f"{len(outcome.added)} added, {len(outcome.unchanged)} unchanged, {len(outcome.failed)} failed. "
          "Next: vsm synthesize")
    return 2 if outcome.failed else 0


def _store_evidence(workspace: Workspace, args: argparse.Namespace) -> Callable[[RegisteredSource, Path], None]:
    """Index each added source's turns in the evidence store (for `vsm ask` and the interviewer)."""
    opened: list[EvidenceStore] = []

    def store(source: RegisteredSource, stored: Path) -> None:
        if not opened:
            opened.append(open_evidence_store(workspace, args))
        roles = {p.name: p.role for p in source.stakeholders if p.role}
        asking = [*USUAL_INTERVIEWERS, *args.interviewer, *(p.name for p in source.stakeholders if p.interviewer)]
        transcript = read_transcript(stored, source_id=source.id, interviewers=asking)
        result = opened[0].add_transcript(transcript, source_id=source.id, speaker_roles=roles,
                                          perspective=source.perspective.value, content_hash=source.content_hash)
        print(f"  stored {result.chunks} passages of {source.id} in the evidence store", file=sys.stderr)

    return store


def open_evidence_store(workspace: Workspace, args: argparse.Namespace) -> EvidenceStore:
    """The workspace's evidence store, embedded by the same embedder as the checks (MiniLM if none is chosen)."""
    from agent.evidence_store import EvidenceStore
    from agent.semantics import embedder_from_settings

    kind = args.embedder if getattr(args, "embedder", "none") != "none" else "minilm"
    return EvidenceStore.open(workspace.root, embedder=embedder_from_settings(kind))


def run_remove(args: argparse.Namespace) -> int:
    workspace = current_workspace()
    source = remove_source(workspace, args.source_id)
    passages = open_evidence_store(workspace, args).remove_source(source.id)
    print(f"removed {source.id} ({source.original_path}) and its {passages} stored passages; run `vsm synthesize` "
          "to rebuild the engagement map")
    return 0


def run_synthesize(args: argparse.Namespace) -> int:
    workspace = current_workspace()
    decide = _decider(args)
    result, notes = synthesize_workspace(workspace, embedder=embedder_from_args(args), decide=decide)
    for note in notes:
        print(f"vsm: note: {note}", file=sys.stderr)
    value_map = result.value_map
    print(f"Synthesised {len(value_map.sources)} sources into {workspace.map_path()}: "
          f"{value_map.element_count()} elements, {result.merged} mentions merged, "
          f"{result.contradictions} disagreements between stakeholders recorded as duplications.")
    corroborated = sorted(value_map.elements(), key=lambda e: -e.corroboration)[:5]
    for element in corroborated:
        if element.corroboration > 1:
            print(f"  told by {element.corroboration} sources: {element.name} [{element.id}]")
    if result.proposals:
        print(f"{len(result.proposals)} uncertain merges left as proposals (run `vsm synthesize` in a terminal "
              "to decide, or --yes / --no):")
        for proposal in result.proposals[:10]:
            print(f"  {proposal.collection}: {proposal.first_name!r} ~ {proposal.second_name!r} "
                  f"(similarity {proposal.similarity:.2f})")
    print("Next: vsm check, vsm report -o report.html")
    return 0


def _decider(args: argparse.Namespace) -> Callable[[MergeProposal], MergeDecision | None] | None:
    if args.yes:
        return lambda _proposal: MergeDecision.MERGE
    if args.no:
        return lambda _proposal: MergeDecision.KEEP_APART
    if not sys.stdin.isatty():
        return None

    def ask(proposal: MergeProposal) -> MergeDecision | None:
        answer = input(f"Merge {proposal.collection} {proposal.first_name!r} and {proposal.second_name!r} "
                       f"(similarity {proposal.similarity:.2f})? [y/n/skip] ").strip().casefold()
        if answer in ("y", "yes"):
            return MergeDecision.MERGE
        if answer in ("n", "no"):
            return MergeDecision.KEEP_APART
        return None

    return ask
