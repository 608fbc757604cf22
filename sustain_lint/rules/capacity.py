"""SL111-SL114: the capacity analysis (``capacity-analysis.csv``, Gate 1,
step 1.2), and the SLAConflict between the charter's response targets and the
L2 coverage.

Coverage is judged in UTC over one week in January and one in July of the
evaluation year (``ctx.today.year``), so that a daylight-saving shift cannot
hide a gap (see ``sustain_lint.coverage``). Rows whose coverage or timezone
is invalid contribute nothing: SL003 reports them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sustain_lint.artifacts import CAPACITY, CHARTER
from sustain_lint.context import Context
from sustain_lint.coverage import describe_gap
from sustain_lint.documents import CsvDocument, MarkdownDocument
from sustain_lint.model import Location, Problem, Rule, Severity
from sustain_lint.rules._common import L2Coverage, charter_sla, l2_coverage, l2_rows, normalise_name
from sustain_lint.values import format_minutes, is_placeholder

# the roster's columns these rules read (see rules.COLUMNS_READ)
READS = {CAPACITY: ("name", "support_level", "coverage", "timezone", "gap", "remediation",
                   "remediation_owner", "remediation_due")}

_WHY_CAPACITY = ("Protocol 18, step 1.2 (Assess Capacity): \"Evaluate staffing, on-call "
                 "rotations, and skill coverage for maintenance\"; halt condition: \"Capacity "
                 "analysis shows critical coverage gaps\". Gate 1 (Charter & Capacity) failure "
                 "handling: \"Resolve SLA or capacity gaps before moving to operational "
                 "setup.\"")
_MAX_LISTED = 20


def _l2_anchor(doc: CsvDocument, column: str) -> Location:
    """The cell of the first L2 row in ``column``, or the header's
    support_level column when the roster has no L2 row."""
    rows = l2_rows(doc)
    if rows:
        return doc.cell_location(rows[0], column)
    return doc.header_location("support_level")


def _gap_list(coverage: Sequence[L2Coverage]) -> list[tuple[tuple[int, int], list[str]]]:
    """Each distinct uncovered window, with the reference months it occurs in."""
    found: dict[tuple[int, int], list[str]] = {}
    for cov in coverage:
        for gap in cov.gaps:
            found.setdefault(gap, []).append(cov.month)
    return sorted(found.items())


def _longest(coverage: Sequence[L2Coverage]) -> tuple[int, str]:
    """The longest uncovered stretch over both reference weeks, and where it is."""
    from sustain_lint.coverage import WEEK

    best: tuple[int, int] | None = None
    for cov in coverage:
        for start, end in cov.gaps:
            if best is None or end - start > best[1] - best[0]:
                best = (start, end)
    if best is None:
        return 0, ""
    if best[1] - best[0] >= WEEK:
        return WEEK, "no L2 coverage at all"
    months = [cov.month for cov in coverage if best in cov.gaps]
    return best[1] - best[0], f"{describe_gap(*best)} UTC, {' and '.join(months)}"


# --- SL111 -----------------------------------------------------------------

def check_l2_coverage(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(CAPACITY, CsvDocument)
    if doc is None:
        return
    rows = l2_rows(doc)
    where = _l2_anchor(doc, "coverage")
    if not rows:
        yield Problem(
            CAPACITY,
            f"{CAPACITY} has no L2 row, so nobody covers L2 on-call at any hour; add rows "
            "with support_level L2 whose coverage together is 24/7 (e.g. coverage 24/7, or "
            "two people in different timezones with Mon-Sun 07:00-19:00 and 19:00-07:00)",
            where)
        return
    coverage = l2_coverage(doc, ctx.today.year)
    gap_list = _gap_list(coverage)
    if not gap_list:
        return
    from sustain_lint.coverage import WEEK

    if all(end - start >= WEEK for (start, end), _ in gap_list):
        yield Problem(
            CAPACITY,
            f"the L2 rows of {CAPACITY} cover no hour of the week (their coverage cells are "
            "empty or invalid); write each L2 person's coverage, e.g. 'Mon-Fri 09:00-17:00' "
            "with their timezone, so that together they cover 24/7",
            where)
        return
    shown = [f"{describe_gap(start, end)} UTC ({' and '.join(months)})"
             for (start, end), months in gap_list]
    if len(shown) > _MAX_LISTED:
        shown = [*shown[:_MAX_LISTED], f"and {len(shown) - _MAX_LISTED} more"]
    yield Problem(
        CAPACITY,
        f"the L2 rows of {CAPACITY} do not cover 24/7; uncovered: {', '.join(shown)}; "
        "extend the coverage of L2 people or add L2 rows (coverage and timezone) for these "
        "windows",
        where)


SL111 = Rule(
    code="SL111",
    name="l2-coverage-gap",
    gate=1,
    severity=Severity.ERROR,
    summary="The union of the L2 rows' coverage is not 24/7",
    what="The `coverage` of every `support_level` L2 row of `capacity-analysis.csv`, "
    "converted from the row's `timezone` (IANA name; empty means UTC) to UTC, together "
    "covers the whole week, in a reference week of January and one of July of the "
    "evaluation year (so a daylight-saving shift cannot hide a gap). One finding lists "
    "every uncovered UTC window and the month(s) it occurs in; a window that wraps past "
    "the end of the week is shown whole (`Sun 19:00–Mon 07:00`). Rows with an invalid "
    "coverage or timezone (SL003) contribute nothing. The finding points at the coverage "
    "cell of the first L2 row (at the header's support_level column when there is no L2 "
    "row).",
    why=_WHY_CAPACITY + " The organisation's maintenance plan requires L2 on-call 24/7; "
    "the protocol's capacity alert reads \"Support coverage gaps detected for "
    "{time_window}\".",
    fix="Extend the coverage of L2 people, or add L2 rows (for instance in another "
    "timezone, or a contracted vendor) until every hour is covered. If the gap is accepted "
    "for a while, waive SL111 with a justification, an approver and an expiry date.",
    example=("capacity-analysis.csv:4:36: SL111 [error] the L2 rows of capacity-analysis.csv"
             " do not cover 24/7; uncovered: Sun 22:00–Mon 02:00 UTC (January"
             " and July); extend the coverage of L2 people or add L2 rows (coverage"
             " and timezone) for these windows"),
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
    if not rows:
        return
    longest, where = _longest(l2_coverage(capacity, ctx.today.year))
    real, real_where, exports = _real_gap(ctx)
    if longest <= 0 and real <= 0:
        return
    if real > longest:  # the on-call exports leave the longer gap
        gap_text = format_minutes(real)
        source = (f"the longest gap in the L2 on-call exports ({exports}), {gap_text} "
                  f"({real_where})")
        fix = "the on-call schedule (add shifts or overrides in the on-call tool)"
    else:
        gap_text = format_minutes(longest)
        source = f"the longest L2 coverage gap in {CAPACITY}, {gap_text} ({where})"
        fix = f"{CAPACITY} (add or extend L2 coverage)"
    for sev in sorted(rows):
        row = rows[sev]
        if row.response_minutes is None or row.response_minutes >= max(longest, real):
            continue
        yield Problem(
            CHARTER,
            f"SLAConflict: the {sev} response target {row.response} in {CHARTER} is shorter "
            f"than {source}; nobody on L2 duty could respond in time then. Close the gap in "
            f"{fix}, or renegotiate the {sev} response target to at least {gap_text}",
            Location(row.line, 1, f"service-level table, {sev} row"))


SL113 = Rule(
    code="SL113",
    name="sla-capacity-conflict",
    gate=1,
    severity=Severity.ERROR,
    summary="SLAConflict: a charter response target is shorter than the longest L2 coverage gap",
    what="For each severity of the charter's service-level table whose response target "
    "parses, the target is not shorter than the longest uncovered stretch of the L2 rows' "
    "coverage in `capacity-analysis.csv` (in UTC, over the January and July reference "
    "weeks; a gap that runs over the end of the week joins the one that starts it), nor "
    "than the longest real gap of the on-call exports in the horizon (SL115's uncovered "
    "time) when the set has exports: the longer of the two is the one named. One "
    "finding per such severity, at its row of the charter's service-level table. Silent "
    "when either file is missing or unreadable (SL001/SL002 speak), and when L2 covers 24/7 "
    "on paper and in the exports.",
    why="Protocol 18 error SLAConflict: \"Proposed maintenance SLAs conflict with available "
    "capacity\"; recovery: \"Reassess staffing, negotiate revised SLAs, update capacity "
    "analysis.\" Gate 1 failure handling: \"Resolve SLA or capacity gaps before moving to "
    "operational setup.\" A 15-minute P1 response is a fiction while nobody is on L2 duty "
    "for six hours.",
    fix="Close the coverage gap in capacity-analysis.csv (more or wider L2 coverage), or "
    "agree a response target no shorter than the gap with the stakeholders.",
    example=("maintenance-charter.md:22:1: SL113 [error] SLAConflict: the P1"
             " response target 15m in maintenance-charter.md is shorter than"
             " the longest L2 coverage gap in capacity-analysis.csv, 2h (Sat"
             " 00:00–02:00 UTC, January and July); nobody on L2 duty could "
             "respond in time then. Close the gap in capacity-analysis.csv "
             "(add or extend L2 coverage), or renegotiate the P1 response target"
             " to at least 2h"),
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
