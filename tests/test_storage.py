"""The workspace on disk: atomic writes, one writer at a time, clear errors."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from agent.storage import Workspace, WorkspaceError, WorkspaceLock, WorkspaceLockedError, write_text_atomic
from agent.storage import atomic as atomic_module
from tests.map_builders import build, healthy_map_data


def test_atomic_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "map.json"
    write_text_atomic(target, "first")
    write_text_atomic(target, "second")
    assert target.read_text() == "second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["map.json"]  # no temp files left


def test_a_failed_write_leaves_the_old_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "map.json"
    write_text_atomic(target, "precious")

    def crash(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic_module.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(target, "half-written")
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["map.json"]


def _hold_lock(folder: str, held: multiprocessing.synchronize.Event, release: multiprocessing.synchronize.Event) -> None:
    with WorkspaceLock(Path(folder)):
        held.set()
        release.wait(10)


def test_a_second_process_cannot_take_the_lock(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    held, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(str(tmp_path), held, release))
    holder.start()
    try:
        assert held.wait(20)
        started = time.monotonic()
        with pytest.raises(WorkspaceLockedError, match="in use by vsm pid"), WorkspaceLock(tmp_path, timeout=0.3):
            pass
        assert time.monotonic() - started >= 0.3
    finally:
        release.set()
        holder.join(10)
    with WorkspaceLock(tmp_path, timeout=1):  # free again once the holder is gone
        pass


def test_workspace_init_open_and_find(tmp_path: Path) -> None:
    root = tmp_path / "Acme Søftware"
    created = Workspace.init(root)
    assert created.name == "Acme Søftware"
    assert all((root / f).is_dir() for f in ("sources", "maps", "sessions"))
    nested = root / "sources" / "calls"
    nested.mkdir()
    found = Workspace.find(nested)
    assert found is not None and found.root == root.resolve()
    value_map = build(healthy_map_data())
    path = created.save_map(value_map)
    assert path == root / "maps" / "map.json"
    assert Workspace.open(root).load_map() == value_map


def test_workspace_errors_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a vsm workspace; create one with `vsm init NAME`"):
        Workspace.open(tmp_path)
    Workspace.init(tmp_path / "w")
    with pytest.raises(WorkspaceError, match="already a vsm workspace"):
        Workspace.init(tmp_path / "w")
    assert Workspace.find(tmp_path) is None


@pytest.mark.parametrize(("marker", "says"), [
    ('{"workspace_version": 99, "name": "w"}', "made by a newer vsm .* upgrade vsm: pip install -U wasteless-vsm"),
    ('{"workspace_version": 0, "name": "w"}', "version 0 has no migration to 1; make a new workspace with `vsm init`"),
    ('{"name": "w"}', "is damaged \\(no workspace_version\\); restore it from a backup"),
    ('["not", "an", "object"]', "is damaged \\(no workspace_version\\)"),
])
def test_a_workspace_of_another_version_says_how_to_go_on(tmp_path: Path, marker: str, says: str) -> None:
    Workspace.init(tmp_path / "w")
    (tmp_path / "w" / "vsm-workspace.json").write_text(marker, encoding="utf-8")
    with pytest.raises(WorkspaceError, match=says):
        Workspace.open(tmp_path / "w")


def test_atomic_writes_give_new_files_normal_permissions_and_keep_existing_ones(tmp_path: Path) -> None:
    fresh = tmp_path / "report.html"
    write_text_atomic(fresh, "x")
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~_umask()
    fresh.chmod(0o600)
    write_text_atomic(fresh, "y")
    assert fresh.stat().st_mode & 0o777 == 0o600


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask
