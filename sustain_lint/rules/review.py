"""SL421-SL422: the post-handoff review calendar (Gate 4, step 4.3).

The calendar's table ``Review | Date | Facilitator | Agenda`` has a row for
each policy offset (30, 60, 90 days by default): the first row whose Review
cell contains the number (not as part of a longer number) is that review.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from sustain_lint.artifacts import REVIEW
from sustain_lint.context import Context
from sustain_lint.documents import MarkdownDocument, MarkdownTable, TableRow
from sustain_lint.model import Location, Problem, Rule, Severity
from sustain_lint.names import is_placeholder
from sustain_lint.rules._common import closest_table, lacks
from sustain_lint.values import parse_date

COLUMNS = ("review", "date", "facilitator", "agenda")


def _table(doc: MarkdownDocument) -> MarkdownTable | None:
    """The review table: the first with all four columns, else the first with a
    Review column (its missing columns are reported)."""
    table = doc.find_table(*COLUMNS)
    if table is not None:
        return table
    return next((t for t in doc.tables if t.column("review") is not None), None)


def _rows_by_offset(table: MarkdownTable, offsets: tuple[int, ...]) -> dict[int, TableRow]:
    review = table.column("review")
    found: dict[int, TableRow] = {}
    for offset in offsets:
        pattern = re.compile(rf"(?<!\d){offset}(?!\d)")
        for row in table.rows:
            if pattern.search(MarkdownTable.cell(row, review)):
                found[offset] = row
                break
    return found


def _shown(text: str) -> str:
    return f"('{text}' is a placeholder)" if text else "(the cell is empty)"


def _top(doc: MarkdownDocument) -> Location:
    if doc.sections:
        return doc.sections[0].location()
    return Location(1, 1, "document")


def _row_location(table: MarkdownTable, row: TableRow, offset: int,
                  column: str | None = None) -> Location:
    logical = f"{offset}-day review row" + (f", column {column}" if column else "")
    return Location(row.line, 1, logical)


def check_missing(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(REVIEW, MarkdownDocument)
    if doc is None:
        return
    offsets = ctx.policy.review_offsets_days
    reviews = ", ".join(f"{offset}-" for offset in offsets[:-1]) + (
        " and " if len(offsets) > 1 else "") + (f"{offsets[-1]}-day" if offsets else "")
    table = _table(doc)
    if table is None:  # one finding: at the table that comes closest, else at the top
        closest = closest_table(doc.tables, COLUMNS)
        example = (f"`| Review | Date | Facilitator | Agenda |` with a row per review, such as "
                   f"`| {offsets[0] if offsets else 30}-day health check | YYYY-MM-DD | <who> | "
                   "<topics> |`")
        if closest is None:
            yield Problem(
                REVIEW,
                f"{REVIEW} has no review table, so the {reviews} reviews are not scheduled; "
                f"add a table {example}",
                _top(doc))
        else:
            found, lacking = closest
            yield Problem(
                REVIEW,
                f"the table at line {found.line} of {REVIEW} is no review table: it "
                f"{lacks(found, lacking)}; name its columns Review | Date | Facilitator | "
                f"Agenda, with a row for each of the {reviews} reviews, such as "
                f"`| {offsets[0] if offsets else 30}-day health check | YYYY-MM-DD | <who> | "
                "<topics> |`",
                Location(found.line, 1, "review table header"))
        return
    header = Location(table.line, 1, "review table header")
    absent = [c for c in COLUMNS[1:] if table.column(c) is None]
    if absent:  # one finding for the table's header, whatever it lacks
        yield Problem(
            REVIEW,
            f"{REVIEW}: the review table {lacks(table, absent)}; add "
            f"{'them' if len(absent) > 1 else 'it'} so that every review has "
            + " and ".join(f"a {column}" if column != "agenda" else "an agenda"
                           for column in absent),
            header,
        )
    rows = _rows_by_offset(table, offsets)
    for offset in offsets:
        row = rows.get(offset)
        if row is None:
            yield Problem(
                REVIEW,
                f"{REVIEW}: the review table has no {offset}-day review (no Review cell "
                f"contains {offset}); add a row such as `| {offset}-day health check | "
                "YYYY-MM-DD | <who> | <topics> |`",
                header,
            )
            continue
        for column, what in _REQUIRED_CELLS:
            index = table.column(column.lower())
            if index is None:
                continue  # reported once above, at the header
            text = MarkdownTable.cell(row, index)
            if is_placeholder(text):
                yield Problem(
                    REVIEW,
                    f"{REVIEW}: the {offset}-day review (line {row.line}) has no {column} "
                    f"{_shown(text)}; {what}",
                    _row_location(table, row, offset, column),
                )
            elif column == "Date" and parse_date(text) is None:
                yield Problem(
                    REVIEW,
                    f"{REVIEW}: the {offset}-day review (line {row.line}) has Date "
                    f"'{text}', which is not a date; write it as YYYY-MM-DD",
                    _row_location(table, row, offset, column),
                )


# the cells every review row needs, and what to write into an empty one
_REQUIRED_CELLS = (
    ("Date", "write the date it takes place (YYYY-MM-DD)"),
    ("Facilitator", "name the person or role who runs it"),
    ("Agenda", "list what it reviews (e.g. SLA attainment, backlog aging, recurring incidents)"),
)


def check_dates(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(REVIEW, MarkdownDocument)
    if doc is None:
        return
    handoff = parse_date(doc.front("handoff_date"))
    table = _table(doc)
    if handoff is None or table is None:
        return  # SL003 speaks for the handoff date, SL421 for the table
    date_i = table.column("date")
    if date_i is None:
        return
    tolerance = ctx.policy.review_tolerance_days
    reported: set[int] = set()
    for offset, row in sorted(_rows_by_offset(table, ctx.policy.review_offsets_days).items()):
        date = parse_date(MarkdownTable.cell(row, date_i))
        if date is None or row.line in reported:
            continue
        expected = handoff + dt.timedelta(days=min(offset, (dt.date.max - handoff).days))
        drift = (date - expected).days
        if date <= handoff:
            what = (f"is on {date.isoformat()}, not after the handoff on "
                    f"{handoff.isoformat()}")
        elif abs(drift) > tolerance:
            what = (f"is on {date.isoformat()}, {abs(drift)} days "
                    f"{'after' if drift > 0 else 'before'} handoff_date + {offset} days "
                    f"({expected.isoformat()}; tolerance {tolerance} days)")
        else:
            continue
        reported.add(row.line)
        yield Problem(
            REVIEW,
            f"{REVIEW}: the {offset}-day review (line {row.line}) {what}; move it to "
            f"about {expected.isoformat()}, or correct handoff_date",
            _row_location(table, row, offset, "Date"),
        )


SL421 = Rule(
    code="SL421",
    name="review-missing",
    gate=4,
    severity=Severity.ERROR,
    summary="A 30-, 60- or 90-day review is not scheduled, or lacks date, facilitator or "
    "agenda",
    what="`review-calendar.md` has a table `Review | Date | Facilitator | Agenda` with a row "
    "for each offset of `policy.review_offsets_days` (30, 60, 90): a row whose Review cell "
    "contains that number. A missing row is a finding at the table header. A missing or "
    "misnamed table is one finding: at the table that comes closest, naming the columns it "
    "lacks and the headers it has, or at the first heading when the file has no table. A "
    "present row needs a Date (YYYY-MM-DD; an empty, "
    "placeholder or unparseable date counts as missing), a Facilitator (placeholders such "
    "as TBD count as missing) and an Agenda: one finding per missing cell, at the row.",
    why="Step 4.3: 'Plan 30/60/90-day reviews and align with retrospectives.' Gate 4's "
    "criterion: 'Approvals recorded, monitoring active, review cadence scheduled.'",
    fix="Add the missing review row, or fill its Date, Facilitator and Agenda cells.",
    example=("review-calendar.md:6:1: SL421 [error] the table at line 6 of review-calendar.md"
             " is no review table: it lacks the columns Review, Date, Facilitator, Agenda (its"
             " header is Check | When | Host | Topics); name its columns Review | Date |"
             " Facilitator | Agenda, with a row for each of the 30-, 60- and 90-day reviews,"
             " such as `| 30-day health check | YYYY-MM-DD | <who> | <topics> |`\n"
             "\n"
             "What passes:\n")
            + ("| Review | Date | Facilitator | Agenda |\n|---|---|---|---|\n"
    "| 30-day health check | 2026-12-30 | Support Lead | SLA attainment, open P1/P2 items |"),
    check=check_missing,
)

SL422 = Rule(
    code="SL422",
    name="review-date-off",
    gate=4,
    severity=Severity.WARNING,
    summary="A review date is far from handoff_date + its offset, or not after the handoff",
    what="Each 30/60/90-day review's Date is after the front matter's `handoff_date` and "
    "within `policy.review_tolerance_days` (7) of handoff_date + the offset. Silent when "
    "handoff_date is missing or not a date (SL003 reports it) and for dates SL421 reports.",
    why="Step 4.3: 'Plan 30/60/90-day reviews and align with retrospectives.' A '30-day' "
    "review held after 60 days, or before the handoff, does not check the service's health "
    "at the cadence Gate 4 ('review cadence scheduled') asks for.",
    fix="Move the review to about handoff_date + its offset, or correct `handoff_date` if "
    "the handoff moved.",
    example=("review-calendar.md:8:1: SL422 [warning] review-calendar.md: the"
             " 30-day review (line 8) is on 2027-01-20, 21 days after handoff_date"
             " + 30 days (2026-12-30; tolerance 7 days); move it to about 2026-12-30,"
             " or correct handoff_date"),
    check=check_dates,
)

RULES = (SL421, SL422)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)
