"""How long a piece of work takes, as a shared machine lets a test say it.

Wall-clock time counts every other process on the cores: one suite run measured 1.13 s for grounding a hundred
quotes that take 0.19-0.35 s on a quiet machine, and failed. The CPU time this process spends, best of a few
runs, is the work's own cost; budgets in seconds belong in `benchmarks/`, and a test only guards against a cost
that is wrong by an order of magnitude (a quadratic search, a file read that should not happen).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def best_cpu_seconds(work: Callable[[], T], runs: int = 3) -> tuple[float, T]:
    """The least CPU time of `runs` calls of `work`, and what the last call returned."""
    spent: list[float] = []
    result: T
    for _ in range(runs):
        started = time.process_time()
        result = work()
        spent.append(time.process_time() - started)
    return min(spent), result
