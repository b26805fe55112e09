"""The workspace's sources and interview sessions, kept in step with its evidence store.

`vsm add` stores each added transcript, `vsm synthesize` each interview session (they change every
turn), and `vsm reindex` everything again (after changing the embedder, or to repair the store). A
session's passages are its stakeholder's answers; the interviewer's questions are stored as
interviewer turns, which retrieval leaves out, as for any transcript.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from agent.engagement_index import half_added, load_index
from agent.errors import VsmError
from agent.storage import Workspace
from schemas.engagement import RegisteredSource
from schemas.transcript import Transcript

if TYPE_CHECKING:
    from agent.evidence_store import AddResult, EvidenceStore
    from schemas.interview import MetaEvent

@dataclass
class Indexed:
    """What storing a set of sources did: one result per source stored, one line per source that failed."""

    stored: list[AddResult] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def source_transcript(workspace: Workspace, source: RegisteredSource, interviewers: Sequence[str] = ()) -> Transcript:
    """A registered source's transcript as `vsm add` copied it, its interviewers marked."""
    from agent.mapping import USUAL_INTERVIEWERS
    from agent.sources import read_transcript

    asking = [*USUAL_INTERVIEWERS, *interviewers, *(p.name for p in source.stakeholders if p.interviewer)]
    return read_transcript(workspace.folder("sources") / source.file, source_id=source.id, interviewers=asking)


def store_source(store: EvidenceStore, workspace: Workspace, source: RegisteredSource,
                 interviewers: Sequence[str] = (), on_progress: Callable[[int, int], None] | None = None) -> AddResult:
    roles = {p.name: p.role for p in source.stakeholders if p.role}
    return store.add_transcript(source_transcript(workspace, source, interviewers), source_id=source.id,
                                speaker_roles=roles, perspective=source.perspective.value,
                                content_hash=source.content_hash, on_progress=on_progress)


@dataclass(frozen=True)
class StoreCoverage:
    """How much of the workspace's registered sources a store holds, and what an add left half done."""

    sources: int
    missing: list[str]
    missing_passages: int
    half_added: list[str]

    def advice(self, location: str) -> str | None:
        """One line saying what is missing and the command that fixes it; None when nothing is."""
        if self.half_added:
            names = ", ".join(self.half_added)
            return (f"{names}: a `vsm add` stopped before storing all its passages, so it is not added yet and "
                    "left out of answers; run `vsm add` to finish it")
        if self.missing:
            names = ", ".join(self.missing[:5]) + (", ..." if len(self.missing) > 5 else "")
            return (f"the evidence store at {location} lacks {self.missing_passages:,} passages of "
                    f"{len(self.missing)} of the workspace's {self.sources} sources ({names}); "
                    "run `vsm reindex` to store them")
        return None


def store_coverage(store: EvidenceStore, workspace: Workspace) -> StoreCoverage:
    """Which registered sources the store lacks (in whole or in part) and how many passages that is.

    One small read per source (its own chunks' metadata); a missing source's transcript is chunked,
    not embedded, to count its passages.
    """
    from agent.evidence_store import chunk_transcript

    sources = load_index(workspace).sources
    missing: list[str] = []
    passages = 0
    for source in sources:
        stored = store.source(source.id)
        if stored is not None and stored.complete and stored.content_hash == source.content_hash:
            continue
        missing.append(source.id)
        try:
            expected = len(chunk_transcript(source_transcript(workspace, source)))
        except (VsmError, OSError):
            continue
        held = stored.chunks if stored is not None and stored.content_hash == source.content_hash else 0
        passages += max(0, expected - held)
    return StoreCoverage(sources=len(sources), missing=missing, missing_passages=passages,
                         half_added=[source.id for source in half_added(workspace)])


def session_paths(workspace: Workspace) -> list[Path]:
    return sorted(workspace.folder("sessions").glob("*.jsonl"))


def session_transcript(path: Path) -> tuple[Transcript, MetaEvent]:
    """A session's conversation as a transcript, and who was interviewed."""
    from agent.interview.session_log import read_session
    from agent.interview.session_state import SessionState

    events, _ = read_session(path)
    state = SessionState.from_events(events)
    return state.transcript(), state.meta


def store_session(store: EvidenceStore, path: Path) -> AddResult | None:
    """Store a session's conversation (None when it has no answer yet); unchanged sessions cost nothing."""
    transcript, meta = session_transcript(path)
    if not any(not turn.interviewer for turn in transcript.turns):
        return None
    speaker = next(turn.speaker for turn in transcript.turns if not turn.interviewer)
    content_hash = hashlib.sha256(transcript.text.encode("utf-8")).hexdigest()
    return store.add_transcript(transcript, source_id=transcript.source_id,
                                speaker_roles={speaker: meta.role} if speaker and meta.role else None,
                                perspective=meta.perspective.value, content_hash=content_hash)


def store_sessions(store: EvidenceStore, workspace: Workspace) -> Indexed:
    indexed = Indexed()
    for path in session_paths(workspace):
        try:
            result = store_session(store, path)
        except VsmError as err:
            indexed.failed.append(str(err))
            continue
        if result is not None:
            indexed.stored.append(result)
    return indexed


def store_everything(store: EvidenceStore, workspace: Workspace, interviewers: Sequence[str] = ()) -> Indexed:
    """Every registered source and every session; a source that fails does not stop the others."""
    indexed = Indexed()
    for source in load_index(workspace).sources:
        try:
            indexed.stored.append(store_source(store, workspace, source, interviewers))
        except (VsmError, OSError) as err:
            indexed.failed.append(f"{source.id}: {err}")
    sessions = store_sessions(store, workspace)
    indexed.stored += sessions.stored
    indexed.failed += sessions.failed
    return indexed


def workspace_transcripts(workspace: Workspace, source_ids: Sequence[str]) -> tuple[dict[str, Transcript], list[str]]:
    """The transcripts behind stored passages (sources and sessions), to verify quotes against.

    Returns them by source id, and a note for each that cannot be read (its quotes stay unverified).
    """
    registered = {s.id: s for s in load_index(workspace).sources}
    sessions = {path.stem: path for path in session_paths(workspace)}
    transcripts: dict[str, Transcript] = {}
    notes: list[str] = []
    for source_id in dict.fromkeys(source_ids):
        try:
            if source_id in registered:
                transcripts[source_id] = source_transcript(workspace, registered[source_id])
            elif source_id in sessions:
                transcripts[source_id] = session_transcript(sessions[source_id])[0]
            else:
                notes.append(f"{source_id}: no longer in the workspace; quotes from it cannot be verified "
                             "(`vsm reindex` drops it from the evidence store)")
        except (VsmError, OSError) as err:
            notes.append(f"{source_id}: {err}; quotes from it cannot be verified")
    return transcripts, notes
