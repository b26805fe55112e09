"""A small learned reader: for each evidence sentence, how likely each element type quotes it.

One logistic regression per label over `features.sentence_features`, trained on the tuned examples' gold
maps (`training.py`) and shipped as one gzipped file: a JSON line (labels, `trained_on`, features in order),
then the weight matrix as little-endian float32, which loads in milliseconds. The rules stay the
extractor; this is one more cue they consult, where their own lexicons carry over worst to conversations
they have never seen (is this a point of resistance? a step of the stream? a value told?). Labels are
element type names ("Threshold") and, for resistances, losses and duplications, what kind
("lacks:capacity", "loss:churn", "duplication:layering").
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("weights.bin.gz")
ELEMENT_LABELS = ("Stage", "ValueEvocationPoint", "Resistance", "Threshold", "GiveGetExchange", "ValueProposition",
                  "Duplication", "Loss")


@dataclass(frozen=True, eq=False)
class SentenceTyper:
    """Weights per feature, one per label; `trained_on` names the example folders it learned from."""

    labels: tuple[str, ...]
    weights: Mapping[str, Sequence[float]]
    trained_on: tuple[str, ...] = ()
    _rows: dict[str, int] = field(init=False, repr=False, compare=False)
    _matrix: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        features = sorted(self.weights)
        object.__setattr__(self, "_rows", {f: i for i, f in enumerate(features)})
        matrix = np.array([self.weights[f] for f in features], dtype=np.float64).reshape(len(features), len(self.labels))
        object.__setattr__(self, "_matrix", matrix)

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        rows = [self._rows[f] for f in features if f in self._rows]
        totals = np.clip(self._matrix[rows].sum(axis=0), -30.0, 30.0)
        return dict(zip(self.labels, (1.0 / (1.0 + np.exp(-totals))).tolist(), strict=True))

    def to_bytes(self) -> bytes:
        """The JSON header, then the matrix `__post_init__` built (rows in sorted feature order) as float32."""
        header = json.dumps({"labels": self.labels, "trained_on": self.trained_on, "features": sorted(self.weights)})
        return header.encode("utf-8") + b"\n" + self._matrix.astype("<f4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> SentenceTyper:
        header, _, body = data.partition(b"\n")
        meta = json.loads(header)
        labels, features = tuple(meta["labels"]), meta["features"]
        if len(body) != 4 * len(labels) * len(features):
            raise ValueError(f"{WEIGHTS_FILE.name} is damaged ({len(body)} bytes of weights); reinstall vsm")
        matrix = np.frombuffer(body, dtype="<f4").reshape(len(features), len(labels)).astype(np.float64)
        return cls(labels, dict(zip(features, matrix, strict=True)), tuple(meta["trained_on"]))


def save(typer: SentenceTyper, path: Path = WEIGHTS_FILE) -> None:
    """Written reproducibly (no timestamp in the gzip header): retraining on the same examples changes no byte."""
    path.write_bytes(gzip.compress(typer.to_bytes(), mtime=0))


@cache
def bundled_typer() -> SentenceTyper:
    return SentenceTyper.from_bytes(gzip.decompress(WEIGHTS_FILE.read_bytes()))
