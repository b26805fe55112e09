"""An engagement in a workspace: add sources, map each one, synthesise the engagement map.

The I/O edge for issue "many stakeholders, one map": files are copied into `sources/`, registered in
`sources/index.json`, mapped into `maps/sources/<id>.json`; interview sessions in `sessions/` count as
sources too. A source that fails does not stop the others; each failure is reported at the end. Adding
itself (the pipeline, and finishing an add that was cut short) is in `engagement_adding`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from agent.checks.divergence import TextEmbedder
from agent.engagement_index import INDEX, EngagementError, load_index, save_index
from agent.errors import VsmError
from agent.interview.session_log import read_session
from agent.interview.session_state import SessionState
from agent.mapping import MappingResult, map_transcripts
from agent.sources.speaker_roles import roles_of
from agent.storage import Workspace, load_map, write_text_atomic
from agent.synthesis import Synthesis, synthesize
from schemas.elements import Perspective, Stakeholder
from schemas.engagement import (
    MergeDecision,
    MergeDecisions,
    MergeProposal,
    PendingMerges,
    RegisteredSource,
)
from schemas.transcript import Transcript
from schemas.value_map import ELEMENT_COLLECTIONS, ValueMap

__all__ = [  # the register's names stay importable from here, where they used to live
    "DECISIONS", "INDEX", "PROPOSALS", "AddOutcome", "EngagementError", "Mapper", "as_source_map", "load_decisions",
    "load_index", "offline_mapper", "pending_merges", "record_decisions", "remove_source", "save_index",
    "source_maps", "source_stakeholders", "synthesize_workspace",
]

DECISIONS = "maps/merge-decisions.json"
PROPOSALS = "maps/merge-proposals.json"


@dataclass
class AddOutcome:
    added: list[RegisteredSource] = field(default_factory=list)
    unchanged: list[RegisteredSource] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line each: file, problem, fix
    notes: list[str] = field(default_factory=list)  # added, but something the user asked for did not apply
    passages: dict[str, int] = field(default_factory=dict)  # passages stored, by source added
    restored: dict[str, int] = field(default_factory=dict)  # passages stored again, by source already added


Mapper = Callable[[Path], MappingResult]


def offline_mapper(*, interviewers: Sequence[str] = (), guess: bool = True,
                   embedder: TextEmbedder | None = None) -> Mapper:
    return lambda path: map_transcripts([path], title=f"Map of {path.name}", interviewers=interviewers, guess=guess,
                                        embedder=embedder)


def source_stakeholders(transcript: Transcript, stakeholder: str | None, role: str | None, *,
                  shown_as: str) -> tuple[list[Stakeholder], str | None]:
    """The source's people; `--stakeholder` names one of its speakers (in full, or by a first name only they
    have). Where it names none, the person is still recorded, and the note says why no turn is theirs."""
    speakers = transcript.speakers
    asking = {t.speaker for t in transcript.turns if t.interviewer and t.speaker}
    wanted = " ".join((stakeholder or "").split()).casefold()
    match = next((s for s in speakers if s.casefold() == wanted), None)
    if match is None and wanted:
        by_first_name = [s for s in speakers if s.casefold().split()[:len(wanted.split())] == wanted.split()]
        match = by_first_name[0] if len(by_first_name) == 1 else None
    labelled = roles_of(transcript)  # `Name (Role):` keeps the role its label gave
    people = [Stakeholder(name=s, role=role if s == match else labelled.get(s), interviewer=s in asking)
              for s in speakers]
    if not stakeholder or match is not None:
        return people, None
    people.append(Stakeholder(name=stakeholder, role=role))
    if not speakers:
        return people, (f"{shown_as}: has no speaker names, so no turn is {stakeholder}'s; its passages show as "
                        "an unnamed speaker (label the speakers, e.g. `Name: words`, and add it again)")
    return people, (f"{shown_as}: {stakeholder!r} is not one of its speakers ({', '.join(speakers)}); recorded as "
                    "a stakeholder of the source, but no turn carries the role; use a speaker's name")


def as_source_map(value_map: ValueMap, source_id: str, stored: Path, perspective: Perspective,
               people: list[Stakeholder]) -> ValueMap:
    """The per-source map, its one source carrying the workspace's id, path, perspective and people."""
    (source,) = value_map.sources
    renamed = source.model_copy(update={"id": source_id, "path": f"sources/{stored.name}", "perspective": perspective,
                                        "stakeholders": people, "title": stored.name})
    document = value_map.model_dump()
    document["sources"] = [renamed.model_dump()]
    for collection in ELEMENT_COLLECTIONS:
        for element in document[collection]:
            for quote in element["evidence"]:
                quote["source_id"] = source_id
            for improvement in element.get("improvements", []):
                for quote in improvement["evidence"]:
                    quote["source_id"] = source_id
    return ValueMap.model_validate(document)


