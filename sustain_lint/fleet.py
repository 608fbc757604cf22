"""``sustain-lint coverage`` (the L2 heat map in the terminal) and ``sustain-lint
report`` (one HTML page over the JSON reports of many repositories: the fleet).

``report`` reads nothing but the JSON reports it is given, each checked against
``schemas/report.json`` first: a file that is not a sustain-lint JSON report is
refused (exit 2) with what is wrong and where. A set is known by the folder of
its report file (as given on the command line) and its path in that report:
``reports/ledger/2026-11-01.json`` and ``reports/ledger/2026-12-01.json`` are two
dates of the same sets, so they make their trend (docs/decisions/html.md)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

MAX_REPORT_BYTES = 256 * 1024 * 1024
_RANK = {"failed": 0, "blocked": 1, "passed": 2}


# -- coverage ---------------------------------------------------------------------------

def _coverage_parser() -> argparse.ArgumentParser:
    from sustain_lint.cli import _Parser

    p = _Parser(prog="sustain-lint coverage",
                description="The L2 week in UTC of each evidence set's capacity roster, then "
                "each week of its on-call exports' horizon: one character per hour, the gaps "
                "and their dates. Exit 1 when a set has a gap (or no map of its roster, or "
                "exports that cannot be judged to the horizon's end), 0 when every set is "
                "covered 24/7.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="a repository, an evidence set folder, or files inside sets "
                   "(default: .)")
    p.add_argument("--today", metavar="YYYY-MM-DD",
                   help="the date whose year is judged (default: config, then today)")
    config = p.add_mutually_exclusive_group()
    config.add_argument("--config", metavar="FILE", help="configuration file")
    config.add_argument("--isolated", action="store_true", help="use no configuration file")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument("--ascii", action="store_true",
                   help="draw the map with ASCII characters only (# + !)")
    p.set_defaults(select=None, ignore=None, gate=None, strict=None)
    return p


def coverage_command(argv: Sequence[str]) -> int:
    from sustain_lint import writing
    from sustain_lint.cli import _usage_error, run_checks
    from sustain_lint.engine import UsageError

    args = _coverage_parser().parse_args(list(argv))
    try:
        result = run_checks(args, os.getcwd(), details=True)
    except UsageError as exc:
        return _usage_error(str(exc))
    color = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    text, gaps = render_coverage(result, color, ascii_only=args.ascii)
    writing.to_stdout(text, "text")
    return 1 if gaps or not result.sets else 0


def render_coverage(result: Any, color: bool, ascii_only: bool = False) -> tuple[str, bool]:
    """The text of ``coverage``, and whether any set has a gap or no map: in the
    roster's year, or in the judged horizon of its on-call exports (or exports whose
    map stops early: unreadable, not expanded, ending before the horizon)."""
    from sustain_lint.artifacts import CAPACITY
    from sustain_lint.reporters import safe_text
    from sustain_lint.reporters.neutral import neutral_log

    paint = _Paint(color)
    lines: list[str] = []
    bad = False
    for s in result.sets:
        lines.append(paint.bold(neutral_log(safe_text(f"{s.path}/{CAPACITY}"))))
        details = s.details
        if details is None or not details.coverage:
            bad = True
            lines += [f"  {safe_text(details.coverage_note if details else 'no coverage map')}",
                      ""]
        else:
            lines += _roster_lines(details, paint, ascii_only)
            bad = bad or bool(details.gap_dates)
        if details is not None:
            lines += _schedule_lines(details, paint, ascii_only)
            bad = bad or bool(details.schedule_gaps) or details.schedule_incomplete
    if not result.sets:
        lines.append("No evidence set found.")
    return neutral_log("\n".join(lines).rstrip("\n") + "\n"), bad


class _Paint:
    """Bold and red on a colour terminal, nothing otherwise."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def bold(self, text: str) -> str:
        return f"\033[1m{text}\033[0m" if self.color else text

    def red(self, text: str) -> str:
        return f"\033[31m{text}\033[0m" if self.color else text


