"""Train the sentence typer on the tuned examples' gold maps, never on the blind ones.

    python -m agent.extraction.offline.typer.training     # rewrites weights.bin.gz

A sentence is labelled with every element type whose gold quotes it overlaps by the rule `vsm eval` matches
quotes with (`agent.evaluation.spans`: half of the shorter span, or 30 characters). The examples written blind to the extractor (`blind-*`, `held-out-*`) are refused here, so
their scores stay an honest measure of how the extractor does on conversations it has never seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agent.bundled import bundled_path
from agent.evaluation.spans import EvidenceSpan, quotes_overlap, shared_chars
from agent.extraction.offline.reading import read_sentences
from agent.extraction.offline.typer.features import sentence_features
from agent.extraction.offline.typer.model import ELEMENT_LABELS, SentenceTyper, save
from agent.sources import read_transcript
from schemas.elements import Duplication, DuplicationKind, Element, Loss, LossKind, Resistance, Resource
from schemas.value_map import ValueMap

# What a resistance's words say is lacking: "lacks:capacity", ... (the rules' lexicon misses most of it).
RESOURCE_LABELS = tuple(f"lacks:{r.value}" for r in Resource)
# What kind of loss a loss's words report: "loss:churn", ...
LOSS_LABELS = tuple(f"loss:{k.value}" for k in LossKind)
# What shape a duplication's words say it has: "duplication:audience_divergence", ...
DUPLICATION_LABELS = tuple(f"duplication:{k.value}" for k in DuplicationKind)
LABELS = ELEMENT_LABELS + RESOURCE_LABELS + LOSS_LABELS + DUPLICATION_LABELS
# A kind is learned from the sentences of its element only: "lacks:data" answers "which resource?" of a
# resistance, not "is this sentence about data?".
_KIND_OF = ({label: "Resistance" for label in RESOURCE_LABELS} | {label: "Loss" for label in LOSS_LABELS}
            | {label: "Duplication" for label in DUPLICATION_LABELS})
BLIND_PREFIXES = ("blind-", "held-out-")
EPOCHS = 8
LEARNING_RATE = 0.3
L2 = 1e-3
MIN_FEATURE_COUNT = 2  # a word seen in one training sentence only says more about that sentence than about talk


@dataclass(frozen=True)
class LabelledSentence:
    example: str
    features: tuple[str, ...]
    labels: frozenset[str]


def is_blind(folder: Path) -> bool:
    """Written without looking at the extractor: the held-out example and every `blind-*` one."""
    return folder.name.startswith(BLIND_PREFIXES)


def tuned_examples() -> list[Path]:
    root = bundled_path("transcripts")
    return sorted(p for p in root.iterdir() if (p / "map.json").is_file() and not is_blind(p))


def labelled_sentences(folder: Path) -> list[LabelledSentence]:
    """Every evidence sentence of an example's transcripts, labelled by the gold elements that quote it."""
    if is_blind(folder):
        raise ValueError(f"{folder.name} was written blind to the extractor; it must never be trained on")
    # The gold map is read as data, not through storage: extraction sits below storage and mapping.
    gold = ValueMap.model_validate_json((folder / "map.json").read_text(encoding="utf-8"))
    interviewers = [p.name for s in gold.sources for p in s.stakeholders if p.interviewer]
    out: list[LabelledSentence] = []
    for source in gold.sources:
        if not source.path:
            continue
        transcript = read_transcript(folder.parents[1] / source.path, source_id=source.id, interviewers=interviewers)
        reading = read_sentences(transcript)
        spans = _gold_spans(gold, source.id)
        for sentence in reading.sentences:
            if not sentence.evidence:
                continue
            start = transcript.turns[sentence.turn].start + sentence.start
            said = EvidenceSpan(source.id, start, start + len(sentence.text), sentence.text)
            labels = frozenset(label for label, quote in spans if quotes_overlap(shared_chars(said, quote), said, quote))
            features = tuple(sentence_features(sentence.text, reading.question(sentence.turn)))
            out.append(LabelledSentence(folder.name, features, labels))
    return out


def _gold_spans(gold: ValueMap, source_id: str) -> list[tuple[str, EvidenceSpan]]:
    return [(label, EvidenceSpan(source_id, q.start, q.end, q.text)) for e in gold.elements() for label in _labels_of(e)
            for q in e.evidence if q.source_id == source_id and q.start is not None and q.end is not None]


def _labels_of(element: Element) -> list[str]:
    labels = [type(element).__name__]
    if isinstance(element, Resistance):
        labels += [f"lacks:{r.value}" for r in element.resources_lacking]
    if isinstance(element, Loss):
        labels.append(f"loss:{element.kind.value}")
    if isinstance(element, Duplication):
        labels.append(f"duplication:{element.kind.value}")
    return labels


def train(samples: Sequence[LabelledSentence], trained_on: Sequence[str] = ()) -> SentenceTyper:
    """Logistic regression per label by stochastic gradient descent, in a fixed order (same data, same weights)."""
    blind = sorted({s.example for s in samples if is_blind(Path(s.example))} | {n for n in trained_on if is_blind(Path(n))})
    if blind:
        raise ValueError(f"{', '.join(blind)} written blind to the extractor; they must never be trained on")
    counts: dict[str, int] = {}
    for sample in samples:
        for feature in sample.features:
            counts[feature] = counts.get(feature, 0) + 1
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT)
    column = {f: i for i, f in enumerate(vocabulary)}
    rows = [np.array([column[f] for f in s.features if f in column], dtype=np.int64) for s in samples]
    targets = np.array([[label in s.labels for label in LABELS] for s in samples], dtype=np.float64)
    learns = np.array([[_KIND_OF.get(label, label) in s.labels or label not in _KIND_OF for label in LABELS]
                       for s in samples], dtype=np.float64)
    weights = np.zeros((len(vocabulary), len(LABELS)))
    order = np.random.default_rng(0)
    for _ in range(EPOCHS):
        for i in order.permutation(len(samples)):
            features = rows[i]
            predicted = 1.0 / (1.0 + np.exp(-weights[features].sum(axis=0)))
            weights[features] -= LEARNING_RATE * (learns[i] * (predicted - targets[i]) + L2 * weights[features])
    kept = {f: tuple(float(w) for w in weights[column[f]]) for f in vocabulary if np.abs(weights[column[f]]).max() >= 1e-4}
    return SentenceTyper(LABELS, kept, tuple(trained_on))


def train_on(folders: Sequence[Path]) -> SentenceTyper:
    samples = [s for folder in folders for s in labelled_sentences(folder)]
    return train(samples, [f.name for f in folders])


def main() -> None:
    folders = tuned_examples()
    typer = train_on(folders)
    save(typer)
    print(f"trained on {len(folders)} examples; {len(typer.weights)} features kept")


if __name__ == "__main__":
    main()
