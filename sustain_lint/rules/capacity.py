"""SL111-SL114: the capacity analysis (``capacity-analysis.csv``, Gate 1,
step 1.2), and the SLAConflict between the charter's response targets and the
L2 coverage.

Coverage is judged in UTC on every day of the 365 days from today, with every
clock change of every roster zone (``sustain_lint.coverage.year_coverage``);
the gaps are written as lines with date ranges (``sustain_lint.gaps``). Rows
whose coverage or timezone is invalid contribute nothing: SL003 reports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sustain_lint.artifacts import CAPACITY, CHARTER
from sustain_lint.context import Context
from sustain_lint.documents import CsvDocument, MarkdownDocument
from sustain_lint.gaps import summarise
from sustain_lint.model import Location, Problem, Rule, Severity
from sustain_lint.names import is_placeholder, normalise_name
from sustain_lint.rules._common import (
    charter_sla,
    l2_entries,
    l2_rows,
    l2_year,
)
from sustain_lint.values import format_minutes, parse_duration

if TYPE_CHECKING:
    from sustain_lint.coverage import YearCoverage

# the roster's columns these rules read (see rules.COLUMNS_READ)
READS = {CAPACITY: ("name", "support_level", "coverage", "timezone", "gap", "remediation",
                   "remediation_owner", "remediation_due")}

_WHY_CAPACITY = ("Protocol 18, step 1.2 (Assess Capacity): \"Evaluate staffing, on-call "
                 "rotations, and skill coverage for maintenance\"; halt condition: \"Capacity "
                 "analysis shows critical coverage gaps\". Gate 1 (Charter & Capacity) failure "
                 "handling: \"Resolve SLA or capacity gaps before moving to operational "
                 "setup.\"")


def _l2_anchor(doc: CsvDocument, column: str) -> Location:
    """The cell of the first L2 row in ``column``, or the header's
    support_level column when the roster has no L2 row."""
    rows = l2_rows(doc)
    if rows:
        return doc.cell_location(rows[0], column)
    return doc.header_location("support_level")


def _clock_change_note(year: YearCoverage) -> str:
    """When the roster is 24/7 in some offset period and not in others, the
    gaps come from clock changes on different dates: say so, with the zones."""
    if not any(not p.week.gaps for p in year.periods):
        return ""
    zones = sorted({zone for p in year.periods for zone, _ in p.offsets
                    if len({dict(q.offsets)[zone] for q in year.periods}) > 1})
    if not zones:
        return ""
    names = ", ".join(zones[:-1]) + " and " + zones[-1] if len(zones) > 1 else zones[0]
    return (f" These gaps open only between the clock changes of {names}, which "
            "change on different dates: let the rows' windows overlap by the gap's length.")


def unreadable_l2(doc: CsvDocument) -> bool:
    """Whether an L2 row's coverage or timezone does not parse (SL003 reports that cell):
    then the L2 coverage is not judged, so that one bad cell (a `PST` timezone) is one
    finding, not also a gap (SL111) and an SLAConflict per severity (SL113)."""
    from sustain_lint import coverage

    for i in l2_rows(doc):
        cell, zone = doc.value(i, "coverage"), doc.value(i, "timezone")
        if zone and not coverage.valid_timezone(zone):
            return True
        try:
            coverage.parse_coverage(cell)
        except coverage.CoverageError:
            return True
    return False


# --- SL111 -----------------------------------------------------------------

def check_l2_coverage(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(CAPACITY, CsvDocument)
    if doc is None:
        return
    rows = l2_rows(doc)
    where = _l2_anchor(doc, "coverage")
    if rows and unreadable_l2(doc):
        return  # SL003 speaks for the cell; the coverage is judged once it reads
    if not rows:
        yield Problem(
            CAPACITY,
            f"{CAPACITY} has no L2 row, so nobody covers L2 on-call at any hour; add rows "
            "with support_level L2 whose coverage together is 24/7 (e.g. coverage 24/7, or "
            "two people in different timezones with Mon-Sun 07:00-19:00 and 19:00-07:00)",
            where)
        return
    entries = l2_entries(doc)
    if not entries:
        yield Problem(
            CAPACITY,
            f"the L2 rows of {CAPACITY} cover no hour of the week (their coverage cells are "
            "empty or invalid); write each L2 person's coverage, e.g. 'Mon-Fri 09:00-17:00' "
            "with their timezone, so that together they cover 24/7",
            where)
        return
    year = l2_year(doc, ctx.today)
    if not year.gaps:
        return
    phrases = summarise(year.lines)
    yield Problem(
        CAPACITY,
        f"the L2 rows of {CAPACITY} do not cover 24/7 on every day of the 365 days from "
        f"{ctx.today.isoformat()}; uncovered: {'; '.join(phrases)}. Extend the coverage of L2 "
        "people or add L2 rows (coverage and timezone) for these windows."
        + _clock_change_note(year),
        where,
        capacity_alert="; ".join(phrases))


SL111 = Rule(
    code="SL111",
    name="l2-coverage-gap",
    gate=1,
    severity=Severity.ERROR,
    summary="The union of the L2 rows' coverage is not 24/7 on some day of the 365 days "
    "from today",
    what="The `coverage` of every `support_level` L2 row of `capacity-analysis.csv`, read on "
    "the wall clock of the row's `timezone` (IANA name; empty means UTC), together covers "
    "every minute, in UTC, of every day of the 365 days starting at today, with every clock "
    "change of every zone of the roster: a Dublin + Vancouver rota that is 24/7 in January "
    "and July still leaves an hour uncovered in the weeks between Europe's and North "
    "America's clock changes. One finding lists the uncovered UTC windows with their dates, "
    "a recurring gap as one phrase (`07:00-08:00 UTC daily from 2027-03-15 to 2027-03-27 and "
    "from 2027-10-31 to 2027-11-07`, `Sat-Sun 00:00-24:00 UTC weekly from ... to ...`: every "
    "such day between the two dates; a window may run past midnight, `Sun 22:00-02:00`); at "
    "most four phrases, the last one saying how many more. When the gaps open only between "
    "clock changes, it says which zones. The text report also prints the protocol's prompt "
    "`[CAPACITY ALERT] Support coverage gaps detected for <windows>.` Rows with an invalid "
    "coverage or timezone (SL003) contribute nothing. The finding points at the coverage "
    "cell of the first L2 row (at the header's support_level column when there is no L2 "
    "row).",
    why=_WHY_CAPACITY + " The organisation's maintenance plan requires L2 on-call 24/7; "
    "the protocol's capacity alert reads \"Support coverage gaps detected for "
    "{time_window}\".",
    fix="Extend the coverage of L2 people, or add L2 rows (for instance in another "
    "timezone, or a contracted vendor) until every hour is covered. Gaps that come from "
    "clock changes close when the rows' windows overlap by the gap's length (an hour for "
    "Europe and North America). If the gap is accepted for a while, waive SL111 with a "
    "justification, an approver and an expiry date.",
    example=("capacity-analysis.csv:4:36: SL111 [error] the L2 rows of capacity-analysis.csv"
             " do not cover 24/7 on every day of the 365 days from 2026-11-22; uncovered:"
             " 07:00-08:00 UTC daily from 2027-03-15 to 2027-03-27 and from 2027-10-31 to"
             " 2027-11-07. Extend the coverage of L2 people or add L2 rows (coverage and"
             " timezone) for these windows. These gaps open only between the clock changes"
             " of America/Vancouver and Europe/Dublin, which change on different dates: let"
             " the rows' windows overlap by the gap's length."),
    check=check_l2_coverage,
)


# --- SL112 -----------------------------------------------------------------

NO_GAP = frozenset({"none", "no", "n/a", "na", "-", "nil", "no gap"})

_NEEDED = (
    ("remediation", "the plan that closes it (e.g. 'Hire a second L2 engineer')"),
    ("remediation_owner", "who owns closing it (a name or role from this file)"),
    ("remediation_due", "by when it closes (YYYY-MM-DD)"),
)


def _states_gap(value: str) -> bool:
    text = " ".join(value.split()).strip("[](){}<>").strip().lower()
    return bool(text) and text not in NO_GAP


def check_gap_plans(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(CAPACITY, CsvDocument)
    if doc is None or not doc.has_column("gap"):
        return
    for i, gap in enumerate(doc.column("gap")):
        if not _states_gap(gap):
            continue
        who = doc.value(i, "name")
        label = f"row {i + 1}" + (f" ({who})" if who else "")
        for column, what in _NEEDED:
            if not is_placeholder(doc.value(i, column)):
                continue
            value = doc.value(i, column)
            state = f"its `{column}` is '{value}'" if value else f"has no `{column}`"
            yield Problem(
                CAPACITY,
                f"{label} of {CAPACITY} states the gap '{gap.strip()}' but {state}; "
                f"write {what}",
                doc.cell_location(i, column))


SL112 = Rule(
    code="SL112",
    name="capacity-gap-unplanned",
    gate=1,
    severity=Severity.ERROR,
    summary="A capacity gap without remediation, remediation_owner or remediation_due",
    what="Every row of `capacity-analysis.csv` with a `gap` carries a `remediation`, a "
    "`remediation_owner` and a `remediation_due` date; a placeholder (TBD, n/a, -) counts as "
    "missing. One finding per missing cell, at that cell. A gap cell that says there is no "
    "gap (`none`, `no`, `n/a`, `-`) is not a gap.",
    why=_WHY_CAPACITY + " A known gap is acceptable only with a plan, an owner and a date; "
    "otherwise it is just a documented risk that nobody will close.",
    fix="Fill in the three remediation cells of the row, or clear the gap cell once the gap "
    "is closed.",
    example=("capacity-analysis.csv:7:168: SL112 [error] row 6 (Tom Okafor)"
             " of capacity-analysis.csv states the gap 'Weekend depth on settlement"
             " jobs' but its `remediation_owner` is 'TBD'; write who owns closing"
             " it (a name or role from this file)\n"
             "\n"
             "What passes:\n")
            + ("name,role,support_level,...,gap,remediation,remediation_owner,remediation_due\n"
    "Tom Okafor,L2 On-call Engineer,L2,...,Weekend depth on settlement jobs,Pair with Priya "
    "on settlement runbooks,Support Lead,2027-01-15"),
    check=check_gap_plans,
)


# --- SL113 -----------------------------------------------------------------

def _real_gap(ctx: Context) -> tuple[int, str, str]:
    """The longest gap of the on-call exports in the horizon (minutes), where it
    is, and the exports' names; 0 without exports."""
    from sustain_lint import schedules

    found = schedules.view(ctx)
    if found is None or not found.exports:
        return 0, "", ""
    minutes, where = schedules.longest_gap(found.gaps)
    if where is None:
        return 0, "", ""
    names = ", ".join(found.names[:5]) + (" and more" if len(found.names) > 5 else "")
    return minutes, schedules.describe_gap(*where), names


