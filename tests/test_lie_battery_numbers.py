"""The lie battery's "number written" positives change how a number is written, never which number it is."""

from __future__ import annotations

import re

import pytest

from benchmarks.lie_battery import _spoken_value, battery


@pytest.mark.parametrize(("spoken", "value"), [
    ("forty-nine", 49), ("fourteen", 14), ("twenty one", 21), ("eight hundred", 800),
    ("a hundred and twenty", 120), ("three hundred and ninety", 390), ("two thousand five hundred", 2500),
])
def test_a_spoken_number_is_read_as_its_value(spoken: str, value: int) -> None:
    assert _spoken_value(spoken) == value


@pytest.mark.parametrize("spoken", ["six ninety-nine", "fifty-nine ninety-nine", "thirty-five ninety-nine",
                                    "nineteen ninety-nine", "five hundred hundred"])
def test_a_price_or_year_idiom_is_not_read_as_a_sum(spoken: str) -> None:
    assert _spoken_value(spoken) is None  # 6.99 is not 105, 59.99 is not 158


def test_no_positive_writes_a_price_idiom_as_another_number() -> None:
    idiom = re.compile(r"\b(?:six|fifty-nine|thirty-five) ninety-nine\b", re.IGNORECASE)
    priced = [v for v in battery() if v.kind == "number written" and idiom.search(v.gold.text)]
    assert priced  # the blind budgeting example states its prices this way
    for variant in priced:
        assert idiom.findall(variant.text) == idiom.findall(variant.gold.text), variant.text


def test_digits_inside_a_name_are_not_a_number_to_write_out() -> None:
    named = [v for v in battery() if "NIS2" in v.gold.text]
    assert named  # the Lurewise example names the EU directive
    assert all("NIStwo" not in v.text for v in named if v.kind == "number written")
