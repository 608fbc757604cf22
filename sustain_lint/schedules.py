"""The on-call exports of a set in its horizon: the shifts, who is on them, the
uncovered time, and where each export ends. No I/O: the exports were read by
``loaders.ical_loader``; a calendar with recurrences is expanded here, for the
horizon only, by ``recurring-ical-events`` (imported only then).

The horizon is ``[today 00:00 UTC, today + policy.schedule_horizon_days)``
(evidence.md, "On-call schedule exports"). Times are UTC seconds since the
epoch."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import operator
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from sustain_lint.artifacts import SCHEDULES
from sustain_lint.context import Context
from sustain_lint.documents import CalendarDocument, DocumentGroup
from sustain_lint.model import Location, Problem

DAY = 86400
MAX_OCCURRENCES = 200_000  # shifts of one export in the horizon; more is no schedule
_TOO_OFTEN = ("SECONDLY", "MINUTELY")


class Shift(NamedTuple):
    start: int
    end: int
    persons: tuple[str, ...]
    export: str  # the export's name in the set folder
    line: int | None  # its event's BEGIN:VEVENT line (None: see ``event``, or not found)
    override: bool = False  # an occurrence a RECURRENCE-ID event replaced
    event: int = -1  # its event in the export's document (its line counted when asked for)


@dataclasses.dataclass
class ExportView:
    name: str
    shifts: list[Shift]  # in the horizon, cancelled ones left out
    cancelled: list[Shift]  # cancelled shifts in the horizon (STATUS:CANCELLED)
    last_end: int | None  # the end of its last shift (None: it has none)
    reaches: bool  # a shift ends at or after the horizon's end
    problems: list[Problem]  # what stopped the expansion (SL003)
    rejected: int = 0  # events SL003 rejected when it was read
    lines: Sequence[int] = ()  # the document's event lines, for ``line_of``

    def line_of(self, shift: Shift) -> int | None:
        if shift.line is not None:
            return shift.line
        return self.lines[shift.event] if 0 <= shift.event < len(self.lines) else None


@dataclasses.dataclass
class ScheduleView:
    start: int
    end: int  # the horizon
    exports: list[ExportView]
    unreadable: tuple[str, ...]  # exports that did not parse (their SL002 speaks)
    judged_end: int  # the horizon up to where every export still has shifts
    gaps: list[tuple[int, int]]  # uncovered time in [start, judged_end)

    @property
    def complete(self) -> bool:
        """Every export parsed and expanded: only then can a person be missing."""
        return not self.unreadable and not any(e.problems or e.rejected for e in self.exports)

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.exports]


def horizon(ctx: Context) -> tuple[int, int]:
    start = (ctx.today.toordinal() - dt.date(1970, 1, 1).toordinal()) * DAY
    return start, start + ctx.policy.schedule_horizon_days * DAY


def view(ctx: Context) -> ScheduleView | None:
    """The exports of the set in its horizon; None when the set has none."""
    group = ctx.documents.get(SCHEDULES)
    if not isinstance(group, DocumentGroup):
        return None  # no export (or none that parsed: their SL002 speaks)
    start, end = horizon(ctx)
    first = next((doc for _, doc in group.members if isinstance(doc, CalendarDocument)), None)
    whole = ("view", start, end)
    if first is not None and whole in first.cache:
        cached: ScheduleView = first.cache[whole]
        return cached
    exports = []
    for name, doc in group.members:
        if not isinstance(doc, CalendarDocument):
            continue
        key = ("export", start, end, name)
        found = doc.cache.get(key)
        if found is None:
            found = doc.cache[key] = _export_view(name, doc, start, end)
            found.rejected = doc.rejected
        exports.append(found)
    judged_end = end
    for export in exports:
        if not export.reaches:
            judged_end = min(judged_end, max(start, export.last_end or start))
    covered = sorted((max(s.start, start), min(s.end, judged_end)) for e in exports
                     for s in e.shifts if s.end > start and s.start < judged_end)
    result = ScheduleView(start, end, exports, group.unreadable, judged_end,
                          uncovered(covered, start, judged_end))
    if first is not None:
        first.cache[whole] = result
    return result


def uncovered(covered: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The time of ``[start, end)`` no interval of ``covered`` (sorted) covers."""
    gaps = []
    cursor = start
    for s, e in covered:
        if s > cursor:
            gaps.append((cursor, min(s, end)))
        cursor = max(cursor, e)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return [(s, e) for s, e in gaps if e > s]


