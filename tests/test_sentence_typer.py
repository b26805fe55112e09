"""The sentence typer: what it learned from, that it can be rebuilt, and what the rules do with what it reads.

The rules consult it through `cutoffs`: a sure reading adds an element no cue found, an unsure one drops
what a cue found. Those paths are tested with a typer whose weights are written here (a word makes a
label certain), so the tests say what the rules do, not what today's weights happen to be; one test reads
a paraphrase with the bundled weights.
"""

from __future__ import annotations

import gzip
import math

import pytest

from agent.bundled import bundled_path
from agent.extraction.offline import extract_offline
from agent.extraction.offline.naming import names_an_act, says_only_when
from agent.extraction.offline.typer import cutoffs
from agent.extraction.offline.typer.features import sentence_features
from agent.extraction.offline.typer.model import WEIGHTS_FILE, SentenceTyper, bundled_typer, save
from agent.extraction.offline.typer.training import (
    LABELS,
    LabelledSentence,
    is_blind,
    labelled_sentences,
    train,
    train_on,
    tuned_examples,
)
from agent.sources import parse_transcript
from schemas.elements import DuplicationKind, LossKind, Resource
from schemas.extraction import DraftMap
from tests.test_examples import HELD_OUT

SURE = 8.0


def typer_reading(words: dict[str, list[str]]) -> SentenceTyper:
    """A typer that finds every label unlikely, except the labels a word in `words` makes certain."""
    weights: dict[str, list[float]] = {"bias": [-SURE] * len(LABELS)}
    for word, labels in words.items():
        weights[f"w:{word}"] = [2 * SURE if label in labels else 0.0 for label in LABELS]
    return SentenceTyper(LABELS, weights)


NEUTRAL = SentenceTyper(LABELS, {"bias": [0.0] * len(LABELS)})  # every label at 0.5: adds only at cut-offs <= 0.5


def mapped(text: str, typer: SentenceTyper) -> DraftMap:
    transcript = parse_transcript(text, format="markdown", source_id="s", interviewers=["Consultant"])
    return extract_offline(transcript, typer=typer)


CALL = """\
Consultant: What do new customers have to do first?

Mira Holt: They have to book a fitting at the studio before anything else.

Consultant: And then?

Mira Holt: Honestly the calendar is a zoo every spring. Half the bookings get moved at least once.

Consultant: What else happens?

Mira Holt: The tailors chalk every pattern by hand on the Tuesday. People keep asking when it will be ready.
"""


def test_a_sure_reading_adds_a_resistance_no_cue_found_with_the_resource_it_reads() -> None:
    without = mapped(CALL, typer_reading({}))
    assert not any("zoo" in q.text for r in without.resistances for q in r.quotes)
    typer = typer_reading({"zoo": ["Resistance", "lacks:capacity"]})
    found = [r for r in mapped(CALL, typer).resistances if any("zoo" in q.text for q in r.quotes)]
    assert len(found) == 1
    assert found[0].resources_lacking == [Resource.CAPACITY]
    assert found[0].vep_key == mapped(CALL, typer).veps[0].key


def test_the_words_that_require_a_step_are_never_its_resistance_on_the_typers_reading_alone() -> None:
    """"They have to book a fitting" says what the customer must do; why the business needs it is said elsewhere."""
    draft = mapped(CALL, typer_reading({"fitting": ["Resistance"]}))
    assert not any("fitting" in q.text for r in draft.resistances for q in r.quotes)


def test_a_sure_reading_adds_a_stage_named_by_what_is_done_a_loss_and_a_proposition() -> None:
    text = CALL + "\nMira Holt: Then the pattern review with the head cutter, every Wednesday.\n"
    typer = typer_reading({"review": ["Stage"], "chalk": ["Stage"], "moved": ["Loss", "loss:support_load"],
                           "asking": ["ValueProposition"]})
    draft = mapped(text, typer)
    assert [s.name for s in draft.stages if any("review" in q.text for q in s.quotes)] == ["Pattern review"]
    loss = next(x for x in draft.losses if any("moved" in q.text for q in x.quotes))
    assert loss.kind is LossKind.SUPPORT_LOAD
    assert any("asking" in q.text for p in draft.propositions for q in p.quotes)


