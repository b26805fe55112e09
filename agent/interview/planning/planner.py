"""The interview planner: what to ask next, from the map, the checks' findings and the conversation so far.

Deterministic and model-free: the same map, report and history give the same probe. In order:
1. past the time budget, close;
2. the last answer disagrees with an earlier one: a neutral probe quoting both, verbatim;
3. the last answer left the question (off-topic): a short redirect back to it, once;
4. after an abstract answer, ladder (consequence -> an example; at most twice per question);
5. under time pressure, the core questions not yet asked;
6. every few answers, a summary to confirm or correct;
7. the three core questions, in the framework's order (where it stops, and why; the value used; where
   it breaks down), unless the map already answers them;
8. the gaps, by priority: thresholds without an exchange, unexplained thresholds, untraced losses, the
   other findings by severity, the diagnostic steps the coverage board shows empty, the final threshold;
   info-level findings last; a different intent than the last question's where one is as urgent;
9. nothing left: close.
The memory (`memory.py`) keeps one rule across the session: an intent is asked of an element (with the
elements anchored to it and its near-duplicates) at most once, and an intent an earlier answer already
answered is skipped, with that answer's words as the reason. Intents that make no sense for an element
are not asked (at a purchase, what the customer gives is the price: ask what they get for it).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agent.interview.planning.abstract_answers import is_abstract, is_declined
from agent.interview.planning.contradictions import Contradiction, contradictions_with_last
from agent.interview.planning.coverage import CORE_COVERED_AT, coverage_of
from agent.interview.planning.memory import Memory, intent_of, remember
from agent.interview.planning.off_topic import is_off_topic
from agent.interview.planning.question_bank import (
    QuestionBank,
    fill,
    load_question_bank,
    placeholders_of,
    quoted,
    quoted_list,
)
from schemas.elements import Element
from schemas.findings import CheckReport, CoreQuestion, Finding, Severity
from schemas.interview import (
    AnswerEvent,
    CoverageBoard,
    DiagnosticStep,
    Probe,
    ProbeKind,
    QuestionEvent,
    SkippedProbe,
)
from schemas.value_map import ValueMap

SUMMARY_EVERY = 5  # answers between two summaries
SUMMARY_ITEMS = 4  # elements said back in one summary
MAX_RUNGS = 2  # consequence, then an example: a third rung on one question feels like an interrogation
PRESSURE_SHARE = 0.6  # past this share of the budget, low-priority probes are dropped

# Probe.priority: lower is asked first; from LOW_PRIORITY on, a probe is dropped under time pressure.
PRIORITY_CORE = 0
PRIORITY_CONTRADICTION = 1
PRIORITY_REDIRECT = 2
SAME_INTENT_SLACK = 15  # a probe of another intent this much less urgent is asked before a second in a row
PRIORITY_SUMMARY = 5
# The value called upon at a VEP is the heart of the second core question: asked right after the first's gaps.
PRIORITY_OF_CODE = {"missing-exchange": 10, "unexplained-threshold": 11, "untraced-loss": 12, "unnamed-value": 13}
PRIORITY_OF_SEVERITY = {Severity.ERROR: 20, Severity.WARNING: 30, Severity.INFO: 80}
PRIORITY_STEP = 40  # + the step's place in the agenda
PRIORITY_FINAL = 50
LOW_PRIORITY = 70
PRIORITY_LADDER = LOW_PRIORITY  # + the rung

# The step a core question probe is filed under (its key, and the step a model is told it explores).
CORE_STEP = {
    CoreQuestion.WHERE_IT_STOPS: DiagnosticStep.THRESHOLDS,
    CoreQuestion.VALUE_USED: DiagnosticStep.VALUE_EVOKED,
    CoreQuestion.VALUE_BREAKS: DiagnosticStep.DUPLICATION,
}
STEP_OF_CODE = {
    "activity-map": DiagnosticStep.VEPS,
    "suspect-stage": DiagnosticStep.VEPS,
    "efficiency-trap": DiagnosticStep.VEPS,
    "completeness-illusion": DiagnosticStep.VEPS,
    "unexplained-threshold": DiagnosticStep.RESISTANCE,
    "unresolved-resistance": DiagnosticStep.RESISTANCE,
    "unclassified-resistance": DiagnosticStep.RESISTANCE,
    "pull-unmeasured": DiagnosticStep.THRESHOLDS,
    "missing-final-threshold": DiagnosticStep.FINAL_THRESHOLD,
    "missing-exchange": DiagnosticStep.EXCHANGES,
    "one-sided-exchange": DiagnosticStep.EXCHANGES,
    "overstated-exchange": DiagnosticStep.EXCHANGES,
    "customer-over-gives": DiagnosticStep.EXCHANGES,
    "inert-value": DiagnosticStep.VALUE_EVOKED,
    "unnamed-value": DiagnosticStep.VALUE_EVOKED,
    "internal-narrative": DiagnosticStep.VALUE_EVOKED,
    "duplication": DiagnosticStep.DUPLICATION,
    "latent-loss": DiagnosticStep.LOSS,
    "untraced-loss": DiagnosticStep.LOSS,
    "subsidized-growth": DiagnosticStep.FINAL_THRESHOLD,
    "value-not-surviving": DiagnosticStep.FINAL_THRESHOLD,
    "value-unreckoned": DiagnosticStep.FINAL_THRESHOLD,
}
# For a check not listed above (e.g. `ungrounded`), the step of the element it names.
STEP_OF_COLLECTION = {
    "stages": DiagnosticStep.VEPS,
    "veps": DiagnosticStep.VEPS,
    "resistances": DiagnosticStep.RESISTANCE,
    "thresholds": DiagnosticStep.THRESHOLDS,
    "exchanges": DiagnosticStep.EXCHANGES,
    "propositions": DiagnosticStep.VALUE_EVOKED,
    "duplications": DiagnosticStep.DUPLICATION,
    "losses": DiagnosticStep.LOSS,
}
SUMMARISED_COLLECTIONS = ("veps", "resistances", "thresholds", "exchanges", "propositions", "duplications", "losses")


def probe_key(probe: Probe) -> str:
    """A probe's identity across a session: the same key is never asked twice."""
    step = probe.step.value if probe.step else "-"
    return f"{probe.kind.value}|{step}|{','.join(probe.element_ids)}|{probe.finding_code or '-'}"


