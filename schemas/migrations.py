"""Bring a map written by an older version of vsm up to the current schema.

Each migration takes the JSON of version N and returns version N+1. They run on plain JSON before
validation, so an old file never has to fit today's models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemas.value_map import SCHEMA_VERSION

JsonObject = dict[str, Any]

# version N -> function turning a version-N document into version N+1
MIGRATIONS: dict[int, Callable[[JsonObject], JsonObject]] = {}


class SchemaVersionError(ValueError):
    """The document's schema_version is missing, malformed or newer than this vsm knows."""


def migrate(document: JsonObject, *, to: int = SCHEMA_VERSION) -> JsonObject:
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SchemaVersionError(
            f"schema_version is {version!r}; a map needs an integer schema_version (this vsm writes {to})"
        )
    if version > to:
        raise SchemaVersionError(f"schema_version {version} is newer than this vsm understands ({to}); upgrade vsm")
    while version < to:
        step = MIGRATIONS.get(version)
        if step is None:
            raise SchemaVersionError(f"schema_version {version} has no migration to {version + 1}; it is not a vsm map version")
        document = step(document)
        version += 1
        document["schema_version"] = version
    return document
