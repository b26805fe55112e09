"""Who is who: the interviewer is recognised, names given on the command line find their speaker (or
say whom they could have meant), roles in labels reach the map, and a file that is no conversation is
refused with one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.errors import VsmError
from agent.sources import read_transcript
from agent.sources.speaker_roles import guess_interviewers, match_speaker, not_a_conversation, resolve_speakers
from schemas import ValueMap
from tests.cli_runner import run_vsm

NO_MODEL = {"VSM_LLM_MODEL": "", "OPENAI_API_KEY": ""}

PANEL = [
    "Ruth (Finance Lead at Brightline, customer): We tried the trial in March, and the calendar step stopped us.",
    "Ana Lopez (Moderator): What stopped you there?",
    "Ruth (Finance Lead at Brightline, customer): Our IT would not let a new app read every calendar.",
    "Tomas Berg (Head of Sales): We see that a lot. About half of the trials never connect the calendar.",
    "Ana Lopez (Moderator): And what happened after that?",
    "Ruth (Finance Lead at Brightline, customer): We paid forty-nine euros a month once IT agreed, in May.",
    "Ana Lopez (Moderator): How did you decide to pay?",
    "Tomas Berg (Head of Sales): We gave her a quarter-end discount of twenty percent.",
]

PODCAST = [
    "Jo Park: Welcome back to the show. Today I'm joined by Sam Ode, who runs a meal-kit company.",
    "Sam Ode: Thanks for having me.",
    "Jo Park: So how did it start?",
    "Sam Ode: We started in a kitchen in 2019. We sold boxes to friends, then to their friends, and then we "
    "ran paid social and it took off. Most people came from Instagram, about seventy percent.",
    "Jo Park: Nice. What broke first?",
    "Sam Ode: The couriers. We could not get boxes out on Mondays, so we made people pick a delivery day.",
    "Jo Park: Right.",
    "Sam Ode: And that cost us. People who cannot pick the day they want cancel in the first month.",
]


def write(path: Path, turns: list[str]) -> Path:
    path.write_text("\n\n".join(turns) + "\n", encoding="utf-8")
    return path


def test_a_podcast_host_who_opens_the_show_is_taken_as_the_interviewer(tmp_path: Path) -> None:
    transcript = read_transcript(write(tmp_path / "podcast.md", PODCAST))
    assert [(g.speaker, g.reason) for g in guess_interviewers(transcript)] == [
        ("Jo Park", "opens the conversation as its host")
    ]


def test_a_speaker_labelled_moderator_is_taken_as_the_interviewer(tmp_path: Path) -> None:
    transcript = read_transcript(write(tmp_path / "panel.md", PANEL))
    assert [(g.speaker, g.reason) for g in guess_interviewers(transcript)] == [("Ana Lopez", "labelled 'Moderator'")]


def test_a_role_written_before_the_name_is_the_role_of_the_named_speaker(tmp_path: Path) -> None:
    """"Moderator (Lena):" in a meeting's SubRip export: the speaker was "Moderator", her role "Lena"."""
    panel = [turn.replace("Ana Lopez (Moderator):", "Moderator (Ana Lopez):") for turn in PANEL]
    transcript = read_transcript(write(tmp_path / "panel.md", panel))

    assert [(g.speaker, g.reason) for g in guess_interviewers(transcript)] == [("Ana Lopez", "labelled 'Moderator'")]
    assert "Moderator" not in transcript.speakers
    for label, speaker in [("Consultant (External)", "Consultant"), ("Chair (Finance)", "Chair"),
                           ("Moderator (Day 2)", "Moderator"), ("Moderator (Lena) (Acme)", "Lena")]:
        other = read_transcript(write(tmp_path / "other.md", [f"{label}: What stopped you?", *PANEL[2:4]]))
        assert other.speakers[0] == speaker, label  # a bracket that names no person stays the role


