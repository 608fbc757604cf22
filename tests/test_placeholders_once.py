"""Every owner-like field of every artifact (``FIELDS``) judged alike (evidence.md §2,
"placeholders"): a placeholder written into it is reported exactly once, by the field's
missing-owner rule (``OwnerField.missing``: the artifact's own rule, else SL006), never
also as an unknown owner (SL005) or by a second rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sustain_lint.artifacts import (
    APPROVALS,
    BACKLOG,
    CAPACITY,
    CHARTER,
    FEEDBACK,
    MONITORING,
    RELEASE,
    REVIEW,
    RUNBOOKS,
    TOOLING,
    WAIVERS,
    WORKFLOW,
)
from sustain_lint.rules._fields import FIELDS
from tests.helpers import EXAMPLE, SET, TODAY, run_cli

PLACEHOLDER = "TBD - ask Anna"
# (artifact, the field's key, the text of one value in the bundled example, its placeholder)
CASES = [
    (CHARTER, "owner", "owner: Dana Whitfield", f"owner: {PLACEHOLDER}"),
    (CHARTER, "approved_by", "approved_by: Head of Operations", "approved_by: (tbd)"),
    (CHARTER, "contact", "| pagerduty:payments-oncall |", "| <contact> |"),
    (CAPACITY, "name", "Sam Patel,", "TBD.,"),
    (CAPACITY, "remediation_owner", ",Support Lead,2027-01-15", ",TODO: assign,2027-01-15"),
    (TOOLING, "owners", '"owners": ["Priya Raman"]', f'"owners": ["{PLACEHOLDER}"]'),
    (RUNBOOKS, "owner", '"owner": "Diego Alvarez"', '"owner": "[owner]"'),
    (WORKFLOW, "owner", "resolution: 4h, owner: L2 On-call Engineer}",
     "resolution: 4h, owner: 'TBD.'}"),
    (WORKFLOW, "queues", "{id: oncall, owner: L2 On-call Engineer}", "{id: oncall, owner: —}"),
    (WORKFLOW, "role", "{level: 1, role: L2 On-call Engineer,", "{level: 1, role: unassigned,"),
    (BACKLOG, "owner", ",P1,Aisha Bello,", ",P1,nobody,"),
    (RELEASE, "approved_by", "approved_by: Head of Operations", "approved_by: '…'"),
    (FEEDBACK, "stakeholders", '"stakeholders": ["Engineering Manager"]',
     f'"stakeholders": ["{PLACEHOLDER}"]'),
    (APPROVALS, "stakeholder", "Grace Lin,leadership", "<name>,leadership"),
    (MONITORING, "owner", '"owner": "L2 On-call Engineer", "contacts": ["pagerduty:payments-oncall"]',
     '"owner": "N/A", "contacts": ["pagerduty:payments-oncall"]'),
    (MONITORING, "contacts",
     '"contacts": ["pagerduty:payments-oncall"], "notified": true},\n    {"name": "Settlement',
     '"contacts": ["?"], "notified": true},\n    {"name": "Settlement'),
    (REVIEW, "facilitator", "| 2026-12-30 | Support Lead |", "| 2026-12-30 | [name] |"),
    (WAIVERS, "approved_by", None, "- rule: SL304\n  justification: Vendor alert in December\n"
     f"  approved_by: {PLACEHOLDER}\n  expires: 2027-01-31\n"),
]


def _key(field_where: tuple[str, ...]) -> str:
    return field_where[-2] if field_where[-1] in ("[]", "{}") else field_where[-1]


def test_every_field_has_a_case() -> None:
    covered = {(artifact, key) for artifact, key, _, _ in CASES}
    for field in FIELDS:
        key = "queues" if field.where[0] == "queues" else _key(field.where)
        assert (field.artifact, key) in covered, field


def _findings(root: Path) -> set[tuple[str, str, int, str]]:
    result = run_cli(["--today", TODAY, "--format", "json", "."], root)
    assert result.code in (0, 1), result.err
    return {(f["rule"], f["path"], f["line"] or 0, f["message"])
            for f in result.json["sets"][0]["findings"]}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, int, str]]:
    root = tmp_path_factory.mktemp("baseline")
    shutil.copytree(EXAMPLE, root, dirs_exist_ok=True)
    return _findings(root)


@pytest.mark.parametrize(("artifact", "key", "old", "new"), CASES,
                         ids=[f"{a}:{k}" for a, k, _, _ in CASES])
def test_a_placeholder_is_reported_once_by_its_rule(
        tmp_path: Path, baseline: set[tuple[str, str, int, str]], artifact: str, key: str,
        old: str | None, new: str) -> None:
    shutil.copytree(EXAMPLE, tmp_path, dirs_exist_ok=True)
    path = tmp_path / SET / artifact
    if old is None:
        path.write_text(new, encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    field = next(f for f in FIELDS if f.artifact == artifact and (
        key == "queues" and f.where[0] == "queues" or key != "queues" and _key(f.where) == key
        and f.where[0] != "queues"))
    added = _findings(tmp_path) - baseline
    assert [rule for rule, *_ in added] == [field.missing], sorted(added)
