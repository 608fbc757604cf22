"""Report files are written atomically and never through a link; a destination
that is evidence being checked is refused; a failed write leaves nothing behind
and is exit 2 with one line (docs/decisions/hardening.md, "Writing reports")."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sustain_lint.reporters import FORMATS_TABLE
from tests.helpers import SET, TODAY, copy_example, run_cli
from tests.html_dom import parse_html

FILE_OPTIONS = ["--output"] + [f"--{f.name}-file" for f in FORMATS_TABLE if f.file_option]
PARSE = {"--output": json.loads, "--json-file": json.loads, "--sarif-file": json.loads,
         "--junit-file": ET.fromstring, "--html-file": parse_html}


def _unshare_works() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    proc = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    return proc.returncode == 0


UNSHARE = _unshare_works()
needs_unshare = pytest.mark.skipif(
    not UNSHARE, reason="unshare --mount is not permitted here (needs root or user namespaces)")


def _repo(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "repo")


def _check(repo: Path, *args: str) -> list[str]:
    return ["--today", TODAY, "--format", "json", *args]


def test_the_option_list_is_the_formats_table() -> None:
    assert set(FILE_OPTIONS) == set(PARSE)


@pytest.mark.parametrize("option", FILE_OPTIONS)
@pytest.mark.parametrize("planted", ["to-a-file", "dangling"])
def test_a_link_planted_at_the_destination_is_replaced_never_followed(
        tmp_path: Path, option: str, planted: str) -> None:
    repo = _repo(tmp_path)
    victim = tmp_path / "victim.txt"
    if planted == "to-a-file":
        victim.write_text("precious\n")
    dest = repo / "report.out"
    dest.symlink_to(victim)
    result = run_cli(_check(repo, option, "report.out"), repo)
    assert result.code == 0, result.err
    assert not dest.is_symlink() and dest.is_file()
    PARSE[option](dest.read_text(encoding="utf-8"))  # a whole report
    if planted == "to-a-file":
        assert victim.read_text() == "precious\n"
    else:
        assert not victim.exists()  # a dangling link's target is never created
    assert sorted(p.name for p in repo.iterdir() if p.name.startswith(".report")) == []


def test_every_report_at_once_and_nothing_else_left(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    args = [arg for i, option in enumerate(FILE_OPTIONS) for arg in (option, f"../out/r{i}")]
    result = run_cli(_check(repo, *args), repo)
    assert result.code == 0 and result.out == "" and result.err == ""
    assert sorted(p.name for p in out.iterdir()) == [f"r{i}" for i in range(len(FILE_OPTIONS))]
    stdout = run_cli(_check(repo), repo).out
    assert (out / "r0").read_text(encoding="utf-8") == stdout  # --output: the stdout report
    mask = os.umask(0)
    os.umask(mask)
    for path in out.iterdir():  # the mode a plain open() gives a new file
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_an_existing_report_is_replaced_whole(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    dest = tmp_path / "report.json"
    dest.write_text("x" * 1_000_000)  # longer than the report: no tail may survive
    assert run_cli(_check(repo, "--json-file", str(dest)), repo).code == 0
    json.loads(dest.read_text(encoding="utf-8"))


@pytest.mark.parametrize("first", [True, False])
def test_a_folder_that_does_not_exist_is_one_line_and_no_report_at_all(
        tmp_path: Path, first: bool) -> None:
    repo = _repo(tmp_path)
    good = ["--json-file", "good.json"]
    bad = ["--sarif-file", "nowhere/x.sarif"]
    result = run_cli(_check(repo, *(bad + good if first else good + bad)), repo)
    assert result.code == 2
    assert result.err == "sustain-lint: error: cannot write nowhere/x.sarif: No such file or directory\n"
    assert result.out == ""
    assert not (repo / "good.json").exists()  # all reports or none
    assert not [p for p in repo.iterdir() if p.name.startswith(".good.json")]


def test_a_destination_that_is_a_folder_or_named_twice_is_refused(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "reports").mkdir()
    for args, reason in [
            (["--output", "reports"], "cannot write reports: Is a directory"),
            (["--output", "reports/"], "cannot write reports/: Is a directory"),
            (["--json-file", "a.json", "--sarif-file", "./reports/../a.json"],
             "cannot write ./reports/../a.json: it is also the destination of another report"),
    ]:
        result = run_cli(_check(repo, *args), repo)
        assert result.code == 2, args
        assert result.err.startswith(f"sustain-lint: error: {reason}"), result.err
        assert result.err.count("\n") == 1
        assert not (repo / "a.json").exists()


@pytest.mark.skipif(not os.path.islink("/dev/stdout"), reason="/dev/stdout is not a link here")
def test_dev_stdout_and_stderr_are_the_process_s_own_streams(tmp_path: Path) -> None:
    """``--output /dev/stdout`` (or /dev/stderr, /dev/fd/1, /proc/self/fd/2) writes the
    report to the process's own stream, as a file: the link in /dev is never replaced
    (as root, a regular file there would break every later process), and a reader that
    goes away is no error."""
    repo = _repo(tmp_path)
    base = [sys.executable, "-m", "sustain_lint", "--today", TODAY, "--select", "SL001"]

    def run(*args: str, **kw: object) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([*base, *args], cwd=repo, capture_output=True, check=False,
                              env={**os.environ, "NO_COLOR": "1"}, **kw)  # type: ignore[call-overload]

    plain = run("--format", "json")
    for name in ("/dev/stdout", "/proc/self/fd/1"):
        to = run("--format", "json", "--output", name)
        assert to.returncode == 0 and to.stderr == b"", to.stderr
        assert to.stdout == plain.stdout and json.loads(to.stdout)["passed"] is True
    both = run("--format", "json", "--html-file", "/dev/stderr")
    assert both.returncode == 0 and both.stdout == plain.stdout
    page = both.stderr.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "covered 24/7" in page
    twice = run("--format", "json", "--output", "/dev/stdout", "--sarif-file", "/dev/fd/1")
    assert twice.returncode == 2 and twice.stdout == b""
    assert b"also the destination of another report" in twice.stderr
    gone = subprocess.run(f'"{sys.executable}" -m sustain_lint --today {TODAY} --select SL001 '
                          "--format html --output /dev/stdout | head -c 10; "
                          "exit ${PIPESTATUS[0]}",
                          shell=True, executable="/bin/bash", cwd=repo, capture_output=True,
                          check=False)
    assert gone.returncode == 0 and gone.stdout == b"<!DOCTYPE " and gone.stderr == b""
    assert os.path.islink("/dev/stdout") and os.path.islink("/dev/stderr")
    inside = run_cli(_check(repo, "--select", "SL001", "--output", "/dev/stdout"), repo)
    assert inside.code == 0 and json.loads(inside.out)["passed"] is True


def test_dev_null_is_written_in_place_and_dev_full_is_one_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    ok = run_cli(_check(repo, "--output", os.devnull, "--sarif-file", "r.sarif"), repo)
    assert ok.code == 0 and (repo / "r.sarif").is_file()
    assert stat.S_ISCHR(os.lstat(os.devnull).st_mode)  # still the device, not replaced
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    full = run_cli(_check(repo, "--output", "/dev/full", "--json-file", "j.json"), repo)
    assert full.code == 2
    assert full.err == "sustain-lint: error: cannot write /dev/full: No space left on device\n"
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)
    assert not (repo / "j.json").exists()  # the in-place report failed first: none renamed
    assert not [p for p in repo.iterdir() if p.name.startswith(".j.json")]


def _in_private_mount(tmp_path: Path, script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``script`` (sh) in a mount namespace of its own: tmpfs mounts made there
    vanish with it."""
    return subprocess.run(
        ["unshare", "--mount", "sh", "-c", script], capture_output=True, text=True,
        timeout=300, check=False,
        env={**os.environ, "PY": sys.executable, "TODAY": TODAY, **env}, cwd=tmp_path)


