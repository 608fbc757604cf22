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


# --- the vendors' shapes (tests/fixtures/ONCALL_SHAPES.md says where each comes from) ---------

def _fold(line: str) -> list[str]:
    """RFC 5545 folding at 75 octets (ASCII here), as Outlook and Google write."""
    out = [line[:75]]
    rest = line[75:]
    while rest:
        out.append(" " + rest[:74])
        rest = rest[74:]
    return out


def _calendar(prodid: str, head: list[str], events: list[list[str]], fold: bool = False) -> str:
    out = ["BEGIN:VCALENDAR", f"PRODID:{prodid}", "VERSION:2.0", *head]
    for event in events:
        out += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    out.append("END:VCALENDAR")
    if fold:
        out = [part for line in out for part in _fold(line)]
    return "\r\n".join(out) + "\r\n"


Shifts = list[tuple[dt.datetime, dt.datetime, str]]


def opsgenie(shifts: Shifts, schedule: str = "Payments_L2_schedule") -> str:
    events = [[f"DTSTART:{s:%Y%m%dT%H%M%SZ}", f"DTEND:{e:%Y%m%dT%H%M%SZ}",
               f"DTSTAMP:{s:%Y%m%dT%H%M%SZ}", f"UID:{n:08x}-og-{s:%Y%m%d%H}@opsgenie.com",
               f"SUMMARY:{name} ({schedule.replace('_', ' ').replace(' schedule', '')})",
               f"DESCRIPTION:On-call for {schedule}"] for n, (s, e, name) in enumerate(shifts)]
    return _calendar("-//Opsgenie//On-call Schedule//EN",
                     ["CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{schedule}"], events)


def grafana(shifts: Shifts, schedule: str = "Payments L2") -> str:
    events = [[f"SUMMARY:{name}", f"DTSTART:{s:%Y%m%dT%H%M%SZ}", f"DTEND:{e:%Y%m%dT%H%M%SZ}",
               "DTSTAMP:20261120T120000Z", "LAST-MODIFIED:20261120T120000Z", "LOCATION:primary",
               f"UID:OXXXXX{n:05d}-{s:%Y%m%d%H%M}"] for n, (s, e, name) in enumerate(shifts)]
    return _calendar("//Grafana Labs//Grafana On-Call//",
                     ["CALSCALE:GREGORIAN", f"X-WR-CALNAME:{schedule}", "X-WR-TIMEZONE:UTC"],
                     events)


def goalert(shifts: Shifts, schedule: str = "Payments L2", full: bool = True) -> str:
    events = []
    for n, (s, e, name) in enumerate(shifts):
        who = f"{name} " if full else ""
        events.append([f"UID:{n:064x}", f"SUMMARY:{who}On-Call (GoAlert: {schedule})",
                       "DTSTAMP:20261120T120000Z", f"DTSTART:{s:%Y%m%dT%H%M%SZ}",
                       f"DTEND:{e:%Y%m%dT%H%M%SZ}", "BEGIN:VALARM", "ACTION:DISPLAY",
                       "DESCRIPTION:REMINDER", "TRIGGER:-PT15M", "END:VALARM"])
    return _calendar("-//GoAlert//v0.33.0//EN", ["VERSION:2.0", "CALSCALE:GREGORIAN",
                                                 "METHOD:PUBLISH"][1:], events)


_LONDON_VTIMEZONE = ["BEGIN:VTIMEZONE", "TZID:Europe/London", "X-LIC-LOCATION:Europe/London",
                     "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST",
                     "DTSTART:19700329T010000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                     "END:DAYLIGHT", "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000",
                     "TZNAME:GMT", "DTSTART:19701025T020000",
                     "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD", "END:VTIMEZONE"]
_NEW_YORK_VTIMEZONE = ["BEGIN:VTIMEZONE", "TZID:America/New_York",
                       "X-LIC-LOCATION:America/New_York", "BEGIN:DAYLIGHT",
                       "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400", "TZNAME:EDT",
                       "DTSTART:19700308T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
                       "END:DAYLIGHT", "BEGIN:STANDARD", "TZOFFSETFROM:-0400",
                       "TZOFFSETTO:-0500", "TZNAME:EST", "DTSTART:19701101T020000",
                       "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "END:STANDARD",
                       "END:VTIMEZONE"]


