"""Sources read faithfully: who speaks in continuation cues, and the time of the cue, segment or stamp a quote starts in.

Each input is written here. As seen in real exports: SubRip continuation cues (no label) lost their speaker,
so an interviewer's words became evidence; WebVTT without voices gave every quote 00:00:00; a quote took
its turn's start (minutes off in a long turn); podcast continuation stamps `(00:05:55):` ended up inside
quotes; Whisper `segments` times were ignored.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli import main
from agent.grounding import ground_quote
from agent.sources import parse_transcript
from schemas.evidence import Quote
from schemas.extraction import DraftQuote
from schemas.transcript import Transcript


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def srt_time(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d},{int(seconds * 1000) % 1000:03d}"


def grounded(transcript: Transcript, words: str) -> Quote:
    quote = ground_quote(DraftQuote(text=words, speaker=None), transcript)
    assert isinstance(quote, Quote), quote
    return quote


# A long interview in captions: a label only where the speaker changes, two cues per turn or more.
INTERVIEW = [
    ("Interviewer", ["How do customers reach you first?", "I mean before any sales call happens."]),
    ("Owner", ["Mostly through the price page.", "They have to book a demo before they see the product.",
               "Forty percent drop off at that form.", "We cannot staff the demo calls any faster."]),
    ("Interviewer", ["Why not let them start a trial?", "Would that not be simpler for them?"]),
    ("Owner", ["Our data team is two people.", "We need the demo to set up their accounts by hand."]),
]


def subrip(interview: list[tuple[str, list[str]]], seconds_per_cue: float = 37.0) -> tuple[str, dict[str, float]]:
    """SubRip with a label on a speaker's first cue only; and the start time of each cue's words."""
    blocks: list[str] = []
    starts: dict[str, float] = {}
    number = 0
    for speaker, cues in interview:
        for position, words in enumerate(cues):
            start = number * seconds_per_cue
            starts[words] = start
            number += 1
            label = f"{speaker}: " if position == 0 else ""
            blocks.append(f"{number}\n{srt_time(start)} --> {srt_time(start + seconds_per_cue - 1)}\n{label}{words}\n")
    return "\n".join(blocks), starts


def test_subrip_continuation_cues_keep_the_last_labelled_speaker() -> None:
    text, _ = subrip(INTERVIEW)
    transcript = parse_transcript(text, format="srt", source_id="call.srt", interviewers=["Interviewer"])
    assert [(turn.speaker, turn.interviewer) for turn in transcript.turns] == [
        ("Interviewer", True), ("Owner", False), ("Interviewer", True), ("Owner", False)]
    assert transcript.turns[2].text == "Why not let them start a trial? Would that not be simpler for them?"


def test_an_interviewers_continuation_cue_is_never_evidence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    text, _ = subrip(INTERVIEW)
    Path("call.srt").write_text(text)
    assert main(["map", "call.srt", "--offline", "--embedder", "none", "--interviewer", "Interviewer"]) == 0
    capsys.readouterr()
    document = json.loads(Path("map.json").read_text())
    speakers = {quote.get("speaker") for kind in ("stages", "veps", "resistances", "thresholds", "losses")
                for element in document[kind] for quote in element["evidence"]}
    assert speakers == {"Owner"}


def test_a_dialogue_dash_is_a_change_to_an_unnamed_speaker() -> None:
    text = ("1\n00:00:01,000 --> 00:00:03,000\nAna: We wait two weeks.\n\n"
            "2\n00:00:03,000 --> 00:00:05,000\n- Why so long?\n\n"
            "3\n00:00:05,000 --> 00:00:07,000\nBecause of the CFO.\n")
    transcript = parse_transcript(text, format="srt", source_id="dash.srt")
    assert [turn.speaker for turn in transcript.turns] == ["Ana", None]


def test_a_subrip_quote_has_the_time_of_the_cue_it_starts_in() -> None:
    text, starts = subrip(INTERVIEW)
    transcript = parse_transcript(text, format="srt", source_id="call.srt")
    words = "We cannot staff the demo calls any faster."
    assert grounded(transcript, words).timestamp == clock(starts[words]) == "00:03:05"  # the turn began at 01:14


def test_webvtt_without_voices_times_each_quote_by_its_cue() -> None:
    cues = ["so we started with spreadsheets", "and then the orders doubled", "we lose about a third of them",
            "because nobody answers the phone"]
    text = "WEBVTT\n\n" + "\n".join(
        f"00:{minute:02d}:00.000 --> 00:{minute:02d}:30.000\n{words}\n" for minute, words in enumerate(cues, start=1))
    transcript = parse_transcript(text, format="vtt", source_id="talk.vtt")
    assert len(transcript.turns) == 1  # nobody named: one run of speech
    assert grounded(transcript, "we lose about a third of them").timestamp == "00:03:00"
    assert grounded(transcript, "so we started with spreadsheets").timestamp == "00:01:00"


def test_a_quote_across_two_cues_has_the_time_of_its_first_word() -> None:
    text = ("WEBVTT\n\n00:00:10.000 --> 00:00:12.000\n<v Ana>We wait for\n\n"
            "00:00:12.000 --> 00:00:15.000\n<v Ana>the signature every time.\n")
    transcript = parse_transcript(text, format="vtt", source_id="cues.vtt")
    assert grounded(transcript, "wait for the signature").timestamp == "00:00:10"
    assert grounded(transcript, "the signature every time").timestamp == "00:00:12"


PODCAST = """\
**Jerod Santo (00:01:02):** Welcome back. How did the free tier start?

