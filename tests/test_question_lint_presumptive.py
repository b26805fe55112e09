"""Presumptive wording: a question must ask, not take a premise, a feeling or a failure for granted."""

from __future__ import annotations

import pytest

from agent.interview.planning import lint_question, load_question_bank
from schemas.interview import QuestionIssueKind


def presumptive(question: str) -> bool:
    return any(i.kind is QuestionIssueKind.PRESUMPTIVE for i in lint_question(question, session_text=""))


@pytest.mark.parametrize("question", [
    # the reviewer's two
    "Why do customers hate the security review?",
    "Since the discount is clearly failing, what would you change?",
    # presupposing adverbs and set phrases
    "What is clearly missing from the onboarding?",
    "Obviously the upload is the bottleneck, so where else do customers stop?",
    "Of course the trial matters, but what do customers do in it?",
    "Surely customers want a faster setup?",
    "Undoubtedly the price matters; where do customers compare it?",
    "As we all know, customers want speed; what do they ask for?",
    # a premise asserted before (or after) the question
    "Given that customers ignore the email, how do they learn about the setup?",
    "Now that the trial is shorter, what do customers do first?",
    "Because the pricing is confusing, where do customers stop?",
    "Since customers churn after the trial, what would you change?",
    "Since the discount is failing, how have you responded?",
    "Since customers hate the upload, how have you responded?",
    "What would you change, given that the discount is failing?",
    # why-questions that presuppose a feeling or a failure
    "Why did the new pricing fail with small teams?",
    "Why do customers complain about the invoice step?",
    "Why does the team refuse to use the dashboard?",
    "Why are customers struggling with the upload?",
    "Why are customers frustrated with the upload?",
    "Why have customers abandoned the trial?",
    "How come customers refuse the contract?",
    "What makes customers ignore the onboarding email?",
    # asking for agreement with a premise
    "Isn't it true that customers churn after the trial?",
    "Is it not obvious that the price is too high?",
    "Don't you think the price is too high?",
    "Given the data, don't you agree the price is too high?",
    "Wouldn't you agree the onboarding is the problem?",
    "Isn't the onboarding too long for small teams?",
    "Don't customers want a faster setup?",
    # presumed to be bad
    "What is wrong with the onboarding?",
    "How painful is the upload for customers?",
])
def test_presumptive_wording_is_caught(question: str) -> None:
    assert presumptive(question), question


@pytest.mark.parametrize("question", [
    # the reviewer's neutral ones
    "Why do customers stop at the security review?",
    "Since when has the discount been offered?",
    "What happens after they sign up?",
    "How clear is the pricing page to new customers?",
    # the manner sense of an adverb is a real question
    "How clearly does the pricing page explain the cost?",
    "Do customers understand the pricing clearly?",
    "Do customers see the price clearly enough to decide?",
    "Which customers have no doubt about the price?",
    # 'since' that dates the question; 'given'/'now that' that points back at the stakeholder
    "Since the price change, how has the number of sign-ups changed?",
    # a quoted name may hold commas (and a word like "failed"): the time clause ends after the quotation
    "Since “Weekly report (failed pickups, missed windows)” was improved, how has the number of repeat orders changed?",
    "Since last year, how have sign-ups changed?",
    "Since launch, what do customers do first?",
    "Since the price change, what do customers do first?",
    "Given the choice, which plan do customers pick?",
    "Given that, what happens next?",
    "Now that you mention it, what happens after the upload?",
    # neutral why/what-makes questions, and loaded words used neutrally
    "Why does a failed payment end the trial?",
    "Why do failed payments end the trial?",
    "Why are customers asked for an invoice?",
    "What makes customers decide to buy?",
    "What do customers love about the product?",
    "What goes wrong at the upload?",
    "How long is the upload for customers?",
    # negatives that are not questions about a premise
    "Don't count refunds: how many customers get past the upload?",
    "Customers don't think about price at first; when do they start?",
])
def test_neutral_wording_is_not_presumptive(question: str) -> None:
    assert not presumptive(question), question


FILLS = [
    {"name": "“Invoice upload”", "names": "“Save time” and “Catch fraud”",
     "items": "threshold “Invoice upload”; loss “Refunds”", "earlier": "“Nothing works until they connect”",
     "later": "“They can start without connecting”", "question": "What happens at “Invoice upload”?", "source": "sales-call",
     "who": "Sam (Head of Sales)"},
    {"name": "“Security review”", "names": "“Discount” and “Free trial”", "items": "threshold “Security review”",
     "earlier": "“The trial is 14 days”", "later": "“The trial is 30 days”",
     "question": "At “Security review”, what do customers give?", "source": "customer-call", "who": "Dana"},
]


@pytest.mark.parametrize("template", load_question_bank().questions())
@pytest.mark.parametrize("fill", FILLS, ids=["upload", "review"])
def test_no_bank_question_is_presumptive(template: str, fill: dict[str, str]) -> None:
    question = template.format(**fill)
    assert not presumptive(question), question


def test_the_message_names_every_reason() -> None:
    [issue] = lint_question("Since the discount is clearly failing, what would you change?", session_text="")
    assert "asserts a premise" in issue.message and "'clearly' states it as fact" in issue.message
