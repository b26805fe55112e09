"""`vsm review` as a user runs it: bad input as one line, the lock, and the real app in tmux on a bundled example."""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path

import pytest

from agent.review.lock import ReviewLock
from agent.review.session import decision_log_path
from agent.storage import Workspace, load_map
from schemas.evidence import Review
from tests.cli_runner import run_vsm
from tests.review_fixtures import EXAMPLES, offline_map_file
from tests.test_tui_cli import TMUX, Tmux, offline_env


def test_a_missing_map_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_vsm("review", tmp_path / "nope.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"vsm: error: {tmp_path / 'nope.json'}: no such file; check the path"


def test_outside_a_workspace_without_a_map_it_says_what_to_pass(tmp_path: Path) -> None:
    result = run_vsm("review", cwd=tmp_path)
    assert result.returncode == 2 and "pass MAP (e.g. map.json), or run this inside a workspace" in result.stderr


def test_inside_a_workspace_it_reviews_the_engagement_map(tmp_path: Path) -> None:
    Workspace.init(tmp_path / "acme")
    result = run_vsm("review", cwd=tmp_path / "acme")
    assert result.returncode == 2 and "the workspace has no engagement map yet; build it with `vsm synthesize`" in result.stderr


def test_a_second_review_is_refused_naming_the_holder(tmp_path: Path) -> None:
    path = offline_map_file(tmp_path)
    with ReviewLock(path, person="Ana"):
        result = run_vsm("review", path, "--reviewer", "Ben", cwd=tmp_path)
    assert result.returncode == 2
    assert re.fullmatch(rf"vsm: error: {re.escape(str(path))}: already being reviewed by Ana \(vsm review, pid "
                        r"\d+, since [\d-]+ [\d:]+\); finish that review first \(or open this one with --readonly "
                        r"to browse\)\n", result.stderr)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the terminal smoke test needs it")
def test_vsm_map_review_runs_in_a_real_terminal_and_survives_kill_9(tmp_path: Path) -> None:
    env = {**os.environ, **offline_env(tmp_path), "TERM": "xterm-256color", "VSM_REVIEWER": "Ana"}
    env.pop("TMUX", None)
    tmux = Tmux(env)
    files = " ".join(str(p) for p in sorted((EXAMPLES / "legal-platform").glob("*.md")))
    command = (f"cd {tmp_path} && {sys.executable} -m agent.cli map {files} --offline -o map.json --review; "
               "echo EXIT=$?; sleep 60")
    tmux("new-session", "-d", "-x", "160", "-y", "48", "-s", "interview", "-c", str(Path.cwd()), command)
    path = tmp_path / "map.json"
    try:
        total = _total_shown(tmux.wait_for(" confirmed"))
        assert total == load_map(path).element_count()  # the map was written before the review opened
        first = tmux.wait_for("Accept")  # the footer's keys
        assert "Review: Map of customer-call, interview" in first and "as Ana" in first
        tmux("send-keys", "-t", "interview", "a")
        tmux.wait_for(f"1/{total} confirmed")
        second = run_vsm("review", path, cwd=tmp_path, env={"VSM_REVIEWER": "Ben"})
        assert second.returncode == 2 and "already being reviewed by Ana (vsm review, pid" in second.stderr
        holder = re.search(r"pid (\d+)", second.stderr)
        assert holder is not None
        os.kill(int(holder.group(1)), signal.SIGKILL)  # the app dies mid-review, no chance to tidy up
        tmux.wait_for("EXIT=137")
    finally:
        tmux.kill_server()
    saved = load_map(path)  # whole and valid: the decision made before the kill is in it
    assert sum(e.provenance.review is Review.CONFIRMED for e in saved.elements()) == 1
    assert len(decision_log_path(path).read_text().splitlines()) == 1
    with ReviewLock(path, person="Ben"):  # the kernel released the dead review's lock
        pass


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the terminal smoke test needs it")
def test_vsm_review_quits_with_a_summary_at_80x24(tmp_path: Path) -> None:
    env = {**os.environ, **offline_env(tmp_path), "TERM": "xterm-256color"}
    env.pop("TMUX", None)
    path = offline_map_file(tmp_path)
    tmux = Tmux(env)
    command = f"cd {tmp_path} && {sys.executable} -m agent.cli review map.json --reviewer Ana; echo EXIT=$?; sleep 60"
    tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "interview", "-c", str(Path.cwd()), command)
    total = load_map(path).element_count()
    try:
        tmux.wait_for(f"0/{total} confirmed")
        tmux.wait_for("Accept")
        tmux("send-keys", "-t", "interview", "F2")  # narrow: the map side
        tmux.wait_for(f"Map (0/{total} confirmed)")
        tmux("send-keys", "-t", "interview", "r")
        tmux.wait_for("Rejected")
        tmux("send-keys", "-t", "interview", "C-q")
        done = tmux.wait_for("EXIT=")
    finally:
        tmux.kill_server()
    assert "EXIT=0" in done and "1 decisions this session" in done
    assert load_map(path).element_count() < total  # the rejected one is gone


