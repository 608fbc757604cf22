"""The common value formats of evidence.md §2: dates and durations (placeholders and
names: ``sustain_lint.names``, re-exported here).

The duration grammar lives here and nowhere else: ``DURATION_PATTERN`` is the one
regular expression that says what a duration is. ``parse_duration`` reads with it,
and the JSON Schemas' ``duration`` definition carries it verbatim
(``DURATION_SCHEMA``; ``tests/test_durations.py`` holds every shipped schema to it
and has jsonschema and the parser agree on a battery of spellings). It is written in
the subset that Python's ``re`` and ECMA-262 read alike (no named groups, no inline
flags: letters are spelled ``[mM]``), so that any JSON Schema validator reads it so.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from sustain_lint.names import is_placeholder, real_names

__all__ = ["DURATION_PATTERN", "DURATION_SCHEMA", "Duration", "duration_hint", "format_minutes",
           "is_placeholder", "parse_date", "parse_duration", "parse_duration_value", "real_names",
           "suggest_duration"]

MONTH_MINUTES = 30 * 1440  # compared in minutes, a month counts 30 days (§2)

# unit spelling -> (minutes, months) of one unit, longest spellings first in the pattern
_UNITS: dict[str, tuple[int, int]] = {
    "m": (1, 0), "min": (1, 0), "mins": (1, 0), "minute": (1, 0), "minutes": (1, 0),
    "h": (60, 0), "hr": (60, 0), "hrs": (60, 0), "hour": (60, 0), "hours": (60, 0),
    "d": (1440, 0), "day": (1440, 0), "days": (1440, 0),
    "w": (10080, 0), "wk": (10080, 0), "wks": (10080, 0), "week": (10080, 0),
    "weeks": (10080, 0),
    "mo": (0, 1), "mos": (0, 1), "month": (0, 1), "months": (0, 1),
    "y": (0, 12), "yr": (0, 12), "yrs": (0, 12), "year": (0, 12), "years": (0, 12),
}


def _letters(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" for c in word)


# a number: its digits are a whole run (``(?!\d)``), so that a failed match does not give
# them back one at a time, each time trying every alternative that follows (the same matches)
_N = r"([0-9]+(?![0-9])(?:\.[0-9]+(?![0-9]))?)"
_UNIT = "(" + "|".join(_letters(u) for u in sorted(_UNITS, key=lambda u: (-len(u), u))) + ")"
# ISO 8601: at least one number with its unit (the lookahead), and a T only before a
# time part: P, PT, P30DT, P1 are not durations
_ISO = (rf"[pP](?=[0-9]|[tT][0-9])(?:{_N}[wW]|(?:{_N}[yY])?(?:{_N}[mM])?(?:{_N}[dD])?"
        rf"(?:[tT](?=[0-9])(?:{_N}[hH])?(?:{_N}[mM])?(?:{_N}[sS])?)?)")
DURATION_PATTERN = rf"^\s*(?:{_N}\s*{_UNIT}|{_ISO})\s*$"
DURATION_DESCRIPTION = "A duration: 15m, 4h, 3d, 2w, 3mo, 15 minutes, 3 months, PT15M, P14D, P3M"
DURATION_SCHEMA = {"type": "string", "pattern": DURATION_PATTERN,
                   "description": DURATION_DESCRIPTION}
_DURATION = re.compile(DURATION_PATTERN)  # applied with .search, as JSON Schema applies it
# the groups of an ISO duration: (minutes, months) per unit
_ISO_UNITS: tuple[tuple[float, int], ...] = (
    (10080, 0), (0, 12), (0, 1), (1440, 0), (60, 0), (1, 0), (1 / 60, 0))

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

class Duration(NamedTuple):
    """A duration as written: calendar ``months`` (a year is 12) and ``minutes``."""

    months: float
    minutes: float

    @property
    def total_minutes(self) -> float:
        """In minutes, a month counting 30 days (how durations are compared)."""
        return self.months * MONTH_MINUTES + self.minutes

    def after(self, start: dt.datetime) -> dt.datetime:
        """``start`` plus this duration: the whole months as calendar months (the day
        kept, or the month's last day: 2026-01-31 + P1M = 2026-02-28), a fraction
        of a month as that much of 30 days, then the minutes. Raises OverflowError
        past the calendar's end."""
        whole = int(self.months)
        rest = self.minutes + (self.months - whole) * MONTH_MINUTES
        if whole:
            year, month = divmod(start.month - 1 + whole, 12)
            year += start.year
            if not dt.MINYEAR <= year <= dt.MAXYEAR:
                raise OverflowError("date beyond the calendar")
            day = min(start.day, calendar.monthrange(year, month + 1)[1])
            start = start.replace(year=year, month=month + 1, day=day)
        return start + dt.timedelta(minutes=rest)

    def text(self) -> str:
        """Rendered in its units: 90d, 3mo, 1mo 15d."""
        parts = []
        if self.months:
            months = self.months
            parts.append(f"{int(months)}mo" if months == int(months) else f"{months:g}mo")
        if self.minutes or not parts:
            parts.append(format_minutes(self.minutes))
        return " ".join(parts)


def parse_duration_value(value: object) -> Duration | None:
    """The duration written in ``value`` (``15m``, ``4 hours``, ``3mo``, ``PT15M``,
    ``P3M``), or None when it is not one."""
    if not isinstance(value, str):
        return None
    m = _DURATION.search(value)
    if m is None:
        return None
    groups = m.groups()
    if groups[0] is not None:
        unit_minutes, unit_months = _UNITS[groups[1].lower()]
        number = float(groups[0])
        return Duration(number * unit_months, number * unit_minutes)
    total_months = total_minutes = 0.0
    for text, (minutes, months) in zip(groups[2:], _ISO_UNITS, strict=True):
        if text is not None:
            total_months += float(text) * months
            total_minutes += float(text) * minutes
    return Duration(total_months, total_minutes)


def parse_duration(value: object) -> float | None:
    """Minutes in a duration (``15m``, ``4 hours``, ``3mo``, ``PT15M``, ``P14D``),
    a month counting 30 days; None when ``value`` is not a duration."""
    duration = parse_duration_value(value)
    return None if duration is None else duration.total_minutes


# words people write for a cadence or a period, and the spelling that says it
_WORDS = {
    "hourly": "1h", "daily": "1d", "nightly": "1d", "weekly": "1w", "fortnightly": "2w",
    "biweekly": "2w", "bi-weekly": "2w", "monthly": "P1M", "bimonthly": "P2M",
    "bi-monthly": "P2M", "quarterly": "P3M", "half-yearly": "P6M", "semiannually": "P6M",
    "semi-annually": "P6M", "biannually": "P6M", "yearly": "P1Y", "annually": "P1Y",
    "annual": "P1Y", "a day": "1d", "a week": "1w", "a month": "P1M", "a year": "P1Y",
    "an hour": "1h", "a quarter": "P3M", "hour": "1h", "day": "1d", "week": "1w",
    "fortnight": "2w", "month": "P1M", "quarter": "P3M", "year": "P1Y",
}
_SHORT = {1: "m", 60: "h", 1440: "d", 10080: "w"}  # minutes of a unit -> its short spelling
_WORKING = re.compile(r"^(\d{1,6})\s*(?:business|working|work)\s*days?$")
_NUMBER_WORD = re.compile(r"^(\d{1,9}(?:\.\d{1,6})?)\s*([a-z]{1,12})$")


def suggest_duration(value: object) -> str | None:
    """The accepted spelling nearest to a duration the grammar refuses
    (``quarterly`` -> ``P3M``, ``1 business day`` -> ``24h``, ``30 mins.`` ->
    ``30m``, ``4 horus`` -> ``4h``), or None when there is none to name. Bounded:
    a value longer than ``suggest.MAX_DURATION_LEN`` is not looked at."""
    from sustain_lint.suggest import MAX_DURATION_LEN

    if not isinstance(value, str) or len(value) > MAX_DURATION_LEN:
        return None
    text = " ".join(value.lower().replace("_", " ").split()).strip(" .,;:!")
    if text.startswith(("every ", "once ", "each ")):
        text = text.split(" ", 1)[1]
    if text in _WORDS:
        return _WORDS[text]
    if text.startswith("p") and text.endswith("t") and parse_duration_value(text[:-1]):
        return text[:-1].upper()  # P30DT: a T with no time part after it
    m = _WORKING.match(text)
    if m:  # durations count calendar time: a working day is a day's 24 hours
        return f"{int(m.group(1)) * 24}h"
    m = _NUMBER_WORD.match(text.replace(".", "") if text.count(".") > 1 else text)
    if m is None:
        return None
    number, unit = m.group(1), m.group(2).rstrip(".")
    spelling = unit if unit in _UNITS else _nearest_unit(unit)
    if spelling is None:
        return None
    minutes, months = _UNITS[spelling]
    if months:
        return f"P{number}M" if months == 1 else f"P{number}Y"
    return f"{number}{_SHORT[minutes]}"


def _nearest_unit(word: str) -> str | None:
    from sustain_lint.suggest import close_match

    return close_match(word, _UNITS, cutoff=0.75)


def duration_hint(value: object) -> str:
    """`` (did you mean `P3M`?)`` for a refused duration with a near spelling, else ''."""
    near = suggest_duration(value)
    return f" (did you mean `{near}`?)" if near else ""


def format_minutes(minutes: float) -> str:
    """Render minutes in the largest whole unit: 15m, 4h, 3d, 2w, 90m."""
    if minutes != minutes or minutes in (float("inf"), float("-inf")):
        return "an unbounded time"
    m = int(round(minutes))
    for unit, size in (("w", 10080), ("d", 1440), ("h", 60)):
        if m >= size and m % size == 0:
            return f"{m // size}{unit}"
    if m >= 60:
        return f"{m // 60}h{m % 60:02d}m"
    return f"{m}m"


def parse_date(value: object) -> dt.date | None:
    """A ``YYYY-MM-DD`` calendar date, or None."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
