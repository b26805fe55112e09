"""The offline extractor's names a client deck can use, and its scores on the examples written blind to it.

The blind floors sit below the measured figures (benchmarks/extractor_quality.py, README "Without a
model"), so noise cannot fail them but a regression does. Nothing here tunes the extractor: the blind
texts are only read to be scored.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from agent.checks import check_map
from agent.evaluation import score_map
from agent.extraction.offline import extract_offline
from agent.extraction.offline.cues.internal_work import find_internal_work
from agent.extraction.offline.naming import (
    MAX_NAME_WORDS,
    MIN_NAME_WORDS,
    action_name,
    element_name,
    said_as_a_name,
    work_name,
)
from agent.mapping import MappingResult, Perspectives, map_transcripts
from agent.semantics import MiniLMEmbedder
from agent.sources import parse_transcript
from agent.storage import load_map
from benchmarks.extractor_quality import Design, pooled
from schemas.elements import Perspective
from schemas.evaluation import EvaluationReport

EXAMPLES = Path(__file__).parents[1] / "transcripts"
ALL = sorted(p.name for p in EXAMPLES.iterdir() if (p / "map.json").is_file())
PRONOUNS = {"i", "we", "you", "they", "he", "she", "it", "my", "our", "their", "your"}
# A name ending on one of these was cut mid-phrase ("Almost half of our support tickets are some").
_FUNCTION_WORDS = """a an the this that these those some any every each no not and or but so if as than
of in on at by for with from to into about over after before up off out is are was were be been have has had do
does did can could would will should must may might very really just per"""
CUT_ENDINGS = PRONOUNS | set(_FUNCTION_WORDS.split())
# Measured F1 (offline, MiniLM matching) on each blind example, minus a margin of 0.05; where an earlier floor was
# higher, it stays. Retraining the typer on four more examples moved payroll software from 0.53 to 0.47 (and
# others by up to 0.04 either way): per-example figures move that much with the training set.
BLIND_F1_FLOOR = {"blind-budgeting-app-freemium": 0.57, "blind-kitchen-sensors-subscription": 0.67,
                  "blind-payroll-software": 0.53, "blind-vet-wellness-plan": 0.45, "held-out-b2b-marketplace": 0.56,
                  "blind-bike-service-plan": 0.50, "blind-physio-clinic": 0.56, "blind-ticketing-platform": 0.57,
                  "blind-pharmacy-delivery": 0.63, "blind-contract-software": 0.51, "blind-dog-daycare": 0.56,
                  "blind-food-wholesale": 0.50}


# Pooled over the twelve blind examples (the README's table): each element type's F1 less 0.04, overall less 0.02
# (the pooled figure moved by about 0.01 when the typer was retrained; one type, with fewer elements, moves more).
# Measured: stages 0.61, VEPs 0.49, resistances 0.83, thresholds 0.58, exchanges 0.48, propositions 0.68,
# duplications 0.47, losses 0.48, overall 0.602 (stages 0.58 and overall 0.595 before a step read from a fragment
# was told by the sentence after it; losses 0.47 and overall 0.592 before a loss quoted the next sentence
# of its turn; exchanges 0.43 and overall 0.588 before an exchange quoted every
# sentence it was read from; losses 0.48 and overall 0.590 before losses were named by their step). Losses
# were 0.41 and duplications 0.39 before the typer's cut-offs were chosen again (typer/cutoffs.py); stages 0.50 and overall 0.567 before a step the typer is sure of was added
# though its words name no act; resistances 0.80, stages 0.56 and overall 0.581 before the typer overruled a cue
# it all but rules out without reading the sentence as something else.
BLIND_TYPE_F1_FLOOR = {"stages": 0.57, "veps": 0.45, "resistances": 0.79, "thresholds": 0.54, "exchanges": 0.44,
                       "propositions": 0.64, "duplications": 0.43, "losses": 0.44}
BLIND_POOLED_F1_FLOOR = 0.58

# The checks on the eleven blind maps with a design (benchmarks/extractor_quality.py --blind): designed findings
# raised 62 of 84 and must-stay-quiet codes raised 15 of 163 when this floor was last set (61 and 15 before a step
# the typer is sure of was added though its words name no act; 58 and 15 before a
# then-and-now said in one long sentence was an improvement and a customer's verdict said far from every step judged
# the closest unjudged exchange; 57 and 15 before a second
# version of the value said far from the first was kept and the typer's cut-offs chosen again; 56 and 14 before a lack
# said far from every step went to a step that is no threshold; 58 and 17 before every threshold had an exchange,
# a trade chosen on the tuned examples; 25 quiet before a step took the value told nearest to it and a threshold the
# nearest second reason, 31 before the purchase figures and the walkthrough's links); three findings' margin below,
# and the ceiling kept where it was (two above).
BLIND_DESIGNED_RAISED_FLOOR = 59
BLIND_QUIET_RAISED_CEILING = 17


@functools.cache
def mapped(example: str) -> MappingResult:
    gold = load_map(EXAMPLES / example / "map.json")
    customers = [p.name for s in gold.sources for p in s.stakeholders if p.perspective is Perspective.CUSTOMER]
    return map_transcripts([EXAMPLES.parent / s.path for s in gold.sources if s.path],
                           perspectives=Perspectives(by_source={s.id: s.perspective for s in gold.sources},
                                                     customers=customers))


def name_problem(name: str) -> str | None:
    words = name.split()
    if not MIN_NAME_WORDS <= len(words) <= MAX_NAME_WORDS:
        return f"{len(words)} words"
    if any(mark in name for mark in ",;:!?\""):
        return "punctuation of a sentence"
    if words[0].casefold() in PRONOUNS:
        return "starts with a pronoun: a sentence, not a noun phrase"
    if words[-1].casefold().strip(".") in CUT_ENDINGS:
        return f"ends mid-phrase on {words[-1]!r}"
    return None


@pytest.mark.parametrize("example", ALL)
def test_every_offline_name_is_a_short_noun_phrase(example: str) -> None:
    bad = {e.name: problem for e in mapped(example).value_map.elements() if (problem := name_problem(e.name))}
    assert bad == {}


@pytest.mark.parametrize("example", ALL)
def test_no_two_steps_of_an_offline_map_share_a_name(example: str) -> None:
    """One element per step: two VEPs (or stages, thresholds) both called "Plan purchase" cannot be told apart."""
    value_map = mapped(example).value_map
    for kind in (value_map.stages, value_map.veps, value_map.thresholds):
        names = [e.name.casefold() for e in kind]
        assert sorted({n for n in names if names.count(n) > 1}) == []


@pytest.mark.parametrize("example", ALL)
def test_no_stage_is_told_only_in_words_another_stage_quotes(example: str) -> None:
    """One element per step: "Paid social" beside "Paid social ads", both from "Mostly paid social ads on Instagram"
    (seen in the online-therapy example), is one step named twice. A stage its VEP points at is the customer's step
    and always stays."""
    value_map = mapped(example).value_map
    customer_steps = {v.stage_id for v in value_map.veps}
    said = {s.id: {(q.source_id, q.text) for q in s.evidence} for s in value_map.stages}
    repeated = [(s.name, o.name) for s in value_map.stages if s.id not in customer_steps and not s.improvements
                for o in value_map.stages if o is not s and said[s.id] <= said[o.id]
                and (len(said[o.id]) > len(said[s.id]) or value_map.stages.index(o) < value_map.stages.index(s))]
    assert repeated == []


@pytest.mark.parametrize(("text", "name"), [
    ("Almost half of our support tickets are some kind of", "Support tickets"),
    ("Two different messages, I know", "Different messages"),
    ("We don't have our own vans", "Own vans"),
    ("In exchange they get access to the whole list for free", "Access to the whole list"),
    ("Dinner on the table in 20 minutes", "Dinner on the table"),
    ("Sales tells them it's a curated network", "Curated network"),
    ("Every lawyer is checked by our team", "Lawyer loss"),  # "is checked" is a verb, not part of a name
    ("We bought a stock-control system in October", "Stock-control system"),  # when is not what
    ("The booking calendar last winter", "Booking calendar"),
    ("Cancellations in the first months", "Cancellations in the first months"),  # how long stays
])
def test_a_cut_sentence_becomes_its_noun_phrase(text: str, name: str) -> None:
    assert element_name(text, "loss") == name


@pytest.mark.parametrize(("phrase", "name"), [
    ("book the first consultation", "First consultation booking"),
    ("sign up", "Account signup"),
    ("create an account", "Account creation"),
    ("pay forty-nine euros a month", "Monthly payment"),
    ("start a fourteen-day free trial", "Free trial start"),
    ("dig out their own strings", "Own strings digging"),
    ("ship the parts", "Parts shipping"),
    ("grant read access", "Read access grant"),
    ("place an order", "Customer order"),  # never one word, though the act is the thing ordered
    ("be at home", "Home presence"),
    ("come into the clinic", "Clinic visit"),  # not "Clinic coming"
    # A price said per unit names the payment by its terms, not by the unit alone (were "Head payment", "Front
    # payment", "Day payment" on the bundled maps).
    ("pay sixty-two pounds a head", "Payment per head"),
    ("pay forty-five euros per user per month", "Payment per user"),
    ("pay three hundred and ten a day", "Daily payment"),
    ("pay up front", "Upfront payment"),
    ("pay ten pounds a class", "Payment per class"),  # one "s" off a plural, not every one
    ("pay the deposit", "Deposit payment"),
    ("pay fifty pounds for a session", "Session payment"),  # what it buys, not a price per unit
])
def test_a_customer_action_is_named_as_its_step(phrase: str, name: str) -> None:
    assert action_name(phrase) == name


@pytest.mark.parametrize(("statement", "name"), [
    ("Tell us where it hurts", "Tell us where it hurts"),  # was "Hurts promise"
    ('The website says "Updated daily."', "Updated daily"),  # the words quoted, not the sentence reporting them
    ("Hand us the shoebox and forget about it.", "Hand us the shoebox"),  # its first clause
    ("Every machine, every night.", "Every machine every night"),
    ("One monthly price. Everything included. No surprises.", "One monthly price"),
    ("You're protected from day one.", None),  # a sentence: "You're ..." is no name
    ("You’re protected from day one.", None),  # with a curly apostrophe too
    ("Honestly it's the best value.", None),
    ("Does it work?", None),
    ("No surprises.", "No surprises"),
    ("Claims paid in a day.", "Claims paid in a day"),  # "claims" the noun reports nothing
    ('A 5" screen and a 10" tablet, all for one price.', None),  # inch marks quote nothing
    ("Food, staff, crockery, setup, clear-down.", None),  # a list reads as one thing without its commas
    ("In exchange for their email, they get a free trial.", None),  # half a sentence
    ("Everybody says that sounds brilliant.", None),  # reports what was said
    ("Install it once and never think about backups again, whatever happens.", "Install it once"),
])
def test_a_short_promise_is_named_as_it_was_said(statement: str, name: str | None) -> None:
    assert said_as_a_name(statement) == name
    if name is not None:
        assert name_problem(name) is None


def test_a_duplication_is_named_by_the_value_told_in_two_versions() -> None:
    """Named by the signal sentence, one in two duplications on the tuned maps was a word of it and the kind:
    "Sure stage reframing", "Ad conditional value"."""
    text = ("Consultant: What do you tell new members, and how does it land?\n\n"
            'Ola Berg: The poster says "Unlimited classes, any club."\n\n'
            "Mia Lund: I thought it was every club, the pool in town as well, and it isn't.\n")
    draft = extract_offline(parse_transcript(text, format="markdown", source_id="s", interviewers=["Consultant"]))
    assert [d.name for d in draft.duplications] == ["Unlimited classes any club"]


@pytest.mark.parametrize(("phrase", "name"), [
    ("forget the password", "Password forgetting"),  # stressed on its last syllable: the consonant doubles
    ("visit the showroom", "Showroom visiting"),  # not on its last: it does not
    ("ship the parts", "Parts shipping"),
])
def test_a_verb_with_no_noun_of_its_own_is_named_by_its_gerund(phrase: str, name: str) -> None:
    assert action_name(phrase) == name


@pytest.mark.parametrize(("sentence", "name"), [
    ("Marketing scores the lead, an SDR calls, and so on.", "Lead scoring"),  # not "Marketing step"
    ("We send a quote and we hold the boat for five days.", "Quote sending"),  # not "Quote step"
    ("The warehouse picks the order.", "Order picking"),  # not "Warehouse step"
    ("Ops reviews every trial account by hand.", "Trial account review"),  # not "Ops reviews"
    ("The instructor writes up progress notes in the app.", "Progress notes write-up"),  # not "Instructor step"
    ("We provision their workspace.", "Workspace provisioning"),
    ("Sofia's team calls the lawyer.", "Lawyer call"),
    ("We plan the bake from the order sheet at four.", "Bake planning"),  # what it is done to ends at how or when
    ("We ship the orders next day.", "Orders shipping"),
    ("We chase the others twice.", "Others chasing"),
    ("We check the claim the customer sent.", "Claim check"),  # not "Customer sent check"
    ("We send the customer a quote.", "Quote sending"),  # the thing sent, not the one it is sent to
    ("We check every single one of the invoices.", "Invoices check"),  # not "Single check"
    ("We check everyone's documents.", "Everyone's documents check"),
    ("We send the reminder thirty days before.", "Reminder sending"),  # a figure after the thing says when
    ("Our driver sent me a message the night before his first shift.", "Message sending"),  # me: who it went to
])
def test_the_organisations_work_is_named_by_what_it_is_done_to(sentence: str, name: str) -> None:
    work = find_internal_work(sentence)
    assert work is not None
    assert work_name(work.verb, work.acted_on) == name


@pytest.mark.parametrize("sentence", [
    "Then we write to the partners.",  # the partners are not what is written
    "We check whether they paid.",  # a clause, not a thing
    "We pick up the car from the station.",  # picking up is not picking
    "We send back the faulty units.",
    "We answer within a day.",
    "The account manager rings about three months before.",  # when, not whom
    "Every CV we send gets reformatted into our template.",  # "we send" is a clause about the CV: no object
])
def test_work_that_names_no_thing_it_is_done_to_is_not_named_by_one(sentence: str) -> None:
    """The clause's own words name it instead (`element_name`), as before."""
    work = find_internal_work(sentence)
    assert work is not None and work_name(work.verb, work.acted_on) is None


