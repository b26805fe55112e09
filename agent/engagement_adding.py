"""`vsm add` as a pipeline: each file is mapped while the one before it is embedded, and registered only once stored.

A source counts as added when its map is saved *and* its passages are in the evidence store; only then
is it written into `sources/index.json`. Until then it is recorded in `.vsm/adding/<id>.json`, so an add
killed half-way (kill -9, a power cut) leaves a record that the next `vsm add` finds: it takes the
half-added source's copy, map and passages away again, and adds the file anew if it is still there.
Nothing else ever sees a half-added source: `vsm ask` leaves its passages out.

`vsm add` holds the workspace's add lock from start to end (a second `vsm add` waits its turn, and says
so) and the workspace lock only for each short write, so an interview or a synthesis goes on meanwhile.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from agent.engagement import (
    AddOutcome,
    Mapper,
    as_source_map,
    load_index,
    offline_mapper,
    save_index,
    source_stakeholders,
)
from agent.engagement_index import HALF_ADDED, half_added
from agent.errors import VsmError
from agent.regular_files import FileProblem, read_regular_file
from agent.sources.reading import MAX_TRANSCRIPT_BYTES, TOO_LARGE_FIX
from agent.storage import Workspace, save_map, write_text_atomic
from agent.storage.atomic import write_bytes_atomic
from agent.storage.workspace import MARKER
from schemas.elements import Perspective
from schemas.engagement import RegisteredSource

if TYPE_CHECKING:
    from agent.evidence_store import AddResult

#: A workspace's own folders: nothing in them is a transcript to add.
OWN_FOLDERS = ("sources", "maps", "sessions", "cache", "chroma", ".vsm")

Progress = Callable[[int, int], None]


class EvidenceSink(Protocol):
    """Where an added source's passages go (the evidence store), opened only when first needed."""

    def store(self, source: RegisteredSource, on_progress: Progress) -> AddResult: ...

    def remove(self, source_id: str) -> int: ...


@dataclass(frozen=True)
class _Job:
    """A source handed to the embedding worker: new (registered once stored) or already registered."""

    source: RegisteredSource
    shown_as: str
    new: bool


def is_workspace_file(workspace: Workspace, path: Path) -> bool:
    """The workspace's own files (its marker, index, maps, sessions, caches) are never transcripts."""
    resolved, root = path.resolve(), workspace.root.resolve()
    if resolved == root / MARKER:
        return True
    return any(resolved.is_relative_to(root / folder) for folder in OWN_FOLDERS)


def source_ids(paths: Sequence[Path], taken: set[str]) -> list[str]:
    """An id per file: its name, with the folder names that tell it apart where names repeat.

    `acme/interview.md` and `globex/interview.md` become `acme-interview` and `globex-interview`, so a
    citation still says whose interview it was, and so does a later `initech/interview.md`; only where
    folders do not tell them apart is a number added.
    """
    stems = [_slug(path.stem) or "source" for path in paths]
    repeated = Counter(stems)
    chosen: list[str] = []
    used = set(taken)
    for path, stem in zip(paths, stems, strict=True):
        candidate = stem
        if repeated[stem] > 1 or stem in used or any(other.endswith(f"-{stem}") for other in taken):
            siblings = [p for p, s in zip(paths, stems, strict=True) if s == stem and p != path]
            candidate = _with_folders(path, stem, siblings, used)
        base, n = candidate, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        chosen.append(candidate)
    return chosen


def _with_folders(path: Path, stem: str, siblings: Sequence[Path], used: set[str]) -> str:
    folders = [parent.name for parent in path.resolve().parents if parent.name][:3]
    for depth in range(1, len(folders) + 1):
        candidate = _slug("-".join([*reversed(folders[:depth]), stem]))
        others = {_slug("-".join([*reversed([p.name for p in s.resolve().parents if p.name][:depth]), stem]))
                  for s in siblings}
        if candidate not in others and candidate not in used:
            return candidate
    return stem


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")


