"""A run that finds nothing it can read is an error and writes nothing; a good map is never replaced by an empty one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from agent.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOOD_MAP = ROOT / "transcripts" / "legal-platform" / "map.json"
# A conversation (two speakers, spoken sentences) in which nothing of a value stream is said.
SMALL_TALK = "Ana: Hello Ben, how are you today?\n\nBen: I'm fine, thanks. We had nice weather this week.\n"


@pytest.fixture
def good_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VSM_EMBEDDER", "none")
    return Path(shutil.copyfile(GOOD_MAP, tmp_path / "map.json"))


@pytest.mark.parametrize(("content", "named"), [
    ([1, 2, "three", None], "item 0 is a number"),
    (["we lose customers at the paywall", None], "item 1 is null"),
    ([{"speaker": 123, "text": [1, 2, {"x": 1}]}], "word list holding a number"),
    ([{"speaker": "Ana", "text": {"words": "nested"}}], "text is an object"),
    ({"segments": [[0.0, 1.0, "words"]]}, "item 0 is a list"),
    ([], "no speech found"),
    ({"segments": []}, "no speech found"),
    ([{"speaker": "Ana", "start": 1.0}], "JSON layout not recognised"),
], ids=["numbers-and-null", "trailing-null", "word-list-of-numbers", "text-object", "list-items", "empty-list",
        "no-segments", "no-text"])
def test_json_that_is_not_a_transcript_is_an_error_and_the_map_stays(
    content: object, named: str, good_map: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = good_map.read_bytes()
    Path("export.json").write_text(json.dumps(content))
    code = main(["map", "export.json", "--offline", "-o", str(good_map)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"vsm: error: export.json: {named}" in err or (named in err and "export.json" in err), err
    assert good_map.read_bytes() == before


def test_a_run_that_finds_nothing_does_not_replace_a_map_with_elements(
    good_map: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = good_map.read_bytes()
    Path("hello.txt").write_text(SMALL_TALK)
    code = main(["map", "hello.txt", "--offline", "-o", str(good_map)])
    err = capsys.readouterr().err
    assert code == 2
    assert "found nothing to map (0 elements) and would replace the 42 elements there" in err
    assert good_map.read_bytes() == before


def test_an_empty_map_may_still_be_written_where_no_map_was(good_map: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("hello.txt").write_text(SMALL_TALK)
    assert main(["map", "hello.txt", "--offline", "-o", "fresh.json"]) == 0
    assert json.loads(Path("fresh.json").read_text())["stages"] == []
    capsys.readouterr()


def test_numbered_speakers_and_string_words_are_still_read(good_map: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("export.json").write_text(json.dumps([{"speaker": 1, "text": ["we", "lose", "customers"]},
                                               {"speaker": 2, "text": [{"word": "why?"}]}]))
    assert main(["map", "export.json", "--offline", "-o", "fresh.json"]) == 0
    capsys.readouterr()