@dataclass(frozen=True)
class Conversation:
    """What the planner needs from the history: what was asked, the last answer, where a ladder stands."""

    asked: frozenset[str]  # probe keys; a ladder rung's key is its root's key and the rung
    asked_probes: tuple[Probe, ...]
    last_question: QuestionEvent | None
    last_answer: str | None  # the answer to last_question, when it is the last event
    root: Probe | None  # the question the current ladder climbs from (None after a summary or close)
    rung: int  # ladder questions asked since the root
    answers_since_summary: int
    summarised_ids: frozenset[str]
    answers: tuple[str, ...] = ()
    probed_contradictions: frozenset[str] = frozenset()  # the fallback questions of contradiction probes


def read_conversation(history: Sequence[QuestionEvent | AnswerEvent]) -> Conversation:
    asked: set[str] = set()
    probes: list[Probe] = []
    last_question: QuestionEvent | None = None
    last_answer: str | None = None
    root: Probe | None = None
    rungs: dict[str, int] = {}  # per root question: a redirect and its re-ask share one count
    since_summary = 0
    summarised: set[str] = set()
    answers: list[str] = []
    contradictions: set[str] = set()
    for event in history:
        if isinstance(event, AnswerEvent):
            answers.append(event.text)
            if last_question is not None and last_question.probe.kind is not ProbeKind.SUMMARY:
                since_summary += 1
            last_answer = event.text if last_question is not None else None
            continue
        probe = event.probe
        last_question, last_answer = event, None
        probes.append(probe)
        if probe.kind in (ProbeKind.LADDER, ProbeKind.EXAMPLE) and root is not None:
            rungs[probe_key(root)] = rungs.get(probe_key(root), 0) + 1
            asked.add(_rung_key(root, rungs[probe_key(root)]))
            continue
        if probe.kind is ProbeKind.REDIRECT:
            continue  # the open question again: its ladder, if any, goes on counting
        asked.add(probe_key(probe))
        if probe.kind is ProbeKind.CONTRADICTION:
            contradictions.add(probe.fallback_question)
        if probe.kind is ProbeKind.SUMMARY:
            since_summary = 0
            summarised.update(probe.element_ids)
        root = probe if probe.kind in (ProbeKind.CORE, ProbeKind.FOLLOW_UP) else None
    rung = rungs.get(probe_key(root), 0) if root is not None else 0
    return Conversation(frozenset(asked), tuple(probes), last_question, last_answer, root, rung, since_summary,
                        frozenset(summarised), tuple(answers), frozenset(contradictions))


