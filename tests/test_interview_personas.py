"""Scripted stakeholders through the interviewer, headless and once through the real app (Pilot).

Each persona gives a vague answer, an off-topic one, a correction and a seeded contradiction. The
interviewer must never ask one intent of one element twice, propose every correction, probe every
seeded contradiction quoting both sentences, and leave a board that moved on at least 5 of 7 steps.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agent.tui.app import InterviewApp, Phase
from agent.tui.chat import AnswerBox
from schemas import ValueMap
from schemas.interview import CorrectionKind, ProbeKind
from tests.personas import PERSONAS, SEVEN_STEPS, Persona, Script, outcome_of, quoted_in, run_persona

IDS = [p.name for p in PERSONAS]


@pytest.fixture(scope="module", params=PERSONAS, ids=IDS)
def interviewed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Persona, object]:
    persona: Persona = request.param
    return persona, run_persona(persona, tmp_path_factory.mktemp(persona.name))


def test_no_intent_is_asked_twice_of_one_element(interviewed: tuple[Persona, object]) -> None:
    _persona, outcome = interviewed
    assert outcome.repeats == 0  # type: ignore[attr-defined]


def test_the_vague_answer_is_laddered_and_the_off_topic_one_redirected(interviewed: tuple[Persona, object]) -> None:
    persona, outcome = interviewed
    history = outcome.engine.state.history  # type: ignore[attr-defined]
    after = {history[i - 1].text: history[i + 1] for i in range(1, len(history) - 1)
             if history[i].type == "answer" and history[i - 1].type == "question"}
    texts = [e.text for e in history]
    vague_next = history[texts.index(persona.vague) + 1]
    off_next = history[texts.index(persona.off_topic) + 1]
    assert vague_next.probe.kind in (ProbeKind.LADDER, ProbeKind.EXAMPLE)
    assert off_next.probe.kind is ProbeKind.REDIRECT
    assert off_next.text.startswith("To come back to the question: ")
    assert after  # the history alternates question and answer


def test_every_correction_is_proposed_and_applied_when_accepted(interviewed: tuple[Persona, object]) -> None:
    persona, outcome = interviewed
    engine = outcome.engine  # type: ignore[attr-defined]
    assert outcome.correction_answer is not None  # type: ignore[attr-defined]
    proposed = [c for p in engine.state.patches for c in p.corrections
                if c.answer_index == outcome.correction_answer]  # type: ignore[attr-defined]
    assert proposed and all(c.said in persona.correction for c in proposed)
    assert outcome.corrections_applied == outcome.corrections_proposed >= 1  # type: ignore[attr-defined]
    corrected = proposed[0]
    if corrected.kind is not CorrectionKind.EDIT:
        assert not any(e.id == corrected.element_id and e.name == corrected.element_name
                       for e in engine.state.value_map.elements())
        return
    # "12, not 15": the offline names carry no figures, so the element keeps its name; the element and the
    # stage and VEP of its point in the stream no longer state the old figure anywhere, and it states the new
    new, old = re.findall(r"\d+", persona.correction)
    value_map = engine.state.value_map
    by_id = {e.id: e for e in value_map.elements()}
    point = _point_of(value_map, corrected.element_id)
    assert {corrected.element_id, *(v.id for v in value_map.veps if v.id in point)} <= point
    stated = {i: json.dumps(by_id[i].model_dump(exclude={"evidence", "provenance"})) for i in point}
    assert all(not re.search(rf"(?<![\d.]){old}(?![\d])", text) for text in stated.values()), stated
    assert re.search(rf"(?<![\d.]){new}(?![\d])", stated[corrected.element_id])


def _point_of(value_map: ValueMap, element_id: str) -> set[str]:
    """The threshold, its VEP and their stage: one point in the stream."""
    threshold = next((t for t in value_map.thresholds if t.id == element_id), None)
    vep_id = threshold.vep_id if threshold is not None else element_id
    vep = next(v for v in value_map.veps if v.id == vep_id)
    return {element_id, vep.id, vep.stage_id}


def test_the_seeded_contradiction_is_probed_quoting_both(interviewed: tuple[Persona, object]) -> None:
    persona, outcome = interviewed
    earlier, later = persona.contradiction
    assert any(quoted_in(q, earlier) and quoted_in(q, later)
               for q in outcome.contradictions_probed)  # type: ignore[attr-defined]


def test_the_board_moves_on_at_least_five_of_seven_steps_after_15_answers(interviewed: tuple[Persona, object]
                                                                         ) -> None:
    _persona, outcome = interviewed
    moved = [s for s in SEVEN_STEPS if outcome.coverage[s] > 0]  # type: ignore[attr-defined]
    assert len(moved) >= 5, outcome.coverage  # type: ignore[attr-defined]


def test_the_session_summary_lists_what_stayed_uncovered_with_questions(interviewed: tuple[Persona, object]) -> None:
    _persona, outcome = interviewed
    engine = outcome.engine  # type: ignore[attr-defined]
    map_path, _ = engine.save_outputs()
    summary = map_path.with_name(map_path.name.replace(".map.json", ".summary.md")).read_text(encoding="utf-8")
    assert "## Uncovered: questions for next time" in summary
    for step in engine.summary().uncovered:
        assert step.title in summary
    assert "12, not 15" in summary or "Corrections" in summary


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_a_persona_through_the_real_app(tmp_path: Path) -> None:
    from agent.interview.engine import InterviewEngine
    from tests.personas import Clock

    persona = PERSONAS[0]
    engine = InterviewEngine.start(tmp_path, stakeholder=persona.name, role=persona.role, clock=Clock())
    app = InterviewApp(engine, mode="offline, no model")
    script = Script(persona, specials=[(2, persona.vague), (4, persona.off_topic)])
    async with app.run_test(size=(160, 48)) as pilot:
        box = app.query_one(AnswerBox)
        for turn in range(15):
            for _ in range(500):
                if app.phase is Phase.ASKED:
                    break
                await pilot.pause(0.02)
            assert app.phase is Phase.ASKED
            pending = engine.state.pending_question
            assert pending is not None
            box.insert(script.answer(turn, pending.probe))
            await pilot.press("enter")
            await pilot.pause()
        for _ in range(500):
            if app.phase is Phase.ASKED:
                break
            await pilot.pause(0.02)
        corrections = engine.pending_corrections
        assert corrections  # shown in the map pane, to be applied with `a`
        map_list = app.query_one("#map-list")
        map_list.focus()
        map_list.highlighted = 1  # the first row under the corrections heading
        await pilot.press("a")
        await pilot.pause()
    outcome = outcome_of(persona, engine, None)
    assert outcome.repeats == 0
    assert outcome.corrections_applied >= 1
    earlier, later = persona.contradiction
    assert any(quoted_in(q, earlier) and quoted_in(q, later) for q in outcome.contradictions_probed)
