"""Scripted stakeholders for the interviewer: answers keyed by the intent of the question asked.

Each persona gives, somewhere in the conversation, a vague answer, an off-topic one, a correction of
something the map holds, and a sentence that contradicts one of its earlier answers (seeded: the test
knows both sentences). `run_persona` drives the engine headless exactly as the app does (plan, word
with the bank, ask, answer, extract), accepting every correction like an interviewer who agrees.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from agent.interview.engine import InterviewEngine
from agent.interview.planning.coverage import coverage_of
from agent.interview.planning.memory import intent_of, is_remembered, remember
from schemas.interview import DiagnosticStep, Probe, ProbeKind

SEVEN_STEPS = [s for s in DiagnosticStep if s is not DiagnosticStep.FINAL_THRESHOLD]
STEP_COVERED_AT = 0.5  # a step counts as covered on the board when it is at least half full


@dataclass
class Persona:
    name: str
    role: str
    answers: dict[str, list[str]]  # intent -> answers, given in order each time that intent is asked
    vague: str
    off_topic: str
    correction: str  # an answer that corrects the map
    contradiction: tuple[str, str]  # (an earlier sentence, the later one that contradicts it), both in answers
    confirm_both: str = "Both hold: it depends on the plan, admins on the team plan see it differently from solo users."
    example: str = "Last month a clinic with 12 seats stopped at that step after 3 days, and 2 of them asked for a refund."
    fallback: str = "We see about 30% of customers stop there, mostly because our sales team is too small to follow up."


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=20)
        return self.now


@dataclass
class Script:
    """Which answer comes next: the persona's specials at fixed turns, else the answers for the intent asked."""

    persona: Persona
    queues: dict[str, list[str]] = field(default_factory=dict)
    specials: list[tuple[int, str]] = field(default_factory=list)  # (from answer number, special answer)
    last_intent: str = ""

    def __post_init__(self) -> None:
        self.queues = {k: list(v) for k, v in self.persona.answers.items()}

    def answer(self, turn: int, probe: Probe) -> str:
        if probe.kind is ProbeKind.CONTRADICTION:
            return self.persona.confirm_both
        if probe.kind in (ProbeKind.LADDER, ProbeKind.EXAMPLE):
            return self.persona.example
        if probe.kind is ProbeKind.REDIRECT:
            intent = self.last_intent  # the question it brings back
        else:
            intent = "summary" if probe.kind is ProbeKind.SUMMARY else intent_of(probe)
            self.last_intent = intent
        if probe.kind in (ProbeKind.CORE, ProbeKind.FOLLOW_UP) and self.specials and self.specials[0][0] <= turn:
            return self.specials.pop(0)[1]
        queue = self.queues.get(intent)
        if queue:
            return queue.pop(0)
        return self.persona.fallback


@dataclass
class Outcome:
    persona: str
    questions: int
    repeats: int
    corrections_proposed: int
    corrections_applied: int
    correction_answer: int | None  # the answer number the correction was given at
    contradictions_probed: list[str]
    coverage: dict[DiagnosticStep, float]
    engine: InterviewEngine

    @property
    def steps_covered(self) -> int:
        return sum(1 for step in SEVEN_STEPS if self.coverage[step] >= STEP_COVERED_AT)


def plan_and_ask(engine: InterviewEngine) -> Probe:
    probe = engine.plan_next()

    async def words() -> str:
        return "".join([piece async for piece in engine.writer.stream(probe, engine.state)])

    engine.ask(probe, asyncio.run(words()))
    return probe


def run_persona(persona: Persona, folder: Path, *, answers: int = 15,
                answered: Callable[[InterviewEngine], None] | None = None) -> Outcome:
    """Interview the persona headless for `answers` answers; every correction proposed is accepted."""
    engine = InterviewEngine.start(folder, stakeholder=persona.name, role=persona.role, clock=Clock())
    script = Script(persona, specials=[(2, persona.vague), (4, persona.off_topic)])
    correction_at: int | None = None
    for turn in range(answers):
        probe = plan_and_ask(engine)
        text = script.answer(turn, probe)
        if correction_at is None and text == persona.correction:
            correction_at = turn
        engine.answer(text)
        engine.extract_last_answer()
        for correction in engine.pending_corrections:
            engine.decide_correction(correction.id, accepted=True, person="Interviewer")
        if answered is not None:
            answered(engine)
    return outcome_of(persona, engine, correction_at)


def outcome_of(persona: Persona, engine: InterviewEngine, correction_at: int | None) -> Outcome:
    state = engine.state
    memory = remember(state.value_map, state.history)
    keys = [memory.key(q.probe) for q in state.questions if is_remembered(q.probe)]
    board = coverage_of(state.value_map)
    corrections = [c for p in state.patches for c in p.corrections]
    return Outcome(
        persona=persona.name,
        questions=len(state.questions),
        repeats=len(keys) - len(set(keys)),
        corrections_proposed=len(corrections),
        corrections_applied=sum(1 for c in corrections if c.id in state.decisions and state.decisions[c.id].accepted),
        correction_answer=correction_at,
        contradictions_probed=[q.text for q in state.questions if q.probe.kind is ProbeKind.CONTRADICTION],
        coverage={s.step: s.filled for s in board.steps},
        engine=engine,
    )


