"""The evidence set: which files, their gate, format and schema. Data only."""

from __future__ import annotations

from typing import NamedTuple


class Artifact(NamedTuple):
    name: str
    gate: int | None  # None: optional file outside the gates (waivers.yaml)
    format: str  # json | yaml | csv | markdown
    schema: str | None  # file name in sustain_lint/schemas/
    step: str  # the protocol step
    required: bool = True


ARTIFACTS: tuple[Artifact, ...] = (
    Artifact("maintenance-charter.md", 1, "markdown", "maintenance-charter.front-matter.json",
             "1.1 MUST"),
    Artifact("capacity-analysis.csv", 1, "csv", "capacity-analysis.csv.json", "1.2 MUST"),
    Artifact("tooling-access-checklist.json", 1, "json", "tooling-access-checklist.json",
             "1.3 GUIDELINE"),
    Artifact("runbook-index.json", 2, "json", "runbook-index.json", "2.1 MUST"),
    Artifact("support-workflow.yaml", 2, "yaml", "support-workflow.json", "2.2 MUST"),
    Artifact("reporting-spec.md", 2, "markdown", None, "2.3 GUIDELINE"),
    Artifact("backlog-register.csv", 3, "csv", "backlog-register.csv.json", "3.1 MUST"),
    Artifact("release-policy.md", 3, "markdown", "release-policy.front-matter.json", "3.2 MUST"),
    Artifact("feedback-loop-map.json", 3, "json", "feedback-loop-map.json", "3.3 GUIDELINE"),
    Artifact("readiness-approval-log.csv", 4, "csv", "readiness-approval-log.csv.json",
             "4.1 MUST"),
    Artifact("monitoring-activation.json", 4, "json", "monitoring-activation.json", "4.2 MUST"),
    Artifact("review-calendar.md", 4, "markdown", "review-calendar.front-matter.json",
             "4.3 GUIDELINE"),
    Artifact("waivers.yaml", None, "yaml", "waivers.json", "gate waivers", required=False),
)

BY_NAME: dict[str, Artifact] = {a.name: a for a in ARTIFACTS}

DEFAULT_ARTIFACTS_DIR = ".artifacts/maintenance"

WAIVERS = "waivers.yaml"
