"""Ordinary trouble on stdout: a full disk is exit 2 with one line (never exit
3, never a traceback), and a stdout that is not UTF-8 gets the report with the
characters it cannot encode escaped, the exit code still the judgement's
(docs/decisions/hardening.md, "Writing reports"). Real processes: what matters
here is what the interpreter does with its own streams."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.helpers import SET, TODAY, copy_example

FULL_LINE = "sustain-lint: error: cannot write stdout: No space left on device\n"
OWNER = "Zoë 🚀"

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")


def _run(args: list[str], cwd: Path, stdout: object = subprocess.PIPE,
         **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "sustain_lint", *args], cwd=cwd,
                          stdout=stdout, stderr=subprocess.PIPE, timeout=120, check=False,
                          env={**os.environ, "NO_COLOR": "1", **env})


def _to_dev_full(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    with open("/dev/full", "w") as full:
        return _run(args, cwd, stdout=full, **env)


# (a fresh interpreter each: the fast run takes the text report, CI all of them)
@pytest.mark.parametrize("fmt", ["text", *(pytest.param(f, marks=pytest.mark.slow)
                                           for f in ("json", "sarif", "github", "junit"))])
def test_a_report_to_a_full_disk_is_exit_2_and_one_line(tmp_path: Path, fmt: str) -> None:
    repo = copy_example(tmp_path / "repo")
    proc = _to_dev_full(["--today", TODAY, "--format", fmt], repo)
    assert (proc.returncode, proc.stderr.decode()) == (2, FULL_LINE)


@pytest.mark.parametrize("args", [
    ["rules"], ["rules", "--format", "json"], ["explain", "SL111"],
    ["schema", "runbook-index.json"], ["schema", "config"], ["--version"], ["--help"],
    ["init", "--help"],
])
def test_the_other_commands_to_a_full_disk_are_exit_2_and_one_line(
        tmp_path: Path, args: list[str]) -> None:
    # small outputs stay in the buffer until the last flush (cli.console): that one too
    proc = _to_dev_full(args, tmp_path)
    assert (proc.returncode, proc.stderr.decode()) == (2, FULL_LINE)


def test_init_to_a_full_disk_writes_the_set_then_says_so(tmp_path: Path) -> None:
    proc = _to_dev_full(["init", str(tmp_path)], tmp_path)
    assert (proc.returncode, proc.stderr.decode()) == (2, FULL_LINE)
    assert len(list((tmp_path / SET).iterdir())) == 12


def test_report_files_are_written_before_stdout_fails(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    proc = _to_dev_full(["--today", TODAY, "--sarif-file", "r.sarif"], repo)
    assert (proc.returncode, proc.stderr.decode()) == (2, FULL_LINE)
    json.loads((repo / "r.sarif").read_text(encoding="utf-8"))


def _zoe_repo(tmp_path: Path) -> Path:
    """A set whose one finding quotes an owner with a non-ASCII letter and an emoji."""
    repo = copy_example(tmp_path / "repo")
    workflow = repo / SET / "support-workflow.yaml"
    text = workflow.read_text(encoding="utf-8")
    old = "  - {id: oncall, owner: L2 On-call Engineer}"
    assert old in text
    workflow.write_text(text.replace(old, f'  - {{id: oncall, owner: "{OWNER}"}}'),
                        encoding="utf-8")
    return repo


NOTE = "sustain-lint: note: stdout is not UTF-8 ({}): {}; set PYTHONIOENCODING=utf-8 to see them as written\n"
TEXT_NOTE = ("the characters it cannot encode are shown as backslash escapes (\\xeb, "
             "\\U0001f680)")
JSON_NOTE = "the characters beyond ASCII are written as JSON escapes (\\u00eb), which mean the same"
XML_NOTE = ("the characters beyond ASCII are written as XML character references (&#235;), "
            "which mean the same")
ENCODINGS = [("ascii", "Zo\\xeb \\U0001f680", "ascii"),
             ("latin-1", "Zoë \\U0001f680", "iso8859-1")]


def _messages(fmt: str, out: bytes) -> str:
    """Every message of a structured report, parsed as its format reads it."""
    if fmt == "json":
        return json.dumps([f["message"] for s in json.loads(out)["sets"] for f in s["findings"]],
                          ensure_ascii=False)
    if fmt == "sarif":
        return json.dumps([r["message"]["text"] for r in json.loads(out)["runs"][0]["results"]],
                          ensure_ascii=False)
    return " ".join(ET.fromstring(out).itertext())  # UTF-8 by its declaration: ASCII is


@pytest.mark.parametrize(("encoding", "shown", "name"), ENCODINGS)
@pytest.mark.parametrize("fmt", ["text", "github"])
@pytest.mark.parametrize("strict", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_a_stdout_that_is_not_utf8_gets_the_text_report_escaped(
        tmp_path: Path, encoding: str, shown: str, name: str, fmt: str, strict: bool) -> None:
    repo = _zoe_repo(tmp_path)
    args = ["--today", TODAY, "--format", fmt, "--json-file", "r.json"]
    proc = _run(args + (["--strict"] if strict else []), repo, PYTHONIOENCODING=encoding)
    assert proc.returncode == (1 if strict else 0)  # the judgement's: SL005 is a warning
    assert shown in proc.stdout.decode(encoding)  # in the stream's own encoding, whole
    assert proc.stderr.decode("ascii") == NOTE.format(name, TEXT_NOTE)
    # report files are always UTF-8, the owner as written
    assert OWNER in (repo / "r.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(("encoding", "name"), [
    ("ascii", "ascii"), pytest.param("latin-1", "iso8859-1", marks=pytest.mark.slow)])
@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_a_stdout_that_is_not_utf8_gets_a_valid_document_that_means_the_same(
        tmp_path: Path, encoding: str, name: str, fmt: str) -> None:
    repo = _zoe_repo(tmp_path)
    proc = _run(["--today", TODAY, "--format", fmt, "--strict"], repo, PYTHONIOENCODING=encoding)
    assert proc.returncode == 1
    assert proc.stdout.isascii()
    assert OWNER in _messages(fmt, proc.stdout)
    note = XML_NOTE if fmt == "junit" else JSON_NOTE
    assert proc.stderr.decode("ascii") == NOTE.format(name, note)
    utf8 = _run(["--today", TODAY, "--format", fmt, "--strict"], repo, PYTHONIOENCODING="utf-8")
    assert _messages(fmt, proc.stdout) == _messages(fmt, utf8.stdout)


@pytest.mark.parametrize("args", [["rules"], ["rules", "--format", "json"],
                                  ["rules", "--format", "markdown"], ["explain", "SL111"],
                                  ["schema", "runbook-index.json"], ["schema", "config"],
                                  ["--help"]])
def test_the_other_commands_on_an_ascii_stdout(tmp_path: Path, args: list[str]) -> None:
    proc = _run(args, tmp_path, PYTHONIOENCODING="ascii")
    assert proc.returncode == 0
    assert proc.stderr in (b"", NOTE.format("ascii", TEXT_NOTE).encode())
    if "json" in args or "schema" in args:
        json.loads(proc.stdout)


def test_a_utf8_stdout_gets_the_report_as_written(tmp_path: Path) -> None:
    repo = _zoe_repo(tmp_path)
    proc = _run(["--today", TODAY], repo, PYTHONIOENCODING="utf-8")
    assert proc.returncode == 0 and proc.stderr == b""
    assert OWNER in proc.stdout.decode("utf-8")


def test_init_on_a_stdout_that_is_not_utf8(tmp_path: Path) -> None:
    where = tmp_path / "Zoë"
    proc = _run(["init", str(where)], tmp_path, PYTHONIOENCODING="ascii")
    assert proc.returncode == 0
    assert "Zo\\xeb" in proc.stdout.decode("ascii")
    assert proc.stderr.decode("ascii") == NOTE.format("ascii", TEXT_NOTE)
    assert len(list((where / SET).iterdir())) == 12
