"""JSON transcripts: lists of turns, Whisper segments, utterances in milliseconds, words, clock times."""

from pathlib import Path

from agent.sources import parse_transcript, read_transcript

DATA = Path(__file__).parent / "data" / "ingest"


def test_a_list_of_speaker_and_text_items_merges_consecutive_speakers() -> None:
    transcript = read_transcript(DATA / "turns_list.json")

    assert transcript.format == "json"
    assert [(turn.speaker, turn.text) for turn in transcript.turns] == [
        ("Maria Lopez", "So tell me how a new order reaches you."),
        ("Sam Carter", "It comes in by email. Somebody retypes it."),
        ("Maria Lopez", "Every time?"),
    ]
    assert all(turn.line is None for turn in transcript.turns)


def test_whisper_segments_are_used_rather_than_the_whole_text() -> None:
    transcript = read_transcript(DATA / "whisper_segments.json")

    assert [(turn.speaker, turn.text, turn.time_start, turn.time_end) for turn in transcript.turns] == [
        ("SPEAKER_00", "Hello and welcome.", 0.0, 2.5),
        ("SPEAKER_01", "Thanks for having me.", 2.5, 4.25),
        ("SPEAKER_00", "Let's start with orders.", 4.25, 7.0),
    ]


def test_integer_times_of_utterances_are_read_as_milliseconds() -> None:
    transcript = read_transcript(DATA / "utterances_in_milliseconds.json")

    assert [(turn.speaker, turn.time_start, turn.time_end) for turn in transcript.turns] == [
        ("A", 0.25, 4.1),
        ("B", 4.3, 9.8),
    ]


def test_word_lists_numbered_speakers_and_clock_time_strings() -> None:
    transcript = read_transcript(DATA / "words_and_clock_times.json")

    assert [(turn.speaker, turn.text, turn.time_start, turn.time_end) for turn in transcript.turns] == [
        ("Speaker 0", "We wait.", 62.5, 64.0),
        ("Sam Carter", "For approval.", 64.0, None),
    ]


def test_meeting_corpus_noise_tokens_are_removed() -> None:
    text = (
        '{"topic_list": [{"topic": "Costs"}], "meeting_transcripts": ['
        '{"speaker": "Marketing", "content": "Um {vocalsound} I think {disfmarker} twenty five euros ."},'
        '{"speaker": "Project Manager", "content": "{vocalsound} {gap}"},'
        '{"speaker": "Marketing", "content": "Maybe more ."}]}'
    )

    transcript = parse_transcript(text, format="json", source_id="meeting")

    assert [(turn.speaker, turn.text) for turn in transcript.turns] == [
        ("Marketing", "Um I think twenty five euros ."),
        ("Marketing", "Maybe more ."),  # someone made a sound in between: still two turns
    ]


def test_a_transcript_string_is_read_as_labelled_lines() -> None:
    text = '{"transcript": "Ana: We wait.\\nBen: Why?"}'

    transcript = parse_transcript(text, format="json", source_id="string")

    assert [(turn.speaker, turn.text) for turn in transcript.turns] == [("Ana", "We wait."), ("Ben", "Why?")]


def test_any_list_of_text_items_under_an_unknown_key_is_found() -> None:
    text = '{"meta": {"lang": "en"}, "rows": [{"role": "Interviewer", "content": "Why?"}]}'

    transcript = parse_transcript(text, format="json", source_id="rows", interviewers=["interviewer"])

    assert [(turn.speaker, turn.text, turn.interviewer) for turn in transcript.turns] == [("Interviewer", "Why?", True)]
