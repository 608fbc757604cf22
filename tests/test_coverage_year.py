"""Coverage over every day of the 365 days from today (evidence.md §2
"coverage"): the roster's distinct offset periods, each one's weekly UTC
coverage with who covers each hour, and the gaps of the year."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest

from sustain_lint.coverage import (
    PROBE_DAYS,
    WEEK,
    RosterEntry,
    roster_entry,
    year_coverage,
    zone_offsets,
)
from sustain_lint.gaps import DAY, day_minute, from_minute, summarise
from tests.helpers import FIXTURES, SET, materialize, run_cli

TODAY = dt.date(2026, 11, 22)
UTC = dt.timezone.utc


def entry(label: str, cell: str, zone: str = "") -> RosterEntry:
    found = roster_entry(label, cell, zone)
    assert found is not None
    return found


DUBLIN_VANCOUVER = (entry("Aoife Byrne", "Mon-Sun 08:00-20:00", "Europe/Dublin"),
                    entry("Jordan Lee", "Daily 12:00-24:00", "America/Vancouver"))


def test_roster_entry_refuses_what_covers_nothing() -> None:
    assert roster_entry("A", "", "UTC") is None
    assert roster_entry("A", "Mon 9-5", "UTC") is None
    assert roster_entry("A", "24/7", "Mars/Olympus") is None
    assert entry("A", "24/7", "UTC").zone == ""


def test_follow_the_sun_is_24_7_in_winter_and_summer_not_between() -> None:
    year = year_coverage(DUBLIN_VANCOUVER, TODAY)
    texts = [line.text for line in year.lines]
    # Vancouver springs forward on 2027-03-14, Dublin on 2027-03-28; back on 2027-11-07 and
    # 2027-10-31: in between, Dublin 08-20 UTC and Vancouver 19-07 UTC leave 07:00-08:00
    assert texts == ["07:00-08:00 UTC daily from 2027-03-15 to 2027-03-27",
                     "07:00-08:00 UTC daily from 2027-10-31 to 2027-11-07"]
    assert summarise(year.lines) == [
        "07:00-08:00 UTC daily from 2027-03-15 to 2027-03-27 and from 2027-10-31 to 2027-11-07"]
    assert year.longest is not None and year.longest.minutes == 60
    assert all(not (dt.date(2027, 1, 1) <= gap.start_at.date() <= dt.date(2027, 1, 31))
               and gap.start_at.month != 7 for gap in year.gaps)


def test_the_distinct_offset_periods_of_the_year() -> None:
    year = year_coverage(DUBLIN_VANCOUVER, TODAY)
    assert [p.offsets for p in year.periods] == [
        (("America/Vancouver", -480), ("Europe/Dublin", 0)),
        (("America/Vancouver", -420), ("Europe/Dublin", 0)),
        (("America/Vancouver", -420), ("Europe/Dublin", 60))]
    winter, between, summer = year.periods
    # winter comes back at the end of the horizon: one period, two spans
    assert winter.spans == (
        (dt.datetime(2026, 11, 22, tzinfo=UTC), dt.datetime(2027, 3, 14, 10, tzinfo=UTC)),
        (dt.datetime(2027, 11, 7, 9, tzinfo=UTC), dt.datetime(2027, 11, 22, tzinfo=UTC)))
    assert between.spans[0] == (dt.datetime(2027, 3, 14, 10, tzinfo=UTC),
                                dt.datetime(2027, 3, 28, 1, tzinfo=UTC))
    assert winter.week.gaps == () and summer.week.gaps == ()
    assert between.week.gaps == tuple((d * DAY + 7 * 60, d * DAY + 8 * 60) for d in range(7))


def test_who_covers_each_hour_of_a_period() -> None:
    winter, between, summer = year_coverage(DUBLIN_VANCOUVER, TODAY).periods
    hours = between.week.hours()
    assert len(hours) == 168
    assert hours[7].covered_by == () and hours[7].uncovered_minutes == 60  # Mon 07:00 UTC
    assert hours[8].covered_by == ("Aoife Byrne",)
    assert hours[19].covered_by == ("Aoife Byrne", "Jordan Lee")  # the overlap
    assert winter.week.hours()[20].covered_by == ("Jordan Lee",)
    assert summer.week.hours()[7].covered_by == ("Aoife Byrne",)
    assert dict(winter.week.by_label)["Aoife Byrne"] == tuple(
        (d * DAY + 8 * 60, d * DAY + 20 * 60) for d in range(7))


def test_a_pure_utc_roster_has_one_period_and_weekly_lines() -> None:
    year = year_coverage((entry("A", "Mon-Fri 00:00-24:00"),), TODAY)
    assert len(year.periods) == 1
    assert [line.text for line in year.lines] == [
        "Sat-Sun 00:00-24:00 UTC weekly from 2026-11-22 to 2027-11-21"]
    assert year.longest is not None and year.longest.minutes == 2 * DAY


def test_a_nightly_gap_over_the_horizon_start_stays_whole() -> None:
    year = year_coverage((entry("A", "Daily 01:00-23:00"),), TODAY)
    assert [line.text for line in year.lines] == [
        "23:00-01:00 UTC daily from 2026-11-21 to 2027-11-21"]


def test_no_coverage_at_all_is_the_whole_horizon() -> None:
    year = year_coverage((), TODAY)
    assert [(g.start, g.end) for g in year.gaps] == [
        (day_minute(TODAY), day_minute(TODAY) + 365 * DAY)]


def test_wall_clock_windows_keep_full_cover_over_clock_changes() -> None:
    # one person 24/7 in a DST zone, two halves in another: never a gap
    roster = (entry("A", "24/7", "Europe/Berlin"), entry("B", "Daily 00:00-12:00", "Asia/Tehran"),
              entry("C", "Daily 12:00-24:00", "Asia/Tehran"))
    year = year_coverage(roster, TODAY)
    assert year.gaps == ()
    assert year_coverage(roster[1:], TODAY).gaps == ()


def test_a_night_shift_over_the_spring_change() -> None:
    # Europe/Dublin, Sat 22:00-Sun 06:00 local: on 2027-03-28 it ends at 05:00 UTC
    roster = (entry("A", "Mon-Fri 00:00-24:00; Sat 00:00-22:00; Sun 06:00-24:00",
                    "Europe/Dublin"), entry("B", "Sat 22:00-06:00", "Europe/Dublin"))
    assert year_coverage(roster, TODAY).gaps == ()
    only_night = year_coverage(roster[1:], TODAY)
    spring = [g for g in only_night.gaps if g.start_at.date() == dt.date(2027, 3, 28)]
    assert spring and spring[0].start_at == dt.datetime(2027, 3, 28, 5, tzinfo=UTC)


def test_every_clock_change_of_the_year_is_found() -> None:
    start, end = day_minute(TODAY), day_minute(TODAY) + 365 * DAY
    changes = zone_offsets("Europe/Dublin", start, end)
    assert [(from_minute(m), o) for m, o in changes] == [
        (dt.datetime(2026, 11, 22, tzinfo=UTC), 0),
        (dt.datetime(2027, 3, 28, 1, tzinfo=UTC), 60),
        (dt.datetime(2027, 10, 31, 1, tzinfo=UTC), 0)]
    assert zone_offsets("", start, end) == ((start, 0),)


def _changes_daily(name: str, start: int, end: int) -> int:
    tz = zoneinfo.ZoneInfo(name)
    count, prev = 0, None
    for minute in range(start, end, DAY):
        offset = from_minute(minute).astimezone(tz).utcoffset()
        count += prev is not None and offset != prev
        prev = offset
    return count


TRICKY = ["Africa/Casablanca", "Africa/El_Aaiun", "Asia/Gaza", "Asia/Hebron", "America/Santiago",
          "Pacific/Easter", "Africa/Cairo", "America/Scoresbysund", "Australia/Lord_Howe",
          "America/Havana", "Asia/Tehran", "Europe/Chisinau"]


@pytest.mark.parametrize("names", [TRICKY, pytest.param(
    sorted(zoneinfo.available_timezones()), marks=pytest.mark.slow)], ids=["tricky", "all"])
def test_the_weekly_probe_finds_what_a_daily_probe_finds(names: list[str]) -> None:
    # PROBE_DAYS holds: no zone changes its clocks twice within a week in these years
    assert PROBE_DAYS == 7
    start, end = day_minute(dt.date(2025, 1, 1)), day_minute(dt.date(2031, 1, 1))
    for name in names:
        assert len(zone_offsets(name, start, end)) - 1 == _changes_daily(name, start, end), name


def test_periods_partition_the_horizon() -> None:
    zones = ["Europe/Dublin", "America/Vancouver", "Australia/Sydney", "America/Santiago",
             "Asia/Kolkata", "Pacific/Auckland"]
    roster = tuple(entry(f"P{i}", "Mon-Fri 08:00-20:00", zone) for i, zone in enumerate(zones))
    year = year_coverage(roster, TODAY)
    spans = sorted(span for p in year.periods for span in p.spans)
    assert spans[0][0] == dt.datetime(2026, 11, 22, tzinfo=UTC)
    assert spans[-1][1] == dt.datetime(2027, 11, 22, tzinfo=UTC)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert len({p.offsets for p in year.periods}) == len(year.periods)
    assert all(0 <= s < e <= WEEK for p in year.periods for s, e in p.week.gaps)


# --- the text report's protocol prompt ------------------------------------------------------

ALERT = ("[CAPACITY ALERT] Support coverage gaps detected for 07:00-08:00 UTC daily from "
         "2027-03-15 to 2027-03-27 and from 2027-10-31 to 2027-11-07.")


def _follow_the_sun(tmp_path: Path) -> Path:
    repo, _ = materialize(FIXTURES / "sl111-follow-the-sun-clock-changes", tmp_path / "repo")
    return repo


def test_the_text_report_prints_the_capacity_alert(tmp_path: Path) -> None:
    repo = _follow_the_sun(tmp_path)
    result = run_cli(["--today", "2026-11-22", "--color", "never", "."], repo)
    assert result.code == 1
    lines = result.out.splitlines()
    (at,) = [i for i, line in enumerate(lines) if "SL111 [error]" in line]
    assert lines[at + 1:].count("  " + ALERT) == 1
    assert lines.index("  " + ALERT) > at  # under the SL111 finding, once
    assert result.out.count("[CAPACITY ALERT]") == 1
    # the JSON report keeps its public fields: the windows are in the message
    data = run_cli(["--today", "2026-11-22", "--format", "json", "."], repo).json
    (finding,) = [f for f in data["sets"][0]["findings"] if f["rule"] == "SL111"]
    assert "capacity_alert" not in finding
    assert ALERT.split(" for ", 1)[1].rstrip(".") in finding["message"]


def test_no_alert_without_a_gap_or_for_a_waived_one(tmp_path: Path) -> None:
    passing, _ = materialize(FIXTURES / "sl111-pass-follow-the-sun-overlap", tmp_path / "ok")
    assert "[CAPACITY ALERT]" not in run_cli(["--today", "2026-11-22", "."], passing).out
    repo = _follow_the_sun(tmp_path)
    (repo / SET / "waivers.yaml").write_text(
        "- rule: SL111\n  justification: A third site covers 07:00-08:00 UTC from March\n"
        "  approved_by: Head of Operations\n  expires: 2027-01-15\n")
    result = run_cli(["--today", "2026-11-22", "--color", "never", "."], repo)
    assert "SL111 [waived]" in result.out
    assert "[CAPACITY ALERT]" not in result.out


def test_line_of_the_longest_gap() -> None:
    # Mon 00:00-02:00 and Tue 00:00-05:00 uncovered: the longest is Tuesday's line
    roster = (entry("A", "Mon 02:00-24:00; Tue 05:00-24:00; Wed-Sun 00:00-24:00"),)
    year = year_coverage(roster, TODAY)
    assert year.longest is not None and year.longest.minutes == 5 * 60
    line = year.line_of(year.longest)
    assert line is not None and line.text == "Tue 00:00-05:00 UTC weekly from 2026-11-24 to 2027-11-16"
    # a weekend of whole days: the longest is 48 h, its line the Sat-Sun one
    year = year_coverage((entry("A", "Mon-Fri 00:00-24:00"),), TODAY)
    line = year.line_of(year.longest)  # type: ignore[arg-type]
    assert year.longest is not None and year.longest.minutes == 2 * DAY
    assert line is not None and line.window == "Sat-Sun 00:00-24:00 UTC"


# --- the year against a brute-force check, minute by minute ----------------------------------

BRUTE_ZONES = ["", "Europe/Dublin", "America/Vancouver", "Australia/Sydney", "Asia/Kolkata",
               "America/Santiago", "Australia/Lord_Howe", "Africa/Casablanca"]
DAY_TEXT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Daily", "Mon-Fri", "Sat,Sun"]


def _half_hour(n: int) -> str:
    return "24:00" if n == 48 else f"{n // 2:02d}:{n % 2 * 30:02d}"


def _brute_uncovered(roster: tuple[RosterEntry, ...], today: dt.date, days: int) -> list[int]:
    """The minutes (every 30 minutes, at :15 and :45 UTC) that no entry covers, judged one
    by one with zoneinfo's local time."""
    zones = {e.zone: zoneinfo.ZoneInfo(e.zone) if e.zone else UTC for e in roster}
    start = day_minute(today)
    missing = []
    for k in range(days * 48):
        minute = start + k * 30 + 15
        moment = from_minute(minute)
        covered = False
        for e in roster:
            local = moment.astimezone(zones[e.zone])
            m = local.weekday() * DAY + local.hour * 60 + local.minute
            if any(w.day * DAY + w.start <= x < w.day * DAY + w.end
                   for w in e.windows for x in (m, m + WEEK)):
                covered = True
                break
        if not covered:
            missing.append(minute)
    return missing


