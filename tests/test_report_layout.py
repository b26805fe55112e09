"""The diagram's geometry, proven from the layout model: no text overlaps, nothing escapes its box.

Boxes come from the model (text widths measured from the bundled font), not from pixels, so these tests
are exact and fast, and they hold for maps of 3 to 60 stages, for crowded bands and for an engagement
map that joins every bundled business.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from agent.reports.card_text import TextRole
from agent.reports.focus import element_chains
from agent.reports.layout import (
    READING_WIDTH,
    CardKind,
    ConnectorKind,
    DiagramLayout,
    Rect,
    layout_diagram,
)
from agent.reports.stream import read_stream
from agent.reports.synthetic_map import synthetic_map, synthetic_map_of_size
from agent.reports.text_metrics import font_metrics, wrap_text
from agent.storage import load_map
from agent.synthesis.synthesize import synthesize
from schemas import ValueMap
from schemas.elements import Duplication, DuplicationKind, Loss, LossKind
from tests.map_builders import SEPARATE_BUSINESSES, build, healthy_map_data

ROOT = Path(__file__).parents[1]


def _segment_box(a: tuple[float, float], b: tuple[float, float]) -> Rect:
    # A line has no area; give it a hair of width so that crossing a box counts as overlapping it.
    x, y = min(a[0], b[0]), min(a[1], b[1])
    return Rect(x - 0.01, y - 0.01, abs(a[0] - b[0]) + 0.02, abs(a[1] - b[1]) + 0.02)


def _inner(box: Rect, inset: float = 0.5) -> Rect:
    return Rect(box.x + inset, box.y + inset, box.w - 2 * inset, box.h - 2 * inset)


def geometry_problems(layout: DiagramLayout) -> list[str]:
    """Every way the picture could be unreadable that the model can show, as plain sentences."""
    problems: list[str] = []
    canvas = Rect(0, 0, layout.width, layout.height)
    texts = sorted(((t.text, t.box) for t in layout.texts()), key=lambda item: item[1].x)
    for index, (text, box) in enumerate(texts):
        if not canvas.contains(box):
            problems.append(f"text off the canvas: {text!r}")
        for other, other_box in texts[index + 1:]:
            if other_box.x >= box.right:
                break
            if box.overlaps(other_box):
                problems.append(f"texts overlap: {text!r} and {other!r}")
    cards = list(layout.cards())
    for card in cards:
        problems += [f"text outside card {card.tag}: {line.text!r}" for line in card.lines if not card.box.contains(line.box)]
    for index, card in enumerate(cards):
        problems += [f"cards overlap: {card.tag} and {other.tag}" for other in cards[index + 1:] if card.box.overlaps(other.box)]
        if card.vep_mark is not None:
            problems += [f"VEP mark of {card.tag} covers {t!r}" for t, box in texts if card.vep_mark.overlaps(box)]
    for row in layout.rows:
        problems += [f"card {c.tag} outside row {row.index + 1}" for c in row.cards if not row.box.contains(c.box)]
        for connector in row.connectors:
            name = f"{connector.kind.value} arrow {connector.source_id} -> {connector.target_id}"
            for a, b in connector.segments():
                if a[0] != b[0] and a[1] != b[1]:
                    problems.append(f"{name} has a diagonal segment")
                line = _segment_box(a, b)
                problems += [f"{name} crosses card {c.tag}" for c in cards if _inner(c.box).overlaps(line)]
                problems += [f"{name} crosses text {t!r}" for t, box in texts if box.overlaps(line)]
    for earlier, later in zip(layout.rows, layout.rows[1:], strict=False):
        if earlier.box.overlaps(later.box):
            problems.append(f"rows {earlier.index + 1} and {later.index + 1} overlap")
    if layout.legend_box is not None and layout.rows and layout.legend_box.overlaps(layout.rows[-1].box):
        problems.append("the legend overlaps the last row")
    return problems


def crowded_map(stages: int, extra_duplications: int, extra_losses: int) -> ValueMap:
    """Many duplications and losses hanging off few gates: bands wrap and arrows need corridors."""
    base = synthetic_map(stages)
    gates = [t.id for t in base.thresholds]
    duplications = list(base.duplications) + [
        Duplication(id=f"dx{k}", name=f"Extra duplication {k}", kind=DuplicationKind.LAYERING,
                    proposition_ids=[base.propositions[0].id],
                    threshold_ids=list(dict.fromkeys([gates[k % len(gates)], gates[(3 * k + 1) % len(gates)]])))
        for k in range(extra_duplications)
    ]
    losses = list(base.losses) + [
        Loss(id=f"lx{k}", name=f"Extra loss {k} with a rather longer name", kind=LossKind.CHURN,
             duplication_ids=[duplications[k % len(duplications)].id], threshold_ids=[gates[(5 * k) % len(gates)]])
        for k in range(extra_losses)
    ]
    return ValueMap.model_validate(base.model_dump() | {"duplications": duplications, "losses": losses})


@pytest.mark.parametrize("stages", [3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30, 33, 37, 40, 60])
def test_no_text_overlaps_for_generated_maps_of_3_to_60_stages(stages: int) -> None:
    for seed in (1, 7, 42):
        layout = layout_diagram(synthetic_map(stages, seed=seed))
        assert geometry_problems(layout) == [], f"{stages} stages, seed {seed}"


@pytest.mark.parametrize(("stages", "duplications", "losses"), [(4, 5, 12), (12, 6, 14), (40, 10, 90)])
def test_crowded_bands_wrap_without_overlap(stages: int, duplications: int, losses: int) -> None:
    layout = layout_diagram(crowded_map(stages, duplications, losses))
    assert geometry_problems(layout) == []
    band_lines = {c.box.y for c in layout.cards() if c.kind is CardKind.LOSS}
    assert len(band_lines) > 1, "the test must exercise wrapped bands"


def test_a_long_stream_is_one_line_left_to_right_never_wrapped() -> None:
    value_map = synthetic_map(60)
    layout = layout_diagram(value_map)
    assert len(layout.rows) == 1
    assert_stream_order(layout, value_map)
    assert geometry_problems(layout) == []
    # The heading and legend stay at a reading width, however long the stream.
    assert layout.legend_box is not None and layout.legend_box.w <= READING_WIDTH


def assert_stream_order(layout: DiagramLayout, value_map: ValueMap) -> None:
    """Within each row, stages and gates sit left to right in the stream's reading order."""
    order = {slot.element.id: i for i, slot in enumerate(read_stream(value_map).slots)}
    for row in layout.rows:
        slots = sorted((c for c in row.cards if c.element_id in order), key=lambda c: c.box.x)
        assert [order[c.element_id] for c in slots] == sorted(order[c.element_id] for c in slots)
        lefts = [c.box.x for c in slots]
        assert all(a < b for a, b in itertools.pairwise(lefts)), "one column per stage or gate"


