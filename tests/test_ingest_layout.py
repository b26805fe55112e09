"""The normalised layout every format shares: paragraphs, offsets, merging, interviewers, speed."""

from pathlib import Path

import pytest

from agent.sources import parse_transcript, read_transcript
from tests.cpu_time import best_cpu_seconds


def test_turns_index_their_words_in_speaker_paragraphs() -> None:
    transcript = parse_transcript("Ana:   We   wait\tfor\napproval.\nBen: Why?\n", format="text", source_id="t")

    assert transcript.text == "Ana: We wait for approval.\n\nBen: Why?"
    for turn in transcript.turns:
        assert transcript.text[turn.start : turn.end] == turn.text
        assert transcript.text[: turn.start].endswith(f"{turn.speaker}: ")
    assert transcript.turn_at(transcript.text.index("approval")) == transcript.turns[0]


def test_a_transcript_already_in_the_normalised_layout_keeps_its_offsets() -> None:
    text = "Interviewer: How do orders arrive?\n\nOwner: By email, then we retype them."

    transcript = parse_transcript(text, format="text", source_id="t")

    assert transcript.text == text
    assert text[transcript.turns[1].start :].startswith("By email")


def test_consecutive_same_speaker_segments_merge_and_keep_first_start_and_last_end() -> None:
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana>One.\n\n00:02.000 --> 00:03.000\n<v Ana>Two.\n\n"
        "00:03.000 --> 00:04.000\n<v Ben>Three.\n"
    )

    transcript = parse_transcript(text, format="webvtt", source_id="t")

    first = transcript.turns[0]
    assert (first.speaker, first.text, first.time_start, first.time_end) == ("Ana", "One. Two.", 1.0, 3.0)
    assert [turn.index for turn in transcript.turns] == [0, 1]


def test_interviewers_are_matched_without_regard_to_case_or_spacing() -> None:
    transcript = parse_transcript(
        "Maria  LOPEZ: Why?\nSam: Because.\n",
        format="text",
        source_id="t",
        interviewers=["maria lopez"],
    )

    assert [(turn.speaker, turn.interviewer) for turn in transcript.turns] == [
        ("Maria LOPEZ", True),
        ("Sam", False),
    ]


def test_twenty_thousand_words_parse_well_under_a_second() -> None:
    sentence = "we keep the order in the shared inbox until someone has time to retype it"  # 16 words
    lines = [f"[00:{i // 60 % 60:02d}:{i % 60:02d}] Speaker {i % 3}: {sentence} {sentence}" for i in range(625)]
    text = "\n".join(lines)
    assert len(text.split()) > 20_000

    spent, transcript = best_cpu_seconds(lambda: parse_transcript(text, format="text", source_id="long"))

    assert len(transcript.turns) == 625
    assert spent < 0.5


BUNDLED = Path(__file__).parents[1] / "transcripts"
BUNDLED_FILES = sorted(BUNDLED.glob("*/*.md"))


@pytest.mark.skipif(not BUNDLED_FILES, reason=f"no bundled example transcripts in {BUNDLED}")
@pytest.mark.parametrize("path", BUNDLED_FILES, ids=[f"{p.parent.name}/{p.name}" for p in BUNDLED_FILES])
def test_bundled_examples_are_already_in_the_normalised_layout(path: Path) -> None:
    # schemas/transcript.py promises that quote offsets into these files equal offsets into Transcript.text.
    transcript = read_transcript(path)

    assert transcript.text == path.read_text(encoding="utf-8").rstrip("\n")
