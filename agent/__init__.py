"""vsm's engine and faces: extraction, grounding, checks, reports, storage, the CLI and the TUI."""

__version__ = "0.1.0"