def test_a_speaker_who_mostly_asks_is_the_interviewer_but_a_discussion_has_none(tmp_path: Path) -> None:
    asked = [f"{'Maya' if i % 2 == 0 else 'Olu Ade'}: "
             + ("Why does that happen?" if i % 2 == 0 else "Because the data import needs our engineers, every time.")
             for i in range(8)]
    guesses = guess_interviewers(read_transcript(write(tmp_path / "asked.md", asked)))
    assert [(g.speaker, g.reason) for g in guesses] == [("Maya", "asks in 4 of 4 turns")]
    everyone_asks = [f"{'Maya' if i % 2 == 0 else 'Olu Ade'}: Why does that happen?" for i in range(8)]
    assert guess_interviewers(read_transcript(write(tmp_path / "both.md", everyone_asks))) == []
    statements = [f"{'Maya' if i % 2 == 0 else 'Olu Ade'}: The import takes two days." for i in range(8)]
    assert guess_interviewers(read_transcript(write(tmp_path / "flat.md", statements))) == []


@pytest.mark.parametrize(("wanted", "expected"), [
    ("Ruth (Finance Lead at Brightline, customer)", "Ruth"),  # the label as the transcript writes it
    ("ruth", "Ruth"),
    ("Ana Lopez", "Ana Lopez"),
    ("Ana", "Ana Lopez"),  # a first name only one speaker has
    ("  **Tomas Berg:** ", "Tomas Berg"),
    ("Ruht", None),
    ("Lopez", None),
])
def test_a_name_matches_a_speaker_by_label_name_or_unambiguous_first_name(wanted: str, expected: str | None) -> None:
    speakers = ["Ruth", "Ana Lopez", "Tomas Berg"]
    roles = {"Ruth": "Finance Lead at Brightline, customer", "Ana Lopez": "Moderator"}
    assert match_speaker(wanted, speakers, roles) == expected


def test_a_first_name_two_speakers_share_is_ambiguous(tmp_path: Path) -> None:
    transcript = read_transcript(write(tmp_path / "two.md", ["Ana Lopez: Hello.", "Ana Ruiz: Hi, we met in May."]))
    with pytest.raises(VsmError, match="'Ana' names several speakers; the speakers are: Ana Lopez, Ana Ruiz"):
        resolve_speakers(["Ana"], [transcript], option="--customer")


def test_map_takes_the_customer_by_label_keeps_roles_and_says_who_asked(tmp_path: Path) -> None:
    panel = write(tmp_path / "panel.md", PANEL)
    out = tmp_path / "map.json"
    result = run_vsm("map", panel, "-o", out, "--customer", "Ruth (Finance Lead at Brightline, customer)",
                     "--embedder", "none", cwd=tmp_path, env=NO_MODEL)
    assert result.returncode == 0, result.stderr
    assert "asking the questions (never evidence): Ana Lopez (labelled Moderator)" in result.stdout
    people = {p.name: p for p in ValueMap.model_validate_json(out.read_text(encoding="utf-8")).sources[0].stakeholders}
    assert people["Ruth"].role == "Finance Lead at Brightline, customer"
    assert people["Ruth"].perspective is not None and people["Ruth"].perspective.value == "customer"
    assert people["Tomas Berg"].role == "Head of Sales" and people["Tomas Berg"].perspective is None
    assert people["Ana Lopez"].interviewer and not people["Ruth"].interviewer


