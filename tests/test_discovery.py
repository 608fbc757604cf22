"""Which folders a repository walk takes for evidence sets (engine._walk_sets)."""

from __future__ import annotations

import os
from pathlib import Path

from sustain_lint.engine import discover

SET = ".artifacts/maintenance"


def _set(folder: Path) -> None:
    (folder / SET).mkdir(parents=True)


def test_the_walk_finds_sets_and_skips_what_it_must(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _set(repo)  # the repository's own set
    _set(repo / "services" / "a")
    _set(repo / "services" / "b" / "deep" / "c")
    _set(repo / ".artifacts" / "x")  # inside a set's own .artifacts folder: not looked at
    _set(repo / "node_modules" / "pkg")  # a skipped folder
    _set(repo / ".git" / "y")
    venv = repo / "tools" / "env"
    _set(venv / "lib")
    (venv / "pyvenv.cfg").write_text("home = /usr\n")  # a virtual environment
    _set(tmp_path / "elsewhere")
    os.symlink(tmp_path / "elsewhere", repo / "linked")  # a link to a folder: not followed
    linked_artifacts = repo / "services" / "d"
    linked_artifacts.mkdir(parents=True)
    (tmp_path / "shared" / "maintenance").mkdir(parents=True)
    os.symlink(tmp_path / "shared", linked_artifacts / ".artifacts")  # the set itself may be
    (repo / "services" / "f" / ".artifacts").mkdir(parents=True)
    os.symlink(tmp_path / "shared" / "maintenance", repo / "services" / "f" / SET)  # but not it
    (repo / "services" / "g" / ".artifacts").mkdir(parents=True)
    (repo / "services" / "g" / SET).write_text("a file, not a folder\n")
    (repo / "services" / "e").mkdir()
    (repo / "services" / "e" / ".artifacts").write_text("a file, not a folder\n")

    found = [os.path.relpath(s.folder, repo) for s in discover([str(repo)], SET, str(tmp_path))]
    assert found == [SET, f"services/a/{SET}", f"services/b/deep/c/{SET}",
                     f"services/d/{SET}"]


def test_a_virtual_environment_named_on_the_command_line_is_walked(tmp_path: Path) -> None:
    _set(tmp_path / "env" / "svc")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    found = discover([str(tmp_path / "env")], SET, str(tmp_path))
    assert [os.path.relpath(s.folder, tmp_path) for s in found] == [f"env/svc/{SET}"]
