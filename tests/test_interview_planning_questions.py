"""Questions are neutral, open and single: the lint, the question bank, and the abstract-answer heuristic."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.checks import CHECKS
from agent.interview.planning import QuestionBankError, is_abstract, lint_question, load_question_bank
from agent.interview.planning.question_bank import PLACEHOLDERS, parse_question_bank, placeholders_of
from schemas.interview import QuestionIssueKind

ROOT = Path(__file__).parents[1]
SESSION = "Honestly, we lose about half of them at the invoice upload. Nobody reads the onboarding email."


def kinds(question: str, session_text: str = SESSION) -> list[QuestionIssueKind]:
    return [issue.kind for issue in lint_question(question, session_text=session_text)]


# --- The lint -------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "Where does the customer have to do something before the process can go on?",
    "What happens between sign-up and when they first pay?",
    "What do customers give and get at the upload?",
    "Who decides whether a trial becomes a contract?",
    "What would excellent support look like to a customer?",
    "Why does the upload matter to the customer?",
    "You said “we lose about half of them at the invoice upload”: what happens to those customers next?",
    "You mentioned that nobody reads the onboarding email; what do customers read instead?",
    "What makes customers act so that the trial converts?",
    "Which customers (who crossed, and who stalled) can we hear on these thresholds?",
    "Why do customers stop at the security review?",
    "Since when has the discount been offered?",
    "How clear is the pricing page to new customers?",
    "Why does a failed payment end the trial?",
    "Given the choice, which plan do customers pick?",
    "Since the price change, how has the number of sign-ups changed?",
    "After buying, which of “Lost it? New one tomorrow” and “Covered if reported” do customers experience?",
    "Since “'It doesn't come back' vs a membership” began, where have customers dropped off?",
])
def test_neutral_open_single_questions_pass(question: str) -> None:
    assert lint_question(question, session_text=SESSION) == []


@pytest.mark.parametrize(("question", "kind"), [
    ("Don't you think the price is too high?", QuestionIssueKind.LEADING),
    ("Wouldn't you agree the onboarding is the problem?", QuestionIssueKind.LEADING),
    ("Isn't it true that customers churn after the trial?", QuestionIssueKind.LEADING),
    ("Surely customers want a faster setup?", QuestionIssueKind.LEADING),
    ("The upload is the hard part, right?", QuestionIssueKind.LEADING),
    ("What do you charge and why do customers leave?", QuestionIssueKind.DOUBLE_BARRELLED),
    ("Where do they stop? Why there?", QuestionIssueKind.DOUBLE_BARRELLED),
    ("What do customers give, and what happens when they don't?", QuestionIssueKind.DOUBLE_BARRELLED),
    ("Who pays and do they use it?", QuestionIssueKind.DOUBLE_BARRELLED),
    ("Why is your onboarding so slow?", QuestionIssueKind.PRESUMPTIVE),
    ("Why are customers so reluctant to upload invoices?", QuestionIssueKind.PRESUMPTIVE),
    ("What makes the security review so painful?", QuestionIssueKind.PRESUMPTIVE),
    ("Why do customers hate the security review?", QuestionIssueKind.PRESUMPTIVE),
    ("Why did the new pricing fail with small teams?", QuestionIssueKind.PRESUMPTIVE),
    ("Since the discount is clearly failing, what would you change?", QuestionIssueKind.PRESUMPTIVE),
    ("Given that customers ignore the email, how do they learn about the setup?", QuestionIssueKind.PRESUMPTIVE),
    ("Now that the trial is shorter, what do customers do first?", QuestionIssueKind.PRESUMPTIVE),
    ("What is clearly missing from the onboarding?", QuestionIssueKind.PRESUMPTIVE),
    ("Why are customers struggling with the upload?", QuestionIssueKind.PRESUMPTIVE),
    ("Great answer! Where do customers stop next?", QuestionIssueKind.PRAISE),
    ("That's fascinating. What happens after the upload?", QuestionIssueKind.PRAISE),
    ("Excellent, and where does it stop?", QuestionIssueKind.PRAISE),
    ("You said “we lose most of them at the upload”: where do they go?", QuestionIssueKind.MISQUOTE),
    ("You mentioned the onboarding is too long; what happens there?", QuestionIssueKind.MISQUOTE),
    ("As you said, what happens next?", QuestionIssueKind.MISQUOTE),
])
def test_bad_questions_are_caught(question: str, kind: QuestionIssueKind) -> None:
    assert kind in kinds(question)


def test_a_quote_matches_after_normalising_case_space_and_punctuation() -> None:
    assert kinds("You said 'Nobody   READS the onboarding e-mail'. Where else do customers look?",
                 session_text="nobody reads the onboarding e mail") == []


def test_issues_say_what_to_do() -> None:
    issue = lint_question("Why is your onboarding so slow?", session_text="")[0]
    assert "so slow" in issue.message and "ask what happens" in issue.message


# --- The question bank ----------------------------------------------------------------------------

def bank_questions() -> list[str]:
    return load_question_bank().questions()


@pytest.mark.parametrize("template", bank_questions())
def test_every_bank_question_passes_the_lint(template: str) -> None:
    question = template.format(name="“Invoice upload”", names="“Save time” and “Catch fraud”",
                               items="threshold “Invoice upload”; loss “Refunds”",
                               earlier="“Nothing works until they connect”", later="“They can start without it”",
                               question="What does the customer give up at “Invoice upload”?",
                               source="sales-call", who="Sam (Head of Sales)")
    assert lint_question(question, session_text="") == []
    assert question.endswith("?") and question.count("?") == 1


def test_the_bank_is_versioned_and_uses_known_placeholders_only() -> None:
    bank = load_question_bank()
    assert bank.version >= 1 and bank.id == f"interview_questions@{bank.version}"
    assert all(placeholders_of(q) <= PLACEHOLDERS for q in bank.questions())
    assert all("{name}" in e.question_for for e in bank.steps.values())


def test_every_check_has_a_follow_up_question() -> None:
    assert set(CHECKS) <= set(load_question_bank().follow_ups)


def test_a_broken_bank_is_a_clear_error() -> None:
    text = (ROOT / "prompts/interview_questions.toml").read_text(encoding="utf-8")
    with pytest.raises(QuestionBankError, match="unknown placeholder"):
        parse_question_bank(text.replace("at {name} for the process", "at {element} for the process"))
    with pytest.raises(QuestionBankError, match="layout"):
        parse_question_bank(text.replace("version = 2", ""))
    with pytest.raises(QuestionBankError, match="not valid TOML"):
        parse_question_bank(text + "\n[[[")


# --- Abstract answers -----------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [
    "It generally makes things easier for them.",
    "Better value, basically.",
    "It's kind of a quality thing.",
    "Yes.",
    "",
])
def test_abstract_answers(answer: str) -> None:
    assert is_abstract(answer)


@pytest.mark.parametrize("answer", [
    "About 40% stop at the payment form.",
    "Half of them never upload an invoice.",
    "For example, a bakery signed up last week and dropped out at the upload.",
    "We send it through Stripe, and it generally works.",
    "They forward their supplier invoices to a shared inbox and our ops team codes them by hand.",
    "At the payment form.",
])
def test_concrete_answers(answer: str) -> None:
    assert not is_abstract(answer)
