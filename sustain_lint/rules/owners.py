"""SL005: owner-like values that match nobody in the capacity roster.

An owner is written in many artifacts; it must name a person (``name``) or a
role (``role``) of ``capacity-analysis.csv``, compared trimmed and
case-insensitively. The finding belongs to the file where the owner is
written, so it is attributed to that file's gate (``gate=None``).
Placeholders (TBD, n/a, -) are skipped: each artifact's missing-owner rule
speaks about those. The rule is silent when the roster is missing or
unreadable (SL001/SL002 speak).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sustain_lint.context import Context
from sustain_lint.documents import CsvDocument, MarkdownDocument, TreeDocument, pointer
from sustain_lint.model import Location, Problem, Rule, Severity
from sustain_lint.rules._common import CAPACITY, capacity_people, normalise_name
from sustain_lint.values import is_placeholder

WORKFLOW = "support-workflow.yaml"
RUNBOOKS = "runbook-index.json"
BACKLOG = "backlog-register.csv"
MONITORING = "monitoring-activation.json"
TOOLING = "tooling-access-checklist.json"
REVIEW = "review-calendar.md"
# the table columns this rule reads (see rules.COLUMNS_READ)
READS = {CAPACITY: ("name", "role", "remediation_owner"), BACKLOG: ("owner", "id")}

_SPLIT = re.compile(r"\s*(?:[,;/&+]|\band\b)\s*", re.IGNORECASE)
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")


class _Matcher:
    """Decides whether an owner value names someone of the roster, caching
    the verdict per distinct value (a backlog may have a million rows)."""

    def __init__(self, known: set[str], display: list[str]) -> None:
        self.known = known
        self.display = display
        self._cache: dict[str, bool] = {}

    def _one(self, text: str) -> bool:
        key = normalise_name(text)
        if key in self.known:
            return True
        m = _PAREN.search(text)  # "Priya Raman (L2 On-call Engineer)"
        if m:
            outer = text[:m.start()]
            return normalise_name(outer) in self.known or normalise_name(m.group(1)) in self.known
        return False

    def matches(self, value: str) -> bool:
        cached = self._cache.get(value)
        if cached is not None:
            return cached
        verdict = self._one(value)
        if not verdict:
            parts = [p for p in _SPLIT.split(value) if p.strip()]
            verdict = len(parts) > 1 and all(self._one(p) for p in parts)
        self._cache[value] = verdict
        return verdict

    def hint(self, value: str) -> str:
        import difflib

        close = difflib.get_close_matches(value.strip(), self.display, n=1, cutoff=0.6)
        if close:
            return f"did you mean '{close[0]}'? "
        return ""


def _roster(doc: CsvDocument) -> _Matcher:
    display: dict[str, str] = {}
    for column in ("name", "role"):
        for value in doc.column(column):
            if value.strip():
                display.setdefault(normalise_name(value), " ".join(value.split()))
    return _Matcher(capacity_people(doc), sorted(display.values()))


def _message(matcher: _Matcher, artifact: str, place: str, value: str) -> str:
    return (f"{place} in {artifact} is '{value.strip()}', which matches no name or role in "
            f"{CAPACITY}; {matcher.hint(value)}write a name or role from {CAPACITY}, or add "
            f"this person to {CAPACITY}")


def _tree_values(doc: TreeDocument, artifact: str) -> Iterator[tuple[str, str, Any]]:
    """(place, JSON pointer, value) of every owner-like value of a JSON/YAML artifact."""
    def items(key: str) -> list[tuple[int, dict[str, Any]]]:
        seq = doc.get(key)
        if not isinstance(seq, list):
            return []
        return [(i, x) for i, x in enumerate(seq) if isinstance(x, dict)]

    if artifact == WORKFLOW:
        severities = doc.get("severities")
        if isinstance(severities, dict):
            for sev, spec in severities.items():
                if isinstance(spec, dict):
                    yield (f"`severities.{sev}.owner`",
                           pointer("severities", str(sev), "owner"), spec.get("owner"))
        for i, queue in items("queues"):
            qid = queue.get("id")
            label = f"queue '{qid}'" if isinstance(qid, str) and qid.strip() else f"queues[{i}]"
            yield f"the owner of {label} (`queues[{i}].owner`)", pointer("queues", i, "owner"), \
                queue.get("owner")
        for i, step in items("escalation"):
            yield (f"the role of escalation step {i + 1} (`escalation[{i}].role`)",
                   pointer("escalation", i, "role"), step.get("role"))
    elif artifact == RUNBOOKS:
        for i, rb in items("runbooks"):
            rid = rb.get("id")
            label = f"runbook '{rid}'" if isinstance(rid, str) and rid.strip() else "runbook"
            yield (f"the owner of {label} (`runbooks[{i}].owner`)",
                   pointer("runbooks", i, "owner"), rb.get("owner"))
    elif artifact == MONITORING:
        for i, entry in items("items"):
            name = entry.get("name")
            label = f"'{name}' (`items[{i}]`)" if isinstance(name, str) and name.strip() \
                else f"`items[{i}]`"
            yield (f"the owner of monitoring item {label}", pointer("items", i, "owner"),
                   entry.get("owner"))
    elif artifact == TOOLING:
        for i, tool in items("tools"):
            owners = tool.get("owners")
            if not isinstance(owners, list):
                continue
            for j, owner in enumerate(owners):
                yield (f"`tools[{i}].owners[{j}]`", pointer("tools", i, "owners", j), owner)


def check_owners(ctx: Context) -> Iterator[Problem]:
    roster = ctx.doc(CAPACITY, CsvDocument)
    if roster is None:
        return
    matcher = _roster(roster)

    def unknown(value: object) -> bool:
        return isinstance(value, str) and not is_placeholder(value) and not matcher.matches(
            value.strip())

    for artifact in (WORKFLOW, RUNBOOKS, MONITORING, TOOLING):
        doc = ctx.doc(artifact, TreeDocument)
        if doc is None:
            continue
        for place, ptr, value in _tree_values(doc, artifact):
            if unknown(value):
                yield Problem(artifact, _message(matcher, artifact, place, str(value)),
                              doc.locate(ptr))

    for artifact, column, source in ((CAPACITY, "remediation_owner", roster),
                                     (BACKLOG, "owner", ctx.doc(BACKLOG, CsvDocument))):
        if source is None or not source.has_column(column):
            continue
        values = source.column(column)
        bad = {v for v in set(values) if unknown(v)}  # judge each distinct value once
        if not bad:
            continue
        for i, value in enumerate(values):
            if value in bad:
                label = source.value(i, "name" if artifact == CAPACITY else "id")
                place = f"`{column}` of row {i + 1}" + (f" ({label})" if label else "")
                yield Problem(artifact, _message(matcher, artifact, place, value),
                              source.cell_location(i, column))

    review = ctx.doc(REVIEW, MarkdownDocument)
    if review is not None:
        for table in review.tables:
            col = table.column("facilitator")
            if col is None:
                continue
            review_col = table.column("review")
            for row in table.rows:
                value = table.cell(row, col)
                if unknown(value):
                    name = table.cell(row, review_col)
                    place = "the Facilitator" + (f" of '{name}'" if name else "")
                    yield Problem(REVIEW, _message(matcher, REVIEW, place, value),
                                  Location(row.line, 1, "Facilitator column"))


SL005 = Rule(
    code="SL005",
    name="unknown-owner",
    gate=None,
    severity=Severity.WARNING,
    summary="An owner-like value matches no name or role in capacity-analysis.csv",
    what="Owner-like values name a person (`name`) or a role (`role`) of "
    "`capacity-analysis.csv`, compared trimmed and case-insensitively: severity and queue "
    "`owner` and escalation `role` in support-workflow.yaml, runbook `owner`, backlog "
    "`owner`, monitoring item `owner`, tooling `owners`, capacity `remediation_owner`, and "
    "the Facilitator column of review-calendar.md. A value listing several owners "
    "(`Priya Raman, Support Lead`, `A / B`, `A and B`) matches when each of them does; "
    "`Name (Role)` matches when either part does. Contacts, stakeholders and approvers are "
    "not checked. Placeholders (TBD, n/a) are left to the artifact's missing-owner rule. "
    "The finding belongs to the gate of the file where the owner is written; the rule is "
    "silent when capacity-analysis.csv is missing or unreadable.",
    why="Protocol 18's primary guardrail: \"Do not finalize maintenance planning without "
    "defined ownership, response processes, backlog intake, and capacity commitments.\" "
    "An owner who is not in the capacity analysis is either misspelt or someone whose time "
    "nobody planned: ownership on paper only.",
    fix="Write the owner exactly as a `name` or `role` of capacity-analysis.csv, or add the "
    "person (with role, support level and coverage) to capacity-analysis.csv.",
    example="support-workflow.yaml:15:3: SL005 [warning] `severities.P1.owner` in "
    "support-workflow.yaml is 'L2 Oncall', which matches no name or role in "
    "capacity-analysis.csv; did you mean 'L2 On-call Engineer'? write a name or role from "
    "capacity-analysis.csv, or add this person to capacity-analysis.csv",
    check=check_owners,
)

RULES = (SL005,)
