"""Gate 3 and Gate 4 rules judged directly on parsed documents: the rows in
force of the approval log, and no crash on any data shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sustain_lint.artifacts import BY_NAME
from sustain_lint.context import Context
from sustain_lint.loaders import get_loader
from sustain_lint.model import Problem
from sustain_lint.policy import Policy
from sustain_lint.rules import approvals, backlog, events, feedback, monitoring, release, review

TODAY = dt.date(2026, 11, 22)
MODULES = (backlog, release, feedback, approvals, monitoring, review, events)


def parse(artifact: str, text: str) -> Any:
    loaded = get_loader(BY_NAME[artifact].format)(text, artifact)
    assert loaded.document is not None, loaded.problems
    return loaded.document


def run(artifact: str, text: str, policy: Policy | None = None) -> list[Problem]:
    ctx = Context({artifact: parse(artifact, text)}, {artifact: "ok"}, TODAY,
                  policy or Policy(), lambda _: True)
    found: list[Problem] = []
    for module in MODULES:
        for rule in module.RULES:
            assert rule.check is not None
            found.extend(p._replace(code=p.code or rule.code) for p in rule.check(ctx))
    return found


def codes(problems: list[Problem]) -> list[str]:
    return sorted(p.code or "" for p in problems)


LOG = "readiness-approval-log.csv"
HEADER = "stakeholder,role,decision,date,conditions,condition_status\n"
APPROVED_ALL = ("Helen Carter,operations,approved,2026-11-20,,\n"
                "Rui Costa,product,approved,2026-11-19,,\n"
                "Grace Lin,leadership,approved,2026-11-20,,\n")


@pytest.mark.parametrize(("rows", "expected"), [
    # same date: the later row in the file wins
    ("Rui Costa,product,approved,2026-11-20,,\nRui Costa,product,pending,2026-11-20,,\n",
     ["SL401", "SL402"]),
    ("Rui Costa,product,pending,2026-11-20,,\nRui Costa,product,approved,2026-11-20,,\n", []),
    # a later date wins even when it comes first in the file
    ("Rui Costa,product,approved,2026-11-21,,\nRui Costa,product,rejected,2026-11-20,,\n", []),
    # trimmed, case-insensitive stakeholder
    ("Rui Costa,product,pending,2026-11-19,,\n  rui COSTA ,product,approved,2026-11-20,,\n", []),
    # an unparseable date is not in force when a dated row exists
    ("Rui Costa,product,approved,2026-11-19,,\nRui Costa,product,rejected,someday,,\n", []),
    # ... but is when it is the stakeholder's only row
    ("Rui Costa,product,pending,someday,,\n", ["SL401", "SL402"]),
    # an open condition superseded by a later closed one
    ("Rui Costa,product,approved-with-conditions,2026-11-18,Ship X,open\n"
     "Rui Costa,product,approved-with-conditions,2026-11-19,Ship X,closed\n", []),
    # an empty condition_status beside a condition counts as open
    ("Rui Costa,product,approved-with-conditions,2026-11-19,Ship X,\n", ["SL403"]),
    # a placeholder stakeholder approves nothing
    ("TBD,product,approved,2026-11-19,,\n", ["SL401"]),
    ("TBD - ask Anna,product,approved,2026-11-19,,\n(tbd),product,approved,2026-11-19,,\n",
     ["SL401"]),
    # a row dated after today is not in force: the earlier approval stands (SL007 speaks)
    ("Rui Costa,product,approved,2026-11-19,,\nRui Costa,product,rejected,2027-06-01,,\n",
     ["SL007"]),
    # ... and a future approval approves nothing yet
    ("Rui Costa,product,approved,2027-06-01,,\n", ["SL007", "SL401"]),
    # names meet after NFC and case folding: the decomposed accent is the same stakeholder
    ("Rui Cost\u0061\u0301,product,pending,2026-11-19,,\nRUI COST\u00c1,product,approved,"
     "2026-11-20,,\n", []),
])
def test_rows_in_force(rows: str, expected: list[str]) -> None:
    base = ("Helen Carter,operations,approved,2026-11-20,,\n"
            "Grace Lin,leadership,approved,2026-11-20,,\n")
    assert codes(run(LOG, HEADER + base + rows)) == expected


def test_required_roles_follow_policy() -> None:
    policy = Policy(required_approval_roles=("operations", "security"))
    found = run(LOG, HEADER + APPROVED_ALL, policy)
    assert codes(found) == ["SL401"]
    assert "security" in found[0].message


def test_review_offsets_follow_policy() -> None:
    text = ("---\nhandoff_date: 2026-11-30\n---\n# Reviews\n\n"
            "| Review | Date | Facilitator | Agenda |\n|---|---|---|---|\n"
            "| 14-day check | 2026-12-14 | Support Lead | Early issues |\n")
    policy = Policy(review_offsets_days=(14,), review_tolerance_days=0)
    assert run("review-calendar.md", text, policy) == []
    policy = Policy(review_offsets_days=(14, 45))
    assert codes(run("review-calendar.md", text, policy)) == ["SL421"]


@pytest.mark.parametrize(("artifact", "text"), [
    ("feedback-loop-map.json", "null"),
    ("feedback-loop-map.json", "[1, 2]"),
    ("feedback-loop-map.json", '{"loops": 5}'),
    ("feedback-loop-map.json",
     '{"loops": [1, null, "x", {"source": 3, "stakeholders": {"a": 1}, "name": 7}]}'),
    ("feedback-loop-map.json", '{"loops": [{"source": "analytics", "stakeholders": "TBD"}]}'),
    ("monitoring-activation.json", '"items"'),
    ("monitoring-activation.json", '{"items": {"a": 1}}'),
    ("monitoring-activation.json",
     '{"items": [[], {"status": 1, "owner": 5, "contacts": 3, "notified": "yes", "name": []}]}'),
    ("release-policy.md", "no front matter, no headings"),
    ("release-policy.md", "---\n- a list\n---\n# T\n"),
    ("release-policy.md", "---\nstatus: [approved]\napproved_by: {a: 1}\n---\n"),
    ("review-calendar.md", "---\nhandoff_date: 12\n---\n| Review |\n|---|\n| 30 |\n"),
    ("review-calendar.md", "---\nhandoff_date: 2026-11-30\n---\n| a | b |\n|---|---|\n| 1 |"),
    ("review-calendar.md", "| Review | Date |\n|---|---|\n| 30 60 90 | 2026-01-01 |\n"),
    ("backlog-register.csv", "x,y\n1,2\n"),
    ("backlog-register.csv", "id\n"),
    ("backlog-register.csv", "id,priority,status,due\n,P1,,not-a-date\nA,p1,OPEN,2026-13-45\n"),
    (LOG, "stakeholder\nRui\n"),
    (LOG, "role,decision\nproduct,approved\n"),
    (LOG, HEADER + ",,,,,\n"),
])
def test_never_raises_on_odd_shapes(artifact: str, text: str) -> None:
    for problem in run(artifact, text):
        assert problem.message and problem.location.line is not None


def test_overdue_and_p1_on_a_large_register() -> None:
    rows = "".join(f"BL-{i},t,s,P{1 + i % 4},Owner,open,2027-01-01,2026-11-01\n"
                   for i in range(20000))
    text = "id,title,source,priority,owner,status,due,created\n" + rows
    assert run("backlog-register.csv", text) == []