def _export_view(name: str, doc: CalendarDocument, start: int, end: int) -> ExportView:
    if doc.calendar is not None:
        return _expanded(name, doc, start, end)
    problems: list[Problem] = []
    if doc.utc_text is not None:
        times, last_end = _plain_times(name, doc, start, end, problems)
    else:
        starts, ends = doc.starts or [], doc.ends or []
        times = {i: (s, e) for i, (s, e) in enumerate(zip(starts, ends, strict=True))
                 if s < end and e > start}
        kept_ends = [e for e, c in zip(ends, doc.cancelled, strict=False) if not c]
        last_end = max(kept_ends, default=None)
    shifts: list[Shift] = []
    cancelled: list[Shift] = []
    for i, (s, e) in times.items():
        if e <= s:
            continue  # no length: no time on shift
        if doc.cancelled[i]:
            cancelled.append(Shift(s, e, doc.persons[i], name, doc.lines[i]))
        else:
            shifts.append(Shift(s, e, doc.persons[i], name, None, event=i))
    reaches = last_end is not None and last_end >= end
    return ExportView(name, shifts, cancelled, last_end, reaches, problems, lines=doc.lines)


class _Records(Sequence[str]):
    """The fixed-width records of ``CalendarDocument.utc_text`` as a sequence
    (for ``bisect``: a year of shifts is never cut into a list)."""

    def __init__(self, text: str) -> None:
        from sustain_lint.loaders.ical_loader import RECORD

        self.text, self.width = text, RECORD

    def __len__(self) -> int:
        return len(self.text) // self.width

    def every(self) -> list[str]:
        """Every record, cut by C-level calls (no Python loop over a year of shifts)."""
        size, width = len(self.text), self.width
        return list(map(self.text.__getitem__,
                        map(slice, range(0, size, width), range(width, size + 1, width))))

    def __iter__(self) -> Iterator[str]:
        return iter(self.every())

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.text[index * self.width:(index + 1) * self.width]


def _plain_times(name: str, doc: CalendarDocument, start: int, end: int,
                 problems: list[Problem]) -> tuple[dict[int, tuple[int, int]], int | None]:
    """The UTC times of the events of a plain export that overlap the horizon, and
    the end of its last shift not cancelled. The times compare as text: an export
    in time order (as the vendors write them) is cut at the horizon by bisection,
    any other by comparisons in C."""
    import bisect

    from sustain_lint.loaders.ical_loader import record_seconds, utc_seconds

    assert doc.utc_text is not None
    starts, ends = (_Records(text) for text in doc.utc_text)
    first, last = ":" + _text(start), ":" + _text(end)
    chosen: Sequence[int]
    end_list: list[str] = []
    if doc.ordered:  # the events ending after the horizon starts, up to those starting after
        chosen = range(bisect.bisect_right(ends, first), bisect.bisect_left(starts, last))
    else:
        start_list, end_list = starts.every(), ends.every()
        chosen = list(itertools.compress(range(len(start_list)), map(
            operator.and_, map(last.__gt__, start_list), map(first.__lt__, end_list))))
    times: dict[int, tuple[int, int]] = {}
    start_text, end_text = doc.utc_text
    width = starts.width
    for i in chosen:
        at = i * width
        try:
            times[i] = (record_seconds(start_text, at), record_seconds(end_text, at))
        except ValueError:  # a month, day or time out of range
            problems.append(_bad_time(name, doc.lines[i]))
    # the end of the last shift not cancelled (with none cancelled, an ordered export's
    # is its last record's); the records are cut once, and only when needed
    cancelled = any(doc.cancelled)
    if doc.ordered:
        end_list = ends.every() if cancelled else ends[-1:]
    kept = itertools.compress(end_list, map(operator.not_, doc.cancelled)) if cancelled \
        else end_list
    final = max(kept, default=None)
    try:
        return times, utc_seconds(final) if final is not None else None
    except ValueError:
        return times, None