def remove_source(workspace: Workspace, source_id: str) -> RegisteredSource:
    with workspace.lock():
        index = load_index(workspace)
        source = index.get(source_id)
        if source is None:
            known = ", ".join(s.id for s in index.sources) or "none yet"
            raise EngagementError(f"no source {source_id!r} in this workspace (sources: {known})")
        (workspace.folder("sources") / source.file).unlink(missing_ok=True)
        if source.map_file:
            (workspace.root / source.map_file).unlink(missing_ok=True)
        index.sources = [s for s in index.sources if s.id != source_id]
        save_index(workspace, index)
        (workspace.root / PROPOSALS).unlink(missing_ok=True)  # may name its elements; synthesis asks anew
    return source


def source_maps(workspace: Workspace) -> tuple[list[ValueMap], list[str]]:
    """Every per-source map and every interview session's map, with a note for each that failed."""
    maps: list[ValueMap] = []
    notes: list[str] = []
    for source in load_index(workspace).sources:
        if source.map_file:
            try:
                maps.append(load_map(workspace.root / source.map_file))
            except VsmError as err:
                notes.append(str(err))
    for session in sorted(workspace.folder("sessions").glob("*.jsonl")):
        try:
            events, _ = read_session(session)
        except VsmError as err:
            notes.append(str(err))
            continue
        state = SessionState.from_events(events)
        if state.value_map.element_count():
            maps.append(state.value_map)
    return maps, notes


def load_decisions(workspace: Workspace) -> MergeDecisions:
    path = workspace.root / DECISIONS
    if not path.exists():
        return MergeDecisions()
    try:
        return MergeDecisions.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError:
        raise EngagementError(f"{path}: is damaged; remove it and decide the merges again "
                              "(`vsm synthesize`)") from None


def pending_merges(workspace: Workspace) -> list[MergeProposal]:
    """The merges the last synthesis was unsure of and nobody has decided yet."""
    path = workspace.root / PROPOSALS
    if not path.exists():
        return []
    try:
        proposals = PendingMerges.model_validate_json(path.read_text(encoding="utf-8")).proposals
    except ValidationError:
        return []  # only a list of questions: `vsm synthesize` writes it again
    decided = load_decisions(workspace).decisions
    return [p for p in proposals if p.key not in decided]


def record_decisions(workspace: Workspace, decided: dict[str, MergeDecision]) -> None:
    """Add a person's merge decisions to the workspace's (read, changed and written under the lock)."""
    if not decided:
        return
    with workspace.lock():
        decisions = load_decisions(workspace)
        decisions.decisions.update(decided)
        write_text_atomic(workspace.root / DECISIONS, decisions.model_dump_json(indent=2) + "\n")


def synthesize_workspace(
    workspace: Workspace,
    *,
    embedder: TextEmbedder | None,
    decide: Callable[[MergeProposal], MergeDecision | None] | None = None,
) -> tuple[Synthesis, list[str]]:
    """Build maps/map.json from every source; uncertain merges go to `decide` (None: leave proposed).

    The proposals still undecided are kept in maps/merge-proposals.json, where the interview's map
    pane finds them.
    """
    maps, notes = source_maps(workspace)
    if not maps:
        raise EngagementError(f"{workspace.root}: no sources mapped yet; add some with `vsm add FILES`")
    title = f"{workspace.name}: engagement map"
    result = synthesize(maps, title=title, embedder=embedder, decisions=load_decisions(workspace))
    if decide is not None and result.proposals:
        decided = {p.key: choice for p in result.proposals if (choice := decide(p)) is not None}
        record_decisions(workspace, decided)
        result = synthesize(maps, title=title, embedder=embedder, decisions=load_decisions(workspace))
    workspace.save_map(result.value_map)
    with workspace.lock():
        write_text_atomic(workspace.root / PROPOSALS,
                          PendingMerges(proposals=result.proposals).model_dump_json(indent=2) + "\n")
    return result, notes
