"""Step 1 and the stages: where the system requires the customer to act, and the work around it.

A VEP is one family of customer action on one object ("book the first consultation"), found where a
sentence *requires* it. Each VEP gets a customer-facing stage. The organisation's own work ("ops
reviews every trial account") becomes internal stages, with any improvements made to them; the
checks, not the extractor, judge whether those stages are anchored in value consumption.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.extraction.offline.assembly import Assembly, Evocation
from agent.extraction.offline.cues import negated
from agent.extraction.offline.cues.caseless import caseless
from agent.extraction.offline.cues.channels import arrival_in
from agent.extraction.offline.cues.customer_actions import (
    ActionHit,
    Frame,
    content_words,
    family_named,
    find_actions,
    mentioned_families,
    requirement_in_other_words,
)
from agent.extraction.offline.cues.improvements import find_improvement, improvement_over
from agent.extraction.offline.cues.internal_work import PRODUCING, WorkCue, find_internal_work, step_named
from agent.extraction.offline.naming import (
    act_named_in,
    action_name,
    element_name,
    names_an_act,
    names_nothing,
    says_only_when,
    work_name,
)
from agent.extraction.offline.pricing import best_price
from agent.extraction.offline.reading import Sentence
from agent.extraction.offline.typer import cutoffs
from schemas.elements import Activation, Actor, ValueLink
from schemas.extraction import DraftStage, DraftVep

MAX_VEPS = 12
MAX_INTERNAL_STAGES = 10
_IMPROVEMENT_WORDS = 16
_FRAGMENT_WORDS = 6  # a sentence this short names a step at most; the one after it tells it


def locate_evocation_points(assembly: Assembly, customers: frozenset[str] = frozenset()) -> None:
    """Find the VEPs: customer actions the talk says are required (strong frames), and the steps a customer in
    the room tells of taking ("I booked the scan for the following week")."""
    for sentence in assembly.sentences:
        assembly.hits[sentence.index] = find_actions(sentence.plain, sentence.context, sentence.position)
    _gather(assembly, Frame.STRONG)
    _taken_by_the_customer(assembly, customers)
    _gather(assembly, Frame.MEDIUM, lambda s: assembly.likely(s.index, "ValueEvocationPoint") >= cutoffs.ADD_VEP)
    if not assembly.evocations:
        # Nothing is said to be required: fall back on what customers are said to do.
        _gather(assembly, Frame.MEDIUM)
    _requirements_the_typer_finds(assembly)
    _add_done_evidence(assembly)
    if not any(e.purchase for e in assembly.evocations):
        _purchase_from_price(assembly)
    kept = sorted(assembly.evocations, key=lambda e: (-len(e.required_at) - len(e.done_at), e.first))[: assembly.at_most(MAX_VEPS)]
    assembly.evocations = _one_per_name(sorted(kept, key=lambda e: e.first))
    for evocation in assembly.evocations:
        evocation.key = assembly.keys.key("vep", evocation.phrase)
        stage_key = assembly.keys.key("stage", evocation.phrase)
        indexes = evocation.required_at + evocation.done_at
        name = evocation.name
        first = assembly.sentences[evocation.first]
        assembly.veps.append(
            DraftVep(
                key=evocation.key,
                name=name,
                detail=first.text,
                quotes=assembly.quotes(evocation.required_at or evocation.done_at),
                stage_key=stage_key,
                customer_action=evocation.phrase,
                proposition_keys=[],
                activation=Activation.UNKNOWN,
            )
        )
        assembly.anchor(evocation.key, indexes)
        # A step where the customer acts to move the stream on leads towards consumption: indirect at least.
        assembly.stages.append(
            DraftStage(
                key=stage_key,
                name=name,
                detail=first.text,
                quotes=assembly.quotes(indexes, limit=2),
                actor=Actor.CUSTOMER,
                customer_visible=True,
                value_link=ValueLink.INDIRECT,
                internally_necessary=None,
                improvements=[],
            )
        )
        assembly.anchor(stage_key, indexes)
    _index_mentions(assembly)


_FIRST_PERSON = caseless(r"\b(?:I|we)\s+(?:[\w']+\s+){0,2}$")


def _taken_by_the_customer(assembly: Assembly, customers: frozenset[str]) -> None:
    """A customer's own "I booked the scan", "we signed the same day": a step they took, so a step of the stream;
    "I had to create an account", "they wanted me to choose a slot": a step required of them."""
    if not customers:
        return
    for sentence in assembly.evidence():
        if sentence.speaker not in customers:
            continue
        obliged = False  # the last act was required of the speaker: the acts listed after it are too
        for hit in assembly.hits[sentence.index]:
            before = sentence.plain[: hit.start]
            if hit.frame > Frame.MEDIUM or hit.family.open:
                obliged = False
                continue
            listed = obliged and _LISTED_NEXT.search(before) is not None
            obliged = _required_of_the_speaker(before) or listed
            if not obliged and (hit.frame != Frame.MEDIUM or not _FIRST_PERSON.search(before)):
                continue
            if hit.family.purchase and _held(assembly, hit) is None and not (listed and hit.family.name == "pay"):
                # "I bought new lenses", "I had to buy new lenses": a customer's life, not this stream; paying listed
                # after the stream's own steps ("create an account, pick a box size, and put in my card") is its step
                continue
            evocation = _evocation_for(assembly, hit)
            if obliged and sentence.index not in evocation.required_at:
                evocation.required_at.append(sentence.index)
                if sentence.index in evocation.done_at:
                    evocation.done_at.remove(sentence.index)
            elif sentence.index not in evocation.required_at + evocation.done_at:
                evocation.done_at.append(sentence.index)


def _held(assembly: Assembly, hit: ActionHit) -> Evocation | None:
    """The VEP in the making that `hit` speaks of, if there is one."""
    return next((e for e in assembly.evocations if e.accepts(hit)), None)


def _evocation_for(assembly: Assembly, hit: ActionHit) -> Evocation:
    """The VEP in the making that `hit` speaks of, its verb added (and its object, where it had none), else a new one."""
    evocation = _held(assembly, hit)
    if evocation is None:
        evocation = Evocation(hit.family, {hit.verb}, hit.object_words, hit.phrase, hit.family.purchase)
        assembly.evocations.append(evocation)
    elif not evocation.object_words and hit.object_words:
        evocation.object_words, evocation.phrase = hit.object_words, hit.phrase  # the fuller phrase names it
    evocation.verbs.add(hit.verb)
    return evocation


# The customer telling what was required of them: "I had to create an account", "they wanted me to choose a slot",
# "they made me create an account". Not "I got to choose" (allowed), not "I had to admit I booked" (another clause).
_OBLIGED_SPEAKER = caseless(
    r"\b(?P<modal>(?:I|we) (?:had|have|needed|need|must) to|(?:want|ask|need|tell)(?:s|ed)? (?:me|us) to|"
    r"told (?:me|us) to|(?:make|makes|made) (?:me|us)|(?:I|we) (?:was|were) (?:asked|told|made|required) to)"
    r"\s+(?:(?!(?:I|we|you|they|he|she|it)\b)[\w']+\s+)?$",
)
_NOT_SO = caseless(r"\b(?:if|would|wouldn't|unless)\b[^,;]*$")  # "If I had to create an account, ..."
_LISTED_NEXT = caseless(r",\s*(?:and\s+)?(?:then\s+)?$|\s(?:and|then)\s+$")


def _required_of_the_speaker(before: str) -> bool:
    """Whether the words before an act say it was required of the customer speaking, and not that it was not
    ("They didn't ask me to create an account") or would have been ("If I had to create an account I'd leave")."""
    said = _OBLIGED_SPEAKER.search(before)
    return said is not None and not negated(before, said.start("modal")) and not _NOT_SO.search(before[: said.start()])


def _one_per_name(evocations: list[Evocation]) -> list[Evocation]:
    """Two acts that name the same step ("buy" and "purchase", each with nothing said to tell them apart) are one
    step: a map with two "Plan purchase" VEPs cannot be read, and a client would count the step twice. Turning up
    for what was booked ("sixty percent show up") is the end of the booking step, not a step of its own: its
    figure is how many cross the booking."""
    by_name: dict[str, Evocation] = {}
    booked: Evocation | None = None
    for evocation in evocations:
        held = by_name.get(evocation.name.casefold())
        if held is None and evocation.family.name == "attend" and not evocation.object_words and booked is not None:
            held = booked
        if held is None:
            by_name[evocation.name.casefold()] = evocation
            booked = evocation if evocation.family.name == "book" else booked
            continue
        _fold_into(held, evocation)
    return list(by_name.values())


def _fold_into(held: Evocation, other: Evocation) -> None:
    held.verbs |= other.verbs
    held.purchase = held.purchase or other.purchase
    held.required_at = sorted(set(held.required_at + other.required_at))
    held.done_at = sorted(set(held.done_at + other.done_at) - set(held.required_at))


def _gather(assembly: Assembly, frame: Frame, sure: Callable[[Sentence], bool] = lambda _: True) -> None:
    for sentence in assembly.evidence():
        if not sure(sentence):
            continue
        in_sentence: list[Evocation] = []
        for hit in assembly.hits[sentence.index]:
            if hit.frame < frame:
                continue
            if hit.coordinated and in_sentence:
                # One requirement naming several acts: "they have to fill in the profile and agree to ...".
                joined = in_sentence[-1]
                if hit.phrase not in joined.phrase:
                    joined.phrase = f"{joined.phrase}, {hit.phrase}"
                joined.purchase = joined.purchase or hit.family.purchase
                continue
            evocation = _evocation_for(assembly, hit)
            in_sentence.append(evocation)
            if sentence.index not in evocation.required_at:
                evocation.required_at.append(sentence.index)


def _requirements_the_typer_finds(assembly: Assembly) -> None:
    """A sentence the typer is sure tells a step where the customer must act, which no cue read as one, is one where
    it names the act in words the cues pass over (`requirement_in_other_words`)."""
    held = {i for evocation in assembly.evocations for i in evocation.required_at + evocation.done_at}
    told: set[int] = set()
    for sentence in assembly.evidence():
        if sentence.index in held or assembly.likely(sentence.index, "ValueEvocationPoint") < cutoffs.ADD_VEP:
            continue
        hit = requirement_in_other_words(sentence.plain)
        if hit is not None:
            assembly.hits[sentence.index].append(hit)
            told.add(sentence.index)
    _gather(assembly, Frame.STRONG, lambda s: s.index in told)


def _add_done_evidence(assembly: Assembly) -> None:
    for sentence in assembly.evidence():
        for hit in assembly.hits[sentence.index]:
            if hit.frame != Frame.MEDIUM:
                continue
            for evocation in assembly.evocations:
                if evocation.accepts(hit) and sentence.index not in evocation.required_at + evocation.done_at:
                    evocation.done_at.append(sentence.index)


def _purchase_from_price(assembly: Assembly) -> None:
    """No purchase verb is required anywhere, but a price is named: the customer must pay it."""
    best = best_price(list(assembly.prices_said.values()))
    if best is not None and best.score > 0:
        amount = best.price.text_in(best.sentence.text)
        phrase = f"pay {amount[:1].lower()}{amount[1:]}"
        pay = Evocation(family_named("pay"), {"pay"}, frozenset(), phrase, True, [best.sentence.index])
        assembly.evocations.append(pay)


def _index_mentions(assembly: Assembly) -> None:
    """Which VEP each sentence (questions included) talks about, by its verb or its noun."""
    by_family: dict[str, list[Evocation]] = {}
    for evocation in assembly.evocations:
        by_family.setdefault(evocation.family.name, []).append(evocation)
    for sentence in assembly.sentences:
        keys: list[str] = []
        for evocation in assembly.evocations:
            if sentence.index in evocation.required_at or sentence.index in evocation.done_at:
                keys.append(evocation.key)
        for hit in assembly.hits[sentence.index]:
            if hit.coordinated:
                continue  # part of the VEP required in this sentence, not a mention of another one
            match = next((e for e in by_family.get(hit.family.name, []) if e.accepts(hit)), None)
            if match is not None and match.key not in keys:
                keys.append(match.key)
        if keys:
            assembly.mentions[sentence.index] = keys
        nouns: list[str] = []
        for family_hit, _ in mentioned_families(sentence.plain):
            family = by_family.get(family_hit.name, [])
            # A noun names a step only where it cannot mean two ("the booking": which one?).
            if len(family) == 1 and family[0].key not in keys + nouns:
                nouns.append(family[0].key)
        if nouns:
            assembly.noun_mentions[sentence.index] = nouns


def describe_internal_work(assembly: Assembly) -> None:
    """Internal stages from sentences where the organisation does the work, and improvements made to any stage."""
    found: list[tuple[str, frozenset[str], str, list[int], bool]] = []  # verb, words, name, sentences, obliged
    for sentence in assembly.evidence():
        if any(h.frame == Frame.STRONG for h in assembly.hits[sentence.index]):
            continue  # a sentence about what the customer must do is not about internal work
        work = find_internal_work(sentence.plain)
        if work is None:
            step = step_named(sentence.plain)
            if step is not None and not _named_already(assembly, step):
                words = content_words(step)
                name = element_name(step, "step")
                same = next((f for f in found if f[1] & words or f[2].casefold() == name.casefold()), None)
                if same is not None:
                    same[3].append(sentence.index)
                else:
                    found.append(("", words, name, [sentence.index], False))
            continue
        words = content_words(work.clause) - {work.verb}
        name = _work_named(work)
        if names_nothing(name):
            continue  # "we still call pretty much everyone": work said, but of nothing a stage can be named by
        # One element per step: two kinds of work the names cannot tell apart ("Event step") are one stage.
        same = next((f for f in found if (f[0] == work.verb and f[1] & words) or f[2].casefold() == name.casefold()), None)
        if same is not None:
            same[3].append(sentence.index)
        else:
            found.append((work.verb, words, name, [sentence.index], work.obliged))
    found = [f for f in found if not all(_ruled_out_as_work(assembly, i) for i in f[3])]
    found.sort(key=lambda f: (-len(f[3]), f[3][0]))
    internal = sorted(found[: assembly.at_most(MAX_INTERNAL_STAGES)], key=lambda f: f[3][0])
    for verb, _, name, indexes, obliged in internal:
        # Work that makes or brings what the customer consumes leads to value (indirect); reporting, scoring and
        # checking may or may not, which only the people in the room can say.
        link = ValueLink.INDIRECT if verb in PRODUCING else ValueLink.UNKNOWN
        _add_stage(assembly, name, indexes, Actor.ORGANISATION, visible=False, link=link,
                   necessary=True if obliged else None)
    _stages_from_walkthrough(assembly)
    _record_improvements(assembly)
    _find_arrival(assembly)
    _stages_the_typer_finds(assembly)  # last: every rule's stage has taken its sentences first
    order_in_stream(assembly)


def _ruled_out_as_work(assembly: Assembly, index: int) -> bool:
    """The typer all but rules out a step in the sentence, and it does not answer "what happens next?": there the
    interview's own walk through the stream says a step is told, in whatever words the typer has not learned."""
    asked = assembly.reading.question(assembly.sentences[index].turn)
    return assembly.rules_out(index, "Stage") and not _NEXT_STEP.search(asked)


