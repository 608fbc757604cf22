"""iCalendar (RFC 5545) on-call exports: text in, a ``CalendarDocument`` and
problems out.

One pass over the lines does what every export needs: it checks the content
lines and the BEGIN/END nesting (SL002 at the first bad line), finds every
VEVENT with its line, its person (ATTENDEE ``CN``, else ORGANIZER ``CN``, else
the name in its SUMMARY), its status, and an event without a start, an end or
a person (SL003 at the event). A plain export (every shift its own event, in UTC,
in an IANA zone or in floating time: what PagerDuty, Opsgenie, Grafana OnCall
and GoAlert write) is resolved here, in that pass: a year of shifts of a
thousand sets must stay within the speed bar, and ``icalendar`` takes half a
millisecond an event. A calendar with recurrences (RRULE, RDATE, EXDATE,
RECURRENCE-ID overrides) or with a time zone only its VTIMEZONE defines (Outlook's
Windows zone names) is also parsed by ``icalendar`` (after ``x-wr-timezone``
for Google's X-WR-TIMEZONE), and ``recurring-ical-events`` expands it for the
horizon (``sustain_lint.schedules``). See docs/decisions/oncall-exports.md.

Nothing in an export is fetched or opened: ATTACH, URL and TZURL are text
(neither library fetches them either)."""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from collections.abc import Collection, Sequence
from functools import cache, lru_cache
from typing import Any, overload

from sustain_lint.documents import CalendarDocument
from sustain_lint.loaders import Loaded
from sustain_lint.loaders.reading import normalise_newlines, text_of
from sustain_lint.model import Location, Problem
from sustain_lint.values import is_placeholder

_EPOCH = dt.date(1970, 1, 1).toordinal()
_DATE_TIME = re.compile(r"(\d{4})(\d\d)(\d\d)(?:T(\d\d)(\d\d)(\d\d)(Z?))?\Z")
_DURATION = re.compile(r"([+-]?)P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?\Z")
MAX_NAME = 200  # a person's name longer than this is no name


def _split(rest: str) -> tuple[str, str]:
    """``;PARAMS:value`` or ``:value`` -> (params, value); a colon inside a quoted
    parameter value does not end the parameters."""
    if rest[0] == ":":
        return "", rest[1:]
    if '"' not in rest:
        colon = rest.find(":")
        return rest[1:colon], rest[colon + 1:]
    quoted = False
    for index, char in enumerate(rest):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return rest[1:index], rest[index + 1:]
    return rest[1:], ""


def param(params: str, key: str) -> str | None:
    """The value of parameter ``key`` (upper case) in ``A=1;CN="Doe, Jane"``."""
    if not params:
        return None
    index = 0
    while index < len(params):
        end = index
        quoted = False
        while end < len(params) and (params[end] != ";" or quoted):
            if params[end] == '"':
                quoted = not quoted
            end += 1
        name, _, value = params[index:end].partition("=")
        if name.strip().upper() == key:
            return value.strip().strip('"')
        index = end + 1
    return None


def unescape(text: str) -> str:
    """An iCalendar TEXT value: ``\\,`` ``\\;`` ``\\n`` and ``\\\\`` undone."""
    if "\\" not in text:
        return text
    return (text.replace("\\\\", "\x00").replace("\\,", ",").replace("\\;", ";")
            .replace("\\n", " ").replace("\\N", " ").replace("\x00", "\\"))


_ONCALL_PREFIX = ("on call", "on-call", "oncall", "on duty", "shift")
_DASHES = (" - ", " – ", " — ", " | ")


def person_of_summary(summary: str) -> str | None:
    """The name in a SUMMARY as the vendors write it: ``On Call - Jane Doe -
    Payments L2`` (PagerDuty), ``Jane Doe`` (Grafana OnCall), ``Payments L2: Jane
    Doe`` (a Grafana OnCall personal export), ``Jane Doe On-Call (GoAlert:
    Payments L2)`` (GoAlert, full schedule), ``On call: Jane Doe``, ``Jane Doe
    (Primary)``, ``Jane Doe - Payments L2``, ``[L1] Jane Doe``. None when no name
    remains (GoAlert's personal feed, ``On-Call (GoAlert: Payments L2)``, names
    nobody). String operations only: linear in the summary."""
    text = " ".join(unescape(summary).split())
    if len(text) > 4 * MAX_NAME:
        return None
    while text.startswith("[") and "]" in text:  # [L1] a priority label
        text = text[text.index("]") + 1:].strip()
    while text.endswith(")") and "(" in text:  # Name (Primary), GoAlert's (GoAlert: Sched)
        text = text[:text.rindex("(")].rstrip()
    lower = text.lower()
    for prefix in _ONCALL_PREFIX:
        if lower.startswith(prefix):
            rest = text[len(prefix):].lstrip()
            if rest[:1] in ("-", ":", "–", "—"):
                text = rest[1:].strip()
            elif not rest:
                return None
            break
    if ": " in text:  # Schedule: Name
        text = text.split(": ", 1)[1].strip()
    for dash in _DASHES:
        if dash in text:  # Name - Schedule, or a label - Name (L2 on-call - Name)
            parts = [part.strip() for part in text.split(dash)]
            named = [part for part in parts if not any(word in part.lower()
                                                       for word in _ONCALL_PREFIX[:3])]
            text = named[0] if named else parts[0]
    lower = text.lower()
    for suffix in (" on-call", " on call", " oncall"):
        if lower.endswith(suffix):
            text = text[:-len(suffix)].rstrip()
            break
    text = text.strip(" -:–—")
    if not text or text.lower() in _ONCALL_PREFIX or is_placeholder(text) or len(text) > MAX_NAME:
        return None
    return text


