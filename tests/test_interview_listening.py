"""The interviewer listens: the cases seen in issue 12, each pinned, plus the dense rules behind them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.checks import check_map
from agent.extraction.offline import extract_offline
from agent.interview.corrections import find_corrections
from agent.interview.engine import AnswerExtraction, InterviewEngine
from agent.interview.planning.contradictions import compare, contradictions_with_last, requirement_of
from agent.interview.planning.memory import ElementGroups
from agent.interview.planning.near_duplicates import names_alike
from agent.interview.planning.off_topic import is_off_topic
from agent.interview.planning.planner import plan_next
from agent.interview.session_log import read_session
from agent.interview.session_state import apply_review
from agent.tui.map_pane.map_list import map_options
from schemas import Review, ValueMap
from schemas.extraction import DraftMap
from schemas.interview import (
    AnswerEvent,
    CorrectionKind,
    DiagnosticStep,
    ElementChange,
    Probe,
    ProbeKind,
    QuestionEvent,
    ReviewEvent,
)
from schemas.transcript import Transcript
from tests.map_builders import build, healthy_map_data, quote
from tests.personas import Clock, plan_and_ask

AT = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def start(tmp_path: Path) -> InterviewEngine:
    return InterviewEngine.start(tmp_path, stakeholder="Maria", role="Head of Growth", clock=Clock())


def answer(engine: InterviewEngine, text: str) -> Probe:
    probe = plan_and_ask(engine)
    engine.answer(text)
    engine.extract_last_answer()
    return probe


# --- Near-duplicates and the memory ---------------------------------------------------------------

@pytest.mark.parametrize(("first", "second", "alike"), [
    ("Connect", "Connect their Google", True),
    ("Connect a calendar", "Connect their Google", False),  # without the quotes that say Google is a calendar
    ("Pay 15 dollars per seat", "Pay 12 dollars per seat", False),  # another figure is a correction, not a twin
    ("Sign up for a 14-day trial", "Sign up for the Team plan", False),
    ("Upload invoices", "Uploads invoice", True),
])
def test_near_duplicate_names(first: str, second: str, alike: bool) -> None:
    assert names_alike(first, second) is alike


def test_a_name_alike_by_what_it_was_said_with_is_one_group() -> None:
    data = healthy_map_data()
    data["stages"].append({"id": "st-cal", "name": "Connect a calendar", "order": 2, "actor": "customer",
                           "evidence": [quote("nothing works until they connect their Google calendar")]})
    data["stages"].append({"id": "st-google", "name": "Connect their Google", "order": 3, "actor": "customer",
                           "evidence": [quote("they connect their Google account first")]})
    groups = ElementGroups.of(build(data))
    assert groups.of_ids(["st-cal"]) == groups.of_ids(["st-google"])
    assert groups.of_ids(["th-pay"]) == groups.of_ids(["vep-pay"]) == groups.of_ids(["st-pay"])  # one point


def test_near_identical_elements_are_not_asked_the_same_question_twice(tmp_path: Path) -> None:
    """Seen: "To get past “Connect a calendar”..." then "To get past “Connect their Google”..."."""
    engine = start(tmp_path)
    answer(engine, "New users sign up for a 14-day trial, and nothing works until they connect their Google "
                   "calendar.")
    answer(engine, "They have to connect a calendar before booking, and 40% never connect.")
    for _ in range(10):
        answer(engine, "We see about 30% of customers stop there.")
    asked = [q.text for q in engine.state.questions if q.text.startswith("To get past")]
    assert len(asked) == len(set(asked))
    assert not (any("Connect a calendar" in q for q in asked) and any("Connect their Google" in q for q in asked))


def test_a_question_an_earlier_answer_answered_is_skipped_with_that_answer_in_the_log(tmp_path: Path) -> None:
    """Seen: "At X, what are customers told that is meant to make them act?" after answer 2 had said it.
    Here the extractor misses the value in answer 2 (as rules or a model may): the planner still remembers."""
    def extract_first_only(transcript: Transcript) -> DraftMap:
        if "because we tell them" in transcript.text.split("Maria: ")[-1]:
            return extract_offline(transcript.model_copy(update={"turns": []}))
        return extract_offline(transcript)

    offline = AnswerExtraction.offline()
    engine = InterviewEngine.start(tmp_path, stakeholder="Maria", clock=Clock(),
                                   extraction=AnswerExtraction(extract_first_only, offline.name, offline.provenance))
    answer(engine, "Customers must connect their Google calendar before anything works. About 40% never connect.")
    answer(engine, "They connect because we tell them the assistant books their meetings automatically.")
    for _ in range(8):
        answer(engine, "We see about 30% of customers stop there.")
    told = [q for q in engine.state.questions if "what are customers told" in q.text and "connect" in q.text.casefold()]
    assert told == []
    events, _ = read_session(engine.log.path)
    skipped = [s for e in events if isinstance(e, QuestionEvent) for s in e.skipped]
    assert any(s.intent == "value" and s.answered_by == "They connect because we tell them the assistant books "
               "their meetings automatically." and s.answer_index == 1 for s in skipped)


# --- Corrections ----------------------------------------------------------------------------------

def discount_loss_map() -> ValueMap:
    data = healthy_map_data()
    data["losses"] = [{"id": "loss-discount", "name": "Discount at the purchase", "kind": "discount_dependency",
                       "threshold_ids": ["th-pay"], "evidence": [quote("reps give a discount at the purchase")]}]
    return build(data)


def test_everyday_speech_is_not_a_correction() -> None:
    for said in ("It's not a step anyone enjoys.", "That is not a problem for them.", "It isn't a promise we "
                 "make lightly, but we make it."):
        assert find_corrections(said, 0, discount_loss_map(), None).corrections == []


def test_that_is_not_a_loss_proposes_removing_the_loss() -> None:
    found = find_corrections("The discount isn't a loss, reps give it at the purchase.", 3, discount_loss_map(), None)
    [correction] = found.corrections
    assert (correction.kind, correction.element_id) == (CorrectionKind.REMOVE, "loss-discount")
    assert correction.said == "The discount isn't a loss, reps give it at the purchase."


def test_it_is_not_required_proposes_that_the_threshold_is_only_a_vep() -> None:
    asked = Probe(kind=ProbeKind.FOLLOW_UP, step=DiagnosticStep.EXCHANGES, intent="x", fallback_question="q?",
                  element_ids=["th-mark"])
    [correction] = find_corrections("It isn't required, most go on without it.", 0, build(healthy_map_data()),
                                    asked).corrections
    assert (correction.kind, correction.element_id) == (CorrectionKind.RETYPE, "th-mark")


def test_the_price_is_12_not_15_proposes_the_edited_figure() -> None:
    data = healthy_map_data()
    data["thresholds"][1]["purchase"]["price"]["amount"] = 15
    [correction] = find_corrections("Actually the price is 12, not 15.", 0, build(data), None).corrections
    assert correction.kind is CorrectionKind.EDIT and correction.element_id == "th-pay"
    assert correction.edited is not None and correction.edited.element is not None
    assert correction.edited.element.purchase.price.amount == 12  # type: ignore[union-attr]


def test_a_spoken_correction_never_adds_the_element_it_denies_and_applies_when_accepted(tmp_path: Path) -> None:
    """Seen: "the discount isn't a loss, reps give it at the purchase" left the loss and asked about it again."""
    engine = start(tmp_path)
    answer(engine, "Customers must pay 15 dollars per month. Reps give a 20% discount at the purchase, and "
                   "discounts cost us a lot of margin.")
    losses = [loss.id for loss in engine.state.value_map.losses]
    answer(engine, "The discount isn't a loss, reps give it at the purchase to close the deal.")
    assert [loss.id for loss in engine.state.value_map.losses] == losses  # no loss added from the denial
    pending = engine.pending_corrections
    if losses:
        assert pending and pending[0].kind is CorrectionKind.REMOVE
        next_probe = engine.plan_next()
        assert pending[0].element_id not in next_probe.element_ids  # not asked about while it awaits a decision
        engine.decide_correction(pending[0].id, accepted=True, person="Ana")
        assert pending[0].element_id not in {e.id for e in engine.state.value_map.elements()}
        assert InterviewEngine.resume(engine.log.path).state.value_map == engine.state.value_map


# --- Contradictions, redirects ----------------------------------------------------------------------

def test_requirement_polarity() -> None:
    assert requirement_of("nothing works until they connect") is True
    assert requirement_of("they don't have to connect anything to start") is False
    assert requirement_of("they like the booking page") is None


def test_answers_that_disagree_on_one_action_are_a_contradiction_and_unrelated_ones_are_not() -> None:
    assert compare("Nothing works until they connect their calendar.", "They don't have to connect anything.")
    assert compare("Nothing works until they connect their calendar.", "They don't have to pay upfront.") is None
    # about the same words, but not the same action: signing up is required, paying to sign up is not
    assert compare("They have to sign up first.", "They don't have to pay to sign up.") is None
    assert compare("The trial is 14 days for every team.", "The trial is 30 days for every team.")


def test_the_contradiction_seen_is_probed_quoting_both_verbatim(tmp_path: Path) -> None:
    """Seen: "nothing works until they connect" (answer 1) against "they don't have to connect anything to start"."""
    engine = start(tmp_path)
    first = "New users sign up for a 14-day trial, and nothing works until they connect their calendar."
    later = "They don't have to connect anything to start, they can explore the booking page first."
    answer(engine, first)
    for _ in range(5):
        answer(engine, "We see about 30% of customers stop there.")
    answer(engine, later)
    probe = engine.plan_next()
    assert probe.kind is ProbeKind.CONTRADICTION
    assert probe.fallback_question == (f"Earlier: “{first.rstrip('.')}”. Just now: “{later.rstrip('.')}”. "
                                       "When does each hold?")
    assert contradictions_with_last([first, later], excluded=frozenset({later})) == []


def test_an_off_topic_answer_gets_a_redirect_to_the_question_it_displaced(tmp_path: Path) -> None:
    engine = start(tmp_path)
    asked = answer(engine, "Last week my kid's football team won the regional cup and we celebrated all weekend.")
    probe = engine.plan_next()
    assert probe.kind is ProbeKind.REDIRECT
    assert probe.fallback_question == f"To come back to the question: {asked.fallback_question}"
    engine.ask(probe, probe.fallback_question)
    engine.answer("Still off: my cat knocked a plant off the windowsill this morning and broke the pot.")
    engine.extract_last_answer()
    assert engine.plan_next().kind is not ProbeKind.REDIRECT  # once per question, then the interview moves on


@pytest.mark.parametrize(("text", "off"), [
    ("Last week my kid's football team won the regional cup and we celebrated all weekend.", True),
    ("They connect because we tell them the assistant books meetings for them.", False),
    ("It's kind of better.", False),  # vague: a ladder, not a redirect
])
def test_off_topic(text: str, off: bool) -> None:
    assert is_off_topic(text, "When customers do act, what makes them decide to do it?", []) is off


# --- Order and sense ------------------------------------------------------------------------------

def test_no_give_up_question_at_a_purchase() -> None:
    """Seen: "what does the customer give up" asked about a purchase; there the customer gives the price."""
    data = healthy_map_data()
    data["exchanges"] = [e for e in data["exchanges"] if e["threshold_id"] != "th-pay"]
    value_map = build(data)
    history: list[QuestionEvent | AnswerEvent] = []
    questions = []
    for _ in range(12):
        probe = plan_next(value_map, check_map(value_map), history).probe
        questions.append(probe)
        history += [QuestionEvent(at=AT, probe=probe, text=probe.fallback_question, worded_by="question bank"),
                    AnswerEvent(at=AT, text="About 40 of every 100 trial users stop at the Stripe payment form.")]
    assert not any("give up" in p.fallback_question and "th-pay" in p.element_ids for p in questions)
    assert any(p.finding_code == "value-unreckoned" and p.element_ids == ["th-pay"] for p in questions)


# --- The map pane and the board -------------------------------------------------------------------

def test_renaming_a_stage_carries_to_the_vep_and_threshold_named_after_it() -> None:
    data = healthy_map_data()
    for collection, element_id in (("stages", "st-pay"), ("veps", "vep-pay"), ("thresholds", "th-pay")):
        next(e for e in data[collection] if e["id"] == element_id)["name"] = "Pay 15 dollars"
    value_map = build(data)
    stage = next(s for s in value_map.stages if s.id == "st-pay")
    edited = ElementChange(collection="stages", element_id="st-pay",
                           element=stage.model_copy(update={"name": "Pay 12 dollars"}))
    after = apply_review(value_map, ReviewEvent(at=AT, element_id="st-pay", review=Review.EDITED, edited=edited))
    names = {e.id: e.name for e in after.elements()}
    assert names["st-pay"] == names["vep-pay"] == names["th-pay"] == "Pay 12 dollars"
    assert names["vep-mark"] == "Mark lawyers"  # another point keeps its name


def test_a_new_price_carries_to_the_stage_and_vep_that_state_the_old_one() -> None:
    """The offline names carry no figures ("Plan payment"): a price told otherwise must still reach every
    element of its point that states it, and no other point (the browse stage's 49 stays)."""
    data = healthy_map_data()
    for collection, element_id in (("stages", "st-pay"), ("veps", "vep-pay"), ("stages", "st-browse")):
        next(e for e in data[collection] if e["id"] == element_id)["detail"] = "They pay 49 euros per month."
    next(v for v in data["veps"] if v["id"] == "vep-pay")["customer_action"] = "pay 49 euros"
    value_map = build(data)
    threshold = next(t for t in value_map.thresholds if t.id == "th-pay")
    assert threshold.purchase is not None
    price = threshold.purchase.price.model_copy(update={"amount": 39})
    edited = ElementChange(collection="thresholds", element_id="th-pay", element=threshold.model_copy(
        update={"purchase": threshold.purchase.model_copy(update={"price": price})}))
    after = apply_review(value_map, ReviewEvent(at=AT, element_id="th-pay", review=Review.EDITED, edited=edited))
    by_id = {e.id: e for e in after.elements()}
    assert by_id["st-pay"].detail == by_id["vep-pay"].detail == "They pay 39 euros per month."
    assert by_id["vep-pay"].customer_action == "pay 39 euros"  # type: ignore[attr-defined]
    assert by_id["st-browse"].detail == "They pay 49 euros per month."
    assert by_id["st-pay"].evidence == next(s for s in value_map.stages if s.id == "st-pay").evidence


def test_stages_are_numbered_without_a_gap_after_a_reject() -> None:
    data = healthy_map_data()
    data["stages"].insert(0, {"id": "st-sign", "name": "Sign up", "order": 0, "actor": "customer",
                              "evidence": [quote("they sign up")]})
    data["stages"][1]["order"], data["stages"][2]["order"] = 1, 2
    value_map = apply_review(build(data), ReviewEvent(at=AT, element_id="st-sign", review=Review.REJECTED))
    labels = [str(option.prompt).split(" ")[0] for option in map_options(value_map) if option.id in ("st-browse",
                                                                                                      "st-pay")]
    assert labels == ["1.", "2."]


def test_the_board_moves_as_answers_link_value_and_loss(tmp_path: Path) -> None:
    """Seen: the board ended at 0% for resistance, value, exchange, duplication and loss."""
    engine = start(tmp_path)
    answer(engine, "Customers must connect their Google calendar before anything works. About 40% never connect.")
    answer(engine, "We lack the engineering capacity to build every integration, so customers must connect it "
                   "themselves.")
    answer(engine, "They connect because we tell them the assistant books their meetings automatically.")
    board = engine.coverage()
    assert board.of(DiagnosticStep.RESISTANCE).filled > 0 and board.of(DiagnosticStep.VALUE_EVOKED).filled > 0


def test_the_closing_summary_and_the_summary_file_list_what_stayed_uncovered(tmp_path: Path) -> None:
    engine = start(tmp_path)
    answer(engine, "Customers must connect their Google calendar before anything works.")
    summary = engine.summary()
    assert summary.next_time and all(questions for questions in summary.next_time.values())
    engine.save_outputs()
    text = engine.log.path.with_name(engine.log.path.name.replace(".jsonl", ".summary.md")).read_text("utf-8")
    assert "## Uncovered: questions for next time" in text
    assert all(step.title in text for step in summary.next_time)


def test_screenshots_go_to_a_folder_that_is_created(tmp_path: Path) -> None:
    """Seen: the command palette's screenshot failed unless ~/Downloads existed."""
    from agent.tui.app import InterviewApp

    engine = start(tmp_path / "sessions")

    async def shoot() -> None:
        app = InterviewApp(engine, mode="offline, no model")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.action_screenshot()
            await pilot.pause(0.3)

    asyncio.run(shoot())
    assert list((tmp_path / "sessions" / "screenshots").glob("*.svg"))


def _model_draft(price: float, quote_text: str) -> DraftMap:
    """What a model returns for an answer about the subscription (the shape `extract_with_model` produces)."""
    said = [{"text": quote_text, "speaker": "Maria"}]
    return DraftMap.model_validate({
        "stages": [{"key": "s", "name": "Subscribe", "detail": "", "quotes": said, "actor": "customer",
                    "customer_visible": True, "value_link": "direct", "internally_necessary": None,
                    "improvements": []}],
        "veps": [{"key": "v", "name": "Subscribe", "detail": "", "quotes": said, "stage_key": "s",
                  "customer_action": "subscribe", "proposition_keys": [], "activation": "unknown"}],
        "resistances": [], "exchanges": [], "propositions": [], "duplications": [], "losses": [],
        "thresholds": [{"key": "t", "name": "Subscribe", "detail": "", "quotes": said, "vep_key": "v",
                        "condition": "they pay", "on_failure": "", "crossing_metric": None, "is_final": True,
                        "price": price, "currency": "USD"}],
    })


def test_with_a_model_a_figure_told_otherwise_is_proposed_as_an_edit_through_the_patch(tmp_path: Path) -> None:
    answers = iter([_model_draft(15, "They subscribe at 15 dollars a seat."),
                    _model_draft(12, "It is 12 dollars a seat since the spring.")])
    extraction = AnswerExtraction(lambda _t: next(answers), "fake model", AnswerExtraction.offline().provenance)
    engine = InterviewEngine.start(tmp_path, stakeholder="Maria", clock=Clock(), extraction=extraction)
    answer(engine, "They subscribe at 15 dollars a seat.")
    answer(engine, "It is 12 dollars a seat since the spring.")
    [correction] = engine.pending_corrections
    assert correction.kind is CorrectionKind.EDIT and correction.description.endswith("12, not 15")
    assert correction.said == "It is 12 dollars a seat since the spring."
    threshold = engine.state.value_map.thresholds[0]
    assert threshold.purchase is not None and threshold.purchase.price is not None
    assert threshold.purchase.price.amount == 15  # nothing changes until a person accepts
    engine.decide_correction(correction.id, accepted=True, person="Ana")
    threshold = engine.state.value_map.thresholds[0]
    assert threshold.purchase is not None and threshold.purchase.price is not None
    assert threshold.purchase.price.amount == 12 and threshold.provenance.review is Review.EDITED


def test_an_answer_against_another_stakeholders_verified_quote_is_probed_naming_the_source(tmp_path: Path) -> None:
    from agent.interview.engagement_context import EngagementContext, OtherVoice

    theirs = "Nothing works until the customer connects a calendar, we check that on every trial."

    def others_said(_query: str) -> list[OtherVoice]:
        return [OtherVoice(source_id="sales-call", speaker="Sam", role="Head of Sales", text=theirs)]

    engine = InterviewEngine.start(tmp_path, stakeholder="Maria", clock=Clock(),
                                   context=EngagementContext(others_said=others_said))
    answer(engine, "They don't have to connect anything to start, they can explore the booking page first.")
    probe = engine.plan_next()
    assert probe.kind is ProbeKind.CONTRADICTION
    assert probe.fallback_question == (
        "In sales-call, Sam (Head of Sales) said: “Nothing works until the customer connects a calendar, we check "
        "that on every trial”. Just now: “They don't have to connect anything to start, they can explore the "
        "booking page first”. When does each hold?")
    engine.ask(probe, probe.fallback_question)
    engine.answer("Both hold: sales demos start from a connected calendar.")
    engine.extract_last_answer()
    assert engine.plan_next().kind is not ProbeKind.CONTRADICTION  # once per pair


def test_a_model_may_word_a_contradiction_probe_only_with_both_quotes_verbatim(tmp_path: Path) -> None:
    from agent.interview.wording import settle_question

    engine = start(tmp_path)
    first = "Nothing works until they connect their calendar."
    later = "They don't have to connect anything to start."
    answer(engine, first)
    answer(engine, later)
    probe = engine.plan_next()
    assert probe.kind is ProbeKind.CONTRADICTION
    kept, issues = settle_question("Earlier you mentioned connecting is needed, yet now it is not; when is each "
                                   "true?", probe, engine.state)
    assert kept == probe.fallback_question and issues
    faithful = ("You said “Nothing works until they connect their calendar” and also “They don't have to connect "
                "anything to start”: in which cases does each hold?")
    assert settle_question(faithful, probe, engine.state) == (faithful, [])


def test_a_rejected_correction_keeps_the_map_and_is_no_longer_pending(tmp_path: Path) -> None:
    engine = start(tmp_path)
    answer(engine, "Customers must pay 15 dollars per month to book.")
    before = engine.state.value_map
    answer(engine, "Actually the price is 12, not 15.")
    [correction] = engine.pending_corrections
    engine.decide_correction(correction.id, accepted=False, person="Ana")
    assert engine.pending_corrections == []
    assert {e.id: e.name for e in engine.state.value_map.elements()} == {e.id: e.name for e in before.elements()}
    resumed = InterviewEngine.resume(engine.log.path)
    assert resumed.pending_corrections == [] and resumed.state.value_map == engine.state.value_map
    assert "rejected: in the" in resumed.save_outputs()[0].with_name(
        engine.log.path.name.replace(".jsonl", ".summary.md")).read_text(encoding="utf-8")