def test_work_on_everyone_or_on_a_clause_is_no_work() -> None:
    assert find_internal_work("We call everyone who came in, usually the next day.") is None
    assert find_internal_work("We check it's a real company, not a competitor poking around.") is None


WALKTHROUGH = """\
Interviewer: How does it start?

Nadia Okoro: Marketing scores the lead, and the good ones get a call the same day.

Interviewer: Then what happens?

Nadia Okoro: The warehouse picks the order.
"""


def test_a_walkthrough_names_each_stage_by_the_work_done() -> None:
    """Told "what happens next?", the work said is a stage named by what it is done to, not "Marketing step"."""
    transcript = parse_transcript(WALKTHROUGH, format="markdown", source_id="walk", interviewers=["Interviewer"])
    names = [stage.name for stage in extract_offline(transcript).stages]
    assert "Lead scoring" in names and "Order picking" in names
    assert not any(name.endswith(" step") for name in names), names


@functools.cache
def blind_report(example: str) -> EvaluationReport:
    return score_map(mapped(example).value_map, load_map(EXAMPLES / example / "map.json"), embedder=MiniLMEmbedder())


@pytest.mark.parametrize("example", sorted(BLIND_F1_FLOOR))
def test_the_blind_examples_keep_their_measured_score(example: str) -> None:
    f1 = blind_report(example).overall.f1
    assert f1 is not None and f1 >= BLIND_F1_FLOOR[example]


