"""The purchase's figures as people say them in a meeting (issue 11): a price put right by the next speaker, the
regular price told with its terms, a price per unit per month, money said as a note ("a fiver"), what the customer
would have paid, and the loss they take off it. Each was seen missed on the tuned examples; every sentence here is
written for the test."""

from __future__ import annotations

import pytest

from agent.extraction.offline import extract_offline
from agent.extraction.offline.assembly import Assembly
from agent.extraction.offline.numbers import prices, spoken_numbers
from agent.extraction.offline.pricing import corrections
from agent.extraction.offline.purchase import purchase_terms
from agent.extraction.offline.reading import read_sentences
from agent.sources import parse_transcript
from schemas.transcript import Transcript


def transcript(text: str) -> Transcript:
    return parse_transcript(text, format="markdown", source_id="call", interviewers=["Consultant"])


def final_price(text: str) -> tuple[float | None, str | None]:
    final = next(t for t in extract_offline(transcript(text)).thresholds if t.is_final)
    return final.price, final.price_period


CORRECTED = """Consultant: What do schools pay for the platform?

Ravi Menon: It goes by pupils. Small schools are three hundred and ten pounds a month. The middle band, up to \
eight hundred pupils, is five hundred and forty—

Alice Brandt: Five ninety. We put it up in April.

Consultant: And the schools sign up for a year?

Alice Brandt: Yes, they subscribe for the school year.
"""


def test_a_price_put_right_by_the_next_speaker_is_the_price() -> None:
    """Seen: "Growth is five hundred and ninety—" / "Six ninety. It went up in March." gave the tier before it."""
    found = corrections(read_sentences(transcript(CORRECTED)), "GBP")
    assert [(f.price.amount, f.price.currency, f.price.period, f.sentence.text) for f in found.values()] == [
        (590.0, "GBP", "month", "Five ninety.")]
    assert final_price(CORRECTED) == (590.0, "month")


@pytest.mark.parametrize("reply", [
    "Forty percent take the middle band.",  # a share, not an amount
    "Eight hundred pupils is the cap.",  # a count of something
    "Five ninety now, since April, for every school in the middle band.",  # a sentence, not a correction
    "Twelve weeks, usually.",  # a duration
    "Two, at most.",  # nowhere near the amount said
])
def test_a_reply_that_opens_with_another_number_is_no_correction(reply: str) -> None:
    text = CORRECTED.replace("Five ninety. We put it up in April.", reply)
    assert corrections(read_sentences(transcript(text)), "GBP") == {}


def test_a_correction_needs_an_amount_of_money_to_correct() -> None:
    text = CORRECTED.replace("is five hundred and forty—", "gets ten percent off the first term—")
    text = text.replace("Five ninety.", "Twelve.")
    assert corrections(read_sentences(transcript(text)), "GBP") == {}


TERMS = """Consultant: What does the customer pay?

Owen Hale: I bought a diagnostic reader for sixty pounds last year, so I know what the kit costs.

Owen Hale: The plan is nineteen ninety-nine a month, twelve months minimum, by direct debit.
"""


def test_the_price_told_with_its_terms_outranks_other_money_said_about_buying() -> None:
    assert final_price(TERMS) == (19.99, "month")


def test_a_price_per_unit_per_month_is_monthly() -> None:
    said = prices("Thirty-four pounds per chair per month, and sixty euros a van a month.")
    assert [(p.amount, p.period) for p in said] == [(34.0, "month"), (60.0, "month")]
    assert [(p.amount, p.period) for p in prices("forty-two pounds a head")] == [(42.0, "head")]


def test_money_said_as_a_note_or_in_grand() -> None:
    assert [(p.amount, p.currency, p.period) for p in prices("that's a tenner a month of my evenings")] == [
        (10.0, "GBP", "month")]
    assert [f.value for f in spoken_numbers("a fiver, maybe three grand in all")] == [5.0, 3000.0]
    assert spoken_numbers("the grand total is on the invoice") == []


WOULD_HAVE_PAID = """Consultant: What does the move cost?

Imani Cole: Eleven hundred and fifty pounds, fixed.

Consultant: And what was it worth to you?

Imani Cole: I'd paid forty pounds for boxes already. Honestly, I'd have paid two thousand without blinking.

Consultant: Anything that ate into it?

Imani Cole: Take off the three hundred for the scratched table and it's still well ahead.
"""


def test_what_a_customer_would_have_paid_is_the_value_and_what_they_take_off_is_the_loss() -> None:
    terms = purchase_terms(Assembly(read_sentences(transcript(WOULD_HAVE_PAID))), None)
    assert terms.perceived_value is not None and terms.perceived_value.value == 2000  # not the forty already paid
    assert terms.accumulated_loss is not None and terms.accumulated_loss.value == 300


def test_a_quantity_worth_is_no_perceived_value() -> None:
    text = """Consultant: And what is the box worth to you?

Lena Fox: I was throwing away a fiver's worth a week of greens, so it never felt like the price.
"""
    assert purchase_terms(Assembly(read_sentences(transcript(text))), "week").perceived_value is None


def test_a_value_said_bare_takes_its_period_from_the_question() -> None:
    """Seen: "What is it worth to you, per van per month?" "Twenty-five quid, maybe." was not weighed against a
    monthly price, because the answer says no period."""
    text = """Consultant: What is the tracker worth to you, per van per month?

Sean Doyle: Thirty quid, maybe. The theft side is the big part.

Consultant: And what does it cost you, on top of the price?

Sean Doyle: The install day and the second visits. Call it ten quid a van a month of my time.
"""
    terms = purchase_terms(Assembly(read_sentences(transcript(text))), "month")
    assert terms.perceived_value is not None and terms.perceived_value.value == 30
    assert terms.accumulated_loss is not None and terms.accumulated_loss.value == 10


def test_what_the_buyer_says_they_paid_is_the_price_even_without_a_word_of_buying() -> None:
    """Seen: "Mine was ten thousand four hundred pounds, it's a bigger roof." was not read at all, and an ad's
    "from eighty-nine a month" was the price."""
    text = """Consultant: Where did you first hear of them?

Rosa Quint: I'd seen the ad, "A new kitchen from £99 a month," and I thought, right, that I can do.

Consultant: And in the end?

Rosa Quint: Mine was eight thousand two hundred pounds, it's a bigger kitchen.
"""
    assert final_price(text) == (8200.0, None)


def test_a_deposit_and_what_the_seller_pays_others_are_not_the_price() -> None:
    text = """Consultant: What do couples pay?

Nora Kell: We pay the caterer forty pounds a head, and we pay them for the tasting too.

Nora Kell: To hold the date it's a deposit of two thousand pounds, non-refundable.

Nora Kell: The package itself is twelve thousand five hundred for a Saturday.
"""
    assert final_price(text) == (12500.0, None)
