"""Writes on-call exports for tests, the example and the benchmark: the example's
rotation (the roster of examples/complete) as PagerDuty writes a schedule feed
(one VEVENT per shift, UTC times, ``SUMMARY:On Call - NAME - SCHEDULE``, the
person's address as a bare ATTENDEE; see tests/fixtures/ONCALL_SHAPES.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

UTC = dt.timezone.utc
SCHEDULE = "Payments L2"


def example_shifts(first: dt.date, last: dt.date) -> Iterator[tuple[dt.datetime, dt.datetime, str]]:
    """The example roster's L2 rotation (Europe/London and America/New_York), in
    UTC, for the days from ``first`` to ``last``: Priya Raman Mon-Fri 07:00-19:00,
    Diego Alvarez Mon-Fri 19:00-07:00, Mei Chen Sat 07:00 to Mon 07:00 (London),
    Tom Okafor Sat and Sun 08:00-20:00 (New York)."""
    from zoneinfo import ZoneInfo

    london, new_york = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")

    def at(day: dt.date, hour: int, zone: dt.tzinfo) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(UTC)

    day = first
    while day <= last:
        weekday = day.weekday()
        if weekday < 5:
            yield at(day, 7, london), at(day, 19, london), "Priya Raman"
            yield at(day, 19, london), at(day + dt.timedelta(days=1), 7, london), "Diego Alvarez"
        if weekday == 5:
            yield at(day, 7, london), at(day + dt.timedelta(days=2), 7, london), "Mei Chen"
        if weekday >= 5:
            yield at(day, 8, new_york), at(day, 20, new_york), "Tom Okafor"
        day += dt.timedelta(days=1)


def pagerduty(shifts: Iterator[tuple[dt.datetime, dt.datetime, str]],
              schedule: str = SCHEDULE) -> str:
    """A PagerDuty-shaped schedule feed of ``shifts`` (CRLF line ends)."""
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//PagerDuty Inc.//PagerDuty Calendar//EN",
           "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:On Call Schedule for {schedule}"]
    for number, (start, end, name) in enumerate(shifts):
        address = name.lower().replace(" ", ".") + "@example.com"
        out += ["BEGIN:VEVENT", f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}",
                f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{end:%Y%m%dT%H%M%SZ}",
                f"UID:Q{number:06d}{start:%Y%m%d%H}@pagerduty.com",
                f"SUMMARY:On Call - {name} - {schedule}", f"ATTENDEE:{address}",
                "URL:https://example.pagerduty.com/schedules#PXXXXXX", "END:VEVENT"]
    out.append("END:VCALENDAR")
    return "\r\n".join(out) + "\r\n"


def twelve_hour_year(first: dt.date, names: list[str], days: int = 365) -> str:
    """A year of 12-hour shifts (07:00-19:00 and 19:00-07:00 UTC), the people in turn."""
    def shifts() -> Iterator[tuple[dt.datetime, dt.datetime, str]]:
        start = dt.datetime(first.year, first.month, first.day, 7, tzinfo=UTC)
        for number in range(days * 2):
            begin = start + dt.timedelta(hours=12 * number)
            yield begin, begin + dt.timedelta(hours=12), names[number % len(names)]
    return pagerduty(shifts())


if __name__ == "__main__":  # the example's export: python -m tests.oncall.make > FILE
    import sys

    sys.stdout.write(pagerduty(example_shifts(dt.date(2026, 10, 1), dt.date(2027, 4, 30))))