def test_a_step_whose_words_name_no_act_is_added_only_where_the_typer_is_sure_of_it() -> None:
    """"The tailors chalk every pattern by hand on the Tuesday" names no act as a noun ("Tailors chalk"): a reading
    that only leans towards a step adds none (a name must then say something done); a sure one adds the step,
    quoted, under the name its words give."""
    leaning = {"bias": [-SURE] * len(LABELS), "w:chalk": [SURE + 0.5 if label == "Stage" else 0.0 for label in LABELS]}
    odds = SentenceTyper(LABELS, leaning).probabilities(["bias", "w:chalk"])["Stage"]
    assert cutoffs.ADD_STAGE <= odds < cutoffs.ADD_STEP_NAMED_BY_NO_ACT
    assert not any("chalk" in q.text for s in mapped(CALL, SentenceTyper(LABELS, leaning)).stages for q in s.quotes)

    sure = [s for s in mapped(CALL, typer_reading({"chalk": ["Stage"]})).stages if any("chalk" in q.text for q in s.quotes)]
    assert [(s.name, len(s.quotes)) for s in sure] == [("Tailors chalk", 1)]


HANDOVER = """\
Consultant: What happens once the freight lands?

Ola Berg: I book a haulier, and the customer has to give us a delivery slot at their warehouse inside the free days.

Consultant: And for the pilot?

Ola Berg: So it had to be worth it for us, and we have to chase the hauliers every week.
"""


def test_a_requirement_in_words_the_cues_pass_over_is_a_step_only_where_the_typer_is_sure_of_it() -> None:
    """"The customer has to give us a delivery slot": no cue knows "customer has to give" as a step (said of anyone,
    "give" names none). Where the typer is sure the sentence tells a VEP it is one, named by what is handed over;
    what the organisation must do, or a thing that "has to be worth it", is no step, however sure the typer is."""
    sure = mapped(HANDOVER, typer_reading({"slot": ["ValueEvocationPoint"], "worth": ["ValueEvocationPoint"],
                                           "chase": ["ValueEvocationPoint"]}))
    assert [(v.name, [q.text for q in v.quotes]) for v in sure.veps] == [
        ("Delivery slot handover", ["I book a haulier, and the customer has to give us a delivery slot at their "
                                    "warehouse inside the free days."])]
    assert not mapped(HANDOVER, typer_reading({})).veps


def test_a_sure_step_named_only_by_when_it_happens_is_no_step() -> None:
    """"Every Tuesday morning, without fail." says when, not what: "Tuesday morning" is not a step to put on a map."""
    said = CALL + "\nMira Holt: Every Tuesday morning, without fail.\n"
    draft = mapped(said, typer_reading({"tuesday": ["Stage"]}))
    assert not any("Tuesday morning" in q.text for s in draft.stages for q in s.quotes)


def test_a_step_the_typer_adds_is_named_by_the_act_its_sentence_tells() -> None:
    """Named from its words, "I ring them back and book the survey for the next week" is "Survey for the next
    week", which names no act and is dropped; the act the sentence tells names the step."""
    said = (
        "Consultant: What do new customers have to do first?\n\n"
        "Mira Holt: They have to pay a deposit before anything else.\n\n"
        "Consultant: And what happens in the office?\n\n"
        "Mira Holt: Honestly it's busy. I ring them back and book the survey for the next week.\n"
    )
    assert "Survey booking" not in [s.name for s in mapped(said, typer_reading({})).stages]
    assert "Survey booking" in [s.name for s in mapped(said, typer_reading({"survey": ["Stage"]})).stages]


