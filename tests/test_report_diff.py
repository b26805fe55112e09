"""`vsm report --diff OLD NEW`: elements added, removed and changed; findings resolved and new."""

from __future__ import annotations

import json
from pathlib import Path

from agent.checks import check_map
from agent.reports.diff import MapDiff, diff_maps, diff_markdown, diff_text
from agent.reports.html import diff_html
from schemas import ValueMap
from tests.cli_runner import run_vsm
from tests.map_builders import build, healthy_map_data


def _diff_of(old: ValueMap, new: ValueMap) -> MapDiff:
    return diff_maps(old, new, check_map(old), check_map(new))


def maps_before_and_after() -> tuple[ValueMap, ValueMap]:
    """Before: th-mark has no exchange. After: the exchange is found, a stage renamed, a loss added, one removed."""
    before = healthy_map_data()
    before["exchanges"] = before["exchanges"][1:]
    before["stages"].append({"id": "st-old", "name": "Fax the contract", "order": 2})
    after = healthy_map_data()
    after["stages"][0]["name"] = "Browse vetted lawyers"
    after["losses"] = [{"id": "loss-churn", "name": "Churn after month one", "kind": "churn",
                        "threshold_ids": ["th-pay"]}]
    return build(before), build(after)


def test_elements_added_removed_and_changed_are_listed() -> None:
    diff = _diff_of(*maps_before_and_after())
    assert [(e.kind, e.id) for e in diff.added] == [("give-get exchange", "ex-mark"), ("loss", "loss-churn")]
    assert [(e.kind, e.id) for e in diff.removed] == [("stage", "st-old")]
    renamed = next(c for c in diff.changed if c.id == "st-browse")
    assert renamed.fields == ["name"] and renamed.old_name == "Browse lawyers"


def test_findings_resolved_and_new_are_matched_by_code_and_elements() -> None:
    diff = _diff_of(*maps_before_and_after())
    assert "missing-exchange" in {f.code for f in diff.resolved_findings}
    assert all(f.code != "missing-exchange" for f in diff.new_findings)
    assert any("th-mark" in f.element_ids for f in diff.resolved_findings)


def test_the_same_map_has_no_difference() -> None:
    value_map = build(healthy_map_data())
    diff = _diff_of(value_map, value_map)
    assert diff.is_empty and diff.figures == []
    assert "0 findings resolved, 0 new" in diff_text(diff)


def test_summary_figures_show_before_and_after() -> None:
    diff = _diff_of(*maps_before_and_after())
    explained = next(f for f in diff.figures if f.figure == "thresholds with a resistance and an exchange")
    assert (explained.old, explained.new) == ("50%", "100%")


def test_rendered_diffs_escape_map_text() -> None:
    before, after = maps_before_and_after()
    after = after.model_copy(update={"title": "<script>x</script>"})
    diff = _diff_of(before, after)
    assert "<script>" not in diff_html(diff) and "&lt;script&gt;" in diff_html(diff)
    assert "<script>" not in diff_markdown(diff)


def test_diff_from_the_command_line(tmp_path: Path) -> None:
    before, after = maps_before_and_after()
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(before.model_dump_json(), encoding="utf-8")
    new.write_text(after.model_dump_json(), encoding="utf-8")
    text = run_vsm("report", "--diff", old, new, "--format", "text")
    assert text.returncode == 0, text.stderr
    assert "Findings resolved" in text.stdout and "missing-exchange" in text.stdout
    as_json = json.loads(run_vsm("report", "--diff", old, new, "--format", "json").stdout)
    assert {e["id"] for e in as_json["added"]} == {"ex-mark", "loss-churn"}
    page = run_vsm("report", "--diff", old, new, "-o", tmp_path / "changes.html")
    assert page.returncode == 0 and "wrote" in page.stderr
    assert "Elements removed (1)" in (tmp_path / "changes.html").read_text()
