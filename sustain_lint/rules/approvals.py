"""SL401-SL403: the readiness approval log (Gate 4, step 4.1).

The log is append-only. For each stakeholder (names compared as
``names.normalise_name`` compares them) the row in force is the latest dated on
or before today, then by file order (of two rows with the same date, the later
one wins); a row dated after today is not in force yet (SL007). Earlier rows are history and never fire.
A row whose date does not parse (SL003) is left out of that choice unless
every row of its stakeholder has such a date; then the last of them in file
order is in force. Rows whose stakeholder is empty or a placeholder name
nobody and are never in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

from sustain_lint.artifacts import APPROVALS
from sustain_lint.context import Context
from sustain_lint.documents import CsvDocument
from sustain_lint.model import Problem, Rule, Severity
from sustain_lint.names import is_placeholder, normalise_name
from sustain_lint.suggest import enum_match
from sustain_lint.values import parse_date

APPROVED = frozenset({"approved", "approved-with-conditions"})
NOT_GRANTED = frozenset({"pending", "rejected"})
# the log's columns these rules read (see rules.COLUMNS_READ)
READS = {APPROVALS: ("stakeholder", "role", "decision", "date", "conditions", "condition_status")}


class InForce(NamedTuple):
    row: int
    stakeholder: str
    role: str
    decision: str


def rows_in_force(doc: CsvDocument, today: dt.date) -> list[InForce]:
    """The row in force of each stakeholder, in file order: a row dated after today is
    not in force yet (SL007 reports its date)."""
    best: dict[str, tuple[dt.date | None, int]] = {}
    for row, raw in enumerate(doc.column("stakeholder")):
        if is_placeholder(raw):
            continue
        key = normalise_name(raw)
        date = parse_date(doc.value(row, "date"))
        if date is not None and date > today:
            continue
        current = best.get(key)
        if current is None:
            best[key] = (date, row)
            continue
        cur_date = current[0]
        if date is None:
            if cur_date is None:
                best[key] = (None, row)  # only unparseable dates so far: file order
            continue
        if cur_date is None or date >= cur_date:
            best[key] = (date, row)
    result = [InForce(row, doc.value(row, "stakeholder"), doc.value(row, "role").lower(),
                      doc.value(row, "decision").lower())
              for _, row in best.values()]
    return sorted(result, key=lambda r: r.row)


def check_missing(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(APPROVALS, CsvDocument)
    if doc is None:
        return
    granted: set[str] = {r.role for r in rows_in_force(doc, ctx.today) if r.decision in APPROVED}
    for role in ctx.policy.required_approval_roles:
        if role.lower() in granted:
            continue
        yield Problem(
            APPROVALS,
            f"{APPROVALS}: no {role} stakeholder has approved (no row in force with role {role} "
            "and decision approved or approved-with-conditions); review the plan with them "
            f"and append a row: <name>,{role},approved,<YYYY-MM-DD>,,",
            doc.header_location("role"),
        )


def check_not_granted(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(APPROVALS, CsvDocument)
    if doc is None:
        return
    for r in rows_in_force(doc, ctx.today):
        if r.decision not in NOT_GRANTED:
            continue
        yield Problem(
            APPROVALS,
            f"{APPROVALS}: the latest decision of {r.stakeholder} ({r.role or 'no role'}, row "
            f"{r.row + 1}) is {r.decision}; resolve their concerns and append a new row "
            "with decision approved (or approved-with-conditions) and today's date",
            doc.cell_location(r.row, "decision"),
        )


def check_conditions(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(APPROVALS, CsvDocument)
    if doc is None:
        return
    for r in rows_in_force(doc, ctx.today):
        conditions = doc.value(r.row, "conditions")
        if is_placeholder(conditions):
            continue  # empty, or written as none / n/a / -
        status = doc.value(r.row, "condition_status")
        if status.lower() == "closed":
            continue
        shown = f"'{status}'" if status else "empty (counts as open)"
        if enum_match(status, ("open", "closed")) == "closed":  # done, resolved, met...
            yield Problem(
                APPROVALS,
                f"{APPROVALS}: the condition of {r.stakeholder} (row {r.row + 1}) has "
                f"condition_status {shown}, which is not a status: if the condition is met, "
                "write `closed` (a condition_status is open or closed)",
                doc.cell_location(r.row, "condition_status"),
            )
            continue
        yield Problem(
            APPROVALS,
            f"{APPROVALS}: the condition of {r.stakeholder} (row {r.row + 1}, \"{conditions}\") "
            f"has condition_status {shown}; meet the condition, then append a row for "
            f"{r.stakeholder} with today's date and condition_status closed",
            doc.cell_location(r.row, "condition_status"),
        )


_WHY_41 = ("Step 4.1 asks to 'Review maintenance plan with stakeholders and record "
           "approvals' and halts when 'Stakeholder approval [is] missing or conditional'. Gate "
           "4's criterion: 'Approvals recorded, monitoring active, review cadence scheduled.' "
           "Stakeholder approval can never be waived.")

_IN_FORCE = ("The log is append-only: for each stakeholder (trimmed, case-insensitive) only "
             "the row in force counts, the latest by `date`, then by file order. Earlier rows "
             "are history and never fire.")

SL401 = Rule(
    code="SL401",
    name="approval-missing",
    gate=4,
    severity=Severity.ERROR,
    summary="A required role has not approved the maintenance plan",
    what="For each required role (`policy.required_approval_roles`, default operations, "
    "product, leadership) at least one stakeholder's row in force has that `role` and the "
    "decision `approved` or `approved-with-conditions`. " + _IN_FORCE + " One finding per "
    "missing role, at the header's role column.",
    why=_WHY_41,
    fix="Review the plan with a stakeholder of the missing role and append their decision as "
    "a new row; never edit earlier rows.",
    example=("readiness-approval-log.csv:1:13: SL401 [error] readiness-approval-log.csv:"
             " no leadership stakeholder has approved (no row in force with"
             " role leadership and decision approved or approved-with-conditions);"
             " review the plan with them and append a row: <name>,leadership,approved,<YYYY-MM-DD>,,"
             "\n"
             "\n"
             "What passes:\n")
            + ("stakeholder,role,decision,date,conditions,condition_status\n"
    "Grace Lin,leadership,approved,2026-11-20,,"),
    check=check_missing,
    waivable=False,
)

SL402 = Rule(
    code="SL402",
    name="approval-not-granted",
    gate=4,
    severity=Severity.ERROR,
    summary="A stakeholder's decision in force is pending or rejected",
    what="No row in force has the decision `pending` or `rejected`. " + _IN_FORCE + " The "
    "finding points at the decision cell.",
    why=_WHY_41,
    fix="Resolve the stakeholder's concerns, then append a row with their new decision and "
    "its date (a later row supersedes the pending or rejected one).",
    example=("readiness-approval-log.csv:3:19: SL402 [error] readiness-approval-log.csv:"
             " the latest decision of Rui Costa (product, row 2) is rejected;"
             " resolve their concerns and append a new row with decision approved"
             " (or approved-with-conditions) and today's date"),
    check=check_not_granted,
    waivable=False,
)

SL403 = Rule(
    code="SL403",
    name="approval-condition-open",
    gate=4,
    severity=Severity.ERROR,
    summary="A stakeholder's approval in force has a condition that is not closed",
    what="A row in force with `conditions` (not empty, not none / n/a) has "
    "`condition_status: closed`. An empty condition_status beside a condition counts as "
    "open. " + _IN_FORCE + " The finding points at the condition_status cell.",
    why=_WHY_41 + " A conditional approval is not an approval until its condition is met.",
    fix="A condition that is met but written in other words (`done`, `resolved`, `met`): "
    "write `closed`. Otherwise meet the condition, then append a row for the stakeholder "
    "with the new date, the "
    "same conditions and `closed`.",
    example=("readiness-approval-log.csv:2:110: SL403 [error] readiness-approval-log.csv:"
             " the condition of Helen Carter (row 1, \"Weekend L2 backup trained"
             " on settlement runbooks\") has condition_status empty (counts "
             "as open); meet the condition, then append a row for Helen Carter"
             " with today's date and condition_status closed\n"
             "\n"
             "What passes:\n")
            + ("Helen Carter,operations,approved-with-conditions,2026-11-18,Weekend L2 backup "
    "trained,open\nHelen Carter,operations,approved-with-conditions,2026-11-20,Weekend L2 "
    "backup trained,closed"),
    check=check_conditions,
    waivable=False,
)

RULES = (SL401, SL402, SL403)
