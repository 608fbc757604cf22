"""What the pages people look at show besides the findings (model.SetDetails and
the waivers in force): built from the parsed documents of one set, like a rule
(no I/O), when the engine is asked for it.

``coverage_periods`` is the one place that turns the roster's L2 rows into
heat maps: UTC hours x days of the week, who covers each hour, the gaps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sustain_lint.artifacts import APPROVALS, CAPACITY, WAIVERS
from sustain_lint.context import Context
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
    for row in rows_in_force(doc):
        written = doc.value(row.row, "date").strip()
        date = parse_date(written)
        views.append(ApprovalView(row.stakeholder.strip(), row.role, row.decision, written,
                                  (ctx.today - date).days if date is not None else None))
    return tuple(views)


def coverage_periods(rows: Sequence[tuple[str, str, str]], year: int
                     ) -> tuple[CoveragePeriod, ...]:
    """The L2 week in UTC of ``rows`` (name, coverage cell, timezone), one map per
    distinct offset period: the reference weeks of January and July of ``year``
    (those the rules judge, ``sustain_lint.coverage``), one map when both weeks are
    the same. A row whose coverage or timezone is invalid (SL003) covers nothing."""
    from sustain_lint import coverage
    from sustain_lint.rules._common import MONTHS

    parsed: list[tuple[str, list[coverage.Window], str]] = []
    for name, cell, tz in rows:
        try:
            windows = coverage.parse_coverage(cell)
        except coverage.CoverageError:
            continue
        if windows and coverage.valid_timezone(tz):
            parsed.append((" ".join(name.split()) or "(no name)", windows, tz))
    periods: list[CoveragePeriod] = []
    for month, label in MONTHS:
        monday = coverage.reference_monday(year, month)
        minutes = [0] * 168
        who: list[list[str]] = [[] for _ in range(168)]
        union: list[tuple[int, int]] = []
        for name, windows, tz in parsed:
            mine = coverage.to_utc(windows, tz, monday)
            union.extend(mine)
            for hour in sorted({h for s, e in mine for h in range(s // 60, -(-e // 60))}):
                if hour < 168 and name not in who[hour]:
                    who[hour].append(name)
        gap_list = coverage.gaps(union)
        for hour in range(168):
            minutes[hour] = 60
        for s, e in gap_list:
            for hour in range(s // 60, -(-e // 60)):
                minutes[hour] -= min(e, hour * 60 + 60) - max(s, hour * 60)
        hours = tuple(HourCell(minutes[h], tuple(who[h])) for h in range(168))
        gaps = tuple(coverage.wrap_gaps(gap_list))
        if periods and periods[-1].hours == hours and periods[-1].gaps == gaps:
            previous = periods[-1]
            periods[-1] = previous._replace(label=previous.label.replace(
                f" {year}", f" and {label} {year}"))
            continue
        periods.append(CoveragePeriod(f"{label} {year}", monday.isoformat(), hours, gaps))
    if len(periods) == 2:  # the weeks differ: say which week each map is
        periods = [p._replace(label=f"{p.label} (week of {p.first_day})") for p in periods]
    return tuple(periods)


def l2_roster(doc: CsvDocument) -> list[tuple[str, str, str]]:
    from sustain_lint.rules._common import l2_rows

    name = doc.has_column("name")
    return [(doc.value(i, "name") if name else "", doc.value(i, "coverage"),
             doc.value(i, "timezone")) for i in l2_rows(doc)]


def _coverage(ctx: Context) -> tuple[tuple[CoveragePeriod, ...], str | None]:
    doc = ctx.doc(CAPACITY, CsvDocument)
    if doc is None:
        return (), f"no coverage map: {CAPACITY} is {ctx.states.get(CAPACITY, 'missing')}"
    if not (doc.has_column("support_level") and doc.has_column("coverage")
            and doc.has_column("timezone")):
        return (), (f"no coverage map: {CAPACITY} lacks a support_level, coverage or "
                    "timezone column")
    rows = l2_roster(doc)
    if not rows:
        return (), f"no coverage map: {CAPACITY} has no L2 row"
    return coverage_periods(rows, ctx.today.year), None


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
    coverage, note = _coverage(ctx)
    return SetDetails(coverage=coverage, coverage_note=note,
                      approvals=approvals_in_force(ctx),
                      sources=source_lines(texts, findings))

