"""What the pages people look at show besides the findings (model.SetDetails and
the waivers in force): built from the parsed documents of one set, like a rule
(no I/O), when the engine is asked for it.

``coverage_periods`` is the one place that turns the roster's L2 rows into
heat maps: UTC hours x days of the week, who covers each hour, the gaps."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence

from sustain_lint.artifacts import APPROVALS, CAPACITY, WAIVERS
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

SOURCE_CHARS = 400  # a source line shown is cut to this many characters


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
    return SetDetails(coverage=periods, coverage_note=note, gap_dates=dates, horizon=horizon,
                      approvals=approvals_in_force(ctx),
                      sources=source_lines(texts, findings))

