"""Assembly: drafts from any extractor become one grounded map, with every drop counted."""

from __future__ import annotations

from typing import Any

from agent.assembly import assemble_map
from agent.sources import parse_transcript
from schemas import MatchStatus, ProposedBy, Provenance
from schemas.extraction import DraftMap
from schemas.transcript import Transcript

TEXT = """Consultant: Where do customers have to do something?

Maria: Customers have to mark the lawyers they want before anything else happens.

Maria: We never had enough people to check every lawyer ourselves.

Consultant: And then?

Maria: About 40 percent of new users never mark a single lawyer and just leave.

Maria: The subscription costs 49 euros a month and most people pay after the first consultation.
"""


def transcript(source_id: str = "call", text: str = TEXT) -> Transcript:
    return parse_transcript(text, format="markdown", source_id=source_id, interviewers=["Consultant"])


def element(key: str, name: str, quotes: list[str], speaker: str = "Maria", **fields: Any) -> dict[str, Any]:
    return {"key": key, "name": name, "detail": "", "quotes": [{"text": q, "speaker": speaker} for q in quotes],
            **fields}


def draft(**collections: list[dict[str, Any]]) -> DraftMap:
    empty: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "stages", "veps", "resistances", "thresholds", "exchanges", "propositions", "duplications", "losses")}
    return DraftMap.model_validate({**empty, **collections})


VEP = element("mark", "Mark lawyers", ["Customers have to mark the lawyers they want"], stage_key=None,
              customer_action="mark lawyers", proposition_keys=[], activation="unknown")
THRESHOLD = element("first-mark", "First marking", ["About 40 percent of new users never mark a single lawyer"],
                    vep_key="mark", condition="a lawyer is marked", on_failure="they leave",
                    crossing_metric={"name": "marking rate", "value": 0.6, "unit": None, "text": "60 percent"},
                    is_final=False, price=None, currency=None)
PROVENANCE = Provenance(proposed_by=ProposedBy.OFFLINE_EXTRACTOR, prompt="offline@1")


def test_quotes_become_the_sources_own_text_with_spans() -> None:
    source = transcript()
    value_map, stats = assemble_map([(draft(veps=[VEP]), source)], provenance=PROVENANCE)
    (vep,) = value_map.veps
    quote = vep.evidence[0]
    assert source.text[quote.start:quote.end] == quote.text  # type: ignore[index]
    assert quote.match is MatchStatus.EXACT and quote.speaker == "Maria"
    assert vep.provenance == PROVENANCE
    assert stats.grounding.kept[MatchStatus.EXACT] == 1


def test_a_vep_without_a_stage_gets_a_customer_facing_one() -> None:
    value_map, stats = assemble_map([(draft(veps=[VEP]), transcript())], provenance=PROVENANCE)
    (stage,) = value_map.stages
    assert value_map.veps[0].stage_id == stage.id and stage.customer_visible
    assert stats.stages_added_for_veps == 1


def test_unverifiable_quotes_are_dropped_and_counted_and_interviewers_are_never_evidence() -> None:
    invented = element("fake", "Invented", ["We have a thousand verified lawyers on call"], stage_key=None,
                       customer_action="call", proposition_keys=[], activation="unknown")
    asked = element("asked", "Asked", ["Where do customers have to do something?"], speaker="Consultant",
                    stage_key=None, customer_action="act", proposition_keys=[], activation="unknown")
    value_map, stats = assemble_map([(draft(veps=[VEP, invented, asked]), transcript())], provenance=PROVENANCE)
    assert [v.name for v in value_map.veps] == ["Mark lawyers"]
    assert sum(stats.grounding.dropped.values()) == 2
    assert stats.dropped_ungrounded["veps"] == 2


def test_the_same_element_told_in_two_sources_is_one_element_with_both_quotes() -> None:
    second = transcript("call-2", "Joe: Customers have to mark the lawyers they want, it is the first step.\n")
    again = element("m", "Mark lawyers", ["Customers have to mark the lawyers they want"], speaker="Joe",
                    stage_key=None, customer_action="mark lawyers", proposition_keys=[], activation="unknown")
    value_map, stats = assemble_map([(draft(veps=[VEP]), transcript()), (draft(veps=[again]), second)],
                                    provenance=PROVENANCE)
    (vep,) = value_map.veps
    assert {q.source_id for q in vep.evidence} == {"call", "call-2"}
    assert stats.merged["veps"] == 1
    assert {s.id for s in value_map.sources} == {"call", "call-2"}


