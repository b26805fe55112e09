"""Core question 3, where does the value break down: duplication (step 6) and loss (step 7).

Duplication is recorded only where a sentence explicitly signals a second version of the value; it
links the propositions told around that sentence and the thresholds they are used at. Loss is any
reported waste (churn, refunds, support load, ...), linked to the threshold it is talked about with
(or, for losses realised after the sale, to the final threshold) and to a duplication said nearby,
so the map can show the framework's chain: this threshold -> this duplication -> this loss.
"""

from __future__ import annotations

from agent.extraction.offline.assembly import WINDOW_TURNS, Assembly
from agent.extraction.offline.cues.duplication import STATES_A_CONDITION, duplication_signal
from agent.extraction.offline.cues.losses import EXPECTATION_GAP
from agent.extraction.offline.naming import element_name, name_at_step, names_a_value
from agent.extraction.offline.numbers import shares, spoken_numbers
from agent.extraction.offline.reading import Sentence
from schemas.elements import Balance, DuplicationKind, LossKind, LossSignal
from schemas.extraction import DraftDuplication, DraftLoss, DraftMetric, DraftProposition

MAX_DUPLICATIONS = 10
MAX_LOSSES = 15
# Losses realised after the sale trace back to the purchase when nothing nearer is named.
_AFTER_THE_SALE = frozenset(
    {LossKind.CHURN, LossKind.REFUNDS, LossKind.DISCOUNT_DEPENDENCY, LossKind.LOW_ACTIVATION,
     LossKind.LENGTHENING_SALES_CYCLE, LossKind.SUPPORT_LOAD, LossKind.INTERNAL_MISALIGNMENT, LossKind.OTHER}
)  # fmt: skip
_TIME_UNITS = ("days", "weeks", "months", "hours")


def find_duplications(assembly: Assembly) -> None:
    """Step 6: a sentence signalling a second version of the value links the propositions told around it."""
    for sentence in assembly.evidence():
        kind = duplication_signal(sentence.plain)
        if kind is None and EXPECTATION_GAP.search(sentence.plain):
            kind = DuplicationKind.STAGE_REFRAMING  # "I thought it was included": the customer heard another version
        if kind is None:
            kind = assembly.likely_duplication(sentence.index)
        if kind is None:
            continue
        involved = _propositions_around(assembly, sentence, kind)
        if not involved:
            continue
        keys = [p.key for p in involved]
        # The same versions signalled twice ("Two different messages, I know.") are one duplication, whatever the
        # shape; a version told again against a third is the same duplication of that shape, grown.
        same = next((d for d in assembly.duplications if set(d.proposition_keys) == set(keys)), None) or next(
            (d for d in assembly.duplications if d.kind == kind and set(d.proposition_keys) & set(keys)), None
        )
        if same is not None:
            assembly.anchor(same.key, [sentence.index])
            same.proposition_keys.extend(k for k in keys if k not in same.proposition_keys)
            same.quotes = assembly.quotes(_evidence_of(assembly, same))
            continue
        if kind == DuplicationKind.CONDITIONAL_VALUE and not _states_both_versions(assembly, sentence, involved):
            continue
        if len(assembly.duplications) >= MAX_DUPLICATIONS:
            continue
        thresholds = list(dict.fromkeys(k for p in involved for k in p.used_at_keys if k.startswith("th-")))
        name = _duplication_name(sentence, kind, involved, assembly.duplications)
        key = assembly.keys.key("dup", name)
        assembly.duplications.append(
            DraftDuplication(
                key=key,
                name=name,
                detail=f"{kind.value.replace('_', ' ')}: " + " / ".join(p.name for p in involved),
                quotes=[],
                kind=kind,
                proposition_keys=keys,
                threshold_keys=thresholds,
            )
        )
        assembly.anchor(key, [sentence.index])
        assembly.duplications[-1].quotes = assembly.quotes(_evidence_of(assembly, assembly.duplications[-1]))


