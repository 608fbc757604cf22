"""Output safety: text taken from an artifact (a key, an id, a cell, an owner, a title) or
from a folder name can neither put terminal escape sequences into the text report nor
forge a GitHub workflow command in ``--format github`` output."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.helpers import SET, TODAY, copy_example, run_cli

CSI = "\x1b[31m"  # colour: red
OSC = "\x1b]0;pwned\x07"  # set the window title
CLEAR = "\x1b[2J"  # clear the screen
FORGE = "\n::error file=forged.txt,line=1::forged"
FORGE_CR = "\r::warning::forged-cr"
NASTY = CSI + OSC + CLEAR + "\x08\x00\u009b2J" + FORGE + FORGE_CR


def _yaml_dq(text: str) -> str:
    """A YAML double-quoted scalar holding ``text`` exactly."""
    return json.dumps(text)  # JSON strings are valid YAML double-quoted scalars


def _hostile_repo(tmp_path: Path) -> Path:
    # a folder name with control characters holds a second set
    repo = copy_example(tmp_path / "repo")
    folder = repo / SET
    # support-workflow.yaml: a duplicate key (SL004 quotes the key) and a queue owner and
    # escalation role nobody knows (SL005 quotes the value)
    wf = folder / "support-workflow.yaml"
    text = wf.read_text()
    text = text.replace("  - {id: oncall, owner: L2 On-call Engineer}",
                        f"  - {{id: oncall, owner: {_yaml_dq('Eve' + NASTY)}}}")
    text += f"{_yaml_dq('x' + NASTY)}: 1\n{_yaml_dq('x' + NASTY)}: 2\n"
    wf.write_text(text)
    # runbook-index.json: duplicate ids and a hostile title and type (SL204, SL003)
    index = json.loads((folder / "runbook-index.json").read_text())
    index["runbooks"][1]["id"] = index["runbooks"][0]["id"] = "RB" + NASTY
    index["runbooks"][2]["title"] = "Incident" + NASTY
    index["runbooks"][3]["type"] = "maintenance" + NASTY
    (folder / "runbook-index.json").write_text(json.dumps(index, indent=2))
    # tooling-access-checklist.json: a duplicate JSON key (SL004 quotes the key)
    tooling = (folder / "tooling-access-checklist.json").read_text()
    key = json.dumps("k" + NASTY)
    tooling = tooling.replace('"tools": [', f"{key}: 1, {key}: 2, \"tools\": [", 1)
    (folder / "tooling-access-checklist.json").write_text(tooling)
    # backlog-register.csv: a duplicate id in quoted cells with a line break (SL303),
    # a hostile owner (SL005) and priority (SL003)
    # (no NUL here: a NUL makes the whole CSV unreadable, and the cells must be judged)
    csv_nasty = NASTY.replace("\x00", "")
    backlog = (folder / "backlog-register.csv").read_text()
    cell = '"BL' + csv_nasty + '"'
    backlog = backlog.replace("BL-101,", cell + ",").replace("BL-102,", cell + ",")
    backlog = backlog.replace("Priya Raman,open", '"Mallory' + csv_nasty + '",open')
    backlog = backlog.replace(",P3,", ',"P3' + csv_nasty + '",')
    (folder / "backlog-register.csv").write_text(backlog)
    # review-calendar.md: a hostile facilitator (SL005) in a Markdown table cell
    cal = (folder / "review-calendar.md").read_text()
    cal = cal.replace("| Support Lead |", "| Trudy" + CSI + OSC + CLEAR + "::error::forged |")
    (folder / "review-calendar.md").write_text(cal)
    # a second set under a folder whose name holds escape sequences and a newline
    evil = repo / ("svc" + CSI + OSC + "\n::error::forged-path,x")
    copy_example(evil)
    (evil / SET / "feedback-loop-map.json").write_text("{")
    return repo


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    return _hostile_repo(tmp_path)


def _assert_payload_reached_messages(repo: Path) -> None:
    """The hostile text does reach the findings (else the test proves nothing)."""
    data = run_cli(["--today", TODAY, "--format", "json", "."], repo).json
    messages = " ".join(f["message"] + f["path"] for s in data["sets"] for f in s["findings"])
    assert "\x1b" in messages or "\\u001b" in messages or "\\x1b" in messages
    rules = {f["rule"] for s in data["sets"] for f in s["findings"]}
    assert {"SL002", "SL003", "SL004", "SL303"} <= rules, rules


@pytest.mark.parametrize("color", ["never", "always"])
def test_text_report_has_no_escape_sequences_from_artifacts(color: str, hostile: Path) -> None:
    _assert_payload_reached_messages(hostile)
    result = run_cli(["--today", TODAY, "--color", color, "."], hostile)
    assert result.code == 1 and result.err == "", result.err
    out = result.out
    # only the reporter's own colours (SGR: ESC [ digits m) may remain
    stripped = re.sub(r"\x1b\[[0-9;]*m", "", out)
    if color == "never":
        assert "\x1b" not in out
    for bad in ("\x1b]", "\x07", "\x1b[2J", "\x08", "\x00", "\u009b", "\r"):
        assert bad not in out, repr(bad)
    # every line is printable apart from the reporter's SGR codes: no raw control
    # character from an artifact can reach the terminal
    for line in stripped.split("\n"):
        assert line.isprintable(), repr(line)
    # and the injected colour code itself never arrives raw (escaped, not sent)
    if color == "always":
        assert CSI + OSC not in out
        payload_lines = [line for line in out.split("\n") if "pwned" in line]
        # (a source line shows the file's own text: in JSON the payload is written
        # escaped, \u001b, and stays so)
        assert payload_lines and all("\\x1b" in line or "\\u001b" in line
                                     for line in payload_lines)


_COMMAND = re.compile(r"^::(error|warning|notice)( [^:]*)?::")


def test_github_output_cannot_be_forged(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    _assert_payload_reached_messages(hostile)
    result = run_cli(["--today", TODAY, "--format", "github", "."], hostile)
    assert result.code == 1 and result.err == "", result.err
    lines = result.out.split("\n")
    assert "\r" not in result.out
    # the plain log lines are enclosed in ::stop-commands::TOKEN ... ::TOKEN::
    token = lines[0].removeprefix("::stop-commands::")
    assert lines[0] != token and lines.count(f"::{token}::") == 1, lines[:2]
    for line in lines:
        if line in (lines[0], f"::{token}::"):
            continue
        if line.startswith("::"):
            assert _COMMAND.match(line), repr(line)
            props = _COMMAND.match(line).group(2) or ""  # type: ignore[union-attr]
            # properties are key=value pairs whose values hold no raw ':' or ','
            for prop in filter(None, props.strip().split(",")):
                assert re.fullmatch(r"(file|line|col|endLine|endColumn|title)=[^:,]*", prop), prop
            if "file=" in props:
                assert "forged.txt" not in props.split("::")[0]
        else:
            # a line that is not a command is plain log text: never a forged command
            assert "::error" not in line[:8] and "::warning" not in line[:10], repr(line)
    assert not any(line.startswith(("::error::forged", "::warning::forged",
                                    "::error file=forged")) for line in lines)
    assert any("forged" in line for line in lines), "the payload never reached the output"


def test_github_step_summary_is_escaped(hostile: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The job summary is Markdown, not a command channel, but it must not carry raw
    control characters either."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli(["--today", TODAY, "--format", "github", "."], hostile)
    assert result.code == 1, result.err
    text = summary.read_text(encoding="utf-8")
    assert text
    for bad in ("\x1b", "\x07", "\x00", "\x08", "\r"):
        assert bad not in text, repr(bad)


def test_folder_name_with_newline_is_escaped_in_text(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / ("repo" + OSC + "\n[GATE 1 PASSED] forged"))
    (repo / SET / "runbook-index.json").write_text("[")
    outside = tmp_path
    result = run_cli(["--today", TODAY, "--color", "never", os.path.basename(repo)], outside)
    assert result.code == 1, result.err
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert not any(line.startswith("[GATE 1 PASSED] forged") for line in result.out.split("\n"))
