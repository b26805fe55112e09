"""`vsm add` as a consultant meets it: a source is added only once its passages are stored, an add killed
mid-way is finished by the next, a second add queues, the workspace's own files are skipped, and ids keep
the folder name that tells two interviews apart."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.evidence_store_speed import generated_transcript
from tests.cli_runner import run_vsm

ROOT = Path(__file__).parents[1]
ENV = {"VSM_LLM_MODEL": "", "OPENAI_API_KEY": "", "VSM_CHROMA_URL": ""}
LEGAL = ROOT / "transcripts" / "legal-platform"


def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "engagement"
    assert run_vsm("init", root, cwd=tmp_path).returncode == 0
    return root


def registered(root: Path) -> list[str]:
    index = root / "sources" / "index.json"
    return [s["id"] for s in json.loads(index.read_text())["sources"]] if index.exists() else []


def long_interview(path: Path, words: int, seed: int = 3) -> Path:
    path.write_text(generated_transcript(random.Random(seed), words), encoding="utf-8")
    return path


def start_vsm(*args: str | Path, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "VSM_EMBEDDER": "none", **ENV, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "agent.cli", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_until(process: subprocess.Popen[str], wanted: str, timeout: float = 120) -> list[str]:
    assert process.stderr is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        if wanted in line:
            return seen
    raise AssertionError(f"never saw {wanted!r}; saw {''.join(seen)[-2000:]}")


def passages_of(root: Path, source_id: str) -> int:
    """Passages of a source in the workspace's embedded store, read as another process would."""
    script = ("import sys; from pathlib import Path; from agent.evidence_store import EvidenceStore; "
              "from agent.semantics import embedder_from_settings; "
              "store = EvidenceStore.open(Path(sys.argv[1]), embedder=embedder_from_settings('minilm')); "
              "found = store.source(sys.argv[2]); print(found.chunks if found else 0)")
    done = subprocess.run([sys.executable, "-c", script, str(root), source_id], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True, timeout=120)
    return int(done.stdout.strip())


def test_kill_9_while_embedding_leaves_no_source_without_passages_and_the_next_add_finishes_it(
    tmp_path: Path,
) -> None:
    root = workspace(tmp_path)
    big = long_interview(tmp_path / "big-interview.md", 60_000)
    adding = start_vsm("add", big, cwd=root)
    read_until(adding, "embedded 256 of")  # at the embedding step: a first batch is stored, the rest is not
    adding.send_signal(signal.SIGKILL)
    adding.wait(timeout=30)

    assert "big-interview" not in registered(root)  # not added: its passages are not all stored
    assert (root / ".vsm" / "adding" / "big-interview.json").exists()
    asked = run_vsm("ask", "who chased the supplier invoices?", cwd=root, env=ENV)
    assert asked.returncode == 2, asked.stdout
    assert "vsm add" in asked.stderr and "big-interview" in asked.stderr  # the fix it gives is the right one
    assert "[1]" not in asked.stdout  # no passage of a half-added source is evidence

    finished = run_vsm("add", cwd=root, env=ENV, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert "stopped before its passages were stored; it is added again now" in finished.stderr
    assert registered(root) == ["big-interview"]
    assert not list((root / ".vsm" / "adding").glob("*.json"))
    assert passages_of(root, "big-interview") > 600
    asked = run_vsm("ask", "who chased the supplier invoices?", cwd=root, env=ENV)
    assert asked.returncode == 0 and "source big-interview" in asked.stdout


def test_a_second_add_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    first = start_vsm("add", long_interview(tmp_path / "long.md", 40_000), cwd=root)
    read_until(first, "mapped as long")
    second = run_vsm("add", LEGAL / "customer-call.md", cwd=root, env=ENV, timeout=300)
    assert first.wait(timeout=300) == 0
    assert second.returncode == 0, second.stderr
    assert "waiting for vsm add pid" in second.stderr
    assert sorted(registered(root)) == ["customer-call", "long"]


def test_the_workspaces_own_files_are_skipped_with_a_note(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    (root / "call.json").write_text(json.dumps([{"speaker": "Dana", "text": "We stalled at the setup fee."}]))
    added = run_vsm("add", *sorted(root.glob("*.json")), cwd=root, env=ENV)
    assert added.returncode == 0, added.stderr
    assert "vsm-workspace.json: skipped; it is this workspace's own file, not a transcript" in added.stderr
    assert registered(root) == ["call"]


def test_same_file_names_in_different_folders_keep_the_folder_name(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    for company in ("acme", "globex"):
        (tmp_path / company).mkdir()
        shutil.copy(LEGAL / "interview.md", tmp_path / company / "interview.md")
    (tmp_path / "globex" / "interview.md").write_text(
        (LEGAL / "interview.md").read_text() + "\nDana: Globex paid after the second call.\n")
    added = run_vsm("add", tmp_path / "acme" / "interview.md", tmp_path / "globex" / "interview.md",
                    cwd=root, env=ENV)
    assert added.returncode == 0, added.stderr
    assert registered(root) == ["acme-interview", "globex-interview"]
    (tmp_path / "initech").mkdir()
    shutil.copy(LEGAL / "customer-call.md", tmp_path / "initech" / "interview.md")
    later = run_vsm("add", tmp_path / "initech" / "interview.md", cwd=root, env=ENV)
    assert later.returncode == 0, later.stderr
    assert registered(root)[-1] == "initech-interview"


def test_a_registered_source_missing_from_the_store_is_stored_again_by_add(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    assert run_vsm("add", LEGAL / "customer-call.md", cwd=root, env=ENV).returncode == 0
    shutil.rmtree(root / "chroma")  # a lost store, or a workspace pointed at another one
    again = run_vsm("add", LEGAL / "customer-call.md", cwd=root, env=ENV)
    assert again.returncode == 0, again.stderr
    assert "customer-call: its 16 passages were missing from the evidence store; stored them" in again.stderr
    assert passages_of(root, "customer-call") == 16


def test_add_without_files_and_nothing_to_finish_says_what_to_name(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    done = run_vsm("add", cwd=root, env=ENV)
    assert done.returncode == 2 and "name the transcripts to add" in done.stderr


def test_a_named_pipe_is_refused_with_one_line_and_the_other_files_are_added(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    os.mkfifo(tmp_path / "call.vtt")  # nothing ever writes to it: reading it would wait forever
    added = run_vsm("add", tmp_path / "call.vtt", LEGAL / "customer-call.md", cwd=root, env=ENV, timeout=120)
    assert added.returncode == 2, added.stderr  # add's exit for an input it refused
    refusals = [line for line in added.stderr.splitlines() if "call.vtt" in line]
    assert len(refusals) == 1 and "is not a regular file (it is a named pipe)" in refusals[0], added.stderr
    assert registered(root) == ["customer-call"]