def _roster_lines(details: Any, paint: _Paint, ascii_only: bool) -> list[str]:
    """The roster's maps (one per offset period), the legend, the year's gaps."""
    from sustain_lint.reporters import heatmap, safe_text

    lines: list[str] = []
    count = len(details.coverage)
    for number, period in enumerate(details.coverage, 1):
        lines.append(f"  L2 coverage in UTC, period {number} of {count}: {period.label}")
        lines.append(f"  ({safe_text(heatmap.offsets_text(period))})")
        lines += heatmap.terminal_map(period, paint.color, ascii_only)
        gap_lines = heatmap.gap_lines(period)
        if gap_lines:
            lines.append(paint.red("  Every week of this period, nobody on duty: "
                                   + "; ".join(gap_lines)))
        else:
            lines.append("  Covered 24/7 in this period.")
        lines.append("")
    lines.append("  " + heatmap.legend(ascii_only))
    if details.gap_dates:
        lines.append(paint.red(f"  Gaps from {details.horizon}, with their dates:"))
        lines += [f"    {line}" for line in details.gap_dates]
    else:
        lines.append(f"  No gap from {details.horizon}: covered 24/7.")
    lines.append("")
    return lines


def _schedule_lines(details: Any, paint: _Paint, ascii_only: bool) -> list[str]:
    """The on-call exports' weeks (the same map, hours outside the judged horizon
    marked), why they stop early, the legend, the gaps with their dates."""
    from sustain_lint.reporters import heatmap, safe_text

    if not details.schedule_exports:
        return [f"  {safe_text(details.schedule_note or 'no on-call export')}", ""]
    names = ", ".join(details.schedule_exports)
    lines = [safe_text(f"  L2 on-call shifts from the exports ({names}), horizon "
                       f"{details.schedule_horizon}:")]
    if details.schedule_note:
        lines.append(paint.red(f"  {safe_text(details.schedule_note)}"))
    weeks, count = details.schedule, details.schedule_weeks
    for number, week in enumerate(weeks, 1):
        lines.append(f"  L2 on-call shifts in UTC, week {number} of {count}: {week.label}")
        lines += heatmap.terminal_map(week, paint.color, ascii_only)
        gap_lines = heatmap.gap_lines(week)
        if gap_lines:
            lines.append(paint.red("  In this week, nobody on shift: " + "; ".join(gap_lines)))
        lines.append("")
    if not weeks:
        return [*lines, ""]
    if len(weeks) < count:
        lines += [f"  ({count - len(weeks)} later weeks not drawn; their gaps are listed "
                  "below)", ""]
    lines.append("  " + heatmap.legend(ascii_only, heatmap.STATES))
    if details.schedule_gaps:
        lines.append(paint.red(f"  Gaps in the exports from {details.schedule_horizon}, "
                               "with their dates:"))
        lines += [f"    {line}" for line in details.schedule_gaps]
    else:
        lines.append(f"  No gap in the exports from {details.schedule_horizon}: somebody on "
                     "shift at every judged minute.")
    lines.append("")
    return lines


# -- report (the fleet) -------------------------------------------------------------------

class ReportError(Exception):
    """A file given to ``report`` that is not a sustain-lint JSON report."""


def _report_parser() -> argparse.ArgumentParser:
    from sustain_lint.cli import _Parser

    p = _Parser(prog="sustain-lint report",
                description="One HTML page over the JSON reports of many repositories "
                "(sustain-lint --format json or --json-file): sets x gates worst first, "
                "counts per rule, the waivers expiring soonest, the trend of each set "
                "reported on several dates.")
    p.add_argument("reports", nargs="+", metavar="REPORT.json")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the page here (default: stdout)")
    return p