@needs_unshare
def test_a_full_disk_leaves_the_old_report_and_no_temporary_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    disk = tmp_path / "disk"
    disk.mkdir()
    # a 64 KB tmpfs holding an old report, then filled up: a real ENOSPC
    proc = _in_private_mount(tmp_path, """
        set -u
        mount -t tmpfs -o size=64k tmpfs "$DISK" || exit 99
        echo old > "$DISK/report.sarif"
        dd if=/dev/zero of="$DISK/filler" bs=4k 2>/dev/null
        cd "$REPO"
        "$PY" -m sustain_lint --today "$TODAY" --sarif-file "$DISK/report.sarif" > /dev/null
        echo "exit=$?"
        ls -A "$DISK"
        cat "$DISK/report.sarif"
    """, DISK=str(disk), REPO=str(repo))
    assert "exit=2" in proc.stdout, proc.stdout + proc.stderr
    assert proc.stderr == (f"sustain-lint: error: cannot write {disk}/report.sarif: "
                           "No space left on device\n")
    listing = proc.stdout.split("exit=2\n", 1)[1]
    assert listing == "filler\nreport.sarif\nold\n"  # untouched, and no temporary file


@needs_unshare
def test_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    disk = tmp_path / "ro"
    disk.mkdir()
    proc = _in_private_mount(tmp_path, """
        mount -t tmpfs -o ro tmpfs "$DISK" || exit 99
        cd "$REPO"
        "$PY" -m sustain_lint --today "$TODAY" --junit-file "$DISK/r.xml" --json-file ok.json
        echo "exit=$?"
        ls -A "$DISK"
    """, DISK=str(disk), REPO=str(repo))
    assert proc.stdout.endswith("exit=2\n"), proc.stdout + proc.stderr
    assert proc.stderr == f"sustain-lint: error: cannot write {disk}/r.xml: Read-only file system\n"
    assert not (repo / "ok.json").exists()


