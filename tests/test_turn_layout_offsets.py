"""Offsets into a turn's whitespace-collapsed text, worked out once per turn instead of per offset."""

from __future__ import annotations

import random

from agent.sources.turn_layout import _Collapsed


def test_an_offset_maps_as_splitting_the_text_before_it_would() -> None:
    rng = random.Random(7)
    for _ in range(300):
        raw = "".join(rng.choice(["ab", "c", " ", "  ", "\n", "\t", "xyz"]) for _ in range(rng.randint(0, 30)))
        collapsed = _Collapsed(raw)
        for offset in range(len(raw) + 1):
            before = raw[:offset].split()
            assert collapsed.at(offset) == (len(" ".join(before)), bool(before), bool(raw[offset:].strip())), (raw, offset)