@dataclass(frozen=True)
class Plan:
    """The next probe, and what the planner passed over because an earlier answer already answered it."""

    probe: Probe
    skipped: tuple[SkippedProbe, ...] = ()


def next_probe(
    value_map: ValueMap,
    report: CheckReport,
    history: Sequence[QuestionEvent | AnswerEvent],
    *,
    elapsed_minutes: float = 0.0,
    budget_minutes: float | None = None,
) -> Probe:
    """What to ask next (see the module's docstring for the rules, in order)."""
    return plan_next(value_map, report, history, elapsed_minutes=elapsed_minutes,
                     budget_minutes=budget_minutes).probe


def plan_next(
    value_map: ValueMap,
    report: CheckReport,
    history: Sequence[QuestionEvent | AnswerEvent],
    *,
    elapsed_minutes: float = 0.0,
    budget_minutes: float | None = None,
    held_ids: frozenset[str] = frozenset(),
    corrections_said: frozenset[str] = frozenset(),
) -> Plan:
    """The next probe and the skips behind it. `held_ids`: elements a pending correction is about (not asked
    about until a person decides); `corrections_said`: sentences that correct the map (never set against others)."""
    bank = load_question_bank()
    talk = read_conversation(history)
    if budget_minutes is not None and elapsed_minutes >= budget_minutes:
        return Plan(_close(bank, "The time is up."))
    pressed = budget_minutes is not None and elapsed_minutes > PRESSURE_SHARE * budget_minutes
    if talk.last_answer is not None:
        if (contradiction := _contradiction(talk, corrections_said)) is not None:
            return Plan(contradiction)
        if (redirect := _redirect(talk, value_map)) is not None:
            return Plan(redirect)
    if not pressed and (ladder := _ladder(bank, talk)) is not None:
        return Plan(ladder)
    board = coverage_of(value_map)
    memory = remember(value_map, history)
    core = [p for p in _core_probes(bank, board, value_map) if probe_key(p) not in talk.asked
            and not memory.was_asked(p)]
    if pressed and core:
        return Plan(core[0])
    if talk.answers_since_summary >= SUMMARY_EVERY and (summary := _summary(value_map, bank, talk)) is not None:
        return Plan(summary)
    if core:
        return Plan(core[0])
    skipped: list[SkippedProbe] = []
    candidates: list[Probe] = []
    for probe in _gaps(value_map, report, board, bank, talk):
        if pressed and probe.priority >= LOW_PRIORITY:
            continue
        if memory.was_asked(probe) or any(i in held_ids for i in probe.element_ids):
            continue
        sensible = _making_sense(probe, value_map, bank)
        if sensible is None or memory.was_asked(sensible) or probe_key(sensible) in talk.asked:
            continue
        answered = memory.answered_before(sensible)
        if answered is not None:
            if all(memory.key(sensible) != (s.intent, memory.groups.of_ids(s.element_ids)) for s in skipped):
                skipped.append(answered)
            continue
        candidates.append(sensible)
    if candidates:
        return Plan(_varied(candidates, talk, memory), tuple(skipped))
    return Plan(_close(bank, "Nothing on the agenda is left to ask."), tuple(skipped))


