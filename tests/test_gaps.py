"""sustain_lint.gaps: uncovered time of absolute UTC intervals over a horizon,
grouped into lines with date ranges (the API behind SL111 and SL115)."""

from __future__ import annotations

import datetime as dt

import pytest

from sustain_lint.gaps import (
    DAY,
    Gap,
    Horizon,
    day_minute,
    day_set_text,
    from_minute,
    group_gaps,
    longest,
    merge,
    summarise,
    to_minute,
    uncovered,
    uncovered_between,
)

H = 60
UTC = dt.timezone.utc


def at(day: str, hour: int = 0, minute: int = 0) -> int:
    return day_minute(dt.date.fromisoformat(day)) + hour * H + minute


def daily(first: str, last: str, start: int, end: int) -> list[Gap]:
    d, stop = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    out = []
    while d <= stop:
        out.append(Gap(day_minute(d) + start, day_minute(d) + end))
        d += dt.timedelta(days=1)
    return out


def texts(gaps: list[Gap]) -> list[str]:
    return [line.text for line in group_gaps(gaps)]


def test_minutes_round_trip_aware_datetimes() -> None:
    moment = dt.datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert from_minute(to_minute(moment)) == moment
    assert to_minute(dt.datetime(2027, 3, 28, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))) \
        == to_minute(moment)
    with pytest.raises(ValueError):
        to_minute(dt.datetime(2027, 3, 28))


def test_horizon_is_whole_utc_days_from_today() -> None:
    horizon = Horizon(dt.date(2026, 11, 22))
    assert horizon.end_minute - horizon.start_minute == 365 * DAY
    assert horizon.last == dt.date(2027, 11, 21)
    assert from_minute(horizon.start_minute) == dt.datetime(2026, 11, 22, tzinfo=UTC)


def test_merge_joins_touching_and_overlapping() -> None:
    assert merge([(5, 8), (0, 2), (2, 3), (7, 10), (4, 4)]) == [(0, 3), (5, 10)]


def test_uncovered_clips_to_the_horizon() -> None:
    assert uncovered([(-5, 10), (20, 30), (25, 40)], 0, 50) == (Gap(10, 20), Gap(40, 50))
    assert uncovered([], 0, 50) == (Gap(0, 50),)
    assert uncovered([(-5, 60)], 0, 50) == ()


def test_uncovered_between_takes_shifts_as_datetimes() -> None:
    horizon = Horizon(dt.date(2027, 1, 4), days=2)
    shifts = [(dt.datetime(2027, 1, 4, 0, tzinfo=UTC), dt.datetime(2027, 1, 4, 12, tzinfo=UTC)),
              (dt.datetime(2027, 1, 4, 13, tzinfo=UTC), dt.datetime(2027, 1, 6, 0, tzinfo=UTC))]
    gaps = uncovered_between(shifts, horizon)
    assert gaps == (Gap(at("2027-01-04", 12), at("2027-01-04", 13)),)
    assert gaps[0].start_at == dt.datetime(2027, 1, 4, 12, tzinfo=UTC)
    assert texts(list(gaps)) == ["12:00-13:00 UTC on Mon 2027-01-04"]


def test_longest_is_the_earliest_of_equals() -> None:
    assert longest([Gap(0, 5), Gap(10, 20), Gap(30, 40)]) == Gap(10, 20)
    assert longest([]) is None


def test_a_daily_gap_is_one_line_the_spec_example() -> None:
    assert texts(daily("2027-03-15", "2027-03-27", 6 * H, 7 * H)) == [
        "06:00-07:00 UTC daily from 2027-03-15 to 2027-03-27"]


def test_two_seasons_of_one_window_are_two_lines_one_phrase() -> None:
    gaps = daily("2027-03-15", "2027-03-27", 7 * H, 8 * H) + daily(
        "2027-10-31", "2027-11-07", 7 * H, 8 * H)
    lines = group_gaps(gaps)
    assert [line.text for line in lines] == [
        "07:00-08:00 UTC daily from 2027-03-15 to 2027-03-27",
        "07:00-08:00 UTC daily from 2027-10-31 to 2027-11-07"]
    assert summarise(lines) == [
        "07:00-08:00 UTC daily from 2027-03-15 to 2027-03-27 and from 2027-10-31 to 2027-11-07"]
    assert [line.count for line in lines] == [13, 8]


