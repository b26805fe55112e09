"""The interview planner: what to ask next, from the map's coverage, the checks and the conversation; no model."""

from agent.interview.planning.abstract_answers import is_abstract, is_declined
from agent.interview.planning.coverage import coverage_of
from agent.interview.planning.planner import next_probe, probe_key, read_conversation
from agent.interview.planning.question_bank import QuestionBank, QuestionBankError, load_question_bank
from agent.interview.planning.question_lint import lint_question

__all__ = [
    "QuestionBank",
    "QuestionBankError",
    "coverage_of",
    "is_abstract",
    "is_declined",
    "lint_question",
    "load_question_bank",
    "next_probe",
    "probe_key",
    "read_conversation",
]
