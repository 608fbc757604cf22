"""SARIF 2.1.0 report: structure, and validation by third-party tools (the
OASIS schema with check-jsonschema, Microsoft's SARIF multitool with GitHub's
ingestion rules) on real runs."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sustain_lint import INFORMATION_URI, __version__
from sustain_lint.ruledocs import explain_text, help_markdown
from sustain_lint.rules import REGISTRY
from tests._integration import SCENARIOS, lint_args, multitool, sarif_schema, tool
from tests.helpers import SET, run_cli


def without_history_note(invocations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The invocations without the note that approval freshness was not judged (these
    repositories are no git repositories: tests/test_history.py judges it)."""
    out = []
    for invocation in invocations:
        notes = [n for n in invocation.get("toolConfigurationNotifications", [])
                 if not n["message"]["text"].startswith("Approval freshness ")]
        invocation = {k: v for k, v in invocation.items()
                      if k != "toolConfigurationNotifications"}
        out.append({**invocation, **({"toolConfigurationNotifications": notes} if notes else {})})
    return out


def sarif_run(repo: Path, *extra: str) -> tuple[int, str]:
    result = run_cli(lint_args("--format", "sarif", *extra), repo)
    assert result.err == ""
    return result.code, result.out


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int, dict[str, Any]]]:
    out = {}
    for name, build in SCENARIOS.items():
        repo = build(tmp_path_factory.mktemp(name) / "repo")
        code, text = sarif_run(repo)
        log = repo.parent / f"{name}.sarif"
        log.write_text(text, encoding="utf-8")
        out[name] = (log, code, json.loads(text))
    return out


def results_of(log: dict[str, Any]) -> list[dict[str, Any]]:
    return log["runs"][0]["results"]


