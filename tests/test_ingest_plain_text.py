"""Plain-text and Markdown transcripts: every speaker style we promise, continuation lines, non-speech."""

from pathlib import Path

from agent.sources import parse_transcript, read_transcript

DATA = Path(__file__).parent / "data" / "ingest"


def test_every_plain_text_speaker_style_starts_a_turn() -> None:
    transcript = read_transcript(DATA / "speaker_styles.txt")

    assert transcript.format == "text"
    assert [(turn.speaker, turn.line, turn.time_start) for turn in transcript.turns] == [
        (None, 1, None),
        ("Maria Lopez", 3, None),
        ("Sam Carter", 4, None),
        ("Maria Lopez", 8, 62.0),
        ("Sam Carter", 9, 70.0),
        ("Dr. Anna van der Berg", 10, 90.0),
    ]


def test_lines_without_a_label_continue_the_current_turn() -> None:
    transcript = read_transcript(DATA / "speaker_styles.txt")

    assert (
        transcript.turns[2].text == "It comes in by email. Somebody retypes it into the ERP, usually the next morning."
    )


def test_a_colon_inside_prose_is_not_a_speaker_label() -> None:
    transcript = read_transcript(DATA / "speaker_styles.txt")

    assert transcript.turns[4].text == "Every single time. Here's the thing: nobody trusts the portal."
    assert "Here's the thing" not in transcript.speakers


def test_a_role_in_parentheses_is_not_part_of_the_name_and_can_mark_the_interviewer() -> None:
    transcript = read_transcript(DATA / "speaker_styles.txt", interviewers=["interviewer"])

    maria = transcript.turns[1]
    assert maria.speaker == "Maria Lopez"
    assert maria.interviewer
    assert not transcript.turns[2].interviewer


def test_otter_style_name_and_time_lines_label_the_words_below_them() -> None:
    transcript = read_transcript(DATA / "otter_export.txt")

    assert [(turn.speaker, turn.line, turn.time_start, turn.text) for turn in transcript.turns] == [
        ("Maria Lopez", 1, 3.0, "So where does the order wait longest?"),
        ("Sam Carter", 4, 9.0, "In the shared inbox. Sometimes two days."),
        ("Maria Lopez", 8, 3735.0, "Why two days?"),
    ]


def test_markdown_front_matter_headings_comments_and_rules_are_not_speech() -> None:
    transcript = read_transcript(DATA / "interview.md")

    assert transcript.format == "markdown"
    for not_speech in ("title:", "Order desk interview", "recorded on site", "Approval", "---"):
        assert not_speech not in transcript.text


def test_markdown_bold_labels_escaped_stamps_and_continuation_paragraphs() -> None:
    transcript = read_transcript(DATA / "interview.md")

    assert [(turn.speaker, turn.line, turn.time_start, turn.text) for turn in transcript.turns] == [
        ("Maria Lopez", 10, None, "So tell me how a new order reaches you."),
        ("Sam Carter", 12, 12.0, "It comes in by email. Then somebody retypes it [laughs] into the ERP."),
        ("Sam Carter", 20, None, "After the break: approval takes *two* weeks."),
        ("Maria Lopez", 24, None, "Thanks."),
    ]


def test_a_label_without_words_separates_the_turns_around_it() -> None:
    transcript = read_transcript(DATA / "interview.md")

    assert "Break" not in transcript.speakers
    assert [turn.speaker for turn in transcript.turns[1:3]] == ["Sam Carter", "Sam Carter"]


def test_a_transcript_without_labels_is_one_unnamed_turn() -> None:
    transcript = parse_transcript("We start with email.\nThen the ERP.\n", format="text", source_id="note")

    assert [(turn.speaker, turn.text) for turn in transcript.turns] == [(None, "We start with email. Then the ERP.")]
    assert transcript.text == "We start with email. Then the ERP."


def test_labels_with_bare_and_bracketed_leading_stamps() -> None:
    text = "00:00:05 Ana: first\n(00:00:09) Ben: second\nAna: (00:00:12) third\nBen: [00:00:15] fourth\n"

    transcript = parse_transcript(text, format="text", source_id="stamps")

    assert [(turn.speaker, turn.time_start, turn.text) for turn in transcript.turns] == [
        ("Ana", 5.0, "first"),
        ("Ben", 9.0, "second"),
        ("Ana", 12.0, "third"),
        ("Ben", 15.0, "fourth"),
    ]