def test_permission_denied_is_one_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("root writes into a read-only folder anyway (see the tmpfs test)")
        result = run_cli(_check(repo, "--json-file", str(locked / "r.json")), repo)
        assert result.code == 2
        assert result.err == f"sustain-lint: error: cannot write {locked}/r.json: Permission denied\n"
    finally:
        locked.chmod(0o755)


# --- nothing is ever written into the evidence being checked ---------------------------------

def _tree(root: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = path.read_bytes()
            else:
                found[rel] = "dir"
    return found


@pytest.mark.parametrize(("option", "dest", "shown"), [
    ("--output", f"{SET}/maintenance-charter.md", f"{SET}/maintenance-charter.md"),
    ("--sarif-file", f"{SET}/waivers.yaml", f"{SET}/waivers.yaml"),  # an artifact not there
    ("--json-file", f"{SET}/report.json", f"{SET}/report.json"),  # anything directly inside
    ("--junit-file", f"./{SET}/../maintenance/r.xml", f"{SET}/r.xml"),
    ("--json-file", "evidence/review-calendar.md", f"{SET}/review-calendar.md"),  # a link
    ("--sarif-file", "docs/charter.md", f"{SET}/maintenance-charter.md"),  # a linked artifact
])
def test_a_destination_in_the_evidence_is_refused(tmp_path: Path, option: str, dest: str,
                                                  shown: str) -> None:
    repo = _repo(tmp_path)
    (repo / "evidence").symlink_to(SET)  # a folder link to the set: resolved
    docs = repo / "docs"
    docs.mkdir(exist_ok=True)
    charter = repo / SET / "maintenance-charter.md"
    charter.rename(docs / "charter.md")
    charter.symlink_to("../../docs/charter.md")  # an artifact kept elsewhere in the repo
    summary = tmp_path / "summary.md"
    summary.write_text("")
    before = _tree(repo)
    os.environ["GITHUB_STEP_SUMMARY"] = str(summary)
    try:
        result = run_cli(["--today", TODAY, "--format", "github", "--json-file", "../ok.json",
                          option, dest], repo)
    finally:
        del os.environ["GITHUB_STEP_SUMMARY"]
    assert result.code == 2
    assert result.err == (f"sustain-lint: error: cannot write {dest}: it is {shown}, in an "
                          "evidence set being checked (reports are never written into the "
                          "evidence)\n")
    assert result.out == ""
    assert _tree(repo) == before
    assert not (tmp_path / "ok.json").exists() and summary.read_text() == ""


def test_every_checked_set_is_protected_and_only_those(tmp_path: Path) -> None:
    repo = tmp_path / "mono"
    copy_example(repo / "a")
    copy_example(repo / "b")
    result = run_cli(_check(repo, "--json-file", f"b/{SET}/r.json"), repo)
    assert result.code == 2 and f"it is b/{SET}/r.json" in result.err
    # a set that is not checked is no evidence of this run; a subfolder of a set is not the set
    (repo / "a" / SET / "reports").mkdir()
    assert run_cli(_check(repo, "a", "--json-file", f"b/{SET}/r.json"), repo).code == 0
    assert run_cli(_check(repo, "--json-file", f"a/{SET}/reports/r.json"), repo).code == 0


def test_a_repository_without_a_set_protects_where_the_set_would_be(tmp_path: Path) -> None:
    (tmp_path / ".artifacts").mkdir()
    result = run_cli(_check(tmp_path, "--output", ".artifacts/maintenance"), tmp_path)
    assert result.code == 2 and "cannot write .artifacts/maintenance" in result.err


def test_an_export_that_schedules_finds_elsewhere_is_evidence_too(tmp_path: Path) -> None:
    """Config ``schedules`` may name exports in a subfolder of the set or elsewhere in
    the repository: no report is written over one of them either."""
    repo = _repo(tmp_path)
    shared = repo / "oncall-exports"
    shared.mkdir()
    (repo / SET / "oncall-payments-l2.ics").rename(shared / "payments-l2.ics")
    (repo / ".sustain-lint.toml").write_text(
        'schedules = ["../../oncall-exports/*.ics"]\n', encoding="utf-8")
    assert run_cli(_check(repo, "."), repo).code == 0  # the export is found and covers
    before = _tree(repo)
    result = run_cli(_check(repo, "--json-file", "oncall-exports/payments-l2.ics"), repo)
    assert result.code == 2
    assert result.err == (
        "sustain-lint: error: cannot write oncall-exports/payments-l2.ics: it is "
        "oncall-exports/payments-l2.ics, in an evidence set being checked "
        "(reports are never written into the evidence)\n")
    assert _tree(repo) == before
    # a file beside the exports that no pattern matches is no evidence
    assert run_cli(_check(repo, "--json-file", "oncall-exports/r.json"), repo).code == 0