def test_one_step_named_alike_in_two_sources_is_one_vep_whatever_verb_each_used() -> None:
    second = transcript("call-2", "Joe: First they have to shortlist the lawyers they like.\n")
    again = element("shortlist", "Mark lawyers", ["First they have to shortlist the lawyers they like."],
                    speaker="Joe", stage_key=None, customer_action="shortlist the lawyers", proposition_keys=[],
                    activation="unknown")
    value_map, stats = assemble_map([(draft(veps=[VEP]), transcript()), (draft(veps=[again]), second)],
                                    provenance=PROVENANCE)
    (vep,) = value_map.veps
    assert {q.source_id for q in vep.evidence} == {"call", "call-2"}
    assert stats.merged["veps"] == 1


def test_keys_become_ids_and_dangling_relations_are_dropped_and_counted() -> None:
    orphan = element("orphan", "Orphan exchange", ["We never had enough people to check every lawyer"],
                     threshold_key="nowhere", customer_gives=[], organisation_gives=[], balance="unknown",
                     balance_reason="")
    value_map, stats = assemble_map([(draft(veps=[VEP], thresholds=[THRESHOLD], exchanges=[orphan]), transcript())],
                                    provenance=PROVENANCE)
    (threshold,) = value_map.thresholds
    assert threshold.vep_id == value_map.veps[0].id
    assert threshold.crossing_metric is not None and threshold.crossing_metric.value == 0.6
    assert value_map.exchanges == []
    assert stats.dropped_relations["exchange -> threshold (exchange dropped)"] == 1


def test_the_final_threshold_carries_its_price() -> None:
    pay = element("pay", "Subscribe", ["The subscription costs 49 euros a month"], stage_key=None,
                  customer_action="pay", proposition_keys=[], activation="unknown")
    purchase = element("buy", "Purchase", ["most people pay after the first consultation"], vep_key="pay",
                       condition="", on_failure="", crossing_metric=None, is_final=True, price=49.0, currency="EUR")
    value_map, _ = assemble_map([(draft(veps=[pay], thresholds=[purchase]), transcript())], provenance=PROVENANCE)
    (threshold,) = value_map.thresholds
    assert threshold.is_final and threshold.purchase is not None
    assert threshold.purchase.price is not None and threshold.purchase.price.amount == 49.0


def test_chunks_of_one_transcript_reusing_a_key_name_one_element() -> None:
    source = transcript()
    later = element("mark", "Marking lawyers", ["Customers have to mark the lawyers they want"], stage_key=None,
                    customer_action="mark", proposition_keys=[], activation="activates")
    value_map, stats = assemble_map([(draft(veps=[VEP]), source), (draft(veps=[later]), source)],
                                    provenance=PROVENANCE)
    assert len(value_map.veps) == 1 and stats.merged["veps"] == 1


def test_stages_keep_the_stream_order_the_draft_lists_not_the_order_quoted() -> None:
    # The extractor decides the stream order (customers go through steps in an order the talk need not follow):
    # the map keeps the draft's order, not the order of the quotes in the transcript.
    pay = element("st-pay", "Payment", ["The subscription costs 49 euros a month"], actor="both",
                  customer_visible=True, value_link="direct", internally_necessary=None, improvements=[])
    mark = element("st-mark", "Marking", ["Customers have to mark the lawyers they want"], actor="customer",
                   customer_visible=True, value_link="direct", internally_necessary=None, improvements=[])
    value_map, _ = assemble_map([(draft(stages=[mark, pay]), transcript())], provenance=PROVENANCE)
    assert [(s.name, s.order) for s in value_map.stages] == [("Marking", 0), ("Payment", 1)]
    value_map, _ = assemble_map([(draft(stages=[pay, mark]), transcript())], provenance=PROVENANCE)
    assert [(s.name, s.order) for s in value_map.stages] == [("Payment", 0), ("Marking", 1)]