def _states_both_versions(assembly: Assembly, sentence: Sentence, involved: list[DraftProposition]) -> bool:
    """Whether a conditional value is told as two versions: in two sentences, or in one that says its condition
    ("Which is true, but only if you buy the instrument from us"). A slogan quoted alone ('The banner says "Cut your
    bill by up to 70%"') is a claim, not two versions of it: leave one out, 9 of the 11 such duplications matched no
    hand-made one (the 2 that did say "only if"). Other shapes say their second version in the signal itself
    ("..., but your sales guy told me ...")."""
    versions = {assembly.anchors[p.key][0] for p in involved if assembly.anchors.get(p.key)}
    return bool(versions - {sentence.index}) or STATES_A_CONDITION.search(sentence.plain) is not None


def _duplication_name(
    sentence: Sentence, kind: DuplicationKind, involved: list[DraftProposition], taken: list[DraftDuplication],
) -> str:
    """A duplication is named by the value told in more than one version ("No commitment"; its kind is in its
    detail); where no version has a name of its own, or another duplication has it already, by the signal
    sentence's noun phrase. Named by the signal sentence first, one in two names was a word of it and the kind
    ("Sure stage reframing", "Ad conditional value") and the rest as often its aside ("Users who've")."""
    named = next((p.name for p in involved if names_a_value(p.name)), None)
    if named is None or any(d.name.casefold() == named.casefold() for d in taken):
        return element_name(sentence.text, kind.value.replace("_", " "))  # two of one value: maps merge by name
    return named


def _evidence_of(assembly: Assembly, duplication: DraftDuplication) -> list[int]:
    """A duplication's evidence: the sentences that signal it and where each version of the value is told."""
    versions = [assembly.anchors[k][0] for k in duplication.proposition_keys if assembly.anchors.get(k)]
    return [*assembly.anchors[duplication.key], *versions]


def _propositions_around(assembly: Assembly, sentence: Sentence, kind: DuplicationKind) -> list[DraftProposition]:
    """The signal sentence's own proposition (where one is told in it) and the nearest other one, told within a few
    turns, or anywhere when the sentence tells none and none is told near.

    A signal sentence is not made a proposition of its own: "For lawyers the pitch is different" says a version
    exists, seldom what it promises; of the 18 made so on the tuned examples 1 matched a hand-made proposition, and
    without them the duplications matched as well (leave one out: propositions 18 fewer, F1 0.5871 -> 0.5890,
    duplications 114 -> 115 matched, the checks' figures the same)."""
    told_here = _told_here(assembly, sentence)
    own = [p for p in assembly.propositions if told_here & set(assembly.anchors[p.key])][:1]
    wanted = 1 if kind == DuplicationKind.CONDITIONAL_VALUE else 2
    told: list[tuple[int, DraftProposition]] = []
    near: list[tuple[int, DraftProposition]] = []
    for proposition in assembly.propositions:
        if proposition in own:
            continue
        anchors = assembly.anchors[proposition.key]
        told.append((min(abs(i - sentence.index) for i in anchors), proposition))
        turns = assembly.turns_apart(anchors, [sentence.index])
        if turns is not None and turns <= WINDOW_TURNS:
            near.append(told[-1])
    # A second version that comes out long after the first was told ("It's only true if you heated the whole house",
    # ten turns after the advert) still signals a version of some promise: the nearest one told, wherever it was.
    others = sorted(near if own or near else told, key=lambda o: o[0])
    if kind == DuplicationKind.AUDIENCE_DIVERGENCE and own:
        # Prefer the version told to someone else.
        others.sort(key=lambda o: (o[1].audience == own[0].audience, o[0]))
    return (own + [p for _, p in others])[:wanted]


def _told_here(assembly: Assembly, sentence: Sentence) -> set[int]:
    """The signal sentence and the next one in its turn: "For lawyers the pitch is different. It's "..."."""
    following = assembly.next_in_turn(sentence)
    return {sentence.index} if following is None else {sentence.index, following.index}


