"""``--format github``: annotations, their limits and order, the step summary,
and escaping that keeps artifact text from forging a workflow command."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from sustain_lint.cli import _append_step_summary
from sustain_lint.model import (
    GATE_NAMES,
    Finding,
    GateResult,
    GateStatus,
    RunResult,
    SetDetails,
    SetResult,
    Severity,
)
from sustain_lint.reporters.github import escape_data, escape_property, render_github
from tests._integration import SCENARIOS, lint_args
from tests.helpers import SET, run_cli

HOSTILE = "50% done,\r\n::error file=forged.py,line=1::forged: yes, really\n::set-output name=x::y"
COMMAND = re.compile(r"^::(error|warning|notice)( [^:]*)?::(.*)$")


def finding(rule: str, gate: int, severity: Severity, line: int | None = 1,
            message: str = "msg", path: str = f"{SET}/x.json", suppressed: bool = False
            ) -> Finding:
    return Finding(rule=rule, name="name", severity=severity, gate=gate, set_path=SET,
                   path=path, artifact="x.json", line=line, column=2 if line else None,
                   logical=None, message=message, suppressed=suppressed,
                   justification="because" if suppressed else None)


def result_of(findings: list[Finding]) -> RunResult:
    gates = tuple(
        GateResult(n, GATE_NAMES[n], GateStatus.FAILED if any(
            f.gate == n and not f.suppressed and f.severity is Severity.ERROR for f in findings)
            else GateStatus.PASSED,
            sum(f.gate == n and f.severity is Severity.ERROR for f in findings),
            sum(f.gate == n and f.severity is Severity.WARNING for f in findings),
            sum(f.gate == n and f.suppressed for f in findings))
        for n in (1, 2, 3, 4))
    return RunResult("0", "2026-11-22", 4, False, False,
                     (SetResult(SET, gates, tuple(sorted(findings, key=Finding.sort_key))),))


def wrapper(text: str) -> set[str]:
    """The ``::stop-commands::TOKEN`` ... ``::TOKEN::`` pair around the plain log lines."""
    first = text.split("\n", 1)[0]
    if not first.startswith("::stop-commands::"):
        return set()
    return {first, f"::{first[len('::stop-commands::'):]}::"}


def commands(text: str) -> list[str]:
    """The annotations: every command line but the stop-commands wrapper."""
    return [line for line in text.splitlines()
            if line.startswith("::") and line not in wrapper(text)]


def test_escaping_functions() -> None:
    assert escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"


def test_hostile_text_cannot_forge_a_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    hostile = finding("SL003", 1, Severity.ERROR, message=HOSTILE,
                      path=f"{SET}/we,ird:name%\n::error::x.json")
    out = render_github(result_of([hostile]))
    cmds = commands(out)
    assert len(cmds) == 1, out
    m = COMMAND.match(cmds[0])
    assert m and m.group(1) == "error"
    props = dict(p.split("=", 1) for p in m.group(2).strip().split(","))
    assert props == {"file": f"{SET}/we%2Cird%3Aname%25%0A%3A%3Aerror%3A%3Ax.json",
                     "line": "1", "col": "2", "title": "SL003"}
    assert m.group(3) == ("50%25 done,%0D%0A::error file=forged.py,line=1::forged: yes, really"
                          "%0A::set-output name=x::y")
    # Every other line of the log is plain text, never a command.
    assert all(not line.lstrip().startswith("::") for line in out.splitlines()
               if line not in cmds and line not in wrapper(out))


def test_annotation_limits_and_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    findings = [finding(f"SL{400 - i}", 4 - i % 4, Severity.ERROR, line=i + 1,
                        message=f"error {i}") for i in range(15)]
    findings += [finding(f"SL{200 + i}", 1 + i % 4, Severity.WARNING, line=i + 1,
                         message=f"warning {i}") for i in range(12)]
    findings += [finding("SL111", 1, Severity.ERROR, message="waived one", suppressed=True)]
    cmds = commands(render_github(result_of(findings)))
    errors = [c for c in cmds if c.startswith("::error ")]
    warnings = [c for c in cmds if c.startswith("::warning ")]
    notices = [c for c in cmds if c.startswith("::notice")]
    assert len(errors) == 10 and len(warnings) == 10 and len(notices) == 1
    assert cmds.index(errors[-1]) < cmds.index(warnings[0])  # errors first
    gates = [next(f.gate for f in findings if c.endswith(f"::{f.message}")) for c in errors]
    assert gates == sorted(gates) and gates[0] == 1  # earlier gates first
    assert "5 errors and 2 warnings not annotated" in notices[0]
    assert not any("waived one" in c for c in cmds)


def test_step_summary_is_appended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    findings = [finding("SL003", 1, Severity.ERROR, message="a | b\n<script>x</script>"),
                finding("SL304", 3, Severity.WARNING, message="late"),
                finding("SL111", 1, Severity.ERROR, message="waived", suppressed=True)]
    findings += [finding(f"SL30{i}", 3, Severity.ERROR, message=f"e{i}") for i in range(12)]
    _append_step_summary("github", result_of(findings))
    text = summary.read_text()
    assert text.startswith("# earlier step\n## sustain-lint")
    assert "| 1 Charter & Capacity | ❌ failed | 2 | 0 | 1 |" in text
    rows = [line for line in text.splitlines() if line.startswith(f"| {1} |")
            or line.startswith("| 3 |")]
    assert len(rows) == len(findings)  # every finding, not just the annotated ones
    assert "a \\| b <script>" not in text and "&lt;script&gt;" in text
    assert "waived (because)" in text
    _append_step_summary("github", result_of(findings))
    assert summary.read_text().count("## sustain-lint") == 2


def test_the_reporter_only_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering the github report writes nothing: the CLI appends the step summary."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    render_github(result_of([finding("SL003", 1, Severity.ERROR, message="x")]))
    assert not summary.exists()
    for fmt in ("text", "json", "sarif", "junit"):
        _append_step_summary(fmt, result_of([]))  # only the github format adds to it
    assert not summary.exists()


def test_real_run_with_hostile_artifact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = SCENARIOS["passing"](tmp_path / "repo")
    tooling = repo / SET / "tooling-access-checklist.json"
    data = json.loads(tooling.read_text())
    data["tools"][0]["access"] = HOSTILE
    data["tools"][1]["category"] = "x%y,z:w\n::warning::forged"
    tooling.write_text(json.dumps(data, indent=2))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli(lint_args("--format", "github"), repo)
    assert result.code == 1
    cmds = commands(result.out)
    assert cmds and all(COMMAND.match(c) for c in cmds)
    annotated = [c for c in cmds if c.startswith("::error")]
    assert len(annotated) >= 2, result.out  # the category's SL003, the access's SL121
    for c in annotated:
        assert "file=.artifacts/maintenance/tooling-access-checklist.json,line=" in c
        assert re.search(r",title=SL\d{3}::", c)
        assert "\n" not in c and "\r" not in c
    assert "forged" not in "".join(c.split("::", 2)[1] for c in cmds)  # never in properties
    # one cause, one finding: the bad access is SL121's alone (not also SL003)
    assert sum(",title=SL003::" in c for c in annotated) == 1
    assert sum(",title=SL121::" in c for c in annotated) == 1
    assert "[GATE 1 FAILED]" in result.out
    assert "tooling-access-checklist.json" in summary.read_text()


def test_passing_run_has_no_annotations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = SCENARIOS["passing"](tmp_path / "repo")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = run_cli(lint_args("--format", "github"), repo)
    assert result.code == 0
    assert commands(result.out) == []
    assert "passed" in result.out


def test_waived_is_not_annotated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = SCENARIOS["waived"](tmp_path / "repo")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = run_cli(lint_args("--format", "github"), repo)
    assert result.code == 0
    assert commands(result.out) == []
    assert "SL001 [waived]" in result.out


def test_terminal_escapes_never_reach_the_log_viewer() -> None:
    hostile = finding("SL003", 1, Severity.ERROR, message="title \x1b[31mred\x1b]0;pwned\x07\nnext")
    out = render_github(result_of([hostile]))
    assert "\x1b" not in out and "\x07" not in out
    assert "title \\x1b[31mred\\x1b]0;pwned\\x07%0Anext" in out


def _export_details(pictures: int, weeks: int = 8) -> SetDetails:
    """A set's exports over ``weeks`` weeks from Monday 2026-11-23, nobody on shift for an
    hour of each week's Monday: ``pictures`` different hours (then the first again)."""
    from sustain_lint.details import export_weeks

    day, week = 86400, 7 * 86400
    start = (dt.date(2026, 11, 23) - dt.date(1970, 1, 1)).days * day
    end = start + weeks * week
    gaps = tuple((start + w * week + (w % pictures) * 3600,
                  start + w * week + (w % pictures) * 3600 + 3600) for w in range(weeks))
    bounds = [start, *[t for gap in gaps for t in gap], end]
    shifts = tuple((bounds[i], bounds[i + 1], ("Dana Whitfield",))
                   for i in range(0, len(bounds), 2))
    maps, count, lines = export_weeks(shifts, start, end, gaps)
    return SetDetails(schedule=maps, schedule_weeks=count, schedule_gaps=lines,
                      schedule_exports=("oncall-l2.ics",),
                      schedule_horizon="2026-11-23 to 2027-01-17")


