"""Transcripts to a map, top to bottom: read -> extract -> ground and assemble -> check.

This is the path `vsm map` and `vsm demo` drive. It chooses the extractor (a configured model, or the
offline rules, and says which), and returns the map with everything a run summary needs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from agent.assembly import AssemblyStats, assemble_map
from agent.checks import check_map
from agent.checks.divergence import TextEmbedder
from agent.extraction.offline import OFFLINE_EXTRACTOR_VERSION, extract_offline
from agent.extraction.offline.typer.model import SentenceTyper
from agent.sources import read_transcript
from agent.sources.errors import TranscriptError
from agent.sources.speaker_roles import (
    guess_interviewers,
    mark_interviewers,
    not_a_conversation,
    resolve_speakers,
    roles_of,
)
from schemas.elements import Perspective
from schemas.evidence import ProposedBy, Provenance

if TYPE_CHECKING:
    from agent.extraction.model_extractor import ExtractionPlan, ExtractionProgress, ExtractionStats
    from agent.llm.cache import ResponseCache
    from agent.llm.settings import LLMSettings
from schemas.extraction import DraftMap
from schemas.findings import CheckReport
from schemas.transcript import Transcript
from schemas.value_map import ValueMap

# Speakers with these names ask the questions; their words are never evidence.
USUAL_INTERVIEWERS = ("interviewer", "consultant", "moderator", "facilitator")


@dataclass(frozen=True)
class Perspectives:
    """Whose side each voice is on: the sources' default, exceptions by source id, and speakers who are
    customer-side wherever they speak (the client in a sales call). The checks need it: a map told only
    from inside the organisation is its narrative of value, not the customer's experience."""

    default: Perspective = Perspective.INTERNAL
    by_source: Mapping[str, Perspective] = field(default_factory=dict)
    customers: Sequence[str] = ()

    def apply(self, value_map: ValueMap) -> ValueMap:
        customers = {name.casefold() for name in self.customers}
        sources = []
        for source in value_map.sources:
            people = [p.model_copy(update={"perspective": Perspective.CUSTOMER})
                      if p.name.casefold() in customers and not p.interviewer else p for p in source.stakeholders]
            sources.append(source.model_copy(update={
                "perspective": self.by_source.get(source.id, self.default), "stakeholders": people}))
        return value_map.model_copy(update={"sources": sources})

    def customer_speakers(self, transcript: Transcript) -> frozenset[str]:
        """The speakers of `transcript` on the customer's side: all of them in a customer-side source, else those
        named customer-side wherever they speak (`--customer`)."""
        if self.by_source.get(transcript.source_id, self.default) is Perspective.CUSTOMER:
            return frozenset(transcript.speakers)
        named = {name.casefold() for name in self.customers}
        return frozenset(s for s in transcript.speakers if s.casefold() in named)


@dataclass
class MappingResult:
    value_map: ValueMap
    report: CheckReport
    transcripts: list[Transcript]
    assembly: AssemblyStats
    extractor: str
    elapsed_seconds: float
    model_stats: list[ExtractionStats] = field(default_factory=list)
    asking: dict[str, str] = field(default_factory=dict)  # who was taken to ask the questions -> why


Progress = Callable[[str], None]


def _source_ids(paths: Sequence[Path]) -> list[str]:
    """Readable, unique source ids: the file's stem, with its folder where two files share a name."""
    stems = [re.sub(r"[^A-Za-z0-9._-]+", "-", p.stem).strip("-") or "source" for p in paths]
    ids: list[str] = []
    for path, stem in zip(paths, stems, strict=True):
        candidate = stem
        if stems.count(stem) > 1:
            folder = re.sub(r"[^A-Za-z0-9._-]+", "-", path.resolve().parent.name).strip("-")
            candidate = f"{folder}-{stem}" if folder else stem
        base, n = candidate, 2
        while candidate in ids:
            candidate, n = f"{base}-{n}", n + 1
        ids.append(candidate)
    return ids


def read_sources(paths: Sequence[Path], *, interviewers: Sequence[str] = (), guess: bool = True) -> list[Transcript]:
    return read_conversations(paths, interviewers=interviewers, guess=guess)[0]


