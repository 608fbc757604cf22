"""SL007: dates that record something that has happened are not after today
(evidence.md §2, "past events").

The dates are one table (``PAST_EVENTS``): the charter's and the release
policy's ``approved_on``, each runbook's ``last_reviewed``, the backlog's
``created`` and the approval log's ``date``. A date that does not parse is
SL003's; an approval-log row dated after today is also not in force (see
``rules.approvals.rows_in_force``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal, NamedTuple

from sustain_lint.artifacts import APPROVALS, BACKLOG, CHARTER, RELEASE, RUNBOOKS
from sustain_lint.context import Context
from sustain_lint.documents import CsvDocument, MarkdownDocument, TreeDocument, pointer
from sustain_lint.model import Problem, Rule, Severity
from sustain_lint.values import parse_date


class PastEvent(NamedTuple):
    artifact: str
    shape: Literal["front", "tree", "column"]
    key: str  # the front matter key, the key of each item of ``within``, or the column
    event: str  # what the date records, for the message
    within: str = ""  # tree: the top-level list whose items hold ``key``
    named_by: str = ""  # the key or column that names the item or row


PAST_EVENTS: tuple[PastEvent, ...] = (
    PastEvent(CHARTER, "front", "approved_on", "the charter's approval"),
    PastEvent(RELEASE, "front", "approved_on", "the release policy's approval"),
    PastEvent(RUNBOOKS, "tree", "last_reviewed", "the runbook's last review", "runbooks", "id"),
    PastEvent(BACKLOG, "column", "created", "the item's creation", named_by="id"),
    PastEvent(APPROVALS, "column", "date", "the stakeholder's decision", named_by="stakeholder"),
)

READS = {e.artifact: (e.key, e.named_by) for e in PAST_EVENTS if e.shape == "column"}


def _message(artifact: str, place: str, when: dt.date, event: str, today: dt.date) -> str:
    extra = (" (the row is not in force before its date)" if artifact == APPROVALS else "")
    return (f"{place} in {artifact} is {when.isoformat()}, after today ({today.isoformat()}); "
            f"it records {event}, which cannot have happened yet{extra}: write the date it "
            "happened, or leave it out until it has")


def check_past_events(ctx: Context) -> Iterator[Problem]:
    today = ctx.today
    for event in PAST_EVENTS:
        artifact = event.artifact
        if event.shape == "front":
            markdown = ctx.doc(artifact, MarkdownDocument)
            when = parse_date(markdown.front(event.key)) if markdown is not None else None
            if markdown is not None and when is not None and when > today:
                yield Problem(artifact, _message(artifact, f"`{event.key}` in the front matter",
                                                 when, event.event, today),
                              markdown.front_location(event.key))
        elif event.shape == "tree":
            tree = ctx.doc(artifact, TreeDocument)
            if tree is None:
                continue
            for index, item in tree.objects(event.within):
                when = parse_date(item.get(event.key))
                if when is None or when <= today:
                    continue
                name = item.get(event.named_by)
                label = (f"'{name.strip()}' " if isinstance(name, str) and name.strip() else "")
                place = f"`{event.key}` of {label}(`{event.within}[{index}]`)"
                yield Problem(artifact, _message(artifact, place, when, event.event, today),
                              tree.locate(pointer(event.within, index, event.key)))
        else:
            table = ctx.doc(artifact, CsvDocument)
            if table is None or not table.has_column(event.key):
                continue
            distinct = table.distinct(event.key)
            future = [(d := parse_date(v)) is not None and d > today for v in distinct.values]
            if not any(future):
                continue
            for row, code in enumerate(distinct.codes):
                if not future[code]:
                    continue
                when = parse_date(distinct.values[code])
                assert when is not None
                name = table.value(row, event.named_by)
                place = f"`{event.key}` of row {row + 1}" + (f" ({name})" if name else "")
                yield Problem(artifact, _message(artifact, place, when, event.event, today),
                              table.cell_location(row, event.key))


SL007 = Rule(
    code="SL007",
    name="date-in-future",
    gate=None,
    severity=Severity.ERROR,
    summary="A date recording a past event is after today",
    what="The dates that record something that has happened are on or before today "
    "(`--today`, else config `today`, else the local date): the `approved_on` of the "
    "charter's and the release policy's front matter, each runbook's `last_reviewed`, the "
    "backlog's `created` and the approval log's `date`. One finding per future date, at it. "
    "An approval-log row dated after today is also not in force: the row in force for a "
    "stakeholder is the latest dated on or before today (SL401-SL403). A date that does not "
    "parse is SL003's. The finding belongs to the gate of the file.",
    why="Evidence records what happened. An approval dated next June is not an approval "
    "today, a review dated next month has not been done, and the protocol's gates ask for "
    "approvals and reviews that exist: \"Approvals recorded\" (Gate 4), \"Charter approved\" "
    "(Gate 1).",
    fix="Write the date the event happened. An approval or review that is only planned is "
    "not evidence yet: leave it out (or keep the status draft) until it has happened.",
    example=("readiness-approval-log.csv:7:34: SL007 [error] `date` of row 6 (Helen Carter) "
             "in readiness-approval-log.csv is 2027-06-01, after today (2026-11-22); it records "
             "the stakeholder's decision, which cannot have happened yet (the row is not in "
             "force before its date): write the date it happened, or leave it out until it has"),
    check=check_past_events,
)

RULES = (SL007,)
