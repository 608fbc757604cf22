"""The evidence set: which files, their gate, format and schema. Data only.

This module is the one place that names an artifact file or counts them: rule
modules, the engine, tests and the benchmark import the names below (and
``REQUIRED`` / ``len(REQUIRED)``) instead of spelling a file name or the number
of required files. Adding an artifact is one constant and one ``Artifact`` row
here (see CONTRIBUTING.md)."""

from __future__ import annotations

from typing import NamedTuple


class Artifact(NamedTuple):
    name: str
    gate: int | None  # None: optional file outside the gates (waivers.yaml)
    format: str  # json | yaml | csv | markdown
    schema: str | None  # file name in sustain_lint/schemas/
    step: str  # the protocol step
    required: bool = True
    # a glob: every matching file of the set folder is one member of this artifact (the
    # on-call exports); config `schedules` may name other paths
    many: bool = False


CHARTER = "maintenance-charter.md"
CAPACITY = "capacity-analysis.csv"
TOOLING = "tooling-access-checklist.json"
RUNBOOKS = "runbook-index.json"
WORKFLOW = "support-workflow.yaml"
REPORTING = "reporting-spec.md"
BACKLOG = "backlog-register.csv"
RELEASE = "release-policy.md"
FEEDBACK = "feedback-loop-map.json"
APPROVALS = "readiness-approval-log.csv"
MONITORING = "monitoring-activation.json"
REVIEW = "review-calendar.md"
WAIVERS = "waivers.yaml"
SCHEDULES = "oncall*.ics"

ARTIFACTS: tuple[Artifact, ...] = (
    Artifact(CHARTER, 1, "markdown", "maintenance-charter.front-matter.json", "1.1 MUST"),
    Artifact(CAPACITY, 1, "csv", "capacity-analysis.csv.json", "1.2 MUST"),
    Artifact(TOOLING, 1, "json", "tooling-access-checklist.json", "1.3 GUIDELINE"),
    Artifact(RUNBOOKS, 2, "json", "runbook-index.json", "2.1 MUST"),
    Artifact(WORKFLOW, 2, "yaml", "support-workflow.json", "2.2 MUST"),
    Artifact(REPORTING, 2, "markdown", None, "2.3 GUIDELINE"),
    Artifact(BACKLOG, 3, "csv", "backlog-register.csv.json", "3.1 MUST"),
    Artifact(RELEASE, 3, "markdown", "release-policy.front-matter.json", "3.2 MUST"),
    Artifact(FEEDBACK, 3, "json", "feedback-loop-map.json", "3.3 GUIDELINE"),
    Artifact(APPROVALS, 4, "csv", "readiness-approval-log.csv.json", "4.1 MUST"),
    Artifact(MONITORING, 4, "json", "monitoring-activation.json", "4.2 MUST"),
    Artifact(REVIEW, 4, "markdown", "review-calendar.front-matter.json", "4.3 GUIDELINE"),
    Artifact(WAIVERS, None, "yaml", "waivers.json", "gate waivers", required=False),
    Artifact(SCHEDULES, 1, "ics", None, "1.2 on-call schedule exports", required=False,
             many=True),
)

BY_NAME: dict[str, Artifact] = {a.name: a for a in ARTIFACTS}

REQUIRED: tuple[str, ...] = tuple(a.name for a in ARTIFACTS if a.required)
"""The files every set must hold (the protocol's gate criteria list them all)."""

DEFAULT_ARTIFACTS_DIR = ".artifacts/maintenance"
