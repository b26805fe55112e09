"""The sentence typer: a small learned model the offline rules consult (see `model.py`, `training.py`)."""
