"""The coverage grammar of capacity-analysis.csv, and coverage in UTC.

``24/7``, or windows joined by ``;``, each ``DAYS HH:MM-HH:MM`` where DAYS is
``Mon``, ``Mon-Fri``, ``Sat,Sun`` or ``Daily``. ``24:00`` may end a window; an
end before the start wraps past midnight. Times are in the row's IANA
timezone. Coverage is judged in UTC over one week in January and one in July
of the evaluation year, so that a DST shift cannot hide a gap.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple

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