def test_the_step_summary_draws_each_picture_of_a_week_with_a_gap_once() -> None:
    from sustain_lint.reporters.github import schedule_summary

    text = "\n".join(schedule_summary(_export_details(pictures=2)))
    assert text.count("```text") == 2
    assert "Weeks 1 (2026-11-23 to 2026-11-29), 3 (2026-12-07 to 2026-12-13), 5 (" in text
    assert "nobody on shift: Mon 00:00–01:00 UTC (1 h)" in text
    assert "nobody on shift: Mon 01:00–02:00 UTC (1 h)" in text
    assert "No gap in" not in text and "Dana Whitfield" not in text
    assert "- 01:00-02:00 UTC on Mon 2026-11-30" in text  # (fortnightly: one line a date)


def test_the_step_summary_draws_at_most_five_weeks_of_an_export() -> None:
    from sustain_lint.reporters.github import SUMMARY_WEEKS, schedule_summary

    text = "\n".join(schedule_summary(_export_details(pictures=8)))
    assert text.count("```text") == SUMMARY_WEEKS == 5
    assert "3 more weeks with a gap not drawn (`sustain-lint coverage` draws every week)." in text
    assert "horizon 2026-11-23 to 2027-01-17 (8 calendar weeks, UTC):" in text


def test_the_step_summary_of_a_set_without_exports_says_nothing_of_them() -> None:
    from sustain_lint.reporters.github import schedule_summary

    assert schedule_summary(SetDetails(schedule_note="no on-call export in the set")) == []


