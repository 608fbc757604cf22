"""Writes the on-call fixture cases' exports (``python -m tests.oncall.fixtures``),
one per vendor shape (tests/fixtures/ONCALL_SHAPES.md), then regenerate their
expected.txt with ``python -m tests.regen_fixtures``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sustain_lint.artifacts import DEFAULT_ARTIFACTS_DIR
from tests.oncall import make

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPORT = "oncall-payments-l2.ics"
FIRST, LAST = dt.date(2026, 11, 1), dt.date(2027, 1, 31)


def _write(case: str, comment: str, files: dict[str, str], extra: str = "") -> None:
    folder = FIXTURES / case
    (folder / "files").mkdir(parents=True, exist_ok=True)
    (folder / "case.yaml").write_text(f"# {comment}\n{extra}", encoding="utf-8")
    for name, text in files.items():
        path = folder / "files" / (name if name.startswith(".sustain") or "/" in name
                                   and not name.startswith("oncall") else
                                   f"{DEFAULT_ARTIFACTS_DIR}/{name}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def _shifts(last: dt.date = LAST) -> make.Shifts:
    return list(make.example_shifts(FIRST, last))


def _nights_short() -> make.Shifts:
    out = []
    for start, end, name in _shifts():
        if name == "Diego Alvarez":
            end = start + dt.timedelta(hours=7)  # 19:00-02:00: he no longer takes the mornings
        out.append((start, end, name))
    return out


def _saturday_night_gap() -> make.Shifts:
    """The example's rotation with the change of sl111-saturday-night-gap's roster:
    Diego's Friday nights end at midnight London (Sat 00:00-07:00 nobody's)."""
    from zoneinfo import ZoneInfo

    out = []
    for start, end, name in make.example_shifts(dt.date(2026, 10, 1), dt.date(2027, 4, 30)):
        local = start.astimezone(ZoneInfo("Europe/London"))
        if name == "Diego Alvarez" and local.weekday() == 4:
            end = start + dt.timedelta(hours=5)  # Fri 19:00-24:00 London
        out.append((start, end, name))
    return out


def _renamed() -> make.Shifts:
    names = {"Tom Okafor": "Tomas Okafor", "Mei Chen": "Sam Rivera"}
    return [(s, e, names.get(n, n)) for s, e, n in _shifts()]


def _clock_change() -> str:
    """London days 07:00-19:00 and New York nights 14:00-02:00: 24/7 in winter, but
    06:00-07:00 UTC is nobody's while New York is on summer time and London is not."""
    events = [
        make._google_event("london-days", "Priya Raman", "Europe/London", "20261101T070000",
                           "20261101T190000", "FREQ=DAILY"),
        make._google_event("new-york-nights", "Diego Alvarez", "America/New_York",
                           "20261101T140000", "20261102T020000", "FREQ=DAILY"),
        make._google_event("mei-once", "Mei Chen", "Europe/London", "20261225T070000",
                           "20261225T190000", None),
        make._google_event("tom-once", "Tom Okafor", "America/New_York", "20261226T140000",
                           "20261227T020000", None),
    ]
    return make.google(events, [make._LONDON_VTIMEZONE, make._NEW_YORK_VTIMEZONE])


def _google_override() -> str:
    """The rotation with one override: Tom takes Diego's night of 2026-12-02."""
    text = make.google_rotation()
    override = make._google_event(
        "diego-nights", "Tom Okafor", "Europe/London", "20261202T190000", "20261203T070000",
        None, ["RECURRENCE-ID;TZID=Europe/London:20261202T190000"])
    event = "\r\n".join(["BEGIN:VEVENT", *override, "END:VEVENT"]) + "\r\n"
    return text.replace("END:VCALENDAR\r\n", event + "END:VCALENDAR\r\n")


_BROKEN = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//PagerDuty Inc.//PagerDuty Calendar//EN\r\n"
           "BEGIN:VEVENT\r\nDTSTART:20261122T070000Z\r\nDTEND:20261122T190000Z\r\n"
           "SUMMARY:On Call - Priya Raman - Payments L2\r\n")  # cut short: no END lines
_GARBAGE = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20261122T070000Z\r\n"
            "DTEND:20261122T190000Z\r\nSUMMARY:On Call - Priya Raman - Payments L2\r\n"
            "DESCRIPTION:a long note whose exporter forgot to fold it\r\nonto the next line\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n")
_FIELDS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Hand-written//EN\r\n"
           "BEGIN:VEVENT\r\nUID:no-start\r\nDTEND:20261122T190000Z\r\n"
           "SUMMARY:On call: Priya Raman\r\nEND:VEVENT\r\n"
           "BEGIN:VEVENT\r\nUID:no-end\r\nDTSTART:20261122T070000Z\r\n"
           "SUMMARY:On call: Priya Raman\r\nEND:VEVENT\r\n"
           "BEGIN:VEVENT\r\nUID:not-a-date\r\nDTSTART:2026-11-22 07:00\r\n"
           "DTEND:20261122T190000Z\r\nSUMMARY:On call: Priya Raman\r\nEND:VEVENT\r\n"
           "BEGIN:VEVENT\r\nUID:backwards\r\nDTSTART;TZID=Europe/London:20261122T190000\r\n"
           "DTEND;TZID=Europe/London:20261122T070000\r\nSUMMARY:On call: Priya Raman\r\n"
           "END:VEVENT\r\nEND:VCALENDAR\r\n")