def test_driver_lists_every_rule(logs: dict[str, tuple[Path, int, dict[str, Any]]]) -> None:
    _, code, log = logs["passing"]
    assert code == 0
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "sustain-lint"
    assert driver["version"] == __version__
    assert driver["informationUri"] == INFORMATION_URI
    assert [r["id"] for r in driver["rules"]] == sorted(REGISTRY)
    for descriptor in driver["rules"]:
        rule = REGISTRY[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"]
        assert descriptor["fullDescription"]["text"]
        assert descriptor["help"]["text"] == explain_text(rule)
        assert descriptor["help"]["markdown"] == help_markdown(rule)
        assert descriptor["defaultConfiguration"]["level"] == rule.severity.value
        gate_tag = f"gate-{rule.gate}" if rule.gate is not None else "gate-of-file"
        assert gate_tag in descriptor["properties"]["tags"]
    assert run["results"] == []
    assert without_history_note(run["invocations"]) == [
        {"executionSuccessful": True, "exitCode": 0}]
    gates = run["properties"]["sets"][0]["gates"]
    assert [(g["gate"], g["status"]) for g in gates] == [
        (1, "passed"), (2, "passed"), (3, "passed"), (4, "passed")]
    assert "automationDetails" not in run


def test_results_locations_and_levels(logs: dict[str, tuple[Path, int, dict[str, Any]]]) -> None:
    log_path, code, log = logs["failing"]
    assert code == 1
    run = log["runs"][0]
    assert without_history_note(run["invocations"]) == [
        {"executionSuccessful": True, "exitCode": 1}]
    cwd = log_path.parent / "repo"
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == cwd.resolve().as_uri() + "/"
    rules = run["tool"]["driver"]["rules"]
    results = results_of(log)
    assert results
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] in ("error", "warning")
        assert r["message"]["text"]
        assert "partialFingerprints" not in r
        assert len(r["fingerprints"]["sustainLint/v1"]) >= 64
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        uri = loc["artifactLocation"]["uri"]
        assert uri.startswith(SET + "/") and (cwd / uri).exists()
        assert loc["region"]["startLine"] >= 1
    by_rule = {r["ruleId"]: r for r in results}
    schema = by_rule["SL003"]
    assert schema["level"] == "error"
    assert schema["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 25}
    assert schema["locations"][0]["logicalLocations"][0]["name"] == "/tools/0/category"
    statuses = {g["gate"]: g["status"] for g in run["properties"]["sets"][0]["gates"]}
    assert statuses[1] == "failed"


def test_missing_file_has_no_region(logs: dict[str, tuple[Path, int, dict[str, Any]]]) -> None:
    _, code, log = logs["missing"]
    assert code == 1
    [missing] = [r for r in results_of(log) if r["ruleId"] == "SL001"]
    physical = missing["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == f"{SET}/release-policy.md"
    assert "region" not in physical
    assert "suppressions" not in missing


def test_waived_finding_carries_suppression(logs: dict[str, tuple[Path, int, dict[str, Any]]]) -> None:
    _, code, log = logs["waived"]
    assert code == 0
    [waived] = [r for r in results_of(log) if r["ruleId"] == "SL001"]
    assert waived["suppressions"] == [{
        "kind": "external", "status": "accepted",
        "justification": "The runbook index moves to the new wiki; tracked in BL-103"}]
    assert waived["level"] == "error"  # the real severity, suppressed


def test_fingerprint_ignores_line_numbers(tmp_path: Path) -> None:
    repo = SCENARIOS["failing"](tmp_path / "repo")
    _, before = sarif_run(repo)
    tooling = repo / SET / "tooling-access-checklist.json"
    tooling.write_text("\n\n" + tooling.read_text())
    _, after = sarif_run(repo)

    def prints(text: str) -> dict[str, tuple[str, int]]:
        return {r["ruleId"] + r["message"]["text"]: (
            r["fingerprints"]["sustainLint/v1"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in results_of(json.loads(text))}

    old, new = prints(before), prints(after)
    assert old.keys() == new.keys()
    moved = [k for k in old if old[k][1] != new[k][1]]
    assert moved, "the test should move a finding"
    for key in old:
        assert old[key][0] == new[key][0]


def test_output_is_deterministic(tmp_path: Path) -> None:
    repo = SCENARIOS["failing"](tmp_path / "repo")
    assert sarif_run(repo) == sarif_run(repo)


def test_sarif_file_beside_another_format(tmp_path: Path) -> None:
    repo = SCENARIOS["failing"](tmp_path / "repo")
    result = run_cli(lint_args("--format", "text", "--sarif-file", "out.sarif",
                               "--json-file", "out.json", "--junit-file", "out.xml"), repo)
    assert result.code == 1
    assert "[GATE 1 FAILED]" in result.out
    assert json.loads((repo / "out.sarif").read_text())["version"] == "2.1.0"
    assert json.loads((repo / "out.json").read_text())["passed"] is False
    assert (repo / "out.xml").read_text().startswith("<?xml")
    _, direct = sarif_run(repo)
    assert (repo / "out.sarif").read_text() == direct


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_valid_against_oasis_schema(name: str, logs: dict[str, tuple[Path, int, dict[str, Any]]]
                                    ) -> None:
    pytest.importorskip("rfc3986_validator")  # without it, URI formats go unchecked
    log_path = logs[name][0]
    proc = subprocess.run([tool("check-jsonschema"), "--schemafile", str(sarif_schema()),
                           str(log_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_oasis_schema_check_catches_a_bad_uri(tmp_path: Path,
                                             logs: dict[str, tuple[Path, int, dict[str, Any]]]
                                             ) -> None:
    """Proves the URI format really is checked (rfc3986-validator installed)."""
    log = json.loads(logs["passing"][0].read_text())
    log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///a b/\\<>/"
    bad = tmp_path / "bad.sarif"
    bad.write_text(json.dumps(log))
    proc = subprocess.run([tool("check-jsonschema"), "--schemafile", str(sarif_schema()),
                           str(bad)], capture_output=True, text=True)
    assert proc.returncode != 0, proc.stdout


@pytest.fixture(scope="module")
def sarif_multitool() -> str:
    binary, reason = multitool()
    if binary is None:
        if os.environ.get("CI"):  # .ci/run installs it: missing there is a failure
            pytest.fail(f"the SARIF multitool is not installed in CI: {reason}")
        pytest.skip(reason)
    env = {**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"}
    probe = subprocess.run([binary, "--version"], capture_output=True, text=True, env=env,
                           timeout=120)
    if probe.returncode != 0:
        message = f"the SARIF multitool (a .NET program) cannot run here: {probe.stderr[-300:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return binary


def multitool_findings(binary: str, log_path: Path) -> list[tuple[str, str, str]]:
    out = log_path.with_suffix(".validation.sarif")
    env = {**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"}
    proc = subprocess.run(
        [binary, "validate", "--rule-kind", "Sarif;Ghas", "--level", "Error;Warning",
         "--log", "ForceOverwrite", "--output", str(out), str(log_path)],
        capture_output=True, text=True, env=env, timeout=300)
    assert out.exists(), proc.stdout + proc.stderr  # it exits 0 even on errors: read the log
    report = json.loads(out.read_text(encoding="utf-8-sig"))
    found = []
    for run in report["runs"]:
        for notification in run.get("invocations", [{}])[0].get(
                "toolExecutionNotifications", []):
            if notification.get("level", "warning") == "error":
                found.append(("error", "execution", json.dumps(notification)))
        for r in run.get("results", []):
            found.append((r.get("level", "warning"), r["ruleId"],
                          json.dumps(r["message"].get("arguments", r["message"]))))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_multitool_sarif_and_ghas_rules(name: str, sarif_multitool: str,
                                        logs: dict[str, tuple[Path, int, dict[str, Any]]]
                                        ) -> None:
    found = multitool_findings(sarif_multitool, logs[name][0])
    errors = [f for f in found if f[0] == "error"]
    assert errors == []
    # The only warning allowed: SARIF2017 (no region) on a missing file's result,
    # which by contract points at the path it should have, with no region.
    others = [f for f in found if f[0] == "warning" and f[1] != "SARIF2017"]
    assert others == []


@pytest.mark.slow
def test_multitool_reports_errors(tmp_path: Path, sarif_multitool: str,
                                  logs: dict[str, tuple[Path, int, dict[str, Any]]]) -> None:
    """The validation is real: an invalid log is caught (and read from the log)."""
    log = json.loads(logs["failing"][0].read_text())
    result = log["runs"][0]["results"][0]
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "C:\\abs\\path.json"
    del result["message"]["text"]
    bad = tmp_path / "bad.sarif"
    bad.write_text(json.dumps(log))
    errors = [f for f in multitool_findings(sarif_multitool, bad) if f[0] == "error"]
    assert errors
