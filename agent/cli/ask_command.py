"""`vsm ask QUESTION`: the passages of the workspace's transcripts that answer it, or a cited answer.

With no model configured (or `--offline`) it prints the ranked passages: who said it, from which source,
where, and the words. With a model, the model answers from those passages only; every quote it cites is
verified against the source transcript in `sources/`, and a quote the transcripts do not hold is dropped
and reported.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from agent.errors import VsmError
from schemas.elements import Perspective

if TYPE_CHECKING:
    from agent.evidence_store import AnsweredQuestion, Passage

EMBEDDERS = ("minilm", "openai")
_WIDTH = 100
_INDENT = "    "


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="answer a question from the workspace's transcripts, with verified quotes",
        description="Find the passages of the workspace's transcripts that answer a question (by meaning and "
        "by keyword). With a model configured, it answers from those passages only, citing them; every quote "
        "is checked against its transcript. Without one, it prints the passages, best first.",
    )
    parser.add_argument("question")
    parser.add_argument("--k", type=int, default=8, help="passages to retrieve (default 8)")
    parser.add_argument("--source", metavar="ID", help="only passages from this source")
    parser.add_argument("--perspective", choices=[p.value for p in Perspective],
                        help="only passages from internal or customer sources")
    parser.add_argument("--offline", action="store_true", help="print the passages even if a model is configured")
    default_embedder = os.environ.get("VSM_EMBEDDER", "minilm")
    parser.add_argument(
        "--embedder", choices=EMBEDDERS, default=default_embedder if default_embedder in EMBEDDERS else "minilm",
        help="the embedder the sources were stored with: minilm (offline, default) or openai; env VSM_EMBEDDER",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from agent.evidence_store import EvidenceStore
    from agent.semantics import embedder_from_settings
    from agent.storage import Workspace

    if args.k < 1:
        raise VsmError(f"--k {args.k}: ask for at least one passage")
    workspace = Workspace.find(Path.cwd())
    if workspace is None:
        raise VsmError(f"{Path.cwd()}: not inside a vsm workspace; create one with `vsm init NAME`, add "
                       "transcripts with `vsm add FILE`, and ask from inside it")
    store = EvidenceStore.open(workspace.root, embedder=embedder_from_settings(args.embedder))
    from agent.engagement_evidence import store_coverage

    coverage = store_coverage(store, workspace)
    advice = coverage.advice(store.location)
    if store.count() == 0:
        if advice:
            raise VsmError(f"no evidence stored yet: {advice}")
        raise VsmError(f"{workspace.root}: no evidence stored yet; add transcripts with `vsm add FILE`")
    if advice:
        print(f"vsm: note: {advice}", file=sys.stderr)
    if args.source is not None and store.source(args.source) is None:
        known = ", ".join(source.id for source in store.sources())
        raise VsmError(f"no source {args.source!r} in the evidence store (sources: {known})")
    where = {key: value for key, value in (("source_id", args.source), ("perspective", args.perspective)) if value}
    passages = store.search(args.question, k=args.k, where=where, exclude_sources=coverage.half_added)
    if not passages and coverage.half_added:
        raise VsmError(f"no passages to answer from yet: {advice}")
    if not passages:
        print(f"No passages match {args.question!r}" + (" with those filters." if where else "."))
        return 0

    from agent.llm.settings import load_settings

    settings = load_settings(workspace.root)
    if args.offline or not settings.is_configured():
        why = "--offline" if args.offline else "no model configured"
        print(f"Passages for {args.question!r}, best first ({why}):\n")
        sys.stdout.write(passages_as_text(passages))
        return 0

    from agent.evidence_store import answer_from_passages
    from agent.llm.chat_models import chat_model_from_settings

    print(f"Answering from {len(passages)} passages with {settings.provider} model {settings.model}.",
          file=sys.stderr)
    from agent.engagement_evidence import workspace_transcripts

    transcripts, notes = workspace_transcripts(workspace, [p.source_id for p in passages])
    for note in notes:
        print(f"vsm: note: {note}", file=sys.stderr)
    answered = answer_from_passages(args.question, passages, transcripts, chat_model_from_settings(settings),
                                    prompts_dir=settings.prompts_dir)
    sys.stdout.write(answer_as_text(answered))
    return 0


def passage_heading(number: int, passage: Passage) -> str:
    from agent.evidence_store.answering import passage_address

    detail = ", ".join(part for part in (passage.perspective, passage.role) if part)
    return f"[{number}] {passage.speaker or 'unnamed speaker'} ({detail}) · {passage_address(passage)}"


def quoted(text: str) -> str:
    return textwrap.fill(f"\u201c{' '.join(text.split())}\u201d", width=_WIDTH, initial_indent=_INDENT,
                         subsequent_indent=_INDENT)


def passages_as_text(passages: Sequence[Passage]) -> str:
    return "".join(f"{passage_heading(n, p)}\n{quoted(p.text)}\n\n" for n, p in enumerate(passages, start=1))


def answer_as_text(answered: AnsweredQuestion) -> str:
    lines = [textwrap.fill(answered.answer, width=_WIDTH) if answered.answer else "(the model gave no answer)", ""]
    if answered.citations:
        lines.append("Quotes (verified in the transcripts):")
        for citation in answered.citations:
            lines += [passage_heading(citation.number, citation.passage), quoted(citation.text)]
        lines.append("")
    if answered.dropped:
        count = len(answered.dropped)
        lines.append(f"Dropped {count} quote{'s' if count != 1 else ''} the transcripts do not bear out:")
        for dropped in answered.dropped:
            lines.append(f"{_INDENT}[{dropped.number}] \u201c{dropped.text}\u201d ({dropped.reason.replace('_', ' ')})")
        lines.append("")
    if answered.uncited:
        markers = "".join(f"[{n}]" for n in answered.uncited)
        lines += [f"Citations {markers} were removed from the answer: no verified quote supports them.", ""]
    return "\n".join(lines)
