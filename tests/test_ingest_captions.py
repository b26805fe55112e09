"""WebVTT and SubRip captions: voices, labels in cues, rolling auto-captions, timings."""

from pathlib import Path

from agent.sources import parse_transcript, read_transcript

DATA = Path(__file__).parent / "data" / "ingest"


def test_webvtt_voice_tags_name_speakers_and_notes_and_styles_are_skipped() -> None:
    transcript = read_transcript(DATA / "teams_meeting.vtt")

    assert transcript.format == "webvtt"
    assert [(turn.speaker, turn.text) for turn in transcript.turns] == [
        ("Maria Lopez", "So tell me how a new order reaches you."),
        ("Sam Carter", "It comes in by email & then somebody retypes it. Usually the next morning."),
        ("Maria Lopez", "Every time?"),
    ]
    assert "color" not in transcript.text
    assert "Teams" not in transcript.text


def test_consecutive_cues_of_one_speaker_keep_the_first_start_and_last_end() -> None:
    transcript = read_transcript(DATA / "teams_meeting.vtt")

    sam = transcript.turns[1]
    assert (sam.time_start, sam.time_end) == (4.5, 12.0)
    assert sam.line == 15  # the line holding the turn's first words


def test_webvtt_speaker_labels_inside_cues() -> None:
    transcript = read_transcript(DATA / "zoom_meeting.vtt")

    assert [(turn.speaker, turn.time_start, turn.time_end) for turn in transcript.turns] == [
        ("Maria Lopez", 0.5, 3.0),
        ("Sam Carter", 3.0, 68.0),
    ]
    assert transcript.turns[1].text == "Happy to help. Where shall we start?"


def test_rolling_auto_captions_say_each_word_once() -> None:
    transcript = read_transcript(DATA / "youtube_autocaptions.vtt")

    assert transcript.text == "so we started with spreadsheets and then moved to a tool that nobody used"
    assert (transcript.turns[0].time_start, transcript.turns[0].time_end) == (0.0, 7.0)


def test_captions_that_extend_the_previous_line_keep_only_the_new_words() -> None:
    text = (
        "WEBVTT\n\n00:00.000 --> 00:01.000\nwe wait\n\n00:01.000 --> 00:02.000\nwe wait for the\n\n"
        "00:02.000 --> 00:03.000\nwe wait for the signature\n"
    )

    transcript = parse_transcript(text, format="webvtt", source_id="rolling")

    assert transcript.text == "we wait for the signature"


def test_webvtt_cues_without_a_blank_line_between_them_are_still_separate() -> None:
    text = "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ana>One.\n00:01.000 --> 00:02.000\n<v Ben>Two.\n"

    transcript = parse_transcript(text, format="vtt", source_id="tight")

    assert [(turn.speaker, turn.text) for turn in transcript.turns] == [("Ana", "One."), ("Ben", "Two.")]


def test_subrip_cues_with_tags_labels_and_dialogue_dashes() -> None:
    transcript = read_transcript(DATA / "interview.srt", interviewers=["INTERVIEWER"])

    assert transcript.format == "srt"
    assert [(turn.speaker, turn.text, turn.time_start, turn.time_end) for turn in transcript.turns] == [
        ("Interviewer", "How long does approval take?", 1.0, 3.0),
        ("Owner", "About two weeks, sometimes three. It depends on the CFO.", 3.5, 9.0),
        (None, "Why so long?", 10.0, 11.5),
    ]
    assert [turn.interviewer for turn in transcript.turns] == [True, False, False]


def test_subrip_text_after_a_stray_blank_line_stays_with_its_cue() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nAna: We wait\n\nfor approval.\n\n2\n00:00:02,000 --> 00:00:03,000\nBen: Why?\n"

    transcript = parse_transcript(text, format="srt", source_id="gap")

    assert [(turn.speaker, turn.text) for turn in transcript.turns] == [
        ("Ana", "We wait for approval."),
        ("Ben", "Why?"),
    ]
