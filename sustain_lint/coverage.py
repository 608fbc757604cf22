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
    WEEK,
    Gap,
    GapLine,
    Horizon,
    date_of,
    day_minute,
    from_minute,
    group_gaps,
    longest,
    merge,
    uncovered,
)

COVERAGE_HELP = "24/7, or windows such as 'Mon-Fri 09:00-17:00; Sat,Sun 10:00-14:00'"
_SHORT = 200  # a cell longer than this is never rewritten in a hint


def _cut(text: str) -> str:
    """Cell text quoted in a message, at most 60 characters."""
    return text if len(text) <= 60 else text[:57] + "..."


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
    raise CoverageError(f"'{_cut(token.strip())}' is not a day (use Mon, Tue, ... Sun, or "
                        "Daily)")


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
            raise CoverageError(f"'{_cut(part.strip())}' is not a window like "
                                "'Mon-Fri 09:00-17:00'")
        days, start_text, end_text = found
        start = _minutes(start_text, allow_24=False)
        end = _minutes(end_text, allow_24=True)
        if end == start:
            raise CoverageError(
                f"'{_cut(part.strip())}' has no length; write 00:00-24:00 for a whole day")
        if end < start:
            end += 1440
        windows.extend(Window(d, start, end) for d in _days(days))
    return windows


# --- hints: why a cell does not parse, at the character -----------------------------------

_DASHES = {
    "\u2010": "a Unicode hyphen", "\u2011": "a non-breaking hyphen", "\u2012": "a figure dash",
    "\u2013": "an en dash", "\u2014": "an em dash", "\u2015": "a horizontal bar",
    "\u2212": "a minus sign", "\ufe63": "a small hyphen-minus",
    "\uff0d": "a full-width hyphen-minus",
}
_ON_DEMAND = frozenset({
    "on demand", "ondemand", "on call as needed", "oncall as needed", "as needed",
    "when needed", "if needed", "on request", "ad hoc", "adhoc", "best effort", "on call",
    "oncall", "as required", "when required", "on demand only", "l3 on demand", "on demand l3",
})
# an hour on the 12-hour clock: 11am, 5 pm, 9:30a.m.
_AMPM = re.compile(r"(\d{1,2})(?::(\d{2}))? ?([AaPp])\.?[Mm](?![A-Za-z])\.?")
# hours without minutes: 9-5, 8 - 20
_BARE_RANGE = re.compile(r"(?<![\d:.])(\d{1,2}) ?- ?(\d{1,2})(?![\d:.])")
# a time with a dot: 09.00
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{2})(?![\d.])")
# the times of a window, for what follows them (a time zone written in the cell)
_RANGE = re.compile(r"\d{1,2}:\d{2} ?- ?\d{1,2}:\d{2}")
_DASH = re.compile("[" + "".join(_DASHES) + "]")
_UNEXPECTED = re.compile(r"[^A-Za-z0-9 ,:;/\-\s]")  # what no window holds
_PLAIN_DASHES = str.maketrans({dash: "-" for dash in _DASHES})


class CoverageHint(NamedTuple):
    """Why a coverage cell does not parse: the message, and ``at``, the index
    (0-based) of the offending character in the cell as written."""

    message: str
    at: int


def _clock_of(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _twelve_hour(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)) % 12, int(match.group(2) or 0)
    if match.group(3) in "Pp":
        hour += 12
    return _clock_of(hour, minute)


def _bare_range(match: re.Match[str]) -> str:
    start, end = int(match.group(1)), int(match.group(2))
    if end <= start and end + 12 <= 24 and end + 12 > start:
        end += 12  # 9-5: nine to five in the afternoon
    return f"{_clock_of(start, 0)}-{_clock_of(end, 0)}"


def _corrected(value: str) -> str | None:
    """The cell with every dash, 12-hour time and bare hour range rewritten,
    when that parses (and is different)."""
    text = value.translate(_PLAIN_DASHES)
    text = _AMPM.sub(_twelve_hour, text)
    text = _DOTTED.sub(lambda m: _clock_of(int(m.group(1)), int(m.group(2))), text)
    text = _BARE_RANGE.sub(_bare_range, text)
    text = " ".join(text.split())
    try:
        parse_coverage(text)
    except CoverageError:
        return None
    return text if text != value.strip() else None