@pytest.mark.parametrize("example", sorted((ROOT / "transcripts").glob("*/map.json")), ids=lambda p: p.parent.name)
def test_bundled_examples_are_one_stream_in_order(example: Path) -> None:
    value_map = load_map(example)
    layout = layout_diagram(value_map)
    assert len(layout.rows) == 1
    assert_stream_order(layout, value_map)


def bundled_businesses() -> dict[str, ValueMap]:
    """Bundled examples that are separate businesses: one stream each."""
    return {name: load_map(ROOT / "transcripts" / name / "map.json") for name in SEPARATE_BUSINESSES}


def engagement_map() -> ValueMap:
    """The bundled businesses synthesised into one map, as `vsm synthesize` would make it."""
    return synthesize(list(bundled_businesses().values())).value_map


def elements_name(value_map: ValueMap, element_id: str) -> str:
    return next(e.name for e in value_map.elements() if e.id == element_id)


def test_an_engagement_map_draws_one_stream_per_business_never_interleaved() -> None:
    maps = bundled_businesses()
    assert len(maps) >= 4
    value_map = engagement_map()
    layout = layout_diagram(value_map)
    assert len(layout.rows) == len(maps)
    business_of_source = {source.id: name for name, m in maps.items() for source in m.sources}
    elements = {e.id: e for e in value_map.elements()}
    kinds = (CardKind.CUSTOMER_STAGE, CardKind.INTERNAL_STAGE, CardKind.GATE, CardKind.FINAL_GATE)

    def told(card_id: str) -> set[str]:
        return {business_of_source[q.source_id] for q in elements[card_id].evidence}

    stage_of_vep = {vep.id: vep.stage_id for vep in value_map.veps}
    stage_of = {t.id: stage_of_vep[t.vep_id] for t in value_map.thresholds}

    for row, (name, single) in zip(layout.rows, maps.items(), strict=True):
        cards = [c for c in row.cards if c.kind in kinds]
        # Synthesis merges a same-named stage two businesses both tell ("Create an account"): that one
        # stage, with the gates at it, is drawn once, in the stream of one business that tells it;
        # everything else is pure (an untold stage stays with its neighbours).
        for card in cards:
            tellers = told(card.element_id) | told(stage_of.get(card.element_id, card.element_id))
            assert not tellers or name in tellers, f"row {row.index + 1} draws {card.element_id} of {tellers}"
        own = {b for c in cards if c.element_id not in stage_of for b in told(c.element_id)
               if len(told(c.element_id)) == 1}
        assert own == {name}, f"row {row.index + 1} mixes {sorted(own)}"
        # Each business's stream is drawn as it is alone: the same stages and gates, in the same order,
        # less a merged stage (and its gates) drawn with the other business that tells it.
        elsewhere = {elements[c.element_id].name for other in layout.rows if other is not row
                     for c in other.cards if c.kind in kinds and name in told(c.element_id)}
        alone = [elements_name(single, c.element_id) for c in layout_diagram(single).rows[0].cards if c.kind in kinds]
        together = [elements[c.element_id].name for c in cards if name in told(c.element_id) or not told(c.element_id)]
        assert together == [n for n in alone if n not in elsewhere]
    titles = [line.text for row in layout.rows for line in row.labels if line.role is TextRole.TITLE]
    assert any("Juriva" in t for t in titles) and any("Tallyo" in t for t in titles)
    assert geometry_problems(layout) == []


