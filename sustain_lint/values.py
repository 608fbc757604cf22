"""The common value formats of evidence.md §2: dates and durations (placeholders and
names: ``sustain_lint.names``, re-exported here)."""

from __future__ import annotations

import datetime as dt
import re

from sustain_lint.names import is_placeholder, real_names

__all__ = ["format_minutes", "is_placeholder", "parse_date", "parse_duration", "real_names"]

_UNITS = {
    "m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1,
    "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60,
    "d": 1440, "day": 1440, "days": 1440,
    "w": 10080, "wk": 10080, "wks": 10080, "week": 10080, "weeks": 10080,
}
# a number: its digits are a whole run (``(?!\d)``), so that a failed match does not give
# them back one at a time, each time trying every alternative that follows (the same matches)
_NUMBER = r"\d+(?!\d)(?:\.\d+(?!\d))?"
_SIMPLE = re.compile(rf"^\s*({_NUMBER})\s*([a-zA-Z]+)\s*$")
_ISO = re.compile(
    rf"^\s*P(?:(?P<w>{_NUMBER})W|(?:(?P<d>{_NUMBER})D)?"
    rf"(?:T(?:(?P<h>{_NUMBER})H)?(?:(?P<m>{_NUMBER})M)?(?:(?P<s>{_NUMBER})S)?)?)\s*$",
    re.IGNORECASE,
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

def parse_duration(value: object) -> float | None:
    """Minutes in a duration (``15m``, ``4 hours``, ``PT15M``, ``P14D``), or None."""
    if not isinstance(value, str):
        return None
    m = _SIMPLE.match(value)
    if m:
        factor = _UNITS.get(m.group(2).lower())
        return float(m.group(1)) * factor if factor is not None else None
    m = _ISO.match(value)
    if m and value.strip().upper() not in ("P", "PT") and not value.strip().upper().endswith("T"):
        parts = {k: float(v) for k, v in m.groupdict().items() if v is not None}
        if not parts:
            return None
        return (parts.get("w", 0) * 10080 + parts.get("d", 0) * 1440 + parts.get("h", 0) * 60
                + parts.get("m", 0) + parts.get("s", 0) / 60)
    return None


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
