"""Offline mapping time against text size, for the inputs that were once quadratic.

    python -m benchmarks.text_scaling

Three generated kinds of text (no licensed words): one unpunctuated single-line sentence (as captions
without punctuation are), repetitive lines (the same few labelled lines over and over, one speaker,
so they merge into one turn), and unlabelled lines (notes with no speaker at all: one turn of many lines). Each is mapped by `vsm map --offline`'s engine (`map_transcripts`:
reading, offline extraction, grounding, assembly, checks; no embedder) at 25 KB, 100 KB and 1 MB.
Linear growth is a 1 MB / 100 KB ratio near 10; quadratic would be 100. Target: 1 MB under 10 s each.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from agent.mapping import map_transcripts

SIZES = (25_000, 100_000, 1_000_000)
# Everyday words of a customer journey, so the extractor's cues fire as often as in a real interview.
_PHRASE = (
    "we lose customers when the price page asks for a card and the team waits for approval before the trial "
    "starts they sign up give their email book a demo pay the invoice drop off churn support tickets discount "
    "onboarding call our sales team cannot reach them because we have no data and no budget so the customer has "
    "to upload the documents first then we promise a fast setup but it takes three weeks and forty percent leave"
)
_WORDS = _PHRASE.split(" ")
_LINES = (
    "Ana: We lose customers when the price page asks for a card.",
    "Ana: Forty percent drop off before the demo, because we cannot staff the calls.",
    "Ana: They have to upload their documents first, then we review them.",
)


def unpunctuated_text(size: int, seed: int = 0) -> str:
    """`size` characters of words without a single punctuation mark, on one line, after one speaker label."""
    rng = random.Random(seed)
    words: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(_WORDS)
        words.append(word)
        length += len(word) + 1
    return ("Ana: " + " ".join(words))[:size] + "\n"


def repetitive_lines(size: int) -> str:
    """`size` characters of the same three labelled lines repeated."""
    block = "\n".join(_LINES) + "\n"
    return (block * (size // len(block) + 1))[:size].rsplit("\n", 1)[0] + "\n"


def unlabelled_lines(size: int, seed: int = 0) -> str:
    """`size` characters of short lines of words with no speaker label anywhere: one turn of many lines."""
    rng = random.Random(seed)
    lines: list[str] = []
    length = 0
    while length < size:
        line = " ".join(rng.choice(_WORDS) for _ in range(8)) + "."
        lines.append(line)
        length += len(line) + 1
    return "\n".join(lines)[:size].rsplit("\n", 1)[0] + "\n"


def offline_mapping_seconds(text: str) -> tuple[float, float]:
    """(elapsed, CPU) seconds of mapping `text` offline; CPU time is the steadier figure on a shared machine."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "transcript.txt"
        path.write_text(text, encoding="utf-8")
        started, started_cpu = time.perf_counter(), time.process_time()
        map_transcripts([path], embedder=None)
        return time.perf_counter() - started, time.process_time() - started_cpu


def main() -> None:
    print(f"{'text':<22} {'size':>9} {'elapsed s':>10} {'CPU s':>7}")
    kinds = (("unpunctuated sentence", unpunctuated_text), ("repetitive lines", repetitive_lines),
             ("unlabelled lines", unlabelled_lines))
    for name, make in kinds:
        cpu: dict[int, float] = {}
        for size in SIZES:
            elapsed, cpu[size] = offline_mapping_seconds(make(size))
            print(f"{name:<22} {size:>9,} {elapsed:>10.2f} {cpu[size]:>7.2f}", flush=True)
        print(f"{name:<22} 1 MB / 100 KB CPU ratio: {cpu[1_000_000] / cpu[100_000]:.1f} (linear ~10, quadratic ~100)")


if __name__ == "__main__":
    main()
