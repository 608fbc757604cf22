"""The L2 coverage heat map as the reports draw it (html, ``coverage`` in the
terminal, the step summary): one cell per UTC hour of the week, its state in
text as well as in colour, the gaps with their dates, who covers when.

The roster's maps (one per offset period, every week of it alike) and the on-call
exports' (one per calendar week of the horizon, with hours outside it) are drawn
by the same functions; the states, their words and characters are listed here."""

from __future__ import annotations

from typing import NamedTuple

from sustain_lint.model import CoveragePeriod, HourCell

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEK = 7 * 24 * 60

# the states of an hour; OUTSIDE only on the on-call exports' maps (before today, after
# the judged horizon): not judged, neither covered nor a gap
FULL, PART, GAP, OUTSIDE = "full", "part", "gap", "outside"
ROSTER_STATES = (FULL, PART, GAP)
STATES = (*ROSTER_STATES, OUTSIDE)
STATE_TEXT = {FULL: "covered", PART: "partly covered", GAP: "gap: nobody on duty",
              OUTSIDE: "outside the horizon, not judged"}
# the state column of the "who covers when" table
SHORT_TEXT = {FULL: "covered", PART: "partly covered", GAP: "gap", OUTSIDE: "not judged"}
# one character per hour in a terminal: distinct without colour (NO_COLOR)
CHARS = {FULL: "█", PART: "▒", GAP: "!", OUTSIDE: "·"}
ASCII_CHARS = {FULL: "#", PART: "+", GAP: "!", OUTSIDE: "."}
PAINT = {FULL: "\033[32m", PART: "\033[33m", GAP: "\033[1;31m", OUTSIDE: "\033[2m"}
# a cell of the html page: a covered hour shows how many people cover it instead
MARKS = {PART: "◐", GAP: "✗", OUTSIDE: "·"}


def state(cell: HourCell) -> str:
    if not cell.judged:
        return OUTSIDE
    if cell.covered >= 60:
        return FULL
    return PART if cell.covered > 0 else GAP


def clock(minute: int) -> str:
    return f"{minute % 1440 // 60:02d}:{minute % 60:02d}"


def length(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not rest:
        return f"{hours} h"
    return f"{hours} h {rest} min" if hours else f"{rest} min"


def gap_lines(period: CoveragePeriod) -> list[str]:
    """Each gap of the period's week, UTC, with its length (every week of the period)."""
    return [f"{describe_gap(start, end)} UTC ({length(end - start)})"
            for start, end in period.gaps]


def _at(minute: int) -> str:
    minute %= WEEK
    return f"{DAYS[minute // 1440]} {clock(minute)}"


def describe_gap(start: int, end: int) -> str:
    """``Sat 00:00–07:00``, ``Fri 23:00–Sat 06:00``: minutes of the week (end may
    pass its end: the week repeats)."""
    if end - start <= 1440 and start // 1440 == (end - 1) // 1440:
        return f"{_at(start)}–{'24:00' if end % 1440 == 0 else clock(end)}"
    return f"{_at(start)}–{_at(end)}"


def offsets_text(period: CoveragePeriod) -> str:
    """``Europe/London UTC+01:00, America/New_York UTC-04:00``: the clocks then."""
    parts = []
    for zone, minutes in period.offsets:
        sign = "+" if minutes >= 0 else "-"
        hours, rest = divmod(abs(minutes), 60)
        parts.append(f"{zone or 'UTC'} UTC{sign}{hours:02d}:{rest:02d}")
    return ", ".join(parts)


class Span(NamedTuple):
    start: int  # hour of the week
    end: int  # hour of the week, exclusive
    state: str
    who: tuple[str, ...]

    def text(self) -> str:
        first = f"{DAYS[self.start // 24]} {self.start % 24:02d}:00"
        last = f"{DAYS[self.end // 24 % 7]} {self.end % 24:02d}:00"
        if self.end % 24 == 0 and self.end // 24 == self.start // 24 + 1:
            last = "24:00"
        elif self.end // 24 == self.start // 24:
            last = f"{self.end % 24:02d}:00"
        return f"{first}–{last}"


def spans(period: CoveragePeriod) -> list[Span]:
    """The week as runs of hours with the same people and state, Monday first."""
    out: list[Span] = []
    hours = period.hours
    start = 0
    for hour in range(1, len(hours) + 1):
        if hour == len(hours) or hours[hour].who != hours[start].who or \
                state(hours[hour]) != state(hours[start]):
            out.append(Span(start, hour, state(hours[start]), hours[start].who))
            start = hour
    return out


def rows(period: CoveragePeriod) -> list[tuple[str, list[HourCell]]]:
    """Seven (day, 24 cells) rows."""
    return [(DAYS[d], list(period.hours[d * 24:(d + 1) * 24])) for d in range(7)]


def gap_hours(period: CoveragePeriod) -> int:
    return sum(state(c) == GAP for c in period.hours)


def outside_hours(period: CoveragePeriod) -> int:
    """Hours of an export's week outside the judged horizon."""
    return sum(not c.judged for c in period.hours)


def terminal_map(period: CoveragePeriod, color: bool, ascii_only: bool = False) -> list[str]:
    """The week in a terminal: a header of hours, then one line a day, one
    character an hour (colour only as a second signal)."""
    chars = ASCII_CHARS if ascii_only else CHARS
    lines = ["     " + "".join(f"{h:02d}    " for h in range(0, 24, 6)).rstrip(),
             "     " + "".join("|     " for _ in range(0, 24, 6)).rstrip()]
    for day, cells in rows(period):
        out = []
        states = [state(cell) for cell in cells]
        start = 0
        for i in range(1, 25):  # runs of one state: one colour code a run
            if i == 24 or states[i] != states[start]:
                run = chars[states[start]] * (i - start)
                out.append(f"{PAINT[states[start]]}{run}\033[0m" if color else run)
                start = i
        lines.append(f" {day} {''.join(out)}")
    return lines


def legend(ascii_only: bool = False, states: tuple[str, ...] = ROSTER_STATES) -> str:
    """The terminal map's characters; ``STATES`` for the exports' maps."""
    chars = ASCII_CHARS if ascii_only else CHARS
    return "  ".join(f"{chars[s]} {STATE_TEXT[s]}" for s in states) + \
        "  (one character per UTC hour)"