# Questions that walk the stream. "What happens to the ones who ...?" asks about a loss, not a step.
_NEXT_STEP = caseless(
    r"\bwhat (?:actually |usually )?happen(?:s|ed)\b(?! to\b)|\bwhat comes (?:next|after)|"
    r"\bhow (?:does|do|did) (?:[\w'-]+ ){1,5}(?:work|happen|go|get (?:[\w-]+ ){0,2}[\w-]+)\?|\bwhat (?:does|did|do) (?:[\w'-]+ ){1,5}(?:involve|look like)\b|"
    r"\bwhat's the next step|"
    r"\bwhat is the next step|\band then what|\bwhere does (?:it|that|the \w+) go (?:next|from there)|"
    r"\bwhat do (?:they|you|customers|people) do (?:next|then|after)|\bhow does (?:it|that) (?:start|begin|work)|"
    r"\bwhere does (?:it|that|this|the \w+) (?:usually |normally |typically )?(?:start|begin)|\bwhat has to happen|"
    r"^\W*(?:and |so )?then (?:the |a |an )?\w+[^.?]{0,40}\?\s*$|^\W*(?:and |so )?after (?:the|that|this|a|an|signing|switch-on)\b",
)
_CUSTOMER = r"(?:they|you|the customer|customers|the client|clients|he|she|people)"
_CUSTOMER_NAMED = caseless(rf"\b(?:{_CUSTOMER}|them|their|your|him|her)\b")
_CUSTOMER_FIRST = caseless(rf"^\W*(?:\w+,? )?{_CUSTOMER}\b")