_TOML_130 = "[policy]\nschedule_horizon_days = 130\n"
_TOML_SCHEDULES = 'schedules = ["schedules/*.ics"]\n'


def main() -> None:
    _write("sl115-pass-google-calendar",
           "Google Calendar shape: recurring events in Europe/London and America/New_York, "
           "X-WR-TIMEZONE, ATTENDEE CN, one override (Tom takes a night): covered, no finding",
           {EXPORT: _google_override()})
    _write("sl115-pass-outlook",
           "Outlook shape: recurring meetings in Windows zones ('GMT Standard Time'), "
           "ORGANIZER the lead, ATTENDEE CN the person on shift: covered, no finding",
           {EXPORT: make.outlook_rotation()})
    _write("sl116-pass-opsgenie",
           "Opsgenie shape: one event per shift, UTC, SUMMARY 'Name (Schedule)', no ATTENDEE: "
           "the roster's L2 people and the shifts agree, no finding",
           {EXPORT: make.opsgenie(_shifts())})
    _write("sl116-pass-grafana-oncall",
           "Grafana OnCall shape (final schedule export): SUMMARY is the person's name: no finding",
           {EXPORT: make.grafana(_shifts())})
    _write("sl117-pass-goalert",
           "GoAlert shape (full-schedule subscription): 'Name On-Call (GoAlert: Schedule)', "
           "a VALARM in every event; the export runs past the horizon: no finding",
           {EXPORT: make.goalert(_shifts())})
    _write("sl115-pass-config-schedules",
           "config `schedules` names exports in a subfolder of the set (the default "
           "oncall*.ics is then not read): covered, no finding",
           {f"{DEFAULT_ARTIFACTS_DIR}/schedules/payments.ics": make.pagerduty(iter(_shifts())),
            ".sustain-lint.toml": _TOML_SCHEDULES},
           f"remove: [{DEFAULT_ARTIFACTS_DIR}/{EXPORT}]\n")
    _write("sl115-pagerduty-nights-short",
           "PagerDuty shape: Diego's weekday nights end at 02:00, so 02:00-07:00 UTC is "
           "uncovered Tue-Sat: one SL115 finding, each run of days one line; SL113 for "
           "P1-P3 (5h)",
           {EXPORT: make.pagerduty(iter(_nights_short()))})
    _write("sl115-pagerduty-saturday-night-gap",
           "PagerDuty shape, the example's rotation from 2026-10-01 to 2027-04-30 but Diego's "
           "Friday nights end at midnight London (the roster change of "
           "sl111-saturday-night-gap): Sat 00:00-07:00 UTC uncovered every week of the "
           "horizon: one SL115 finding, one weekly line; SL113 for P1-P3 (7h). The page "
           "tests' demonstration set (tests/pages.py) takes this export",
           {EXPORT: make.pagerduty(iter(_saturday_night_gap()))})
    _write("sl115-outlook-cancelled-shift",
           "Outlook shape: one of Priya's days (2026-12-02) cancelled (a RECURRENCE-ID with "
           "STATUS:CANCELLED): SL115 at that event's line; SL113 (12h)",
           {EXPORT: make.outlook_rotation("20261202T070000")})
    _write("sl115-clock-change",
           "Google shape, London days 07-19 and New York nights 14-02: 24/7 except while New "
           "York is on summer time and London not (2027-03-14 to 2027-03-27), horizon 130 "
           "days; Mei and Tom take one shift each",
           {EXPORT: _clock_change(), ".sustain-lint.toml": _TOML_130})
    _write("sl116-opsgenie-unknown-people",
           "Opsgenie shape: 'Tomas Okafor' and 'Sam Rivera' are on shift but no L2 row; Tom "
           "Okafor and Mei Chen (L2 rows) are on no shift: four SL116 warnings",
           {EXPORT: make.opsgenie(_renamed())})
    _write("sl117-grafana-stale-export",
           "Grafana OnCall shape, exported long ago: the last shift ends 2026-12-05, before "
           "the horizon (2026-12-20): one SL117, no wall of SL115 gaps after it",
           {EXPORT: make.grafana(_shifts(dt.date(2026, 12, 4)))})
    _write("sl003-goalert-personal-feed",
           "GoAlert personal subscription: 'On-Call (GoAlert: Payments L2)' names nobody: "
           "SL003 at each event; the export then holds no shift (SL117)",
           {EXPORT: make.goalert(_shifts(dt.date(2026, 11, 1))[:3], full=False)})
    _write("sl002-ics-unparsable",
           "two more exports beside the example's: one cut short, one with an unfolded line: "
           "SL002 at the line of each, the example's export still judged",
           {"oncall-cut-short.ics": _BROKEN, "oncall-unfolded.ics": _GARBAGE})
    _write("sl003-ics-event-fields",
           "an export beside the example's with events without DTSTART, without an end, with "
           "a start that is no time and one that ends before it starts: SL003 at each event",
           {"oncall-hand-written.ics": _FIELDS})


if __name__ == "__main__":
    main()
