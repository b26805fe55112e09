"""Synthesis: the same element told by several people is one element; disagreements become duplications."""

from __future__ import annotations

from typing import Any

from agent.synthesis import synthesize
from agent.synthesis.synthesize import NEIGHBOURS, candidate_pair_count
from schemas import ValueMap
from schemas.engagement import MergeDecision, MergeDecisions
from tests.test_checks import KeywordEmbedder


def quote(text: str, source: str, speaker: str) -> dict[str, Any]:
    return {"text": text, "source_id": source, "speaker": speaker, "start": 0, "end": len(text), "match": "exact"}


def source_map(source: str, speaker: str, *, vep_name: str, statement: str, audience: str) -> ValueMap:
    said = quote(f"{speaker} says so", source, speaker)
    return ValueMap.model_validate({
        "schema_version": 1,
        "sources": [{"id": source, "perspective": "internal"}],
        "stages": [{"id": "st-1", "name": "Browse", "order": 0, "evidence": [said]}],
        "veps": [{"id": "vep-1", "name": vep_name, "stage_id": "st-1", "customer_action": "mark lawyers",
                  "proposition_ids": ["vp-1"], "evidence": [said]}],
        "thresholds": [{"id": "th-1", "name": "First mark", "vep_id": "vep-1", "evidence": [said]}],
        "propositions": [{"id": "vp-1", "name": f"{speaker}'s pitch", "statement": statement, "claims": [statement],
                          "audience": audience, "used_at_ids": ["th-1"], "evidence": [said]}],
    })


SALES = source_map("sales-call", "Sam", vep_name="Mark lawyers", statement="A lawyer fast",
                   audience="SMB owners")
DELIVERY = source_map("ops-call", "Olga", vep_name="Mark lawyers", statement="A cheap lawyer database",
                      audience="SMB owners")


def test_the_same_element_told_by_two_sources_is_one_with_both_quotes() -> None:
    result = synthesize([SALES, DELIVERY], embedder=KeywordEmbedder())
    merged = result.value_map
    assert len(merged.veps) == 1 and len(merged.stages) == 1 and len(merged.thresholds) == 1
    assert merged.veps[0].corroboration == 2
    assert {s.id for s in merged.sources} == {"sales-call", "ops-call"}
    assert result.merged >= 3


def test_stakeholders_telling_value_differently_is_recorded_with_both_voices() -> None:
    result = synthesize([SALES, DELIVERY], embedder=KeywordEmbedder())
    assert result.contradictions == 1
    (dup,) = result.value_map.duplications
    assert set(dup.proposition_ids) == {"vp-1", "vp-1-2"}
    assert {q.speaker for q in dup.evidence} == {"Sam", "Olga"}
    assert "Sam" in dup.detail and "Olga" in dup.detail


def test_uncertain_merges_are_proposed_until_a_person_decides() -> None:
    other = source_map("ops-call", "Olga", vep_name="Choose a lawyer from the database", statement="A lawyer fast",
                       audience="SMB owners")
    proposed = synthesize([SALES, other], embedder=KeywordEmbedder())
    vep_proposals = [p for p in proposed.proposals if p.collection == "veps"]
    assert len(vep_proposals) == 1 and len(proposed.value_map.veps) == 2
    decided = MergeDecisions(decisions={vep_proposals[0].key: MergeDecision.MERGE})
    merged = synthesize([SALES, other], embedder=KeywordEmbedder(), decisions=decided)
    assert len(merged.value_map.veps) == 1 and not [p for p in merged.proposals if p.collection == "veps"]
    apart = MergeDecisions(decisions={vep_proposals[0].key: MergeDecision.KEEP_APART})
    kept = synthesize([SALES, other], embedder=KeywordEmbedder(), decisions=apart)
    assert len(kept.value_map.veps) == 2 and not [p for p in kept.proposals if p.collection == "veps"]


def test_without_an_embedder_only_identical_names_merge() -> None:
    result = synthesize([SALES, DELIVERY])
    assert len(result.value_map.veps) == 1 and len(result.value_map.propositions) == 2
    assert result.contradictions == 0


def test_one_element_told_by_many_sources_merges_through_a_linear_number_of_pairs() -> None:
    tellers = [source_map(f"call-{i}", f"Person {i}", vep_name="Mark lawyers", statement="A lawyer fast",
                          audience="SMB owners") for i in range(30)]
    result = synthesize(tellers, embedder=KeywordEmbedder())
    assert len(result.value_map.veps) == 1 and result.value_map.veps[0].corroboration == 30
    assert len(result.value_map.propositions) == 1 and not result.proposals
    elements = sum(m.element_count() for m in tellers)
    pairs = candidate_pair_count(tellers, KeywordEmbedder())
    assert pairs <= elements * (NEIGHBOURS + 1), "pairs must grow with elements, not with their square"
    assert pairs < elements * (elements - 1) // 2 // 4


def test_related_value_told_at_unrelated_places_to_other_people_is_no_contradiction() -> None:
    elsewhere = source_map("ops-call", "Olga", vep_name="Renew access", statement="A cheap lawyer database",
                           audience="Enterprise legal teams")
    document = elsewhere.model_dump(mode="json")
    document["stages"][0]["name"] = "Access renewal"  # (the test embedder sees only its keywords)
    document["thresholds"][0]["name"] = "Access renewal decision"
    result = synthesize([SALES, ValueMap.model_validate(document)], embedder=KeywordEmbedder())
    assert len(result.value_map.propositions) == 2 and result.contradictions == 0


def test_one_person_in_two_interviews_is_one_voice() -> None:
    again = source_map("sales-call-2", "Sam", vep_name="Mark lawyers", statement="A lawyer fast", audience="SMB owners")
    result = synthesize([SALES, again], embedder=KeywordEmbedder())
    (vep,) = result.value_map.veps
    assert {q.source_id for q in vep.evidence} == {"sales-call", "sales-call-2"} and vep.corroboration == 1


def test_a_measure_only_one_source_gave_survives_the_merge() -> None:
    """The owner says what the plan is worth and what it costs them; sales only says the price. Merged, the
    purchase keeps the price and the owner's perceived value and loss, and the crossing rate sales gave."""
    sales, owner = SALES.model_dump(), DELIVERY.model_dump()
    sales["thresholds"][0].update(purchase={"price": {"amount": 49, "currency": "EUR", "period": "month"}},
                                  crossing_metric={"name": "share who mark", "value": 18, "unit": "%"})
    owner["thresholds"][0].update(purchase={"price": {"amount": 49, "currency": "EUR", "period": "month"},
                                                           "perceived_value": 120, "accumulated_loss": 40})
    merged = synthesize([ValueMap.model_validate(sales), ValueMap.model_validate(owner)]).value_map
    [threshold] = merged.thresholds
    assert threshold.purchase is not None and threshold.purchase.surviving_value == 80
    assert threshold.crossing_metric is not None and threshold.crossing_metric.value == 18


def test_a_scorecard_said_at_another_price_is_not_mixed_in() -> None:
    sales, owner = SALES.model_dump(), DELIVERY.model_dump()
    sales["thresholds"][0].update(purchase={"price": {"amount": 49, "currency": "EUR", "period": "month"}})
    owner["thresholds"][0].update(purchase={"price": {"amount": 490, "currency": "EUR", "period": "year"},
                                                           "perceived_value": 900, "accumulated_loss": 100})
    [threshold] = synthesize([ValueMap.model_validate(sales), ValueMap.model_validate(owner)]).value_map.thresholds
    assert threshold.purchase is not None and threshold.purchase.surviving_value is None
