"""The on-call exports (issue 17): the person on shift, the two readers agreeing,
nothing fetched, exports outside the repository, a huge export, the horizon's
edges. The rules' findings themselves are the fixture cases' (sl115-*, sl116-*,
sl117-*, sl002-ics-*, sl003-ics-*, sl003-goalert-*)."""

from __future__ import annotations

import datetime as dt
import http.server
import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sustain_lint.artifacts import DEFAULT_ARTIFACTS_DIR
from sustain_lint.loaders.ical_loader import load_ical, person_of_summary
from tests.helpers import copy_example, run_cli
from tests.oncall import make

SET = DEFAULT_ARTIFACTS_DIR
EXPORT = "oncall-payments-l2.ics"
TODAY = "2026-11-22"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = FIXTURES.parent.parent


@pytest.mark.parametrize(("summary", "person"), [
    ("On Call - Jane Doe - Payments L2", "Jane Doe"),  # PagerDuty
    ("Jane Doe (Payments L2)", "Jane Doe"),  # Opsgenie
    ("Jane Doe", "Jane Doe"),  # Grafana OnCall, final schedule
    ("Payments L2: Jane Doe", "Jane Doe"),  # Grafana OnCall, personal export
    ("Jane Doe On-Call (GoAlert: Payments L2)", "Jane Doe"),  # GoAlert, full schedule
    ("On-Call (GoAlert: Payments L2)", None),  # GoAlert, personal: nobody named
    ("On call: Jane Doe", "Jane Doe"),  # Google Calendar, as teams name their events
    ("L2 on-call - Jane Doe", "Jane Doe"),  # Outlook, as teams name their meetings
    ("Jane Doe - Payments L2", "Jane Doe"),
    ("[L1] Jane Doe", "Jane Doe"),
    ("On Call - TBD - Payments L2", None),  # a placeholder is nobody
    ("On-call", None),
    ("Jane\\, Doe", "Jane, Doe"),  # escaped TEXT
])
def test_the_person_in_a_summary(summary: str, person: str | None) -> None:
    assert person_of_summary(summary) == person


def _event(*lines: str) -> str:
    body = "\r\n".join(lines)
    return (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20261122T000000Z\r\n"
            f"DTEND:20261122T120000Z\r\n{body}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.mark.parametrize(("lines", "persons"), [
    (["ATTENDEE;CN=Jane Doe:mailto:jane@example.com", "SUMMARY:On call: Someone Else"],
     ("Jane Doe",)),
    (['ATTENDEE;CN="Doe, Jane";ROLE=REQ-PARTICIPANT:mailto:jane@example.com'], ("Doe, Jane",)),
    (["ORGANIZER;CN=Lead:mailto:lead@example.com",
      "ATTENDEE;CN=Lead:mailto:lead@example.com",
      "ATTENDEE;CN=Jane Doe:mailto:jane@example.com"], ("Jane Doe",)),  # organizer listed too
    (["ATTENDEE;CN=Jane Doe;PARTSTAT=DECLINED:mailto:jane@example.com",
      "ORGANIZER;CN=Max Roe:mailto:max@example.com"], ("Max Roe",)),
    (["ATTENDEE:jane@example.com", "SUMMARY:On Call - Jane Doe - Payments L2"], ("Jane Doe",)),
    (["ATTENDEE;CN=Jane Doe:mailto:jane@example.com",
      "ATTENDEE;CN=Max Roe:mailto:max@example.com"], ("Jane Doe", "Max Roe")),
])
def test_the_person_on_shift(lines: list[str], persons: tuple[str, ...]) -> None:
    document = load_ical(_event(*lines).replace("\r\n", "\n"), "x.ics").document
    assert document is not None and list(document.persons) == [persons]


def _shifts_of(text: str, start: dt.datetime, end: dt.datetime) -> list[tuple[int, int, str]]:
    """What icalendar and recurring-ical-events make of an export in a window."""
    import icalendar
    import recurring_ical_events

    calendar = icalendar.Calendar.from_ical(text)
    out = []
    for event in recurring_ical_events.of(calendar).between(start, end):
        name = str(event.get("SUMMARY"))
        out.append((int(event["DTSTART"].dt.timestamp()), int(event["DTEND"].dt.timestamp()),
                    name))
    return sorted(out)


@pytest.mark.parametrize("case", ["sl116-pass-opsgenie", "sl116-pass-grafana-oncall",
                                  "sl117-pass-goalert", "sl115-pagerduty-nights-short"])
