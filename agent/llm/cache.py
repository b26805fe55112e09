"""Model answers kept on disk, so a rerun (or a run resumed after a failure) pays only for what is new.

One file per answer, named by a hash of everything that decides the answer: the chunk's text, the
prompt id and version, the model, the endpoint (provider and base_url) and the answer schema. Only
answers that validated are stored. Writes are atomic; an unreadable file counts as a miss.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.storage.atomic import write_text_atomic


class CachedResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the validated answer, as JSON")
    input_tokens: int
    output_tokens: int
    model: str
    prompt_id: str
    created: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


def cache_key(*, chunk_text: str, prompt_id: str, model: str, endpoint: str, schema_hash: str) -> str:
    parts = [chunk_text, prompt_id, model, endpoint, schema_hash]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def schema_hash(schema: dict[str, object]) -> str:
    """A short, stable hash of a JSON schema: it changes whenever the answer's shape does."""
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode("utf-8")).hexdigest()[:16]


class ResponseCache:
    """Answers by cache key, as files under `folder` (a workspace's `cache/llm`, typically)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __repr__(self) -> str:
        return f"ResponseCache({str(self.folder)!r})"

    def path_for(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedResponse | None:
        try:
            return CachedResponse.model_validate_json(self.path_for(key).read_bytes())
        except (FileNotFoundError, ValidationError, UnicodeDecodeError):
            return None

    def put(self, key: str, response: CachedResponse) -> None:
        write_text_atomic(self.path_for(key), response.model_dump_json(indent=1) + "\n")