def test_thresholds_told_twice_at_one_vep_are_one_threshold() -> None:
    later = element("pay", "Paying after the first marking", ["most people pay after the first consultation"],
                    vep_key="mark", condition="", on_failure="", crossing_metric=None, is_final=True, price=49.0,
                    currency="EUR")
    exchange = element("ex", "Marking for a consultation", ["Customers have to mark the lawyers they want"],
                       threshold_key="pay", customer_gives=[], organisation_gives=["a consultation"],
                       balance="unknown", balance_reason="")
    value_map, stats = assemble_map([(draft(veps=[VEP], thresholds=[THRESHOLD, later], exchanges=[exchange]),
                                      transcript())], provenance=PROVENANCE)
    (threshold,) = value_map.thresholds
    assert threshold.name == "First marking" and threshold.condition == "a lawyer is marked"
    assert threshold.purchase is not None and threshold.purchase.price is not None  # filled from the second mention
    assert threshold.purchase.price.amount == 49.0
    assert len(threshold.evidence) == 2 and stats.merged["thresholds"] == 1
    assert value_map.exchanges[0].threshold_id == threshold.id  # the reference moved with it


def test_the_final_thresholds_economics_reach_the_purchase_and_a_figure_without_its_words_does_not() -> None:
    pay = element("pay", "Subscribe", ["The subscription costs 49 euros a month"], stage_key=None,
                  customer_action="pay", proposition_keys=[], activation="unknown")
    said = {"text": "The subscription costs 49 euros a month", "speaker": "Maria"}
    purchase = element(
        "buy", "Purchase", ["most people pay after the first consultation"], vep_key="pay", condition="",
        on_failure="", crossing_metric=None, is_final=True, price=49.0, currency="EUR", price_period="month",
        price_quote=said,
        compensation=[{"kind": "discount", "detail": "first month free", "quote": said},
                      {"kind": "promotion", "detail": "invented", "quote": {"text": "Half price forever", "speaker": "Maria"}}],
        perceived_value={"value": 110.0, "text": "about 110", "quote": said},
        accumulated_loss={"value": 40.0, "text": "40", "quote": {"text": "We lose 40 a month", "speaker": "Maria"}},
    )
    value_map, stats = assemble_map([(draft(veps=[pay], thresholds=[purchase]), transcript())], provenance=PROVENANCE)
    (threshold,) = value_map.thresholds
    assert threshold.purchase is not None and threshold.purchase.price is not None
    assert (threshold.purchase.price.amount, threshold.purchase.price.period) == (49.0, "month")
    assert [(c.kind.value, c.detail) for c in threshold.purchase.compensation] == [("discount", "first month free")]
    assert (threshold.purchase.perceived_value, threshold.purchase.accumulated_loss) == (110.0, None)
    assert any("accumulated loss rests on are not in the source" in note for note in stats.drop_notes)
    assert any(q.text == "The subscription costs 49 euros a month" for q in threshold.evidence)


def test_an_answer_cached_before_the_economics_were_asked_for_still_loads() -> None:
    old = element("buy", "Purchase", ["most people pay after the first consultation"], vep_key="pay", condition="",
                  on_failure="", crossing_metric=None, is_final=True, price=49.0, currency="EUR")
    loaded = draft(thresholds=[old]).thresholds[0]
    assert (loaded.price, loaded.compensation, loaded.perceived_value, loaded.accumulated_loss) == (49.0, [], None, None)


def test_a_careless_answer_with_empty_names_and_improvements_still_makes_a_valid_map() -> None:
    stage = element("st-a", "", ["Customers have to mark the lawyers they want"], actor="customer",
                    customer_visible=True, value_link="direct", internally_necessary=None, improvements=["", "faster"])
    other = element("st-b", "", ["We never had enough people to check every lawyer"], actor="organisation",
                    customer_visible=False, value_link="none", internally_necessary=True, improvements=[])
    value_map, _ = assemble_map([(draft(stages=[stage, other]), transcript())], provenance=PROVENANCE)
    assert sorted(s.name for s in value_map.stages) == ["st-a", "st-b"]
    assert [i.description for s in value_map.stages for i in s.improvements] == ["faster"]