def add_sources(
    workspace: Workspace,
    paths: Sequence[Path],
    *,
    stakeholder: str | None = None,
    role: str | None = None,
    perspective: Perspective = Perspective.INTERNAL,
    mapper: Mapper | None = None,
    sink: EvidenceSink | None = None,
    say: Callable[[str], None] = lambda _line: None,
    progress: Callable[[str, int, int], None] | None = None,
) -> AddOutcome:
    """Copy, map, store and register each file; the same file added again is left as it is.

    Mapping runs here while a worker thread embeds and stores the previous file's passages (`sink`),
    then registers it. `say` hears what happens, a line at a time; `progress(name, done, total)` hears
    how far the embedding of a file is.
    """
    outcome = AddOutcome()
    with workspace.adding(on_wait=lambda holder: say(f"waiting for {holder} to finish with this workspace "
                                                     "(this add starts when it does)")):
        files = _finish_half_added(workspace, list(paths), sink, outcome)
        index = load_index(workspace)
        known = {source.content_hash: source for source in index.sources}
        wanted: list[tuple[Path, str, bytes]] = []  # the bytes read and hashed are the bytes stored
        for path in dict.fromkeys(files):
            if is_workspace_file(workspace, path):
                outcome.notes.append(f"{path}: skipped; it is this workspace's own file, not a transcript")
                continue
            try:
                content = read_regular_file(path, max_bytes=MAX_TRANSCRIPT_BYTES, too_large_fix=TOO_LARGE_FIX)
            except FileProblem as problem:
                if problem.problem.startswith("is a directory"):
                    outcome.failed.append(f"{path}: is a folder; name the transcripts in it (e.g. {path}/*.md)")
                else:
                    outcome.failed.append(f"{path}: {problem}")
                continue
            digest = hashlib.sha256(content).hexdigest()
            if digest in known:
                outcome.unchanged.append(known[digest])
                continue
            if any(digest == other for _, other, _ in wanted):
                continue  # the same content twice in one add
            wanted.append((path, digest, content))
        ids = source_ids([path for path, _, _ in wanted], {s.id for s in index.sources})
        jobs: list[tuple[_Job, Future[AddResult | None]]] = []
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vsm-embed") as worker:
            try:
                for source in outcome.unchanged if sink is not None else []:
                    job = _Job(source, source.id, new=False)
                    jobs.append((job, worker.submit(_store_and_register, workspace, job, sink, progress)))
                for (path, digest, content), source_id in zip(wanted, ids, strict=True):
                    registered = _map_one(workspace, path, content, source_id, digest, stakeholder=stakeholder, role=role,
                                          perspective=perspective, mapper=mapper, outcome=outcome, say=say)
                    if registered is not None:
                        job = _Job(registered, registered.id, new=True)
                        jobs.append((job, worker.submit(_store_and_register, workspace, job, sink, progress)))
            except BaseException:
                for _, future in jobs:
                    future.cancel()  # what was not started stays half added: the next `vsm add` finishes it
                raise
        _collect(workspace, jobs, sink, outcome, say)
    return outcome


def _map_one(
    workspace: Workspace, path: Path, content: bytes, source_id: str, digest: str, *, stakeholder: str | None,
    role: str | None,
    perspective: Perspective, mapper: Mapper | None, outcome: AddOutcome, say: Callable[[str], None],
) -> RegisteredSource | None:
    """Copy and map one file, recorded as half added first; None (and a failure line) when it cannot be mapped."""
    stored = workspace.folder("sources") / f"{source_id}{path.suffix.lower()}"
    map_file = f"maps/sources/{source_id}.json"
    registered = RegisteredSource(id=source_id, file=stored.name, original_path=str(path), title=path.name,
                                  perspective=perspective, stakeholders=[], content_hash=digest,
                                  added=datetime.now(UTC), map_file=map_file)
    _record_half_added(workspace, registered)
    write_bytes_atomic(stored, content)  # what was read (and hashed) once, not the file read again
    try:
        result = (mapper or offline_mapper())(stored)
    except VsmError as err:
        _roll_back(workspace, registered, sink=None)
        outcome.failed.append(str(err).replace(stored.name, path.name))
        return None
    people, note = source_stakeholders(result.transcripts[0], stakeholder, role, shown_as=path.name)
    if note:
        outcome.notes.append(note)
    value_map = as_source_map(result.value_map, source_id, stored, perspective, people)
    save_map(workspace.root / map_file, value_map)
    registered = registered.model_copy(update={"stakeholders": people})
    _record_half_added(workspace, registered)
    say(f"{path}: mapped as {source_id} ({value_map.element_count()} elements)")
    return registered


