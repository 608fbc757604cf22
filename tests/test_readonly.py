"""Read-only (product.md, "Quality bars"): linting never creates, changes or deletes a
file outside its report outputs. The whole case tree (the list of entries, each one's
type, mode, mtime, and content or link target) is hashed before and after runs in every
report format, with every report option pointing OUTSIDE the tree."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from sustain_lint.reporters import FORMATS
from tests.helpers import SET, TODAY, copy_example, run_cli


def tree_digest(root: Path) -> tuple[str, list[str]]:
    """A digest of everything under ``root`` (never following links), and the listing."""
    h = hashlib.sha256()
    listing = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            rel = os.path.relpath(path, root)
            entry = f"{rel}\0{st.st_mode:o}\0{st.st_mtime_ns}\0{st.st_size}"
            if stat.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:
                    entry += "\0" + hashlib.sha256(fh.read()).hexdigest()
            elif stat.S_ISLNK(st.st_mode):
                entry += "\0" + os.readlink(path)
            listing.append(entry)
            h.update(entry.encode("utf-8", "surrogateescape") + b"\n")
    st = os.lstat(root)
    h.update(f"root\0{st.st_mode:o}\0{st.st_mtime_ns}".encode())
    return h.hexdigest(), listing


def _variants(repo: Path) -> None:
    """Make the tree interesting: a failing file, a waiver file, a second set, an empty
    file, a symlink and a FIFO (never opened), a runbook path leaving the repository."""
    folder = repo / SET
    (folder / "feedback-loop-map.json").write_text('{"loops": [')
    (folder / "waivers.yaml").write_text(
        "- rule: SL002\n  justification: being rewritten\n  approved_by: Head of Operations\n"
        "  expires: 2027-01-31\n")
    second = repo / "services" / "billing"
    copy_example(second)
    (second / SET / "backlog-register.csv").write_text("")
    (second / SET / "runbook-index.json").write_text(
        (second / SET / "runbook-index.json").read_text().replace(
            "docs/runbooks/deploy.md", "../../etc/passwd"))
    os.symlink("../../docs/runbooks/deploy.md", second / SET / "notes.md")
    if hasattr(os, "mkfifo"):
        os.mkfifo(second / SET / "capacity-analysis.csv.pipe")


@pytest.fixture()
def case(tmp_path: Path) -> tuple[Path, Path]:
    repo = copy_example(tmp_path / "repo")
    _variants(repo)
    outside = tmp_path / "reports"
    outside.mkdir()
    return repo, outside


@pytest.mark.parametrize("fmt", FORMATS)
def test_lint_writes_nothing_in_the_tree(fmt: str, case: tuple[Path, Path],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    repo, outside = case
    summary = outside / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    before = tree_digest(repo)
    runs = [
        ["--format", fmt, "."],
        ["--format", fmt, "--output", str(outside / f"report.{fmt}"),
         "--sarif-file", str(outside / "r.sarif"), "--json-file", str(outside / "r.json"),
         "--junit-file", str(outside / "r.xml"), "."],
        ["--format", fmt, "--gate", "2", "--strict", f"{SET}/runbook-index.json"],
        ["--format", fmt, "--select", "SL0,SL2", "services/billing"],
    ]
    for args in runs:
        result = run_cli(["--today", TODAY, *args], repo)
        assert result.code in (0, 1), (args, result.err)
        assert result.err == "", result.err
    # the same, linting from outside the tree with the repository as the PATH
    result = run_cli(["--today", TODAY, "--format", fmt, str(repo)], outside)
    assert result.code == 1, result.err
    after = tree_digest(repo)
    assert after[0] == before[0], sorted(set(after[1]) ^ set(before[1]))
    for name in (f"report.{fmt}", "r.sarif", "r.json", "r.xml"):
        assert (outside / name).stat().st_size > 0, name


def test_other_commands_write_nothing(case: tuple[Path, Path]) -> None:
    repo, _ = case
    before = tree_digest(repo)
    for args in (["rules"], ["rules", "--format", "json"], ["explain", "SL111"],
                 ["schema", "runbook-index.json"], ["--version"], ["--bogus-flag"],
                 ["--today", "not-a-date", "."]):
        run_cli(args, repo)
    assert tree_digest(repo)[0] == before[0]