def open_probes(value_map: ValueMap, report: CheckReport, history: Sequence[QuestionEvent | AnswerEvent]
                ) -> list[Probe]:
    """Every gap still worth asking about, best first: what a next session should start from."""
    bank = load_question_bank()
    talk = read_conversation(history)
    memory = remember(value_map, history)
    found: list[Probe] = []
    for probe in _gaps(value_map, report, coverage_of(value_map), bank, talk):
        sensible = _making_sense(probe, value_map, bank)
        if sensible is None or memory.was_asked(sensible) or memory.was_asked(probe) \
                or memory.answered_before(sensible) is not None or sensible in found:
            continue
        found.append(sensible)
    return found


def _varied(candidates: list[Probe], talk: Conversation, memory: Memory) -> Probe:
    """The most urgent probe, unless it asks what the last question asked (of another element) and a
    probe of another intent is nearly as urgent: "what did they expect" three times in a row is not listening."""
    best = candidates[0]
    last = talk.last_question.probe if talk.last_question is not None else None
    if last is None or intent_of(last) != intent_of(best):
        return best
    for probe in candidates[1:]:
        if probe.priority > best.priority + SAME_INTENT_SLACK:
            break
        if intent_of(probe) != intent_of(last):
            return probe
    return best


def _contradiction(talk: Conversation, corrections_said: frozenset[str]) -> Probe | None:
    bank = load_question_bank()
    for found in contradictions_with_last(talk.answers, excluded=corrections_said):
        probe = contradiction_probe(found, bank)
        if probe.fallback_question not in talk.probed_contradictions:
            return probe
    return None


def contradiction_probe(found: Contradiction, bank: QuestionBank) -> Probe:
    question = fill(bank.contradiction.question, earlier=quoted(found.earlier.rstrip(".!;,: ")),
                    later=quoted(found.later.rstrip(".!;,: ")))
    return Probe(kind=ProbeKind.CONTRADICTION,
                 intent=f"{bank.contradiction.intent} They disagree ({found.kind.value}) about: {found.about}.",
                 fallback_question=question, finding_code=f"contradiction:{found.key}",
                 priority=PRIORITY_CONTRADICTION)


def _redirect(talk: Conversation, value_map: ValueMap) -> Probe | None:
    """Once per open question: an answer that wandered off gets the question back, briefly."""
    question, answer = talk.last_question, talk.last_answer
    if question is None or answer is None or question.probe.kind in (ProbeKind.REDIRECT, ProbeKind.CLOSE,
                                                                      ProbeKind.SUMMARY):
        return None
    if is_declined(answer) or is_abstract(answer):
        return None
    names = [e.name for e in value_map.elements()]
    if not is_off_topic(answer, question.text, names):
        return None
    bank = load_question_bank()
    open_question = question.probe.fallback_question
    return Probe(kind=ProbeKind.REDIRECT, step=question.probe.step,
                 intent=f"{bank.redirect.intent} The open question: {open_question}",
                 fallback_question=fill(bank.redirect.question, question=open_question),
                 element_ids=question.probe.element_ids, finding_code=question.probe.finding_code,
                 priority=PRIORITY_REDIRECT)


