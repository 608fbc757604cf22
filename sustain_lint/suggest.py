""""Did you mean": the close member of a known set for a value that is not one of
them (an enumeration value, a header, a key, a file name, a rule code or name, a
command-line option, a time zone).

The standard library's ``difflib`` does the matching (see
docs/decisions/hints.md): the sets are small (a handful to a few hundred
members), and a hint is only computed for a value that is already a finding, so
the work is bounded by ``MAX_LEN`` and by the number of findings (itself capped:
``limits``), not by the size of the files; a time zone's hint is cached, as the
same zone is written on many rows. A time-zone abbreviation (``PST``) is no misspelling: it maps
to the IANA zones it usually means, with its ambiguity said (``ZONE_ABBREVIATIONS``)."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable

# the longest value each kind of hint looks at: a longer one is no misspelling, and gets no
# hint at no cost whatever is written (the bounds of every "did you mean" in one place)
MAX_LEN = 64  # a name of a known set: an enumeration value, a header, a key, a file ...
MAX_DURATION_LEN = 40  # a duration (``values.suggest_duration``)
MAX_OWNER_LEN = 300  # an owner value, a name or a list of them (``rules.owners``)
CUTOFF = 0.6

_SEPARATORS = re.compile(r"[\s_\-./]+")


def _key(text: str) -> str:
    """What is compared: case, blanks and separators aside (``In Progress``,
    ``in_progress`` and ``in-progress`` are one spelling)."""
    return _SEPARATORS.sub("-", text.strip().lower()).strip("-")


def close_match(value: str, choices: Iterable[str], cutoff: float = CUTOFF) -> str | None:
    """The member of ``choices`` closest to ``value``, or None when none is close (or
    ``value`` is one of them, or too long to be a misspelling)."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_LEN:
        return None
    members = [c for c in choices if isinstance(c, str)]
    if value in members:
        return None
    keyed: dict[str, str] = {}
    for member in members:
        keyed.setdefault(_key(member), member)
    key = _key(value)
    if key in keyed:  # the same words, spelt with other case or separators
        return keyed[key]
    found = difflib.get_close_matches(key, list(keyed), n=1, cutoff=cutoff)
    if found:
        return keyed[found[0]]
    if len(key) >= 3:  # a name cut short: min_l2 for min_l2_rotation
        starts = [m for k, m in keyed.items() if k.startswith(key)]
        if len(starts) == 1:
            return starts[0]
    return None


# the words people write for a value of a known set, by the value they mean: a synonym
# is no misspelling (``done`` for ``closed``), so it is looked up, not matched
SYNONYMS: dict[str, tuple[str, ...]] = {
    "closed": ("done", "complete", "completed", "resolved", "met", "fixed", "finished",
               "fulfilled", "satisfied"),
    "open": ("pending", "todo", "to do", "new", "outstanding", "not started"),
    "in-progress": ("wip", "ongoing", "started", "doing", "in work", "underway"),
    "done": ("complete", "completed", "finished", "closed", "resolved", "fixed"),
    "active": ("live", "enabled", "on", "running"),
    "cancelled": ("canceled", "dropped", "abandoned"),
}


def enum_match(value: str, choices: Iterable[str]) -> str | None:
    """The member of ``choices`` that ``value`` means: a synonym of a member
    (``done`` for ``closed``, when ``done`` is not itself a member), else the close
    spelling (``in progress`` for ``in-progress``)."""
    if not isinstance(value, str):
        return None
    members = [c for c in choices if isinstance(c, str)]
    if value in members:
        return None
    key = _key(value)
    for member in members:
        if any(_key(word) == key for word in SYNONYMS.get(member, ())):
            return member
    return close_match(value, members)


def did_you_mean(value: str, choices: Iterable[str], quote: str = "`") -> str:
    """`` (did you mean `x`?)`` for a close member, or ""."""
    found = close_match(value, choices)
    return f" (did you mean {quote}{found}{quote}?)" if found is not None else ""