def read_conversations(
    paths: Sequence[Path], *, interviewers: Sequence[str] = (), guess: bool = True
) -> tuple[list[Transcript], dict[str, str]]:
    """Read and check every file, and settle who asks the questions: the speakers named (by full label,
    name or a first name only they have; a name matching nobody is an error), else the usual titles
    (Interviewer, Moderator, ...), else whoever a transcript shows mostly asking (`guess_interviewers`), unless
    `guess` is off (`--no-interviewer`: in a sales call the seller asks, and their words are evidence).
    Returns the transcripts and, for each speaker taken to ask, why."""
    transcripts = []
    for path, source_id in zip(paths, _source_ids(paths), strict=True):
        transcript = read_transcript(path, source_id=source_id, interviewers=[*USUAL_INTERVIEWERS, *interviewers])
        refusal = not_a_conversation(transcript)
        if refusal is not None:
            raise TranscriptError(path.name or str(path), *refusal)
        transcripts.append(transcript)
    named = resolve_speakers(interviewers, transcripts, option="--interviewer")
    asking: dict[str, str] = {}
    for i, transcript in enumerate(transcripts):
        for turn in transcript.turns:
            if turn.interviewer and turn.speaker:
                asking.setdefault(turn.speaker, "named with --interviewer" if turn.speaker in named
                                  else f"labelled {turn.role}" if turn.role else "an interviewer's title")
        chosen = [s for s in named if s in transcript.speakers]
        for speaker in chosen:
            asking[speaker] = "named with --interviewer"
        guesses = [] if chosen or not guess else guess_interviewers(transcript)
        for guessed in guesses:
            asking.setdefault(guessed.speaker, guessed.reason)
        transcripts[i] = mark_interviewers(transcript, chosen + [g.speaker for g in guesses])
    return transcripts, asking


def map_transcripts(
    paths: Sequence[Path],
    *,
    title: str = "",
    interviewers: Sequence[str] = (),
    guess: bool = True,
    embedder: TextEmbedder | None = None,
    progress: Progress | None = None,
    perspectives: Perspectives | None = None,
    typer: SentenceTyper | None = None,
) -> MappingResult:
    """Map transcripts with the offline extractor: deterministic, no model, no network. `typer` replaces the
    bundled sentence typer (the benchmark's leave-one-out figures)."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    transcripts, asking = read_conversations(paths, interviewers=interviewers, guess=guess)
    perspectives = _resolved(perspectives, transcripts)
    pieces: list[tuple[DraftMap, Transcript]] = []
    for transcript in transcripts:
        say(f"extracting {transcript.path or transcript.source_id} offline ({len(transcript.turns)} turns)")
        customers = perspectives.customer_speakers(transcript) if perspectives else frozenset()
        pieces.append((extract_offline(transcript, customers, typer=typer), transcript))
    provenance = Provenance(proposed_by=ProposedBy.OFFLINE_EXTRACTOR, prompt=OFFLINE_EXTRACTOR_VERSION)
    result = finish_mapping(pieces, transcripts, provenance=provenance, title=title, embedder=embedder,
                            extractor=f"offline rules ({OFFLINE_EXTRACTOR_VERSION})", started=started, say=say,
                            perspectives=perspectives)
    result.asking = asking
    return result


async def map_transcripts_with_model(
    paths: Sequence[Path],
    *,
    settings: LLMSettings,
    cache: ResponseCache | None,
    title: str = "",
    interviewers: Sequence[str] = (),
    guess: bool = True,
    embedder: TextEmbedder | None = None,
    progress: Progress | None = None,
    on_chunk: Callable[[str, ExtractionProgress], None] | None = None,
    perspectives: Perspectives | None = None,
) -> MappingResult:
    """Map transcripts with the configured model; chunks already answered come from the cache.

    Every file's chunks run at once under one `max_concurrency` and one token budget (`RunLimits`), and
    the drafts are assembled in file and chunk order, so the map never depends on which call came back
    first. `on_chunk` hears every chunk event with the run's totals: chunks done of all files' chunks."""
    import asyncio

    from agent.extraction.chunking import chunk_transcript
    from agent.extraction.model_extractor import ExtractionStoppedError, RunLimits, extract_with_model

    say = progress or (lambda _message: None)
    started = time.perf_counter()
    transcripts, asking = read_conversations(paths, interviewers=interviewers, guess=guess)
    perspectives = _resolved(perspectives, transcripts)
    limits = RunLimits.from_settings(settings)
    totals = _RunProgress({t.source_id: len(chunk_transcript(t, settings.chunk_tokens)) for t in transcripts},
                          on_chunk)
    say(f"extracting {len(transcripts)} file(s), {sum(totals.chunks.values())} chunks, with {settings.model} "
        f"(at most {settings.max_concurrency} calls at once)")
    outcomes = await asyncio.gather(
        *(extract_with_model(t, settings=settings, cache=cache, limits=limits, on_progress=totals.for_source(t.source_id))
          for t in transcripts),
        return_exceptions=True)
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    if failures:  # the failure that stopped the run, not the files it stopped
        raise next((f for f in failures if not isinstance(f, ExtractionStoppedError)), failures[0])
    pieces: list[tuple[DraftMap, Transcript]] = []
    stats: list[ExtractionStats] = []
    prompt_id = ""
    for transcript, extraction in zip(transcripts, outcomes, strict=True):
        assert not isinstance(extraction, BaseException)
        pieces.extend((draft, transcript) for draft in extraction.drafts)
        stats.append(extraction.stats)
        prompt_id = extraction.prompt_id
    provenance = Provenance(proposed_by=ProposedBy.MODEL, model=settings.model, prompt=prompt_id)
    result = finish_mapping(pieces, transcripts, provenance=provenance, title=title, embedder=embedder,
                            extractor=f"{settings.provider} model {settings.model} ({prompt_id})", started=started,
                            say=say, perspectives=perspectives)
    result.model_stats = stats
    result.asking = asking
    return result


class _RunProgress:
    """Chunk events of many files as one count: chunks done of all files' chunks, tokens of all calls."""

    def __init__(self, chunks: dict[str, int], on_chunk: Callable[[str, ExtractionProgress], None] | None) -> None:
        self.chunks = chunks
        self.on_chunk = on_chunk
        self.done = dict.fromkeys(chunks, 0)
        self.tokens = {source: (0, 0) for source in chunks}

    def for_source(self, source_id: str) -> Callable[[ExtractionProgress], None] | None:
        if self.on_chunk is None:
            return None
        on_chunk = self.on_chunk

        def report(event: ExtractionProgress) -> None:
            self.done[source_id] = event.done
            self.tokens[source_id] = (event.input_tokens, event.output_tokens)
            on_chunk(source_id, event.model_copy(update={
                "done": sum(self.done.values()), "chunks": sum(self.chunks.values()),
                "input_tokens": sum(i for i, _ in self.tokens.values()),
                "output_tokens": sum(o for _, o in self.tokens.values())}))

        return report


