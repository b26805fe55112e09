"""The diagram's colours stay apart for colour-blind readers: deuteranopia and protanopia simulated.

Simulation by the Machado, Oliveira and Fernandes (2009) matrices at full severity, in linear RGB; the
distance is CIE76 delta E in Lab. Every two kinds must differ by
at least 20 (clearly different at a glance). Gate and final gate share a hue on purpose and are told
apart by shape (double posts) and by their written kind; the browser test also keeps a deuteranopia
screenshot of a real report for a person to look at.
"""

from __future__ import annotations

import itertools

import pytest

from agent.reports.layout import CardKind
from agent.reports.svg import CARD_STYLES

DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881))
PROTANOPIA = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998))
APART = 20.0
SAME_HUE_BY_DESIGN = {frozenset({CardKind.GATE, CardKind.FINAL_GATE})}
Matrix = tuple[tuple[float, float, float], ...]


def _linear(hex_colour: str) -> list[float]:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def _seen(hex_colour: str, matrix: Matrix | None) -> list[float]:
    rgb = _linear(hex_colour)
    if matrix is None:
        return rgb
    return [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix]


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047
    y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: str, b: str, matrix: Matrix | None) -> float:
    la, lb = _lab(_seen(a, matrix)), _lab(_seen(b, matrix))
    return float(sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5)


@pytest.mark.parametrize("vision", [None, DEUTERANOPIA, PROTANOPIA], ids=["typical", "deuteranopia", "protanopia"])
def test_card_kinds_stay_apart_in_colour(vision: Matrix | None) -> None:
    close = []
    for (kind_a, a), (kind_b, b) in itertools.combinations(CARD_STYLES.items(), 2):
        if frozenset({kind_a, kind_b}) in SAME_HUE_BY_DESIGN:
            continue
        distance = delta_e(a.stroke, b.stroke, vision)
        if distance < APART:
            close.append(f"{kind_a.value} and {kind_b.value}: delta E {distance:.0f}")
    assert close == []


def test_the_simulation_can_tell_a_bad_palette() -> None:
    # The palette this replaced: a gate's orange-brown and a loss's red look alike to a deuteranope.
    assert delta_e("#9a4d00", "#a32018", None) > APART
    assert delta_e("#9a4d00", "#a32018", DEUTERANOPIA) < APART / 2


def test_card_text_is_dark_enough_on_its_fill() -> None:
    def luminance(colour: str) -> float:
        r, g, b = _linear(colour)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    for kind, style in CARD_STYLES.items():
        light, dark = luminance(style.fill), luminance(style.ink)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, kind
