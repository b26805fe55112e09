"""A workspace pointed at a Chroma server: `vsm doctor` shows the store, `vsm ask` says how many passages the
new store lacks and that `vsm reindex` stores them, `vsm add` stores what it lacks instead of saying
"unchanged", and `vsm reindex` fills it."""

from __future__ import annotations

from pathlib import Path

from tests.cli_runner import run_vsm
from tests.test_evidence_store import chroma_server

__all__ = ["chroma_server"]  # the session's `chroma run` server, shared with the evidence store's tests

ROOT = Path(__file__).parents[1]
LEGAL = ROOT / "transcripts" / "legal-platform"
LOCAL = {"VSM_LLM_MODEL": "", "OPENAI_API_KEY": "", "VSM_CHROMA_URL": ""}


def test_switching_to_a_chroma_server_says_what_it_lacks_and_how_to_fill_it(tmp_path: Path,
                                                                           chroma_server: str) -> None:
    root = tmp_path / "Ærø switch"
    assert run_vsm("init", root, cwd=tmp_path).returncode == 0
    added = run_vsm("add", LEGAL / "interview.md", LEGAL / "customer-call.md", cwd=root, env=LOCAL)
    assert added.returncode == 0, added.stderr
    local = run_vsm("doctor", "--no-call", cwd=root, env=LOCAL)
    assert local.returncode == 0, local.stderr
    assert f"embedded, {root / 'chroma'}" in local.stdout
    assert "75 passages" in local.stdout and "all 2 of the workspace's sources stored" in local.stdout

    secret_url = chroma_server.replace("http://", "http://team:hunter2@") + "/?token=hunter2"
    server = {**LOCAL, "VSM_CHROMA_URL": secret_url}
    doctor = run_vsm("doctor", "--no-call", cwd=root, env=server)
    assert f"Chroma server {chroma_server}/" in doctor.stdout
    assert "lacks 75 passages of 2 of the workspace's 2 sources" in doctor.stdout
    assert "vsm reindex" in doctor.stdout
    assert "hunter2" not in doctor.stdout + doctor.stderr

    asked = run_vsm("ask", "why do customers stall before paying?", cwd=root, env=server)
    assert asked.returncode == 2
    assert "lacks 75 passages of 2 of the workspace's 2 sources" in asked.stderr
    assert "run `vsm reindex` to store them" in asked.stderr
    assert "hunter2" not in asked.stderr

    again = run_vsm("add", LEGAL / "customer-call.md", cwd=root, env=server)
    assert again.returncode == 0, again.stderr
    assert "customer-call: its 16 passages were missing from the evidence store; stored them" in again.stderr
    partly = run_vsm("ask", "why do customers stall before paying?", cwd=root, env=server)
    assert partly.returncode == 0 and "lacks 59 passages of 1 of the workspace's 2 sources (interview)" in partly.stderr

    reindexed = run_vsm("reindex", cwd=root, env=server)
    assert reindexed.returncode == 0, reindexed.stderr
    filled = run_vsm("ask", "why do customers stall before paying?", cwd=root, env=server)
    assert filled.returncode == 0 and "lacks" not in filled.stderr and "source interview" in filled.stdout
