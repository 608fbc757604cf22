"""``--format junit``: one testsuite per gate, one testcase per rule and file,
valid XML, deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from sustain_lint.rules import REGISTRY
from tests._integration import SCENARIOS, lint_args
from tests.helpers import SET, run_cli


def junit(repo: Path, *extra: str) -> tuple[int, str, ET.Element]:
    result = run_cli(lint_args("--format", "junit", *extra), repo)
    assert result.err == ""
    return result.code, result.out, ET.fromstring(result.out.encode("utf-8"))


def test_passing_run(tmp_path: Path) -> None:
    code, text, root = junit(SCENARIOS["passing"](tmp_path / "repo"))
    assert code == 0
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "Gate 1 Charter & Capacity", "Gate 2 Operations Enablement", "Gate 3 Governance",
        "Gate 4 Readiness Validation"]
    assert root.get("failures") == "0"
    total = 0
    for suite in suites:
        cases = suite.findall("testcase")
        assert cases and suite.get("tests") == str(len(cases))
        total += len(cases)
        names = [c.get("name") for c in cases]
        assert len(names) == len(set(names))
    assert root.get("tests") == str(total)
    # every rule of the catalog appears as a testcase
    all_names = " ".join(c.get("name", "") for c in root.iter("testcase"))
    for code_ in REGISTRY:
        assert f"{code_} " in all_names


def test_failures_per_rule_and_file(tmp_path: Path) -> None:
    code, _, root = junit(SCENARIOS["failing"](tmp_path / "repo"))
    assert code == 1
    gate1 = root.find("testsuite[@name='Gate 1 Charter & Capacity']")
    assert gate1 is not None
    status = gate1.find("properties/property[@name='status']")
    assert status is not None and status.get("value") == "failed"
    failed = [c for c in gate1.findall("testcase") if c.find("failure") is not None]
    assert int(gate1.get("failures", "0")) == len(failed) >= 1
    schema_case = [c for c in failed if c.get("name", "").startswith("SL003 ")]
    assert len(schema_case) == 1
    assert schema_case[0].get("classname") == f"{SET}/tooling-access-checklist.json"
    failure = schema_case[0].find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert f"{SET}/tooling-access-checklist.json:3:25: SL003 [error]" in (failure.text or "")
    assert int(root.get("failures", "0")) >= 3  # gates 1, 3 and 4 each have a failure


def test_missing_and_waived(tmp_path: Path) -> None:
    code, _, root = junit(SCENARIOS["missing"](tmp_path / "a"))
    assert code == 1
    case = root.find(f"testsuite/testcase[@classname='{SET}/release-policy.md']"
                     "[failure]")
    assert case is not None and case.get("name", "").startswith("SL001 ")

    code, _, root = junit(SCENARIOS["waived"](tmp_path / "b"))
    assert code == 0
    assert root.get("failures") == "0"
    skipped = [c for c in root.iter("testcase") if c.find("skipped") is not None
               and c.get("name", "").split()[0] not in ("SL106", "SL313")]
    assert len(skipped) == 1  # (SL106 and SL313: not judged, outside git; see test_history)
    node = skipped[0].find("skipped")
    assert node is not None and "tracked in BL-103" in node.get("message", "")
    out = skipped[0].find("system-out")
    assert out is not None and "SL001 [waived]" in (out.text or "")


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    repo = SCENARIOS["passing"](tmp_path / "repo")
    (repo / SET / "waivers.yaml").write_text(
        "- rule: SL003\n  justification: test\n  approved_by: Head of Operations\n"
        "  expires: 2027-01-31\n")  # an unused waiver: SL902, a warning
    code, _, root = junit(repo)
    assert code == 0 and root.get("failures") == "0"
    case = [c for c in root.iter("testcase") if c.get("name", "").startswith("SL902 ")]
    out = [c.find("system-out") for c in case if c.find("system-out") is not None]
    assert len(out) == 1 and "SL902 [warning]" in (out[0].text or "")
    code, _, root = junit(repo, "--strict")
    assert code == 1 and root.get("failures") == "1"


def test_control_characters_stay_valid_xml(tmp_path: Path) -> None:
    repo = SCENARIOS["passing"](tmp_path / "repo")
    tooling = repo / SET / "tooling-access-checklist.json"
    tooling.write_text(tooling.read_text().replace(
        '"access": "granted", "owners": ["Priya Raman"]',
        '"access": "x\\u0001\\u001b]8;;<&>\\"", "owners": ["Priya Raman"]'))
    code, _, root = junit(repo)
    assert code == 1 and int(root.get("failures", "0")) >= 1


def test_deterministic_and_junit_file(tmp_path: Path) -> None:
    repo = SCENARIOS["failing"](tmp_path / "repo")
    first = junit(repo)[1]
    assert junit(repo)[1] == first
    result = run_cli(lint_args("--format", "json", "--junit-file", "report.xml"), repo)
    assert result.code == 1 and result.json["passed"] is False
    assert (repo / "report.xml").read_text() == first


def test_each_oncall_export_is_a_file_of_gate_1(tmp_path: Path) -> None:
    """The file-level rules get a testcase per on-call export, as per artifact; one
    that fails names the export (an event without a start is SL003 there)."""
    repo = SCENARIOS["passing"](tmp_path / "repo")
    export = repo / SET / "oncall-payments-l2.ics"
    assert export.exists()
    (repo / SET / "oncall-night.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:n\r\nSUMMARY:On call: Mei Chen\r\n"
        "DTEND:20261123T070000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    code, _, root = junit(repo)
    assert code == 1
    gate1 = root.findall("testsuite")[0]
    by_name = {c.get("name"): c for c in gate1.findall("testcase")}
    for name in ("oncall-payments-l2.ics", "oncall-night.ics"):
        assert f"SL002 artifact-unreadable: {SET}/{name}" in by_name
    failing = by_name[f"SL003 schema-violation: {SET}/oncall-night.ics"]
    assert failing.find("failure") is not None
    assert by_name[f"SL003 schema-violation: {SET}/oncall-payments-l2.ics"].find(
        "failure") is None
