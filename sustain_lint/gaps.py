"""Uncovered time of absolute UTC intervals over a horizon, grouped into lines
with date ranges (evidence.md §2 "coverage": ``06:00-07:00 UTC daily from
2027-03-15 to 2027-03-27``: a recurring gap is one line, not one per day).

Pure functions on value objects, no I/O. Times are whole UTC minutes counted
from 1970-01-01 00:00 UTC (``to_minute`` / ``from_minute`` convert aware
datetimes); SL111 (the roster, ``sustain_lint.coverage``) and SL115 (on-call
exports) both describe their gaps with ``group_gaps`` and ``summarise``.

How gaps become lines (docs/decisions/coverage.md):

- a gap of at most 24 hours is one *piece*, dated by the day it starts on; its
  window may run past midnight (``22:00-02:00``);
- a gap of whole UTC days (midnight to midnight) is one piece per day
  (``Sat-Sun 00:00-24:00``);
- any other longer gap is one piece of its own (``Fri 22:00-Mon 02:00``).

Pieces with the same window are grouped by the dates they occur on: every day
from A to B is ``daily from A to B``; the same days of the week in consecutive
weeks are ``Sat-Sun ... weekly from A to B`` (meaning: every such day between
A and B); one date is ``on A``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

DAY = 1440
WEEK = 7 * DAY
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday


def to_minute(moment: dt.datetime) -> int:
    """Whole UTC minutes since 1970-01-01 00:00 UTC of an aware datetime
    (seconds are dropped: coverage is judged to the minute)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no UTC instant; attach a tzinfo")
    return int((moment - _EPOCH).total_seconds() // 60)


def from_minute(minute: int) -> dt.datetime:
    """The aware UTC datetime of a minute count (inverse of ``to_minute``)."""
    return _EPOCH + dt.timedelta(minutes=minute)


def date_of(minute: int) -> dt.date:
    """The UTC calendar date a minute falls on."""
    return dt.date.fromordinal(_EPOCH_ORDINAL + minute // DAY)


def day_minute(day: dt.date) -> int:
    """The minute of 00:00 UTC on ``day``."""
    return (day.toordinal() - _EPOCH_ORDINAL) * DAY


def weekday_of(minute: int) -> int:
    """0 = Monday ... 6 = Sunday, in UTC."""
    return (minute // DAY + _EPOCH_WEEKDAY) % 7


@dataclasses.dataclass(frozen=True)
class Horizon:
    """The days judged: ``days`` whole UTC days from 00:00 UTC of ``start``."""

    start: dt.date
    days: int = 365

    @property
    def start_minute(self) -> int:
        return day_minute(self.start)

    @property
    def end_minute(self) -> int:
        """The first minute after the horizon (exclusive end)."""
        return self.start_minute + self.days * DAY

    @property
    def last(self) -> dt.date:
        """The last day judged."""
        return self.start + dt.timedelta(days=self.days - 1)


@dataclasses.dataclass(frozen=True, order=True)
class Gap:
    """An uncovered stretch ``[start, end)`` in UTC minutes (see ``to_minute``)."""

    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def start_at(self) -> dt.datetime:
        return from_minute(self.start)

    @property
    def end_at(self) -> dt.datetime:
        return from_minute(self.end)


def merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint union of ``[start, end)`` minute intervals; touching
    ones are joined, empty ones dropped."""
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def uncovered(covered: Iterable[tuple[int, int]], start: int, end: int) -> tuple[Gap, ...]:
    """The gaps of ``[start, end)`` that no covered interval (UTC minutes,
    in any order, overlapping or not) covers."""
    result: list[Gap] = []
    cursor = start
    for s, e in merge(covered):
        if e <= cursor:
            continue
        if s >= end:
            break
        if s > cursor:
            result.append(Gap(cursor, s))
        cursor = max(cursor, e)
        if cursor >= end:
            break
    if cursor < end:
        result.append(Gap(cursor, end))
    return tuple(result)


def uncovered_between(intervals: Iterable[tuple[dt.datetime, dt.datetime]],
                      horizon: Horizon) -> tuple[Gap, ...]:
    """The gaps of ``horizon`` left by covered ``(start, end)`` aware datetimes
    (on-call shifts, for instance): ``uncovered`` on their minutes."""
    return uncovered(((to_minute(s), to_minute(e)) for s, e in intervals),
                     horizon.start_minute, horizon.end_minute)


def longest(gaps: Iterable[Gap]) -> Gap | None:
    """The longest gap (the earliest of equals), or None when there is none."""
    best: Gap | None = None
    for gap in gaps:
        if best is None or gap.minutes > best.minutes:
            best = gap
    return best


# --- lines -------------------------------------------------------------------------------

def _clock(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def day_set_text(days: Iterable[int]) -> str:
    """``Mon-Fri``, ``Sat-Sun``, ``Mon,Wed``, ``Fri-Mon`` (a range may run over
    the end of the week); ``Daily`` for all seven."""
    chosen = sorted(set(days))
    if len(chosen) == 7:
        return "Daily"
    if not chosen:
        return ""
    # start the list after a day not chosen, so that a run over Sunday stays one range
    first = next(d for d in range(7) if (d - 1) % 7 not in chosen)
    order = [(first + i) % 7 for i in range(7) if (first + i) % 7 in chosen]
    runs: list[list[int]] = []
    for d in order:
        if runs and (runs[-1][-1] + 1) % 7 == d:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        if len(run) == 1:
            parts.append(DAY_NAMES[run[0]])
        else:
            parts.append(f"{DAY_NAMES[run[0]]}-{DAY_NAMES[run[-1]]}")
    return ",".join(parts)


@dataclasses.dataclass(frozen=True)
class GapLine:
    """One recurring uncovered window and the dates it occurs on.

    ``start`` is the window's start in minutes after 00:00 UTC of each date,
    ``minutes`` its length (it may run past midnight, or over several days for
    a long gap); ``days`` the UTC weekdays it starts on (0 = Monday; all seven
    for a daily line); ``first`` and ``last`` the first and last dates it
    starts on; ``count`` how many times it occurs."""

    start: int
    minutes: int
    days: tuple[int, ...]
    first: dt.date
    last: dt.date
    count: int

    @property
    def daily(self) -> bool:
        """Every day from ``first`` to ``last`` (or just one date)."""
        return self.count == (self.last - self.first).days + 1

    @property
    def total_minutes(self) -> int:
        return self.minutes * self.count

    @property
    def window(self) -> str:
        """The window without its dates: ``06:00-07:00 UTC``,
        ``Sat-Sun 00:00-24:00 UTC``, ``Fri 22:00-Mon 02:00 UTC``."""
        end = self.start + self.minutes
        if self.minutes > DAY:
            first_day = DAY_NAMES[self.days[0]]
            last_day = DAY_NAMES[(self.days[0] + end // DAY) % 7]
            return f"{first_day} {_clock(self.start)}-{last_day} {_clock(end % DAY)} UTC"
        end_clock = "24:00" if end == DAY else _clock(end % DAY)
        times = f"{_clock(self.start)}-{end_clock} UTC"
        if self.daily:
            return times
        return f"{day_set_text(self.days)} {times}"

    @property
    def dates(self) -> str:
        """``daily from A to B``, ``weekly from A to B``, ``on A``."""
        if self.count == 1:
            return f"on {DAY_NAMES[self.first.weekday()]} {self.first.isoformat()}"
        if self.daily:
            return f"daily from {self.first.isoformat()} to {self.last.isoformat()}"
        return f"weekly from {self.first.isoformat()} to {self.last.isoformat()}"

    @property
    def text(self) -> str:
        if self.minutes > DAY and self.count == 1:
            start = day_minute(self.first) + self.start
            end = start + self.minutes
            return (f"from {_stamp(start)} to {_stamp(end)} UTC")
        return f"{self.window} {self.dates}"

    def __str__(self) -> str:
        return self.text


def _stamp(minute: int) -> str:
    day = date_of(minute)
    return f"{DAY_NAMES[day.weekday()]} {day.isoformat()} {_clock(minute % DAY)}"


def _pieces(gaps: Iterable[Gap]) -> Iterable[tuple[int, int, int]]:
    """(day index, start minute of that day, length) of each piece (see the module)."""
    for gap in gaps:
        length = gap.end - gap.start
        if length <= 0:
            continue
        if length > DAY and gap.start % DAY == 0 and gap.end % DAY == 0:
            for day in range(gap.start // DAY, gap.end // DAY):
                yield day, 0, DAY
        else:
            yield gap.start // DAY, gap.start % DAY, length


class _Cluster:
    __slots__ = ("first", "last", "runs")

    def __init__(self, run: tuple[int, int, int]) -> None:
        self.first = run[0]
        self.last = run[1]
        self.runs = [run]  # (first day, last day, count) of one weekday's consecutive weeks

    def fits(self, run: tuple[int, int, int]) -> bool:
        """Whether ``run`` joins without breaking "every such weekday from first to last"."""
        if run[0] - self.first >= 7:
            return False
        if any((r[0] - run[0]) % 7 == 0 for r in self.runs):
            return False  # that weekday is already in
        last = max(self.last, run[1])
        return last - run[1] < 7 and all(last - r[1] < 7 for r in self.runs)

    def add(self, run: tuple[int, int, int]) -> None:
        self.runs.append(run)
        self.last = max(self.last, run[1])


def _weekly_runs(days: list[int]) -> list[tuple[int, int, int]]:
    """Runs of one weekday in consecutive weeks, from sorted day indexes."""
    by_weekday: dict[int, list[int]] = {}
    for day in days:
        by_weekday.setdefault(day % 7, []).append(day)
    runs: list[tuple[int, int, int]] = []
    for same in by_weekday.values():
        first = prev = same[0]
        count = 1
        for day in same[1:]:
            if day - prev == 7:
                prev = day
                count += 1
                continue
            runs.append((first, prev, count))
            first = prev = day
            count = 1
        runs.append((first, prev, count))
    runs.sort()
    return runs


def group_gaps(gaps: Iterable[Gap]) -> tuple[GapLine, ...]:
    """Lines describing ``gaps`` (see the module), in order of their first
    occurrence, then of their start time. Linear in the number of pieces."""
    short: dict[tuple[int, int], list[int]] = {}
    long: dict[tuple[int, int, int], list[int]] = {}
    for day, start, length in _pieces(gaps):
        if length <= DAY:
            short.setdefault((start, length), []).append(day)
        else:
            long.setdefault((day % 7, start, length), []).append(day)
    lines: list[GapLine] = []
    for (start, length), days in short.items():
        days = sorted(set(days))
        open_clusters: list[_Cluster] = []
        done: list[_Cluster] = []
        for run in _weekly_runs(days):
            while open_clusters and run[0] - open_clusters[0].first >= 7:
                done.append(open_clusters.pop(0))
            for cluster in open_clusters:
                if cluster.fits(run):
                    cluster.add(run)
                    break
            else:
                open_clusters.append(_Cluster(run))
        done.extend(open_clusters)
        for cluster in done:
            lines.append(GapLine(
                start, length,
                tuple(sorted((_EPOCH_WEEKDAY + r[0]) % 7 for r in cluster.runs)),
                dt.date.fromordinal(_EPOCH_ORDINAL + cluster.first),
                dt.date.fromordinal(_EPOCH_ORDINAL + cluster.last),
                sum(r[2] for r in cluster.runs)))
    for (_weekday, start, length), days in long.items():
        for first, last, count in _weekly_runs(sorted(set(days))):
            lines.append(GapLine(
                start, length, ((_EPOCH_WEEKDAY + first) % 7,),
                dt.date.fromordinal(_EPOCH_ORDINAL + first),
                dt.date.fromordinal(_EPOCH_ORDINAL + last), count))
    lines.sort(key=lambda line: (line.first, line.start, line.minutes, line.days))
    return tuple(lines)


def summarise(lines: Sequence[GapLine], limit: int = 4, ranges: int = 3) -> list[str]:
    """At most ``limit`` phrases for a message: the lines of one window joined
    (``07:00-08:00 UTC daily from 2027-03-15 to 2027-03-27 and from 2027-10-31
    to 2027-11-07``, at most ``ranges`` date ranges, then ``and N more dates
    ranges``), then ``and N more windows`` when there are more."""
    by_window: dict[str, list[GapLine]] = {}
    singles: list[GapLine] = []
    for line in lines:
        if line.minutes > DAY and line.count == 1:
            singles.append(line)
        else:
            by_window.setdefault(line.window, []).append(line)
    phrases: list[tuple[tuple[dt.date, int], str]] = []
    for window, same in by_window.items():
        shown = [line.dates for line in same[:ranges]]
        text = window + " " + shown[0] + "".join(
            " and " + d.replace("daily ", "").replace("weekly ", "") for d in shown[1:])
        if len(same) > ranges:
            text += f" and {len(same) - ranges} more date ranges"
        phrases.append(((same[0].first, same[0].start), text))
    phrases.extend(((line.first, line.start), line.text) for line in singles)
    phrases.sort(key=lambda item: item[0])
    texts = [text for _, text in phrases]
    if len(texts) > limit:
        rest = len(texts) - (limit - 1)
        texts = [*texts[:limit - 1], f"and {rest} more windows"]
    return texts
