"""The purchase, offline: the price actually charged, compensation recorded as compensation (not as a
loss), and conversion that leans on a discount recorded as the loss it is."""

from __future__ import annotations

from agent.extraction.offline import extract_offline
from agent.extraction.offline.assembly import Assembly
from agent.extraction.offline.purchase import purchase_terms
from agent.extraction.offline.reading import read_sentences
from agent.sources import parse_transcript
from schemas.elements import CompensationKind, LossKind
from schemas.transcript import Transcript

CALL = """Consultant: What do they pay in the end?

Tomas Berg: The plan is forty-nine euros a month. We did talk about it: if we charged sixty-nine euros a month \
we would lose the small ones.

Consultant: How do you get them over the line?

Tomas Berg: At quarter-end we give a twenty percent discount if they sign before the thirtieth. And anyone who asks \
gets a free extension of the trial.

Consultant: Does the discount hurt?

Tomas Berg: Nine out of ten deals close with the twenty percent now, so it's become the real price.

Consultant: What is it worth to your customers?

Tomas Berg: They tell us it's worth about a hundred and fifty euros a month in saved admin.
"""


def transcript(text: str) -> Transcript:
    return parse_transcript(text, format="markdown", source_id="call", interviewers=["Consultant"])


def test_a_discount_offered_at_the_purchase_is_compensation_not_a_loss() -> None:
    draft = extract_offline(transcript(CALL))
    final = next(t for t in draft.thresholds if t.is_final)
    assert final.price == 49 and final.currency == "EUR"  # not the sixty-nine someone imagined
    assert "compensation: discount (At quarter-end we give a twenty percent discount" in final.detail
    assert "compensation: free extension (And anyone who asks gets a free extension" in final.detail
    assert "perceived value 150" in final.detail
    discount_losses = [loss for loss in draft.losses if loss.kind is LossKind.DISCOUNT_DEPENDENCY]
    assert [q.text for loss in discount_losses for q in loss.quotes] == [
        "Nine out of ten deals close with the twenty percent now, so it's become the real price."]


def test_purchase_terms_weigh_only_figures_said_per_the_price_period() -> None:
    terms = purchase_terms(Assembly(read_sentences(transcript(CALL))), "month")
    assert [o.kind for o in terms.compensation] == [CompensationKind.DISCOUNT, CompensationKind.FREE_EXTENSION]
    assert terms.perceived_value is not None and terms.perceived_value.value == 150
    assert purchase_terms(Assembly(read_sentences(transcript(CALL))), "year").perceived_value is None


def test_no_discount_and_an_intro_offer_are_not_compensation_at_the_purchase() -> None:
    text = ("Consultant: Any discounts to close?\n\nMarta Kowalski: No, we've resisted that. There's an annual plan "
            "at the same monthly price, no discount.\n\nConsultant: And the first box?\n\nLuis Moreno: The first "
            "box is sixty percent off with the intro discount, then the deal is the full price.\n")
    assert purchase_terms(Assembly(read_sentences(transcript(text))), "month").compensation == []


def test_a_share_who_never_act_is_not_the_crossing_rate() -> None:
    text = ("Interviewer: What do you need them to do first?\n\nDana Roy: You have to connect your calendar before "
            "anything else works.\n\nInterviewer: How many connect it?\n\nDana Roy: About 45% never connect the "
            "calendar.\n")
    draft = extract_offline(parse_transcript(text, format="markdown", source_id="t", interviewers=["Interviewer"]))
    metrics = [t.crossing_metric for t in draft.thresholds if t.crossing_metric]
    assert metrics and metrics[0].value == 55 and metrics[0].text == "45%"
