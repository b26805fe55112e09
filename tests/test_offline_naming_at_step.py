"""Names built from what an element is and the step it is at (`naming.name_at_step`)."""

from __future__ import annotations

import pytest

from agent.extraction.offline.naming import MAX_NAME_WORDS, name_at_step


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
