"""Names built from what an element is and the step it is at (`naming.name_at_step`)."""

from __future__ import annotations

import pytest

from agent.extraction.offline.naming import MAX_NAME_WORDS, name_at_step
from agent.extraction.offline.value import exchange_name
from schemas.elements import GiveKind
from schemas.extraction import DraftGive


@pytest.mark.parametrize(
    ("what", "joiner", "step", "spoken", "name"),
    [
        ("Drop-off", "at", "Pack purchase", "The customer must buy a pack", "Drop-off at pack purchase"),
        # A step too long to fit in five words is left out, not cut ("Apple Pay payment" is no "pay payment").
        ("Longer sales cycle", "at", "Contract signing", "sign the contract", "Longer sales cycle"),
        ("Low activation", "after", "Apple Pay payment", "pay with Apple Pay", "Low activation"),
        ("Churn", "after", "Business bank account connection", "connect the account", None),  # one word is no name
        # A name the speakers write with a capital keeps it; an acronym always does.
        ("Churn", "after", "Stripe connection", "connect their Stripe account", "Churn after Stripe connection"),
        ("Churn", "after", "Stripe connection", 'connect their "Stripe" account', "Churn after Stripe connection"),
        ("Churn", "after", "Pack purchase", "Pack: they buy it first", "Churn after pack purchase"),
        ("Data gap", "at", "SOC report", "send the SOC report", "Data gap at SOC report"),
        # What repeats the step says nothing: the caller names it another way.
        ("Low activation", "after", "Customer activation", "activate the account", None),
        ("Refunds", "after", "Refund request", "request a refund", None),
    ],
)
def test_named_at_its_step(what: str, joiner: str, step: str, spoken: str, name: str | None) -> None:
    assert name_at_step(what, joiner, step, spoken) == name
    if name is not None:
        assert len(name.split()) <= MAX_NAME_WORDS


def _gives(*kinds: str) -> list[DraftGive]:
    return [DraftGive(kind=GiveKind(k), detail="") for k in kinds]


@pytest.mark.parametrize(
    ("gives", "got", "step", "name"),
    [
        (("money",), ["a dedicated search team on your role"], "Seat payment", "Money for dedicated search team"),
        (("referral",), ["Free accounts"], "Customer invitation", "Referral for free accounts"),
        # Seen on the bundled maps: "Time for alone", "Money for sludge", "Money for hours": one word of what is got
        # names nothing; what is given at the step does.
        (("time", "attention"), ["Never work alone again", "Your people are here"], "Customer attendance",
         "Time at customer attendance"),
        (("money", "time"), ["the hours you shoot"], "Studio booking", "Money at studio booking"),
        # Nothing named but what is given again, at a step that repeats it: what is given, and no more.
        (("commitment",), ["practising"], "Practising commitment", "Commitment exchange"),
        (("money",), [], "Plan payment", "One-sided money exchange"),  # nothing said in return
        (("money",), ["twenty percent off the first year"], "Plan payment", "Money for a discount"),
        (("money",), ["10% off the first year"], "Plan payment", "Money for a discount"),
        (("money",), ["time saved on admin"], "Plan payment", "Money at plan payment"),  # no "time saved"
        # Seen on the bundled maps: "Money for email saying", "Money for desk whenever", "Effort for app hard".
        (("money",), ["an email saying you're on the list"], "Plan payment", "Money at plan payment"),
        (("money",), ["a little line saying what's due"], "Plan payment", "Money for little line"),
        (("money",), ["a desk whenever you want one"], "Monthly plan purchase", "Money at monthly plan purchase"),
        (("effort",), ["the app hard to use"], "Customer activation", "Effort at customer activation"),
    ],
)
def test_an_exchange_is_named_by_what_is_given_for_what_is_got_else_the_step(
    gives: tuple[str, ...], got: list[str], step: str, name: str
) -> None:
    assert exchange_name(_gives(*gives), got, step) == name


def test_an_exchange_name_keeps_a_capital_the_speakers_write_inside_a_sentence() -> None:
    got = ["Slack alerts for every deploy"]
    assert exchange_name(_gives("money"), got, "Plan payment", spoken="We give them Slack alerts.") == (
        "Money for Slack alerts")
    got = ["Dedicated account manager for the rollout"]
    assert exchange_name(_gives("money"), got, "Plan payment", spoken="Dedicated account manager for the rollout.") == (
        "Money for dedicated account manager")
