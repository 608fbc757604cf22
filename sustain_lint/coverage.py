"""The coverage grammar of capacity-analysis.csv, and coverage in UTC.

``24/7``, or windows joined by ``;``, each ``DAYS HH:MM-HH:MM`` where DAYS is
``Mon``, ``Mon-Fri``, ``Sat,Sun`` or ``Daily``. ``24:00`` may end a window; an
end before the start wraps past midnight. Times are in the row's IANA
timezone.

Coverage is judged in UTC on every day of the 365 days from today
(``year_coverage``): the horizon is split at every clock change of the
roster's zones, each distinct set of offsets gets its weekly UTC coverage once
(``OffsetPeriod``, ``WeekCoverage``: who covers each hour), and the gaps are
laid out over the horizon and written as lines with date ranges by
``sustain_lint.gaps``. See docs/decisions/coverage.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from sustain_lint.gaps import (
    DAY,
    Gap,
    GapLine,
    Horizon,
    date_of,
    from_minute,
    group_gaps,
    longest,
    merge,
    uncovered,
)

WEEK = 7 * 24 * 60
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
COVERAGE_HELP = "24/7, or windows such as 'Mon-Fri 09:00-17:00; Sat,Sun 10:00-14:00'"

# A window is ``^\s*(?P<days>[A-Za-z ,\-]+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*
# (?P<end>\d{1,2}:\d{2})\s*$``, read by ``_window`` in linear time: as one regex its
# overlapping quantifiers (spaces are both day characters and ``\s``) took cubic time on a
# window of spaces (1.5 KB: a minute). Each regex below has no two quantifiers that can
# take the same character one after the other.
_PREFIX = re.compile(r"[A-Za-z ,\-\s]*")  # what may come before the start time
_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace that is not a space (never a day character)
_TIMES = re.compile(r"(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*\Z")


class Window(NamedTuple):
    day: int  # 0 = Monday, local time
    start: int  # minutes after local midnight
    end: int  # minutes after local midnight of ``day``; may exceed 1440 (wraps)


class CoverageError(ValueError):
    pass


_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _day(token: str) -> int:
    """A day name: its three-letter abbreviation or a longer prefix of the full
    name (``Mon``, ``Tues``, ``Thursday``); anything else is an error."""
    t = token.strip().lower()
    for index, full in enumerate(_FULL_DAYS):
        if len(t) >= 3 and full.startswith(t):
            return index
    raise CoverageError(f"'{token.strip()}' is not a day (use Mon, Tue, ... Sun, or Daily)")


def _days(spec: str) -> list[int]:
    spec = spec.strip()
    if spec.lower() in ("daily", "every day", "mon-sun"):
        return list(range(7))
    if spec.lower() == "weekdays":
        return list(range(5))
    if spec.lower() == "weekends":
        return [5, 6]
    result: list[int] = []
    for part in spec.split(","):
        if "-" in part:
            first, last = (_day(x) for x in part.split("-", 1))
            d = first
            while True:
                result.append(d)
                if d == last:
                    break
                d = (d + 1) % 7
        else:
            result.append(_day(part))
    return result


def _minutes(text: str, allow_24: bool) -> int:
    hh, mm = (int(x) for x in text.split(":"))
    if mm > 59 or hh > 24 or (hh == 24 and (mm != 0 or not allow_24)):
        raise CoverageError(f"'{text}' is not a time of day (HH:MM, 00:00 to 24:00)")
    return hh * 60 + mm


def _window(part: str) -> tuple[str, str, str] | None:
    """The days (trimmed), start and end of one window, as the regex in the comment
    above would match them, or None where it would not match. The start time begins
    at the first character that is neither whitespace nor a day character (neither
    holds a digit); before it come optional whitespace, the days and at least one
    whitespace character."""
    at = _PREFIX.match(part).end()  # type: ignore[union-attr]
    times = _TIMES.match(part, at)
    prefix = part[:at]
    if times is None or not prefix or not prefix[-1].isspace():
        return None
    days = prefix.strip()
    if days:
        if _OTHER_SPACE.search(days):
            return None  # a tab or the like inside the days: neither a day nor a separator
    elif " " not in prefix[:-1]:
        return None  # only whitespace, and no space that could be the (empty) days
    return days, times.group(1), times.group(2)


def parse_coverage(value: str) -> list[Window]:
    """Local windows of a coverage cell; raises CoverageError on bad input."""
    text = value.strip()
    if not text:
        return []
    if text.lower().replace(" ", "") in ("24/7", "24x7"):
        return [Window(d, 0, 1440) for d in range(7)]
    windows: list[Window] = []
    for part in text.split(";"):
        if not part.strip():
            continue
        found = _window(part)
        if found is None:
            raise CoverageError(f"'{part.strip()}' is not a window like 'Mon-Fri 09:00-17:00'")
        days, start_text, end_text = found
        start = _minutes(start_text, allow_24=False)
        end = _minutes(end_text, allow_24=True)
        if end == start:
            raise CoverageError(
                f"'{part.strip()}' has no length; write 00:00-24:00 for a whole day")
        if end < start:
            end += 1440
        windows.extend(Window(d, start, end) for d in _days(days))
    return windows


@lru_cache(maxsize=512)
def _zone(name: str) -> dt.tzinfo:
    if not name.strip() or name.strip().upper() == "UTC":
        return dt.timezone.utc
    from zoneinfo import ZoneInfo

    return ZoneInfo(name.strip())


def valid_timezone(name: str) -> bool:
    if not name.strip():
        return True
    try:
        _zone(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError for odd keys
        return False
    return True


def reference_monday(year: int, month: int) -> dt.date:
    """The second Monday of the month: a week clear of New Year and of DST shifts."""
    first = dt.date(year, month, 1)
    offset = (7 - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7)


def to_utc(windows: list[Window], tz: str, monday: dt.date) -> list[tuple[int, int]]:
    """UTC intervals (minutes from Monday 00:00 UTC, within [0, WEEK]) of local
    windows in the week that starts on ``monday``; the week wraps around."""
    zone = _zone(tz)
    utc_monday = dt.datetime(monday.year, monday.month, monday.day, tzinfo=dt.timezone.utc)
    out: list[tuple[int, int]] = []
    for w in windows:
        local = dt.datetime(monday.year, monday.month, monday.day, tzinfo=zone)
        local = local + dt.timedelta(days=w.day, minutes=w.start)
        # wall-clock arithmetic in the zone: rebuild so the offset is the one in force then
        local = dt.datetime(local.year, local.month, local.day, local.hour, local.minute,
                            tzinfo=zone)
        start_utc = local.astimezone(dt.timezone.utc)
        start = int((start_utc - utc_monday).total_seconds() // 60)
        length = w.end - w.start
        s = start % WEEK
        e = s + length
        if e <= WEEK:
            out.append((s, e))
        else:
            out.append((s, WEEK))
            out.append((0, e - WEEK))
    return out


def gaps(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Uncovered intervals of the week, given covered ones."""
    merged: list[list[int]] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    result = []
    cursor = 0
    for s, e in merged:
        if s > cursor:
            result.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < WEEK:
        result.append((cursor, WEEK))
    return result


