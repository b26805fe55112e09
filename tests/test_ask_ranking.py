"""`vsm ask` without a model: passages that answer come first, and a question is never evidence.

Measured on the labelled questions over the bundled examples (tests/data/ask/questions.json; the full
table is `python -m benchmarks.ask_ranking`)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from agent.evidence_store import EvidenceStore
from agent.semantics import embedder_from_settings
from agent.sources import read_transcript
from agent.storage import Workspace
from benchmarks.ask_ranking import QUESTIONS, K, bundled_store, judge
from tests.cli_runner import run_vsm

ENV = {"VSM_LLM_MODEL": "", "OPENAI_API_KEY": "", "VSM_CHROMA_URL": ""}
PODCAST = """Sam: Welcome back to the show. Today: why do customers stall before paying?

Dana: In our case it is the security review. Their IT department sends a questionnaire with two hundred questions and the deal sits there for a month.

Sam: Why do customers stall before paying, in your experience, when the trial went well?

Dana: Because the price doubles after the first year, and the finance director wants three quotes before signing anything.

Sam: Interesting. And what about onboarding?

Dana: Onboarding is fine, people like the setup call.
"""


@pytest.fixture(scope="module")
def judged_rankings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[float, float, int]]:
    store, texts = bundled_store(tmp_path_factory.mktemp("ranking"))
    questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    results = {}
    for ranking in ("fused", "answers"):
        judged = [judge(store.search(q["question"], k=K, ranking=ranking), [tuple(r) for r in q["relevant"]], texts)
                  for q in questions]
        results[ranking] = (statistics.mean(j.ndcg5 for j in judged), statistics.mean(j.recall8 for j in judged),
                            sum(j.questions_shown for j in judged))
    return results


def test_answer_aware_ranking_puts_answering_passages_first_on_the_labelled_questions(
    judged_rankings: dict[str, tuple[float, float, int]],
) -> None:
    ndcg, recall, asked = judged_rankings["answers"]
    before_ndcg, before_recall, _ = judged_rankings["fused"]
    assert ndcg >= 0.65 and ndcg > before_ndcg + 0.1  # measured 0.70 against 0.51 for the plain fusion
    assert recall >= before_recall
    assert asked == 0


def test_a_hosts_unmarked_questions_are_never_the_evidence_shown_first(tmp_path: Path) -> None:
    space = Workspace.init(tmp_path / "podcast")
    path = space.folder("sources") / "episode.md"
    path.write_text(PODCAST, encoding="utf-8")
    store = EvidenceStore.open(space.root, embedder=embedder_from_settings("minilm"))
    transcript = read_transcript(path, source_id="episode", interviewers=[])  # nobody told vsm Sam is the host
    assert not any(turn.interviewer for turn in transcript.turns)
    store.add_transcript(transcript, source_id="episode", content_hash="1")
    passages = store.search("why do customers stall before paying?", k=4)
    assert [p.speaker for p in passages[:3]] == ["Dana", "Dana", "Dana"]
    semantic = store.search("why do customers stall before paying?", k=1, ranking="semantic")
    assert semantic[0].speaker == "Sam"  # what a ranking by meaning alone shows first


def test_vsm_ask_shows_answers_not_the_hosts_questions(tmp_path: Path) -> None:
    root = tmp_path / "show"
    assert run_vsm("init", root, cwd=tmp_path).returncode == 0
    (tmp_path / "episode.md").write_text(PODCAST, encoding="utf-8")
    assert run_vsm("add", tmp_path / "episode.md", cwd=root, env=ENV).returncode == 0
    asked = run_vsm("ask", "why do customers stall before paying?", "--k", "3", cwd=root, env=ENV)
    assert asked.returncode == 0, asked.stderr
    first = asked.stdout.split("[1] ")[1].split("\n")[0]
    assert first.startswith("Dana") and "Welcome back" not in asked.stdout