@pytest.mark.parametrize("examples", [8, pytest.param(150, marks=pytest.mark.slow)])
def test_the_year_agrees_with_a_brute_force_check(examples: int) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    window = st.builds(lambda d, s, length: f"{DAY_TEXT[d]} {_half_hour(s)}-"
                       f"{_half_hour((s + length - 1) % 48 + 1)}",
                       st.integers(0, len(DAY_TEXT) - 1), st.integers(0, 47),
                       st.integers(1, 47))
    row = st.tuples(st.sampled_from(BRUTE_ZONES), st.lists(window, min_size=1, max_size=3))

    @settings(max_examples=examples, deadline=None, database=None)
    @given(rows=st.lists(row, min_size=1, max_size=4),
           today=st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)))
    def check(rows: list[tuple[str, list[str]]], today: dt.date) -> None:
        roster = tuple(entry(f"R{i}", "; ".join(cells), zone)
                       for i, (zone, cells) in enumerate(rows))
        days = 120
        year = year_coverage(roster, today, days)
        gaps = [(g.start, g.end) for g in year.gaps]
        inside = [m for m in range(day_minute(today) + 15, day_minute(today) + days * DAY, 30)
                  if any(s <= m < e for s, e in gaps)]
        assert inside == _brute_uncovered(roster, today, days)
        assert all(line.count >= 1 for line in year.lines)
        # every uncovered minute is in exactly one line
        assert sum(line.total_minutes for line in year.lines) == sum(e - s for s, e in gaps)

    check()