def test_every_stage_gate_duplication_and_loss_is_drawn_once() -> None:
    value_map = synthetic_map(33)
    layout = layout_diagram(value_map)
    drawn = [c.element_id for c in layout.cards()]
    wanted = [e.id for e in [*value_map.stages, *value_map.thresholds, *value_map.duplications, *value_map.losses]]
    assert sorted(drawn) == sorted(wanted)


def test_stages_read_left_to_right_and_gates_follow_their_stage() -> None:
    value_map = synthetic_map(12)
    layout = layout_diagram(value_map)
    stream = read_stream(value_map)
    order = [slot.element.id for slot in stream.slots]
    position = {c.element_id: (row.index, c.box.x) for row in layout.rows for c in row.cards}
    placed = [position[i] for i in order]
    assert placed == sorted(placed)


def test_customer_facing_stages_sit_above_the_line_of_visibility() -> None:
    layout = layout_diagram(synthetic_map(10))
    for row in layout.rows:
        line = row.guides[0].y
        for card in row.cards:
            if card.kind is CardKind.CUSTOMER_STAGE:
                assert card.box.bottom < line
            elif card.kind is CardKind.INTERNAL_STAGE:
                assert card.box.y > line


def test_losses_hang_below_and_point_back_to_what_they_trace() -> None:
    value_map = synthetic_map(10)
    layout = layout_diagram(value_map)
    traces = {(c.source_id, c.target_id) for row in layout.rows for c in row.connectors
              if c.kind is ConnectorKind.TRACE}
    row_of = {card.element_id: row.index for row in layout.rows for card in row.cards}
    for loss in value_map.losses:
        for dup_id in loss.duplication_ids:
            if row_of[dup_id] == row_of[loss.id]:
                assert (loss.id, dup_id) in traces
    for duplication in value_map.duplications:
        for gate in duplication.threshold_ids:
            if row_of[gate] == row_of[duplication.id]:
                assert (duplication.id, gate) in traces
    for row in layout.rows:
        for connector in row.connectors:
            if connector.kind is ConnectorKind.TRACE:
                (_, start_y), (_, end_y) = connector.points[0], connector.points[-1]
                assert end_y < start_y, "a trace arrow points up, back to what the loss came from"


def test_untraced_loss_says_so_in_words() -> None:
    layout = layout_diagram(synthetic_map(6))
    card = next(c for c in layout.cards() if c.element_id == "l-untraced")
    assert any("untraced" in line.text for line in card.lines)