def test_weekend_days_are_one_weekly_line() -> None:
    # Sat 00:00 to Mon 00:00, every week of the year from Sunday 2026-11-22
    gaps = [Gap(at("2026-11-28") + k * 7 * DAY, at("2026-11-30") + k * 7 * DAY)
            for k in range(52)]
    assert texts(gaps) == ["Sat-Sun 00:00-24:00 UTC weekly from 2026-11-28 to 2027-11-21"]


def test_a_first_partial_week_still_joins() -> None:
    # the horizon starts on a Sunday: its Sunday gap and the Saturday-Sunday weeks after it
    gaps = [Gap(at("2026-11-22"), at("2026-11-23"))] + [
        Gap(at("2026-11-28") + k * 7 * DAY, at("2026-11-30") + k * 7 * DAY) for k in range(3)]
    assert texts(gaps) == ["Sat-Sun 00:00-24:00 UTC weekly from 2026-11-22 to 2026-12-13"]


def test_weekday_gaps_and_a_window_past_midnight() -> None:
    gaps = [g for g in daily("2027-06-07", "2027-06-25", 2 * H, 3 * H)
            if g.start_at.weekday() < 5]
    gaps += daily("2027-07-01", "2027-07-03", 23 * H, 25 * H)
    assert texts(gaps) == ["Mon-Fri 02:00-03:00 UTC weekly from 2027-06-07 to 2027-06-25",
                           "23:00-01:00 UTC daily from 2027-07-01 to 2027-07-03"]


def test_long_gaps_recurring_and_single() -> None:
    weekly = [Gap(at("2027-01-01", 22) + k * 7 * DAY, at("2027-01-04", 2) + k * 7 * DAY)
              for k in range(4)]
    single = [Gap(at("2027-05-05", 1), at("2027-05-09", 1))]
    assert texts(weekly + single) == [
        "Fri 22:00-Mon 02:00 UTC weekly from 2027-01-01 to 2027-01-22",
        "from Wed 2027-05-05 01:00 to Sun 2027-05-09 01:00 UTC"]


def test_a_gap_every_other_week_is_not_weekly() -> None:
    gaps = [Gap(at("2027-01-02") + k * 14 * DAY, at("2027-01-02", 1) + k * 14 * DAY)
            for k in range(3)]
    assert texts(gaps) == ["00:00-01:00 UTC on Sat 2027-01-02", "00:00-01:00 UTC on Sat 2027-01-16",
                           "00:00-01:00 UTC on Sat 2027-01-30"]
    assert summarise(group_gaps(gaps), ranges=2) == [
        "00:00-01:00 UTC on Sat 2027-01-02 and on Sat 2027-01-16 and 1 more date ranges"]


def test_summarise_is_bounded() -> None:
    gaps = [Gap(at("2027-01-04", h), at("2027-01-04", h, 30)) for h in range(0, 24, 2)]
    phrases = summarise(group_gaps(gaps), limit=4)
    assert len(phrases) == 4
    assert phrases[-1] == "and 9 more windows"


@pytest.mark.parametrize(("days", "text"), [
    ((0, 1, 2, 3, 4), "Mon-Fri"), ((5, 6), "Sat-Sun"), ((0, 2), "Mon,Wed"),
    ((4, 5, 6, 0), "Fri-Mon"), (tuple(range(7)), "Daily"), ((6,), "Sun"),
    ((0, 1, 3, 5, 6), "Thu,Sat-Tue")])
def test_day_sets(days: tuple[int, ...], text: str) -> None:
    assert day_set_text(days) == text


def test_grouping_is_linear_enough() -> None:
    # a gap every 90 minutes for a year: 5,840 pieces, grouped in well under a second
    gaps = [Gap(m, m + 10) for m in range(at("2026-11-22"), at("2027-11-22"), 90)]
    lines = group_gaps(gaps)
    assert sum(line.count for line in lines) == len(gaps)
