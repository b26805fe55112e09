"""Clock times as transcripts write them ("01:02:03.450", "02:03,4", "75:30") turned into seconds.

One reader for every format, so a cue timing, a `[00:01:02]` stamp and a JSON `"start": "00:01:02"` mean
the same number.
"""

from __future__ import annotations

import re

# For embedding in larger patterns: hours are optional, fractions may use a comma (SubRip) or a dot.
CLOCK_TIME = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,6})?"

_CLOCK_PARTS = re.compile(r"(\d{1,3}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,6}))?")


def parse_clock_time(text: str) -> float | None:
    """Seconds for `H:MM:SS(.fff)` or `M:SS(.fff)`; None when the text is not a valid clock time."""
    match = _CLOCK_PARTS.fullmatch(text.strip())
    if match is None:
        return None
    first, second, third, fraction = match.groups()
    if third is None:  # M:SS; minutes may exceed 59 ("75:30" in a long podcast)
        hours, minutes, seconds = 0, int(first), int(second)
    else:
        hours, minutes, seconds = int(first), int(second), int(third)
        if minutes >= 60:
            return None
    if seconds >= 60:
        return None
    total = hours * 3600 + minutes * 60 + seconds
    if fraction:
        total += int(fraction) / 10 ** len(fraction)
    return float(total)