def _core_probes(bank: QuestionBank, board: CoverageBoard, value_map: ValueMap) -> list[Probe]:
    """The core questions in the framework's order; after "where does it stop", "why" (the resistance)."""
    probes = []
    for q in CoreQuestion:
        if not board.covers(q):
            probes.append(Probe(kind=ProbeKind.CORE, step=CORE_STEP[q], intent=bank.core[q].intent,
                                fallback_question=bank.core[q].question, priority=PRIORITY_CORE + q.number - 1))
        if q is CoreQuestion.WHERE_IT_STOPS and board.of(DiagnosticStep.RESISTANCE).filled < CORE_COVERED_AT:
            probes.append(_why_it_stops(bank, value_map))
    return probes


def _why_it_stops(bank: QuestionBank, value_map: ValueMap) -> Probe:
    """The second half of the first core question, asked of the first place the stream stops."""
    entry = bank.steps[DiagnosticStep.RESISTANCE]
    explained = {r.vep_id for r in value_map.resistances}
    stops = [t for t in value_map.thresholds if t.purchase is None and t.vep_id not in explained]
    target = stops[0] if stops else None
    if target is None:
        return Probe(kind=ProbeKind.FOLLOW_UP, step=DiagnosticStep.RESISTANCE, intent=entry.intent,
                     fallback_question=entry.question, priority=PRIORITY_CORE)
    return Probe(kind=ProbeKind.FOLLOW_UP, step=DiagnosticStep.RESISTANCE, intent=entry.intent,
                 fallback_question=fill(entry.question_for, name=quoted(target.name)), element_ids=[target.id],
                 finding_code="unexplained-threshold", priority=PRIORITY_CORE)


def _making_sense(probe: Probe, value_map: ValueMap, bank: QuestionBank) -> Probe | None:
    """The probe, or the one that makes sense for its element instead (None: nothing to ask of it)."""
    first = probe.element_ids[0] if probe.element_ids else None
    purchase = next((t for t in value_map.thresholds if t.id == first and t.purchase is not None), None)
    if purchase is None:
        return probe
    intent = intent_of(probe)
    if intent == "exchange":  # what the customer gives at a purchase is the price: ask what they get for it
        return Probe(kind=ProbeKind.FOLLOW_UP, step=DiagnosticStep.FINAL_THRESHOLD,
                     intent=f"{bank.steps[DiagnosticStep.FINAL_THRESHOLD].intent} At {quoted(purchase.name)}, the "
                     "customer gives the price; what they get for it is the open question.",
                     fallback_question=fill(bank.final_threshold.price_and_value_for, name=quoted(purchase.name)),
                     element_ids=[purchase.id], finding_code="value-unreckoned", priority=probe.priority)
    if intent == "resistance":  # paying is the exchange itself, not a resource the organisation lacks
        return None
    return probe


def _ladder(bank: QuestionBank, talk: Conversation) -> Probe | None:
    root, answer = talk.root, talk.last_answer
    if root is None or answer is None or talk.rung >= MAX_RUNGS or is_declined(answer) or not is_abstract(answer):
        return None
    rung = talk.rung + 1
    if _rung_key(root, rung) in talk.asked:
        return None
    intent, question = [
        (bank.ladder.consequence_intent, bank.ladder.consequence),
        (bank.ladder.example_intent, bank.ladder.example),
    ][rung - 1]
    excerpt = textwrap.shorten(answer, width=100, placeholder=" ...") or "(no answer)"
    return Probe(
        kind=ProbeKind.EXAMPLE if rung == MAX_RUNGS else ProbeKind.LADDER,
        step=root.step,
        intent=f"{intent} Rung {rung} of {MAX_RUNGS}; the last answer stayed abstract: “{excerpt}”",
        fallback_question=question,
        element_ids=root.element_ids,
        finding_code=root.finding_code,
        priority=PRIORITY_LADDER + rung,
    )


def _rung_key(root: Probe, rung: int) -> str:
    return f"{probe_key(root)}>rung{rung}"