def _common_name(params: str) -> str | None:
    name = param(params, "CN")
    if name is None:
        return None
    name = " ".join(unescape(name).split())
    if name.lower().startswith("mailto:"):
        name = name[7:]
    return name if name and not is_placeholder(name) and len(name) <= MAX_NAME else None


def persons_of(props: dict[str, list[tuple[str, str]]]) -> tuple[str, ...]:
    """Who an event puts on shift: the common names of its attendees (not those
    who declined or do not take part, nor the organizer listed among them beside
    someone else), else its organizer's, else the name in its SUMMARY."""
    organizer = props.get("ORGANIZER")
    organizer_address = organizer[0][1].strip().lower() if organizer else None
    names: list[str] = []
    for params, value in props.get("ATTENDEE", ()):
        role = (param(params, "ROLE") or "").upper()
        status = (param(params, "PARTSTAT") or "").upper()
        if role == "NON-PARTICIPANT" or status == "DECLINED":
            continue
        name = _common_name(params)
        if name is not None:
            names.append(name)
            if organizer_address and value.strip().lower() == organizer_address:
                names[-1] = "\x00" + name  # the organizer: kept only if alone
    real = [n for n in names if not n.startswith("\x00")]
    if real:
        return tuple(dict.fromkeys(real))
    if names:
        return (names[0][1:],)
    if organizer:
        name = _common_name(organizer[0][0])
        if name is not None:
            return (name,)
    summary = props.get("SUMMARY")
    if summary:
        found = person_of_summary(summary[0][1])
        if found is not None:
            return (found,)
    return ()


@lru_cache(maxsize=256)
def zone_of(name: str) -> dt.tzinfo | None:
    """An IANA zone (or UTC) by name; None when the name is none of them."""
    key = name.strip().strip('"')
    if key.upper() in ("UTC", "Z", "GMT", "ETC/UTC"):
        return dt.timezone.utc
    if not key or "\x00" in key or key.startswith("/") or ".." in key:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(key)
    except Exception:  # ZoneInfoNotFoundError, ValueError, IsADirectoryError ...
        return None


@lru_cache(maxsize=4096)
def _day(ymd: str) -> int:
    """Days since 1970-01-01 of ``YYYYMMDD`` (raises ValueError when no date)."""
    return dt.date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:8])).toordinal() - _EPOCH


class _Unresolved(Exception):
    """A time the reader cannot place alone (a zone only a VTIMEZONE defines)."""


def instant(params: str, value: str, floating: dt.tzinfo) -> tuple[int, bool]:
    """UTC seconds of a DATE-TIME or DATE value, and whether it was a DATE.
    Raises ValueError for a malformed value, ``_Unresolved`` for a zone the
    reader does not know."""
    if (len(value) == 16 and value[15] == "Z" and value[8] == "T" and value[:8].isdigit()
            and value[9:15].isdigit()):  # UTC, as most exports write every time
        return utc_seconds(value), False
    found = _DATE_TIME.match(value.strip())
    if found is None:
        raise ValueError(value)
    ymd = value.strip()[:8]
    day = _day(ymd)
    if found.group(4) is None:
        zone: dt.tzinfo | None = floating
        hour = minute = second = 0
        is_date = True
    else:
        hour, minute, second = int(found.group(4)), int(found.group(5)), int(found.group(6))
        if hour > 23 or minute > 59 or second > 60:
            raise ValueError(value)
        is_date = False
        if found.group(7):
            return day * 86400 + hour * 3600 + minute * 60 + min(second, 59), False
        tzid = param(params, "TZID")
        zone = floating if tzid is None else zone_of(tzid)
        if zone is None:
            raise _Unresolved(tzid)
    if zone is dt.timezone.utc:
        return day * 86400 + hour * 3600 + minute * 60 + min(second, 59), is_date
    date = dt.date.fromordinal(day + _EPOCH)
    local = dt.datetime(date.year, date.month, date.day, hour, minute, min(second, 59),
                        tzinfo=zone)
    return int(local.timestamp()), is_date


def duration_seconds(value: str) -> int:
    found = _DURATION.match(value.strip())
    if found is None or not any(found.groups()[1:]):
        raise ValueError(value)
    sign, weeks, days, hours, minutes, seconds = found.groups()
    total = ((int(weeks or 0) * 7 + int(days or 0)) * 86400 + int(hours or 0) * 3600
             + int(minutes or 0) * 60 + int(seconds or 0))
    return -total if sign == "-" else total


# a line that is neither a continuation (a space or tab first) nor NAME followed by ; or :,
# after its newline: a pattern that starts with a literal is searched for it (in C), not
# tried at every character
_BAD_LINE = re.compile(r"\n(?![ \t\n])(?![A-Za-z0-9-]+[;:])[^\n]")
# the event properties the reader keeps (the first of each), by the two letters they begin with
_KEPT = {"DT": ("DTSTART", "DTEND"), "DU": ("DURATION",), "OR": ("ORGANIZER",),
         "SU": ("SUMMARY",), "ST": ("STATUS",), "UI": ("UID",), "RE": ("RECURRENCE-ID",)}
_RECURRENCES = ("RRULE", "RDATE", "EXDATE", "EXRULE", "RECURRENCE-ID")

Props = dict[str, tuple[str, str]]