def find_losses(assembly: Assembly) -> None:
    """Step 7: reported waste, traced to a threshold and, where one is said nearby, to a duplication."""
    threshold_veps = list(assembly.threshold_of)
    final = next((t.key for t in assembly.thresholds if t.is_final), None)
    for sentence in assembly.evidence():
        cue = assembly.loss_cue(sentence.index) or assembly.likely_loss(sentence.index)
        if cue is None:
            continue
        metric = _metric(sentence, cue.kind)
        thresholds = _threshold_of_loss(assembly, sentence, cue.kind, threshold_veps, final)
        # One loss per kind and place: churn said in three turns about the same threshold is one loss, with every quote.
        same = next(
            (
                loss
                for loss in assembly.losses
                if loss.kind == cue.kind
                and (
                    any(assembly.sentences[i].turn == sentence.turn for i in assembly.anchors[loss.key])
                    or (thresholds and loss.threshold_keys == thresholds)
                )
            ),
            None,
        )
        if same is not None:
            assembly.anchor(same.key, [sentence.index])
            same.quotes = assembly.quotes(assembly.anchors[same.key])
            if same.metric is None and metric is not None:
                same.metric, same.signal = metric, LossSignal.METRIC
            for key in _duplications_behind(assembly, sentence, thresholds):
                if key not in same.duplication_keys:
                    same.duplication_keys.append(key)
            continue
        if len(assembly.losses) >= MAX_LOSSES:
            continue
        name = _loss_name(assembly, sentence, cue.kind, thresholds)
        key = assembly.keys.key("loss", name)
        told = _loss_told(assembly, sentence)
        assembly.losses.append(
            DraftLoss(
                key=key,
                name=name,
                detail=sentence.text,
                quotes=assembly.quotes(told),
                kind=cue.kind,
                signal=LossSignal.METRIC if metric is not None else cue.signal,
                metric=metric,
                duplication_keys=_duplications_behind(assembly, sentence, thresholds),
                threshold_keys=thresholds,
            )
        )
        assembly.anchor(key, told)


def _loss_told(assembly: Assembly, sentence: Sentence) -> list[int]:
    """A loss's sentence and the next of its turn, which says what it is or costs more often than not ("Almost half
    the tickets are marks. Parents asking why a B is a B."), unless that one tells a loss or a step of its own. Leave
    one out: 7 more of 503 losses matched, none found more, tuned 0.6057 -> 0.6075. A loss the typer reads in it is
    that sentence's own, as `find_losses` reads it."""
    following = assembly.next_in_turn(sentence)
    if following is None:
        return [sentence.index]
    its_own = assembly.loss_cue(following.index) or assembly.likely_loss(following.index)
    if its_own is not None or assembly.hits.get(following.index):
        return [sentence.index]
    return [sentence.index, following.index]


# A loss the framework names by its metric is named by that metric and the step it is counted at ("Drop-off at
# trial signup", "Churn after plan payment"): the sentence's own noun phrase is mostly who it happened to ("Rest
# drop-off" for "the rest drop off", "Big nationals"). Blame and other waste keep the words they were said in.
_LOSS_AT: dict[LossKind, tuple[str, str]] = {
    LossKind.DROP_OFF: ("Drop-off", "at"),
    LossKind.CHURN: ("Churn", "after"),
    LossKind.REFUNDS: ("Refunds", "after"),
    LossKind.SUPPORT_LOAD: ("Support load", "after"),
    LossKind.DISCOUNT_DEPENDENCY: ("Discount dependency", "at"),
    LossKind.LOW_ACTIVATION: ("Low activation", "after"),
    LossKind.LENGTHENING_SALES_CYCLE: ("Longer sales cycle", "at"),
}


def _loss_name(assembly: Assembly, sentence: Sentence, kind: LossKind, thresholds: list[str]) -> str:
    named = _LOSS_AT.get(kind)
    counted_at = thresholds[0] if thresholds else None
    threshold = next((t for t in assembly.thresholds if t.key == counted_at), None)
    taken = [loss.name for loss in assembly.losses]
    at_step = name_at_step(*named, threshold.name, threshold.condition, taken) if named and threshold else None
    return at_step or element_name(sentence.text, kind.value.replace("drop_off", "drop-off").replace("_", " "))


