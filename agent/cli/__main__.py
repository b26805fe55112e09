"""`python -m agent.cli` is `vsm`."""

from agent.cli import entry_point

entry_point()