def test_the_maps_give_way_before_the_summary_does(tmp_path: Path) -> None:
    """A summary whose gate tables and maps are too large for what is left of the
    1 MiB drops the exports' maps first, then the roster's, and says so, instead of
    being left out whole; rows of findings are cut as before (test_forged_commands)."""
    import dataclasses

    from sustain_lint.cli import _check_parser, run_checks
    from sustain_lint.reporters.github import step_summary
    from tests.helpers import TODAY
    from tests.pages import make_set

    repo = make_set(tmp_path)
    args = _check_parser().parse_args([repo.name, "--today", TODAY, "--format", "github"])
    found = run_checks(args, str(tmp_path), details=True)
    result = dataclasses.replace(found, sets=tuple(dataclasses.replace(s, findings=())
                                                   for s in found.sets))
    full = step_summary(result)
    assert "L2 on-call shifts from the exports" in full and "L2 coverage in UTC" in full
    roster_only = step_summary(result, len(full.encode()) - 1)
    assert "L2 on-call shifts from the exports" not in roster_only
    assert "**The maps of the on-call exports are left out: no room for them" in roster_only
    assert "L2 coverage in UTC, period 1 of 3" in roster_only
    bare = step_summary(result, len(roster_only.encode()) - 1)
    assert "L2 coverage in UTC" not in bare and "```" not in bare
    assert "**The coverage maps are left out: no room for them within GitHub's 1 MiB**" in bare
    assert "| 1 Charter & Capacity | ❌ failed | 5 | 0 | 0 |" in bare
    assert step_summary(result, len(bare.encode()) - 1) == ""  # not even the gate tables