def _stages_from_walkthrough(assembly: Assembly) -> None:
    """A step told in answer to "what happens next?": the interview walks the stream, so the first thing said
    in that answer is the next stage, whatever words it is said in (unless a stage already holds it)."""
    anchored = _step_sentences(assembly)
    for answer in assembly.reading.question_of:
        if not _NEXT_STEP.search(assembly.reading.question(answer)):
            continue
        said = [s for s in assembly.reading.in_turn(answer) if s.evidence][:2]
        if not said or any(s.index in anchored for s in said):
            continue
        name = element_name(said[0].text, "step")
        if not names_nothing(name) and not _named_already(assembly, name):
            _add_told_stage(assembly, name, said[0], on_the_way=True)


def _stages_the_typer_finds(assembly: Assembly) -> None:
    """Sentences the learned typer takes for a step of the stream, where no rule found one."""
    anchored = _step_sentences(assembly)
    added = 0
    for sentence in assembly.evidence():
        if added >= cutoffs.MAX_ADDED_STAGES:  # per file: scaling every cap per session let a long file's noise in
            break
        if sentence.index in anchored or assembly.likely(sentence.index, "Stage") < cutoffs.ADD_STAGE:
            continue
        if assembly.loss_cue(sentence.index) is not None or assembly.resistance_cue(sentence.index) is not None:
            continue  # the waste or the why said at a step: a loss or a resistance, read later
        name = _step_said(assembly, sentence)
        if not names_an_act(name) and (assembly.likely(sentence.index, "Stage") < cutoffs.ADD_STEP_NAMED_BY_NO_ACT
                                       or names_nothing(name) or says_only_when(name) or name.endswith(" step")):
            continue  # a step is something done: "Spiral staircase" is not one unless the typer is sure of it
        if _named_already(assembly, name):
            continue
        _add_told_stage(assembly, name, sentence)
        added += 1