def load_ical(text: str | None, artifact: str, *, data: bytes | None = None,
              columns: Collection[str] | None = None) -> Loaded:
    source = text_of(text, data)
    start = len(source) - len(source.lstrip())
    if source[start:start + 15].upper() != "BEGIN:VCALENDAR" or source[
            start + 15:start + 16].strip():
        return _unreadable(artifact, "is not an iCalendar file: it must begin with "
                           "BEGIN:VCALENDAR; export the schedule again as .ics",
                           source.count("\n", 0, start) + 1)
    if "\r" in source:  # CRLF, as RFC 5545 has it: read as it is when every event is as
        plain = _read_columns(source, "\r\n")  # the first, else with \n for line ends
        if plain is not None:
            return Loaded(plain, [])
        source = normalise_newlines(source)
    plain = _read_columns(source)
    if plain is not None:
        return Loaded(plain, [])
    bad_line = _BAD_LINE.search("\n" + source)
    if bad_line is not None:
        return _unreadable(artifact, "is not valid iCalendar: this line is no content line "
                           "(NAME:value); a long value must be folded onto lines that start "
                           "with a space", source.count("\n", 0, bad_line.start()) + 1)
    fast = _scan_events(source)
    if fast is not None:
        events, calendar_zone, recurring = fast
        return _document(source, artifact, events, calendar_zone, recurring)
    return _scan_lines(source, artifact)


# each the text after a property's name, to the end of its line (folds joined before)
_DTSTART = re.compile(r"\nDTSTART([;:][^\n]*)")
_DTEND = re.compile(r"\nDTEND([;:][^\n]*)")
_SUMMARY = re.compile(r"\nSUMMARY([;:][^\n]*)")

# the first line that keeps an export off the column read: a folded line (a space or tab
# first), a recurrence, a component line out of place (anything but BEGIN:VEVENT and
# END:VEVENT taking turns, and END:VCALENDAR last), or a line that is no content line with
# an upper-case name (a broken line, or a name in lower case: the event reader reads those,
# and says where a line is broken). Two searches in C over the text: the calendar's own
# lines before its first event (no component line there), then the events.
_STOPPING = "RRULE|RDATE|RECURRENCE-ID|EXDATE|EXRULE|BEGIN[;:]|END[;:]"
# the same, and an ATTENDEE or ORGANIZER with parameters, or a STATUS: for an export whose
# first event has none of them (PagerDuty's), so that no event has one is known from these
# searches alone, not from a scan of the text for each
_STOPPING_PLAIN = _STOPPING + "|ATTENDEE;|ORGANIZER;|STATUS"
_HEAD_STOP = re.compile(rf"\n(?!(?!{_STOPPING})[A-Z0-9-]+[;:]|\n|\Z)")
_HEAD_STOP_PLAIN = re.compile(rf"\n(?!(?!{_STOPPING_PLAIN})[A-Z0-9-]+[;:]|\n|\Z)")


@cache
def event_searches(plain: bool, required: tuple[str, ...]
                   ) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The search for the first line of the events that keeps an export off the
    column read, and the match of the first event's BEGIN:VEVENT line. A
    BEGIN:VEVENT only right after an END:VEVENT (the first is matched instead),
    an END:VEVENT only right before the next BEGIN:VEVENT or before END:VCALENDAR,
    that after an END:VEVENT and last but for blank lines: the events take turns,
    with no other component. And each event has a line of each ``required``
    property (a look ahead from its BEGIN:VEVENT to that line, in its event):
    with as many lines of each as events, each event has exactly one. Built once
    per ``(plain, required)``; each run over an event's lines at most once per
    property."""
    each = "".join(rf"(?=(?:(?!{name}[;:]|END:VEVENT\n)[^\n]*\n)*{name}[;:])"
                   for name in required)
    stopping = _STOPPING_PLAIN if plain else _STOPPING
    lines = (rf"|(?<=\nEND:VEVENT\n)(?:BEGIN:VEVENT\n{each}|END:VCALENDAR\n*\Z)"
             r"|END:VEVENT\n(?=BEGIN:VEVENT\n|END:VCALENDAR\n*\Z)")
    return (re.compile(rf"\n(?!(?!{stopping})[A-Z0-9-]+[;:]{lines}|\n|\Z)"),
            re.compile(rf"BEGIN:VEVENT\n{each}"))


MAX_LAYOUT = 64  # lines of the first event, at most, for a layout to be tried
_NAME = re.compile(r"[A-Z0-9-]+[;:]")
_NOT_IN_LAYOUT = frozenset(("RRULE", "RDATE", "RECURRENCE-ID", "EXDATE", "EXRULE", "BEGIN",
                            "END"))


def _layout_of(head: str, kept: tuple[str, ...], newline: str = "\n"
               ) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    """The layout of the first event (``head``: its text from the newline before
    its BEGIN:VEVENT to that before its END:VEVENT) as the search for every event
    in it, and the names of its groups in their order: DTSTART, DTEND and those
    of ``kept`` it has. None when the first event cannot be a layout (a line that
    would keep the export off the column read, a kept property twice, no DTSTART
    or DTEND, more than ``MAX_LAYOUT`` lines: each event is matched from each
    BEGIN:VEVENT for at most that many lines)."""
    lines = head.split(newline)[2:]  # ("", "BEGIN:VEVENT", ...)
    if len(lines) > MAX_LAYOUT:
        return None
    names: list[str] = []
    for line in lines:
        found = _NAME.match(line)
        if found is None:
            return None
        name = found.group()
        if name[:-1] in _NOT_IN_LAYOUT:
            return None
        names.append(name)
    bare = [name[:-1] for name in names]
    wanted = {"DTSTART", "DTEND", *kept}
    captured = tuple(name for name in bare if name in wanted)
    if len(set(captured)) != len(captured) or not {"DTSTART", "DTEND"} <= set(captured):
        return None
    return _layout(tuple(names), frozenset(captured), newline), captured


@lru_cache(maxsize=64)
def _layout(names: tuple[str, ...], captured: frozenset[str], newline: str = "\n"
            ) -> re.Pattern[str]:
    """One event of the layout ``names`` (each a property name and the character
    after it), each line's value taken whole, those of ``captured`` as groups
    (the character after the name included), followed by the next event or by
    the calendar's END:VCALENDAR, last but for blank lines; every line ending in
    ``newline`` and no other line end (no lone CR or LF). No repetition but each
    value's: one search from event to event."""
    nl = re.escape(newline)
    parts = [f"{nl}BEGIN:VEVENT"]
    for name in names:
        if name[:-1] in captured:
            parts.append(f"{nl}{re.escape(name[:-1])}({re.escape(name[-1])}[^\r\n]*)")
        else:
            parts.append(f"{nl}{re.escape(name)}[^\r\n]*")
    parts.append(f"{nl}END:VEVENT(?={nl}BEGIN:VEVENT{nl}|{nl}END:VCALENDAR(?:{nl})*\\Z)")
    return re.compile("".join(parts))