def test_the_fast_reader_agrees_with_the_libraries(case: str) -> None:
    """A plain export is read without icalendar (for speed): the same shifts, times and
    people as icalendar and recurring-ical-events find in it."""
    from sustain_lint import schedules
    from sustain_lint.loaders.ical_loader import _library_calendar

    text = (FIXTURES / case / "files" / SET / EXPORT).read_text(encoding="utf-8")
    fast = load_ical(text, EXPORT).document
    assert fast is not None and fast.calendar is None
    start = int(dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc).timestamp())
    end = start + 28 * 86400
    mine = schedules._export_view(EXPORT, fast, start, end)
    slow = load_ical(text, EXPORT).document
    assert slow is not None
    slow.calendar = _library_calendar(text)
    slow.uids, slow.rids = [f"x{i}" for i in slow.lines], [None] * len(slow.lines)
    theirs = schedules._expanded(EXPORT, slow, start, end)
    assert sorted((s.start, s.end, s.persons) for s in mine.shifts) == sorted(
        (s.start, s.end, s.persons) for s in theirs.shifts)
    assert mine.shifts and len(_shifts_of(text, *(dt.datetime.fromtimestamp(t, dt.timezone.utc)
                                                  for t in (start, end)))) == len(mine.shifts)


# --- nothing is fetched ------------------------------------------------------------------

class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the handler's name
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")

    def log_message(self, *args: object) -> None:
        pass


def test_no_url_in_an_export_is_ever_opened(tmp_path: Path) -> None:
    """TZURL, ATTACH, URL, a VTIMEZONE of an unknown zone with its TZURL, a webcal
    X-property: the run opens none of them (a local server counts the requests)."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        repo = copy_example(tmp_path / "repo")
        export = (repo / SET / EXPORT).read_text(encoding="utf-8")
        tz = ("BEGIN:VTIMEZONE\r\nTZID:Nowhere/Special\r\n"
              f"TZURL:{url}/tz/Nowhere\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
              "TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n")
        event = ("BEGIN:VEVENT\r\nUID:remote\r\nDTSTART;TZID=Nowhere/Special:20261122T070000\r\n"
                 "DTEND;TZID=Nowhere/Special:20261122T190000\r\nRRULE:FREQ=DAILY;COUNT=2\r\n"
                 f"ATTACH:{url}/attach\r\nURL:{url}/url\r\n"
                 f"ATTENDEE;CN=Priya Raman;DIR=\"{url}/dir\":mailto:p@example.com\r\n"
                 "END:VEVENT\r\n")
        remote = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                  f"X-WR-RELCALID:{url}/relcal\r\nX-ORIGINAL-URL:webcal://127.0.0.1:"
                  f"{server.server_port}/feed\r\n{tz}{event}END:VCALENDAR\r\n")
        (repo / SET / "oncall-remote.ics").write_text(remote, encoding="utf-8")
        (repo / SET / EXPORT).write_text(export.replace(
            "URL:https://example.pagerduty.com", f"URL:{url}"), encoding="utf-8")
        result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
        assert result.code in (0, 1), result.err
        assert _Counter.hits == []
    finally:
        server.shutdown()


# --- exports the run must not read ---------------------------------------------------------

def test_an_export_outside_the_repository_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "oncall-x.ics").write_text(make.grafana([]), encoding="utf-8")
    repo = copy_example(tmp_path / "repo")
    (repo / ".sustain-lint.toml").write_text(
        'schedules = ["oncall*.ics", "../../../outside/*.ics"]\n', encoding="utf-8")
    os.symlink(outside / "oncall-x.ics", repo / SET / "oncall-link.ics")
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    findings = [(f["rule"], f["path"].rsplit("/", 1)[-1]) for s in result.json["sets"]
                for f in s["findings"]]
    assert ("SL002", "oncall-link.ics") in findings
    assert ("SL002", "oncall-x.ics") in findings
    assert not any(rule in ("SL115", "SL116", "SL117") for rule, _ in findings), findings


def test_a_folder_named_like_an_export_is_no_export(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    (repo / SET / "oncall-folder.ics").mkdir()
    result = run_cli(["--today", TODAY, "."], repo)
    assert result.code == 0, result.out


# --- size and speed ----------------------------------------------------------------------

@pytest.mark.parametrize("minutes", [60, pytest.param(15, marks=pytest.mark.slow)])
def test_a_year_of_short_shifts_is_read_in_bounded_time(tmp_path: Path, minutes: int) -> None:
    """A year of 15-minute shifts (35,040 events, several MB) in the PagerDuty shape."""
    repo = copy_example(tmp_path / "repo")
    names = ["Priya Raman", "Diego Alvarez", "Mei Chen", "Tom Okafor"]
    first = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    count = 365 * 24 * 60 // minutes
    shifts = ((first + dt.timedelta(minutes=minutes * i),
               first + dt.timedelta(minutes=minutes * (i + 1)), names[i % 4])
              for i in range(count))
    (repo / SET / EXPORT).write_text(make.pagerduty(shifts), encoding="utf-8")
    assert (repo / SET / EXPORT).stat().st_size > count * 200
    started = time.perf_counter()
    result = run_cli(["--today", TODAY, "."], repo)
    assert time.perf_counter() - started < 10
    assert result.code == 0, result.out


def test_a_recurrence_every_minute_is_refused_not_expanded(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    (repo / SET / "oncall-minutely.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:m\r\n"
        "DTSTART:20260101T000000Z\r\nDTEND:20260101T000100Z\r\nRRULE:FREQ=MINUTELY\r\n"
        "SUMMARY:On call: Priya Raman\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    started = time.perf_counter()
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    assert time.perf_counter() - started < 10
    findings = [(f["rule"], f["line"]) for s in result.json["sets"] for f in s["findings"]]
    assert ("SL003", 3) in findings


def test_the_horizon_follows_the_policy(tmp_path: Path) -> None:
    """The example's export runs to 2027-05-01: a horizon of 200 days is past it."""
    repo = copy_example(tmp_path / "repo")
    assert run_cli(["--today", TODAY, "."], repo).code == 0
    (repo / ".sustain-lint.toml").write_text("[policy]\nschedule_horizon_days = 200\n",
                                             encoding="utf-8")
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    rules = [f["rule"] for s in result.json["sets"] for f in s["findings"]]
    assert rules == ["SL117"]


