"""`vsm replay SESSION`: re-extract a session's answers with another model or prompts, and diff the maps."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from agent.checks import check_map
from agent.errors import VsmError
from agent.extraction.offline import OFFLINE_EXTRACTOR_VERSION, extract_offline
from agent.interview.replay import replay_session
from agent.interview.session_log import read_session
from agent.interview.session_state import SessionState
from agent.regular_files import check_output_path
from agent.reports.diff import diff_maps, diff_markdown, diff_text
from agent.storage.map_files import save_map
from schemas.evidence import ProposedBy, Provenance
from schemas.extraction import DraftMap
from schemas.interview import SessionEvent
from schemas.transcript import Transcript


class ReplayError(VsmError):
    pass


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="re-run a session's answers through another model or prompts and diff the maps",
        description="Replay an interview session without the UI: every answer is extracted again (offline, or "
        "with --model and/or --prompts) and the resulting map is compared with the session's own map.",
    )
    parser.add_argument("session", type=Path, help="the session file (sessions/*.jsonl)")
    parser.add_argument("--model", help="model name to extract with (provider and key from settings)")
    parser.add_argument("--prompts", type=Path, help="a folder of prompt files to use instead of the bundled ones")
    parser.add_argument("--offline", action="store_true", help="extract with the offline rules")
    parser.add_argument("-o", "--output", type=Path, help="write the replayed map here")
    parser.add_argument("--format", choices=("text", "md", "json"), default="text", help="how to print the diff")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.output:
        check_output_path(args.output, example_name="replayed.map.json")
    events, notes = read_session(args.session)
    for note in notes:
        print(f"vsm: note: {note}", file=sys.stderr)
    original = SessionState.from_events(events)
    if args.prompts is not None and not args.prompts.is_dir():
        raise ReplayError(f"{args.prompts}: not a folder of prompt files; pass the folder that holds extract_map.md")
    replayed, label = asyncio.run(_replay(events, args))
    if args.output:
        save_map(args.output, replayed.value_map)
    diff = diff_maps(original.value_map, replayed.value_map, check_map(original.value_map),
                     check_map(replayed.value_map))
    print(f"Replayed {len(replayed.answers)} answers of {args.session.name} with {label}.", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(diff.model_dump_json(indent=2) + "\n")
    elif args.format == "md":
        sys.stdout.write(diff_markdown(diff))
    else:
        sys.stdout.write(diff_text(diff))
    return 0


async def _replay(events: Sequence[SessionEvent], args: argparse.Namespace) -> tuple[SessionState, str]:
    from agent.llm.settings import load_settings

    settings = load_settings()
    overrides = {k: v for k, v in (("model", args.model), ("prompts_dir", args.prompts)) if v is not None}
    if overrides:
        settings = settings.model_copy(update=overrides)
    if args.offline or not settings.is_configured():
        if args.model or args.prompts:
            raise ReplayError("--model/--prompts need a configured model endpoint (see `vsm doctor`); "
                              "or pass --offline")

        async def offline(answer: Transcript) -> list[DraftMap]:
            return [extract_offline(answer)]

        provenance = Provenance(proposed_by=ProposedBy.OFFLINE_EXTRACTOR, prompt=OFFLINE_EXTRACTOR_VERSION)
        label = f"offline rules ({OFFLINE_EXTRACTOR_VERSION})"
        return await replay_session(events, offline, provenance=provenance, extractor=label), label

    from agent.extraction.model_extractor import extract_with_model
    from agent.llm.chat_models import chat_model_from_settings

    model = chat_model_from_settings(settings)

    async def with_model(answer: Transcript) -> list[DraftMap]:
        return (await extract_with_model(answer, settings=settings, model=model)).drafts

    from agent.extraction.model_extractor import PROMPT_NAME
    from agent.llm.prompts import load_prompt

    prompt_id = load_prompt(PROMPT_NAME, settings.prompts_dir).id
    provenance = Provenance(proposed_by=ProposedBy.MODEL, model=settings.model, prompt=prompt_id)
    label = f"{settings.provider} model {settings.model} ({prompt_id})"
    return await replay_session(events, with_model, provenance=provenance, extractor=label), label