def _step_said(assembly: Assembly, sentence: Sentence) -> str:
    """A step named by the act its sentence tells, where a cue knows the act ("I ring them back and book the
    survey": "Survey booking"; "the warehouse picks the order": "Order picking"), else by its words."""
    act = next((h for h in assembly.hits[sentence.index] if not h.coordinated and h.object_words), None)
    if act is not None:
        return action_name(act.phrase)
    work = _work_told(sentence)
    if work is not None:
        return _work_named(work)
    return act_named_in(sentence.text) or element_name(sentence.text, "step")


def _work_told(sentence: Sentence) -> WorkCue | None:
    """The organisation's work told in a sentence, else the speaker's own ("I reconcile the ledger"). Only for a
    sentence already known to tell a step (an improvement's turn, a step the typer is sure of): a customer says "I
    upload the invoices" too (`find_internal_work`)."""
    return find_internal_work(sentence.plain) or find_internal_work(sentence.plain, first_person=True)


def _work_named(work: WorkCue) -> str:
    """"Marketing scores the lead" is "Lead scoring": the work by what it is done to, else by the clause's words."""
    return work_name(work.verb, work.acted_on) or element_name(work.clause, "step")


def _step_sentences(assembly: Assembly) -> set[int]:
    """The sentences a stage or VEP already holds."""
    return {i for key, indexes in assembly.anchors.items() if key.startswith(("stage-", "vep-")) for i in indexes}