def test_a_time_out_of_range_in_a_plain_export_is_sl003_at_its_event(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    path = repo / SET / EXPORT
    text = path.read_text(encoding="utf-8")
    at = text.index("DTSTART:20261125T070000Z")
    path.write_text(text[:at] + "DTSTART:20261125T250000Z" + text[at + 24:], encoding="utf-8")
    line = text.count("\n", 0, text.rfind("BEGIN:VEVENT", 0, at)) + 1
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    found = [(f["rule"], f["line"]) for s in result.json["sets"] for f in s["findings"]]
    assert ("SL003", line) in found


# --- the column reader is the event reader, faster ----------------------------------------

def _random_export(draw: st.DrawFn) -> str:
    """A plain UTC export as the vendors write one, in time order or not, with
    cancelled shifts, attendees with a CN or bare, folded summaries and CRLF."""
    base = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    names = ["Priya Raman", "Diego Alvarez", "Mei Chen", "Tom Okafor"]
    count = draw(st.integers(1, 40))
    offsets = sorted(draw(st.lists(st.integers(0, 24 * 60), min_size=count, max_size=count)))
    lengths = draw(st.lists(st.integers(0, 48), min_size=count, max_size=count))
    if draw(st.booleans()):
        offsets = draw(st.permutations(offsets))
    status = draw(st.sampled_from(["none", "all", "some"]))
    attendee = draw(st.sampled_from(["none", "bare", "cn"]))
    fold = draw(st.booleans())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for i, (hours, length) in enumerate(zip(offsets, lengths, strict=True)):
        begin = base + dt.timedelta(hours=hours)
        end = begin + dt.timedelta(hours=length)
        name = names[draw(st.integers(0, 3))]
        summary = f"SUMMARY:On Call - {name} - Payments L2 and a long schedule name to fold"
        lines += ["BEGIN:VEVENT", f"DTSTART:{begin:%Y%m%dT%H%M%SZ}",
                  f"DTEND:{end:%Y%m%dT%H%M%SZ}", f"UID:u{i}",
                  summary[:40] + "\r\n " + summary[40:] if fold else summary]
        if attendee == "bare":
            lines.append(f"ATTENDEE:{name.split()[0].lower()}@example.com")
        elif attendee == "cn":
            lines.append(f'ATTENDEE;CN="{name}":mailto:x{i}@example.com')
        if status == "all" or (status == "some" and draw(st.booleans())):
            lines.append("STATUS:" + draw(st.sampled_from(["CONFIRMED", "CANCELLED"])))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_the_column_reader_finds_what_the_event_reader_finds(data: st.DataObject) -> None:
    """Every plain export the column reader takes gives the shifts, people,
    cancellations, lines and end that reading it event by event gives, for any
    horizon (the column reader cuts an export in time order by bisection)."""
    from sustain_lint.loaders.reading import decode

    raw = _random_export(data.draw)
    read = decode(raw.encode(), EXPORT)
    assert read.text is not None
    _same_as_the_event_reader(read.text, data)
    _crlf_as_lf(raw)


def _crlf_as_lf(raw: str) -> None:
    """A text read with its CRLF line ends as written gives what it gives read with
    \\n for line ends (or is left to that reading)."""
    from sustain_lint.loaders import ical_loader
    from sustain_lint.loaders.reading import normalise_newlines

    crlf = ical_loader._read_columns(raw, "\r\n")
    if crlf is None:
        return
    lf = ical_loader._read_columns(normalise_newlines(raw))
    assert lf is not None
    assert (crlf.utc_text, crlf.ordered) == (lf.utc_text, lf.ordered)
    assert list(crlf.persons) == list(lf.persons)
    assert list(crlf.cancelled) == list(lf.cancelled)
    assert list(crlf.lines) == list(lf.lines)


_MUTATIONS = ["BEGIN:VEVENT", "END:VEVENT", "END:VCALENDAR", "BEGIN:VCALENDAR", "BEGIN:VALARM",
              "END:VALARM", "", "X-FOO:bar", "UID:x", " folded", "DTSTART:20261101T070000Z",
              "SUMMARY:On Call - Mei Chen - L2", "DURATION:PT1H", "STATUS:CANCELLED",
              "ATTENDEE;CN=Mei Chen:mailto:m@example.com", "dtend:20261101T070000Z"]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_broken_structure_is_never_read_as_columns_differently(data: st.DataObject) -> None:
    """An export with its lines dropped, doubled, swapped or with a component
    line put anywhere: the column reader declines it, or reads what the event
    reader reads (and the event reader finds nothing wrong with it)."""
    from sustain_lint.loaders import ical_loader

    lines = _random_export(data.draw).replace("\r\n ", "").split("\r\n")[:-1]
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(lines) - 1))
        kind = data.draw(st.sampled_from(["drop", "double", "swap", "insert"]))
        if kind == "drop" and len(lines) > 1:
            del lines[at]
        elif kind == "double":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            lines.insert(at, data.draw(st.sampled_from(_MUTATIONS)))
    text = "\n".join(lines) + data.draw(st.sampled_from(["\n", "", "\n\n"]))
    if ical_loader._read_columns(text) is not None:
        _same_as_the_event_reader(text, data)
    # the same with CRLF line ends, some of them lone CR or LF
    ends = ["\r\n"] * len(lines)
    for _ in range(data.draw(st.integers(0, 2))):
        ends[data.draw(st.integers(0, len(lines) - 1))] = data.draw(st.sampled_from(["\r", "\n"]))
    _crlf_as_lf("".join(line + end for line, end in zip(lines, ends, strict=True)))


