"""From grounded drafts to one map: ids, references, and the same element told twice made one.

Drafts come per chunk (a model) or per transcript (the offline rules) and refer to each other by keys.
A key names an element across the whole transcript: the prompt lists the keys found in earlier chunks
and asks the model to reuse them, so a key is looked up in its own draft first, then in every draft of
the same source. Assembly grounds every quote, merges mentions of the same element across drafts (same
key in one source, same name, or the embedder says the names mean the same), turns keys into stable
ids, drops relationships whose other end does not exist, and drops elements left without verified
evidence unless a kept element needs them. Every drop is counted and named, never silent, and the map
it returns always validates: a reference that lands nowhere costs the link (or the element that cannot
stand without it), never the run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from agent.checks.divergence import TextEmbedder
from agent.grounding import GroundingTally, ground_quote
from schemas.elements import (
    Actor,
    Benefit,
    Compensation,
    Duplication,
    Give,
    GiveGetExchange,
    Loss,
    Metric,
    Money,
    Purchase,
    Resistance,
    Source,
    Stage,
    Stakeholder,
    Threshold,
    ValueEvocationPoint,
    ValueLink,
    ValueProposition,
)
from schemas.evidence import Provenance, Quote
from schemas.extraction import (
    DraftDuplication,
    DraftElement,
    DraftExchange,
    DraftFigure,
    DraftLoss,
    DraftMap,
    DraftMetric,
    DraftProposition,
    DraftQuote,
    DraftResistance,
    DraftStage,
    DraftThreshold,
    DraftVep,
)
from schemas.transcript import Transcript
from schemas.value_map import ELEMENT_COLLECTIONS, REFERENCE_FIELDS, REFERENCE_LIST_FIELDS, ValueMap

# Names whose vectors are this close are one element told twice ("Book a first call" / "Booking the
# first call"); kept high because a wrong merge hides an element, while a missed one only repeats it.
SAME_ELEMENT_SIMILARITY = 0.80

KINDS = ELEMENT_COLLECTIONS
ID_PREFIX = {"stages": "st", "veps": "vep", "resistances": "res", "thresholds": "th", "exchanges": "ex",
             "propositions": "vp", "duplications": "dup", "losses": "loss"}


@dataclass
class AssemblyStats:
    grounding: GroundingTally = field(default_factory=GroundingTally)
    mentions: Counter[str] = field(default_factory=Counter)  # draft elements read, by kind
    merged: Counter[str] = field(default_factory=Counter)  # mentions folded into an element told before
    dropped_ungrounded: Counter[str] = field(default_factory=Counter)
    dropped_relations: Counter[str] = field(default_factory=Counter)
    stages_added_for_veps: int = 0
    # One line per dropped link or element, naming both ends ("exchange 'x' referred to threshold 'y', ...").
    drop_notes: list[str] = field(default_factory=list)

    def note_drop(self, what: str, note: str) -> None:
        self.dropped_relations[what] += 1
        self.drop_notes.append(note)


@dataclass
class _Candidate:
    """One element as assembled: the first draft that told it, and everything later mentions added."""

    kind: str
    draft: DraftElement
    piece: int
    source_id: str
    evidence: list[Quote]
    aliases: set[tuple[int, str]] = field(default_factory=set)  # (piece, key) pairs that name it
    merged: list[tuple[int, DraftElement]] = field(default_factory=list)  # later mentions: (piece, draft)
    id: str = ""

    @property
    def mentions(self) -> list[tuple[int, DraftElement]]:
        """Every mention, the one the element is built from first."""
        return [(self.piece, self.draft), *self.merged]


def _normalised_name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def _slug(text: str) -> str:
    return "-".join(_normalised_name(text).split()[:6]) or "element"


def source_from_transcript(transcript: Transcript, *, interviewers: Iterable[str] = ()) -> Source:
    asking = {t.speaker for t in transcript.turns if t.interviewer and t.speaker} | set(interviewers)
    return Source(
        id=transcript.source_id,
        title=transcript.source_id,
        path=transcript.path,
        stakeholders=[Stakeholder(name=s, interviewer=s in asking) for s in transcript.speakers],
    )


def assemble_map(
    pieces: Sequence[tuple[DraftMap, Transcript]],
    *,
    provenance: Provenance,
    title: str = "",
    embedder: TextEmbedder | None = None,
    sources: Sequence[Source] | None = None,
) -> tuple[ValueMap, AssemblyStats]:
    stats = AssemblyStats()
    candidates = _ground(pieces, stats)
    canonical = _merge_mentions(candidates, embedder, stats)
    _assign_ids(canonical)
    elements = _build(canonical, pieces, provenance, stats)
    elements = _one_threshold_per_vep(elements, stats)
    _drop_dangling(elements, stats)
    elements = _drop_unreferenced_ungrounded(elements, stats)  # drops only what nothing points at: no new dangling
    known_sources = list(sources) if sources is not None else []
    have = {s.id for s in known_sources}
    for _, transcript in pieces:
        if transcript.source_id not in have:
            known_sources.append(source_from_transcript(transcript))
            have.add(transcript.source_id)
    value_map = ValueMap(title=title, sources=known_sources, **elements)  # type: ignore[arg-type]
    return value_map, stats


def _ground(pieces: Sequence[tuple[DraftMap, Transcript]], stats: AssemblyStats) -> list[_Candidate]:
    found: list[_Candidate] = []
    for index, (draft, transcript) in enumerate(pieces):
        for kind in KINDS:
            for element in getattr(draft, kind):
                stats.mentions[kind] += 1
                evidence: list[Quote] = []
                for draft_quote in element.quotes:
                    result = ground_quote(draft_quote, transcript)
                    stats.grounding.add(result)
                    if isinstance(result, Quote) and all((q.start, q.end) != (result.start, result.end) for q in evidence):
                        evidence.append(result)
                found.append(_Candidate(kind, element, index, transcript.source_id, evidence, {(index, element.key)}))
    return found


def _merge_mentions(
    candidates: list[_Candidate], embedder: TextEmbedder | None, stats: AssemblyStats
) -> list[_Candidate]:
    kept: list[_Candidate] = []
    sources = {c.piece: c.source_id for c in candidates}
    for kind in KINDS:
        of_kind = [c for c in candidates if c.kind == kind]
        if not of_kind:
            continue
        labels = [_label(c.draft) for c in of_kind]
        vectors = embedder.embed(labels) if embedder is not None and len(of_kind) > 1 else None
        groups = _Groups(of_kind, labels, vectors, sources)
        for index in range(len(of_kind)):
            same = groups.first_same(index)
            if same is None:
                groups.open(index)
                continue
            groups.fold(same, index)
            stats.merged[kind] += 1
        kept.extend(of_kind[g] for g in groups.heads)
    return kept


class _Groups:
    """The elements of one kind found so far, indexed so that each new mention finds its element without being
    compared with every element before it (a map of many files has thousands of mentions).

    A mention is the same element as the earliest group that (1) already holds its key in its own source (the
    chunks of one transcript reuse a key on purpose), or, unless the group holds a mention from the mention's
    own draft (one draft names its elements apart on purpose): (2) has the same label, (3) for a VEP, the same
    step name ("sign up" and "register" are both "Account signup"), or (4) means the same to the embedder.
    """

    def __init__(self, of_kind: list[_Candidate], labels: list[str], vectors: np.ndarray | None,
                 sources: dict[int, str]) -> None:
        self.of_kind, self.labels, self.vectors, self.sources = of_kind, labels, vectors, sources
        self.heads: list[int] = []  # index into of_kind of each group's first mention, in order
        self._position: dict[int, int] = {}  # head -> its place in `heads`
        self._by_key: dict[tuple[str | None, str], set[int]] = {}
        self._by_label: dict[str, set[int]] = {}
        self._by_step: dict[str, set[int]] = {}
        self._pieces: dict[int, set[int]] = {}
        # The heads' vectors side by side, filled as groups open: one product per mention, no copy of them.
        self._head_vectors = np.empty_like(vectors) if vectors is not None else None

    def first_same(self, index: int) -> int | None:
        mention = self.of_kind[index]
        found = set(self._by_key.get((mention.source_id, mention.draft.key), ()))
        apart = [h for h in self._named_alike(index) if mention.piece not in self._pieces[h]]
        found.update(apart)
        if self.vectors is not None and self._head_vectors is not None and self.heads:
            similar = (self._head_vectors[: len(self.heads)] @ self.vectors[index]) >= SAME_ELEMENT_SIMILARITY
            found.update(h for h, close in zip(self.heads, similar, strict=True)
                         if close and mention.piece not in self._pieces[h])
        return min(found, key=self._position.__getitem__) if found else None

    def _named_alike(self, index: int) -> set[int]:
        label = _normalised_name(self.labels[index])
        alike = set(self._by_label.get(label, ())) if label else set()
        draft = self.of_kind[index].draft
        if isinstance(draft, DraftVep):
            alike |= self._by_step.get(_normalised_name(_name_of(draft)), set())
        return alike

    def open(self, index: int) -> None:
        if self.vectors is not None and self._head_vectors is not None:
            self._head_vectors[len(self.heads)] = self.vectors[index]
        self._position[index] = len(self.heads)
        self.heads.append(index)
        self._pieces[index] = set()
        label = _normalised_name(self.labels[index])
        if label:
            self._by_label.setdefault(label, set()).add(index)
        self._index(index, self.of_kind[index])

    def fold(self, head: int, index: int) -> None:
        group, later = self.of_kind[head], self.of_kind[index]
        step_before = _normalised_name(_name_of(group.draft))
        added = later.aliases - group.aliases
        _fold(group, later)
        if isinstance(group.draft, DraftVep) and _normalised_name(_name_of(group.draft)) != step_before:
            self._by_step.get(step_before, set()).discard(head)  # the element is now built from another draft
        self._index(head, group, added)

    def _index(self, head: int, group: _Candidate, aliases: set[tuple[int, str]] | None = None) -> None:
        """Index `aliases` (the group's new ones; all of them when it opens) and the group's step name."""
        for piece, key in group.aliases if aliases is None else aliases:
            self._by_key.setdefault((self.sources.get(piece), key), set()).add(head)
            self._pieces[head].add(piece)
        if isinstance(group.draft, DraftVep):
            self._by_step.setdefault(_normalised_name(_name_of(group.draft)), set()).add(head)


def _fold(first: _Candidate, later: _Candidate) -> None:
    """`later` is another mention of `first`'s element. A mention with verified words for the element
    describes it better than a passing reference without them (a model names an element it only refers
    to), so the first grounded mention becomes the one the element is built from."""
    grounded = bool(first.evidence)
    first.aliases |= later.aliases
    first.evidence.extend(q for q in later.evidence
                          if all((q.source_id, q.start) != (e.source_id, e.start) for e in first.evidence))
    if later.evidence and not grounded:
        first.merged.append((first.piece, first.draft))
        first.draft, first.piece, first.source_id = later.draft, later.piece, later.source_id
        first.merged.extend(later.merged)
        return
    first.merged.append((later.piece, later.draft))
    first.merged.extend(later.merged)


def _name_of(draft: DraftElement) -> str:
    """The element's name as the map holds it: a model may leave it empty, and the map needs one."""
    return (draft.name.strip() or draft.key.strip() or "unnamed")[:200]


def _label(draft: DraftElement) -> str:
    if isinstance(draft, DraftVep):
        return f"{draft.name}: {draft.customer_action}"
    if isinstance(draft, DraftProposition):
        return draft.statement
    return draft.name


def _assign_ids(candidates: list[_Candidate]) -> None:
    used: set[str] = set()
    for candidate in candidates:
        base = f"{ID_PREFIX[candidate.kind]}-{_slug(candidate.draft.name)}"
        element_id, n = base, 2
        while element_id in used:
            element_id, n = f"{base}-{n}", n + 1
        used.add(element_id)
        candidate.id = element_id


class _Resolver:
    """Turns keys into ids: a key names an element in its own draft first, then anywhere in its source."""

    def __init__(self, candidates: list[_Candidate], piece_sources: Sequence[str]) -> None:
        self._sources = piece_sources
        self._ids: dict[tuple[str, int, str], str] = {}
        self._in_source: dict[tuple[str, str, str], str] = {}
        for candidate in candidates:
            for piece, key in sorted(candidate.aliases):
                self._ids.setdefault((candidate.kind, piece, key), candidate.id)
                self._in_source.setdefault((candidate.kind, piece_sources[piece], key), candidate.id)

    def one(self, piece: int, key: str | None, *kinds: str) -> str | None:
        if key is None:
            return None
        found = next((self._ids[(k, piece, key)] for k in kinds if (k, piece, key) in self._ids), None)
        if found is None:
            source = self._sources[piece]
            found = next((self._in_source[(k, source, key)] for k in kinds if (k, source, key) in self._in_source),
                         None)
        return found


_KIND_WORD = {"stages": "stage", "veps": "VEP", "resistances": "resistance", "thresholds": "threshold",
              "exchanges": "exchange", "propositions": "proposition", "duplications": "duplication",
              "losses": "loss"}


def _undefined(kind: str, name: str, target_kinds: Sequence[str], key: str, outcome: str) -> str:
    target = " or ".join(_KIND_WORD[k] for k in target_kinds)
    return f"{_KIND_WORD[kind]} {name!r} referred to {target} {key!r}, which no chunk defined: {outcome}"


def _metric(draft: DraftMetric | None) -> Metric | None:
    if draft is None:
        return None
    return Metric(name=draft.name, value=draft.value, unit=draft.unit, text=draft.text)


def _build(
    candidates: list[_Candidate],
    pieces: Sequence[tuple[DraftMap, Transcript]],
    provenance: Provenance,
    stats: AssemblyStats,
) -> dict[str, list[object]]:
    refs = _Resolver(candidates, [t.source_id for _, t in pieces])
    out: dict[str, list[object]] = {kind: [] for kind in KINDS}
    stage_ids: set[str] = {c.id for c in candidates if c.kind == "stages"}

    def common(c: _Candidate) -> dict[str, object]:
        return {"id": c.id, "name": _name_of(c.draft), "detail": c.draft.detail, "evidence": c.evidence,
                "provenance": provenance}

    def every(c: _Candidate, attribute: str) -> list[str]:
        values: list[str] = []
        for _, draft in c.mentions:
            values.extend(v for v in getattr(draft, attribute) if v not in values)
        return values

    def one_across(c: _Candidate, attribute: str, *kinds: str) -> tuple[str | None, str | None]:
        """The first mention's reference that lands, else None and the first key that did not."""
        missed: str | None = None
        for piece, draft in c.mentions:
            key = getattr(draft, attribute)
            element_id = refs.one(piece, key, *kinds)
            if element_id is not None:
                return element_id, None
            missed = missed or key
        return None, missed

    def keys_across(c: _Candidate, attribute: str, *kinds: str, what: str) -> list[str]:
        ids: list[str] = []
        missed: list[str] = []
        for piece, draft in c.mentions:
            for key in getattr(draft, attribute):
                element_id = refs.one(piece, key, *kinds)
                if element_id is None:
                    missed.append(key)
                elif element_id not in ids:
                    ids.append(element_id)
        for key in dict.fromkeys(missed):
            stats.note_drop(what, _undefined(c.kind, c.draft.name, kinds, key, "that link dropped"))
        return ids

    def required(c: _Candidate, attribute: str, kind: str) -> str | None:
        element_id, missed = one_across(c, attribute, kind)
        if element_id is None:
            own = _KIND_WORD[c.kind].lower()
            stats.note_drop(f"{own} -> {_KIND_WORD[kind].lower()} ({own} dropped)",
                            _undefined(c.kind, c.draft.name, (kind,), missed or "", "dropped"))
        return element_id

    for c in candidates:
        d = c.draft
        if isinstance(d, DraftStage):
            out["stages"].append(Stage(
                **common(c), order=0, actor=d.actor, customer_visible=d.customer_visible, value_link=d.value_link,
                internally_necessary=d.internally_necessary,
                improvements=[{"description": text} for text in every(c, "improvements")  # type: ignore[misc]
                              if text.strip()],
            ))
        elif isinstance(d, DraftVep):
            stage_id, _ = one_across(c, "stage_key", "stages")
            if stage_id is None:
                stage_id = f"st-{c.id.removeprefix('vep-')}"
                while stage_id in stage_ids:
                    stage_id += "-stage"
                stage_ids.add(stage_id)
                stats.stages_added_for_veps += 1
                out["stages"].append(Stage(
                    id=stage_id, name=_name_of(d), detail=f"where the customer must {d.customer_action}",
                    evidence=c.evidence, provenance=provenance, order=0, actor=Actor.CUSTOMER,
                    customer_visible=True, value_link=ValueLink.UNKNOWN,
                ))
            out["veps"].append(ValueEvocationPoint(
                **common(c), stage_id=stage_id, customer_action=d.customer_action or _name_of(d),
                proposition_ids=keys_across(c, "proposition_keys", "propositions", what="vep -> proposition"),
                activation=d.activation,
            ))
        elif isinstance(d, DraftResistance):
            vep_id = required(c, "vep_key", "veps")
            if vep_id is None:
                continue
            out["resistances"].append(Resistance(
                **common(c), vep_id=vep_id, why_customer_action=d.why_customer_action, limitation=d.limitation,
                resources_lacking=list(dict.fromkeys(d.resources_lacking)), resolution=d.resolution,
            ))
        elif isinstance(d, DraftThreshold):
            vep_id = required(c, "vep_key", "veps")
            if vep_id is None:
                continue
            finals = [x for _, x in c.mentions if isinstance(x, DraftThreshold) and x.is_final]
            out["thresholds"].append(Threshold(
                **common(c), vep_id=vep_id, condition=d.condition, on_failure=d.on_failure,
                crossing_metric=_metric(d.crossing_metric),
                purchase=_purchase(c, finals, pieces, stats) if finals else None,
            ))
        elif isinstance(d, DraftExchange):
            threshold_id = required(c, "threshold_key", "thresholds")
            if threshold_id is None:
                continue
            out["exchanges"].append(GiveGetExchange(
                **common(c), threshold_id=threshold_id,
                customer_gives=[Give(kind=g.kind, detail=g.detail) for g in d.customer_gives],
                organisation_gives=[Benefit(what=w) for w in d.organisation_gives if w.strip()],
                balance=d.balance, balance_reason=d.balance_reason,
            ))
        elif isinstance(d, DraftProposition):
            out["propositions"].append(ValueProposition(
                **common(c), statement=d.statement or _name_of(d), claims=every(c, "claims"), audience=d.audience,
                used_at_ids=keys_across(c, "used_at_keys", "veps", "thresholds", "stages",
                                        what="proposition -> where used"),
                said_by=d.said_by,
            ))
        elif isinstance(d, DraftDuplication):
            proposition_ids = keys_across(c, "proposition_keys", "propositions", what="duplication -> proposition")
            if not proposition_ids:
                stats.note_drop("duplication without propositions (dropped)",
                                f"duplication {d.name!r} named no proposition that any chunk defined: dropped")
                continue
            out["duplications"].append(Duplication(
                **common(c), kind=d.kind, proposition_ids=proposition_ids,
                threshold_ids=keys_across(c, "threshold_keys", "thresholds", what="duplication -> threshold"),
            ))
        elif isinstance(d, DraftLoss):
            out["losses"].append(Loss(
                **common(c), kind=d.kind, signal=d.signal, metric=_metric(d.metric),
                duplication_ids=keys_across(c, "duplication_keys", "duplications", what="loss -> duplication"),
                threshold_ids=keys_across(c, "threshold_keys", "thresholds", what="loss -> threshold"),
            ))
    _order_stages(out["stages"], pieces)  # type: ignore[arg-type]
    return out


def _purchase(
    c: _Candidate, finals: list[DraftThreshold], pieces: Sequence[tuple[DraftMap, Transcript]], stats: AssemblyStats
) -> Purchase:
    """The final threshold's scorecard from every mention that tells part of it: the first figure whose
    words are found in its source wins; compensation is gathered from all. The quotes the figures rest
    on become evidence of the threshold, since the map now claims them."""
    source_of = {id(draft): pieces[piece][1] for piece, draft in c.mentions}

    def grounded(draft: DraftThreshold, quote: DraftQuote | None, what: str) -> bool:
        if quote is None:
            return True  # a price without its own quote rests on the threshold's (answers before extract_map@2)
        result = ground_quote(quote, source_of[id(draft)])
        stats.grounding.add(result)
        if not isinstance(result, Quote):
            stats.note_drop(f"purchase {what} (words not found)",
                            f"threshold {c.draft.name!r}: the words its {what} rests on are not in the source: "
                            "that figure dropped")
            return False
        if all((q.source_id, q.start, q.end) != (result.source_id, result.start, result.end) for q in c.evidence):
            c.evidence.append(result)
        return True

    def figure(attribute: str, what: str) -> float | None:
        for draft in finals:
            value: DraftFigure | None = getattr(draft, attribute)
            if value is not None and grounded(draft, value.quote, what):
                return value.value
        return None

    price = next((d for d in finals if d.price is not None and d.price >= 0 and grounded(d, d.price_quote, "price")),
                 None)
    compensation: list[Compensation] = []
    for draft in finals:
        for offered in draft.compensation:
            told = {(k.kind, _normalised_name(k.detail)) for k in compensation}
            if (offered.kind, _normalised_name(offered.detail)) not in told and grounded(
                    draft, offered.quote, "compensation"):
                compensation.append(Compensation(kind=offered.kind, detail=offered.detail))
    return Purchase(
        price=Money(amount=price.price, currency=price.currency or "EUR", period=price.price_period)
        if price is not None and price.price is not None else None,
        perceived_value=figure("perceived_value", "perceived value"),
        accumulated_loss=figure("accumulated_loss", "accumulated loss"),
        compensation=compensation,
    )


def _order_stages(stages: list[Stage], pieces: Sequence[tuple[DraftMap, Transcript]]) -> None:
    """Stages in stream order: as each draft lists them (both extractors list stages in the order customers go
    through them, not the order they are mentioned), sources in the order given; a stage no draft lists by
    that name, by its first quote."""
    source_rank = {t.source_id: i for i, (_, t) in enumerate(pieces)}
    listed: dict[str, tuple[int, int, int]] = {}
    for rank, (draft, _) in enumerate(pieces):
        for position, drafted in enumerate(draft.stages):
            listed.setdefault(drafted.name, (rank, position, 0))

    def told_at(stage: Stage) -> tuple[int, int, int]:
        if stage.name in listed:
            return listed[stage.name]
        spots = [(source_rank.get(q.source_id, len(source_rank)), len(stages), q.start or 0) for q in stage.evidence]
        return min(spots, default=(len(source_rank), len(stages), 0))

    stages.sort(key=told_at)
    for order, stage in enumerate(stages):
        stage.order = order


def _one_threshold_per_vep(elements: dict[str, list[object]], stats: AssemblyStats) -> dict[str, list[object]]:
    """A threshold is a VEP where progression is conditional (FRAMEWORK.md): one per VEP. Mentions named
    differently ("pay forty-nine a month", "pay forty-nine euros a month") that land on one VEP once VEPs
    are merged are one threshold: the first told keeps its words, takes the others' quotes and fills what
    it lacks from them, and every reference to the others moves to it."""
    kept: dict[str, Threshold] = {}
    moved: dict[str, str] = {}
    for threshold in elements["thresholds"]:
        assert isinstance(threshold, Threshold)
        first = kept.get(threshold.vep_id)
        if first is None:
            kept[threshold.vep_id] = threshold
            continue
        spans = {(q.source_id, q.start, q.end) for q in first.evidence}
        fill = {name: getattr(threshold, name) for name in ("condition", "on_failure", "crossing_metric", "purchase")
                if not getattr(first, name) and getattr(threshold, name)}
        kept[threshold.vep_id] = first.model_copy(update={
            **fill, "evidence": [*first.evidence, *(q for q in threshold.evidence
                                                    if (q.source_id, q.start, q.end) not in spans)]})
        moved[threshold.id] = first.id
        stats.merged["thresholds"] += 1
    if not moved:
        return elements
    elements["thresholds"] = list(kept.values())
    for items in elements.values():
        for item in items:
            target = getattr(item, "threshold_id", None)
            if target in moved:
                setattr(item, "threshold_id", moved[target])  # noqa: B010
            for name in ("used_at_ids", "threshold_ids"):
                values = getattr(item, name, None)
                if values:
                    setattr(item, name, list(dict.fromkeys(moved.get(v, v) for v in values)))
    return elements


_REQUIRED_REFERENCE = {"stage_id": "stages", "vep_id": "veps", "threshold_id": "thresholds"}
_LIST_REFERENCE = {"proposition_ids": "propositions", "used_at_ids": "veps, thresholds or stages",
                   "threshold_ids": "thresholds", "duplication_ids": "duplications"}


def _drop_dangling(elements: dict[str, list[object]], stats: AssemblyStats) -> None:
    """Whatever was dropped on the way (a threshold whose VEP no chunk defined, an ungrounded element),
    nothing may point at it: a link to it goes; an element that cannot stand without it (an exchange
    without its threshold, a duplication without propositions) goes too, named. Repeated until stable,
    since one drop can strand another element."""
    while True:
        present = {getattr(item, "id", None) for items in elements.values() for item in items}
        dropped = False
        for kind, items in elements.items():
            keep = []
            for item in items:
                name = getattr(item, "name", "")
                missing = next(((f, getattr(item, f)) for f in _REQUIRED_REFERENCE
                                if getattr(item, f, None) is not None and getattr(item, f) not in present), None)
                if missing is not None:
                    target = _KIND_WORD[_REQUIRED_REFERENCE[missing[0]]]
                    stats.note_drop(f"{_KIND_WORD[kind].lower()} -> {target.lower()} (dropped with it)",
                                    f"{_KIND_WORD[kind]} {name!r} referred to {target} {missing[1]!r}, which was "
                                    "dropped: dropped")
                    dropped = True
                    continue
                for attribute in _LIST_REFERENCE:
                    values: list[str] | None = getattr(item, attribute, None)
                    if values and any(v not in present for v in values):
                        for gone in (v for v in values if v not in present):
                            stats.note_drop(f"{_KIND_WORD[kind].lower()} -> {attribute} (link dropped)",
                                            f"{_KIND_WORD[kind]} {name!r} referred to {gone!r}, which was "
                                            "dropped: that link dropped")
                        setattr(item, attribute, [v for v in values if v in present])
                if isinstance(item, Duplication) and not item.proposition_ids:
                    stats.note_drop("duplication without propositions (dropped)",
                                    f"duplication {name!r} was left with no proposition: dropped")
                    dropped = True
                    continue
                keep.append(item)
            elements[kind] = keep
        if not dropped:
            return


def _references(elements: dict[str, list[object]]) -> set[str]:
    referenced: set[str] = set()
    for items in elements.values():
        for item in items:
            for name in REFERENCE_FIELDS:
                value = getattr(item, name, None)
                if isinstance(value, str):
                    referenced.add(value)
            for name in REFERENCE_LIST_FIELDS:
                referenced.update(getattr(item, name, ()))
    return referenced


def _drop_unreferenced_ungrounded(elements: dict[str, list[object]], stats: AssemblyStats) -> dict[str, list[object]]:
    """FRAMEWORK.md: a proposed element carries a verified quote; one without is kept only if others need it."""
    while True:
        referenced = _references(elements)
        dropped = False
        for kind, items in elements.items():
            keep = []
            for item in items:
                if getattr(item, "evidence", None) or getattr(item, "id", None) in referenced:
                    keep.append(item)
                else:
                    stats.dropped_ungrounded[kind] += 1
                    dropped = True
            elements[kind] = keep
        if not dropped:
            break
    kept_ids = {getattr(i, "id", None) for items in elements.values() for i in items}
    for items in elements.values():
        for item in items:
            for name in REFERENCE_LIST_FIELDS:
                values = getattr(item, name, None)
                if values is not None:
                    setattr(item, name, [v for v in values if v in kept_ids])
    return elements