def _threshold_of_loss(
    assembly: Assembly, sentence: Sentence, kind: LossKind, threshold_veps: list[str], final: str | None
) -> list[str]:
    same_turn = assembly.reading.turn_sentences[sentence.turn]
    named = next((k for i in same_turn for k in assembly.talked_about(i) if k in threshold_veps), None)
    if named is not None:
        return [assembly.threshold_of[named]]
    if kind in _AFTER_THE_SALE and final is not None:
        return [final]
    vep = assembly.nearest(sentence, threshold_veps)
    if vep:
        return [assembly.threshold_of[vep]]
    return [final] if final is not None else []  # loss is realised downstream: the purchase, when nothing nearer is said


def _duplications_behind(assembly: Assembly, sentence: Sentence, thresholds: list[str]) -> list[str]:
    """A duplication said in the same turn or just before, or any, when the loss names an expectation gap;
    failing those, the one whose versions are told at the loss's threshold."""
    best: tuple[int, str] | None = None
    expectation_gap = EXPECTATION_GAP.search(sentence.plain) is not None
    for duplication in assembly.duplications:
        for i in assembly.anchors[duplication.key]:
            turns = sentence.turn - assembly.sentences[i].turn
            if 0 <= turns <= WINDOW_TURNS or expectation_gap:
                distance = abs(sentence.index - i)
                if best is None or distance < best[0]:
                    best = (distance, duplication.key)
    if best is None:
        at_threshold = [d.key for d in assembly.duplications if set(d.threshold_keys) & set(thresholds)]
        return at_threshold[:1]
    return [best[1]]


def _metric(sentence: Sentence, kind: LossKind) -> DraftMetric | None:
    label = kind.value.replace("_", " ")
    found = shares(sentence.plain)
    if found:
        share = found[0]
        return DraftMetric(name=label, value=share.value, unit="%", text=share.text_in(sentence.text))
    for number in reversed(spoken_numbers(sentence.plain)):
        after = sentence.plain[number.end :].lstrip().lower()
        unit = next((u for u in _TIME_UNITS if after.startswith(u)), None)
        if unit is not None:
            return DraftMetric(name=label, value=number.value, unit=unit, text=sentence.text[number.start : number.end])
    return None


# A version of the value that diverges from the one told at the threshold means the promise there is not what
# the customer later gets (layering, stage reframing) or holds only on conditions (conditional value). Versions
# told to different audiences diverge without saying which one overstates, so they do not count here.
_OVERSTATING = frozenset({DuplicationKind.LAYERING, DuplicationKind.STAGE_REFRAMING, DuplicationKind.CONDITIONAL_VALUE})


def judge_overstated_exchanges(assembly: Assembly) -> None:
    """Steps 5 and 6 read together: an exchange whose value diverges elsewhere in the stream is overstated.

    The seed's "value overstated to compensate for weakness" is rarely judged aloud; what the talk does say is
    the second version ("the ad says twenty minutes, most recipes take forty"). When such a duplication touches
    the threshold an exchange is made at, the exchange is judged overstated, with the duplication as its reason.
    A balance the speakers judged themselves is kept.
    """
    for exchange in assembly.exchanges:
        if exchange.balance != Balance.UNKNOWN:
            continue
        diverging = next(
            (
                d
                for d in assembly.duplications
                if d.kind in _OVERSTATING
                and (
                    exchange.threshold_key in d.threshold_keys
                    or any(exchange.threshold_key in p.used_at_keys for p in assembly.propositions
                           if p.key in d.proposition_keys)
                )
            ),
            None,
        )
        if diverging is not None:
            exchange.balance = Balance.VALUE_OVERSTATED
            exchange.balance_reason = f"the value told here diverges elsewhere ({diverging.kind.value.replace('_', ' ')}): {diverging.name}"
