"""A quote names the file line it starts on, and a stamp opening a paragraph times the turn.

Small transcripts written for these tests: long multi-paragraph turns (as podcast transcripts have) and
inline `[mm:ss]` / `\\[hh:mm:ss\\]` stamps at the start of paragraphs inside a speaker's turn.
"""

from __future__ import annotations

import pytest

from agent.grounding import ground_quote
from agent.sources import parse_transcript
from schemas.evidence import Quote
from schemas.extraction import DraftQuote
from schemas.transcript import Transcript

MARKDOWN = """\
# Call with the bakery

**Rosa Imani:** How do orders reach you today?

**Tomas Reyes:** Mostly by phone, early in the morning.
Sometimes a customer texts my personal number instead.

\\[03:10\\] Then I copy every order onto the whiteboard by hand.

\\[03:55\\] The flour supplier wants the count by noon, so the whiteboard decides what we bake.

**Rosa Imani:** And on weekends?

**Tomas Reyes:** [1:02:07] Weekends the market stall takes cash only.
"""

PLAIN = """\
Rosa Imani: What slows you down?
Tomas Reyes: The invoices.
   They arrive    as scanned PDFs.

[00:12:40] Nobody can search them.
Tomas Reyes: My accountant retypes every one.
"""


def parse(text: str, format: str) -> Transcript:
    return parse_transcript(text, format=format, source_id="bakery")


def grounded(transcript: Transcript, words: str, speaker: str = "Tomas Reyes") -> Quote:
    quote = ground_quote(DraftQuote(text=words, speaker=speaker), transcript)
    assert isinstance(quote, Quote), quote
    return quote


def line_holding(text: str, words: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if words in line)


@pytest.mark.parametrize(
    "words",
    [
        "Mostly by phone, early in the morning.",
        "Sometimes a customer texts my personal number instead.",
        "Then I copy every order onto the whiteboard by hand.",
        "so the whiteboard decides what we bake",
        "Weekends the market stall takes cash only.",
    ],
)
def test_a_markdown_quote_names_the_line_it_starts_on(words: str) -> None:
    quote = grounded(parse(MARKDOWN, "markdown"), words)

    assert quote.line == line_holding(MARKDOWN, words.split(",")[0])


def test_a_quote_running_over_two_lines_names_the_first() -> None:
    transcript = parse(MARKDOWN, "markdown")

    quote = grounded(transcript, "early in the morning. Sometimes a customer texts my personal number")

    assert quote.line == 5
    assert transcript.turns[1].line == 5  # the turn still starts at its label


@pytest.mark.parametrize(
    ("words", "line"),
    [
        ("The invoices.", 2),
        ("They arrive as scanned PDFs.", 3),
        ("Nobody can search them.", 5),
        ("retypes every one", 6),
    ],
)
def test_a_plain_text_quote_names_its_line_through_collapsed_space_and_merged_labels(words: str, line: int) -> None:
    transcript = parse(PLAIN, "text")

    assert len(transcript.turns) == 2  # the two `Tomas Reyes:` labels are one turn
    assert grounded(transcript, words).line == line


def test_line_starts_index_the_transcript_text() -> None:
    transcript = parse(MARKDOWN, "markdown")
    lines = MARKDOWN.split("\n")

    for turn in transcript.turns:
        assert turn.line_starts, turn
        offsets = [offset for offset, _ in turn.line_starts]
        assert offsets == sorted(set(offsets))
        assert turn.start <= offsets[0] and offsets[-1] < turn.end
        for offset, line in turn.line_starts:
            first_word = transcript.text[offset:].split()[0]
            assert first_word in lines[line - 1]


def test_a_stamp_opening_a_paragraph_times_a_turn_that_had_no_time() -> None:
    tomas = parse(MARKDOWN, "markdown").turns[1]

    assert tomas.time_start == 3 * 60 + 10  # the first stamp, not the second


def test_a_stamp_after_the_label_still_wins() -> None:
    assert parse(MARKDOWN, "markdown").turns[3].time_start == 3727.0


def test_a_stamp_in_a_plain_text_paragraph_times_the_turn() -> None:
    assert parse(PLAIN, "text").turns[1].time_start == 12 * 60 + 40


def test_a_stamp_does_not_replace_the_labels_time() -> None:
    text = "[00:00:05] Tomas Reyes: We bake at four.\n\n[00:09:00] Then we deliver.\n"

    assert parse(text, "text").turns[0].time_start == 5.0


def test_stamps_are_not_part_of_the_text_or_the_evidence() -> None:
    transcript = parse(MARKDOWN, "markdown")

    assert "03:10" not in transcript.text and "[" not in transcript.text and "\\" not in transcript.text
    quote = grounded(transcript, "Then I copy every order onto the whiteboard by hand.")
    assert quote.text == "Then I copy every order onto the whiteboard by hand."
    assert quote.timestamp == "00:03:10"


def test_merged_caption_cues_name_the_cue_a_quote_starts_in() -> None:
    vtt = (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:04.000\n<v Tomas Reyes>We bake at four every morning.\n\n"
        "00:00:04.000 --> 00:00:08.000\n<v Tomas Reyes>The vans leave at seven sharp.\n"
    )
    transcript = parse(vtt, "webvtt")

    assert len(transcript.turns) == 1
    assert grounded(transcript, "We bake at four every morning.").line == 4
    assert grounded(transcript, "The vans leave at seven sharp.").line == 7


def test_a_transcript_without_line_starts_falls_back_to_the_turns_line() -> None:
    transcript = parse(MARKDOWN, "markdown")
    bare = transcript.model_copy(
        update={"turns": [turn.model_copy(update={"line_starts": []}) for turn in transcript.turns]}
    )

    assert grounded(bare, "Then I copy every order onto the whiteboard by hand.").line == 5
