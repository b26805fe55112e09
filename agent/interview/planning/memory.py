"""The planner's memory of the conversation: which intent was asked about which element, and which
earlier answer already answers a question the planner is about to ask.

An *intent* is what a question wants to find out (the value evoked, the exchange, the resistance...),
whatever its wording or the check that raised it. Elements are remembered by *group*: an element, the
elements anchored to it (a threshold and its VEP, stage, resistance and exchange) and its near-duplicates
by meaning ("Connect" and "Connect their Google calendar"). The rule the planner keeps: one intent is
asked of one group at most once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.interview.planning.near_duplicates import alike_pairs, content_words
from schemas.interview import AnswerEvent, DiagnosticStep, Probe, ProbeKind, QuestionEvent, SkippedProbe
from schemas.value_map import ValueMap

NO_ELEMENT = "-"

INTENT_OF_STEP = {
    DiagnosticStep.VEPS: "action",
    DiagnosticStep.RESISTANCE: "resistance",
    DiagnosticStep.VALUE_EVOKED: "value",
    DiagnosticStep.THRESHOLDS: "condition",
    DiagnosticStep.EXCHANGES: "exchange",
    DiagnosticStep.DUPLICATION: "comparison",
    DiagnosticStep.LOSS: "loss-origin",
    DiagnosticStep.FINAL_THRESHOLD: "price-value",
}
INTENT_OF_CODE = {
    "activity-map": "action",
    "suspect-stage": "stage-value",
    "completeness-illusion": "stage-value",
    "efficiency-trap": "efficiency",
    "unexplained-threshold": "resistance",
    "unresolved-resistance": "resistance-outcome",
    "unclassified-resistance": "resistance",
    "pull-unmeasured": "crossing-rate",
    "missing-final-threshold": "purchase",
    "missing-exchange": "exchange",
    "one-sided-exchange": "exchange-balance",
    "overstated-exchange": "exchange-balance",
    "customer-over-gives": "exchange-balance",
    "inert-value": "value-activation",
    "unnamed-value": "value",
    "internal-narrative": "customer-voice",
    "duplication": "comparison",
    "latent-loss": "loss",
    "untraced-loss": "loss-origin",
    "subsidized-growth": "compensation",
    "value-not-surviving": "price-value",
    "value-unreckoned": "price-value",
    "ungrounded": "example",
}

# What an earlier sentence must say (besides naming the element) to answer an intent already.
ANSWER_CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE) for name, pattern in {
        "value": r"\b(we tell|we say|told|tell them|promise[sd]?|pitch|because|so that|the message)\b",
        "exchange": r"\b(in return|in exchange|give us|gives us|hand over|they give|they share|access to their)\b",
        "resistance": r"\b(we lack|we don'?t have|we do not have|we can'?t|we cannot|not enough|short of|no capacity)\b",
        "condition": r"\b(until|unless|only (if|when|after|once)|as long as)\b",
        "loss-origin": r"\b(expected|they expect|were told|thought they|promised)\b",
        "crossing-rate": r"\d+\s*(%|percent|out of)|\b(half|a third|a quarter|most|few) of\b",
        "compensation": r"\b(discount|free month|incentive|promotion|coupon|extension)s?\b",
        "price-value": r"\b(worth|compare[sd]? (it|the price) with|for the price|value for money)\b",
    }.items()
}
# Words too common in these interviews to tie a sentence to one element.
GENERIC_WORDS = frozenset(content_words(
    "customer customers user users people team teams company product process step point thing time start get "
    "go make want need use work see first later new client clients"))


def intent_of(probe: Probe) -> str:
    """What the probe wants to find out, independent of its wording."""
    if probe.kind is ProbeKind.CORE:
        return f"core-{probe.step.value if probe.step else ''}"
    if probe.finding_code in INTENT_OF_CODE:
        return INTENT_OF_CODE[probe.finding_code]
    if probe.step is not None:
        return INTENT_OF_STEP[probe.step]
    return probe.kind.value


def is_remembered(probe: Probe) -> bool:
    """Probes the once-per-group rule applies to (ladders, summaries and redirects have their own rules)."""
    return probe.kind in (ProbeKind.CORE, ProbeKind.FOLLOW_UP)


@dataclass(frozen=True)
class ElementGroups:
    """Each element's group: itself, what is anchored to it, and its near-duplicates."""

    group: dict[str, str]
    names: dict[str, list[str]]  # group -> every name its elements have

    @classmethod
    def of(cls, value_map: ValueMap) -> ElementGroups:
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        for vep in value_map.veps:
            union(vep.id, vep.stage_id)
        for threshold in value_map.thresholds:
            union(threshold.id, threshold.vep_id)
        for resistance in value_map.resistances:
            union(resistance.id, resistance.vep_id)
        for exchange in value_map.exchanges:
            union(exchange.id, exchange.threshold_id)
        for collection in ("stages", "veps", "thresholds", "propositions", "losses", "duplications"):
            for first, second in alike_pairs(getattr(value_map, collection)):
                union(first.id, second.id)
        names: dict[str, list[str]] = {}
        for element in value_map.elements():
            names.setdefault(find(element.id), []).append(element.name)
        return cls({e.id: find(e.id) for e in value_map.elements()}, names)

    def of_ids(self, element_ids: Sequence[str]) -> str:
        if not element_ids:
            return NO_ELEMENT
        return self.group.get(element_ids[0], element_ids[0])

    def words(self, group: str) -> frozenset[str]:
        """The words that name the group's elements, without the ones every interview uses."""
        return frozenset(w for name in self.names.get(group, []) for w in content_words(name)
                         if w not in GENERIC_WORDS and not w[0].isdigit())


