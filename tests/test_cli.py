"""The command line as a user drives it: discovery, gates, selection,
configuration, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import SET, TODAY, UNKNOWN_CODE, copy_example, run_cli


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "repo")


def test_complete_example_passes_gate_4(repo: Path) -> None:
    r = run_cli(["--gate", "4", "--today", TODAY], repo)
    assert r.code == 0, r.out
    assert r.out.splitlines()[1:5] == [
        "[GATE 1 PASSED] Charter & Capacity",
        "[GATE 2 PASSED] Operations Enablement",
        "[GATE 3 PASSED] Governance",
        "[GATE 4 PASSED] Readiness Validation",
    ]
    assert r.out.rstrip().endswith(
        "[PROTOCOL COMPLETE] - Maintenance & support framework activated.")


def test_missing_file_fails_its_gate_and_blocks_later_ones(repo: Path) -> None:
    (repo / SET / "runbook-index.json").unlink()
    r = run_cli(["--gate", "4", "--today", TODAY], repo)
    assert r.code == 1
    lines = r.out.splitlines()
    assert "[GATE 1 PASSED] Charter & Capacity" in lines
    assert "[GATE 2 FAILED] Operations Enablement: 1 error" in lines
    assert "[GATE 3 BLOCKED] Governance (waiting for an earlier gate)" in lines
    assert "[GATE 4 BLOCKED] Readiness Validation (waiting for an earlier gate)" in lines
    assert any(".artifacts/maintenance/runbook-index.json: SL001 [error] runbook-index.json is "
               "missing (Gate 2" in line for line in lines)


def test_gate_n_judges_only_gates_up_to_n(repo: Path) -> None:
    (repo / SET / "monitoring-activation.json").unlink()
    assert run_cli(["--gate", "3", "--today", TODAY], repo).code == 0
    r = run_cli(["--gate", "4", "--today", TODAY], repo)
    assert r.code == 1
    # the report lists all four gates either way
    r3 = run_cli(["--gate", "3", "--today", TODAY, "--format", "json"], repo)
    assert [g["status"] for g in r3.json["sets"][0]["gates"]] == [
        "passed", "passed", "passed", "failed"]
    assert "[GATES 1-3 PASSED] - Ready for Gate 4." in run_cli(
        ["--gate", "3", "--today", TODAY], repo).out


def test_yaml_syntax_error_gives_only_sl002_at_its_line(repo: Path) -> None:
    path = repo / SET / "support-workflow.yaml"
    path.write_text(path.read_text().replace("queues:\n", "queues:\n  - id: [broken\n", 1))
    r = run_cli(["--today", TODAY, "--format", "json"], repo)
    findings = [f for f in r.json["sets"][0]["findings"] if f["path"].endswith("support-workflow.yaml")]
    # the unclosed bracket opened on line 20 (queues: is line 19)
    assert [(f["rule"], f["line"]) for f in findings] == [("SL002", 20)]
    assert r.code == 1


def test_select_and_ignore_take_prefixes(repo: Path) -> None:
    for name in ("runbook-index.json", "maintenance-charter.md"):
        (repo / SET / name).unlink()
    only_gate_2 = run_cli(["--today", TODAY, "--format", "json", "--select", "SL0",
                           "--ignore", "SL001"], repo)
    assert only_gate_2.json["sets"][0]["findings"] == []
    r = run_cli(["--today", TODAY, "--format", "json", "--select", "SL001"], repo)
    assert sorted(f["path"].rsplit("/", 1)[1] for f in r.json["sets"][0]["findings"]) == [
        "maintenance-charter.md", "runbook-index.json"]


def test_unknown_rule_code_is_a_usage_error(repo: Path) -> None:
    r = run_cli(["--select", UNKNOWN_CODE], repo)
    assert r.code == 2 and UNKNOWN_CODE in r.err


@pytest.mark.parametrize("args, fragment", [
    (["--today", "2026-13-01"], "not a date"),
    (["--gate", "5"], "invalid choice"),
    (["--no-such-flag"], "unrecognized arguments"),
    (["missing/path"], "no such file"),
])
def test_usage_errors_exit_2(repo: Path, args: list[str], fragment: str) -> None:
    r = run_cli(args, repo)
    assert r.code == 2
    assert fragment in r.err


@pytest.mark.parametrize("config, fragment", [
    ('[tool.sustain-lint]\nunknown_key = 1\n', "unknown key 'unknown_key'"),
    ('[tool.sustain-lint]\nselect = ["SL77"]\n', "SL77"),
    ('[tool.sustain-lint.severity]\nSL111 = "fatal"\n', "severity.SL111"),
    ('[tool.sustain-lint.policy]\nmin_l2 = 3\n', "policy.min_l2"),
    ('[tool.sustain-lint]\ntoday = "soon"\n', "'today' must be a date, YYYY-MM-DD (got 'soon')"),
    ('[tool.sustain-lint\n', "not valid TOML"),
])
def test_bad_configuration_exits_2_naming_the_key(repo: Path, config: str, fragment: str) -> None:
    (repo / "pyproject.toml").write_text(config)
    r = run_cli([], repo)
    assert r.code == 2, r.out
    assert fragment in r.err


def test_config_is_found_walking_up_and_applies(repo: Path) -> None:
    (repo / ".git").mkdir()  # the walk goes up to the repository's top, no further
    (repo / SET / "runbook-index.json").unlink()
    (repo / ".sustain-lint.toml").write_text(
        'today = "2026-11-22"\n[severity]\nSL001 = "warning"\n')
    sub = repo / "docs"
    r = run_cli(["--format", "json", ".."], sub)
    data = r.json
    assert data["today"] == "2026-11-22"
    assert [(f["rule"], f["severity"]) for f in data["sets"][0]["findings"]] == [
        ("SL001", "warning")]
    assert r.code == 0
    assert run_cli(["--strict", ".."], sub).code == 1


def test_severity_off_silences_a_rule(repo: Path) -> None:
    (repo / SET / "runbook-index.json").unlink()
    (repo / "pyproject.toml").write_text('[tool.sustain-lint.severity]\nSL001 = "off"\n')
    assert run_cli(["--today", TODAY], repo).code == 0


def test_monorepo_sets_and_file_arguments(tmp_path: Path) -> None:
    mono = tmp_path / "mono"
    for svc in ("billing", "payments"):
        copy_example(mono / "services" / svc)
    (mono / "services" / "billing" / SET / "backlog-register.csv").unlink()
    shutil.copytree(mono / "services" / "payments", mono / "node_modules" / "x")
    r = run_cli(["--today", TODAY, "--format", "json"], mono)
    assert [s["path"] for s in r.json["sets"]] == [
        f"services/billing/{SET}", f"services/payments/{SET}"]
    assert r.code == 1
    # a file inside a set selects its whole set (pre-commit passes changed files)
    one = run_cli(["--today", TODAY, "--format", "json",
                   f"services/payments/{SET}/capacity-analysis.csv"], mono)
    assert [s["path"] for s in one.json["sets"]] == [f"services/payments/{SET}"]
    assert one.code == 0


def test_a_file_outside_any_set_is_a_usage_error(repo: Path) -> None:
    r = run_cli(["README.md"], repo)
    assert r.code == 2 and "not inside an evidence set" in r.err


def test_json_report_shape(repo: Path) -> None:
    (repo / SET / "review-calendar.md").unlink()
    data = run_cli(["--today", TODAY, "--format", "json"], repo).json
    assert set(data) >= {"tool", "version", "today", "passed", "sets"}
    assert data["passed"] is False
    finding = data["sets"][0]["findings"][0]
    assert set(finding) >= {"rule", "name", "severity", "gate", "path", "line", "column",
                            "message", "suppressed", "justification"}
    assert finding["path"] == f"{SET}/review-calendar.md"
    assert (finding["rule"], finding["gate"], finding["line"]) == ("SL001", 4, None)


def test_explain_and_rules(repo: Path) -> None:
    r = run_cli(["explain", "sl001"], repo)
    assert r.code == 0
    for heading in ("What it checks", "Why it matters", "How to fix", "Example"):
        assert heading in r.out
    assert run_cli(["explain", UNKNOWN_CODE], repo).code == 2
    listing = run_cli(["rules"], repo).out
    assert "SL001  artifact-missing" in listing


def test_color_only_when_asked(repo: Path) -> None:
    (repo / SET / "runbook-index.json").unlink()
    assert "\x1b[" not in run_cli(["--today", TODAY], repo).out
    assert "\x1b[31m" in run_cli(["--today", TODAY, "--color", "always"], repo).out


def test_a_closed_pipe_keeps_the_exit_code_and_the_report_files(repo: Path) -> None:
    import os
    import subprocess
    import sys

    (repo / SET / "runbook-index.json").unlink()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(
        f"set -o pipefail; '{sys.executable}' -m sustain_lint --today {TODAY} "
        f"--sarif-file out.sarif --json-file out.json . | true",  # the reader is gone
        shell=True, executable="/bin/bash", cwd=repo, capture_output=True, text=True,
        env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert (repo / "out.sarif").stat().st_size > 0 and (repo / "out.json").stat().st_size > 0