def _named_already(assembly: Assembly, name: str) -> bool:
    return any(content_words(name) & content_words(stage.name) for stage in assembly.stages)


def _add_told_stage(assembly: Assembly, name: str, sentence: Sentence, *, on_the_way: bool = False) -> None:
    """A stage read from one sentence that says who takes the step, if anyone. `on_the_way`: told as the next step
    of the customer's way to the value ("what happens next?"), so it leads there, whoever takes it."""
    customer = _CUSTOMER_FIRST.match(sentence.plain) is not None
    # The organisation's step done to or for the customer ("we ring them within a day") is one they see, on
    # their way to the value; one that never names them may be purely internal, so its link stays unknown.
    seen = _CUSTOMER_NAMED.search(sentence.plain) is not None  # a step the customer takes names them too
    _add_stage(assembly, name, [sentence.index], Actor.CUSTOMER if customer else Actor.ORGANISATION,
               visible=seen, link=ValueLink.INDIRECT if seen or on_the_way else ValueLink.UNKNOWN, necessary=None)


def _find_arrival(assembly: Assembly) -> None:
    """Where the stream starts: the channel customers arrive by and the page they land on, one stage each.

    Named from the channel ("Paid social ads") or the page ("Quote page"), and left out where a stage
    already covers that page. Both come before every customer step (see `order_in_stream`).
    """
    channels: dict[str, list[int]] = {}
    pages: dict[str, list[int]] = {}
    for sentence in assembly.evidence():
        arrival = arrival_in(sentence.plain)
        if arrival is None:
            continue
        if arrival.channel:
            channels.setdefault(arrival.channel, []).append(sentence.index)
        if arrival.landing:
            pages.setdefault(arrival.landing.casefold(), []).append(sentence.index)
    named = [content_words(stage.name) for stage in assembly.stages]
    found: list[tuple[str, list[int], Actor]] = []
    if channels:
        channel, indexes = max(channels.items(), key=lambda item: (len(item[1]), -item[1][0]))
        found.append((channel, indexes, Actor.ORGANISATION))
    if pages:
        page, indexes = max(pages.items(), key=lambda item: (len(item[1]), -item[1][0]))
        if not any(content_words(page) & words for words in named):
            found.append((element_name(page, "page"), indexes, Actor.CUSTOMER))
    for rank, (name, indexes, actor) in enumerate(found):
        key = _add_stage(assembly, name, indexes, actor, visible=True, link=ValueLink.INDIRECT, necessary=None)
        assembly.arrival_rank[key] = rank