def _head_is_plain(head: str, search: re.Pattern[str], newline: str) -> bool:
    """The calendar's lines before its first event (``head``, to the newline
    before its BEGIN:VEVENT) keep it on the column read: ``search`` finds no
    line that would keep it off. With CRLF line ends, none of them lone."""
    if newline != "\n":
        if head.count("\r") != head.count("\r\n"):
            return False
        head = head.replace("\r\n", "\n")
    return search.search(head) is None


_ATTENDEE = re.compile(r"\nATTENDEE([;:][^\n]*)")
_ORGANIZER = re.compile(r"\nORGANIZER([;:][^\n]*)")
_STATUS = re.compile(r"\nSTATUS([;:][^\n]*)")
# (module-level names, so that tests/test_regex_linear.py finds each pattern)
# the lines a first event without any of them makes a plain export (PagerDuty's)
_OPTIONAL = ("\nATTENDEE;", "\nORGANIZER;", "\nSTATUS")
# the scan of each property the column read keeps, by name (each ``\nNAME([;:]...)``)
_COLUMNS = {"DTSTART": _DTSTART, "DTEND": _DTEND, "SUMMARY": _SUMMARY, "ATTENDEE": _ATTENDEE,
            "ORGANIZER": _ORGANIZER, "STATUS": _STATUS}
# those besides DTSTART and DTEND, in a plain export (PagerDuty's: a bare attendee address
# names nobody, and is not read) and in any other
_KEPT_PLAIN = ("SUMMARY",)
_KEPT_ALL = ("SUMMARY", "ATTENDEE", "ORGANIZER", "STATUS")
# the shape of ``:YYYYMMDDTHHMMSSZ`` (a property's text after its name), digits as ``d``
_DIGITS = str.maketrans("0123456789", "dddddddddd")
_UTC_SHAPE = ":ddddddddTddddddZ"
RECORD = len(_UTC_SHAPE)  # the width of one time in ``CalendarDocument.utc_text``
_LAST = "\nEND:VEVENT\nEND:VCALENDAR"  # how a calendar ends (blank lines aside)


def _read_columns(source: str, newline: str = "\n") -> CalendarDocument | None:
    """A plain UTC export read a column at a time, for the shape PagerDuty,
    Opsgenie, Grafana OnCall and GoAlert write: ``BEGIN:VCALENDAR`` first, then
    top-level events one after the other, no other component, upper-case names,
    each event with one DTSTART and one DTEND in UTC, and SUMMARY, ATTENDEE,
    ORGANIZER and STATUS each once in every event or in none (as the first has
    them), every event naming someone. None for any other shape (read event by
    event instead, which says what is wrong and where).

    When every event has the lines of the first, in its order (as the vendors
    write them), one search of that layout reads them all; else a search of
    every line checks the shape, and a scan for each property reads it.

    ``newline``: the text's line ends, ``\\r\\n`` for a text as the file wrote it
    (only the search of the layout, which takes no other line end, reads it: for
    any other shape, None, and the text is read again with its line ends as \\n).

    The document keeps the times as two strings of fixed-width records (no list
    of a year of shifts per set) and the text for the lines of the events, which
    are counted only when a finding needs one."""
    if not source.startswith("BEGIN:VCALENDAR" + newline):
        return None
    text = source
    mark = f"{newline}BEGIN:VEVENT{newline}"
    first = text.find(mark)
    if first == -1:
        return None
    head = text[first:text.find(newline + "END:", first + 1)]  # the first event
    plain = not any(mark in head for mark in _OPTIONAL)
    # the properties the first event has, which every event must have once (one of each
    # or none of each, as it has)
    kept = _KEPT_PLAIN if plain else _KEPT_ALL
    required = ("DTSTART", "DTEND", *(name for name in kept
                                      if f"\n{name}:" in head or f"\n{name};" in head))
    head_stop = _HEAD_STOP_PLAIN if plain else _HEAD_STOP
    values = None
    layout = _layout_of(head, kept, newline)
    if layout is not None and _head_is_plain(text[:first + len(newline)], head_stop, newline):
        # every event as the first is (the vendors write them so): one search, no other
        pattern, captured = layout
        found = pattern.findall(text, first)
        events = len(found)
        if events == text.count(newline + "BEGIN:", first):  # every event, in a row
            values = dict(zip(captured, map(list, zip(*found, strict=True)), strict=True))
    if values is None and newline != "\n":
        return None
    if values is None:
        text, values = _columns_of_lines(text, first, plain, kept, required, head_stop)
        if values is None:
            return None
        events = len(values["DTSTART"])
        if text is not source and source.count(_EVENT_MARK) != events:
            return None
    starts, ends = values["DTSTART"], values["DTEND"]
    starts_text, ends_text = "".join(starts), "".join(ends)
    shape = _UTC_SHAPE * events  # every one ``:YYYYMMDDTHHMMSSZ`` (ranges: ``utc_seconds``)
    if (starts_text.translate(_DIGITS) != shape or ends_text.translate(_DIGITS) != shape
            or any(map(operator.lt, ends, starts))):
        return None  # an event SL003 rejects (it ends before it starts): the event reader
    ordered = (all(map(operator.le, starts, itertools.islice(starts, 1, None)))
               and all(map(operator.le, ends, itertools.islice(ends, 1, None))))
    # (in a plain export, PagerDuty's, no ATTENDEE or ORGANIZER with parameters and no
    # STATUS: its bare attendee addresses name nobody, and are not read)
    attendees, organizers, statuses, summaries = (
        values.get(name, []) for name in ("ATTENDEE", "ORGANIZER", "STATUS", "SUMMARY"))
    persons = _PersonColumn(attendees, organizers, summaries, count=events)
    if not all(persons.table):
        return None  # an event that names nobody: SL003, from the event reader
    cancelled = ([status[1:].strip().upper() == "CANCELLED" for status in statuses]
                 if statuses else [False] * events)
    return CalendarDocument(_LineColumn(source, events, mark), persons, cancelled,
                            utc_text=(starts_text, ends_text), ordered=ordered)


