"""`vsm interview`: run a discovery interview in the terminal app; resume or list saved sessions.

Sessions live in the workspace's `sessions/` (inside a vsm workspace), else in `./vsm-sessions/`.
With no model configured the interview runs offline (question bank, offline extraction rules) and
says so in the header. Textual, LangChain and the embedder are imported lazily: `vsm --help` never
loads them, and the app shows its first screen before a model client or MiniLM is built.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from agent.cli.options import add_embedder_option
from agent.errors import VsmError
from agent.storage import Workspace
from schemas.elements import Perspective

if TYPE_CHECKING:

    from agent.checks.divergence import TextEmbedder
    from agent.interview.engine import InterviewEngine

SESSIONS_OUTSIDE_WORKSPACE = "vsm-sessions"


class InterviewCommandError(VsmError):
    pass


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "interview",
        help="interview a stakeholder: questions planned from the map, answers mapped as they come",
        description="Open the interview app. Each answer is written to the session file first, then extracted "
        "into the map; the checks and the coverage of the seven diagnostic steps decide the next question. "
        "Sessions are kept in the workspace's sessions/ folder (or ./vsm-sessions/ outside a workspace).",
    )
    parser.add_argument("--stakeholder", metavar="NAME", help="who is interviewed (starts a new session)")
    parser.add_argument("--role", help="the stakeholder's role, e.g. 'Head of Growth'")
    parser.add_argument("--perspective", choices=[p.value for p in Perspective], default="internal",
                        help="the stakeholder's side: internal (the organisation, default) or customer")
    parser.add_argument("--minutes", type=float, help="the time planned; late in the session, only the most "
                        "important questions are asked")
    parser.add_argument("--interviewer", default="Interviewer", metavar="NAME", help="your name, as it appears in the session")
    parser.add_argument("--resume", nargs="?", const="", metavar="SESSION_FILE", type=str,
                        help="continue a saved session where it stopped (default: the most recent one)")
    parser.add_argument("--list", action="store_true", help="list the saved sessions and exit")
    parser.add_argument("--offline", action="store_true",
                        help="use the question bank and offline extraction even if a model is configured")
    add_embedder_option(parser)
    parser.set_defaults(run=run)


def sessions_folder(cwd: Path) -> Path:
    workspace = Workspace.find(cwd)
    return workspace.folder("sessions") if workspace else cwd / SESSIONS_OUTSIDE_WORKSPACE


def run(args: argparse.Namespace) -> int:
    folder = sessions_folder(Path.cwd())
    if args.list:
        sys.stdout.write(session_listing(folder))
        return 0
    _check_arguments(args)
    engine, mode = open_engine(args, folder)
    loader = _embedder_loader(args.embedder)

    from agent.interview.session_files import summary_path
    from agent.tui.app import InterviewApp, Phase  # lazy: the only import of Textual

    app = InterviewApp(engine, mode=mode, embedder_loader=loader)
    app.run()
    if app.phase is Phase.EXTRACTING:
        print("Finishing the map update of the last answer (the answer itself is saved)...", flush=True)
        app.wait_for_extraction(timeout=120)
    print(f"Session saved in {engine.log.path}")
    try:
        map_path, transcript_path = engine.save_outputs()
    except VsmError as err:  # the log holds everything; the derived files can be written on the next resume
        print(f"vsm: note: the session's map was not written ({err})", file=sys.stderr)
    else:
        print(f"Its map: {map_path}  (vsm check {_shell_word(map_path)}; vsm report {_shell_word(map_path)})\n"
              f"Its transcript: {transcript_path}\n"
              f"Its summary (what stayed uncovered, questions for next time): {summary_path(engine.log.path)}")
    print(f"Continue it with: vsm interview --resume {_shell_word(engine.log.path)}")
    return app.return_code or 0


def _shell_word(path: Path) -> str:
    return shlex.quote(str(path))


def _check_arguments(args: argparse.Namespace) -> None:
    if args.resume is not None and args.stakeholder:
        raise InterviewCommandError("--resume continues a saved session; --stakeholder starts a new one: give one")
    if args.resume is None and not (args.stakeholder or "").strip():
        raise InterviewCommandError("give --stakeholder NAME to start an interview, --resume to continue one, "
                                    "or --list to see the saved sessions")
    if args.minutes is not None and args.minutes <= 0:
        raise InterviewCommandError(f"--minutes {args.minutes:g}: give the planned length in minutes, above 0")


def open_engine(args: argparse.Namespace, folder: Path) -> tuple[InterviewEngine, str]:
    """The engine for a new or resumed session, with the writer and extractor the settings allow."""
    from agent.interview.engine import InterviewEngine
    from agent.llm.settings import load_settings

    workspace = Workspace.find(Path.cwd())
    settings = load_settings(workspace.root if workspace else None)
    if args.offline or not settings.is_configured():
        writer, extraction, mode = None, None, "offline (--offline)" if args.offline else "offline, no model"
    else:
        from agent.interview.with_model import LazyModelWriter, SharedChatModel, model_extraction

        cache_folder = (workspace.folder("cache") if workspace else Path(".vsm-cache")) / "llm"
        chat_model = SharedChatModel(settings)
        writer = LazyModelWriter(chat_model)
        extraction = model_extraction(settings, chat_model, cache_folder)
        mode = f"model {settings.model}"
    context = None
    if workspace is not None:  # what others said, and the checks on the engagement map
        from agent.interview.engagement_context import workspace_context
        from agent.storage import load_map

        engagement = load_map(workspace.map_path()) if workspace.map_path().exists() else None
        kind = args.embedder if args.embedder != "none" else "minilm"
        context = workspace_context(workspace.root, engagement, kind)
    if args.resume is not None:
        path = Path(args.resume) if args.resume else newest_session(folder)
        engine = InterviewEngine.resume(path, writer=writer, extraction=extraction, context=context)
    else:
        engine = InterviewEngine.start(folder, stakeholder=args.stakeholder.strip(), role=args.role,
                                       perspective=Perspective(args.perspective), minutes=args.minutes, interviewer=args.interviewer, writer=writer,
                                       extraction=extraction, context=context)
    return engine, mode


def newest_session(folder: Path) -> Path:
    sessions = sorted(folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime) if folder.is_dir() else []
    if not sessions:
        raise InterviewCommandError(f"{folder}: no saved sessions; start one with `vsm interview --stakeholder NAME`")
    return sessions[-1]


def session_listing(folder: Path) -> str:
    from agent.interview.session_log import read_session
    from agent.interview.session_state import SessionState

    paths = sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
    if not paths:
        return f"No sessions in {folder}. Start one with: vsm interview --stakeholder NAME\n"
    rows: list[tuple[datetime | None, str]] = []
    for path in paths:
        try:
            events, notes = read_session(path)
        except VsmError as err:
            rows.append((None, f"  {path.name}: {err}"))
            continue
        state = SessionState.from_events(events)
        meta = state.meta
        who = meta.stakeholder + (f" ({meta.role})" if meta.role else "")
        status = "question pending" if state.pending_question else f"{len(state.questions)} questions"
        damaged = f", {len(notes)} unreadable lines" if notes else ""
        rows.append((meta.started, f"  {path.name}  {who}  started {meta.started:%Y-%m-%d %H:%M}  "
                                   f"{len(state.answers)} answers, {status}, {state.value_map.element_count()} "
                                   f"elements{damaged}"))
    rows.sort(key=lambda row: row[0].timestamp() if row[0] is not None else 0.0)
    lines = [f"Sessions in {folder} (oldest first):", *(text for _, text in rows),
             "Continue one with: vsm interview --resume SESSION_FILE"]
    return "\n".join(lines) + "\n"


def _embedder_loader(kind: str) -> Callable[[], TextEmbedder] | None:
    if kind == "none":
        return None

    def load() -> TextEmbedder:
        from agent.semantics import embedder_from_settings
        from agent.semantics.remembering import RememberingEmbedder

        embedder = RememberingEmbedder(embedder_from_settings(kind))  # each text embedded once a session
        embedder.embed(["warm up"])  # load the model now, on the app's worker thread
        return embedder

    return load