def test_in_a_sales_call_nobody_need_be_taken_to_ask(tmp_path: Path) -> None:
    """A sales call exported as JSON: the seller asks in most turns and was taken as the interviewer, so the price
    and the offer ("fifteen pounds per van per month", "we can import the addresses for you") were never evidence,
    and nothing told the user how to say that nobody interviews."""
    call = Path(__file__).parent / "data" / "offline" / "sales_call.json"
    guessed = run_vsm("map", call, "-o", tmp_path / "guessed.json", "--customer", "Morgan", "--embedder", "none",
                      cwd=tmp_path, env=NO_MODEL)
    assert guessed.returncode == 0, guessed.stderr
    assert "Alex Rivera (asks in" in guessed.stdout and "--no-interviewer" in guessed.stdout

    result = run_vsm("map", call, "-o", tmp_path / "map.json", "--customer", "Morgan", "--no-interviewer",
                     "--embedder", "none", cwd=tmp_path, env=NO_MODEL)
    assert result.returncode == 0, result.stderr
    value_map = ValueMap.model_validate_json((tmp_path / "map.json").read_text(encoding="utf-8"))
    assert not any(p.interviewer for p in value_map.sources[0].stakeholders)
    assert "Alex Rivera" in {q.speaker for e in value_map.elements() for q in e.verified_evidence}
    both = run_vsm("map", call, "--no-interviewer", "--interviewer", "Alex", cwd=tmp_path, env=NO_MODEL)
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_a_misspelt_customer_or_interviewer_is_an_error_listing_the_speakers(tmp_path: Path) -> None:
    panel = write(tmp_path / "panel.md", PANEL)
    for option in ("--customer", "--interviewer"):
        result = run_vsm("map", panel, "-o", tmp_path / "map.json", option, "Ruht", cwd=tmp_path, env=NO_MODEL)
        assert result.returncode == 2
        assert (f"vsm: error: {option} 'Ruht' matches no speaker; the speakers are: Ruth (Finance Lead at Brightline, "
                "customer), Ana Lopez (Moderator), Tomas Berg (Head of Sales)") in result.stderr
        assert not (tmp_path / "map.json").exists()


def test_an_interviewer_given_by_first_name_asks_the_questions(tmp_path: Path) -> None:
    podcast = write(tmp_path / "podcast.md", [t.replace("Welcome back to the show. ", "") for t in PODCAST])
    out = tmp_path / "map.json"
    result = run_vsm("map", podcast, "-o", out, "--interviewer", "sam", "--embedder", "none", cwd=tmp_path,
                     env=NO_MODEL)
    assert result.returncode == 0, result.stderr
    assert "asking the questions (never evidence): Sam Ode (named with --interviewer)" in result.stdout
    value_map = ValueMap.model_validate_json(out.read_text(encoding="utf-8"))
    assert all(q.speaker != "Sam Ode" for e in value_map.elements() for q in e.evidence)


SOURCES_TABLE = """# Public transcripts

Real conversations that nobody on this project wrote, kept as published.

| file | source | licence | size |
| --- | --- | --- | --- |
| founders-talk-71.md | thechangelog/transcripts | CC BY-SA 4.0 | ~15,900 words |
| storygraph-577.md | thechangelog/transcripts | CC BY-SA 4.0 | ~18,900 words |

What each is good for:
- Snyk (Founders Talk 71): free use -> free tier / trial -> paid -> enterprise expansion.
"""

MIT = """Copyright (c) 2026 Example Authors

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED. IN NO EVENT SHALL THE
AUTHORS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY.
"""

README = """# Wasteless VSM

Transcripts in, a value stream map out. Install it with pip and run `vsm demo`.

## Commands

- `vsm map FILES -o map.json`: transcripts to a map.
- `vsm check map.json`: the findings.

Layout: each example has its transcripts and a map.
"""


