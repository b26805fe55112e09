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
    offline_mapper,
    remove_source,
    synthesize_workspace,
)
from agent.mapping import MappingResult, map_transcripts_with_model
from agent.storage import Workspace
from schemas.elements import Perspective
from schemas.engagement import MergeDecision, MergeProposal, RegisteredSource

if TYPE_CHECKING:
    from agent.evidence_store import AddResult, EvidenceStore


def current_workspace() -> Workspace:
    workspace = Workspace.find(Path.cwd())
    if workspace is None:
        raise EngagementError(f"{Path.cwd()}: not inside a vsm workspace; create one with `vsm init NAME` and cd into it")
    return workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add = subparsers.add_parser("add", help="add transcripts to the workspace's sources and map each one")
    add.add_argument("files", type=Path, nargs="*",
                     help="transcripts to add (none: only finish an add that was cut short)")
    add.add_argument("--stakeholder", help="who speaks for the organisation or the customer in these files")
    add.add_argument("--role", help="the stakeholder's role (e.g. Head of Sales)")
    add.add_argument("--perspective", choices=[p.value for p in Perspective], default="internal",
                     help="internal (the organisation) or customer (a customer's voice); default internal")
    asking = add.add_mutually_exclusive_group()
    asking.add_argument("--interviewer", action="append", default=[], metavar="NAME",
                        help="a speaker who asks the questions (repeatable); their words are never evidence")
    asking.add_argument("--no-interviewer", action="store_true",
                        help="nobody is guessed to ask the questions (a sales call): every speaker's words are evidence")
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
        return (offline_mapper(interviewers=args.interviewer, guess=not args.no_interviewer, embedder=embedder),
                "the offline extractor")
    from agent.llm.cache import ResponseCache

    cache = ResponseCache(workspace.folder("cache") / "llm")

    def with_model(path: Path) -> MappingResult:
        return asyncio.run(map_transcripts_with_model([path], settings=settings, cache=cache,
                                                      interviewers=args.interviewer, guess=not args.no_interviewer,
                                                      embedder=embedder))

    return with_model, f"{settings.provider} model {settings.model}"


def run_add(args: argparse.Namespace) -> int:
    from agent.engagement_adding import add_sources
    from agent.engagement_index import half_added

    workspace = current_workspace()
    if not args.files and not half_added(workspace):
        raise EngagementError("name the transcripts to add: vsm add FILE... (e.g. vsm add calls/*.md)")
    mapper, label = _mapper(args, workspace)
    print(f"Mapping each new source with {label}; its passages are embedded meanwhile.", file=sys.stderr)
    outcome = add_sources(workspace, args.files, stakeholder=args.stakeholder, role=args.role,
                          perspective=Perspective(args.perspective), mapper=mapper,
                          sink=_EvidenceSink(workspace, args), say=_say, progress=_Progress())
    for source in outcome.added:
        stored = outcome.passages.get(source.id)
        passages = f", {stored} passages" if stored is not None else ""
        print(f"added {source.id} ({source.original_path}, {source.perspective.value}{passages})")
    for source in outcome.unchanged:
        print(f"unchanged {source.id} (already added)")
    for note in outcome.notes:
        print(f"vsm: note: {note}", file=sys.stderr)
    for problem in outcome.failed:
        print(f"vsm: error: {problem}", file=sys.stderr)
    print(f"{len(outcome.added)} added, {len(outcome.unchanged)} unchanged, {len(outcome.failed)} failed. "
          "Next: vsm synthesize")
    return 2 if outcome.failed else 0


def _say(line: str) -> None:
    print(f"  {line}", file=sys.stderr, flush=True)


class _Progress:
    """How far each file's embedding is: one line rewritten in a terminal, a line per step otherwise."""

    def __init__(self) -> None:
        self._live = sys.stderr.isatty()

    def __call__(self, name: str, done: int, total: int) -> None:
        line = f"  {name}: embedded {done:,} of {total:,} passages"
        if self._live:
            print(f"\r{line}", end="\n" if done >= total else "", file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)


class _EvidenceSink:
    """The workspace's evidence store for `vsm add`, opened on first use (in the embedding worker)."""

    def __init__(self, workspace: Workspace, args: argparse.Namespace) -> None:
        self._workspace = workspace
        self._args = args
        self._store: EvidenceStore | None = None

    def _opened(self) -> EvidenceStore:
        if self._store is None:
            self._store = open_evidence_store(self._workspace, self._args)
        return self._store

    def store(self, source: RegisteredSource, on_progress: Callable[[int, int], None]) -> AddResult:
        from agent.engagement_evidence import store_source

        store = self._opened()
        if store.source(source.id) is None:
            _say(f"{source.id}: embedding its passages into the evidence store")
        result = store_source(store, self._workspace, source, self._args.interviewer, on_progress=on_progress)
        if not result.unchanged:
            _say(f"stored {result.chunks} passages of {source.id} in the evidence store")
        return result

    def remove(self, source_id: str) -> int:
        return self._opened().remove_source(source_id)


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
    with workspace.adding(on_wait=lambda holder: _say(f"waiting for {holder} to finish with this workspace")):
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