**Guy Podjarny (00:01:10):** We opened it to every developer from day one.

(00:05:55):
Then we saw that half of the sign-ups never scanned a single project.

(00:07:20): So we made the first scan part of the sign-up itself.
"""


def test_podcast_continuation_stamps_are_times_not_words() -> None:
    transcript = parse_transcript(PODCAST, format="markdown", source_id="podcast.md")
    guy = transcript.turns[1]
    assert guy.speaker == "Guy Podjarny"
    assert "00:05:55" not in transcript.text and "(" not in guy.text and "):" not in guy.text
    assert guy.text.startswith("We opened it to every developer from day one. Then we saw")
    assert grounded(transcript, "half of the sign-ups never scanned a single project").timestamp == "00:05:55"
    assert grounded(transcript, "we made the first scan part of the sign-up itself").timestamp == "00:07:20"
    assert grounded(transcript, "We opened it to every developer").timestamp == "00:01:10"


def test_an_inline_stamp_inside_a_line_times_the_words_after_it() -> None:
    text = "Ana: We bake at four. [00:09:00] Then we deliver to the cafes.\n"
    transcript = parse_transcript(text, format="text", source_id="bakery.txt")
    assert transcript.turns[0].text == "We bake at four. Then we deliver to the cafes."
    assert grounded(transcript, "Then we deliver to the cafes.").timestamp == "00:09:00"


def test_json_segments_times_are_used() -> None:
    segments = [{"id": n, "start": 30.0 * n + 0.5, "end": 30.0 * n + 29.0, "text": f" {words}"}
                for n, words in enumerate(["We started with spreadsheets.", "Then the orders doubled.",
                                           "We lose about a third of them at checkout."])]
    text = json.dumps({"text": " ".join(s["text"] for s in segments), "segments": segments, "language": "en"})
    transcript = parse_transcript(text, format="json", source_id="whisper.json")
    assert grounded(transcript, "We lose about a third of them at checkout.").timestamp == "00:01:00"
    assert grounded(transcript, "Then the orders doubled.").timestamp == "00:00:30"


def test_the_mapped_evidence_carries_the_cue_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    text, starts = subrip(INTERVIEW)
    Path("call.srt").write_text(text)
    assert main(["map", "call.srt", "--offline", "--embedder", "none", "--interviewer", "Interviewer"]) == 0
    capsys.readouterr()
    document = json.loads(Path("map.json").read_text())
    quotes = [quote for kind in ("stages", "veps", "resistances", "thresholds", "losses")
              for element in document[kind] for quote in element["evidence"]]
    assert quotes
    for quote in quotes:
        cue = next(words for words in starts if words.startswith(quote["text"][:20]) or quote["text"][:20] in words)
        assert quote["timestamp"] == clock(starts[cue]), quote