def _summary(value_map: ValueMap, bank: QuestionBank, talk: Conversation) -> Probe | None:
    """Say back the newest element of each kind not said back yet, the deepest kinds first (in stream order);
    nothing new, no summary."""
    latest: list[Element] = []
    for collection in SUMMARISED_COLLECTIONS:
        fresh = [e for e in getattr(value_map, collection) if e.id not in talk.summarised_ids]
        if fresh:
            latest.append(fresh[-1])
    latest = latest[-SUMMARY_ITEMS:]
    if not latest:
        return None
    items = "; ".join(f"{e.kind_name} {quoted(e.name)}" for e in latest)
    probe = Probe(kind=ProbeKind.SUMMARY, intent=f"{bank.summary.intent} Understood so far: {items}.",
                  fallback_question=fill(bank.summary.question, items=items),
                  element_ids=[e.id for e in latest], priority=PRIORITY_SUMMARY)
    return None if probe_key(probe) in talk.asked else probe


def _close(bank: QuestionBank, why: str) -> Probe:
    # The one probe that may repeat: once it is asked, the interview is over.
    return Probe(kind=ProbeKind.CLOSE, intent=f"{bank.close.intent} {why}", fallback_question=bank.close.question,
                 priority=PRIORITY_CORE)


def _gaps(value_map: ValueMap, report: CheckReport, board: CoverageBoard, bank: QuestionBank,
          talk: Conversation) -> list[Probe]:
    """Every gap not asked about yet, best first; each subject asked about once, in whichever words come first."""
    index = _Index.of(value_map)
    findings = [_finding_probe(f, index, bank) for f in report.findings]
    asked_topics = {index.topic(p) for p in talk.asked_probes if p.kind is ProbeKind.FOLLOW_UP and p.element_ids}
    finding_priority: dict[tuple[DiagnosticStep | None, str | None], int] = {}  # the most urgent finding per topic
    for finding in findings:
        topic = index.topic(finding)
        finding_priority[topic] = min(finding.priority, finding_priority.get(topic, finding.priority))
    coverage = [
        p for p in [*_step_probes(board, index, bank), *_final_probes(value_map, bank)]
        if (topic := index.topic(p)) not in asked_topics and finding_priority.get(topic, p.priority) >= p.priority
    ]
    best: dict[str, Probe] = {}
    for probe in [*findings, *coverage]:
        key = probe_key(probe)
        if key not in talk.asked and (key not in best or probe.priority < best[key].priority):
            best[key] = probe
    return sorted(best.values(), key=lambda p: p.priority)  # stable: the report's order within a priority


def _finding_probe(finding: Finding, index: _Index, bank: QuestionBank) -> Probe:
    step = STEP_OF_CODE.get(finding.code) or index.step_of(finding.element_ids) or CORE_STEP[finding.question]
    question = _fill_names(bank.follow_ups.get(finding.code), finding.element_ids, index)
    if question is None:
        question = _fill_names(bank.steps[step].question_for, finding.element_ids, index) or bank.steps[step].question
    return Probe(
        kind=ProbeKind.FOLLOW_UP,
        step=step,
        intent=f"{finding.reason} (check {finding.code}; the checks would ask: {finding.next_question})",
        fallback_question=question,
        element_ids=finding.element_ids,
        finding_code=finding.code,
        priority=PRIORITY_OF_CODE.get(finding.code, PRIORITY_OF_SEVERITY[finding.severity]),
    )


def _fill_names(template: str | None, element_ids: list[str], index: _Index) -> str | None:
    """The template with {name} (the first element) and {names}; None when it needs a name nobody has."""
    if template is None:
        return None
    names = [index.names[i] for i in element_ids if i in index.names]
    needed = placeholders_of(template)
    if needed and (not names or element_ids[0] not in index.names):
        return None
    propositions = [index.names[i] for i in element_ids if index.collection.get(i) == "propositions"]
    return fill(template, name=quoted(names[0]) if names else "", names=quoted_list(propositions or names)
                if names else "")