# The abbreviations people write for a time zone, and the IANA zones they usually mean
# (first: the most likely one). An abbreviation names an offset, not a zone (no daylight
# saving rule), and several name more than one offset: IST is India, Ireland and Israel.
ZONE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "PST": ("America/Los_Angeles",), "PDT": ("America/Los_Angeles",),
    "PT": ("America/Los_Angeles",),
    "MST": ("America/Denver", "America/Phoenix"), "MDT": ("America/Denver",),
    "MT": ("America/Denver",),
    "CST": ("America/Chicago", "Asia/Shanghai", "America/Havana"),
    "CDT": ("America/Chicago",), "CT": ("America/Chicago",),
    "EST": ("America/New_York",), "EDT": ("America/New_York",), "ET": ("America/New_York",),
    "AKST": ("America/Anchorage",), "HST": ("Pacific/Honolulu",),
    "GMT": ("Europe/London", "UTC"), "BST": ("Europe/London", "Asia/Dhaka"),
    "WET": ("Europe/Lisbon",), "CET": ("Europe/Berlin", "Europe/Paris"),
    "CEST": ("Europe/Berlin", "Europe/Paris"), "EET": ("Europe/Helsinki", "Europe/Athens"),
    "EEST": ("Europe/Helsinki", "Europe/Athens"), "MSK": ("Europe/Moscow",),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "JST": ("Asia/Tokyo",), "KST": ("Asia/Seoul",), "SGT": ("Asia/Singapore",),
    "HKT": ("Asia/Hong_Kong",), "AEST": ("Australia/Sydney", "Australia/Brisbane"),
    "AEDT": ("Australia/Sydney",), "ACST": ("Australia/Adelaide", "Australia/Darwin"),
    "AWST": ("Australia/Perth",), "NZST": ("Pacific/Auckland",),
    "NZDT": ("Pacific/Auckland",), "BRT": ("America/Sao_Paulo",),
    "ART": ("America/Argentina/Buenos_Aires",), "SAST": ("Africa/Johannesburg",),
    "WAT": ("Africa/Lagos",), "EAT": ("Africa/Nairobi",), "PKT": ("Asia/Karachi",),
    "ICT": ("Asia/Bangkok",), "WIB": ("Asia/Jakarta",), "PHT": ("Asia/Manila",),
    "GST": ("Asia/Dubai",),
}


@functools.lru_cache(maxsize=1024)  # a zone is written the same way on many rows
def zone_hint(value: str) -> str:
    """What to write for a time zone that is no IANA name: for an abbreviation, the
    zone(s) it usually means and that an abbreviation is ambiguous or ignores daylight
    saving; for a misspelt zone, the close IANA name; otherwise ""."""
    text = value.strip() if isinstance(value, str) else ""
    zones = ZONE_ABBREVIATIONS.get(text.upper())
    if zones:
        if len(zones) == 1:
            return (f"did you mean {zones[0]}? ({text} is an abbreviation: it names an "
                    "offset, not the zone, whose daylight saving it ignores)")
        others = ", ".join(zones[1:])
        return (f"did you mean {zones[0]}? ({text} is ambiguous: it also stands for "
                f"{others}; write the IANA zone you mean)")
    if not text or len(text) > MAX_LEN:
        return ""
    area = text.replace("\\", "/").split("/")[0].strip().lower()
    found = close_match(text, _zones_like(area, "/" in text))
    return f"did you mean {found}?" if found else ""


@functools.cache
def _zones_like(area: str, has_area: bool) -> tuple[str, ...]:
    """The IANA names a misspelling of ``text`` could be: those of its area
    (``Europe/`` for ``europe/berln``), read from the one folder of the time-zone
    database that holds them; not the whole database (``available_timezones``
    walks every folder of it: 60 ms)."""
    import os
    import zoneinfo

    names = ["UTC"]
    for base in zoneinfo.TZPATH:
        try:
            areas = [a for a in os.listdir(base) if a[:1].isupper()]
        except OSError:
            continue
        for found in areas:
            if found.lower() == area or not has_area and found.lower().startswith(area[:3]):
                try:
                    names.extend(f"{found}/{city}" for city in os.listdir(
                        os.path.join(base, found)) if city[:1].isupper())
                except OSError:  # a zone file, not an area
                    names.append(found)
        break
    return tuple(names)