def _text(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _bad_time(name: str, line: int | None) -> Problem:
    return Problem(name, f"the event at line {line} of {name} has a DTSTART or DTEND that is "
                   "no date and time (a month, day or hour out of range); export the "
                   "schedule again",
                   Location(line, 1 if line else None), code="SL003")


def _utc(value: Any) -> int:
    """UTC seconds of a DTSTART/DTEND value of an expanded occurrence (a date is
    midnight UTC; a floating time is read as UTC)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return int(value.timestamp())
    if isinstance(value, dt.date):
        return (value.toordinal() - dt.date(1970, 1, 1).toordinal()) * DAY
    raise ValueError(value)


def _expanded(name: str, doc: CalendarDocument, start: int, end: int) -> ExportView:
    """Occurrences of a calendar with recurrences, from ``recurring-ical-events``."""
    import recurring_ical_events

    from sustain_lint.loaders.ical_loader import persons_of

    lines_by_key: dict[tuple[str, str | None], int] = {}
    for event_line, uid, rid in zip(doc.lines, doc.uids or [], doc.rids or [], strict=False):
        lines_by_key.setdefault((uid, rid), event_line)
        lines_by_key.setdefault((uid, "*"), event_line)
    problems: list[Problem] = []
    for event in doc.calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        line = lines_by_key.get((uid, None)) or lines_by_key.get((uid, "*"))
        try:
            frequency = _frequency(event)
        except Exception:  # a broken RRULE the library kept as such
            problems.append(Problem(
                name, f"the event at line {line} of {name} has an RRULE that is no "
                "recurrence rule; export the schedule again",
                Location(line, 1 if line else None), code="SL003"))
            continue
        if frequency in _TOO_OFTEN:
            problems.append(Problem(
                name, f"the event at line {line} of {name} recurs every "
                f"{frequency.lower()[:-2]}: that is no on-call shift; export the schedule "
                "again", Location(line, 1 if line else None), code="SL003"))
    if problems:
        return ExportView(name, [], [], None, False, problems)
    shifts: list[Shift] = []
    cancelled: list[Shift] = []
    utc = dt.timezone.utc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the library's guesses are not the user's output
            query = recurring_ical_events.of(doc.calendar, skip_bad_series=True)
            occurrences = query.between(dt.datetime.fromtimestamp(start, utc),
                                        dt.datetime.fromtimestamp(end + 1, utc))
        if len(occurrences) > MAX_OCCURRENCES:
            raise ValueError(f"more than {MAX_OCCURRENCES:,} shifts in the horizon")
        for occurrence in occurrences:
            uid = str(occurrence.get("UID", ""))
            rid_value = occurrence.get("RECURRENCE-ID")
            rid = rid_value.to_ical().decode() if rid_value is not None else None
            if (uid, rid) in doc.bad or (uid, None) in doc.bad:
                continue
            line = (lines_by_key.get((uid, rid)) or lines_by_key.get((uid, None))
                    or lines_by_key.get((uid, "*")))
            begins = _utc(occurrence["DTSTART"].dt)
            if occurrence.get("DTEND") is not None:
                ends = _utc(occurrence["DTEND"].dt)
            elif occurrence.get("DURATION") is not None:
                ends = begins + int(occurrence["DURATION"].dt.total_seconds())
            else:
                ends = begins + (DAY if not isinstance(occurrence["DTSTART"].dt, dt.datetime)
                                 else 0)
            if ends <= begins:
                continue
            persons = persons_of(_props_of(occurrence))
            override = (uid, rid) in lines_by_key and rid is not None
            shift = Shift(begins, ends, persons, name, line, override)
            status = str(occurrence.get("STATUS", "")).upper()
            (cancelled if status == "CANCELLED" else shifts).append(shift)
    except Exception as exc:  # the library's own message says what it could not expand
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        return ExportView(name, [], [], None, False, [Problem(
            name, f"{name}: its recurring shifts cannot be expanded ({detail}); export the "
            "schedule again", Location(), code="SL003")])
    real_last = max((s.end for s in shifts), default=None)
    reaches = real_last is not None and real_last >= end
    if real_last is None:
        real_last = _last_before(doc, start)
    return ExportView(name, shifts, cancelled, real_last, reaches, [])


def _frequency(event: Any) -> str | None:
    rule = event.get("RRULE")
    if rule is None:
        return None
    rules = rule if isinstance(rule, list) else [rule]
    found = [str(f[0] if isinstance(f, list) else f).upper()
             for r in rules for f in [r.get("FREQ")] if f]
    return next((f for f in found if f in _TOO_OFTEN), found[0] if found else None)


def _last_before(doc: CalendarDocument, start: int) -> int | None:
    """The end of the last shift in the year before the horizon (for the message
    of an export that ends before it begins)."""
    import recurring_ical_events

    utc = dt.timezone.utc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = recurring_ical_events.of(doc.calendar, skip_bad_series=True).between(
                dt.datetime.fromtimestamp(start - 366 * DAY, utc),
                dt.datetime.fromtimestamp(start, utc))
        ends = [_utc(o["DTEND"].dt) for o in found[:MAX_OCCURRENCES]
                if o.get("DTEND") is not None and str(o.get("STATUS", "")).upper() != "CANCELLED"]
    except Exception:  # only for a message
        return None
    return max(ends, default=None)


def _props_of(component: Any) -> dict[str, list[tuple[str, str]]]:
    """An expanded occurrence's ATTENDEE, ORGANIZER and SUMMARY as the reader's
    (parameters, value) pairs, for ``persons_of``."""
    def pairs(key: str) -> list[tuple[str, str]]:
        value = component.get(key)
        if value is None:
            return []
        values = value if isinstance(value, list) else [value]
        out = []
        for item in values:
            params = getattr(item, "params", {}) or {}
            text = ";".join(f'{k}="{v}"' for k, v in params.items() if isinstance(v, str))
            out.append((text, str(item)))
        return out

    props = {key: pairs(key) for key in ("ATTENDEE", "ORGANIZER")}
    summary = component.get("SUMMARY")
    if summary is not None:
        props["SUMMARY"] = [("", str(summary).replace("\\", "\\\\"))]
    return props


# --- describing uncovered time -------------------------------------------------------------

def _clock(seconds: int) -> str:
    minute = seconds % DAY // 60
    return f"{minute // 60:02d}:{minute % 60:02d}"


_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()
_LAST_DAY = dt.date.max.toordinal()


def _date(seconds: int) -> str:
    """The UTC date of ``seconds``, within the calendar's years 1 to 9999."""
    return dt.date.fromordinal(min(max(seconds // DAY + _EPOCH_DAY, 1), _LAST_DAY)).isoformat()


def describe_gap(start: int, end: int) -> str:
    """``2026-11-25 08:00-20:00 UTC``, ``2026-11-25 22:00-02:00 UTC`` (past
    midnight), or ``2026-11-25 08:00 to 2026-11-27 20:00 UTC``."""
    if end - start < DAY:
        end_clock = "24:00" if end % DAY == 0 and end - start == DAY - start % DAY else _clock(end)
        return f"{_date(start)} {_clock(start)}-{end_clock} UTC"
    return f"{_date(start)} {_clock(start)} to {_date(end)} {_clock(end)} UTC"


def longest_gap(gaps: list[tuple[int, int]]) -> tuple[int, tuple[int, int] | None]:
    """The longest uncovered stretch in minutes, and where it is."""
    best = max(gaps, key=lambda g: g[1] - g[0], default=None)
    if best is None:
        return 0, None
    return (best[1] - best[0]) // 60, best


def describe_day(seconds: int) -> str:
    return _date(seconds)


def describe_instant(seconds: int) -> str:
    return f"{_date(seconds)} {_clock(seconds)} UTC"