def test_what_was_reviewed_flows_into_check_and_report(tmp_path: Path) -> None:
    from agent.review import Decision, DecisionKind, open_review

    path = offline_map_file(tmp_path)
    session = open_review(path, person="Ana")
    accepted, rejected = session.value_map.losses[0], session.value_map.losses[1]
    session.decide(Decision(kind=DecisionKind.ACCEPT, element_id=accepted.id))
    session.decide(Decision(kind=DecisionKind.REJECT, element_id=rejected.id))
    report = run_vsm("report", path, "-o", tmp_path / "report.md", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    confirmed_lines = [line for line in text.splitlines() if f"`{accepted.id}`" in line]
    assert confirmed_lines and all("not confirmed" not in line for line in confirmed_lines)
    assert "_(not confirmed)_" in text  # every other element is still only proposed
    assert f"`{rejected.id}`" not in text
    checked = run_vsm("check", path, "--format", "json", "--fail-on", "never", cwd=tmp_path)
    assert checked.returncode == 0 and rejected.id not in checked.stdout


def test_inside_a_workspace_the_lock_lives_in_the_workspace_and_saves_take_its_lock(tmp_path: Path) -> None:
    from agent.review import Decision, DecisionKind, open_review

    workspace = Workspace.init(tmp_path / "acme")
    map_path = workspace.map_path()
    map_path.write_text(offline_map_file(tmp_path).read_text(), encoding="utf-8")
    with ReviewLock(map_path, person="Ana", workspace_root=workspace.root) as lock:
        assert lock.path.parent == workspace.root / ".vsm"
        session = open_review(map_path, person="Ana", workspace_root=workspace.root)
        session.decide(Decision(kind=DecisionKind.ACCEPT, element_id=session.value_map.stages[0].id))
        result = run_vsm("review", cwd=workspace.root, env={"VSM_REVIEWER": "Ben"})  # the engagement map
    assert result.returncode == 2 and "already being reviewed by Ana" in result.stderr
    assert load_map(map_path).stages[0].provenance.review is Review.CONFIRMED


def test_a_sources_map_reviewed_with_source_flows_into_synthesize(tmp_path: Path) -> None:
    from agent.cli.review_command import source_map_path
    from agent.review import Decision, DecisionKind, open_review

    root = tmp_path / "acme"
    assert run_vsm("init", root).returncode == 0
    added = run_vsm("add", EXAMPLES / "legal-platform" / "interview.md", cwd=root, env=offline_env(tmp_path))
    assert added.returncode == 0, added.stderr
    unknown = run_vsm("review", "--source", "nope", cwd=root)
    assert unknown.returncode == 2 and "no source 'nope' with a map; the sources are: interview" in unknown.stderr
    cwd = Path.cwd()
    os.chdir(root)
    try:
        path = source_map_path("interview")
    finally:
        os.chdir(cwd)
    assert path == root / "maps" / "sources" / "interview.json"
    session = open_review(path, person="Ana", workspace_root=root)
    kept, dropped = session.value_map.losses[0], session.value_map.losses[1]
    session.decide(Decision(kind=DecisionKind.ACCEPT, element_id=kept.id))
    session.decide(Decision(kind=DecisionKind.REJECT, element_id=dropped.id))
    synthesized = run_vsm("synthesize", "--yes", cwd=root, env=offline_env(tmp_path))
    assert synthesized.returncode == 0, synthesized.stderr
    engagement = load_map(root / "maps" / "map.json")
    losses = {loss.id: loss for loss in engagement.losses}
    assert dropped.id not in losses and losses[kept.id].provenance.review is Review.CONFIRMED


def _total_shown(screen: str) -> int:
    """The number of elements the review's status line counts ("0/N confirmed")."""
    found = re.search(r"0/(\d+) confirmed", screen)
    assert found is not None, screen
    return int(found.group(1))
