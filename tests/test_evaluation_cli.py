"""`vsm eval` as a user meets it: two real map files, a readable table, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_runner import run_vsm
from tests.test_evaluation import gold_data, span

LEGAL_GOLD = Path(__file__).resolve().parents[1] / "transcripts" / "legal-platform" / "map.json"


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def maps(tmp_path: Path) -> tuple[Path, Path]:
    """A prediction that finds two of the three gold stages and invents one; the rest is the gold."""
    predicted = gold_data()
    predicted["title"] = "Extracted"
    predicted["stages"][2] = {"id": "st-callback", "name": "Lawyer calls back", "order": 2,
                              "evidence": [span("one of them called me back the same afternoon")]}
    return write(tmp_path / "predicted.json", predicted), write(tmp_path / "gold.json", gold_data())


def table_row(stdout: str, label: str) -> list[str]:
    (line,) = [line for line in stdout.splitlines() if line.startswith(label + " ")]
    return line.split()


def test_the_table_scores_each_type_and_lists_what_did_not_match(maps: tuple[Path, Path]) -> None:
    result = run_vsm("eval", *maps)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Evaluation of Extracted against gold Gold\n")
    assert "Meaning: not compared (no embedder)" in out
    assert table_row(out, "type") == ["type", "gold", "predicted", "TP", "P", "R", "F1"]
    assert table_row(out, "stages") == ["stages", "3", "3", "2", "0.67", "0.67", "0.67"]
    assert table_row(out, "resistances") == ["resistances", "1", "1", "1", "1.00", "1.00", "1.00"]
    assert table_row(out, "losses") == ["losses", "0", "0", "0", "-", "-", "-"]
    assert table_row(out, "overall (micro)")[2:] == ["5", "5", "4", "0.80", "0.80", "0.80"]
    missed, extra = out.split("In gold, not predicted (missed)\n")[1].split("Predicted, not in gold (extra)\n")
    assert "stages (1)\n      Book a consultation [st-book]" in missed
    assert "stages (1)\n      Lawyer calls back [st-callback]" in extra


def test_show_matches_says_how_each_pair_matched(maps: tuple[Path, Path]) -> None:
    out = run_vsm("eval", *maps, "--show-matches").stdout
    assert "Mark lawyers [st-mark] -> Mark lawyers [st-mark]: evidence_and_meaning, score 1.00" in out


def test_json_output_is_the_evaluation_report(maps: tuple[Path, Path]) -> None:
    result = run_vsm("eval", *maps, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["overall"]["f1"] == pytest.approx(0.8)
    assert report["rule"]["meaning"] == "identical_text"
    stages = next(t for t in report["types"] if t["element_type"] == "stages")
    assert [e["id"] for e in stages["unmatched_predicted"]] == ["st-callback"]


def test_markdown_output_is_a_table(maps: tuple[Path, Path]) -> None:
    out = run_vsm("eval", *maps, "--format", "md").stdout
    assert "| type | gold | predicted | TP | P | R | F1 |" in out
    assert "| stages | 3 | 3 | 2 | 0.67 | 0.67 | 0.67 |" in out
    assert "- **stages** (1): Book a consultation (`st-book`)" in out


def test_a_bundled_gold_map_against_itself_is_perfect() -> None:
    result = run_vsm("eval", LEGAL_GOLD, LEGAL_GOLD)
    assert result.returncode == 0, result.stderr
    assert table_row(result.stdout, "overall (micro)")[-3:] == ["1.00", "1.00", "1.00"]


def test_long_unmatched_lists_are_cut_with_a_count(tmp_path: Path) -> None:
    many = {"schema_version": 1, "stages": [{"id": f"st-{n}", "name": f"Step {n}", "order": n} for n in range(8)]}
    empty = write(tmp_path / "empty.json", {"schema_version": 1, "title": "Nothing found"})
    out = run_vsm("eval", empty, write(tmp_path / "gold.json", many)).stdout
    assert "   stages (8)\n      Step 0 [st-0]\n" in out
    assert "      Step 4 [st-4]\n      ... and 3 more\n" in out
    assert table_row(out, "stages") == ["stages", "8", "0", "0", "-", "0.00", "0.00"]


@pytest.mark.parametrize("which", ["map", "gold"])
def test_a_missing_file_is_one_line_and_exit_2(maps: tuple[Path, Path], tmp_path: Path, which: str) -> None:
    missing = tmp_path / "nowhere.json"
    args = (missing, maps[1]) if which == "map" else (maps[0], missing)
    result = run_vsm("eval", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"vsm: error: {missing}: no such file; check the path"]


def test_a_broken_gold_map_is_one_line_and_exit_2(maps: tuple[Path, Path], tmp_path: Path) -> None:
    broken = tmp_path / "gold.json"
    broken.write_text('{"schema_version": 1,', encoding="utf-8")
    result = run_vsm("eval", maps[0], broken)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "not JSON (line 1" in line


def test_a_source_with_no_gold_counterpart_is_named(maps: tuple[Path, Path], tmp_path: Path) -> None:
    predicted = json.loads(maps[0].read_text(encoding="utf-8"))
    predicted["sources"][0] |= {"id": "call-1", "path": "elsewhere/notes.md"}
    for kind in ("stages", "veps", "resistances"):
        for element in predicted[kind]:
            for quote in element["evidence"]:
                quote["source_id"] = "call-1"
    out = run_vsm("eval", write(tmp_path / "renamed.json", predicted), maps[1]).stdout
    assert "Sources with no gold counterpart (by id or path), so their quotes cannot match: call-1." in out


def test_markdown_names_from_transcripts_stay_text(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.json", {"schema_version": 1, "stages": [
        {"id": "st-a", "name": "Sign up <script>alert(1)</script> | now", "order": 0}]})
    predicted = write(tmp_path / "predicted.json", {"schema_version": 1, "stages": []})
    out = run_vsm("eval", predicted, gold, "--format", "md").stdout
    assert "&lt;script>alert(1)&lt;/script> \\| now" in out and "<script>" not in out