@pytest.mark.parametrize(("name", "text", "looks"), [
    ("SOURCES.md", SOURCES_TABLE, "a table"), ("LICENSE", MIT, "a document"), ("README.md", README, "a document"),
])
def test_a_table_licence_or_readme_is_refused_with_one_line(tmp_path: Path, name: str, text: str, looks: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    refusal = not_a_conversation(read_transcript(path))
    assert refusal is not None and f"reads as {looks}, not a conversation" in refusal[0]
    result = run_vsm("map", path, "-o", tmp_path / "map.json", cwd=tmp_path, env=NO_MODEL)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith(f"vsm: error: {name}: has no speaker turns and reads as")
    assert not (tmp_path / "map.json").exists()


@pytest.mark.parametrize("text", [
    "So we started with spreadsheets and then moved to a tool that nobody used, and honestly I think we lost a "
    "year. Our customers kept asking for exports. We never built them.\n",
    "so we started with spreadsheets and then moved to a tool that nobody used\n",  # a raw caption dump
])
def test_unlabelled_speech_is_still_a_conversation(tmp_path: Path, text: str) -> None:
    path = tmp_path / "talk.txt"
    path.write_text(text, encoding="utf-8")
    assert not_a_conversation(read_transcript(path)) is None


def test_vsm_add_refuses_the_table_and_adds_the_rest(tmp_path: Path) -> None:
    workspace = tmp_path / "acme"
    assert run_vsm("init", workspace, cwd=tmp_path).returncode == 0
    table = tmp_path / "SOURCES.md"
    table.write_text(SOURCES_TABLE, encoding="utf-8")
    panel = write(tmp_path / "panel.md", PANEL)
    result = run_vsm("add", table, panel, cwd=workspace, env=NO_MODEL)
    assert "SOURCES.md: has no speaker turns and reads as a table, not a conversation" in result.stderr
    assert "panel" in result.stdout
    assert not any((workspace / "sources").glob("SOURCES*"))
    assert any((workspace / "sources").glob("panel*"))


def test_vsm_add_keeps_the_roles_labels_give(tmp_path: Path) -> None:
    import json

    workspace = tmp_path / "acme"
    assert run_vsm("init", workspace, cwd=tmp_path).returncode == 0
    panel = write(tmp_path / "panel.md", PANEL)
    assert run_vsm("add", panel, cwd=workspace, env=NO_MODEL).returncode == 0
    index = json.loads((workspace / "sources" / "index.json").read_text(encoding="utf-8"))
    roles = {p["name"]: p["role"] for s in index["sources"] for p in s["stakeholders"]}
    assert roles["Ruth"] == "Finance Lead at Brightline, customer" and roles["Tomas Berg"] == "Head of Sales"


def test_vsm_add_takes_nobody_to_ask_in_a_sales_call_when_told(tmp_path: Path) -> None:
    import json

    workspace = tmp_path / "acme"
    assert run_vsm("init", workspace, cwd=tmp_path).returncode == 0
    call = Path(__file__).parent / "data" / "offline" / "sales_call.json"
    added = run_vsm("add", call, "--no-interviewer", "--embedder", "none", cwd=workspace, env=NO_MODEL)
    assert added.returncode == 0, added.stderr
    index = json.loads((workspace / "sources" / "index.json").read_text(encoding="utf-8"))
    assert [p["name"] for s in index["sources"] for p in s["stakeholders"] if p["interviewer"]] == []


STORY = [
    "Consultant: Where did it start for you?",
    "Mia Lund: A friend sent me the link. I booked a tasting session for the two of us, and it was lovely. "
    "The same week I bought a new bike, which has nothing to do with wine.",
    "Consultant: And then?",
    "Ola Berg: Most people who come to a tasting buy the twelve-bottle case.",
]


def test_the_steps_a_named_customer_tells_of_taking_are_steps_of_the_stream(tmp_path: Path) -> None:
    story = write(tmp_path / "story.md", STORY)

    def veps(*options: str) -> list[str]:
        out = tmp_path / "map.json"
        result = run_vsm("map", story, "-o", out, "--embedder", "none", *options, cwd=tmp_path, env=NO_MODEL)
        assert result.returncode == 0, result.stderr
        return [v.customer_action for v in ValueMap.model_validate_json(out.read_text(encoding="utf-8")).veps]

    assert not any("tasting" in action for action in veps())  # told by anyone else, "I booked" is a story
    with_customer = veps("--customer", "Mia")
    assert any("tasting" in action for action in with_customer)
    assert not any("bike" in action for action in with_customer)  # what else she buys is not this stream