def _same_as_the_event_reader(text: str, data: st.DataObject) -> None:
    from sustain_lint import schedules
    from sustain_lint.loaders import ical_loader

    columns = ical_loader._read_columns(text)
    assume(columns is not None)
    assert columns is not None
    scanned = ical_loader._scan_events(text)
    assert scanned is not None
    events, zone, recurring = scanned
    loaded = ical_loader._document(text, EXPORT, events, zone, recurring)
    slow = loaded.document
    assert slow is not None and slow.calendar is None and not loaded.problems
    assert ical_loader._BAD_LINE.search("\n" + text) is None
    first = int(dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc).timestamp())
    start = first + 3600 * data.draw(st.integers(-48, 24 * 60))
    end = start + 3600 * data.draw(st.integers(1, 24 * 30))
    fast_view = schedules._export_view(EXPORT, columns, start, end)
    slow_view = schedules._export_view(EXPORT, slow, start, end)

    def shifts(view: schedules.ExportView) -> list[tuple[int, int, tuple[str, ...], int | None]]:
        return sorted((s.start, s.end, s.persons, view.line_of(s)) for s in view.shifts)

    assert shifts(fast_view) == shifts(slow_view)
    assert sorted(fast_view.cancelled) == sorted(slow_view.cancelled)
    assert (fast_view.last_end, fast_view.reaches) == (slow_view.last_end, slow_view.reaches)
    assert list(columns.lines) == list(slow.lines)
    assert list(columns.persons) == list(slow.persons)