def _add_stage(assembly: Assembly, name: str, indexes: list[int], actor: Actor, *, visible: bool, link: ValueLink,
               necessary: bool | None) -> str:
    """A stage read from `indexes` (its detail the first of them, its quotes the first two), anchored there."""
    key = assembly.keys.key("stage", name)
    assembly.stages.append(
        DraftStage(
            key=key,
            name=name,
            detail=assembly.sentences[indexes[0]].text,
            quotes=assembly.quotes(indexes, limit=2),
            actor=actor,
            customer_visible=visible,
            value_link=link,
            internally_necessary=necessary,
            improvements=[],
        )
    )
    assembly.anchor(key, indexes)
    return key


# The order customers go through steps, whatever order they are talked about in: you sign up before you
# connect anything, you pick before you book, and you pay last.
STREAM_ORDER = (
    "sign up", "log in", "start a trial", "verify", "fill in", "share details", "install", "connect", "upload",
    "send", "choose", "invite", "claim", "accept", "book", "attend", "watch", "activate", "buy", "pay", "subscribe",
    "sign the contract",
)


def order_in_stream(assembly: Assembly) -> None:
    """Stages in stream order: each customer step by its place in `STREAM_ORDER` (then as first told), and the
    organisation's own work right after the customer step it was told after."""
    first_of = {stage.key: min(assembly.anchors[stage.key]) for stage in assembly.stages}
    family_of = {e.key: e.family.name for e in assembly.evocations}
    step_rank: dict[str, float] = {}
    for vep in assembly.veps:
        family = family_of.get(vep.key, "")
        if vep.stage_key is None:
            continue
        step_rank[vep.stage_key] = STREAM_ORDER.index(family) if family in STREAM_ORDER else len(STREAM_ORDER)
    told = sorted((first_of[key], rank) for key, rank in step_rank.items() if key in first_of)

    def rank(stage: DraftStage) -> tuple[float, int]:
        if stage.key in assembly.arrival_rank:  # the channel, then the page customers land on: before any step
            return -3.0 + assembly.arrival_rank[stage.key], first_of[stage.key]
        if stage.key in step_rank:
            return step_rank[stage.key], first_of[stage.key]
        before = [r for at, r in told if at <= first_of[stage.key]]
        return (before[-1] + 0.5 if before else -1.0), first_of[stage.key]

    assembly.stages.sort(key=rank)


def _record_improvements(assembly: Assembly) -> None:
    """Each change the organisation made to its own work, on the stage it was made to (a stage of its own
    where none is named): the efficiency-trap check weighs whether the customer sees it."""
    improved_at = -1  # the sentence last found to say an improvement on its own
    for sentence in assembly.evidence():
        before = assembly.sentences[sentence.index - 1] if sentence.position > 0 else None
        if find_improvement(sentence.plain) is not None:
            said, improved_at = [sentence], sentence.index
        elif (before is not None and before.index != improved_at and improvement_over(before.plain, sentence.plain)
              and find_improvement(before.plain) is None):
            said = [before, sentence]  # "It used to take me half a day." "It's about forty minutes now."
        else:
            continue
        stage = next((found for s in said if (found := _stage_improved(assembly, s)) is not None), None)
        if stage is None:
            work_at, clause = _work_told_before(assembly, said[0])
            name = element_name(clause or sentence.text, "step")
            stage = DraftStage(
                key=assembly.keys.key("stage", name),
                name=name,
                detail=" ".join(s.text for s in [*work_at, *said]),
                quotes=[],
                actor=Actor.ORGANISATION,
                customer_visible=False,
                value_link=ValueLink.UNKNOWN,
                internally_necessary=None,
                improvements=[],
            )
            assembly.stages.append(stage)
            assembly.anchor(stage.key, [s.index for s in work_at])
        assembly.anchor(stage.key, [s.index for s in said])
        stage.quotes = assembly.quotes(assembly.anchors[stage.key])
        told = " ".join(re.sub(r"\s+", " ", s.text) for s in said).split()
        stage.improvements.append(" ".join(told[: _IMPROVEMENT_WORDS * len(said)]))