def check_sla_capacity(ctx: Context) -> Iterator[Problem]:
    capacity = ctx.doc(CAPACITY, CsvDocument)
    charter = ctx.doc(CHARTER, MarkdownDocument)
    if capacity is None or charter is None:
        return
    rows = charter_sla(charter)
    if not rows or unreadable_l2(capacity):
        return
    if not l2_entries(capacity):
        for sev in sorted(rows):
            row = rows[sev]
            if row.response_minutes is None:
                continue
            yield Problem(
                CHARTER,
                f"SLAConflict: the {sev} response target {row.response} in {CHARTER} cannot be "
                f"met: {CAPACITY} gives no L2 coverage at all, so nobody on L2 duty could "
                f"respond. Write the coverage of L2 rows in {CAPACITY} so that together they "
                "cover 24/7",
                Location(row.line, 1, f"service-level table, {sev} row"))
        return
    year = l2_year(capacity, ctx.today)
    gap = year.longest
    declared = gap.minutes if gap is not None else 0
    real, real_where, exports = _real_gap(ctx)
    if declared <= 0 and real <= 0:
        return
    if real > declared:  # the on-call exports leave the longer gap
        longest, gap_text = real, format_minutes(real)
        source = (f"the longest gap in the L2 on-call exports ({exports}), {gap_text} "
                  f"({real_where})")
        fix = ("Close the gap first: add shifts or overrides for that window in the on-call "
               "tool and export the schedule again")
    else:
        assert gap is not None
        line = year.line_of(gap)
        where = f" ({line.text})" if line is not None else ""
        longest, gap_text = gap.minutes, format_minutes(gap.minutes)
        source = f"the longest L2 coverage gap in {CAPACITY}, {gap_text}{where}"
        fix = f"Close the gap first: add or extend L2 coverage in {CAPACITY} for that window"
    for sev in sorted(rows):
        row = rows[sev]
        if row.response_minutes is None or row.response_minutes >= longest:
            continue
        yield Problem(
            CHARTER,
            f"SLAConflict: the {sev} response target {row.response} in {CHARTER} is shorter "
            f"than {source}: nobody on L2 duty could respond in time then. {fix}"
            + _target_advice(ctx, sev, longest, gap_text),
            Location(row.line, 1, f"service-level table, {sev} row"))