def quoted_in(question: str, sentence: str) -> bool:
    """The sentence is in the question verbatim (as the planner quotes it: without its final stop)."""
    return f"“{sentence.rstrip('.!;,: ')}”" in question


PERSONAS = [
    Persona(
        name="Maria", role="Head of Growth, a scheduling SaaS",
        answers={
            "core-thresholds": ["New users sign up for a 14-day trial, and nothing works until they connect their "
                                "Google or Outlook calendar. About 40% never connect. After the trial, admins must "
                                "pay 15 dollars per seat per month to keep booking."],
            "resistance": ["We lack the engineering capacity to build integrations for every calendar system, so "
                           "customers must connect it themselves."],
            "core-value_evoked": ["They connect because we tell them the assistant will book meetings for them "
                                  "automatically and save five hours a week."],
            "value": ["At the purchase we promise admins that the tool replaces a scheduling coordinator, and that "
                      "is what makes them buy."],
            "condition": ["To get past it a customer has to grant calendar access; if they do not, the trial stalls."],
            "comparison": ["Sales tells admins the tool replaces a scheduling coordinator, while marketing tells "
                           "users it saves five hours a week."],
            "core-duplication": ["Sales tells admins the tool replaces a scheduling coordinator, while marketing "
                                 "tells users it saves five hours a week."],
            "exchange": ["The customer gives us access to their calendar data and in return gets automatic booking. "
                         "They don't have to connect anything to start, they can explore the booking page first."],
            "price-value": ["Admins compare the price with the cost of a coordinator."],
            "loss-origin": ["Churn in the second month is about 8% because the automatic booking does not work "
                            "with shared calendars, which they expected after the sales call."],
            "compensation": ["Reps give a 20% discount to close the deal at the purchase."],
            "summary": ["Actually the price is 12, not 15."],
        },
        vague="Honestly it's kind of better overall, things are easier.",
        off_topic="Last week my kid's football team won the regional cup and we celebrated all weekend.",
        correction="Actually the price is 12, not 15.",
        contradiction=("New users sign up for a 14-day trial, and nothing works until they connect their Google or "
                       "Outlook calendar.",
                       "They don't have to connect anything to start, they can explore the booking page first."),
    ),
]

