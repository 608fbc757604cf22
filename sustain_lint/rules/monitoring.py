"""SL411-SL412: monitoring activation (Gate 4, step 4.2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sustain_lint.artifacts import MONITORING
from sustain_lint.context import Context
from sustain_lint.documents import TreeDocument, pointer
from sustain_lint.model import Problem, Rule, Severity
from sustain_lint.names import is_placeholder, real_names


def _items(doc: TreeDocument) -> Iterator[tuple[int, dict[str, Any], str]]:
    items = doc.get("items")
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue  # SL003 speaks
        name = item.get("name")
        label = (f"item '{name.strip()}' (/items/{index})"
                 if isinstance(name, str) and name.strip() else f"item /items/{index}")
        yield index, item, label


def check_inactive(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(MONITORING, TreeDocument)
    if doc is None:
        return
    for index, item, label in _items(doc):
        status = item.get("status")
        if isinstance(status, str) and status.strip().lower() == "active":
            continue
        shown = (f"'{status}'" if isinstance(status, str) and status.strip()
                 else "missing" if status is None or status == "" else f"{status!r}")
        yield Problem(
            MONITORING,
            f"MonitoringInactive: {MONITORING} {label} has status {shown}, not active; turn "
            "it on, confirm it fires or renders, then write \"status\": \"active\"",
            doc.locate(pointer("items", index, "status")),
        )


_YES = ("yes", "y", "true", "done", "notified", "ok", "1")


def check_unnotified(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(MONITORING, TreeDocument)
    if doc is None:
        return
    for index, item, label in _items(doc):
        owner = item.get("owner")
        if is_placeholder(owner) or (not isinstance(owner, str)):
            shown = f"'{owner}'" if isinstance(owner, str) and owner.strip() else "missing"
            yield Problem(
                MONITORING,
                f"{MONITORING} {label} has owner {shown}; write the person or role who "
                "answers for it, e.g. \"owner\": \"L2 On-call Engineer\"",
                doc.locate(pointer("items", index, "owner")),
            )
        contacts = real_names(item.get("contacts"))
        if contacts is not None and not contacts:
            raw = item.get("contacts")
            shown = ("no `contacts` key" if raw is None
                     else "only placeholders as contacts" if raw else "an empty contacts list")
            yield Problem(
                MONITORING,
                f"{MONITORING} {label} has {shown}; list where it notifies, e.g. "
                "\"contacts\": [\"pagerduty:payments-oncall\", \"#payments-ops\"]",
                doc.locate(pointer("items", index, "contacts")),
            )
        notified = item.get("notified")
        if isinstance(notified, str) and notified.strip().lower() in _YES:
            yield Problem(
                MONITORING,
                f"{MONITORING} {label} has notified {notified!r}, a string: write `true` "
                "(\"notified\": true, without quotes) once its owner and contacts know it is "
                "live",
                doc.locate(pointer("items", index, "notified")),
            )
            continue
        if notified is not True:
            shown = ("missing" if "notified" not in item
                     else "false" if notified is False else f"{notified!r}, not true")
            yield Problem(
                MONITORING,
                f"{MONITORING} {label} has notified {shown}; tell its owner and contacts "
                "that it is live, then write \"notified\": true",
                doc.locate(pointer("items", index, "notified")),
            )


_WHY = ("Step 4.2 asks to 'Confirm monitoring alerts, ticket dashboards, and reporting "
        "automation are active' and halts when 'Monitoring activation [is] incomplete' "
        "(error MonitoringInactive: 'Maintenance monitoring activation incomplete.'). Gate "
        "4's criterion: 'Approvals recorded, monitoring active, review cadence scheduled.'")

SL411 = Rule(
    code="SL411",
    name="monitoring-inactive",
    gate=4,
    severity=Severity.ERROR,
    summary="MonitoringInactive: a monitoring item is not active",
    what="Every item of `monitoring-activation.json` has `status: active` (not `inactive`, "
    "`pending` or missing). The finding points at `/items/N/status`.",
    why=_WHY,
    fix="Resolve the alert gaps, rerun the activation, confirm the alert fires (or the "
    "dashboard or report renders), then set the status to `active`.",
    example=("monitoring-activation.json:3:64: SL411 [error] MonitoringInactive:"
             " monitoring-activation.json item 'Payments error rate > 1% (5m)'"
             " (/items/0) has status 'pending', not active; turn it on, confirm"
             " it fires or renders, then write \"status\": \"active\"\n"
             "\n"
             "What passes:\n")
            + ('{"name": "Payments error rate > 1% (5m)", "kind": "alert", "status": "active", '
    '"owner": "L2 On-call Engineer", "contacts": ["pagerduty:payments-oncall"], '
    '"notified": true}'),
    check=check_inactive,
)

SL412 = Rule(
    code="SL412",
    name="monitoring-unnotified",
    gate=4,
    severity=Severity.ERROR,
    summary="A monitoring item has no owner, no contacts, or was not notified",
    what="Every item has an `owner` (not a placeholder), at least one real entry in "
    "`contacts`, and `notified: true`. One finding per defect, at its key.",
    why=_WHY + " An alert that pages nobody, or whose owner was never told it exists, is not "
    "active monitoring.",
    fix="Name the owner, list the contacts the item notifies (pager service, channel, "
    "mailbox), tell them, and set `notified` to `true` (the JSON value, not the string "
    "`\"yes\"` or `\"true\"`: the finding says so when it finds one).",
    example=("monitoring-activation.json:3:84: SL412 [error] monitoring-activation.json"
             " item 'Payments error rate > 1% (5m)' (/items/0) has owner 'TBD';"
             " write the person or role who answers for it, e.g. \"owner\": \"L2"
             " On-call Engineer\"\n"
             "\n"
             "What passes:\n")
            + '"owner": "Support Lead", "contacts": ["#payments-ops"], "notified": true',
    check=check_unnotified,
)

RULES = (SL411, SL412)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)
