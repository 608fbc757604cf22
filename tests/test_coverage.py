"""The coverage grammar of capacity-analysis.csv and one week's UTC coverage
across DST (the year is tests/test_coverage_year.py; gaps as lines
tests/test_gaps.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from sustain_lint.coverage import (
    WEEK,
    CoverageError,
    HourCell,
    WeekCoverage,
    Window,
    parse_coverage,
    roster_entry,
    valid_timezone,
    week_at,
)

H = 60
D = 24 * H
JAN = dt.date(2026, 1, 12)  # a Monday clear of New Year and of clock changes
JUL = dt.date(2026, 7, 13)


# --- grammar ------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["24/7", "24x7", " 24 / 7 "])
def test_round_the_clock(cell: str) -> None:
    assert parse_coverage(cell) == [Window(d, 0, D) for d in range(7)]


def test_weekdays_window() -> None:
    assert parse_coverage("Mon-Fri 09:00-17:00") == [Window(d, 9 * H, 17 * H) for d in range(5)]


def test_day_list_and_several_windows() -> None:
    assert parse_coverage("Sat,Sun 10:00-14:00; Mon 08:00-09:30") == [
        Window(5, 10 * H, 14 * H), Window(6, 10 * H, 14 * H), Window(0, 8 * H, 9 * H + 30)]


def test_daily_and_day_range_wrapping_the_week() -> None:
    assert [w.day for w in parse_coverage("Daily 00:00-01:00")] == list(range(7))
    assert [w.day for w in parse_coverage("Sat-Mon 00:00-01:00")] == [5, 6, 0]


def test_full_day_names_are_accepted() -> None:
    assert [w.day for w in parse_coverage("Tuesday,Thurs 09:00-10:00")] == [1, 3]


def test_end_before_start_wraps_past_midnight() -> None:
    assert parse_coverage("Fri 22:00-06:00") == [Window(4, 22 * H, D + 6 * H)]


def test_24_00_ends_a_window() -> None:
    assert parse_coverage("Sun 18:00-24:00") == [Window(6, 18 * H, D)]
    assert parse_coverage("Mon 00:00-24:00") == [Window(0, 0, D)]


def test_empty_cell_covers_nothing() -> None:
    assert parse_coverage("  ") == []


@pytest.mark.parametrize("cell", [
    "Mon-Fri", "Funday 09:00-17:00", "Monkey 09:00-17:00", "Mon 24:00-02:00",
    "Mon 09:00-25:00", "Mon 09:60-10:00", "Mon 09:00-09:00", "Mon,,Tue 09:00-10:00",
    "9-5", "Mon 09:00-24:30",
])
def test_invalid_cells(cell: str) -> None:
    with pytest.raises(CoverageError):
        parse_coverage(cell)


def test_timezones() -> None:
    assert valid_timezone("")
    assert valid_timezone("UTC")
    assert valid_timezone("Europe/London")
    assert not valid_timezone("Mars/Olympus")
    assert not valid_timezone("../../etc/passwd")


# --- UTC conversion of one week ----------------------------------------------------------

def week(rows: tuple[tuple[str, str], ...], day: dt.date) -> WeekCoverage:
    entries = [roster_entry(f"row {i + 1}", cell, tz) for i, (cell, tz) in enumerate(rows)]
    return week_at([e for e in entries if e is not None], day)


def utc(cell: str, tz: str, day: dt.date) -> tuple[tuple[int, int], ...]:
    return dict(week(((cell, tz),), day).by_label).get("row 1", ())


def test_utc_row_is_unchanged() -> None:
    assert utc("Mon 09:00-17:00", "", JAN) == ((9 * H, 17 * H),)
    assert utc("Mon 09:00-17:00", "UTC", JUL) == ((9 * H, 17 * H),)


def test_london_shifts_an_hour_in_summer() -> None:
    assert utc("Mon 09:00-17:00", "Europe/London", JAN) == ((9 * H, 17 * H),)
    assert utc("Mon 09:00-17:00", "Europe/London", JUL) == ((8 * H, 16 * H),)


def test_window_past_midnight_at_week_end_wraps_to_monday() -> None:
    assert utc("Sun 22:00-06:00", "UTC", JAN) == ((0, 6 * H), (6 * D + 22 * H, WEEK))


def test_monday_morning_east_of_utc_wraps_to_sunday() -> None:
    # Monday 00:00-02:00 in Berlin (UTC+1 in January) is Sunday 23:00-01:00 UTC
    assert utc("Mon 00:00-02:00", "Europe/Berlin", JAN) == ((0, 1 * H), (6 * D + 23 * H, WEEK))


def test_full_week_stays_full_in_any_zone() -> None:
    for tz in ("", "Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"):
        for day in (JAN, JUL):
            assert week((("24/7", tz),), day).gaps == ()


# --- DST: a roster whose local windows cover 24/7 in one season only --------------------

NY_WITH_UTC = (
    # London (UTC) in January: Mon-Fri 07:00-19:00 UTC ...
    ("Mon-Fri 07:00-19:00", "UTC"),
    # ... New York 14:00-02:00 local: 19:00-07:00 UTC in January (EST, UTC-5),
    # 18:00-06:00 UTC in July (EDT, UTC-4): an hour short each night in summer.
    ("Mon-Fri 14:00-02:00", "America/New_York"),
    ("Sat,Sun 00:00-24:00", "UTC"),
    ("Mon 00:00-07:00", "UTC"),
)


def test_new_york_row_covers_january_but_leaves_gaps_in_july() -> None:
    assert week(NY_WITH_UTC, JAN).gaps == ()
    # 06:00-07:00 UTC on Tue-Fri mornings (Monday morning is covered by Sunday's row)
    assert week(NY_WITH_UTC, JUL).gaps == tuple(
        (d * D + 6 * H, d * D + 7 * H) for d in (1, 2, 3, 4))


def test_summer_only_gap_the_other_way() -> None:
    # New York 02:00-14:00 local is 07:00-19:00 UTC in January but 06:00-18:00 UTC in July:
    # next to a UTC row starting at 19:00, July leaves 18:00-19:00 uncovered.
    rows = (("Daily 02:00-14:00", "America/New_York"), ("Daily 19:00-07:00", "UTC"))
    assert week(rows, JAN).gaps == ()
    assert week(rows, JUL).gaps == tuple((d * D + 18 * H, d * D + 19 * H) for d in range(7))


def test_the_weekend_gap_and_who_covers_each_hour() -> None:
    covered = week((("Mon-Fri 00:00-24:00", "UTC"), ("Mon 09:00-10:00", "Europe/London")), JAN)
    assert covered.gaps == ((5 * D, WEEK),)
    hours = covered.hours()
    assert hours[9] == HourCell(("row 1", "row 2"), 0)
    assert hours[5 * 24] == HourCell((), 60)