def test_the_blind_examples_pooled_keep_their_measured_score_per_element_type() -> None:
    """The issue's bar is per type (none below 0.4), so each type is pinned on its own, pooled over the twelve."""
    overall, per_type = pooled(blind_report(example) for example in sorted(BLIND_F1_FLOOR))
    f1 = {kind: round(tally.f1 or 0.0, 3) for kind, tally in per_type.items()}
    assert {kind: value for kind, value in f1.items() if value < BLIND_TYPE_F1_FLOOR[kind]} == {}
    assert overall.f1 is not None and overall.f1 >= BLIND_POOLED_F1_FLOOR


def test_the_checks_on_the_blind_maps_keep_their_measured_figures() -> None:
    designed = raised_designed = quiet = raised_quiet = 0
    for example in sorted(BLIND_F1_FLOOR):
        design = Design.of(EXAMPLES / example)
        if design is None:
            continue
        raised = {f.code for f in check_map(mapped(example).value_map).findings}
        designed, raised_designed = designed + len(design.designed), raised_designed + len(design.designed & raised)
        quiet, raised_quiet = quiet + len(design.quiet), raised_quiet + len(design.quiet & raised)
    assert (designed, quiet) == (84, 163)  # the blind designs as written
    assert raised_designed >= BLIND_DESIGNED_RAISED_FLOOR
    assert raised_quiet <= BLIND_QUIET_RAISED_CEILING