def _columns_of_lines(text: str, first: int, plain: bool, kept: tuple[str, ...],
                      required: tuple[str, ...], head_stop: re.Pattern[str]
                      ) -> tuple[str, dict[str, list[str]] | None]:
    """The values of the ``required`` properties (DTSTART, DTEND, and those of
    ``kept`` the first event has) of every event, for an export whose events are
    not all laid out as the first (``first``: where its ``_EVENT_MARK`` is): a
    search of every line, then one scan for each property; folded lines joined
    first (the text returned). None when a line keeps it off the column read, or
    an event lacks one of them or has one twice, or has one the first event has
    not."""
    events_stop, first_event = event_searches(plain, required)
    if first_event.match(text, first + 1) is None:
        return text, None
    finders = (head_stop, events_stop)
    stop = _stop(text, finders, first, 0)
    if stop is not None and text[stop + 1:stop + 2] in (" ", "\t"):
        text = text[:stop] + text[stop:].replace("\n ", "").replace("\n\t", "")
        first = text.find(_EVENT_MARK)  # moved only by a fold before it
        if first == -1:
            return text, None
        stop = _stop(text, finders, first, stop)  # the text before the fold was searched
    if stop is not None or not text[-64:].rstrip("\n").endswith(_LAST):
        return text, None  # (an export cut short has no END:VEVENT for the search to check)
    events = text.count(_EVENT_MARK)
    values: dict[str, list[str]] = {}
    # from the first event on: a property of the calendar itself is no event's
    for name in ("DTSTART", "DTEND", *kept):
        found = (_COLUMNS[name].findall(text, first) if text.find("\n" + name, first) != -1
                 else [])
        if len(found) != (events if name in required else 0):
            return text, None
        if found:
            values[name] = found
    return text, values


def _stop(text: str, finders: tuple[re.Pattern[str], re.Pattern[str]], first: int,
          since: int) -> int | None:
    """Where the first line from ``since`` on that keeps ``text`` off the column
    read begins (its newline), or None; ``first``: where the first event's
    ``_EVENT_MARK`` is."""
    head, events = finders
    found = head.search(text, since, first + 1) if since <= first else None
    if found is None:
        found = events.search(text, max(since, first + 1))
    return found.start() if found is not None else None


class _LineColumn(Sequence[int]):
    """The line of each event's BEGIN:VEVENT in ``source``, counted the first
    time one is asked for (a finding)."""

    def __init__(self, source: str, count: int, mark: str | None = None) -> None:
        self._source: str | None = source
        self._lines: list[int] = []
        self._count = count
        # the newline before BEGIN:VEVENT, the line, the newline after
        self._mark = mark if mark is not None else _EVENT_MARK

    def _all(self) -> list[int]:
        if self._source is not None:
            source, self._source = self._source, None
            find, newlines, mark = source.find, source.count, self._mark
            step = mark.index("B")  # from the mark to its BEGIN:VEVENT line
            line, done, at = 1, 0, find(mark)
            while at != -1:
                line += newlines("\n", done, at + step)
                done = at + step
                self._lines.append(line)
                at = find(mark, at + 1)
        return self._lines

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        return self._all()[index]


class _PersonColumn(Sequence[tuple[str, ...]]):
    """Who each event puts on shift, from its raw ATTENDEE, ORGANIZER and SUMMARY
    (each list empty when no event has one): judged once per distinct triple;
    each event keeps the number of its triple."""

    def __init__(self, attendees: list[str], organizers: list[str], summaries: list[str], *,
                 count: int) -> None:
        columns = (attendees, organizers, summaries)
        present = [column for column in columns if column]
        # the raw texts themselves as keys when only one property names people (a SUMMARY,
        # mostly): no tuple an event
        keys: list[Any] = (present[0] if len(present) == 1
                           else list(zip(*present, strict=True)) if present else [()] * count)
        numbers = {key: number for number, key in enumerate(dict.fromkeys(keys))}
        where = [i for i, column in enumerate(columns) if column]
        triples: list[list[str | None]] = []
        for key in numbers:
            triple: list[str | None] = [None, None, None]
            for i, value in zip(where, (key,) if len(present) == 1 else key, strict=True):
                triple[i] = value
            triples.append(triple)
        self.table = tuple(_persons_raw(*triple) for triple in triples)
        self._ids = list(map(numbers.__getitem__, keys))

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> tuple[str, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, ...]]: ...
    def __getitem__(self, index: int | slice) -> tuple[str, ...] | Sequence[tuple[str, ...]]:
        if isinstance(index, slice):
            return [self.table[i] for i in self._ids[index]]
        return self.table[self._ids[index]]


def _persons_raw(attendee: str | None, organizer: str | None,
                 summary: str | None) -> tuple[str, ...]:
    props: dict[str, list[tuple[str, str]]] = {}
    if attendee is not None:
        props["ATTENDEE"] = [_split(attendee)]
    if organizer is not None:
        props["ORGANIZER"] = [_split(organizer)]
    if summary is not None:
        props["SUMMARY"] = [_split(summary)]
    return persons_of(props)


