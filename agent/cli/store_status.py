"""The evidence store as `vsm doctor` shows it: where it is, its collection, what it holds, and what it lacks.

A workspace pointed at another store (a Chroma server after the embedded one, or the reverse) holds
none of its passages there until `vsm reindex`; this says so with the numbers, and the fix.
"""

from __future__ import annotations

import os
from pathlib import Path

from agent.errors import VsmError


def evidence_store_lines(workspace_root: Path | None) -> tuple[list[str], str | None]:
    """Lines to print under "evidence store", and the problem to report (None when it is usable)."""
    from agent.evidence_store.store import SERVER_URL_ENV, redacted_url

    url = os.environ.get(SERVER_URL_ENV, "").strip()
    where = f"Chroma server {redacted_url(url)} ({SERVER_URL_ENV})" if url else "embedded, in the workspace's chroma/"
    if workspace_root is None:
        return [f"  store:       {where}", "  workspace:   none here (run vsm doctor inside a workspace to see "
                "what its store holds)"], None
    from agent.engagement_evidence import store_coverage
    from agent.evidence_store import EvidenceStore
    from agent.semantics import embedder_from_settings
    from agent.storage import Workspace

    kind = os.environ.get("VSM_EMBEDDER", "minilm").strip().lower()
    try:
        workspace = Workspace.open(workspace_root)
        store = EvidenceStore.open(workspace.root, embedder=embedder_from_settings(kind if kind == "openai" else "minilm"))
        coverage = store_coverage(store, workspace)
        count = store.count()
    except (VsmError, ValueError, RuntimeError) as err:
        return [f"  store:       {where}", f"  status:      cannot be used: {err}"], f"the evidence store: {err}"
    location = f"Chroma server {store.location}" if url else f"embedded, {store.location}"
    lines = [f"  store:       {location}",
             f"  collection:  {store.collection_name}, {count:,} passages, embedder {store.embedder_name}"]
    advice = coverage.advice(store.location)
    if advice:
        lines.append(f"  lacks:       {advice}")
    else:
        lines.append(f"  sources:     all {coverage.sources} of the workspace's sources stored")
    return lines, None