def _work_told_before(assembly: Assembly, sentence: Sentence) -> tuple[list[Sentence], str | None]:
    """Where the speaker told the work an improvement that names none was made to, and the clause that says it:
    the work said just before it, by the organisation or by the speaker ("Every morning I load the rates." "We
    bought a rate-shopping tool and now it's ten minutes."), else the first thing said in the turn (the answer
    to what they do), unnamed.

    The hand-made maps quote the work, not only its improvement: quoting the improvement alone, none of the 29
    stages made this way on the tuned examples matched one (leave one out); quoting the work, 12 more did."""
    earlier = [s for s in assembly.reading.in_turn(sentence.turn) if s.index < sentence.index and s.evidence]
    for candidate in reversed(earlier[-2:]):
        work = _work_told(candidate)
        if work is not None:
            return [candidate], work.clause
    return earlier[:1], None


# The words an improvement must share with a customer's step to be about it. One is too few: "I scripted the
# audit, it's fifteen minutes per account now" is the organisation's audit, not the customer's "Account signup".
# The step's act itself ("The upload used to take ten minutes") still names it. Measured on the tuned examples
# (leave one out), 1 -> 2: efficiency-trap designed and missed 11 -> 6, nothing that must stay quiet raised more;
# letting the act alone name the step changed nothing there.
CUSTOMER_STAGE_OVERLAP = 2


def _stage_improved(assembly: Assembly, sentence: Sentence) -> DraftStage | None:
    """The stage an improvement sentence is about: named in it (a customer's step by its act, "the upload", or by
    two words), else talked about just before it."""
    words = content_words(sentence.plain)
    best: tuple[int, int, DraftStage] | None = None
    for stage in assembly.stages:
        shared = words & content_words(stage.name)
        overlap = len(shared)
        acted = content_words(stage.name.split()[-1]) if stage.name.split() else frozenset()  # "upload" of "Invoices upload"
        if stage.customer_visible and overlap < CUSTOMER_STAGE_OVERLAP and not acted & shared:
            continue
        anchors = assembly.anchors.get(stage.key, [])
        recent = max((i for i in anchors if i <= sentence.index), default=-1)
        if overlap and (best is None or (overlap, recent) > best[:2]):
            best = (overlap, recent, stage)
    if best is not None:
        return best[2]
    window = [s for s in assembly.reading.in_turn(sentence.turn) if s.index < sentence.index]
    for earlier in reversed(window):
        for stage in assembly.stages:
            if earlier.index in assembly.anchors.get(stage.key, []):
                return stage
    return None


MENTION_QUOTES = 6
MAX_QUOTES_FIRST = 2  # the sentences that required the step are quoted whatever else is said of it


def quote_every_mention(assembly: Assembly) -> None:
    """Each customer step keeps the words of every sentence that talks about it (by verb or noun), not only
    the one that required it: a consultant checks a step against all it was told, and later sentences
    ("they pick a slot and describe the case") often say more than the first."""
    for vep in assembly.veps:
        told = [i for i in assembly.sentences_about(vep.key) if assembly.sentences[i].evidence]
        told = sorted(set(told) | set(assembly.elaboration(told, vep.key)))
        stages = [(s, s.key) for s in assembly.stages if s.key == vep.stage_key]
        thresholds = [(t, t.key) for t in assembly.thresholds if t.vep_key == vep.key]
        # What the purchase costs is said of the step too: "The plan is 129 euros a month" describes buying it.
        priced = [assembly.price_at[t.key] for t, _ in thresholds if t.key in assembly.price_at]
        first = sorted(set(assembly.anchors[vep.key][:MAX_QUOTES_FIRST]) | set(priced))
        evoked = assembly.value_told_at(vep.key)  # "What we tell them is 'Thirty days to pay'"
        for draft, key in ((vep, vep.key), *stages, *thresholds):
            assembly.anchor(key, [*told, *priced])
            lead = sorted(set(first) | set(evoked)) if draft is vep else first
            rest = [i for i in assembly.anchors[key] if i not in lead]
            draft.quotes = assembly.quotes([*lead, *rest][:MENTION_QUOTES], limit=MENTION_QUOTES)


