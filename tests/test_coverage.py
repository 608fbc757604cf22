"""The coverage maths of capacity-analysis.csv: grammar, UTC conversion
across DST, gaps and the longest gap around the week's wrap."""

from __future__ import annotations

import datetime as dt

import pytest

from sustain_lint.coverage import (
    WEEK,
    CoverageError,
    Window,
    describe_gap,
    gaps,
    longest_gap,
    parse_coverage,
    reference_monday,
    to_utc,
    valid_timezone,
    wrap_gaps,
)

H = 60
D = 24 * H
JAN = reference_monday(2026, 1)
JUL = reference_monday(2026, 7)


def utc_gaps(cell: str, tz: str, monday: dt.date) -> list[tuple[int, int]]:
    return wrap_gaps(gaps(to_utc(parse_coverage(cell), tz, monday)))


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


# --- reference weeks ------------------------------------------------------------------------

def test_reference_monday_is_the_second_monday() -> None:
    assert reference_monday(2026, 1) == dt.date(2026, 1, 12)
    assert reference_monday(2026, 7) == dt.date(2026, 7, 13)
    assert reference_monday(2024, 1) == dt.date(2024, 1, 8)  # 1 January 2024 was a Monday
    for year in range(2020, 2031):
        for month in (1, 7):
            day = reference_monday(year, month)
            assert day.weekday() == 0 and 8 <= day.day <= 14


# --- UTC conversion -----------------------------------------------------------------------

def test_utc_row_is_unchanged() -> None:
    assert to_utc(parse_coverage("Mon 09:00-17:00"), "", JAN) == [(9 * H, 17 * H)]
    assert to_utc(parse_coverage("Mon 09:00-17:00"), "UTC", JUL) == [(9 * H, 17 * H)]


def test_london_shifts_an_hour_in_summer() -> None:
    cell = parse_coverage("Mon 09:00-17:00")
    assert to_utc(cell, "Europe/London", JAN) == [(9 * H, 17 * H)]
    assert to_utc(cell, "Europe/London", JUL) == [(8 * H, 16 * H)]


def test_window_past_midnight_at_week_end_wraps_to_monday() -> None:
    assert to_utc(parse_coverage("Sun 22:00-06:00"), "UTC", JAN) == [
        (6 * D + 22 * H, WEEK), (0, 6 * H)]


def test_monday_morning_east_of_utc_wraps_to_sunday() -> None:
    # Monday 00:00-02:00 in Berlin (UTC+1 in January) is Sunday 23:00-01:00 UTC
    assert to_utc(parse_coverage("Mon 00:00-02:00"), "Europe/Berlin", JAN) == [
        (6 * D + 23 * H, WEEK), (0, 1 * H)]


def test_full_week_stays_full_in_any_zone() -> None:
    for tz in ("", "Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"):
        for monday in (JAN, JUL):
            assert utc_gaps("24/7", tz, monday) == []


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


def roster_gaps(rows: tuple[tuple[str, str], ...], monday: dt.date) -> list[tuple[int, int]]:
    covered: list[tuple[int, int]] = []
    for cell, tz in rows:
        covered.extend(to_utc(parse_coverage(cell), tz, monday))
    return wrap_gaps(gaps(covered))


def test_new_york_row_covers_january_but_leaves_gaps_in_july() -> None:
    assert roster_gaps(NY_WITH_UTC, JAN) == []
    july = roster_gaps(NY_WITH_UTC, JUL)
    # 06:00-07:00 UTC on Tue-Fri mornings (Monday morning is covered by Sunday's row)
    assert july == [(d * D + 6 * H, d * D + 7 * H) for d in (1, 2, 3, 4)]
    assert [describe_gap(*g) for g in july] == [
        "Tue 06:00–07:00", "Wed 06:00–07:00", "Thu 06:00–07:00", "Fri 06:00–07:00"]


def test_summer_only_gap_the_other_way() -> None:
    # New York 02:00-14:00 local is 07:00-19:00 UTC in January but 06:00-18:00 UTC in July:
    # next to a UTC row starting at 19:00, July leaves 18:00-19:00 uncovered.
    rows = (("Daily 02:00-14:00", "America/New_York"), ("Daily 19:00-07:00", "UTC"))
    assert roster_gaps(rows, JAN) == []
    assert roster_gaps(rows, JUL) == [(d * D + 18 * H, d * D + 19 * H) for d in range(7)]


# --- gaps and the longest gap ---------------------------------------------------------------

def test_gaps_of_nothing_is_the_whole_week() -> None:
    assert gaps([]) == [(0, WEEK)]
    assert wrap_gaps(gaps([])) == [(0, WEEK)]
    assert longest_gap(gaps([])) == WEEK


def test_gaps_merge_overlapping_and_touching_windows() -> None:
    assert gaps([(0, 100), (50, 200), (200, 300), (400, WEEK)]) == [(300, 400)]


def test_weekend_gap() -> None:
    week = to_utc(parse_coverage("Mon-Fri 00:00-24:00"), "UTC", JAN)
    assert gaps(week) == [(5 * D, WEEK)]
    assert longest_gap(gaps(week)) == 2 * D
    assert describe_gap(5 * D, WEEK) == "Sat 00:00–Mon 00:00"


def test_longest_gap_joins_the_end_and_the_start_of_the_week() -> None:
    # covered Mon 07:00 to Sun 19:00 UTC: the gap Sun 19:00-Mon 07:00 is 12 hours,
    # though it shows as 5 h at the end of the week and 7 h at its start
    g = gaps([(7 * H, 6 * D + 19 * H)])
    assert g == [(0, 7 * H), (6 * D + 19 * H, WEEK)]
    assert longest_gap(g) == 12 * H
    assert wrap_gaps(g) == [(6 * D + 19 * H, WEEK + 7 * H)]
    assert describe_gap(*wrap_gaps(g)[0]) == "Sun 19:00–Mon 07:00"


def test_longest_gap_picks_the_longest_of_several() -> None:
    g = gaps([(0, 2 * H), (3 * H, 10 * H), (20 * H, WEEK)])
    assert longest_gap(g) == 10 * H


def test_describe_gap_within_a_day() -> None:
    assert describe_gap(5 * D, 5 * D + 6 * H) == "Sat 00:00–06:00"
    assert describe_gap(6 * D + 18 * H, WEEK) == "Sun 18:00–24:00"
