"""SL115-SL117: the roster checked against the real on-call schedule, the
iCalendar exports of the L2 on-call tool (``oncall*.ics`` in the set folder, or
config ``schedules``; evidence.md "On-call schedule exports", Gate 1). SL113
(``rules/capacity.py``) also takes the longest real gap into account.

The horizon is ``[today 00:00 UTC, today + policy.schedule_horizon_days)``. An
export that ends before the horizon does is one SL117 finding; SL115 judges the
horizon only up to where every export still has shifts, so that a stale export
is "export it again", not a wall of gaps."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from sustain_lint.artifacts import CAPACITY
from sustain_lint.context import Context
from sustain_lint.documents import CsvDocument
from sustain_lint.model import Location, Problem, Rule, Severity
from sustain_lint.rules._common import l2_rows
from sustain_lint.values import is_placeholder

if TYPE_CHECKING:
    from sustain_lint.gaps import GapLine

READS = {CAPACITY: ("name", "support_level")}

_WHY = ("Protocol 18, step 1.2 (Assess Capacity): \"Evaluate staffing, on-call rotations, "
        "and skill coverage for maintenance\"; halt condition: \"Capacity analysis shows "
        "critical coverage gaps\". What pages a person at 03:00 is the on-call tool's "
        "schedule, not the roster's coverage column: the export is the evidence that the "
        "rotation the roster declares is the one that will really run.")
_MAX_LISTED = 20


def name_key(value: str) -> str:
    """A name as evidence.md §2 compares names: NFC, case-folded, trimmed, inner
    white space collapsed."""
    return " ".join(unicodedata.normalize("NFC", value).split()).casefold()


def _exports(names: list[str]) -> str:
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def grouped_gaps(gaps: Sequence[tuple[int, int]]) -> tuple[GapLine, ...]:
    """Uncovered windows (UTC seconds) grouped into lines with date ranges by
    ``sustain_lint.gaps``, to the minute: what SL115 lists, and the pages show."""
    from sustain_lint import gaps as grouping

    return grouping.group_gaps(grouping.Gap(start // 60, -(-end // 60)) for start, end in gaps)


def _listed(gaps: list[tuple[int, int]]) -> str:
    """Uncovered windows (UTC seconds) as SL111 lists its own (``grouped_gaps``)."""
    from sustain_lint import gaps as grouping

    return "; ".join(grouping.summarise(grouped_gaps(gaps), limit=_MAX_LISTED))


# --- SL115 -----------------------------------------------------------------

def check_schedule_coverage(ctx: Context) -> Iterator[Problem]:
    from sustain_lint import schedules

    found = schedules.view(ctx)
    if found is None:
        return
    for export in found.exports:
        yield from export.problems  # what stopped an expansion (SL003), said once, here
    if not found.exports:
        return
    gaps = found.gaps
    if not gaps:
        return
    # a gap that one cancelled shift or one moved override leaves is that event's fault
    suspects = [s for e in found.exports for s in e.cancelled]
    suspects += [s for e in found.exports for s in e.shifts if s.override]
    kind = {(s.export, s.line): "cancelled shift" for e in found.exports for s in e.cancelled}
    blamed: dict[tuple[str, int | None], list[tuple[int, int]]] = {}
    rest: list[tuple[int, int]] = []
    for gap in gaps:
        at_fault = {(s.export, s.line) for s in suspects
                    if s.line is not None and s.start < gap[1] and s.end > gap[0]}
        if len(at_fault) == 1 and all(s.start <= gap[0] and s.end >= gap[1]
                                      for s in suspects if (s.export, s.line) in at_fault):
            blamed.setdefault(at_fault.pop(), []).append(gap)
        else:
            rest.append(gap)
    first, last = schedules.describe_day(found.start), schedules.describe_day(found.end - 1)
    for (name, line), its_gaps in blamed.items():
        yield Problem(
            name,
            f"the {kind.get((name, line), 'override')} at line {line} of {name} leaves nobody "
            "on L2 duty: "
            f"uncovered {_listed(its_gaps)}; put someone on that "
            "shift in the on-call tool (an override) and export the schedule again",
            Location(line, 1))
    if rest:
        if found.gaps[0][0] == found.start and found.gaps[0][1] == found.judged_end:
            what = "have nobody on shift at any time"
        else:
            what = "leave time with nobody on shift"
        yield Problem(
            found.exports[0].name,
            f"the L2 on-call exports ({_exports(found.names)}) {what} in the horizon "
            f"{first} to {last}; uncovered: {_listed(rest)}; add "
            "shifts or overrides for these windows in the on-call tool and export the "
            "schedule again",
            Location())


SL115 = Rule(
    code="SL115",
    name="schedule-coverage-gap",
    gate=1,
    severity=Severity.ERROR,
    summary="The L2 on-call exports leave time in the horizon with nobody on shift",
    what="The shifts of all the on-call exports of the set (`oncall*.ics` in the set "
    "folder, or config `schedules`: iCalendar files of the L2 on-call schedule, each VEVENT "
    "a shift expanded with its recurrences in its own time zone, cancelled events left "
    "out) together cover every minute of the horizon, today 00:00 UTC to today + "
    "`policy.schedule_horizon_days` (28). One finding lists the uncovered UTC windows "
    "with their dates, a recurring window once (`06:00-07:00 UTC daily from 2026-11-23 to "
    "2026-12-04`). A window that one cancelled shift (or one override that moved a "
    "shift away) leaves uncovered is reported at that event's line instead. The horizon "
    "is judged only up to where every export still has shifts: an export that ends early "
    "is SL117's. Silent without exports.",
    why=_WHY,
    fix="In the on-call tool, add shifts or overrides for the uncovered windows (or a "
    "second rotation for the hours nobody takes), then export the schedule again into the "
    "set folder.",
    example=("oncall-payments-l2.ics: SL115 [error] the L2 on-call exports"
             " (oncall-payments-l2.ics) leave time with nobody on shift in the horizon"
             " 2026-11-22 to 2027-03-31; uncovered: 06:00-07:00 UTC daily from 2027-03-15 to"
             " 2027-03-27; add shifts or overrides for these windows in the on-call tool and"
             " export the schedule again"),
    check=check_schedule_coverage,
)


# --- SL116 -----------------------------------------------------------------

def check_schedule_roster(ctx: Context) -> Iterator[Problem]:
    from sustain_lint import schedules

    found = schedules.view(ctx)
    roster = ctx.doc(CAPACITY, CsvDocument)
    if found is None or roster is None or not found.exports:
        return
    l2: dict[str, int] = {}
    for row in l2_rows(roster):
        name = roster.value(row, "name")
        if name.strip() and not is_placeholder(name):
            l2.setdefault(name_key(name), row)
    on_shift: set[str] = set()
    for export in found.exports:
        reported: set[str] = set()
        for shift in sorted(export.shifts):
            for person in shift.persons:
                key = name_key(person)
                on_shift.add(key)
                if key in l2 or key in reported:
                    continue
                reported.add(key)
                line = export.line_of(shift)
                yield Problem(
                    export.name,
                    f"'{person}' is on an L2 shift in {export.name} (line {line}, "
                    f"{schedules.describe_gap(shift.start, shift.end)}) but is no L2 row of "
                    f"{CAPACITY}; add them to the roster with support_level L2, or correct "
                    "the name in the on-call tool",
                    Location(line, 1 if line else None))
    if not found.complete:
        return  # an export that did not parse may hold their shifts
    first, last = schedules.describe_day(found.start), schedules.describe_day(found.end - 1)
    for key, row in l2.items():
        if key in on_shift:
            continue
        name = " ".join(roster.value(row, "name").split())
        yield Problem(
            CAPACITY,
            f"row {row + 1} ({name}) of {CAPACITY} is an L2 row, but {name} is on no shift of "
            f"the on-call exports ({_exports(found.names)}) from {first} to {last}; put them "
            "on the rotation in the on-call tool and export it again, or change their "
            "support_level",
            roster.cell_location(row, "name"))


SL116 = Rule(
    code="SL116",
    name="schedule-roster-mismatch",
    gate=1,
    severity=Severity.WARNING,
    summary="The people on the L2 shifts and the roster's L2 rows disagree",
    what="Every person on a shift of the on-call exports in the horizon is an L2 row of "
    "`capacity-analysis.csv`, and every L2 row (placeholder names aside) is on at least one "
    "shift in the horizon. The person on shift is the event's ATTENDEE common name (`CN=`), "
    "else its ORGANIZER's, else the name in its SUMMARY as the vendors write it (`On Call - "
    "Jane Doe - Payments L2`, `On call: Jane Doe`, `Jane Doe (Primary)`, `Jane Doe - "
    "Payments L2`); names are compared after NFC normalisation, case folding and white space "
    "collapsing. A person unknown to the roster is reported once per export, at the line of "
    "their first shift; an L2 row never on shift at its name cell (only when every export "
    "parsed). Silent without exports or without a readable roster.",
    why=_WHY + " A roster that names people the tool never pages (or a tool that pages "
    "people the roster does not know) is a capacity analysis of a different rotation.",
    fix="Make the two agree: add the person to the roster with support_level L2 (or fix the "
    "spelling in either place), or put the L2 person on the rotation in the on-call tool, "
    "or change their support_level if they no longer take L2 shifts.",
    example=("oncall-payments-l2.ics:311:1: SL116 [warning] 'Tomas Okafor' is on an L2 shift"
             " in oncall-payments-l2.ics (line 311, 2026-11-21 13:00-01:00 UTC) but is no L2"
             " row of capacity-analysis.csv; add them to the roster with support_level L2, or"
             " correct the name in the on-call tool"),
    check=check_schedule_roster,
)


# --- SL117 -----------------------------------------------------------------

def check_schedule_stale(ctx: Context) -> Iterator[Problem]:
    from sustain_lint import schedules

    found = schedules.view(ctx)
    if found is None:
        return
    days = ctx.policy.schedule_horizon_days
    horizon_end = schedules.describe_instant(found.end)
    for export in found.exports:
        if export.reaches or export.problems:
            continue
        if export.last_end is None:
            what = "holds no shift"
        else:
            what = f"ends {schedules.describe_instant(export.last_end)} (its last shift)"
        yield Problem(
            export.name,
            f"{export.name} {what}, before the horizon does ({horizon_end}: today + "
            f"schedule_horizon_days {days}); export the schedule again from the on-call tool, "
            f"covering at least the {days} days from today",
            Location())


SL117 = Rule(
    code="SL117",
    name="schedule-export-stale",
    gate=1,
    severity=Severity.ERROR,
    summary="An on-call export ends before the horizon does: export it again",
    what="Each on-call export has a shift that ends at or after the end of the horizon "
    "(today + `policy.schedule_horizon_days`, 28 days, 00:00 UTC); cancelled shifts do not "
    "count. One finding per export that ends earlier (or holds no shift), at the file, "
    "naming the end of its last shift. The time after it is not SL115's: an old export is "
    "one finding, not a wall of gaps.",
    why=_WHY + " An export is a snapshot: one taken weeks ago says nothing about next "
    "month's nights.",
    fix="Export the schedule again from the on-call tool (see docs/oncall-exports.md) with "
    "at least the horizon's days ahead, and commit it over the old file; automate it in CI "
    "if the tool has an API.",
    example=("oncall-payments-l2.ics: SL117 [error] oncall-payments-l2.ics ends 2026-12-05"
             " 07:00 UTC (its last shift), before the horizon does (2026-12-20 00:00 UTC: today"
             " + schedule_horizon_days 28); export the schedule again from the on-call tool,"
             " covering at least the 28 days from today"),
    check=check_schedule_stale,
)


RULES = (SL115, SL116, SL117)
