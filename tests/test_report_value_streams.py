"""Telling the businesses of an engagement map apart: one stream per business, never two businesses joined
because synthesis merged one generically named stage, never one business split across its interviews."""

from __future__ import annotations

from typing import Any

from agent.reports.stream import value_streams
from agent.synthesis.synthesize import synthesize
from schemas import ValueMap
from tests.map_builders import build, healthy_map_data


def _told_by(source_id: str, title: str, perspective: str = "internal") -> dict[str, Any]:
    """The healthy map, every quote in it told by one source."""
    data = healthy_map_data()
    data["title"] = title
    data["sources"] = [{"id": source_id, "title": title, "perspective": perspective}]
    for collection in ("stages", "propositions", "veps", "resistances", "thresholds", "exchanges"):
        for element in data[collection]:
            for quote in element["evidence"]:
                quote["source_id"] = source_id
    return data


def _renamed(data: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    for collection in ("stages", "veps", "thresholds"):
        for element in data[collection]:
            element["name"] = names.get(element["id"], f"{data['title']} {element['name']}")
    return data


def _stage_names(value_map: ValueMap) -> list[list[str]]:
    names = {stage.id: stage.name for stage in value_map.stages}
    return [[names[s.element.id] for s in stream.slots if s.element.id in names] for stream in value_streams(value_map)]


def test_two_businesses_that_share_only_a_generic_stage_are_two_streams() -> None:
    first = _renamed(_told_by("alpha-interview", "Alpha discovery interview: founder"), {"st-pay": "Create an account"})
    second = _renamed(_told_by("beta-interview", "Beta discovery interview: CEO"), {"st-pay": "Create an account"})
    engagement = synthesize([build(first), build(second)]).value_map
    # Synthesis merged the same-named stage: it is one element told by both businesses.
    assert sum(stage.name == "Create an account" for stage in engagement.stages) == 1
    streams = value_streams(engagement)
    assert [s.name for s in streams] == ["Alpha discovery interview", "Beta discovery interview"]
    drawn = [slot.element.id for stream in streams for slot in stream.slots]
    assert sorted(drawn) == sorted(e.id for e in [*engagement.stages, *engagement.thresholds])


def test_interviews_of_one_business_in_separate_maps_are_one_stream() -> None:
    interview = _told_by("acme-interview", "Acme discovery interview: founder and sales")
    # The customer call tells one moment of the journey only: its stage, what the customer does, the gate.
    call = _told_by("acme-call", "Acme customer call: a subscriber", "customer")
    call["stages"] = [s for s in call["stages"] if s["id"] == "st-pay"]
    call["veps"] = [v for v in call["veps"] if v["id"] == "vep-pay"]
    call["resistances"] = [r for r in call["resistances"] if r["vep_id"] == "vep-pay"]
    call["thresholds"] = [t for t in call["thresholds"] if t["vep_id"] == "vep-pay"]
    call["exchanges"] = [x for x in call["exchanges"] if x["threshold_id"] == "th-pay"]
    call["propositions"][0]["used_at_ids"] = ["vep-pay"]
    engagement = synthesize([build(interview), build(call)]).value_map
    streams = value_streams(engagement)
    assert len(streams) == 1
    assert _stage_names(engagement) == [["Browse lawyers", "Subscribe"]]


def test_an_interview_and_a_customer_call_in_one_map_are_one_stream() -> None:
    # The healthy map's own structure joins its two sources: the founder and the customer tell one journey.
    data = healthy_map_data()
    data["stages"][0]["evidence"][0]["source_id"] = "src-internal"
    assert len(value_streams(build(data))) == 1