def _target_advice(ctx: Context, sev: str, longest: int, gap_text: str) -> str:
    """The second way out, never a target looser than the policy's."""
    target = ctx.policy.targets.get(sev)
    allowed = parse_duration(target.response) if target is not None else None
    if target is None or allowed is None:
        return ""
    if longest <= allowed:
        return (f"; or, with the stakeholders' agreement, relax the {sev} response target to "
                f"{gap_text} (within the policy's {target.response})")
    return (f" (a {sev} response target of {gap_text} would be looser than the policy's "
            f"{target.response})")


SL113 = Rule(
    code="SL113",
    name="sla-capacity-conflict",
    gate=1,
    severity=Severity.ERROR,
    summary="SLAConflict: a charter response target is shorter than the longest L2 coverage gap",
    what="For each severity of the charter's service-level table whose response target "
    "parses, the target is not shorter than the longest uncovered stretch of the L2 rows' "
    "coverage in `capacity-analysis.csv`, in UTC over the 365 days from today (as SL111 "
    "judges it: every clock change counts; a gap over the end of a week or a day is one "
    "stretch). One finding per such severity, at its row of the charter's service-level "
    "table, naming the gap and its dates. When the set has on-call exports, the longest "
    "real gap of their horizon (SL115's uncovered time) counts too: the longer of the two "
    "is the one named. The message gives the coverage fix first; it "
    "suggests relaxing the response target only to a value within the policy's target "
    "for that severity, and says so when the gap is longer than the policy allows. Silent "
    "when either file is missing or unreadable (SL001/SL002 speak), and when L2 covers "
    "24/7 on paper and in the exports.",
    why="Protocol 18 error SLAConflict: \"Proposed maintenance SLAs conflict with available "
    "capacity\"; recovery: \"Reassess staffing, negotiate revised SLAs, update capacity "
    "analysis.\" Gate 1 failure handling: \"Resolve SLA or capacity gaps before moving to "
    "operational setup.\" A 15-minute P1 response is a fiction while nobody is on L2 duty "
    "for six hours.",
    fix="Close the coverage gap in capacity-analysis.csv (more or wider L2 coverage). Only "
    "where the gap is no longer than the policy's response target for that severity, the "
    "stakeholders may instead agree a response target no shorter than the gap.",
    example=("maintenance-charter.md:22:1: SL113 [error] SLAConflict: the P1 response target"
             " 15m in maintenance-charter.md is shorter than the longest L2 coverage gap in"
             " capacity-analysis.csv, 2h (Sat 00:00-02:00 UTC weekly from 2026-11-28 to"
             " 2027-11-20): nobody on L2 duty could respond in time then. Close the gap"
             " first: add or extend L2 coverage in capacity-analysis.csv for that window (a"
             " P1 response target of 2h would be looser than the policy's 15m)"),
    check=check_sla_capacity,
)


