"""What the rest of the engagement brings to an interview: other people's words, and the engagement map.

Inside a workspace, the interviewer can set what this stakeholder says against what others said
("Sales described onboarding as a two-day setup; how does that match what you see?"), always quoting
the other source verbatim and naming it, and the checks run on the engagement map with this session in it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.checks.divergence import TextEmbedder
from agent.synthesis import synthesize
from schemas.engagement import MergeDecision, MergeProposal
from schemas.interview import Probe, ProbeKind
from schemas.value_map import ValueMap

MAX_QUOTE_WORDS = 28
MIN_QUOTE_WORDS = 6  # shorter sentences ("A pointer?", "Right.") say nothing worth setting against an answer
# How close in meaning (cosine, offline MiniLM) a passage must be to what the probe is after to be quoted.
# A judgement, not a measured cut: below it the planner asks its own question rather than an off-topic one.
MIN_RELEVANCE = 0.30


@dataclass(frozen=True)
class OtherVoice:
    """A passage from another source: who said it, where, their exact words, and how relevant it is."""

    source_id: str
    speaker: str | None
    role: str | None
    text: str
    relevance: float = 1.0  # cosine similarity of the passage to the probe's intent


OthersSaid = Callable[[str], Sequence[OtherVoice]]


@dataclass(frozen=True)
class MergeDesk:
    """The engagement's uncertain merges, for a person to decide during the interview.

    `record` keeps a decision in the workspace at once (a small file); `rebuild` synthesises the
    engagement map again with every decision kept so far (seconds of work: off the UI thread).
    """

    pending: Callable[[], list[MergeProposal]]
    record: Callable[[MergeProposal, MergeDecision], None]
    rebuild: Callable[[TextEmbedder | None], ValueMap]


@dataclass(frozen=True)
class EngagementContext:
    others_said: OthersSaid | None = None
    engagement_map: ValueMap | None = None
    merges: MergeDesk | None = None

    def map_to_check(self, session_map: ValueMap) -> ValueMap:
        """The engagement map with this session folded in (by identical names: cheap enough for every turn)."""
        if self.engagement_map is None or not self.engagement_map.element_count():
            return session_map
        return synthesize([self.engagement_map, session_map], title=self.engagement_map.title).value_map


def quotable(text: str) -> str | None:
    """The passage's first statement worth quoting, cut at a word if long: still the speaker's own words,
    in order. None when it holds no sentence of MIN_QUOTE_WORDS words that is not itself a question."""
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        words = sentence.split()
        if len(words) >= MIN_QUOTE_WORDS and not sentence.rstrip().endswith("?"):
            return " ".join(words[:MAX_QUOTE_WORDS]).rstrip(",;:") + (" …" if len(words) > MAX_QUOTE_WORDS else "")
    return None


def cross_reference(probe: Probe, voices: Sequence[OtherVoice], session_id: str) -> Probe | None:
    """The probe re-asked in the light of what someone else said, or None when nobody else spoke to it."""
    chosen = next(((voice, quote) for voice in voices
                   if voice.source_id != session_id and voice.relevance >= MIN_RELEVANCE
                   and (quote := quotable(voice.text)) is not None), None)
    if chosen is None:
        return None
    other, quote = chosen
    who = other.speaker or "Someone"
    if other.role:
        who += f" ({other.role})"
    return Probe(
        kind=ProbeKind.FOLLOW_UP,
        step=probe.step,
        intent=f"{probe.intent} Set it against what {who} said in {other.source_id}: \u201c{quote}\u201d",
        fallback_question=f"In {other.source_id}, {who} said: \u201c{quote}\u201d{'' if quote[-1] in '.!…' else '.'} "
                          "How does that match what you see?",
        element_ids=probe.element_ids,
        finding_code=probe.finding_code,
        priority=probe.priority,
    )


class BackgroundVoices:
    """Other sources' passages from the workspace's evidence store, opened on a thread at start.

    Until the store is open (Chroma and the embedder take a second or two to load) it answers with
    nothing, so the first screen and the first questions never wait for it.
    """

    def __init__(self, open_store: Callable[[], Callable[[str], Sequence[OtherVoice]]]) -> None:
        self._search: Callable[[str], Sequence[OtherVoice]] | None = None
        self.failure: str | None = None
        self._thread = threading.Thread(target=self._open, args=(open_store,), daemon=True)
        self._thread.start()

    def _open(self, open_store: Callable[[], Callable[[str], Sequence[OtherVoice]]]) -> None:
        try:
            self._search = open_store()
        except Exception as err:  # a broken store must not break the interview: it only loses cross-references
            self.failure = str(err).splitlines()[0] if str(err) else type(err).__name__

    def __call__(self, query: str) -> Sequence[OtherVoice]:
        return self._search(query) if self._search is not None else []

    def wait(self, timeout: float) -> bool:
        """Whether the store is open within `timeout` seconds (for callers that can afford to wait)."""
        self._thread.join(timeout)
        return self._search is not None


def workspace_context(workspace_root: Path, engagement_map: ValueMap | None, embedder_kind: str) -> EngagementContext:
    """The context of an interview inside a workspace: its evidence store, its map and its open merges."""

    def open_store() -> Callable[[str], Sequence[OtherVoice]]:
        from agent.evidence_store import EvidenceStore
        from agent.semantics import embedder_from_settings

        embedder = embedder_from_settings(embedder_kind)
        store = EvidenceStore.open(workspace_root, embedder=embedder)

        def search(query: str) -> list[OtherVoice]:
            passages = store.search(query, k=3)
            if not passages:
                return []
            vectors = embedder.embed([query, *(p.text for p in passages)])
            relevance = vectors[1:] @ vectors[0]
            return [OtherVoice(p.source_id, p.speaker, p.role, p.text, float(r))
                    for p, r in zip(passages, relevance, strict=True)]

        return search

    return EngagementContext(others_said=BackgroundVoices(open_store), engagement_map=engagement_map,
                             merges=workspace_merge_desk(workspace_root, embedder_kind))


def workspace_merge_desk(workspace_root: Path, embedder_kind: str) -> MergeDesk:
    """Merge decisions taken in the interview land where `vsm synthesize` keeps them."""
    from agent.engagement import pending_merges, record_decisions, synthesize_workspace
    from agent.storage import Workspace

    workspace = Workspace.open(workspace_root)

    def record(proposal: MergeProposal, decision: MergeDecision) -> None:
        record_decisions(workspace, {proposal.key: decision})

    def rebuild(embedder: TextEmbedder | None) -> ValueMap:
        if embedder is None:  # the app's embedder is not loaded yet: synthesis needs one to merge by meaning
            from agent.semantics import embedder_from_settings

            embedder = embedder_from_settings(embedder_kind)
        return synthesize_workspace(workspace, embedder=embedder)[0].value_map

    return MergeDesk(pending=lambda: pending_merges(workspace), record=record, rebuild=rebuild)
