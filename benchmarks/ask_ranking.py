"""How well `vsm ask` ranks passages without a model: nDCG@5 and recall@8 on labelled questions.

    python -m benchmarks.ask_ranking

Method. The six bundled transcripts (four examples) are stored in an evidence store as `vsm add` stores
them (MiniLM vectors, the usual interviewer names marked). `tests/data/ask/questions.json` holds 14
questions a consultant would ask of them, each with the passages that answer it, written by reading the
transcripts before any ranking was measured: a passage is relevant when it comes from the named
transcript and holds one of the listed phrases. For each question the top 8 passages are judged:
nDCG@5 (binary gain, ideal = all relevant passages first) and recall@8 (relevant passages found among the
8, out of at most 8). Also counted: passages in the top 8 that are questions (an interviewer's turn, or a
turn that only asks), which are never evidence. Each ranking is reported: semantic alone, the fusion of
semantic and keyword ranks (`vsm ask` before), and the answer-aware ranking `vsm ask` uses now.
"""

from __future__ import annotations

import json
import math
import statistics
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.evidence_store import EvidenceStore, Passage
from agent.evidence_store.store import RANKINGS
from agent.mapping import USUAL_INTERVIEWERS
from agent.semantics import embedder_from_settings
from agent.sources import read_transcript
from agent.storage import Workspace

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "ask" / "questions.json"
TRANSCRIPTS = ROOT / "transcripts"
K = 8


@dataclass(frozen=True)
class Judged:
    ndcg5: float
    recall8: float
    questions_shown: int


def source_id(relative: str) -> str:
    return relative.removesuffix(".md").replace("/", "-")


def labelled_transcripts() -> list[Path]:
    """The transcripts the questions were labelled on (the six of the method): passages of an example added
    later were never judged, so storing it would count its answers as wrong."""
    questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    return sorted({TRANSCRIPTS / relevant[0] for question in questions for relevant in question["relevant"]})


def bundled_store(folder: Path) -> tuple[EvidenceStore, dict[str, list[str]]]:
    """A store holding the labelled transcripts, and every stored passage's text by source id."""
    space = Workspace.init(folder / "ask-ranking")
    store = EvidenceStore.open(space.root, embedder=embedder_from_settings("minilm"))
    texts: dict[str, list[str]] = {}
    for path in labelled_transcripts():
        relative = path.relative_to(TRANSCRIPTS).as_posix()
        transcript = read_transcript(path, source_id=source_id(relative), interviewers=USUAL_INTERVIEWERS)
        store.add_transcript(transcript, source_id=source_id(relative), content_hash=relative)
        from agent.evidence_store import chunk_transcript

        texts[source_id(relative)] = [c.text for c in chunk_transcript(transcript) if not c.turn.interviewer]
    return store, texts


def relevant(passage: Passage, labels: Sequence[tuple[str, str]]) -> bool:
    return any(passage.source_id == source_id(file) and phrase in passage.text for file, phrase in labels)


def judge(passages: Sequence[Passage], labels: Sequence[tuple[str, str]], texts: dict[str, list[str]]) -> Judged:
    total = sum(1 for file, phrase in labels for text in texts[source_id(file)] if phrase in text)
    gains = [1.0 if relevant(p, labels) else 0.0 for p in passages[:K]]
    dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains[:5]))
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(5, total)))
    asked = sum(1 for p in passages[:K] if p.interviewer or _only_asks(p.text))
    return Judged(ndcg5=dcg / ideal if ideal else 0.0, recall8=sum(gains) / min(K, total) if total else 0.0,
                  questions_shown=asked)


def _only_asks(text: str) -> bool:
    return text.rstrip().endswith("?") and len(text.split()) < 30


def main() -> None:
    questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    with tempfile.TemporaryDirectory() as folder:
        store, texts = bundled_store(Path(folder))
        print(f"{len(questions)} questions, {store.count()} passages stored; top {K} judged\n")
        print(f"{'ranking':<34} {'nDCG@5':>7} {'recall@8':>9} {'questions shown':>16}")
        for ranking in RANKINGS:
            judged = [judge(store.search(q["question"], k=K, ranking=ranking), [tuple(r) for r in q["relevant"]],
                            texts) for q in questions]
            print(f"{ranking:<34} {statistics.mean(j.ndcg5 for j in judged):>7.3f} "
                  f"{statistics.mean(j.recall8 for j in judged):>9.3f} {sum(j.questions_shown for j in judged):>16}")


if __name__ == "__main__":
    main()