def _resolved(perspectives: Perspectives | None, transcripts: Sequence[Transcript]) -> Perspectives | None:
    """`--customer` names as the speakers they mean (an error when one matches nobody)."""
    if perspectives is None or not perspectives.customers:
        return perspectives
    customers = resolve_speakers(perspectives.customers, transcripts, option="--customer")
    return Perspectives(default=perspectives.default, by_source=perspectives.by_source, customers=customers)


def plan_mapping(
    paths: Sequence[Path], *, settings: LLMSettings, cache: ResponseCache | None, interviewers: Sequence[str] = (),
    guess: bool = True,
) -> list[ExtractionPlan]:
    """What mapping these files with the model would cost, without calling it."""
    from agent.extraction.model_extractor import plan_extraction

    return [plan_extraction(t, settings, cache=cache)
            for t in read_sources(paths, interviewers=interviewers, guess=guess)]


def finish_mapping(
    pieces: list[tuple[DraftMap, Transcript]],
    transcripts: list[Transcript],
    *,
    provenance: Provenance,
    title: str,
    embedder: TextEmbedder | None,
    extractor: str,
    started: float,
    say: Progress,
    perspectives: Perspectives | None = None,
) -> MappingResult:
    """Ground, assemble and check drafts, whichever extractor wrote them."""
    say("grounding quotes and assembling the map")
    value_map, stats = assemble_map(pieces, provenance=provenance, title=title or _title(transcripts),
                                    embedder=embedder)
    value_map = _with_roles((perspectives or Perspectives()).apply(value_map), transcripts)
    say("running the checks")
    report = check_map(value_map, embedder=embedder)
    return MappingResult(value_map, report, transcripts, stats, extractor, time.perf_counter() - started)


def _with_roles(value_map: ValueMap, transcripts: Sequence[Transcript]) -> ValueMap:
    """Each stakeholder keeps the role its label gave (`Ruth (Finance Lead):`), unless one is recorded."""
    roles = {t.source_id: roles_of(t) for t in transcripts}
    sources = [source.model_copy(update={"stakeholders": [
        p.model_copy(update={"role": roles.get(source.id, {}).get(p.name)}) if p.role is None else p
        for p in source.stakeholders]}) for source in value_map.sources]
    return value_map.model_copy(update={"sources": sources})


def _title(transcripts: Sequence[Transcript]) -> str:
    names = ", ".join(t.source_id for t in transcripts[:3])
    more = f" and {len(transcripts) - 3} more" if len(transcripts) > 3 else ""
    return f"Map of {names}{more}"

