"""The map schema: references land, versions migrate, and the LLM's models suit strict structured outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from agent.cli.schema_command import map_json_schema
from schemas import Quote, ValueMap
from schemas.extraction import EXTRACTION_MODELS
from schemas.migrations import MIGRATIONS, SchemaVersionError, migrate
from tests.map_builders import build, healthy_map_data

COMMITTED_SCHEMA = Path(__file__).parents[1] / "schemas" / "value_map.schema.json"


def test_committed_json_schema_is_in_sync_with_the_models() -> None:
    assert COMMITTED_SCHEMA.read_text(encoding="utf-8") == map_json_schema(), (
        "schemas/value_map.schema.json is stale: run `vsm schema -o schemas/value_map.schema.json`"
    )


def test_a_dangling_reference_names_the_element_and_field() -> None:
    data = healthy_map_data()
    data["thresholds"][0]["vep_id"] = "vep-gone"
    with pytest.raises(ValidationError, match=r"threshold 'th-mark' field vep_id refers to 'vep-gone', which is not in this map"):
        build(data)


def test_a_reference_to_the_wrong_kind_of_element_says_what_it_found() -> None:
    data = healthy_map_data()
    data["exchanges"][0]["threshold_id"] = "vep-mark"
    with pytest.raises(ValidationError, match="which is a value evocation point; it must name a threshold"):
        build(data)


def test_evidence_must_cite_a_source_of_the_map() -> None:
    data = healthy_map_data()
    data["stages"][0]["evidence"][0]["source_id"] = "src-elsewhere"
    with pytest.raises(ValidationError, match=r"stage 'st-browse' field evidence\.source_id"):
        build(data)


def test_ids_are_unique_across_the_whole_map() -> None:
    data = healthy_map_data()
    data["stages"][1]["id"] = "vep-mark"
    with pytest.raises(ValidationError, match="id 'vep-mark' is used twice"):
        build(data)


def test_quote_verified_flag_follows_its_match_status_and_round_trips() -> None:
    quote = Quote(text="hello", source_id="s", match="fuzzy")
    dumped = quote.model_dump()
    assert dumped["verified"] is True
    assert Quote.model_validate(dumped) == quote
    assert Quote(text="x", source_id="s").verified is False


def test_a_map_round_trips_through_json() -> None:
    value_map = build(healthy_map_data())
    assert ValueMap.model_validate_json(value_map.model_dump_json()) == value_map


def test_migration_runs_each_step_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    def zero_to_one(doc: dict[str, Any]) -> dict[str, Any]:
        doc["stages"] = doc.pop("steps")
        return doc

    monkeypatch.setitem(MIGRATIONS, 0, zero_to_one)
    migrated = migrate({"schema_version": 0, "steps": []})
    assert migrated == {"schema_version": 1, "stages": []}


@pytest.mark.parametrize("version", [2, "1", None, True])
def test_unknown_schema_versions_are_refused(version: object) -> None:
    with pytest.raises(SchemaVersionError):
        migrate({"schema_version": version})


# OpenAI strict structured outputs: the subset of JSON Schema it accepts (keywords beyond these are refused
# or ignored, and "optional" must be spelled as a null union with the property still required).
STRICT_KEYWORDS = {"type", "properties", "required", "additionalProperties", "enum", "const", "anyOf", "$ref",
                   "$defs", "items", "description", "title"}


def _strict_problems(node: Any, path: str = "#") -> list[str]:
    problems: list[str] = []
    if isinstance(node, dict):
        for key in node:
            if key not in STRICT_KEYWORDS and not path.endswith(("/properties", "/$defs")):
                problems.append(f"{path}: keyword {key!r} is not accepted in strict mode")
        if node.get("type") == "object" or "properties" in node:
            if node.get("additionalProperties") is not False:
                problems.append(f"{path}: object without additionalProperties: false")
            if set(node.get("required", [])) != set(node.get("properties", {})):
                problems.append(f"{path}: not every property is required")
        for key, value in node.items():
            problems.extend(_strict_problems(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            problems.extend(_strict_problems(value, f"{path}/{index}"))
    return problems


@pytest.mark.parametrize("model", EXTRACTION_MODELS, ids=lambda m: m.__name__)
def test_extraction_models_are_accepted_by_strict_structured_outputs(model: type[BaseModel]) -> None:
    schema = model.model_json_schema()
    assert schema["type"] == "object"
    assert _strict_problems(schema) == []


def test_the_strict_rules_catch_a_defaulted_optional_field() -> None:
    class Loose(BaseModel):
        name: str | None = None

    assert _strict_problems(Loose.model_json_schema())  # the test above can fail


def test_committed_schema_is_valid_json() -> None:
    assert json.loads(COMMITTED_SCHEMA.read_text(encoding="utf-8"))["title"] == "ValueMap"