@dataclass(frozen=True)
class SaidSentence:
    text: str
    words: frozenset[str]
    answer_index: int


@dataclass(frozen=True)
class Memory:
    groups: ElementGroups
    asked: frozenset[tuple[str, str]]  # (intent, group)
    answers: tuple[str, ...]
    said: dict[str, tuple[SaidSentence, ...]]  # intent -> the answers' sentences whose wording answers it

    def key(self, probe: Probe) -> tuple[str, str]:
        return intent_of(probe), self.groups.of_ids(probe.element_ids)

    def was_asked(self, probe: Probe) -> bool:
        return is_remembered(probe) and self.key(probe) in self.asked

    def answered_before(self, probe: Probe) -> SkippedProbe | None:
        """An earlier answer that already says what this probe asks about its element, quoted."""
        intent, group = self.key(probe)
        if intent not in self.said or group == NO_ELEMENT or not is_remembered(probe):
            return None
        named = self.groups.words(group)
        if not named:
            return None
        for sentence in self.said[intent]:
            if named & sentence.words:
                return SkippedProbe(intent=intent, element_ids=list(probe.element_ids), question=probe.fallback_question,
                                    answered_by=sentence.text, answer_index=sentence.answer_index)
        return None


def remember(value_map: ValueMap, history: Sequence[QuestionEvent | AnswerEvent]) -> Memory:
    groups = ElementGroups.of(value_map)
    asked: set[tuple[str, str]] = set()
    answers: list[str] = []
    for event in history:
        if isinstance(event, AnswerEvent):
            answers.append(event.text)
            continue
        probes = [event.probe]
        if event.probe.kind is ProbeKind.REDIRECT:
            continue
        for probe in probes:
            if is_remembered(probe):
                asked.add((intent_of(probe), groups.of_ids(probe.element_ids)))
        for skipped in event.skipped:  # answered already: as good as asked
            asked.add((skipped.intent, groups.of_ids(skipped.element_ids)))
    said: dict[str, list[SaidSentence]] = {intent: [] for intent in ANSWER_CUES}
    for index, answer in enumerate(answers):
        for sentence in sentences(answer):
            words: frozenset[str] | None = None
            for intent, cue in ANSWER_CUES.items():
                if cue.search(sentence):
                    words = words if words is not None else frozenset(content_words(sentence))
                    said[intent].append(SaidSentence(sentence, words, index))
    return Memory(groups, frozenset(asked), tuple(answers), {k: tuple(v) for k, v in said.items()})


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s+(?:but|and then|whereas)\s+", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """An answer's sentences, in the answer's own words (white space folded)."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s and s.strip()]
