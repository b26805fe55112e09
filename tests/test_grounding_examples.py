"""The bundled examples' hand-made evidence, grounded again from its words alone, lands where it was put.

Each example quote is an exact substring chosen by a person (see transcripts/README.md). Given only its
text and speaker, as a model would give them, grounding must find the same span; quoted loosely, it must
find the same place.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.grounding import GroundingTally, QuoteLocation, ground_quote, locate_quote
from agent.sources import read_transcript
from schemas import Quote, ValueMap
from schemas.evidence import MatchStatus
from schemas.extraction import DraftQuote
from schemas.transcript import Transcript

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "transcripts"
# The blind examples (transcripts/README.md) quote slogans with their quotation marks, which the grounder
# trims to the words inside; they are measured by benchmarks/extractor_quality, not pinned here.
EXAMPLES = sorted(path.parent.name for path in EXAMPLES_DIR.glob("*/map.json") if not path.parent.name.startswith("blind-"))


def evidence(example: str) -> Iterator[tuple[Quote, Transcript]]:
    value_map = ValueMap.model_validate_json((EXAMPLES_DIR / example / "map.json").read_text(encoding="utf-8"))
    transcripts = {}
    for source in value_map.sources:
        assert source.path is not None
        interviewers = [person.name for person in source.stakeholders if person.interviewer]
        transcripts[source.id] = read_transcript(
            EXAMPLES_DIR.parent / source.path, source_id=source.id, interviewers=interviewers
        )
    for element in value_map.elements():
        for quote in element.evidence:
            yield quote, transcripts[quote.source_id]


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_quote_grounds_to_its_own_span(example: str) -> None:
    tally = GroundingTally()
    for quote, transcript in evidence(example):
        grounded = ground_quote(DraftQuote(text=quote.text, speaker=quote.speaker), transcript)
        tally.add(grounded)

        assert isinstance(grounded, Quote), f"{quote.text!r}: {grounded}"
        assert grounded.match is MatchStatus.EXACT
        assert grounded.text == quote.text
        assert (grounded.speaker, grounded.line) == (quote.speaker, quote.line)
        assert grounded.start is not None and quote.start is not None
        assert grounded.start <= quote.start  # an earlier identical sentence of the same speaker may come first

    assert tally.kept[MatchStatus.EXACT] >= 10
    assert not tally.dropped


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_quotes_quoted_loosely_are_found_at_the_same_place(example: str) -> None:
    for quote, transcript in evidence(example):
        if len(quote.text.split()) < 3:
            continue  # too short to locate unless exact
        loose = quote.text.lower().replace(",", "").replace("don't", "do not").rstrip(".!?")
        location = locate_quote(loose, transcript, speaker=(quote.speaker or "").split()[0])

        assert isinstance(location, QuoteLocation), f"{loose!r}: {location}"
        assert quote.start is not None and quote.end is not None
        assert location.start < quote.end and quote.start < location.end