PERSONAS += [
    Persona(
        name="Sam", role="Head of Sales, a legal platform for small businesses",
        answers={
            "core-thresholds": ["Small businesses sign up for free, and nothing happens until they mark which "
                                "lawyers they want to engage. About 35% never mark any. To book a lawyer they must "
                                "pay 49 euros per month."],
            "resistance": ["We lack the capacity to verify every lawyer in the database, so customers must select "
                           "the lawyers themselves."],
            "core-value_evoked": ["They mark lawyers because we tell them they will get a vetted lawyer within a day."],
            "value": ["At the subscription we promise unlimited legal questions answered by a vetted lawyer, which "
                      "makes them subscribe."],
            "exchange": ["The customer gives us their case details and in return gets a shortlist of lawyers. "
                         "Customers are not obliged to mark any lawyer before they can browse, most skip it."],
            "condition": ["To get past it a business has to pick at least one lawyer; if not, the request stalls."],
            "core-duplication": ["Our ads tell owners the answer is instant, while sales tells firms a lawyer "
                                 "replies within a day."],
            "comparison": ["Our ads tell owners the answer is instant, while sales tells firms a lawyer replies "
                           "within a day."],
            "price-value": ["Owners compare the price with one hour of a local lawyer."],
            "loss-origin": ["Refunds reached 12% in the first month because owners expected an instant answer."],
            "compensation": ["We give the second month free when owners hesitate at the purchase."],
            "summary": ["The subscription is 39, not 49."],
        },
        vague="It's sort of more convenient for them in general.",
        off_topic="I had pasta for lunch and the weather in the park was lovely this afternoon.",
        correction="The subscription is 39, not 49.",
        contradiction=("Small businesses sign up for free, and nothing happens until they mark which lawyers they "
                       "want to engage.",
                       "Customers are not obliged to mark any lawyer before they can browse, most skip it."),
        example="Last month a bakery owner marked 2 lawyers, waited 3 days for a reply and cancelled.",
    ),
    Persona(
        name="Priya", role="VP Customer Success, an invoice automation product",
        answers={
            "core-thresholds": ["Finance teams start a 30-day trial, and they must upload 100 invoices before they "
                                "see any result. Half of them stop there. To go live they have to pay 400 dollars "
                                "per month."],
            "resistance": ["We lack the training data for every invoice layout, so customers must upload their own "
                           "invoices first."],
            "core-value_evoked": ["They upload because we tell them the tool will cut their invoice processing time "
                                  "by 80%."],
            "value": ["At the purchase we promise controllers that every invoice is matched to a purchase order, "
                      "and that is what makes them sign."],
            "exchange": ["The customer gives us their invoice data and in return gets automatic coding of every "
                         "invoice. Teams don't need to upload anything to see a demo account."],
            "condition": ["To get past it a team has to reach 90% accuracy on their own invoices; if not, the "
                          "trial stalls."],
            "core-duplication": ["Marketing tells clerks the tool saves 80% of their time, while sales tells "
                                 "controllers it catches fraud."],
            "comparison": ["Marketing tells clerks the tool saves 80% of their time, while sales tells controllers "
                           "it catches fraud."],
            "price-value": ["Controllers compare the price with the salary of a clerk."],
            "loss-origin": ["Churn after the first quarter is 15% because clerks expected full automation once "
                            "they upload their invoices."],
            "compensation": ["We give a 25% discount for an annual contract at the purchase."],
            "summary": ["That's not a loss, the refunds are normal for this market."],
        },
        vague="Basically it improves things, efficiency and so on.",
        off_topic="My neighbour is renovating his kitchen and the noise drives me crazy every morning.",
        correction="That's not a loss, the refunds are normal for this market.",
        contradiction=("Finance teams start a 30-day trial, and they must upload 100 invoices before they see any "
                       "result.", "Teams don't need to upload anything to see a demo account."),
        example="Last month a retailer with 3 clerks uploaded 40 invoices, stopped after 2 days and asked for a "
                "refund.",
    ),
    Persona(
        name="Lena", role="Growth lead, a meal-kit subscription",
        answers={
            "core-thresholds": ["New customers must choose 3 recipes before the first box ships, and nothing ships "
                                "until they choose. About 25% never choose. The box costs 60 euros per week."],
            "resistance": ["We lack the kitchen capacity to cook for every taste, so customers must choose their "
                           "recipes themselves."],
            "core-value_evoked": ["They choose because we tell them dinner will be ready in 20 minutes."],
            "value": ["At the checkout we promise families fresh ingredients from local farms, which makes them "
                      "order."],
            "exchange": ["The customer gives us their taste preferences and in return gets a personal menu. "
                         "Customers don't have to choose anything, we pick recipes for them if they skip."],
            "condition": ["To get past it a customer has to pick 3 recipes by Wednesday; if not, the box stalls."],
            "core-duplication": ["Our ads tell students the box is cheap, while the website tells families it is "
                                 "premium."],
            "comparison": ["Our ads tell students the box is cheap, while the website tells families it is "
                           "premium."],
            "price-value": ["Families compare the price with a supermarket shop."],
            "loss-origin": ["Cancellations after the third box are 30% because families expected bigger portions."],
            "compensation": ["We give a 50% discount on the first box at the checkout."],
            "summary": ["The box is 55, not 60."],
        },
        vague="It's kind of easier, generally a better experience.",
        off_topic="We went hiking in the mountains on Sunday and saw two eagles above the lake.",
        correction="The box is 55, not 60.",
        contradiction=("New customers must choose 3 recipes before the first box ships, and nothing ships until "
                       "they choose.", "Customers don't have to choose anything, we pick recipes for them if they "
                                       "skip."),
        example="Last week a family of 4 chose 2 recipes, waited 3 days and cancelled.",
    ),
    Persona(
        name="Omar", role="Founder, a B2B data marketplace",
        answers={
            "core-thresholds": ["Buyers request access, and nothing is shared until they sign a data agreement. "
                                "About 50% never sign. Then they must pay 2000 dollars per dataset."],
            "resistance": ["We lack the legal expertise to standardise every licence, so buyers must sign each "
                           "agreement themselves."],
            "core-value_evoked": ["They sign because we tell them the data is verified and ready to use."],
            "value": ["At the purchase we promise analysts a clean dataset in one day, and that is what makes "
                      "them buy."],
            "exchange": ["The customer gives us their company details and in return gets a sample dataset."],
            "condition": ["To get past it a buyer has to get legal approval; if not, the deal stalls."],
            "core-duplication": ["Buyers don't have to sign anything to preview a sample. Sales tells analysts "
                                 "the data is ready to use, while marketing tells executives it is exclusive."],
            "comparison": ["Sales tells analysts the data is ready to use, while marketing tells executives it is "
                           "exclusive."],
            "price-value": ["Analysts compare the price with collecting the data themselves."],
            "loss-origin": ["Support tickets doubled because analysts expected clean data when they pay for a "
                            "dataset, and got raw files."],
            "compensation": ["We give a free second dataset to close the deal at the purchase."],
            "summary": ["Signing the agreement isn't required for existing customers."],
        },
        vague="It's better for them, more valuable overall.",
        off_topic="My cat knocked a plant off the windowsill this morning and broke the pot.",
        correction="Signing the agreement isn't required for existing customers.",
        contradiction=("Buyers request access, and nothing is shared until they sign a data agreement.",
                       "Buyers don't have to sign anything to preview a sample."),
        example="Last month a bank with 5 analysts waited 3 weeks for legal approval and dropped the deal.",
    ),
]
