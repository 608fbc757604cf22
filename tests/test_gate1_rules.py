"""Gate 1 rules and SL005 on single documents: messages, locations, and no
crash on any data shape (files may violate their schema; SL003 speaks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sustain_lint.artifacts import BY_NAME
from sustain_lint.context import Context
from sustain_lint.loaders import get_loader
from sustain_lint.model import Problem
from sustain_lint.policy import Policy, Target
from sustain_lint.rules import capacity, charter, owners, tooling
from tests.helpers import EXAMPLE, SET

GATE1_CHECKS = [r.check for m in (charter, capacity, tooling, owners) for r in m.RULES]
EXAMPLE_SET = Path(EXAMPLE) / SET


def example(name: str) -> str:
    return (EXAMPLE_SET / name).read_text()


def context(overrides: dict[str, str], today: dt.date = dt.date(2026, 11, 22),
            policy: Policy | None = None, remove: tuple[str, ...] = ()) -> Context:
    documents: dict[str, Any] = {}
    states: dict[str, str] = {}
    for name, art in BY_NAME.items():
        if name in remove:
            states[name] = "missing"
            continue
        path = EXAMPLE_SET / name
        text = overrides.get(name, path.read_text() if path.exists() else None)
        if text is None:
            states[name] = "missing"
            continue
        doc = get_loader(art.format)(text, name).document
        states[name] = "ok" if doc is not None else "unreadable"
        if doc is not None:
            documents[name] = doc
    return Context(documents, states, today, policy or Policy(), lambda _: True)


def run(rule_module: Any, code: str, ctx: Context) -> list[Problem]:
    rule = next(r for r in rule_module.RULES if r.code == code)
    assert rule.check is not None
    return list(rule.check(ctx))


def test_example_is_clean() -> None:
    ctx = context({})
    for check in GATE1_CHECKS:
        assert check is not None
        assert list(check(ctx)) == []


CAP_HEAD = "name,role,support_level,coverage,timezone,fte,skills,gap,remediation," \
    "remediation_owner,remediation_due\n"


def roster(*rows: str) -> str:
    return CAP_HEAD + "".join(r + "\n" for r in rows)


def test_sl111_lists_windows_with_dates() -> None:
    cap = roster(
        "A,L2 On-call Engineer,L2,Mon-Fri 07:00-19:00,Europe/London,1,,,,,",
        "B,L2 On-call Engineer,L2,Mon-Thu 19:00-07:00; Fri 19:00-24:00,Europe/London,1,,,,,",
        "C,L2 On-call Engineer,L2,Sat 07:00-24:00; Sun 00:00-24:00; Mon 00:00-07:00,"
        "Europe/London,1,,,,,",
        "D,L2 On-call Engineer,L2,Sat 00:00-06:00,UTC,1,,,,,",
    )
    found = run(capacity, "SL111", context({"capacity-analysis.csv": cap}))
    assert len(found) == 1
    # winter: London = UTC, D covers Sat 00-06 UTC, so 06:00-07:00 is open.
    # summer: London Sat 00-07 = Fri 23:00-Sat 06:00 UTC; D covers from 00:00 -> Fri 23-24.
    assert ("uncovered: Sat 06:00-07:00 UTC weekly from 2026-11-28 to 2027-03-27 and from "
            "2027-11-06 to 2027-11-20; Fri 23:00-24:00 UTC weekly from 2027-04-02 to "
            "2027-10-29.") in found[0].message
    assert found[0].capacity_alert == (
        "Sat 06:00-07:00 UTC weekly from 2026-11-28 to 2027-03-27 and from 2027-11-06 to "
        "2027-11-20; Fri 23:00-24:00 UTC weekly from 2027-04-02 to 2027-10-29")
    assert found[0].location.line == 2  # the coverage cell of the first L2 row


def test_sl111_a_utc_gap_is_one_weekly_line() -> None:
    cap = roster("A,L2,L2,Mon-Fri 00:00-24:00; Sun 00:00-24:00,,1,,,,,",
                 "B,L2,L2,Sat 06:00-24:00,,1,,,,,")
    (p,) = run(capacity, "SL111", context({"capacity-analysis.csv": cap}))
    assert "uncovered: Sat 00:00-06:00 UTC weekly from 2026-11-28 to 2027-11-20." in p.message
    assert "clock changes" not in p.message


def test_sl111_daily_gaps_between_clock_changes_name_the_zones() -> None:
    cap = roster("A,L2,L2,Daily 08:00-20:00,Europe/Dublin,1,,,,,",
                 "B,L2,L2,Daily 12:00-24:00,America/Vancouver,1,,,,,")
    (p,) = run(capacity, "SL111", context({"capacity-analysis.csv": cap}))
    assert ("uncovered: 07:00-08:00 UTC daily from 2027-03-15 to 2027-03-27 and from "
            "2027-10-31 to 2027-11-07.") in p.message
    assert "clock changes of America/Vancouver and Europe/Dublin" in p.message
    # another today, another year: the gaps of spring 2026 are past, those of autumn not
    (p,) = run(capacity, "SL111", context({"capacity-analysis.csv": cap},
                                          today=dt.date(2026, 4, 1)))
    assert ("uncovered: 07:00-08:00 UTC daily from 2026-10-25 to 2026-11-01 and from "
            "2027-03-15 to 2027-03-27.") in p.message


def test_sl111_many_windows_are_bounded() -> None:
    cells = "; ".join(f"Daily {h:02d}:30-{h + 1:02d}:00" for h in range(24) if h != 23)
    cap = roster(f"A,L2,L2,{cells},,1,,,,,")
    (p,) = run(capacity, "SL111", context({"capacity-analysis.csv": cap}))
    assert p.message.count(" UTC daily from ") == 3
    assert "and 20 more windows" in p.message
    assert len(p.message) < 600


def test_sl111_invalid_rows_contribute_nothing() -> None:
    cap = roster("A,L2,L2,24/7,Mars/Base,1,,,,,", "B,L2,L2,whenever,,1,,,,,",
                 "C,L2,L2,Mon-Fri 00:00-24:00,,1,,,,,")
    (p,) = run(capacity, "SL111", context({"capacity-analysis.csv": cap}))
    assert "Sat-Sun 00:00-24:00 UTC weekly from 2026-11-22 to 2027-11-21" in p.message


def test_sl111_silent_on_24_7_and_fires_without_l2() -> None:
    assert run(capacity, "SL111", context({"capacity-analysis.csv": roster(
        "A,L2,L2,24/7,America/New_York,1,,,,,")})) == []
    (p,) = run(capacity, "SL111", context({"capacity-analysis.csv": roster(
        "A,L1,L1,24/7,,1,,,,,")}))
    assert "no L2 row" in p.message and p.location.line == 1


def test_sl113_points_at_each_conflicting_row() -> None:
    cap = roster("A,L2,L2,Mon-Fri 00:00-24:00; Sun 00:00-24:00,,1,,,,,",
                 "B,L2,L2,Sat 02:00-24:00,,1,,,,,")
    found = run(capacity, "SL113", context({"capacity-analysis.csv": cap}))
    assert [p.artifact for p in found] == ["maintenance-charter.md"] * 2
    lines = example("maintenance-charter.md").splitlines()
    assert [lines[p.location.line - 1].split("|")[1].strip() for p in found] == ["P1", "P2"]
    assert "2h (Sat 00:00-02:00 UTC weekly from 2026-11-28 to 2027-11-20)" in found[0].message
    # the coverage fix first, and no target looser than the policy's suggested
    message = found[0].message
    assert message.index("Close the gap first") < message.index("response target of 2h")
    assert "would be looser than the policy's 15m" in message
    assert "relax" not in message


def test_sl113_relaxing_is_offered_only_within_the_policy() -> None:
    cap = roster("A,L2,L2,Mon-Fri 00:00-24:00; Sun 00:00-24:00,,1,,,,,",
                 "B,L2,L2,Sat 00:30-24:00,,1,,,,,")
    loose = Policy(targets={**Policy().targets, "P1": Target("1h", "4h")})
    (p,) = run(capacity, "SL113", context({"capacity-analysis.csv": cap}, policy=loose))
    assert p.message.endswith("; or, with the stakeholders' agreement, relax the P1 response "
                              "target to 30m (within the policy's 1h)")
    (p,) = run(capacity, "SL113", context({"capacity-analysis.csv": cap}))
    assert "relax" not in p.message and "looser than the policy's 15m" in p.message


def test_sl113_takes_the_longest_gap_of_the_year() -> None:
    # 24/7 in winter, but London's Saturday ends at 23:00 UTC in summer: a 1h gap, P1 only
    cap = roster("A,L2,L2,Mon-Fri 00:00-24:00; Sun 00:00-24:00,,1,,,,,",
                 "B,L2,L2,Sat 00:00-24:00,Europe/London,1,,,,,",
                 "C,L2,L2,Fri 22:00-24:00,,1,,,,,")
    found = run(capacity, "SL113", context({"capacity-analysis.csv": cap}))
    assert len(found) == 1
    assert "1h (Sat 23:00-24:00 UTC weekly from 2027-04-03 to 2027-10-30)" in found[0].message


def test_sl113_silent_when_a_file_is_missing_or_covered() -> None:
    gap = roster("A,L2,L2,Mon-Fri 00:00-24:00,,1,,,,,")
    assert run(capacity, "SL113", context({"capacity-analysis.csv": gap},
                                          remove=("maintenance-charter.md",))) == []
    assert run(capacity, "SL113", context({"capacity-analysis.csv": "a,b\n1,2,3\n"})) == []
    assert run(capacity, "SL113", context({})) == []


def test_sl114_counts_distinct_people() -> None:
    cap = roster("Ann,L2,L2,24/7,,1,,,,,", " ann ,L2,L2,24/7,,1,,,,,", "Bob,L2,L2,24/7,,1,,,,,",
                 ",L2,L2,24/7,,1,,,,,", "Cy,L1,L1,24/7,,1,,,,,")
    (p,) = run(capacity, "SL114", context({"capacity-analysis.csv": cap}))
    assert "2 distinct L2 people" in p.message
    assert run(capacity, "SL114", context({"capacity-analysis.csv": cap},
                                          policy=Policy(min_l2_rotation=2))) == []


def test_sl112_one_finding_per_missing_cell() -> None:
    cap = roster("A,L2,L2,24/7,,1,,Weekend depth,Pair up,n/a,",
                 "B,L2,L2,24/7,,1,,none,,,", "C,L2,L2,24/7,,1,,Nights,Hire,Lead,2027-01-01")
    found = run(capacity, "SL112", context({"capacity-analysis.csv": cap}))
    assert [p.location.logical for p in found] == ["row 1, column remediation_owner",
                                                   "row 1, column remediation_due"]




@pytest.mark.parametrize(("front", "expected"), [
    ("status: approved\napproved_by: Head of Operations\napproved_on: 2026-11-12\n", 0),
    ("status: draft\napproved_by: Head of Operations\napproved_on: 2026-11-12\n", 1),
    ("status: approved\napproved_by: TBD\napproved_on: 2026-11-12\n", 1),
    ("status: approved\napproved_by: '[unassigned]'\n", 2),
    ("status: in-review\n", 3),
    ("- a list\n", 1),
])
def test_sl101(front: str, expected: int) -> None:
    body = example("maintenance-charter.md").split("---\n", 2)[2]
    text = f"---\nowner: X\n{front}version: '1'\n---\n{body}" if not front.startswith("-") \
        else f"---\n{front}---\n{body}"
    assert len(run(charter, "SL101", context({"maintenance-charter.md": text}))) == expected


def test_sl102_to_sl105_silent_on_a_bare_document() -> None:
    ctx = context({"maintenance-charter.md": "# Charter\n"})
    assert len(run(charter, "SL102", ctx)) == 1
    assert len(run(charter, "SL103", ctx)) == 1
    assert len(run(charter, "SL104", ctx)) == 4
    assert run(charter, "SL105", ctx) == []


def test_sl102_table_without_resolution_column() -> None:
    text = "## SLA\n\n| Severity | Response |\n|---|---|\n| P1 | 15m |\n"
    (p,) = run(charter, "SL102", context({"maintenance-charter.md": text}))
    assert "Resolution" in p.message and p.location.line == 3


def test_sl121_and_sl122() -> None:
    tools = ('{"tools": [{"name": "Grafana", "category": "monitoring", "access": "pending", '
             '"owners": []}, {"name": "Jira", "category": "ticketing"}]}')
    ctx = context({"tooling-access-checklist.json": tools})
    found = run(tooling, "SL121", ctx)
    assert [p.location.logical for p in found] == ["/tools/0/access", "/tools/1/access"]
    assert len(run(tooling, "SL122", ctx)) == 2  # repository, deployment


@pytest.mark.parametrize("text", [
    '{"tools": {"a": 1}}', '{"tools": ["Grafana", 3, null]}', "[]", '{"tools": [{"access": 1}]}',
    '{"tools": [{"owners": "Priya Raman"}]}', '{"tools": [{"owners": [1, null, "X"]}]}',
])
def test_tooling_shapes_never_crash(text: str) -> None:
    ctx = context({"tooling-access-checklist.json": text})
    for check in GATE1_CHECKS:
        assert check is not None
        list(check(ctx))


@pytest.mark.parametrize(("name", "text"), [
    ("support-workflow.yaml", "severities: [P1, P2]\nqueues: {a: 1}\nescalation: 3\n"),
    ("support-workflow.yaml", "severities: {P1: 3, P2: {owner: [a]}}\nqueues: [1, {owner: 2}]\n"),
    ("support-workflow.yaml", "- 1\n- 2\n"),
    ("runbook-index.json", '{"runbooks": [1, {"owner": {"a": 1}}]}'),
    ("monitoring-activation.json", '{"items": "none"}'),
    ("review-calendar.md", "| Facilitator |\n|---|\n| |\n| Nobody |\n"),
    ("capacity-analysis.csv", "name\nA\n"),
    ("capacity-analysis.csv", CAP_HEAD),
    ("capacity-analysis.csv", "name,support_level,coverage,timezone\nA,L2,Mon 25:00-26:00,\n"),
    ("maintenance-charter.md", "---\n[1, 2]\n---\n## SLA\n| Severity | Response | Resolution |"
     "\n|---|---|---|\n| P1 | | |\n| Px | 1h | 2h |\n"),
    ("maintenance-charter.md", "## Escalation\n| Level | Role | Contact |\n|---|---|---|\n| | | |\n"),
])
def test_shapes_never_crash(name: str, text: str) -> None:
    ctx = context({name: text})
    for check in GATE1_CHECKS:
        assert check is not None
        list(check(ctx))


def test_sl005_matching_rules() -> None:
    wf = example("support-workflow.yaml").replace(
        "P3: {name: Medium, response: 4h, resolution: 72h, owner: L1 Support}",
        "P3: {name: Medium, response: 4h, resolution: 72h, owner: ' l1  SUPPORT '}").replace(
        "P4: {name: Low, response: 24h, resolution: 2w, owner: L1 Support}",
        "P4: {name: Low, response: 24h, resolution: 2w, owner: Level One}").replace(
        "- {id: triage, owner: Support Lead}", "- {id: triage, owner: TBD}")
    found = run(owners, "SL005", context({"support-workflow.yaml": wf}))
    assert len(found) == 1
    assert found[0].artifact == "support-workflow.yaml"
    assert found[0].location.logical == "/severities/P4/owner"
    assert "'Level One'" in found[0].message


def test_sl005_silent_without_roster() -> None:
    wf = example("support-workflow.yaml").replace("owner: L1 Support", "owner: Ghost")
    assert run(owners, "SL005", context({"support-workflow.yaml": wf},
                                        remove=("capacity-analysis.csv",))) == []
    assert run(owners, "SL005", context({"support-workflow.yaml": wf,
                                         "capacity-analysis.csv": "a,b\n1\n"})) == []
    assert len(run(owners, "SL005", context({"support-workflow.yaml": wf}))) == 2


def test_sl005_ignores_contacts_stakeholders_and_approvers() -> None:
    mon = example("monitoring-activation.json").replace("pagerduty:payments-oncall", "Ghost")
    log = example("readiness-approval-log.csv").replace("operations", "operations", 1)
    ch = example("maintenance-charter.md").replace("approved_by: Head of Operations",
                                                   "approved_by: Ghost Approver")
    assert run(owners, "SL005", context({"monitoring-activation.json": mon,
                                         "readiness-approval-log.csv": log,
                                         "maintenance-charter.md": ch})) == []
