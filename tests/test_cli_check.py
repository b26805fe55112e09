"""`vsm check` as a consultant meets it: real files, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import run_vsm
from tests.map_builders import healthy_map_data


def write_map(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "map.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_healthy_map_checks_clean(tmp_path: Path) -> None:
    result = run_vsm("check", write_map(tmp_path, healthy_map_data()))
    assert result.returncode == 0, result.stderr
    assert "Healthy stream: 0 findings" in result.stdout
    assert "1. Where does the system stop, and why?" in result.stdout


def test_findings_set_the_exit_code_by_fail_on(tmp_path: Path) -> None:
    data = healthy_map_data()
    del data["thresholds"][0]["crossing_metric"]  # one info finding
    path = write_map(tmp_path, data)
    assert run_vsm("check", path).returncode == 0
    assert run_vsm("check", path, "--fail-on", "warning").returncode == 0
    assert run_vsm("check", path, "--fail-on", "info").returncode == 1
    data["exchanges"] = []  # errors
    path = write_map(tmp_path, data)
    assert run_vsm("check", path).returncode == 1
    assert run_vsm("check", path, "--fail-on", "never").returncode == 0


def test_json_output_is_the_check_report(tmp_path: Path) -> None:
    data = healthy_map_data()
    data["exchanges"] = []
    result = run_vsm("check", write_map(tmp_path, data), "--format", "json")
    report = json.loads(result.stdout)
    assert {f["code"] for f in report["findings"]} == {"missing-exchange"}
    assert report["summary"]["thresholds_explained_share"] == 0.0


def test_markdown_output_groups_by_core_question(tmp_path: Path) -> None:
    data = healthy_map_data()
    data["exchanges"] = []
    result = run_vsm("check", write_map(tmp_path, data), "--format", "md")
    assert "## 2. What value is used to move it forward?" in result.stdout
    assert "`missing-exchange`" in result.stdout


BAD_INPUTS = {
    "not JSON": ("{\"schema_version\": 1,", "not JSON (line 1"),
    "empty": ("", "the file is empty"),
    "wrong schema": (json.dumps({"schema_version": 1, "stages": [{"id": "s"}]}), "stages[0].name: Field required"),
    "dangling id": (json.dumps({"schema_version": 1, "veps": [
        {"id": "v", "name": "V", "stage_id": "nowhere", "customer_action": "act"}]}),
        "value evocation point 'v' field stage_id refers to 'nowhere'"),
    "unknown version": (json.dumps({"schema_version": 7}), "schema_version 7 is newer than this vsm"),
    "no version": (json.dumps({"stages": []}), "no schema_version"),
    "a list": ("[]", "a map is a JSON object, not a list"),
    "binary": (None, "not a text file"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_line_and_exit_2(tmp_path: Path, case: str) -> None:
    content, expected = BAD_INPUTS[case]
    path = tmp_path / "bad map.json"
    if content is None:
        path.write_bytes(b"\x00\xff\xfe\x00" * 10)
    else:
        path.write_text(content, encoding="utf-8")
    result = run_vsm("check", path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"vsm: error: {path}: ")
    assert expected in lines[0]


def test_a_directory_or_missing_file_is_named(tmp_path: Path) -> None:
    result = run_vsm("check", tmp_path)
    assert result.returncode == 2 and "is a directory" in result.stderr
    result = run_vsm("check", tmp_path / "nope.json")
    assert result.returncode == 2 and "no such file" in result.stderr


def test_schema_command_prints_the_json_schema() -> None:
    result = run_vsm("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "ValueMap"
