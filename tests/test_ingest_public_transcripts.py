"""Robustness: every real, published transcript in the shared folder ingests with sensible speakers.

The files were not written for this project; nothing in the parsers is tuned to their wording.
"""

from pathlib import Path

import pytest

from agent.sources import read_transcript
from tests.cpu_time import best_cpu_seconds

PUBLIC = Path(__file__).parents[2] / "shared" / "transcripts" / "public"
PUBLIC_FILES = sorted(PUBLIC.iterdir()) if PUBLIC.is_dir() else []
pytestmark = pytest.mark.skipif(not PUBLIC_FILES, reason=f"public transcripts not found at {PUBLIC}")

# (named speakers, fewest turns, most turns) for the known transcripts; most turns = labels before merging.
EXPECTED = {
    "changelog_577_": (3, 250, 396),
    "changelog_founders-talk-71_": (2, 80, 97),
    "qmsum_": (4, 400, 472),
}


@pytest.mark.parametrize("path", PUBLIC_FILES, ids=[path.name[:40] for path in PUBLIC_FILES])
def test_every_public_file_ingests_quickly(path: Path) -> None:
    spent, transcript = best_cpu_seconds(lambda: read_transcript(path))

    assert transcript.turns
    assert spent < 1.0
    for turn in transcript.turns:
        assert turn.text == " ".join(turn.text.split())


@pytest.mark.parametrize(("prefix", "expected"), EXPECTED.items())
def test_known_public_transcripts_have_sensible_speakers(prefix: str, expected: tuple[int, int, int]) -> None:
    matches = [path for path in PUBLIC_FILES if path.name.startswith(prefix)]
    if not matches:
        pytest.skip(f"no public transcript starting {prefix!r} in {PUBLIC}")
    speakers, fewest_turns, most_turns = expected

    transcript = read_transcript(matches[0])

    assert len(transcript.speakers) == speakers
    assert fewest_turns <= len(transcript.turns) <= most_turns
    assert all(turn.speaker for turn in transcript.turns)
    assert len(transcript.text.split()) > 5_000


def test_changelog_markup_is_gone_from_the_text() -> None:
    for path in PUBLIC_FILES:
        if path.name.startswith("changelog_"):
            text = read_transcript(path).text
            assert "**" not in text
            assert "\\[" not in text
            assert "Break" not in read_transcript(path).speakers


def test_meeting_corpus_noise_tokens_are_gone() -> None:
    for path in PUBLIC_FILES:
        if path.name.startswith("qmsum_"):
            text = read_transcript(path).text
            assert "{disfmarker}" not in text
            assert "{vocalsound}" not in text