def tell_fragments_in_full(assembly: Assembly) -> None:
    """A step read from a fragment ("The theory course.", "Integration.", "Mostly Instagram.") is told by the
    sentence after it in the same turn ("It's in the app, twenty-nine pounds, videos and practice questions"): the
    fragment names the step, the next sentence says what it is, so both are its quotes and its detail. Not where
    that sentence requires a customer step or moves on to the next ("Then they book a kickoff call"), or tells how
    customers arrive ("Mostly Google. They land on the pricing page"); and not after a whole sentence, which tells
    its step alone. Where a stage was read from that sentence alone ("Honestly it's busy. I ring them back and book
    the survey"), that stage is the one told, and takes the fragment as its first quote; the fragment's own stage
    then goes (`one_stage_per_telling`, run after this)."""
    customer_steps = {i for key, indexes in assembly.anchors.items() if key.startswith("vep-") for i in indexes}
    # The stages read from one sentence alone, as read (before any takes a fragment): two stages read from one
    # fragment ("Mostly referrals" is the channel and a step) both give the same stage its first quote.
    read_alone = {_only_sentence(assembly, s): s for s in assembly.stages if _only_sentence(assembly, s) is not None}
    for stage in assembly.stages:
        index = _only_sentence(assembly, stage)
        if index is None:
            continue
        said = assembly.sentences[index]
        after = said.index + 1
        if not _is_fragment(assembly, said) or after >= len(assembly.sentences):
            continue
        following = assembly.sentences[after]
        if (following.turn != said.turn or not following.evidence or after in customer_steps
                or _NEXT_TOLD.match(following.plain) or arrival_in(following.plain)):
            continue
        told_there = read_alone.get(after)
        if told_there is not None and (stage.improvements or arrival_in(said.plain)):
            # A stage with improvements stays whatever it shares, so two would quote the fragment; and a fragment
            # that says how customers arrive ("Mostly referrals, honestly.") is the channel, not the next step's name.
            continue
        told = told_there or stage
        told.quotes = assembly.quotes([said.index, after], limit=2)
        told.detail = f"{said.text} {following.text}"
        if told_there is not None:  # told as the next step, and seen if either says so
            if stage.value_link is ValueLink.INDIRECT:
                told_there.value_link = ValueLink.INDIRECT
            told_there.customer_visible = told_there.customer_visible or stage.customer_visible


def _only_sentence(assembly: Assembly, stage: DraftStage) -> int | None:
    """The one sentence a stage was read from and quotes, or None if it has more."""
    indexes = assembly.anchors.get(stage.key, [])
    return indexes[0] if len(stage.quotes) == 1 and len(indexes) == 1 else None


# A sentence that moves on to the next step ("Then they book a kickoff call"), and a reply that names nothing.
_NEXT_TOLD = caseless(r"\W*(?:and |so )?(?:then|after that|next)\b")
_ANSWER_WORD = caseless(r"\W*(?:yes|yeah|yep|no|nope|sure|right|okay|ok|well|exactly|absolutely|true|fine|hmm|mm)\W*$")


def _is_fragment(assembly: Assembly, sentence: Sentence) -> bool:
    """A few words that tell no act ("The grid application.", "Mostly referrals, honestly."), unlike "They book a
    delivery slot." or "The lab runs the blood test."."""
    return (sentence.word_count <= _FRAGMENT_WORDS and not _ANSWER_WORD.match(sentence.plain)
            and not assembly.hits[sentence.index] and _work_told(sentence) is None)


def one_stage_per_telling(assembly: Assembly) -> None:
    """A stage told only in words another stage already quotes is that stage told again ("Paid social" beside
    "Paid social ads", both from "Mostly paid social ads on Instagram"): one element per step. A customer step
    (its VEP points at it) and a stage with improvements recorded stay, whatever they share. Run once every step
    has all its quotes (`quote_every_mention`)."""
    kept_for_vep = {v.stage_key for v in assembly.veps}
    told = {s.key: {q.text for q in s.quotes} for s in assembly.stages}
    kept: list[DraftStage] = []
    for n, stage in enumerate(assembly.stages):
        mine = told[stage.key]
        if stage.key not in kept_for_vep and not stage.improvements and any(
            mine <= told[other.key] and (len(told[other.key]) > len(mine) or m < n)
            for m, other in enumerate(assembly.stages) if other is not stage
        ):
            continue
        kept.append(stage)
    assembly.stages = kept