def wrap_gaps(gap_list: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Gaps with the one that ends the week joined to the one that starts it
    (the schedule repeats every week): ``(Sun 19:00, Mon 07:00)`` is returned
    as ``(start, end)`` with ``end > WEEK``. A week with no cover at all stays
    ``[(0, WEEK)]``."""
    if len(gap_list) > 1 and gap_list[0][0] == 0 and gap_list[-1][1] == WEEK:
        first, last = gap_list[0], gap_list[-1]
        return [*gap_list[1:-1], (last[0], first[1] + WEEK)]
    return list(gap_list)


def longest_gap(gap_list: list[tuple[int, int]]) -> int:
    """Longest uncovered stretch in minutes, joining a gap at the end of the
    week with one at its start (the schedule repeats every week)."""
    if not gap_list:
        return 0
    lengths = [e - s for s, e in gap_list]
    if len(gap_list) > 1 and gap_list[0][0] == 0 and gap_list[-1][1] == WEEK:
        lengths.append(gap_list[0][1] + WEEK - gap_list[-1][0])
    return max(lengths)


def describe(minute: int) -> str:
    minute %= WEEK
    return f"{DAY_NAMES[minute // 1440]} {minute % 1440 // 60:02d}:{minute % 60:02d}"


def describe_gap(start: int, end: int) -> str:
    if end - start <= 1440 and (start // 1440 == (end - 1) // 1440):
        end_text = "24:00" if end % 1440 == 0 else f"{end % 1440 // 60:02d}:{end % 60:02d}"
        return f"{describe(start)}–{end_text}"
    return f"{describe(start)}–{describe(end)}"


# --- the year: every day of the horizon, per distinct offset period ---------------------------
#
# A row's zone keeps one UTC offset between two of its clock changes, so the roster's UTC
# coverage repeats every week between two clock changes of any of its zones. The horizon is
# split at those changes into spans, each span's weekly coverage is computed once per
# distinct set of offsets, and its gaps are laid out over the span's weeks: the cost is the
# number of distinct periods times the roster, not the number of days.
#
# A window is read on the row's wall clock: an instant is covered when the zone's local time
# then falls inside the window (on the night of a clock change a window ending at 06:00 ends
# at 06:00 local time, whatever the hour the clocks skipped or repeated).


@dataclasses.dataclass(frozen=True)
class RosterEntry:
    """One row's coverage: who (``label``), the local windows, the IANA zone
    (empty or ``UTC`` for UTC). Build it with ``roster_entry``."""

    label: str
    windows: tuple[Window, ...]
    zone: str = ""


def roster_entry(label: str, coverage: str, zone: str = "") -> RosterEntry | None:
    """The entry of one roster row, or None when its coverage cell is invalid,
    empty (covers nothing) or its zone unknown (SL003 reports those)."""
    try:
        windows = parse_coverage(coverage)
    except CoverageError:
        return None
    if not windows or not valid_timezone(zone):
        return None
    return RosterEntry(label, tuple(windows), _zone_key(zone))


def _zone_key(zone: str) -> str:
    name = zone.strip()
    return "" if name.upper() == "UTC" else name


@dataclasses.dataclass(frozen=True)
class HourCell:
    """One UTC hour of the week: who covers some of it, and how many of its
    60 minutes nobody covers."""

    covered_by: tuple[str, ...]
    uncovered_minutes: int


@dataclasses.dataclass(frozen=True)
class WeekCoverage:
    """A week's UTC coverage while the offsets stay the same. Minutes count
    from Monday 00:00 UTC (0) to the next Monday (``WEEK``).

    ``gaps``: the uncovered intervals, in order (one that runs over the end
    of the week is split at it); ``entries`` and ``offsets`` (zone, minutes
    east of UTC): what it was computed from; ``by_label``: who covers what."""

    gaps: tuple[tuple[int, int], ...]
    entries: tuple[RosterEntry, ...] = dataclasses.field(repr=False, default=())
    offsets: tuple[tuple[str, int], ...] = ()

    @functools.cached_property
    def by_label(self) -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
        """Each label's merged covered UTC week intervals, in roster order
        (several rows of one label are joined)."""
        shifts = dict(self.offsets)
        per_label: dict[str, list[tuple[int, int]]] = {}
        for entry in self.entries:
            _shifted(entry, shifts.get(entry.zone, 0), per_label.setdefault(entry.label, []))
        return tuple((label, tuple(merge(spans))) for label, spans in per_label.items() if spans)

    def who(self, start: int, end: int) -> tuple[str, ...]:
        """The labels covering some minute of ``[start, end)``, in roster order."""
        return tuple(label for label, spans in self.by_label
                     if any(s < end and e > start for s, e in spans))

    def hours(self) -> tuple[HourCell, ...]:
        """168 cells, Monday 00:00-01:00 UTC first: the heat map of the week."""
        cells = []
        for hour in range(168):
            start, end = hour * 60, hour * 60 + 60
            missing = sum(min(e, end) - max(s, start) for s, e in self.gaps
                          if s < end and e > start)
            cells.append(HourCell(self.who(start, end), missing))
        return tuple(cells)


@dataclasses.dataclass(frozen=True)
class OffsetPeriod:
    """The part of the horizon during which every zone of the roster keeps
    the same UTC offset. ``offsets``: (zone, minutes east of UTC) for every
    zone of the roster, sorted by zone ('' is UTC); ``spans``: the UTC
    stretches ``[start, end)`` of the horizon with those offsets (the same
    offsets may come back: winter before and after summer), as aware
    datetimes; ``week``: the weekly coverage then."""

    offsets: tuple[tuple[str, int], ...]
    spans: tuple[tuple[dt.datetime, dt.datetime], ...]
    week: WeekCoverage


@dataclasses.dataclass(frozen=True)
class YearCoverage:
    """The roster's coverage over the horizon (by default the 365 days from
    today): its distinct offset periods, the gaps (absolute UTC minutes, see
    ``sustain_lint.gaps``) and the lines that describe them."""

    horizon: Horizon
    periods: tuple[OffsetPeriod, ...]
    gaps: tuple[Gap, ...]

    @property
    def lines(self) -> tuple[GapLine, ...]:
        return group_gaps(self.gaps)

    @property
    def longest(self) -> Gap | None:
        return longest(self.gaps)

    def line_of(self, gap: Gap) -> GapLine | None:
        """The line that describes (the start of) ``gap``."""
        start_day = date_of(gap.start)
        for line in self.lines:
            if line.first <= start_day <= line.last and line.start == gap.start % DAY:
                return line
        return None


def _offset(zone: dt.tzinfo, moment: dt.datetime) -> int:
    """Minutes east of UTC in ``zone`` at the aware UTC ``moment``."""
    offset = moment.astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


PROBE_DAYS = 7
"""The step at which ``zone_offsets`` looks for clock changes: no zone of the
tz database changes its clocks twice within a week (tests/test_coverage_year.py
checks every zone over the years around now against a daily probe)."""


@lru_cache(maxsize=1024)
def zone_offsets(zone: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """``(from minute, offset)`` for ``zone`` (an IANA name; '' is UTC) over
    ``[start, end)`` in UTC minutes: the offset in force at ``start``, then one
    item per clock change, found by a probe every ``PROBE_DAYS`` days and a
    binary search to the minute."""
    if not zone:
        return ((start, 0),)
    tz = _zone(zone)
    current = _offset(tz, from_minute(start))
    result = [(start, current)]
    step = PROBE_DAYS * DAY
    probe = start
    while probe < end:
        nxt = min(probe + step, end)
        value = _offset(tz, from_minute(nxt))
        if value == current:
            probe = nxt
            continue
        low, high = probe, nxt  # the offset at low is current, at high it is not
        while high - low > 1:
            mid = (low + high) // 2
            if _offset(tz, from_minute(mid)) == current:
                low = mid
            else:
                high = mid
        current = _offset(tz, from_minute(high))
        result.append((high, current))
        probe = high
    return tuple(result)


def _week_for(entries: tuple[RosterEntry, ...], offsets: dict[str, int]) -> WeekCoverage:
    """The weekly UTC coverage of ``entries`` under ``offsets`` (zone → minutes
    east of UTC): the gaps now, who covers what when asked."""
    covered: list[tuple[int, int]] = []
    for entry in entries:
        _shifted(entry, offsets[entry.zone], covered)
    week_gaps = tuple((g.start, g.end) for g in uncovered(covered, 0, WEEK))
    return WeekCoverage(week_gaps, entries, tuple(sorted(offsets.items())))


def _shifted(entry: RosterEntry, shift: int, out: list[tuple[int, int]]) -> None:
    """Append the UTC week intervals of ``entry`` at ``shift`` minutes east of UTC."""
    for w in entry.windows:
        s = (w.day * DAY + w.start - shift) % WEEK
        e = s + (w.end - w.start)
        if e <= WEEK:
            out.append((s, e))
        else:
            out.append((s, WEEK))
            out.append((0, e - WEEK))


_MONDAY = 4 * DAY  # 1970-01-05, a Monday, in minutes


def year_coverage(entries: Sequence[RosterEntry], today: dt.date,
                  days: int = 365) -> YearCoverage:
    """The coverage of ``entries`` (see ``roster_entry``) over the ``days``
    days starting at 00:00 UTC of ``today``, per distinct offset period.

    The gaps are computed one day beyond each end of the horizon, and a gap
    of at most a day that runs over an end is kept whole (a nightly
    ``23:00-01:00`` gap is not cut into a ``00:00-01:00`` on the first day);
    longer gaps are cut at the horizon's ends."""
    return _year(tuple(entries), today, days)