def _store_and_register(workspace: Workspace, job: _Job, sink: EvidenceSink | None,
                        progress: Callable[[str, int, int], None] | None) -> AddResult | None:
    """The worker's part: store the passages, then (for a new source) register it: now it is added."""
    def on_progress(done: int, total: int) -> None:
        if progress is not None:
            progress(job.shown_as, done, total)

    result = sink.store(job.source, on_progress) if sink is not None else None
    if job.new:
        with workspace.lock():
            index = load_index(workspace)
            index.sources = [s for s in index.sources if s.id != job.source.id] + [job.source]
            save_index(workspace, index)
        (workspace.root / HALF_ADDED / f"{job.source.id}.json").unlink(missing_ok=True)
    return result


def _collect(workspace: Workspace, jobs: list[tuple[_Job, Future[AddResult | None]]], sink: EvidenceSink | None,
             outcome: AddOutcome, say: Callable[[str], None]) -> None:
    for job, future in jobs:
        try:
            result = future.result()
        except (VsmError, OSError) as err:
            if job.new:
                _roll_back(workspace, job.source, sink)
                outcome.failed.append(f"{job.shown_as}: its passages could not be stored ({err}); nothing of it "
                                      "was added; fix that and add it again")
            else:
                outcome.failed.append(f"{job.source.id}: missing from the evidence store, and storing it failed "
                                      f"({err}); run `vsm reindex`")
            continue
        if job.new:
            outcome.added.append(job.source)
            if result is not None:
                outcome.passages[job.source.id] = result.chunks
        elif result is not None and not result.unchanged:
            outcome.restored[job.source.id] = result.chunks
            say(f"{job.source.id}: its {result.chunks} passages were missing from the evidence store; stored them")


def _record_half_added(workspace: Workspace, source: RegisteredSource) -> None:
    write_text_atomic(workspace.root / HALF_ADDED / f"{source.id}.json", source.model_dump_json(indent=2) + "\n")


def _roll_back(workspace: Workspace, source: RegisteredSource, sink: EvidenceSink | None) -> None:
    """Take a half-added source away again: its passages, its copy, its map, then its record."""
    if sink is not None:
        sink.remove(source.id)
    (workspace.folder("sources") / source.file).unlink(missing_ok=True)
    if source.map_file:
        (workspace.root / source.map_file).unlink(missing_ok=True)
    (workspace.root / HALF_ADDED / f"{source.id}.json").unlink(missing_ok=True)


def _finish_half_added(workspace: Workspace, files: list[Path], sink: EvidenceSink | None,
                       outcome: AddOutcome) -> list[Path]:
    """Roll back what an earlier add left half done; the files to add, with those still there added again."""
    registered = {source.id for source in load_index(workspace).sources}
    asked = {path.resolve() for path in files}
    for source in half_added(workspace):
        if source.id in registered:  # stopped between registering and clearing its record: it is added
            (workspace.root / HALF_ADDED / f"{source.id}.json").unlink(missing_ok=True)
            continue
        _roll_back(workspace, source, sink)
        original = Path(source.original_path)
        still_there = original.is_file() and hashlib.sha256(original.read_bytes()).hexdigest() == source.content_hash
        if still_there and original.resolve() not in asked:
            files.append(original)
        outcome.notes.append(
            f"{source.title}: an earlier `vsm add` stopped before its passages were stored; "
            + ("it is added again now" if still_there else
               f"what it left was removed; the file is gone or changed, so add it again: vsm add {original}")
        )
    return files
