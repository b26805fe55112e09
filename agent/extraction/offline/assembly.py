"""What one offline extraction holds while it runs: the sentences, the drafts so far, and their anchors.

Every draft element is *anchored* to the sentences it was read from. Anchors do two jobs: they become
the element's quotes (exact slices of the speaker's turn), and they let a later cue find the element
it belongs to: a resistance attaches to the VEP talked about in the same sentence, else in the same
turn, else in the question being answered, else a few turns back (`nearest`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from agent.extraction.offline.cues.customer_actions import ActionFamily, ActionHit, Frame
from agent.extraction.offline.cues.exchanges import balance_of
from agent.extraction.offline.cues.losses import LossCue, find_loss
from agent.extraction.offline.cues.resistance import ResistanceCue, find_resistance
from agent.extraction.offline.naming import KeyRegistry, action_name
from agent.extraction.offline.numbers import prices
from agent.extraction.offline.pricing import PriceSaid, prices_said
from agent.extraction.offline.reading import Reading, Sentence
from agent.extraction.offline.typer import cutoffs
from agent.extraction.offline.typer.features import sentence_features
from agent.extraction.offline.typer.model import SentenceTyper, bundled_typer
from schemas.elements import Balance, DuplicationKind, LossKind, LossSignal, Resource
from schemas.extraction import (
    DraftDuplication,
    DraftExchange,
    DraftLoss,
    DraftProposition,
    DraftQuote,
    DraftResistance,
    DraftStage,
    DraftThreshold,
    DraftVep,
)

# How far back (in turns, questions included) a cue may look for the element it is about, and how far
# (in sentences) within one long turn: a monologue's first minute says little about its tenth.
WINDOW_TURNS = 6
WINDOW_SENTENCES = 12
MAX_QUOTES = 4
ELABORATION_SENTENCES = 2  # how far a step's description may run on after it is named
# An element said again in every line of a repetitive transcript would otherwise gather thousands of anchors,
# each later sentence scanning them all: quadratic. Real interviews stay far below this.
MAX_ANCHORS = 64
# How many steps one file yields (customer steps, internal stages) is capped for one discovery session; a file
# that holds a day of meetings gets the cap once per session's length of talk, so its later meetings' steps are
# not crowded out. (Scaling the other caps too let a long file's noise in: F1 fell from 0.67 to 0.54.)
SESSION_WORDS = 2_500
_Kind = TypeVar("_Kind", Resource, LossKind, DuplicationKind)


@dataclass
class Evocation:
    """A VEP in the making: one family of customer action on one object, and where it was said."""

    family: ActionFamily
    verbs: set[str]  # base verbs said for it ("mark", "select")
    object_words: frozenset[str]
    phrase: str  # "book the first consultation"
    purchase: bool  # the customer pays here (or in one of the acts listed with it)
    required_at: list[int] = field(default_factory=list)  # sentences that require the action
    done_at: list[int] = field(default_factory=list)  # sentences where customers simply do it
    key: str = ""

    @property
    def name(self) -> str:
        """The step as a noun phrase. Where the object does not tell steps apart ("sign up", "register",
        "create an account" are one step), the family names it, so every file names the step alike and
        the map merges it into one element."""
        canonical = not self.family.by_object and not self.family.purchase
        return action_name(self.family.name if canonical else self.phrase)

    @property
    def first(self) -> int:
        return min(self.required_at + self.done_at)

    def accepts(self, hit: ActionHit) -> bool:
        """Whether `hit` speaks of this same action: same family, and (where objects matter) the same object."""
        if hit.family is not self.family:
            return False
        if not self.family.by_object or self.object_words & hit.object_words:
            return True
        return hit.verb in self.verbs and not (self.object_words and hit.object_words)


@dataclass
class Assembly:
    reading: Reading
    keys: KeyRegistry = field(default_factory=KeyRegistry)
    hits: dict[int, list[ActionHit]] = field(default_factory=dict)  # sentence -> customer actions in it
    evocations: list[Evocation] = field(default_factory=list)
    stages: list[DraftStage] = field(default_factory=list)
    veps: list[DraftVep] = field(default_factory=list)
    resistances: list[DraftResistance] = field(default_factory=list)
    thresholds: list[DraftThreshold] = field(default_factory=list)
    exchanges: list[DraftExchange] = field(default_factory=list)
    propositions: list[DraftProposition] = field(default_factory=list)
    duplications: list[DraftDuplication] = field(default_factory=list)
    losses: list[DraftLoss] = field(default_factory=list)
    anchors: dict[str, list[int]] = field(default_factory=dict)  # element key -> sentences it was read from
    mentions: dict[int, list[str]] = field(default_factory=dict)  # sentence -> VEPs named there by a verb
    noun_mentions: dict[int, list[str]] = field(default_factory=dict)  # sentence -> VEPs named by a noun only
    arrival_rank: dict[str, int] = field(default_factory=dict)  # stage -> 0 the channel, 1 the landing page
    price_at: dict[str, int] = field(default_factory=dict)  # final threshold -> the sentence its price was read from
    # final threshold -> the sentences its compensation, perceived value and accumulated loss were read from
    terms_at: dict[str, list[int]] = field(default_factory=dict)
    _resistance_cues: dict[tuple[int, bool], ResistanceCue | None] = field(default_factory=dict, repr=False)
    _loss_cues: dict[int, LossCue | None] = field(default_factory=dict, repr=False)
    _balances: dict[int, Balance] = field(default_factory=dict, repr=False)
    threshold_of: dict[str, str] = field(default_factory=dict)  # VEP key -> threshold key
    typer: SentenceTyper | None = None  # None: the bundled one
    _typed: dict[int, dict[str, float]] = field(default_factory=dict, repr=False)

    @property
    def sentences(self) -> list[Sentence]:
        return self.reading.sentences

    @cached_property
    def currency(self) -> str | None:
        """The currency the talk names most: what "seven eighty for the week" is in, when nobody says."""
        said = Counter(p.currency for s in self.evidence() for p in prices(s.plain) if p.currency)
        return said.most_common(1)[0][0] if said else None

    @cached_property
    def prices_said(self) -> dict[int, PriceSaid]:
        """Every price said about buying, by sentence (`pricing.prices_said`): read once, whoever asks."""
        return prices_said(self.reading, self.currency)

    @cached_property
    def sessions(self) -> int:
        """How many discovery sessions' worth of evidence the file holds (at least one)."""
        return max(1, sum(s.word_count for s in self.evidence()) // SESSION_WORDS)

    def at_most(self, cap: int) -> int:
        """`cap`, set for one session, for this file's length."""
        return cap * self.sessions

    def evidence(self) -> Iterable[Sentence]:
        return (s for s in self.reading.sentences if s.evidence)

    def anchor(self, key: str, indexes: Iterable[int]) -> None:
        held = self.anchors.setdefault(key, [])
        held.extend(i for i in indexes if i not in held)
        if len(held) > MAX_ANCHORS:  # keep the first (the quotes) and the latest (what is near what comes next)
            del held[MAX_QUOTES : len(held) - (MAX_ANCHORS - MAX_QUOTES)]

    def quotes(self, indexes: Iterable[int], limit: int = MAX_QUOTES) -> list[DraftQuote]:
        """Quotes of the given evidence sentences, in transcript order, without repeats."""
        chosen = sorted({i for i in indexes if self.sentences[i].evidence})[:limit]
        return [DraftQuote(text=self.sentences[i].text, speaker=self.sentences[i].speaker) for i in chosen]

    def sentences_about(self, vep_key: str) -> list[int]:
        """Every sentence that talks about a VEP, by verb or by noun, in transcript order."""
        return sorted(i for i in set(self.mentions) | set(self.noun_mentions) if vep_key in self.talked_about(i))

    def talked_about(self, index: int) -> list[str]:
        """The VEPs a sentence talks about, by verb first, then by noun."""
        return self.mentions.get(index, []) + self.noun_mentions.get(index, [])

    def resistance_cue(self, index: int, answers_why: bool = False) -> ResistanceCue | None:
        """`find_resistance` of a sentence, read once: several passes ask it of the same sentence."""
        key = (index, answers_why)
        if key not in self._resistance_cues:
            self._resistance_cues[key] = find_resistance(self.sentences[index].plain, answers_why)
        return self._resistance_cues[key]

    def likely(self, index: int, label: str) -> float:
        """How likely the learned typer finds it that an element of type `label` quotes sentence `index`."""
        if index not in self._typed:
            sentence = self.sentences[index]
            typer = self.typer or bundled_typer()
            self._typed[index] = typer.probabilities(sentence_features(sentence.text, self.reading.question(sentence.turn)))
        return self._typed[index][label]

    def rules_out(self, index: int, label: str) -> bool:
        """Whether the typer all but rules out that sentence `index` tells an element of type `label`: the ground
        on which it overrules a cue."""
        return self.likely(index, label) < cutoffs.OVERRULE_BELOW

    def _kinds(self, index: int, prefix: str, kinds: Iterable[_Kind]) -> dict[_Kind, float]:
        """How likely the typer reads each kind in sentence `index` ("lacks:capacity", "loss:churn"), in the
        enum's order (the framework's)."""
        return {k: self.likely(index, f"{prefix}:{k.value}") for k in kinds}

    def _likeliest(self, index: int, prefix: str, kinds: Iterable[_Kind]) -> _Kind:
        odds = self._kinds(index, prefix, kinds)
        return max(odds, key=lambda k: odds[k])  # a tie goes to the kind listed first

    def likely_resources(self, index: int) -> list[Resource]:
        """What the learned typer reads sentence `index` as saying is lacking: every likely one, else the likeliest."""
        odds = self._kinds(index, "lacks", Resource)
        return [r for r, p in odds.items() if p >= cutoffs.LIKELY_RESOURCE] or [self._likeliest(index, "lacks", Resource)]

    def likely_duplication(self, index: int) -> DuplicationKind | None:
        """The shape of duplication the learned typer reads in sentence `index`, if it is sure there is one."""
        if self.likely(index, "Duplication") < cutoffs.ADD_DUPLICATION:
            return None
        return self._likeliest(index, "duplication", DuplicationKind)

    def loss_cue(self, index: int) -> LossCue | None:
        """`find_loss` of a sentence, read once."""
        if index not in self._loss_cues:
            self._loss_cues[index] = find_loss(self.sentences[index].plain)
        return self._loss_cues[index]

    def balance(self, index: int) -> Balance:
        """`balance_of` a sentence, read once: the exchanges and the verdicts said away from them both ask it."""
        if index not in self._balances:
            self._balances[index] = balance_of(self.sentences[index].plain)
        return self._balances[index]

    def likely_loss(self, index: int) -> LossCue | None:
        """The loss the learned typer reads in sentence `index` where the cue lexicon reads none: its likeliest kind."""
        if self.likely(index, "Loss") < cutoffs.ADD_LOSS:
            return None
        return LossCue(self._likeliest(index, "loss", LossKind), LossSignal.BEHAVIOUR, 0)

    def value_told_at(self, vep_key: str) -> list[int]:
        """The sentence each proposition used at a VEP is first told in: what a step evokes is said of it too."""
        return [self.anchors[p.key][0] for p in self.propositions if vep_key in p.used_at_keys and self.anchors.get(p.key)]

    def next_in_turn(self, sentence: Sentence) -> Sentence | None:
        """The sentence after `sentence` in the same turn, if any."""
        following = sentence.index + 1
        if following < len(self.sentences) and self.sentences[following].turn == sentence.turn:
            return self.sentences[following]
        return None

    def elaboration(self, told: Iterable[int], vep_key: str, depth: int = ELABORATION_SENTENCES) -> list[int]:
        """The sentences right after a step is named, in the same turn, that go on describing it ("Fill in the
        match form. Year group, subject, exam board ..."): they stop at the first one that names another step."""
        more: list[int] = []
        for index in told:
            turn = self.sentences[index].turn
            for following in range(index + 1, index + 1 + depth):
                if following >= len(self.sentences) or self.sentences[following].turn != turn:
                    break
                named = self.talked_about(following)
                if (named and vep_key not in named) or any(h.frame == Frame.STRONG for h in self.hits.get(following, [])):
                    break
                if self.resistance_cue(following) is not None or self.loss_cue(following) is not None:
                    break  # the why or the waste: evidence of a resistance or a loss, not a description of the step
                if following not in more:
                    more.append(following)
        return more

    def turns_apart(self, first: Iterable[int], second: Iterable[int]) -> int | None:
        """How many turns separate the closest of two sets of sentences (None if either set is empty)."""
        turns = {self.sentences[i].turn for i in second}
        gaps = [abs(self.sentences[i].turn - t) for i in first for t in turns]
        return min(gaps) if gaps else None

    def closest(self, sentence: Sentence, among: Iterable[str]) -> str | None:
        """The key of `among` anchored closest to `sentence`, in sentences before or after it, however far: where
        `nearest` finds nothing in the talk around it. The first listed wins a tie."""
        held = [(min(abs(i - sentence.index) for i in anchors), key) for key in among if (anchors := self.anchors.get(key))]
        return min(held, key=lambda d: d[0], default=(0, None))[1]

    def nearest(self, sentence: Sentence, among: Collection[str]) -> str | None:
        """The VEP of `among` talked about closest to `sentence`: in it, in its turn, in the question it
        answers, else in the turns before it. At each of these levels a verb ("they book") outranks a noun
        ("the booking form")."""
        if not among:
            return None
        for mentions in (self.mentions, self.noun_mentions):
            for key in mentions.get(sentence.index, ()):
                if key in among:
                    return key
        for mentions in (self.mentions, self.noun_mentions):
            for distance in range(1, WINDOW_SENTENCES + 1):
                for j in (sentence.index - distance, sentence.index + distance):  # the earlier one first
                    if 0 <= j < len(self.sentences) and self.sentences[j].turn == sentence.turn:
                        for key in mentions.get(j, ()):
                            if key in among:
                                return key
        question = self.reading.question_of.get(sentence.turn)
        turns = [question] if question is not None else []
        turns += [t for t in range(sentence.turn - 1, max(-1, sentence.turn - 1 - WINDOW_TURNS), -1) if t != question]
        for turn in turns:
            found = self._last_mention(turn, among)
            if found:
                return found
        return None

    def _last_mention(self, turn: int, among: Collection[str]) -> str | None:
        for mentions in (self.mentions, self.noun_mentions):
            for j in reversed(self.reading.turn_sentences.get(turn, [])[-WINDOW_SENTENCES:]):
                for key in mentions.get(j, ()):
                    if key in among:
                        return key
        return None