def test_meaning_is_written_not_only_coloured() -> None:
    value_map = build(healthy_map_data())
    layout = layout_diagram(value_map)
    words = {c.kind: " ".join(line.text for line in c.lines) for c in layout.cards()}
    assert "CUSTOMER-FACING" in words[CardKind.CUSTOMER_STAGE]
    assert "GATE (THRESHOLD)" in words[CardKind.GATE]
    assert "FINAL GATE (PURCHASE)" in words[CardKind.FINAL_GATE]
    assert "Surviving Value: 70" in words[CardKind.FINAL_GATE]
    assert "customer must" in words[CardKind.CUSTOMER_STAGE]
    assert all(c.vep_mark is not None for c in layout.cards() if c.kind is CardKind.CUSTOMER_STAGE)


def test_ungrounded_and_unconfirmed_cards_are_marked() -> None:
    data = healthy_map_data()
    data["stages"][0]["evidence"] = []
    data["stages"][1]["provenance"] = {"review": "confirmed"}
    layout = layout_diagram(build(data))
    cards = {c.element_id: c for c in layout.cards()}
    browse, pay = cards["st-browse"], cards["st-pay"]
    marks = " ".join(line.text for line in browse.lines if line.role is TextRole.MARK)
    assert not browse.grounded and marks == "no verified quote · not confirmed"
    assert pay.grounded and pay.confirmed and not any(line.role is TextRole.MARK for line in pay.lines)


def test_a_map_without_stages_still_draws_its_losses() -> None:
    value_map = ValueMap(losses=[Loss(id="l1", name="Churn", kind=LossKind.CHURN)])
    layout = layout_diagram(value_map)
    assert [c.element_id for c in layout.cards()] == ["l1"]
    assert any("No stages" in t.text for t in layout.texts())
    assert geometry_problems(layout) == []


def test_unbreakable_and_foreign_text_stays_inside_its_card() -> None:
    data = healthy_map_data()
    data["stages"][0]["name"] = "x" * 200
    data["stages"][1]["name"] = "顧客が弁護士を選ぶ段階で価値が伝わらない問題がある"
    data["thresholds"][0]["name"] = "https://example.com/a/very/long/path/that/never/breaks/on/a/space/at/all"
    layout = layout_diagram(build(data))
    assert geometry_problems(layout) == []


@pytest.mark.parametrize("example", sorted((ROOT / "transcripts").glob("*/map.json")), ids=lambda p: p.parent.name)
def test_bundled_examples_lay_out_cleanly(example: Path) -> None:
    assert geometry_problems(layout_diagram(load_map(example))) == []


def test_the_1000_element_map_lays_out_cleanly() -> None:
    layout = layout_diagram(synthetic_map_of_size(1000))
    assert geometry_problems(layout) == []


def test_wrapping_never_exceeds_the_width_and_marks_what_it_cuts() -> None:
    metrics = font_metrics()
    text = "Owners hear no hourly surprises while lawyers hear bill as usual, and both are right " * 3
    lines = wrap_text(text, 150, 11, max_lines=3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(metrics.width(line, 11) <= 150 for line in lines)
    assert wrap_text("customer-facing", 60, 11)[0].endswith("-")


def test_widths_come_from_the_bundled_font() -> None:
    regular, bold = font_metrics(), font_metrics(bold=True)
    assert regular.width("iiii", 10) < regular.width("MMMM", 10)
    assert bold.width("Value", 12) > regular.width("Value", 12)
    assert regular.width("Hello world", 12) == pytest.approx(67.27, abs=0.01)  # DejaVu Sans advances


def test_a_chain_runs_both_ways_from_any_element() -> None:
    value_map = load_map(ROOT / "transcripts" / "legal-platform" / "map.json")
    chains = element_chains(value_map)
    stage_of_vep = {v.id: v.stage_id for v in value_map.veps}
    stage_of_gate = {t.id: stage_of_vep[t.vep_id] for t in value_map.thresholds}
    for loss in value_map.losses:
        chain = chains[loss.id]
        assert chain[0] == loss.id
        for dup_id in loss.duplication_ids:
            dup = next(d for d in value_map.duplications if d.id == dup_id)
            assert {dup_id, *dup.threshold_ids, *(stage_of_gate[t] for t in dup.threshold_ids)} <= set(chain)
            # ... and back: the gate's chain holds the loss that traces to it through the duplication.
            assert all(loss.id in chains[t] for t in dup.threshold_ids)
    for gate, stage in stage_of_gate.items():
        assert set(chains[gate]) <= set(chains[stage])
    untouched = [s.id for s in value_map.stages if len(chains[s.id]) == 1]
    assert untouched, "a stage with no gate lights up alone"