def _unreadable(artifact: str, message: str, line: int | None = None) -> Loaded:
    return Loaded(None, [Problem(artifact, message, Location(line, 1 if line else None),
                                 code="SL002")])


_COMPONENTS = re.compile(r"\n(BEGIN|END):([^\n]*)")
_EVENT_MARK = "\nBEGIN:VEVENT\n"


def _scan_events(source: str) -> tuple[list[tuple[int, Props, list[tuple[str, str]]]], str,
                                        bool] | None:
    """The events of a tidy export, cut out of the text at their BEGIN:VEVENT
    lines with ``str`` methods (in C): a calendar whose BEGIN/END lines are all
    upper case, nest, and hold every event at the top level. None for any other
    (``_scan_lines`` reads it line by line, and says where it is wrong)."""
    text = "\n" + source
    stack: list[str] = []
    top_events = 0
    closed = False
    for kind, component in _COMPONENTS.findall(text):
        if closed or component != component.strip() or not component.isupper():
            return None
        if kind == "BEGIN":
            stack.append(component)
            top_events += component == "VEVENT" and len(stack) == 2
        else:
            if not stack or stack[-1] != component:
                return None
            stack.pop()
            closed = not stack
    if stack or not closed:
        return None
    chunks = text.split(_EVENT_MARK)
    if len(chunks) - 1 != top_events or any("\nEND:VEVENT" not in c for c in chunks[1:]):
        return None
    head = chunks[0]
    calendar_zone = ""
    at = head.find("\nX-WR-TIMEZONE")
    if at != -1 and head[at + 14:at + 15] in (":", ";"):
        stop = head.find("\n", at + 1)
        calendar_zone = _split(head[at + 14:stop if stop != -1 else len(head)])[1].strip()
    events: list[tuple[int, Props, list[tuple[str, str]]]] = []
    line = head.count("\n")
    # RRULE and the like anywhere (a VTIMEZONE has them too): then each event is looked at
    maybe_recurring = any(mark in text for mark in _RECURRENCE_MARKS)
    recurring = False
    for chunk in chunks[1:]:
        line += 1  # the newline before BEGIN:VEVENT
        body = "\n" + chunk[:chunk.find("\nEND:VEVENT")]
        own = maybe_recurring and any(mark in body for mark in _RECURRENCE_MARKS)
        recurring = recurring or own
        events.append((line, *_body_props(body, maybe_recurring)))
        line += chunk.count("\n") + 1  # its lines, and the newline after BEGIN:VEVENT
    return events, calendar_zone, recurring


_RECURRENCE_MARKS = ("\nRRULE", "\nRDATE", "\nEXDATE", "\nEXRULE", "\nRECURRENCE-ID")
_ALWAYS = tuple((f"\n{name}", name, len(name) + 1)
                for name in ("DTSTART", "DTEND", "SUMMARY", "ORGANIZER", "STATUS"))
_IDENTITY = _ALWAYS + tuple((f"\n{name}", name, len(name) + 1)
                            for name in ("UID", "RECURRENCE-ID"))


def _body_props(body: str, identity: bool) -> tuple[Props, list[tuple[str, str]]]:
    """The kept properties and the attendees of one event's text (lines after
    newlines, nested components such as VALARM left out, folds joined); UID and
    RECURRENCE-ID only with ``identity`` (the recurrence libraries need them).
    Written for speed: a year of shifts of a thousand sets passes through here."""
    if "\nBEGIN:" in body:
        body = _without_nested(body)
    if "\n " in body or "\n\t" in body:
        body = body.replace("\n ", "").replace("\n\t", "")
    find = body.find
    props: Props = {}
    for needle, name, skip in _IDENTITY if identity else _ALWAYS:
        at = find(needle)
        while at != -1:
            after = at + skip
            mark = body[after:after + 1]
            if mark == ":":  # no parameters: the common case
                stop = find("\n", after)
                props[name] = ("", body[after + 1:stop] if stop != -1 else body[after + 1:])
                break
            if mark == ";":
                stop = find("\n", after)
                props[name] = _split(body[after:stop] if stop != -1 else body[after:])
                break
            at = find(needle, after)
    if "DTEND" not in props:
        at = find("\nDURATION")
        if at != -1 and body[at + 9:at + 10] in (":", ";"):
            stop = find("\n", at + 9)
            props["DURATION"] = _split(body[at + 9:stop] if stop != -1 else body[at + 9:])
    attendees: list[tuple[str, str]] = []
    at = find("\nATTENDEE")
    while at != -1:
        stop = find("\n", at + 9)
        if body[at + 9:at + 10] in (":", ";"):
            attendees.append(_split(body[at + 9:stop] if stop != -1 else body[at + 9:]))
        at = find("\nATTENDEE", at + 9) if stop != -1 else -1
    return props, attendees


def _without_nested(body: str) -> str:
    out: list[str] = []
    depth = 0
    for line in body.split("\n"):
        upper = line[:6].upper()
        if upper.startswith("BEGIN:") or upper.startswith("BEGIN;"):
            depth += 1
        elif depth and (upper.startswith("END:") or upper.startswith("END;")):
            depth -= 1
            continue
        if depth == 0:
            out.append(line)
    return "\n".join(out)


