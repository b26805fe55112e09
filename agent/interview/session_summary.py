"""The session summary: what the conversation established, what it corrected and questioned, and what
stayed uncovered, with the questions to ask next time. Written beside the log as `<id>.summary.md`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agent.interview.planning.coverage import coverage_of
from agent.interview.planning.planner import open_probes
from agent.interview.session_state import SessionState
from schemas.findings import CheckReport
from schemas.interview import CoverageBoard, DiagnosticStep, ProbeKind, ProposedCorrection

QUESTIONS_PER_STEP = 2


@dataclass(frozen=True)
class SessionSummary:
    questions: int
    answers: int
    corrections_applied: list[ProposedCorrection]
    corrections_rejected: list[ProposedCorrection]
    corrections_pending: list[ProposedCorrection]
    contradictions_probed: list[str]  # the questions that quoted both sides
    board: CoverageBoard
    next_time: dict[DiagnosticStep, list[str]]  # uncovered step -> questions for the next session

    @property
    def uncovered(self) -> list[DiagnosticStep]:
        return self.board.uncovered_steps()


def summarise(state: SessionState, report: CheckReport) -> SessionSummary:
    board = coverage_of(state.value_map)
    probes = open_probes(state.value_map, report, state.history)
    from agent.interview.planning.question_bank import load_question_bank

    bank = load_question_bank()
    next_time: dict[DiagnosticStep, list[str]] = {}
    for step in board.uncovered_steps():
        questions = list(dict.fromkeys(p.fallback_question for p in probes if p.step is step))[:QUESTIONS_PER_STEP]
        next_time[step] = questions or [bank.steps[step].question]
    corrections = [c for patch in state.patches for c in patch.corrections]
    decided = state.decisions
    return SessionSummary(
        questions=len(state.questions),
        answers=len(state.answers),
        corrections_applied=[c for c in corrections if c.id in decided and decided[c.id].accepted],
        corrections_rejected=[c for c in corrections if c.id in decided and not decided[c.id].accepted],
        corrections_pending=[c for c in corrections if c.id not in decided],
        contradictions_probed=[q.text for q in state.questions if q.probe.kind is ProbeKind.CONTRADICTION],
        board=board,
        next_time=next_time,
    )


def summary_markdown(state: SessionState, summary: SessionSummary) -> str:
    meta = state.meta
    who = meta.stakeholder + (f" ({meta.role})" if meta.role else "")
    lines = [f"# Interview with {who}: summary", "",
             f"{summary.questions} questions, {summary.answers} answers, "
             f"{state.value_map.element_count()} elements in the map.", "", "## Coverage of the diagnostic steps", ""]
    lines += [f"- {s.step.title}: {s.filled:.0%}" + (" (covered)" if s.covered else "") for s in summary.board.steps]
    lines += ["", "## Corrections", ""]
    lines += _corrections("applied", summary.corrections_applied)
    lines += _corrections("rejected", summary.corrections_rejected)
    lines += _corrections("not decided yet", summary.corrections_pending)
    if not (summary.corrections_applied or summary.corrections_rejected or summary.corrections_pending):
        lines.append("- none")
    lines += ["", "## Contradictions probed", ""]
    lines += [f"- {q}" for q in summary.contradictions_probed] or ["- none"]
    lines += ["", "## Uncovered: questions for next time", ""]
    if not summary.next_time:
        lines.append("Every diagnostic step is covered.")
    for step, questions in summary.next_time.items():
        lines.append(f"- **{step.title}**")
        lines += [f"  - {q}" for q in questions]
    return "\n".join(lines) + "\n"


def _corrections(label: str, corrections: Sequence[ProposedCorrection]) -> list[str]:
    return [f"- {label}: {c.description} (said: “{c.said}”)" for c in corrections]
