"""The transcripts behind a map's evidence, found from each source's path, for the review to show.

Paths in a map are written wherever it was made: absolute, relative to the map, the workspace or the
folder `vsm map` ran in. A source that cannot be found or read is a note, not a failure: its quotes
still show in the map; only its transcript is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agent.errors import VsmError
from agent.mapping import USUAL_INTERVIEWERS
from agent.sources import read_transcript
from schemas.elements import Source
from schemas.transcript import Transcript
from schemas.value_map import ValueMap


@dataclass
class MapTranscripts:
    by_source: dict[str, Transcript] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _candidates(source_path: str, bases: Sequence[Path]) -> list[Path]:
    path = Path(source_path)
    if path.is_absolute():  # where it was, else a file of that name where the person says they are now
        return [path] + [base / path.name for base in bases]
    return [base / path for base in bases] + [base / path.name for base in bases]


def _read(path: Path, source: Source) -> Transcript:
    if path.suffix == ".jsonl":  # an interview session: its conversation laid out as a transcript
        from agent.engagement_evidence import session_transcript

        transcript, _ = session_transcript(path)
        return transcript.model_copy(update={"source_id": source.id})
    asking = [*USUAL_INTERVIEWERS, *(p.name for p in source.stakeholders if p.interviewer)]
    return read_transcript(path, source_id=source.id, interviewers=asking)


def load_transcripts(value_map: ValueMap, map_path: Path, *, workspace_root: Path | None = None,
                     search: Sequence[Path] = ()) -> MapTranscripts:
    """Each source's transcript; `search` adds folders to look in (the transcripts were moved)."""
    folder = map_path.resolve().parent
    bases = [*search, folder, *folder.parents[:3], *([workspace_root] if workspace_root else []), Path.cwd()]
    found = MapTranscripts()
    for source in value_map.sources:
        if not source.path:
            found.notes.append(f"source {source.id!r} names no file: its quotes show, not its transcript")
            continue
        path = next((p for p in _candidates(source.path, bases) if p.is_file()), None)
        if path is None:
            found.notes.append(f"source {source.id!r}: {source.path} not found; pass --transcripts FOLDER to say "
                               "where it is")
            continue
        try:
            transcript = _read(path, source)
        except VsmError as err:
            found.notes.append(f"source {source.id!r}: {err}")
            continue
        found.by_source[source.id] = transcript
        moved = _quotes_not_at_their_span(value_map, transcript)
        if moved:
            found.notes.append(f"source {source.id!r}: {moved} quote{'s' if moved > 1 else ''} no longer match {path} at "
                               "their place (was the file edited after mapping?); their highlights may be off")
    return found


def _quotes_not_at_their_span(value_map: ValueMap, transcript: Transcript) -> int:
    text = transcript.text
    return sum(1 for element in value_map.elements() for q in element.verified_evidence
               if q.source_id == transcript.source_id and q.start is not None and q.end is not None
               and text[q.start : q.end] != q.text)