def _google_event(uid: str, name: str, zone: str, start: str, end: str, rule: str | None,
                  extra: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    address = name.lower().replace(" ", ".") + "@example.com"
    lines = [f"DTSTART;TZID={zone}:{start}", f"DTEND;TZID={zone}:{end}"]
    if rule:
        lines.append(f"RRULE:{rule}")
    lines += ["DTSTAMP:20261120T120000Z",
              "ORGANIZER;CN=Payments L2 on-call:mailto:c_1a2b3c@group.calendar.google.com",
              f"UID:{uid}@google.com",
              f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN={name};"
              f"X-NUM-GUESTS=0:mailto:{address}",
              "CREATED:20261001T090000Z", "DESCRIPTION:", "LAST-MODIFIED:20261120T120000Z",
              "LOCATION:", "SEQUENCE:0", "STATUS:CONFIRMED", f"SUMMARY:On call: {name}",
              "TRANSP:OPAQUE", *extra]
    return lines


def google(events: list[list[str]], zones: list[list[str]], zone: str = "Europe/London") -> str:
    head = ["CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Payments L2 on-call",
            f"X-WR-TIMEZONE:{zone}", *[line for z in zones for line in z]]
    return _calendar("-//Google Inc//Google Calendar 70.9054//EN", head, events, fold=True)


def google_rotation(first: str = "20261102") -> str:
    """The example's rotation as recurring events in local time (Google Calendar)."""
    weekdays = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    day = dt.date.fromisoformat(f"{first[:4]}-{first[4:6]}-{first[6:]}")
    saturday = day + dt.timedelta(days=(5 - day.weekday()) % 7)
    sat = f"{saturday:%Y%m%d}"
    mon = f"{saturday + dt.timedelta(days=2):%Y%m%d}"
    nxt = f"{day + dt.timedelta(days=1):%Y%m%d}"
    events = [
        _google_event("priya-days", "Priya Raman", "Europe/London", f"{first}T070000",
                      f"{first}T190000", weekdays),
        _google_event("diego-nights", "Diego Alvarez", "Europe/London", f"{first}T190000",
                      f"{nxt}T070000", weekdays),
        _google_event("mei-weekends", "Mei Chen", "Europe/London", f"{sat}T070000",
                      f"{mon}T070000", "FREQ=WEEKLY;BYDAY=SA"),
        _google_event("tom-weekend-days", "Tom Okafor", "America/New_York", f"{sat}T080000",
                      f"{sat}T200000", "FREQ=WEEKLY;BYDAY=SA,SU"),
    ]
    return google(events, [_LONDON_VTIMEZONE, _NEW_YORK_VTIMEZONE])


_OUTLOOK_ZONES = {
    "GMT Standard Time": ["BEGIN:VTIMEZONE", "TZID:GMT Standard Time", "BEGIN:STANDARD",
                          "DTSTART:16011028T020000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
                          "TZOFFSETFROM:+0100", "TZOFFSETTO:-0000", "END:STANDARD",
                          "BEGIN:DAYLIGHT", "DTSTART:16010325T010000",
                          "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "TZOFFSETFROM:-0000",
                          "TZOFFSETTO:+0100", "END:DAYLIGHT", "END:VTIMEZONE"],
    "Eastern Standard Time": ["BEGIN:VTIMEZONE", "TZID:Eastern Standard Time",
                              "BEGIN:STANDARD", "DTSTART:16011104T020000",
                              "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11", "TZOFFSETFROM:-0400",
                              "TZOFFSETTO:-0500", "END:STANDARD", "BEGIN:DAYLIGHT",
                              "DTSTART:16010311T020000", "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
                              "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400", "END:DAYLIGHT",
                              "END:VTIMEZONE"],
}


def _outlook_event(uid: str, name: str, zone: str, start: str, end: str, rule: str | None,
                   extra: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    address = name.lower().replace(" ", ".") + "@example.com"
    lines = [f'ATTENDEE;CN="{name}";RSVP=TRUE:mailto:{address}',
             "CLASS:PUBLIC", "CREATED:20261001T090000Z", "DESCRIPTION:Payments L2 on-call shift\\n",
             f'DTEND;TZID="{zone}":{end}', "DTSTAMP:20261120T120000Z",
             f'DTSTART;TZID="{zone}":{start}', "LAST-MODIFIED:20261120T120000Z",
             'ORGANIZER;CN="Dana Whitfield":mailto:dana.whitfield@example.com', "PRIORITY:5"]
    if rule:
        lines.append(f"RRULE:{rule}")
    lines += ["SEQUENCE:0", f"SUMMARY;LANGUAGE=en-gb:L2 on-call - {name}", "TRANSP:OPAQUE",
              f"UID:040000008200E00074C5B7101A82E008000000{uid}",
              "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "X-MICROSOFT-CDO-IMPORTANCE:1",
              "X-MICROSOFT-DISALLOW-COUNTER:FALSE", *extra]
    return lines


def outlook(events: list[list[str]]) -> str:
    head = ["METHOD:PUBLISH", "X-MS-OLK-FORCEINSPECTOROPEN:TRUE",
            *[line for z in _OUTLOOK_ZONES.values() for line in z]]
    return _calendar("-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", head, events,
                     fold=True)


def outlook_rotation(cancel: str | None = None) -> str:
    """The example's rotation as Outlook recurring meetings (Windows zone names);
    ``cancel``: the local start (YYYYMMDDTHHMMSS) of one of Priya's days, cancelled."""
    weekdays = "FREQ=WEEKLY;UNTIL=20270430T000000Z;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;WKST=MO"
    events = [
        _outlook_event("A1", "Priya Raman", "GMT Standard Time", "20261102T070000",
                       "20261102T190000", weekdays),
        _outlook_event("B2", "Diego Alvarez", "GMT Standard Time", "20261102T190000",
                       "20261103T070000", weekdays),
        _outlook_event("C3", "Mei Chen", "GMT Standard Time", "20261107T070000",
                       "20261109T070000", "FREQ=WEEKLY;UNTIL=20270430T000000Z;BYDAY=SA"),
        _outlook_event("D4", "Tom Okafor", "Eastern Standard Time", "20261107T080000",
                       "20261107T200000", "FREQ=WEEKLY;UNTIL=20270430T000000Z;BYDAY=SA,SU"),
    ]
    if cancel is not None:
        end = cancel[:9] + "190000"
        events.append(_outlook_event(
            "A1", "Priya Raman", "GMT Standard Time", cancel, end, None,
            [f'RECURRENCE-ID;TZID="GMT Standard Time":{cancel}', "STATUS:CANCELLED"]))
    return outlook(events)
