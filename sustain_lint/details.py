"""What the pages people look at show besides the findings (model.SetDetails and
the waivers in force): built from the parsed documents of one set, like a rule
(no I/O), when the engine is asked for it.

``coverage_periods`` is the one place that turns the roster's L2 rows into
heat maps: UTC hours x days of the week, who covers each hour, the gaps;
``export_weeks`` the one that turns the on-call exports' shifts (``schedules.view``,
what SL115-SL117 judge) into the same maps, one per calendar week of the horizon."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from sustain_lint.artifacts import APPROVALS, CAPACITY, SCHEDULES, WAIVERS
from sustain_lint.context import Context
from sustain_lint.coverage import WeekCoverage
from sustain_lint.documents import CsvDocument, TreeDocument
from sustain_lint.model import (
    ApprovalView,
    CoveragePeriod,
    Finding,
    HourCell,
    Rule,
    SetDetails,
    SourceLine,
    WaiverView,
)
from sustain_lint.values import parse_date

if TYPE_CHECKING:
    from sustain_lint.schedules import ScheduleView

SOURCE_CHARS = 400  # a source line shown is cut to this many characters
MAX_WEEKS = 53  # weeks of the exports drawn (a year); their gaps are listed whatever the horizon
MAX_REASONS = 5  # exports named in the note of why the exports' maps stop early


def waivers_in_force(ctx: Context, registry: Mapping[str, Rule]) -> tuple[WaiverView, ...]:
    """The valid waivers of the set, in file order, with approver and days left."""
    doc = ctx.doc(WAIVERS, TreeDocument)
    if doc is None or not isinstance(doc.data, list):
        return ()
    from sustain_lint.rules.waivers import judge_waivers

    raw = [entry for entry in doc.data if isinstance(entry, dict)]
    judged = judge_waivers(doc, ctx.today, registry)
    views = []
    for entry, waiver in zip(raw, judged, strict=True):
        if waiver.problem is not None:
            continue
        expires = parse_date(entry.get("expires"))
        if expires is None:  # (a valid waiver has a date)
            continue
        views.append(WaiverView(waiver.code, waiver.path, waiver.justification,
                                str(entry.get("approved_by", "")).strip(),
                                expires.isoformat(), (expires - ctx.today).days))
    return tuple(views)


def approvals_in_force(ctx: Context) -> tuple[ApprovalView, ...]:
    doc = ctx.doc(APPROVALS, CsvDocument)
    if doc is None or not doc.has_column("stakeholder"):
        return ()
    from sustain_lint.rules.approvals import rows_in_force

    views = []
    for row in rows_in_force(doc, ctx.today):
        written = doc.value(row.row, "date").strip()
        date = parse_date(written)
        views.append(ApprovalView(row.stakeholder.strip(), row.role, row.decision, written,
                                  (ctx.today - date).days if date is not None else None))
    return tuple(views)


@functools.lru_cache(maxsize=256)
def coverage_periods(rows: tuple[tuple[str, str, str], ...], today: dt.date
                     ) -> tuple[tuple[CoveragePeriod, ...], tuple[str, ...], str]:
    """The L2 coverage of ``rows`` (name, coverage cell, timezone) over the 365 days
    from ``today`` (``coverage.year_coverage``, what the rules judge): one map per
    distinct offset period of the year (the weekly UTC coverage, who covers each
    hour), the gaps of the year with their dates, and the horizon. A row whose
    coverage or timezone is invalid (SL003) covers nothing. Memoised: many sets
    share a roster."""
    from sustain_lint import coverage

    entries = []
    for name, cell, tz in rows:
        entry = coverage.roster_entry(" ".join(name.split()) or "(no name)", cell, tz)
        if entry is not None:
            entries.append(entry)
    year = coverage.year_coverage(entries, today)
    periods = []
    for period in year.periods:
        hours = _hours(period.week)
        spans = tuple((start.date().isoformat(),
                       (end - dt.timedelta(minutes=1)).date().isoformat())
                      for start, end in period.spans)
        label = " and ".join(f"{a} to {b}" if a != b else a for a, b in spans)
        periods.append(CoveragePeriod(label, spans, period.offsets, hours,
                                      _wrapped(period.week.gaps)))
    last = today + dt.timedelta(days=year.horizon.days - 1)
    return (tuple(periods), tuple(line.text for line in year.lines),
            f"{today.isoformat()} to {last.isoformat()}")


def _wrapped(gaps: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The week's gaps with the one that ends the week joined to the one that starts
    it (the schedule repeats): ``(Sun 19:00, Mon 07:00)`` as (start, end > WEEK)."""
    from sustain_lint.gaps import WEEK

    if len(gaps) > 1 and gaps[0][0] == 0 and gaps[-1][1] == WEEK:
        return (*gaps[1:-1], (gaps[-1][0], gaps[0][1] + WEEK))
    return tuple(gaps)


