"""Nothing is read through a link that leaves the repository (product.md, Command line):
a set folder, or its ``.artifacts`` parent, that is a symbolic link to a folder outside the
repository gives SL002 for every required artifact, and no byte of the outside files
reaches any report."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sustain_lint.artifacts import REQUIRED
from sustain_lint.reporters import FORMATS
from tests.helpers import EXAMPLE, SET, TODAY, run_cli

SECRET = "Outside Secret Person"


def _outside_set(tmp_path: Path) -> Path:
    """A complete set outside the repository, whose owner values carry a marker."""
    outside = tmp_path / "outside"
    shutil.copytree(EXAMPLE / ".artifacts", outside / ".artifacts")
    workflow = outside / SET / "support-workflow.yaml"
    workflow.write_text(workflow.read_text().replace("Support Lead", SECRET))
    return outside


@pytest.mark.parametrize("linked", [".artifacts", SET])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_linked_set_folder_is_not_read(tmp_path: Path, linked: str, fmt: str) -> None:
    outside = _outside_set(tmp_path)
    repo = tmp_path / "repo"
    (repo / linked).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside / linked, repo / linked)
    result = run_cli(["--today", TODAY, "--format", fmt, "."], repo)
    assert result.code == 1
    assert SECRET not in result.out + result.err
    if fmt == "json":
        findings = result.json["sets"][0]["findings"]
        assert {f["rule"] for f in findings} == {"SL002"}
        assert sorted(f["path"].rsplit("/", 1)[-1] for f in findings) == sorted(REQUIRED)
        assert all("symbolic link that leaves the repository" in f["message"] for f in findings)


def test_a_link_within_the_repository_is_read(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    (repo / "evidence").mkdir()
    shutil.move(str(repo / SET), str(repo / "evidence" / "maintenance"))
    os.symlink(repo / "evidence" / "maintenance", repo / SET)
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    assert result.code == 0, result.out