def _scan_lines(source: str, artifact: str) -> Loaded:
    """Any calendar, line by line: where the BEGIN/END lines do not nest, the
    line that is wrong (SL002); names in any case."""

    def unreadable(message: str, line: int | None = None) -> Loaded:
        return _unreadable(artifact, message, line)

    lines = source.split("\n")
    stack: list[str] = []
    events: list[tuple[int, Props, list[tuple[str, str]]]] = []
    props: Props = {}
    attendees: list[tuple[str, str]] = []
    in_event = False
    recurring = False
    calendar_zone = ""
    closed = False
    kept = _KEPT
    number = 0
    count = len(lines)
    while number < count:
        line = lines[number]
        number += 1
        if not line:
            continue
        if number < count and lines[number][:1] in (" ", "\t"):  # folded: join its lines
            parts = [line]
            while number < count and lines[number][:1] in (" ", "\t"):
                parts.append(lines[number][1:])
                number += 1
            line = "".join(parts)
        prefix = line[:2]
        if in_event:
            names = kept.get(prefix)
            if names is not None:
                for name in names:
                    if line.startswith(name) and line[len(name):len(name) + 1] in (":", ";"):
                        if name not in props:
                            props[name] = _split(line[len(name):])
                        break
                continue
            if prefix == "AT":
                if line[8:9] in (":", ";") and line.startswith("ATTENDEE"):
                    attendees.append(_split(line[8:]))
                continue
            if prefix == "RR" or prefix == "RD" or prefix == "EX":
                recurring = recurring or line.startswith(_RECURRENCES)
                continue
            if prefix != "EN" and prefix != "BE" and line[:3].upper() not in ("BEG", "END"):
                if not line[:1].isupper() or line[:3].lower() in (
                        "dts", "dte", "dur", "org", "sum", "sta", "uid", "rec", "att", "rru",
                        "rda", "exd", "exr"):
                    _any_case(line, props, attendees)
                    recurring = recurring or "RECURRENCE-ID" in props
                continue
        elif prefix == "X-" and len(stack) == 1 and line.startswith("X-WR-TIMEZONE"):
            calendar_zone = _split(line[13:])[1].strip() if line[13:14] in (":", ";") else ""
            continue
        upper = line[:4].upper()
        if upper[:3] == "END" and line[3:4] in (":", ";"):
            component = line[4:].strip().upper()
            if not stack or stack[-1] != component:
                expected = f"END:{stack[-1][:40]}" if stack else "nothing"
                return unreadable(f"is not valid iCalendar: END:{component[:40]} where "
                                  f"{expected} was due", number)
            stack.pop()
            if in_event and len(stack) == 1:
                in_event = False
            elif not stack:
                closed = True
        elif upper == "BEGI" and line[5:6] in (":", ";") and line[:5].upper() == "BEGIN":
            if closed:
                return unreadable("has content after END:VCALENDAR; export the schedule again "
                                  "(one calendar per file)", number)
            component = line[6:].strip().upper()
            stack.append(component)
            if component == "VEVENT" and len(stack) == 2:
                props, attendees = {}, []
                events.append((number, props, attendees))
                in_event = True
            elif in_event:  # a VALARM or the like inside the event: skipped to its END
                depth = len(stack)
                while number < count and depth <= len(stack):
                    inner = lines[number]
                    number += 1
                    head = inner[:6].upper()
                    if head.startswith("BEGIN") and inner[5:6] in (":", ";"):
                        stack.append(inner[6:].strip().upper())
                    elif head.startswith("END") and inner[3:4] in (":", ";"):
                        component = inner[4:].strip().upper()
                        if stack[-1] != component:
                            return unreadable(f"is not valid iCalendar: END:{component[:40]} "
                                              f"where END:{stack[-1][:40]} was due", number)
                        stack.pop()
    if stack:
        return unreadable(f"is not valid iCalendar: it ends inside BEGIN:{stack[-1][:40]} (no "
                          f"END:{stack[-1][:40]}); the file was cut short: export it again",
                          count)
    return _document(source, artifact, events, calendar_zone,
                     recurring or any("RECURRENCE-ID" in p for _, p, _ in events))


def _any_case(line: str, props: Props, attendees: list[tuple[str, str]]) -> None:
    """A property whose name is not written in upper case (names are case-insensitive)."""
    cut = min((i for i in (line.find(":"), line.find(";")) if i != -1), default=-1)
    if cut <= 0:
        return
    name = line[:cut].upper()
    if name == "ATTENDEE":
        attendees.append(_split(line[cut:]))
    elif name in _RECURRENCES[:4]:
        props.setdefault("RRULE", ("", ""))  # only marks the event as recurring
    elif any(name in names for names in _KEPT.values()) and name not in props:
        props[name] = _split(line[cut:])


def _document(source: str, artifact: str, events: list[tuple[int, Props, list[tuple[str, str]]]],
              calendar_zone: str, recurring: bool) -> Loaded:
    problems: list[Problem] = []
    floating = zone_of(calendar_zone) if calendar_zone else dt.timezone.utc
    if floating is None:
        floating = dt.timezone.utc
        problems.append(Problem(
            artifact, f"{artifact} names the time zone '{calendar_zone[:60]}' in "
            "X-WR-TIMEZONE, which is no IANA time zone; its floating times are read as UTC",
            Location(), code="SL003"))
    lines: list[int] = []
    persons_column: list[tuple[str, ...]] = []
    cancelled_column: list[bool] = []
    starts: list[int] = []
    ends: list[int] = []
    uids: list[str] = []
    rids: list[str | None] = []
    bad: set[tuple[str, str | None]] = set()
    library = recurring
    for line, props, attendees in events:
        uid = props["UID"][1].strip() if "UID" in props else f"line-{line}"
        rid = props["RECURRENCE-ID"][1].strip() if "RECURRENCE-ID" in props else None
        cancelled = "STATUS" in props and props["STATUS"][1].strip().upper() == "CANCELLED"
        organizer = props.get("ORGANIZER")
        summary = props.get("SUMMARY")
        persons = _persons(tuple(attendees), organizer, summary[1] if summary else None)
        what = _event_problem(props, persons, cancelled)
        start = end = 0
        if what is None and not library:
            try:
                start_or_none, end_or_none, what = _times(props, floating)
                start, end = start_or_none or 0, end_or_none or 0
            except _Unresolved:
                library = True
        if what is not None:
            bad.add((uid, rid))
            problems.append(Problem(
                artifact, f"the event at line {line} of {artifact} {what}",
                Location(line, 1, _label(props)), code="SL003"))
            continue
        lines.append(line)
        persons_column.append(persons)
        cancelled_column.append(cancelled)
        starts.append(start)
        ends.append(end)
        uids.append(uid)
        rids.append(rid)
    if library:
        try:
            calendar = _library_calendar(source)
        except Exception as exc:  # the library's message says what it could not read
            detail = " ".join(str(exc).split())[:200]
            return Loaded(None, [Problem(
                artifact, f"is not valid iCalendar: {detail or type(exc).__name__}; export "
                "the schedule again", Location(), code="SL002")])
        return Loaded(CalendarDocument(lines, persons_column, cancelled_column,
                                       calendar=calendar, uids=uids, rids=rids,
                                       bad=frozenset(bad), rejected=len(bad)), problems)
    return Loaded(CalendarDocument(lines, persons_column, cancelled_column, starts=starts,
                                   ends=ends, rejected=len(bad)), problems)


