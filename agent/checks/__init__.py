"""Deterministic checks: where a map shows False Value Mapping, why, and what to ask next.

Importing this package registers every check; `check_map` runs them.
"""

from agent.checks import duplication, evidence, exchanges, final, stream, thresholds  # noqa: F401  (registration)
from agent.checks.registry import CHECKS, Check, Hit
from agent.checks.runner import check_map

__all__ = ["CHECKS", "Check", "Hit", "check_map"]