@lru_cache(maxsize=64)
def _year(entries: tuple[RosterEntry, ...], today: dt.date, days: int) -> YearCoverage:
    horizon = Horizon(today, days)
    lo, hi = horizon.start_minute - DAY, horizon.end_minute + DAY
    zones = sorted({entry.zone for entry in entries})
    changes: dict[int, dict[str, int]] = {lo: {}}
    for zone in zones:
        for minute, offset in zone_offsets(zone, lo, hi):
            changes.setdefault(minute, {})[zone] = offset
    points = sorted(changes)
    state: dict[str, int] = {}
    weeks: dict[tuple[tuple[str, int], ...], WeekCoverage] = {}
    spans: dict[tuple[tuple[str, int], ...], list[tuple[int, int]]] = {}
    laid: list[tuple[int, int]] = []
    for i, point in enumerate(points):
        state.update(changes[point])
        key = tuple(sorted(state.items()))
        start, end = point, points[i + 1] if i + 1 < len(points) else hi
        week = weeks.get(key)
        if week is None:
            week = weeks[key] = _week_for(entries, state)
        spans.setdefault(key, []).append((start, end))
        first_week = (start - _MONDAY) // WEEK
        for k in range(first_week, (end - _MONDAY) // WEEK + 1):
            base = _MONDAY + k * WEEK
            for s, e in week.gaps:
                a, b = max(base + s, start), min(base + e, end)
                if a < b:
                    laid.append((a, b))
    gaps = []
    h0, h1 = horizon.start_minute, horizon.end_minute
    for s, e in merge(laid):
        if e <= h0 or s >= h1:
            continue
        if e - s > DAY or s <= lo or e >= hi:
            s, e = max(s, h0), min(e, h1)
        gaps.append(Gap(s, e))
    periods = []
    for key, week in weeks.items():
        shown = [(max(s, h0), min(e, h1)) for s, e in spans[key] if e > h0 and s < h1]
        if shown:
            periods.append(OffsetPeriod(
                key, tuple((from_minute(s), from_minute(e)) for s, e in merge(shown)), week))
    periods.sort(key=lambda p: p.spans[0][0])
    return YearCoverage(horizon, tuple(periods), tuple(gaps))
