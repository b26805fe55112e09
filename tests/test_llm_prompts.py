"""Prompts are versioned files loaded by name; the extraction prompt covers the framework."""

from __future__ import annotations

from pathlib import Path

import pytest

import agent
from agent.llm.prompts import PromptError, load_prompt, parse_prompt, prompts_folder

ROOT = Path(__file__).parents[1]


def test_the_extraction_prompt_loads_by_name_with_its_version() -> None:
    prompt = load_prompt("extract_map")
    assert (prompt.name, prompt.version, prompt.id) == ("extract_map", 2, "extract_map@2")
    assert prompts_folder() == ROOT / "prompts"


def test_the_extraction_prompt_renders_every_placeholder() -> None:
    prompt = load_prompt("extract_map")
    user = prompt.render_user(
        chunk_label="2 of 5 (turns 10-19)", interviewers="Consultant", known_elements="- vep, signup: Sign-up",
        transcript_chunk="Maya: We lose them at the form.",
    )
    assert "Maya: We lose them at the form." in user and "- vep, signup: Sign-up" in user and "$" not in user
    assert '{"type"' in prompt.render_answer_format(json_schema='{"type": "object"}')
    assert "- veps: Field required" in prompt.render_reask(errors="- veps: Field required")


@pytest.mark.parametrize(
    "term",
    ["VEP", "resistance", "threshold", "give-get", "claims", "layering", "audience_divergence", "stage_reframing",
     "conditional_value", "final threshold", "exactly", "interviewer", "key", "empty list"],
)
def test_the_extraction_prompt_teaches_the_framework(term: str) -> None:
    prompt = load_prompt("extract_map")
    assert term.lower() in (prompt.system + prompt.user_template).lower()


def test_a_missing_placeholder_value_is_a_clear_error() -> None:
    with pytest.raises(PromptError, match=r"needs a value for \$transcript_chunk"):
        load_prompt("extract_map").render_user(chunk_label="", interviewers="", known_elements="")


def test_malformed_prompt_files_are_refused() -> None:
    with pytest.raises(PromptError, match="front matter"):
        parse_prompt("# System\nhello\n")
    with pytest.raises(PromptError, match="version"):
        parse_prompt("---\nname: x\n---\n# System\na\n# User\nb\n")
    with pytest.raises(PromptError, match="# User"):
        parse_prompt("---\nname: x\nversion: 1\n---\n# System\na\n")
    with pytest.raises(PromptError, match="no such prompt"):
        load_prompt("no_such_prompt")
    with pytest.raises(PromptError, match="not a prompt name"):
        load_prompt("../etc/passwd")


def test_an_installed_wheel_finds_its_bundled_prompts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "agent"
    bundled = package / "_bundled" / "prompts"
    bundled.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (bundled / "extract_map.md").write_text((ROOT / "prompts" / "extract_map.md").read_text())
    monkeypatch.setattr(agent, "__file__", str(package / "__init__.py"))
    assert prompts_folder() == bundled
    assert load_prompt("extract_map").id == "extract_map@2"