def test_a_step_told_after_a_fragment_keeps_its_name_when_two_stages_share_the_fragment() -> None:
    """"Mostly referrals, if I am honest." is read as a step twice over; the survey told after it is the step, and
    keeps its own name whichever of the two gives it the fragment."""
    said = ("Consultant: Where does it usually start?\n\nHelen Ashcombe: Mostly referrals, if I am honest. "
            "I ring them back and book the survey for the next week.\n")
    names = [s.name for s in mapped(said, typer_reading({"survey": ["Stage"]})).stages]
    assert "Survey booking" in names


def test_a_sure_reading_adds_a_duplication_of_the_versions_told_around_it() -> None:
    text = CALL + (
        '\nConsultant: What do you tell people?\n\nMira Holt: The website says "A perfect fit in one visit." '
        'The flyer says "Three fittings, never rushed." Honestly it is a muddle.\n'
    )
    assert not mapped(text, typer_reading({})).duplications
    typer = typer_reading({"muddle": ["Duplication", "duplication:layering"], "says": ["ValueProposition"]})
    draft = mapped(text, typer)
    assert len(draft.duplications) == 1
    assert draft.duplications[0].kind is DuplicationKind.LAYERING
    assert len(draft.duplications[0].proposition_keys) == 2


TOLD = """\
Consultant: Tell me about the shop?

Mira Holt: People book a fitting once they have seen the window display.

Consultant: And after that?

Mira Holt: They usually pick a fabric from the swatch wall. Then they have to pay a deposit.
"""


def test_what_customers_are_said_to_do_is_a_step_they_must_take_only_where_the_typer_reads_one() -> None:
    """Only the deposit is said to be required; booking a fitting is what customers are said to do, and a sure
    reading of its sentence as a value evocation point makes it a step where they must act too."""
    assert [v.customer_action for v in mapped(TOLD, typer_reading({})).veps] == ["pay a deposit"]
    veps = mapped(TOLD, typer_reading({"fitting": ["ValueEvocationPoint"]})).veps
    assert [v.customer_action for v in veps] == ["book a fitting", "pay a deposit"]
    assert "swatch" not in " ".join(q.text for q in veps[0].quotes)


def test_a_sure_reading_near_a_step_makes_it_a_threshold() -> None:
    assert not mapped(CALL, typer_reading({})).thresholds
    draft = mapped(CALL, typer_reading({"book": ["Threshold"]}))
    assert [t.vep_key for t in draft.thresholds] == [draft.veps[0].key]


def test_a_threshold_no_resistance_explains_takes_the_likeliest_reason_said_about_its_step() -> None:
    typer = typer_reading({"book": ["Threshold"]})
    assert not mapped(CALL, typer).resistances
    doubtful = SentenceTyper(LABELS, {**typer.weights, "w:zoo": [7.5 if label == "Resistance" else 0.0 for label in LABELS]})
    odds = doubtful.probabilities(["bias", "w:zoo"])["Resistance"]
    assert cutoffs.EXPLAIN_THRESHOLD < odds < cutoffs.ADD_RESISTANCE  # too doubtful to add on its own
    draft = mapped(CALL, doubtful)
    assert [(r.vep_key, r.quotes[0].text) for r in draft.resistances] == [
        (draft.thresholds[0].vep_key, "Honestly the calendar is a zoo every spring.")]


def test_a_cue_is_overruled_where_the_typer_all_but_rules_it_out() -> None:
    """Leave one out on the tuned examples, overruling on the typer's near-certainty alone beat also requiring it to
    read the sentence as something else (F1 0.5943 -> 0.5975; cutoffs.OVERRULE_BELOW)."""
    text = CALL + "\nMira Holt: We don't have enough staff to check every measurement, so customers re-measure at home.\n"

    def resisting(typer: SentenceTyper) -> bool:
        return any("enough staff" in q.text for r in mapped(text, typer).resistances for q in r.quotes)

    assert resisting(NEUTRAL)
    assert resisting(typer_reading({"staff": ["Resistance"]}))
    assert not resisting(typer_reading({}))  # every label all but ruled out
    assert not resisting(typer_reading({"staff": ["Loss"]}))


