"""The evidence store: every source's turns as passages with vectors, searched by meaning and by keyword.

`EvidenceStore.open(workspace_root, embedder=...)` opens the workspace's Chroma collection (embedded, or a
server via `VSM_CHROMA_URL`); `add_transcript` chunks a transcript by turns and upserts it idempotently;
`search` fuses semantic and keyword rankings. `answer_from_passages` lets a chat model answer a question
from retrieved passages only, keeping the quotes that ground in the transcripts and dropping the rest.
Importing this package imports neither chromadb nor a model.
"""

from agent.evidence_store.answering import (
    AnsweredQuestion,
    Citation,
    DroppedQuote,
    answer_from_passages,
)
from agent.evidence_store.chunking import Chunk, chunk_transcript
from agent.evidence_store.models import AddResult, Passage, StoredSource
from agent.evidence_store.store import (
    CHROMA_FOLDER,
    SERVER_URL_ENV,
    EvidenceStore,
    EvidenceStoreError,
    collection_name,
)

__all__ = [
    "CHROMA_FOLDER",
    "SERVER_URL_ENV",
    "AddResult",
    "AnsweredQuestion",
    "Chunk",
    "Citation",
    "DroppedQuote",
    "EvidenceStore",
    "EvidenceStoreError",
    "Passage",
    "StoredSource",
    "answer_from_passages",
    "chunk_transcript",
    "collection_name",
]