def _first_bad_character(value: str) -> CoverageHint | None:
    found: list[CoverageHint] = []
    m = _DASH.search(value)
    if m:
        i, ch = m.start(), m.group(0)
        found.append(CoverageHint(
            f"character {i + 1}: {_DASHES[ch]} '{ch}' (U+{ord(ch):04X}) where a plain "
            "hyphen goes; write '-'", i))
    m = _AMPM.search(value)
    if m:
        found.append(CoverageHint(
            f"character {m.start() + 1}: '{m.group(0).strip()}' is not a time on the 24-hour "
            f"clock; write {_twelve_hour(m)}", m.start()))
    m = _DOTTED.search(value)
    if m:
        found.append(CoverageHint(
            f"character {m.start() + 1}: '{m.group(0)}' has a dot; write "
            f"{_clock_of(int(m.group(1)), int(m.group(2)))}", m.start()))
    m = _BARE_RANGE.search(value)
    if m:
        found.append(CoverageHint(
            f"character {m.start() + 1}: '{m.group(0)}' gives hours without minutes; write "
            f"HH:MM-HH:MM on the 24-hour clock, e.g. {_bare_range(m)}", m.start()))
    if found:
        return min(found, key=lambda hint: hint.at)
    m = _UNEXPECTED.search(value)
    if m:
        i, ch = m.start(), m.group(0)
        return CoverageHint(f"character {i + 1}: '{ch}' (U+{ord(ch):04X}) has no place in a "
                            f"coverage cell; write {COVERAGE_HELP}", i)
    return None


def _part_hint(part: str, at: int) -> CoverageHint:
    """Why one ``;``-separated part (starting at ``at`` in the cell) fails."""
    lead = len(part) - len(part.lstrip())
    start = at + lead
    text = part.strip()
    found = _window(part)
    if found is None:
        if _TIMES.match(text):
            return CoverageHint(
                f"character {start + 1}: '{_cut(text)}' has no days; write the days first: "
                f"'Daily {text}' or 'Mon-Fri {text}'", start)
        times = _RANGE.search(part)
        rest = part[times.end():].strip() if times else ""
        if times and rest and not _TIMES.match(rest):
            where = at + part.index(rest, times.end())
            return CoverageHint(
                f"character {where + 1}: '{_cut(rest)}' follows the times; a window is DAYS "
                "HH:MM-HH:MM, and a time zone goes into the timezone column (an IANA name "
                "such as Europe/Berlin)", where)
        return CoverageHint(
            f"character {start + 1}: '{_cut(text)}' is not a window; write {COVERAGE_HELP}",
            start)
    days, start_text, end_text = found
    try:
        _days(days)
    except CoverageError as exc:
        where = at + part.find(days)
        for token in days.replace("-", ",").split(","):
            try:
                _day(token)
            except CoverageError:
                where = at + part.find(token.strip(), where - at)
                break
        return CoverageHint(f"character {where + 1}: {exc}", where)
    try:
        parse_coverage(part)
    except CoverageError as exc:
        times_at = part.find(start_text, len(part) - len(part.lstrip()) + len(days))
        return CoverageHint(f"character {at + times_at + 1}: {exc}", at + times_at)
    return CoverageHint(f"character {start + 1}: '{_cut(text)}' is not a window; write "
                        f"{COVERAGE_HELP}", start)