@pytest.mark.parametrize("export", [
    "tests/fixtures/sl115-pagerduty-nights-short/files/.artifacts/maintenance/oncall-payments-l2.ics",
    "tests/fixtures/sl116-pass-opsgenie/files/.artifacts/maintenance/oncall-payments-l2.ics",
    "tests/fixtures/sl116-pass-grafana-oncall/files/.artifacts/maintenance/oncall-payments-l2.ics",
    "examples/complete/.artifacts/maintenance/oncall-payments-l2.ics"])
def test_the_vendors_exports_are_read_in_one_search_of_their_layout(export: str) -> None:
    """PagerDuty, Opsgenie and Grafana OnCall write every event as the first: the
    one search of that layout finds every event (the fast path of the speed bar),
    and gives what the event reader gives."""
    from sustain_lint.loaders import ical_loader
    from sustain_lint.loaders.reading import decode

    text = decode((ROOT / export).read_bytes(), EXPORT).text
    assert text is not None
    first = text.find(ical_loader._EVENT_MARK)
    layout = ical_loader._layout_of(text[first:text.find("\nEND:", first + 1)],
                                    ("SUMMARY", "ATTENDEE", "ORGANIZER", "STATUS"))
    assert layout is not None
    assert len(layout[0].findall(text, first)) == text.count("\nBEGIN:VEVENT") > 1
    columns = ical_loader._read_columns(text)
    slow = ical_loader._scan_events(text)
    assert columns is not None and slow is not None
    document = ical_loader._document(text, EXPORT, *slow).document
    assert list(columns.persons) == list(document.persons)
    assert list(columns.lines) == list(document.lines)


def test_the_column_reader_leaves_the_other_shapes_to_the_event_reader() -> None:
    """Each of these is read event by event (which says what is wrong, and where,
    or expands the recurrence): a recurrence (in any case), a broken line, a
    name in lower case, a nested component, a time not in UTC, an event that
    names nobody or ends before it starts."""
    from sustain_lint.loaders import ical_loader

    good = ["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "DTSTART:20261122T070000Z",
            "DTEND:20261122T190000Z", "SUMMARY:On Call - Mei Chen - L2", "END:VEVENT",
            "END:VCALENDAR"]

    def text(lines: list[str]) -> str:
        return "\n".join(lines) + "\n"

    assert ical_loader._read_columns(text(good)) is not None
    for at, line in [(6, "RRULE:FREQ=DAILY"), (6, "EXDATE:20261123T070000Z"),
                     (6, "RECURRENCE-ID:20261122T070000Z"), (6, "this line is broken"),
                     (6, "status:CANCELLED"), (6, "BEGIN:VALARM\nTRIGGER:-PT5M\nEND:VALARM"),
                     (2, "BEGIN:VTIMEZONE\nTZID:X\nEND:VTIMEZONE"), (8, "BEGIN:VEVENT"),
                     (2, "END:VEVENT"), (7, "END:VEVENT"), (7, "X-BETWEEN:events"),
                     (7, "BEGIN:VEVENT"), (3, "BEGIN:VEVENT"), (6, "END:VCALENDAR"),
                     (8, "X-AFTER:the end"), (8, "END:VCALENDAR"), (1, "END:VCALENDAR")]:
        assert ical_loader._read_columns(text([*good[:at], line, *good[at:]])) is None, line
    for old, new in [("DTSTART:20261122T070000Z", "DTSTART;TZID=Europe/London:20261122T070000"),
                     ("SUMMARY:On Call - Mei Chen - L2", "SUMMARY:On call"),
                     ("DTEND:20261122T190000Z", "DTEND:20261121T190000Z"),
                     ("END:VEVENT\nEND:VCALENDAR", "END:VCALENDAR"),
                     ("END:VEVENT\nEND:VCALENDAR", "END:VEVENT"),
                     ("END:VEVENT\nEND:VCALENDAR", "")]:  # cut short
        assert ical_loader._read_columns(text(good).replace(old, new)) is None, new
    for end in ("", "\n\n\n"):  # no newline at the end, or blank lines after it: the same
        assert ical_loader._read_columns(text(good).rstrip("\n") + end) is not None