def _hours(week: WeekCoverage) -> tuple[HourCell, ...]:
    """``week.hours()`` (who covers some of each UTC hour, how much of it is covered)
    filled span by span: linear in the hours covered, not hours x people x spans."""
    who: list[list[str]] = [[] for _ in range(168)]
    for label, spans in week.by_label:
        for start, end in spans:
            for hour in range(start // 60, min(168, -(-end // 60))):
                if not who[hour] or who[hour][-1] != label:
                    who[hour].append(label)
    covered = [60] * 168
    for start, end in week.gaps:
        for hour in range(start // 60, min(168, -(-end // 60))):
            covered[hour] -= min(end, hour * 60 + 60) - max(start, hour * 60)
    return tuple(HourCell(covered[h], tuple(who[h])) for h in range(168))


def l2_roster(doc: CsvDocument) -> list[tuple[str, str, str]]:
    from sustain_lint.rules._common import l2_rows

    name = doc.has_column("name")
    return [(doc.value(i, "name") if name else "", doc.value(i, "coverage"),
             doc.value(i, "timezone")) for i in l2_rows(doc)]


_NO_MAP: tuple[tuple[CoveragePeriod, ...], tuple[str, ...], str] = ((), (), "")


def _coverage(ctx: Context) -> tuple[tuple[tuple[CoveragePeriod, ...], tuple[str, ...], str],
                                     str | None]:
    """The maps, gap dates and horizon of the set's roster, or why there are none."""
    doc = ctx.doc(CAPACITY, CsvDocument)
    if doc is None:
        return _NO_MAP, f"no coverage map: {CAPACITY} is {ctx.states.get(CAPACITY, 'missing')}"
    if not (doc.has_column("support_level") and doc.has_column("coverage")
            and doc.has_column("timezone")):
        return _NO_MAP, (f"no coverage map: {CAPACITY} lacks a support_level, coverage or "
                         "timezone column")
    rows = l2_roster(doc)
    if not rows:
        return _NO_MAP, f"no coverage map: {CAPACITY} has no L2 row"
    return coverage_periods(tuple(rows), ctx.today), None


# -- the on-call exports ------------------------------------------------------------------

_HOUR = 3600
_WEEK = 7 * 86400
_EPOCH_MONDAY = 4 * 86400  # 1970-01-05, the first Monday after the epoch
_NOT_JUDGED = HourCell(0, (), judged=False)
# (start, end, persons): a shift clipped to the judged horizon, UTC seconds
ShiftKey = tuple[int, int, tuple[str, ...]]


class _Schedule(NamedTuple):
    weeks: tuple[CoveragePeriod, ...] = ()
    week_count: int = 0  # the weeks the judged horizon overlaps
    gaps: tuple[str, ...] = ()
    note: str | None = None
    exports: tuple[str, ...] = ()
    horizon: str = ""


def _monday(seconds: int) -> int:
    """00:00 UTC of the Monday of the UTC week of ``seconds``."""
    return seconds - (seconds - _EPOCH_MONDAY) % _WEEK


def _date(seconds: int) -> str:
    from sustain_lint.schedules import describe_day

    return describe_day(seconds)


@functools.lru_cache(maxsize=256)
def export_weeks(shifts: tuple[ShiftKey, ...], start: int, judged_end: int,
                 gaps: tuple[tuple[int, int], ...]
                 ) -> tuple[tuple[CoveragePeriod, ...], int, tuple[str, ...]]:
    """The maps of the exports' ``shifts`` (sorted, clipped to the judged horizon
    ``[start, judged_end)``, UTC seconds) and of their ``gaps`` in it: one per
    calendar week (Monday 00:00 UTC to Monday) that overlaps the judged horizon, at
    most ``MAX_WEEKS``; each hour with the people on shift in it (in the order their
    shifts start) and the minutes covered, the hours outside the judged horizon not
    judged. Also how many weeks the horizon overlaps, and the gaps with their dates
    as SL115 words them. Filled shift by shift, like ``_hours``; memoised: the sets of
    a team often hold the same export."""
    from sustain_lint.rules.schedules import grouped_gaps

    first = _monday(start)
    count = -(-(judged_end - first) // _WEEK) if judged_end > start else 0
    drawn = min(count, MAX_WEEKS)
    hours = drawn * 168
    who: list[list[str]] = [[] for _ in range(hours)]
    for begin, end, persons in shifts:
        for hour in _hour_range(begin, end, first, hours):
            for person in persons:
                if person not in who[hour]:
                    who[hour].append(person)
    uncovered = [0] * hours  # seconds of each hour in a gap
    for begin, end in gaps:
        for hour in _hour_range(begin, end, first, hours):
            at = first + hour * _HOUR
            uncovered[hour] += min(end, at + _HOUR) - max(begin, at)
    judged = range((start - first) // _HOUR, -(-(judged_end - first) // _HOUR))
    cells = [HourCell(60 - -(-uncovered[h] // 60), tuple(who[h])) if h in judged
             else _NOT_JUDGED for h in range(hours)]
    weeks = tuple(_week(first + w * _WEEK, cells[w * 168:(w + 1) * 168], gaps)
                  for w in range(drawn))
    return weeks, count, tuple(line.text for line in grouped_gaps(gaps))


def _hour_range(begin: int, end: int, first: int, hours: int) -> range:
    """The hours (counted from ``first``, fewer than ``hours``) that ``[begin, end)`` touches."""
    return range(max(0, (begin - first) // _HOUR), min(hours, -(-(end - first) // _HOUR)))


def _week(monday: int, cells: Sequence[HourCell], gaps: Sequence[tuple[int, int]]
          ) -> CoveragePeriod:
    """One calendar week's map: its dates, UTC, its cells and its own gaps (minutes
    from its Monday 00:00 UTC)."""
    first, last = _date(monday), _date(monday + _WEEK - 1)
    own = tuple(((max(begin, monday) - monday) // 60, -(-(min(end, monday + _WEEK) - monday) // 60))
                for begin, end in gaps if begin < monday + _WEEK and end > monday)
    return CoveragePeriod(f"{first} to {last}", ((first, last),), (("", 0),), tuple(cells), own)


@functools.lru_cache(maxsize=4096)
def _persons(names: tuple[str, ...]) -> tuple[str, ...]:
    """Who a shift puts on duty, as the maps show them (white space collapsed);
    ``(no name)`` for a shift that names nobody. Memoised: a rotation has few people."""
    return tuple(" ".join(name.split()) or "(no name)" for name in names) or ("(no name)",)


def _shift_keys(found: ScheduleView) -> tuple[ShiftKey, ...]:
    """The shifts of every readable export in the judged horizon, in the order they
    start (before the horizon, for one that started earlier), clipped to it."""
    start, end = found.start, found.judged_end
    return tuple((max(begin, start), min(finish, end), persons) for begin, finish, persons in sorted(
        (shift.start, shift.end, _persons(shift.persons))
        for export in found.exports for shift in export.shifts
        if shift.start < end and shift.end > start))


def _schedule_note(found: ScheduleView) -> str | None:
    """Why the exports' maps are missing or stop before the horizon does, naming
    the exports and their rule (SL002, SL003, SL117); None when they do not."""
    from sustain_lint.schedules import describe_instant

    reasons = [f"{name} cannot be read (SL002)" for name in found.unreadable]
    for export in found.exports:
        if export.problems:
            reasons.append(f"the shifts of {export.name} cannot be expanded (SL003)")
        elif export.last_end is None and not export.reaches:
            reasons.append(f"{export.name} holds no shift (SL117)")
        elif not export.reaches and export.last_end is not None:
            reasons.append(f"{export.name} ends {describe_instant(export.last_end)}, before "
                           "the horizon does (SL117)")
    if not reasons:
        return None
    if len(reasons) > MAX_REASONS:
        reasons = [*reasons[:MAX_REASONS], f"and {len(reasons) - MAX_REASONS} more"]
    if not found.exports or found.judged_end <= found.start:
        lead = "no map of the on-call exports"
    elif found.judged_end < found.end:
        lead = f"judged only up to {describe_instant(found.judged_end)}"
    else:
        lead = "the maps leave out the exports that cannot be read"
    return f"{lead}: {'; '.join(reasons)}"


def _schedule(ctx: Context) -> _Schedule:
    """The maps of the set's on-call exports, their gaps, and why there are none."""
    from sustain_lint import schedules

    found = schedules.view(ctx)
    if found is None:
        return _Schedule(note=f"no on-call export in the set ({SCHEDULES} in the set folder, "
                         "or config `schedules`)")
    horizon = f"{_date(found.start)} to {_date(found.end - 1)}"
    exports = (*found.names, *found.unreadable)
    note = _schedule_note(found)
    if not found.exports:
        return _Schedule(note=note, exports=exports, horizon=horizon)
    weeks, count, gaps = export_weeks(_shift_keys(found), found.start, found.judged_end,
                                      tuple(found.gaps))
    return _Schedule(weeks, count, gaps, note, exports, horizon)


def source_lines(texts: Mapping[str, str], findings: Sequence[Finding]
                 ) -> tuple[SourceLine, ...]:
    """The line each finding points at, from the files' texts (artifact name ->
    text, newlines normalised): one entry per (path, line), in finding order."""
    wanted: dict[str, set[int]] = {}
    paths: dict[str, str] = {}
    for f in findings:
        if f.line is not None and f.artifact in texts:
            wanted.setdefault(f.artifact, set()).add(f.line)
            paths[f.artifact] = f.path
    out: list[SourceLine] = []
    for artifact, lines in wanted.items():
        text = texts[artifact]
        last = max(lines)
        split = text.split("\n", last)  # no more of a large file than needed
        for line in sorted(lines):
            if 1 <= line <= len(split):
                out.append(SourceLine(paths[artifact], line, split[line - 1][:SOURCE_CHARS]))
    return tuple(out)


def set_details(ctx: Context, texts: Mapping[str, str],
                findings: Sequence[Finding]) -> SetDetails:
    (periods, dates, horizon), note = _coverage(ctx)
    exports = _schedule(ctx)
    return SetDetails(coverage=periods, coverage_note=note, gap_dates=dates, horizon=horizon,
                      approvals=approvals_in_force(ctx),
                      sources=source_lines(texts, findings),
                      schedule=exports.weeks, schedule_note=exports.note,
                      schedule_gaps=exports.gaps, schedule_exports=exports.exports,
                      schedule_weeks=exports.week_count, schedule_horizon=exports.horizon)

