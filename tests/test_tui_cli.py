"""`vsm interview` as a user runs it: errors as one line (exit 2), --list, and the real app in tmux."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.cli.interview_command import newest_session, sessions_folder
from agent.interview.planning.memory import remember
from agent.interview.session_log import read_session
from agent.storage import Workspace, load_map
from schemas.interview import AnswerEvent, ProbeKind, QuestionEvent
from tests.cli_runner import run_vsm
from tests.test_tui_fakes import ANSWER, new_engine

OFFLINE_ENV = {"VSM_LLM_MODEL": "", "VSM_EMBEDDER": "none"}


def offline_env(tmp_path: Path) -> dict[str, str]:
    return {**OFFLINE_ENV, "XDG_CONFIG_HOME": str(tmp_path / "config")}


def test_without_a_stakeholder_or_resume_it_says_what_to_give(tmp_path: Path) -> None:
    result = run_vsm("interview", cwd=tmp_path, env=offline_env(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == ("vsm: error: give --stakeholder NAME to start an interview, --resume to "
                                     "continue one, or --list to see the saved sessions")


def test_resuming_a_missing_or_foreign_file_is_a_one_line_error(tmp_path: Path) -> None:
    missing = run_vsm("interview", "--resume", "nope.jsonl", cwd=tmp_path, env=offline_env(tmp_path))
    assert missing.returncode == 2 and "no such session file" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    foreign = tmp_path / "notes.jsonl"
    foreign.write_text('{"hello": 1}\n')
    result = run_vsm("interview", "--resume", foreign, cwd=tmp_path, env=offline_env(tmp_path))
    assert result.returncode == 2 and "not a vsm interview session" in result.stderr
    none_yet = run_vsm("interview", "--resume", cwd=tmp_path, env=offline_env(tmp_path))
    assert none_yet.returncode == 2 and "no saved sessions" in none_yet.stderr


def test_list_shows_each_session_and_how_far_it_got(tmp_path: Path) -> None:
    engine = new_engine(tmp_path / "vsm-sessions")
    probe = engine.plan_next()
    engine.ask(probe, probe.fallback_question)
    engine.answer(ANSWER)
    engine.extract_last_answer()
    result = run_vsm("interview", "--list", cwd=tmp_path, env=offline_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "20261128-0900-maria-test.jsonl  Maria (Head of Growth)  started 2026-11-28 09:00" in result.stdout
    assert "1 answers, 1 questions, 4 elements" in result.stdout
    empty = run_vsm("interview", "--list", cwd=tmp_path / "vsm-sessions", env=offline_env(tmp_path))
    assert "No sessions in" in empty.stdout


def test_sessions_live_in_the_workspace_when_there_is_one(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "acme")
    (workspace.root / "maps" / "deep").mkdir(parents=True)
    assert sessions_folder(workspace.root / "maps" / "deep") == workspace.root / "sessions"
    assert sessions_folder(tmp_path) == tmp_path / "vsm-sessions"


def test_resume_without_a_file_takes_the_most_recent_session(tmp_path: Path) -> None:
    older = tmp_path / "a.jsonl"
    newer = tmp_path / "b.jsonl"
    older.write_text("{}\n")
    newer.write_text("{}\n")
    os.utime(older, (1_000, 1_000))
    assert newest_session(tmp_path) == newer


# -- the real thing, in a terminal -------------------------------------------------------------------------

TMUX = shutil.which("tmux")
TYPED = "Customers have to mark which lawyers they want before they can book."
MORE_ANSWERS = [
    "We lack the capacity to verify every lawyer, so customers must select the lawyers themselves.",
    "They mark lawyers because we tell them they will get a vetted lawyer within a day.",
    "Last week my kid's football team won the regional cup and we celebrated all weekend.",
    "Our ads tell owners the answer is instant, while sales tells firms a lawyer replies within a day.",
    "The customer gives us their case details and in return gets a shortlist of lawyers.",
    "To book a lawyer they must pay 49 euros per month.",
    "Refunds reached 12% in the first month because owners expected an instant answer.",
    "Owners compare the price with one hour of a local lawyer.",
    "We give the second month free when owners hesitate at the purchase.",
]


def wait_until(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the session file never reached the expected state")


def _questions(session: Path) -> int:
    return sum(1 for e in read_session(session)[0] if isinstance(e, QuestionEvent))


def map_file_of(session: Path) -> Path:
    return session.with_name(session.name.replace(".jsonl", ".map.json"))


class Tmux:
    """A private tmux server (its own socket), so the test never touches the user's sessions."""

    def __init__(self, env: dict[str, str]) -> None:
        assert TMUX is not None
        self.base = [TMUX, "-L", f"vsm-test-{os.getpid()}-{secrets.token_hex(3)}", "-f", "/dev/null"]
        # The app sizes itself from its pane, unless COLUMNS and LINES say otherwise: a shell (or a pytest worker,
        # readline exports them) that sets them would lay the 120x40 pane out at their 80x24.
        self.env = {name: value for name, value in env.items() if name not in ("COLUMNS", "LINES")}

    def __call__(self, *args: str) -> str:
        result = subprocess.run([*self.base, *args], capture_output=True, text=True, env=self.env, timeout=20,
                                check=True)
        return result.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "interview")

    def wait_for(self, text: str, seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the pane shows:\n{self.screen()}")

    def kill_server(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, env=self.env, timeout=20, check=False)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the terminal smoke test needs it")
def test_vsm_interview_runs_in_a_real_terminal(tmp_path: Path) -> None:
    env = {**os.environ, **offline_env(tmp_path), "TERM": "xterm-256color"}
    env.pop("TMUX", None)
    env.pop("VSM_LLM_MODEL", None)
    tmux = Tmux(env)
    command = (f"cd {tmp_path} && {sys.executable} -m agent.cli interview --stakeholder Maria "
               f"--role 'Head of Growth' --minutes 45; echo EXIT=$?; sleep 60")
    tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "interview", "-c", str(Path.cwd()), command)
    try:
        first = tmux.wait_for("Your turn")
        assert "Interview: Maria (Head of Growth)" in first and "offline, no model" in first
        assert "Where in your process does the customer have to do" in first
        tmux("send-keys", "-t", "interview", "-l", TYPED)
        tmux("send-keys", "-t", "interview", "Enter")
        after = tmux.wait_for("Map: +")
        assert "Customers have to mark which lawyers they want" in after  # the answer, wrapped in its bubble
        assert "STAGES (1)" in after  # 120 columns: the map is beside the chat
        tmux.wait_for("Your turn")
        session = next((tmp_path / "vsm-sessions").glob("*.jsonl"))
        for number, text in enumerate(MORE_ANSWERS, start=2):  # ten questions in all, each answered
            tmux("send-keys", "-t", "interview", "-l", text)
            tmux("send-keys", "-t", "interview", "Enter")
            wait_until(lambda n=number: _questions(session) == n + 1)
            tmux.wait_for("Your turn")
        tmux("send-keys", "-t", "interview", "C-q")
        done = tmux.wait_for("EXIT=")
        assert "EXIT=0" in done and "Continue it with: vsm interview --resume" in done
    finally:
        tmux.kill_server()
    [session] = (tmp_path / "vsm-sessions").glob("*.jsonl")
    events, notes = read_session(session)
    assert notes == []
    assert [e.type for e in events[:5]] == ["meta", "question", "answer", "patch", "question"]
    questions = [e for e in events if isinstance(e, QuestionEvent)]
    assert len(questions) == 11 and len([e for e in events if isinstance(e, AnswerEvent)]) == 10
    assert any(q.probe.kind is ProbeKind.REDIRECT for q in questions)  # the off-topic answer was brought back
    keys = [remember(load_map(map_file_of(session)), []).key(q.probe) for q in questions
            if q.probe.kind in (ProbeKind.CORE, ProbeKind.FOLLOW_UP)]
    assert len(keys) == len(set(keys))  # no intent asked twice of one element
    assert isinstance(events[2], AnswerEvent) and events[2].text == TYPED
    assert isinstance(events[1], QuestionEvent) and events[1].worded_by == "question bank"
    # what the session leaves for the other commands: its map and its transcript
    map_file = session.with_name(session.name.replace(".jsonl", ".map.json"))
    assert "Its map: " in done and load_map(map_file).element_count() >= 1
    summary = session.with_name(session.name.replace(".jsonl", ".summary.md")).read_text(encoding="utf-8")
    assert "Its summary (what stayed uncovered" in done and "## Uncovered: questions for next time" in summary
    checked = run_vsm("check", map_file, "--fail-on", "never", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    transcript = session.with_name(session.name.replace(".jsonl", ".transcript.md")).read_text(encoding="utf-8")
    assert f"Maria: {TYPED}" in transcript
    log_instead = run_vsm("check", session, cwd=tmp_path)
    assert log_instead.returncode == 2 and "is an interview session's log, not a map" in log_instead.stderr


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the terminal smoke test needs it")
def test_kill_9_loses_nothing_that_was_on_screen(tmp_path: Path) -> None:
    env = {**os.environ, **offline_env(tmp_path), "TERM": "xterm-256color"}
    env.pop("TMUX", None)
    tmux = Tmux(env)
    draft = "Then they wait for a lawyer to answer, sometimes for days"
    start = f"exec {sys.executable} -m agent.cli interview --stakeholder Maria"
    tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "interview", "-c", str(tmp_path), start)
    try:
        tmux.wait_for("Your turn")
        tmux("send-keys", "-t", "interview", "-l", TYPED)
        tmux("send-keys", "-t", "interview", "Enter")
        tmux.wait_for("Map: +")
        tmux.wait_for("Your turn")
        tmux("send-keys", "-t", "interview", "-l", draft)  # typed, not sent
        tmux.wait_for("sometimes for days")
        pid = int(tmux("display-message", "-p", "-t", "interview", "#{pane_pid}").strip())
        os.kill(pid, signal.SIGKILL)
    finally:
        tmux.kill_server()
    [session] = (tmp_path / "vsm-sessions").glob("*.jsonl")
    events, notes = read_session(session)
    assert notes == [] and any(isinstance(e, AnswerEvent) and e.text == TYPED for e in events)
    assert session.with_name(session.name.replace(".jsonl", ".draft.txt")).read_text(encoding="utf-8") == draft

    tmux = Tmux(env)  # resume: the draft is back in the answer box, ready to send
    tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "interview", "-c", str(tmp_path),
         f"exec {sys.executable} -m agent.cli interview --resume")
    answers: list[str] = []
    try:
        tmux.wait_for("sometimes for days")
        tmux("send-keys", "-t", "interview", "Enter")
        deadline = time.monotonic() + 20
        while len(answers) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
            answers = [e.text for e in read_session(session)[0] if isinstance(e, AnswerEvent)]
    finally:
        tmux.kill_server()
    assert answers == [TYPED, draft]
    assert not session.with_name(session.name.replace(".jsonl", ".draft.txt")).exists()  # sent: no draft left
