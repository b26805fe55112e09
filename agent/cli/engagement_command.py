"""`vsm add`, `vsm remove`, `vsm synthesize` and `vsm reindex`: the sources of an engagement, its one map,
and its evidence store."""

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
from agent.mapping import MappingResult, map_transcripts_with_model
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

    reindex = subparsers.add_parser(
        "reindex", help="store every source and interview in the evidence store again (e.g. with another embedder)",
        description="Empty the workspace's evidence store and store every source and interview session again: "
        "after choosing another embedder, after an upgrade, or to repair the store.")
    add_embedder_option(reindex)
    reindex.set_defaults(run=run_reindex)


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
    for note in outcome.notes:
        print(f"vsm: note: {note}", file=sys.stderr)
    for problem in outcome.failed:
        print(f"vsm: error: {problem}", file=sys.stderr)
    print(f"{len(outcome.added)} added, {len(outcome.unchanged)} unchanged, {len(outcome.failed)} failed. "
          "Next: vsm synthesize")
    return 2 if outcome.failed else 0


def _store_evidence(workspace: Workspace, args: argparse.Namespace) -> Callable[[RegisteredSource, Path], None]:
    """Index each added source's turns in the evidence store (for `vsm ask` and the interviewer)."""
    from agent.engagement_evidence import store_source

    opened: list[EvidenceStore] = []

    def store(source: RegisteredSource, _stored: Path) -> None:
        if not opened:
            opened.append(open_evidence_store(workspace, args))
        result = store_source(opened[0], workspace, source, args.interviewer)
        print(f"  stored {result.chunks} passages of {source.id} in the evidence store", file=sys.stderr)

    return store


def open_evidence_store(workspace: Workspace, args: argparse.Namespace, *, empty: bool = False) -> EvidenceStore:
    """The workspace's evidence store, embedded by the same embedder as the checks (MiniLM if none is chosen)."""
    from agent.evidence_store import EvidenceStore
    from agent.semantics import embedder_from_settings

    kind = args.embedder if getattr(args, "embedder", "none") != "none" else "minilm"
    return EvidenceStore.open(workspace.root, embedder=embedder_from_settings(kind), empty=empty)


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
            print(f"  told by {element.corroboration} people: {element.name} [{element.id}]")
    _store_sessions(workspace, args)
    if result.proposals:
        print(f"{len(result.proposals)} uncertain merges left as proposals (decide them at the `vsm synthesize` "
              "prompt in a terminal, with --yes / --no, or in `vsm interview`'s map pane):")
        for proposal in result.proposals[:10]:
            print(f"  {proposal.collection}: {proposal.first_name!r} ~ {proposal.second_name!r} "
                  f"(similarity {proposal.similarity:.2f})")
    print("Next: vsm check, vsm report -o report.html")
    return 0


def _store_sessions(workspace: Workspace, args: argparse.Namespace) -> None:
    """Interview sessions change every turn: synthesis brings their answers into the evidence store too."""
    from agent.engagement_evidence import session_paths, store_sessions

    if not session_paths(workspace):
        return
    indexed = store_sessions(open_evidence_store(workspace, args), workspace)
    for problem in indexed.failed:
        print(f"vsm: note: {problem}", file=sys.stderr)
    changed = [r for r in indexed.stored if not r.unchanged]
    if changed:
        print(f"  stored {sum(r.chunks for r in changed)} passages of {len(changed)} interview session"
              f"{'' if len(changed) == 1 else 's'} in the evidence store", file=sys.stderr)


def run_reindex(args: argparse.Namespace) -> int:
    from agent.engagement_evidence import store_everything

    workspace = current_workspace()
    with workspace.lock():
        store = open_evidence_store(workspace, args, empty=True)
        indexed = store_everything(store, workspace)
    for problem in indexed.failed:
        print(f"vsm: error: {problem}", file=sys.stderr)
    passages = sum(r.chunks for r in indexed.stored)
    print(f"Stored {passages} passages of {len(indexed.stored)} sources and sessions in {store.location} "
          f"(embedder {store.embedder_name}); {len(indexed.failed)} failed.")
    return 2 if indexed.failed else 0


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