def coverage_hint(value: str) -> CoverageHint | None:
    """Why ``value`` is not a coverage cell, at its offending character: an
    en dash (``09:00–17:00``), a 12-hour time (``11am``), hours without
    minutes (``9-5``), times without days, an unknown day; an on-demand phrase
    (``on demand``, ``on-call as needed``) asks for an empty cell. None when
    the cell parses."""
    try:
        parse_coverage(value)
    except CoverageError:
        pass
    else:
        return None
    start = len(value) - len(value.lstrip())
    words = " ".join(value.replace("-", " ").replace("_", " ").strip(" .()[]").split()).lower()
    if words in _ON_DEMAND:
        return CoverageHint(
            f"character {start + 1}: '{_cut(value.strip())}' is no coverage window; leave coverage "
            "empty for on-demand rows (an empty cell covers no hour)", start)
    hint = _first_bad_character(value)
    fixable = hint is not None
    if hint is None:
        at = 0
        for part in value.split(";"):
            if part.strip():
                try:
                    parse_coverage(part)
                except CoverageError:
                    hint = _part_hint(part, at)
                    break
            at += len(part) + 1
    if hint is None:  # (every part parses alone: cannot happen, but say something)
        hint = CoverageHint(f"'{_cut(value.strip())}' is not a coverage cell; write {COVERAGE_HELP}",
                            start)
    # (a real cell is short: a megabyte of near-misses is not rewritten, only pointed at)
    better = _corrected(value) if fixable and len(value) <= _SHORT else None
    if better is not None:
        # the fix of the whole cell instead of that of one character
        return CoverageHint(f"{hint.message.rsplit('; write ', 1)[0]}; write '{better}'",
                            hint.at)
    return hint


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
    ('' for UTC). Build it with ``roster_entry``."""

    label: str
    windows: tuple[Window, ...]
    zone: str = ""


def roster_entry(label: str, coverage: str, zone: str = "") -> RosterEntry | None:
    """The entry of one roster row, or None when its coverage cell is invalid,
    empty (covers nothing) or its zone unknown (SL003 reports those)."""
    windows = _windows(coverage) if len(coverage) <= _SHORT else _windows.__wrapped__(coverage)
    if not windows or not valid_timezone(zone):
        return None
    return RosterEntry(label, windows, _zone_key(zone))


@lru_cache(maxsize=4096)
def _windows(cell: str) -> tuple[Window, ...]:
    """The windows of a cell, () when it is invalid (cached for short cells: a
    roster repeats its cells)."""
    try:
        return tuple(parse_coverage(cell))
    except CoverageError:
        return ()


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

    @functools.cached_property
    def lines(self) -> tuple[GapLine, ...]:
        """The gaps as lines with date ranges (``sustain_lint.gaps.group_gaps``)."""
        return group_gaps(self.gaps)

    @property
    def longest(self) -> Gap | None:
        return longest(self.gaps)

    def line_of(self, gap: Gap) -> GapLine | None:
        """The line that describes (the start of) ``gap``: it starts at the gap's
        time on its weekday, within the line's dates (of the same length, when
        one is)."""
        start_day = date_of(gap.start)
        found = [line for line in self.lines
                 if line.first <= start_day <= line.last and line.start == gap.start % DAY
                 and start_day.weekday() in line.days]
        same = [line for line in found if line.minutes == gap.minutes]
        best = same or found
        return best[0] if best else None


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


def _local_by_zone(entries: tuple[RosterEntry, ...]) -> dict[str, list[tuple[int, int]]]:
    """Each zone's covered local week, merged (minutes from Monday 00:00 local; an
    interval may end past the week, to wrap): a period shifts 20 zones, not 100 rows."""
    local: dict[str, list[tuple[int, int]]] = {}
    for entry in entries:
        local.setdefault(entry.zone, []).extend(
            (w.day * DAY + w.start, w.day * DAY + w.end) for w in entry.windows)
    return {zone: merge(spans) for zone, spans in local.items()}


def _week_for(entries: tuple[RosterEntry, ...], offsets: dict[str, int],
              local: dict[str, list[tuple[int, int]]] | None = None) -> WeekCoverage:
    """The weekly UTC coverage of ``entries`` under ``offsets`` (zone → minutes
    east of UTC): the gaps now, who covers what when asked. ``local``: the
    entries' ``_local_by_zone``, when the caller has it."""
    covered: list[tuple[int, int]] = []
    for zone, spans in (local if local is not None else _local_by_zone(entries)).items():
        shift = offsets[zone]
        for start, end in spans:
            s = (start - shift) % WEEK
            e = s + (end - start)
            if e <= WEEK:
                covered.append((s, e))
            else:
                covered.append((s, WEEK))
                covered.append((0, min(e - WEEK, WEEK)))
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


def week_at(entries: Sequence[RosterEntry], day: dt.date) -> WeekCoverage:
    """The weekly UTC coverage of ``entries`` with the offsets in force at
    00:00 UTC of ``day`` (one week of ``year_coverage``'s periods)."""
    minute = day_minute(day)
    offsets = {entry.zone: zone_offsets(entry.zone, minute, minute + 1)[0][1]
               for entry in entries}
    return _week_for(tuple(entries), offsets)


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
    local = _local_by_zone(entries)
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
            week = weeks[key] = _week_for(entries, state, local)
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