# --- SL114 -----------------------------------------------------------------

def check_rotation(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(CAPACITY, CsvDocument)
    if doc is None:
        return
    wanted = ctx.policy.min_l2_rotation
    people: dict[str, str] = {}
    for i in l2_rows(doc):
        name = doc.value(i, "name")
        if name and not is_placeholder(name):
            people.setdefault(normalise_name(name), " ".join(name.split()))
    if len(people) >= wanted:
        return
    listed = f" ({', '.join(people.values())})" if people else ""
    count = f"{len(people)} distinct L2 {'person' if len(people) == 1 else 'people'}"
    yield Problem(
        CAPACITY,
        f"{CAPACITY} names {count}{listed}; the policy asks for at least {wanted} "
        "(min_l2_rotation) so that the on-call rotation is sustainable; add L2 rows for more "
        "people",
        _l2_anchor(doc, "name"))


SL114 = Rule(
    code="SL114",
    name="l2-rotation-too-small",
    gate=1,
    severity=Severity.WARNING,
    summary="Fewer distinct L2 people than policy.min_l2_rotation",
    what="The L2 rows of `capacity-analysis.csv` name at least `policy.min_l2_rotation` "
    "distinct people (default 4; names compared trimmed and case-insensitively, empty and "
    "placeholder names not counted). The finding points at the name of the first L2 row.",
    why=_WHY_CAPACITY + " A 24/7 rotation of two or three people means a week of nights "
    "every few weeks: the coverage on paper will not survive holidays, sickness or attrition.",
    fix="Add L2 people to the rotation (or contract a vendor and list their engineers), or "
    "lower `min_l2_rotation` in the policy if the organisation agreed to.",
    example=("capacity-analysis.csv:4:1: SL114 [warning] capacity-analysis.csv"
             " names 3 distinct L2 people (Priya Raman, Diego Alvarez, Tom "
             "Okafor); the policy asks for at least 4 (min_l2_rotation) so "
             "that the on-call rotation is sustainable; add L2 rows for more"
             " people"),
    check=check_rotation,
)


RULES = (SL111, SL112, SL113, SL114)