@lru_cache(maxsize=1024)
def _persons(attendees: tuple[tuple[str, str], ...], organizer: tuple[str, str] | None,
             summary: str | None) -> tuple[str, ...]:
    props: dict[str, list[tuple[str, str]]] = {"ATTENDEE": list(attendees)}
    if organizer is not None:
        props["ORGANIZER"] = [organizer]
    if summary is not None:
        props["SUMMARY"] = [("", summary)]
    return persons_of(props)


def _label(props: dict[str, tuple[str, str]]) -> str:
    summary = props.get("SUMMARY")
    text = " ".join(unescape(summary[1]).split())[:80] if summary else ""
    return f"VEVENT {text}".strip() if text else "VEVENT"


def utc_seconds(value: str) -> int:
    """UTC seconds of a text of the shape ``YYYYMMDDTHHMMSSZ`` (or of that text
    after the ``:`` of its property); raises ValueError for a month, day or time
    out of range."""
    if value[:1] == ":":
        return record_seconds(value, 0)
    return _day(value[:8]) * 86400 + _clock(value[9:15])


def record_seconds(text: str, at: int) -> int:
    """UTC seconds of the record at ``at`` of a ``CalendarDocument.utc_text``
    (``:YYYYMMDDTHHMMSSZ``), without cutting the record out first; raises
    ValueError as ``utc_seconds``."""
    return _day(text[at + 1:at + 9]) * 86400 + _clock(text[at + 10:at + 16])


@lru_cache(maxsize=4096)
def _clock(hhmmss: str) -> int:
    """Seconds since midnight of ``HHMMSS`` (a leap second as :59); raises
    ValueError when out of range. Memoised: shifts start at a few times of day."""
    hour, minute, second = int(hhmmss[:2]), int(hhmmss[2:4]), int(hhmmss[4:6])
    if hour > 23 or minute > 59 or second > 60:
        raise ValueError(hhmmss)
    return hour * 3600 + minute * 60 + min(second, 59)


def _event_problem(props: dict[str, tuple[str, str]], persons: tuple[str, ...],
                   cancelled: bool) -> str | None:
    if "DTSTART" not in props:
        return ("has no DTSTART: a shift needs its start; export the schedule again, or "
                "remove the event")
    if "DTEND" not in props and "DURATION" not in props:
        value = props["DTSTART"]
        if "VALUE=DATE" not in value[0].upper() or "T" in value[1]:
            return ("has neither DTEND nor DURATION: a shift needs its end; export the "
                    "schedule again")
    if not persons and not cancelled:
        return _NOBODY
    return None


_NOBODY = ("names nobody on shift (no ATTENDEE or ORGANIZER with a CN, and no name in its "
           "SUMMARY); export the schedule with the names of the people on call (GoAlert: "
           "subscribe to the full schedule)")


def _times(props: dict[str, tuple[str, str]], floating: dt.tzinfo
           ) -> tuple[int | None, int | None, str | None]:
    """(start, end, None), or (None, None, what is wrong)."""
    params, value = props["DTSTART"]
    try:
        start, is_date = instant(params, value, floating)
    except ValueError:
        return None, None, f"has a DTSTART that is no date or time ('{value.strip()[:40]}')"
    if "DTEND" in props:
        params, value = props["DTEND"]
        try:
            end, _ = instant(params, value, floating)
        except ValueError:
            return None, None, f"has a DTEND that is no date or time ('{value.strip()[:40]}')"
    elif "DURATION" in props:
        try:
            end = start + duration_seconds(props["DURATION"][1])
        except ValueError:
            return None, None, ("has a DURATION that is no duration "
                                f"('{props['DURATION'][1].strip()[:40]}')")
    else:
        end = start + 86400 if is_date else start
    if end < start:
        return None, None, "ends before it starts (DTEND before DTSTART)"
    return start, end, None


def _library_calendar(source: str) -> object:
    """The calendar as ``icalendar`` reads it, with Google's X-WR-TIMEZONE made
    standard by ``x-wr-timezone`` (floating and UTC times in that zone)."""
    import warnings

    import icalendar

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the library's guesses (vendor TZIDs) are not ours
        calendars = icalendar.Calendar.from_ical(source, multiple=True)
        if len(calendars) != 1:
            raise ValueError("the file must hold exactly one VCALENDAR")
        calendar = calendars[0]
        if calendar.get("X-WR-TIMEZONE") is not None:
            import x_wr_timezone

            calendar = x_wr_timezone.to_standard(calendar)
    return calendar