def _step_probes(board: CoverageBoard, index: _Index, bank: QuestionBank) -> Iterable[Probe]:
    for place, coverage in enumerate(board.steps):
        step = coverage.step
        if coverage.covered or step is DiagnosticStep.FINAL_THRESHOLD:  # the final threshold has its own probes
            continue
        entry = bank.steps[step]
        for slot in coverage.slots:
            if slot.filled >= 1:
                continue
            intent = f"{entry.intent} The map still needs {slot.needs} ({slot.filled:.0%} there)."
            targets = [i for i in slot.missing_ids if i in index.names]
            if not targets:
                yield Probe(kind=ProbeKind.FOLLOW_UP, step=step, intent=intent, fallback_question=entry.question,
                            priority=PRIORITY_STEP + place)
            for element_id in targets:
                yield Probe(kind=ProbeKind.FOLLOW_UP, step=step, intent=intent,
                            fallback_question=fill(entry.question_for, name=quoted(index.names[element_id])),
                            element_ids=[element_id], priority=PRIORITY_STEP + place)


def _final_probes(value_map: ValueMap, bank: QuestionBank) -> Iterable[Probe]:
    """Price against perceived value, and compensation. Each is filed under the check that watches it, so a
    finding about the same gap and this probe share one key and are asked once."""
    entry, step = bank.steps[DiagnosticStep.FINAL_THRESHOLD], DiagnosticStep.FINAL_THRESHOLD
    finals = [t for t in value_map.thresholds if t.purchase is not None]
    if not finals:
        yield Probe(kind=ProbeKind.FOLLOW_UP, step=step, intent=f"{entry.intent} The map has no purchase threshold.",
                    fallback_question=entry.question, finding_code="missing-final-threshold", priority=PRIORITY_FINAL)
    for threshold in finals:
        purchase = threshold.purchase
        assert purchase is not None
        name = quoted(threshold.name)
        if purchase.price is None or purchase.perceived_value is None:
            yield Probe(kind=ProbeKind.FOLLOW_UP, step=step,
                        intent=f"{entry.intent} At {name}, the price or the perceived value is unknown.",
                        fallback_question=fill(bank.final_threshold.price_and_value_for, name=name),
                        element_ids=[threshold.id], finding_code="value-unreckoned", priority=PRIORITY_FINAL)
        if not purchase.compensation:
            yield Probe(kind=ProbeKind.FOLLOW_UP, step=step,
                        intent=f"{entry.intent} At {name}, no compensation (discounts, incentives) is recorded.",
                        fallback_question=fill(bank.final_threshold.compensation_for, name=name),
                        element_ids=[threshold.id], finding_code="subsidized-growth", priority=PRIORITY_FINAL)


@dataclass(frozen=True)
class _Index:
    """Names, collections and anchors of a map's elements, looked up by id."""

    names: dict[str, str]
    collection: dict[str, str]
    anchor: dict[str, str]  # thresholds, resistances and exchanges are about their VEP

    @classmethod
    def of(cls, value_map: ValueMap) -> _Index:
        names: dict[str, str] = {}
        collection: dict[str, str] = {}
        for name in STEP_OF_COLLECTION:
            for element in getattr(value_map, name):
                names[element.id] = element.name
                collection[element.id] = name
        anchor = {t.id: t.vep_id for t in value_map.thresholds}
        anchor.update({r.id: r.vep_id for r in value_map.resistances})
        anchor.update({e.id: anchor.get(e.threshold_id, e.threshold_id) for e in value_map.exchanges})
        return cls(names, collection, anchor)

    def step_of(self, element_ids: list[str]) -> DiagnosticStep | None:
        first = self.collection.get(element_ids[0]) if element_ids else None
        return STEP_OF_COLLECTION[first] if first else None

    def topic(self, probe: Probe) -> tuple[DiagnosticStep | None, str | None]:
        """What a probe is about: its step and the point in the stream its first element sits at."""
        first = probe.element_ids[0] if probe.element_ids else None
        return probe.step, self.anchor.get(first, first) if first else None