def load_report(path: str) -> dict[str, Any]:
    """A sustain-lint JSON report, checked against its schema; ``ReportError`` says
    why the file is not one."""
    from sustain_lint.reporters import safe_text

    shown = safe_text(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_REPORT_BYTES + 1)
    except OSError as exc:
        raise ReportError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(data) > MAX_REPORT_BYTES:
        raise ReportError(f"{shown} is not a sustain-lint JSON report: larger than "
                          f"{MAX_REPORT_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
        doc = json.loads(text, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = f"not JSON ({exc})" if not isinstance(exc, RecursionError) else "nested too deep"
        raise ReportError(f"{shown} is not a sustain-lint JSON report: {reason}") from None
    from jsonschema import Draft202012Validator

    from sustain_lint.schemas import load_schema

    error = next(iter(sorted(Draft202012Validator(load_schema("report.json")).iter_errors(doc),
                             key=lambda e: list(map(str, e.absolute_path)))), None)
    if error is not None:
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        what = ("'tool' is not sustain-lint" if list(error.absolute_path) == ["tool"]
                else error.message)
        if len(what) > 200:
            what = what[:200] + "..."
        raise ReportError(f"{shown} is not a sustain-lint JSON report (sustain-lint --format "
                          f"json writes one): at {where}: {safe_text(what)}")
    assert isinstance(doc, dict)
    return doc


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


@dataclasses.dataclass
class _Entry:
    key: tuple[str, str]  # (folder of the report file, set path)
    order: int  # the report's place on the command line
    today: str
    file: str
    data: dict[str, Any]

    @property
    def label(self) -> str:
        folder, path = self.key
        return path if folder in ("", ".") else f"{folder}: {path}"

    def status(self, gate: int) -> str:
        for g in self.data["gates"]:
            if g["gate"] == gate:
                return str(g["status"])
        return "passed"

    @property
    def errors(self) -> int:
        return sum(int(g["errors"]) for g in self.data["gates"])

    @property
    def warnings(self) -> int:
        return sum(int(g["warnings"]) for g in self.data["gates"])

    def rank(self) -> tuple[Any, ...]:
        statuses = [self.status(g) for g in (1, 2, 3, 4)]
        worst = min(_RANK[s] for s in statuses)
        first = next((g for g, s in zip((1, 2, 3, 4), statuses, strict=True) if s == "failed"), 5)
        return (worst, first, -self.errors, -self.warnings, self.label)


def fleet_view(reports: Sequence[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The page's content from (file as given, report) pairs."""
    by_key: dict[tuple[str, str], list[_Entry]] = {}
    for order, (file, doc) in enumerate(reports):
        folder = os.path.dirname(file).replace(os.sep, "/")
        for s in doc["sets"]:
            key = (folder, str(s["path"]))
            by_key.setdefault(key, []).append(_Entry(key, order, doc["today"], file, s))
    current: list[_Entry] = []
    trends = []
    for entries in by_key.values():
        entries.sort(key=lambda e: (e.today, e.order))
        current.append(entries[-1])
        if len({e.today for e in entries}) > 1:
            first, last = entries[0], entries[-1]
            before, after = first.errors * 1000 + first.warnings, last.errors * 1000 + last.warnings
            trends.append({
                "label": last.label,
                "direction": "better" if after < before else "worse" if after > before else "same",
                "points": [{"today": e.today, "errors": e.errors, "warnings": e.warnings,
                            "statuses": [e.status(g) for g in (1, 2, 3, 4)]} for e in entries],
            })
    current.sort(key=_Entry.rank)
    trends.sort(key=lambda t: str(t["label"]))
    as_of = max((e.today for e in current), default="")
    rules: dict[str, dict[str, Any]] = {}
    waivers = []
    for e in current:
        seen: set[str] = set()
        for f in e.data["findings"]:
            row = rules.setdefault(f["rule"], {"rule": f["rule"], "name": f["name"],
                                               "gate": f["gate"], "findings": 0, "waived": 0,
                                               "sets": 0})
            row["waived" if f["suppressed"] else "findings"] += 1
            if f["rule"] not in seen:
                seen.add(f["rule"])
                row["sets"] += 1
        for w in e.data.get("waivers", ()):
            waivers.append({"label": e.label, "today": e.today, **w})
    waivers.sort(key=lambda w: (w["expires"], w["label"], w["rule"]))
    return {
        "sets": [{"label": e.label, "file": e.file, "today": e.today,
                  "statuses": [e.status(g) for g in (1, 2, 3, 4)],
                  "errors": e.errors, "warnings": e.warnings} for e in current],
        "failing": sum(1 for e in current if e.rank()[0] == 0),
        "rules": sorted(rules.values(), key=lambda r: (-r["findings"], -r["waived"], r["rule"])),
        "waivers": waivers,
        "trends": trends,
        "as_of": as_of,
        "reports": len(reports),
    }


def render_fleet(reports: Sequence[tuple[str, dict[str, Any]]]) -> str:
    from sustain_lint import __version__
    from sustain_lint.model import GATE_NAMES
    from sustain_lint.reporters.html import render_page

    return render_page("fleet.html", version=__version__, fleet=fleet_view(reports),
                       gate_names=GATE_NAMES)


def report_command(argv: Sequence[str]) -> int:
    from sustain_lint import writing
    from sustain_lint.cli import _usage_error

    args = _report_parser().parse_args(list(argv))
    reports = []
    for path in args.reports:
        try:
            reports.append((path, load_report(path)))
        except ReportError as exc:
            return _usage_error(str(exc))
    if args.output is not None:
        target = os.path.realpath(args.output)
        if any(os.path.realpath(path) == target for path in args.reports):
            from sustain_lint.reporters import safe_text

            return _usage_error(f"cannot write {safe_text(args.output)}: it is one of the "
                                "reports read")
    text = render_fleet(reports)
    if args.output is None:
        writing.to_stdout(text, "xml")
        return 0
    cwd = os.getcwd()
    destinations = writing.plan([args.output], writing.evidence_of(()), cwd)
    writing.write_reports(destinations, [text])
    return 0