def test_the_bundled_typer_reads_a_paraphrased_resistance() -> None:
    said = "We simply don't have the people to ring every one of them back."
    odds = bundled_typer().probabilities(sentence_features(said, "Why do they have to call you first?"))
    assert odds["Resistance"] >= 0.5


@pytest.mark.parametrize(("name", "act"), [("Video survey", True), ("Document checklist", True),
                                           ("Manual review at the partner", True), ("Customs declaration", True),
                                           ("Spiral staircase", False), ("Daughter ringing", False),
                                           ("Car park", False), ("Company name", False)])
def test_a_step_is_named_by_something_done(name: str, act: bool) -> None:
    assert names_an_act(name) is act


@pytest.mark.parametrize(("name", "when"), [("Tuesday morning", True), ("First week", True), ("Same day", True),
                                            ("Working hours", True), ("Pattern review", False),
                                            ("Weekend delivery", False), ("Morning huddle", False)])
def test_a_name_whose_head_is_a_time_says_only_when(name: str, when: bool) -> None:
    assert says_only_when(name) is when


def test_probabilities_are_the_logistic_of_the_summed_weights() -> None:
    typer = SentenceTyper(("A", "B"), {"bias": [0.5, -1.0], "w:late": [1.0, 2.0]})
    odds = typer.probabilities(["bias", "w:late", "w:unseen"])
    assert odds["A"] == pytest.approx(1 / (1 + math.exp(-1.5)))
    assert odds["B"] == pytest.approx(1 / (1 + math.exp(-1.0)))


def test_training_refuses_an_example_written_blind() -> None:
    folder = bundled_path("transcripts/held-out-b2b-marketplace")
    assert is_blind(folder)
    with pytest.raises(ValueError, match="held-out-b2b-marketplace"):
        labelled_sentences(folder)
    tuned = labelled_sentences(tuned_examples()[0])[:3]
    smuggled = [LabelledSentence("blind-dog-daycare", tuned[0].features, tuned[0].labels), *tuned]
    with pytest.raises(ValueError, match="blind-dog-daycare"):
        train(smuggled)


def test_a_damaged_weights_file_says_to_reinstall() -> None:
    data = SentenceTyper(("A",), {"bias": [0.25]}).to_bytes()
    with pytest.raises(ValueError, match=r"damaged.*reinstall"):
        SentenceTyper.from_bytes(data[:-2])


def test_the_bundled_weights_come_from_the_tuned_examples_only_and_can_be_rebuilt() -> None:
    typer = bundled_typer()
    folders = tuned_examples()
    assert typer.trained_on == tuple(f.name for f in folders)
    assert not set(typer.trained_on) & set(HELD_OUT)  # the examples tests/test_examples.py holds out
    rebuilt = train_on(folders)
    samples = [s for f in folders[::5] for s in labelled_sentences(f)]
    for sample in samples:
        old, new = typer.probabilities(sample.features), rebuilt.probabilities(sample.features)
        assert all(abs(old[label] - new[label]) < 0.01 for label in LABELS), (
            "the bundled weights are stale: run python -m agent.extraction.offline.typer.training"
        )


def test_saved_weights_are_byte_for_byte_reproducible(tmp_path) -> None:
    typer = SentenceTyper(("A",), {"bias": [0.25], "w:x": [-1.5]}, ("one-example",))
    first, second = tmp_path / "a.bin.gz", tmp_path / "b.bin.gz"
    save(typer, first)
    save(typer, second)
    assert first.read_bytes() == second.read_bytes()
    loaded = SentenceTyper.from_bytes(gzip.decompress(first.read_bytes()))
    assert loaded.trained_on == ("one-example",)
    assert loaded.probabilities(["w:x"]) == typer.probabilities(["w:x"])
    assert WEIGHTS_FILE.is_file()
