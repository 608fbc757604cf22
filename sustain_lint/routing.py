"""The routing simulation of ``support-workflow.yaml`` (SL214, SL215).

Every (channel, severity) combination a ticket can have is sent through the
routes in order, first match wins. A route matches a ticket when each condition
it tests (``channel``, ``kind``, ``severity``: a value or a list) includes the
ticket's value; ``when: {}`` or a missing/null ``when`` matches everything. Keys
of ``when`` other than those three are open content and are ignored (they do not
narrow the route). Pure: it reads a parsed document, nothing else.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sustain_lint.documents import TreeDocument

CONDITIONS = ("channel", "kind", "severity")


@dataclasses.dataclass
class Channel:
    index: int
    id: str
    kind: str | None


@dataclasses.dataclass
class Route:
    index: int
    conditions: dict[str, list[str]]  # tested condition -> accepted values
    queue: Any

    def matches(self, channel: Channel, severity: str) -> bool:
        for name, accepted in self.conditions.items():
            value = {"channel": channel.id, "kind": channel.kind, "severity": severity}[name]
            if value not in accepted:
                return False
        return True

    def describe(self) -> str:
        if not self.conditions:
            return "catch-all"
        return ", ".join(f"{k}: {'/'.join(v) if v else '[]'}" for k, v in self.conditions.items())


@dataclasses.dataclass
class Simulation:
    channels: list[Channel]
    severities: list[str]
    routes: list[Route]
    first: dict[tuple[int, str], int | None]  # (channel index, severity) -> route index
    # the indexes that keep the rules linear in the size of the workflow (not channels x
    # severities x routes): channels by id and by kind, and per (kind, severity) which
    # routes take the tickets of that kind
    by_id: dict[str, list[Channel]] = dataclasses.field(default_factory=dict)
    by_kind: dict[str | None, list[Channel]] = dataclasses.field(default_factory=dict)
    takers_by_kind: dict[tuple[str | None, str], set[int | None]] = dataclasses.field(
        default_factory=dict)
    used: set[int] = dataclasses.field(default_factory=set)  # routes that take a ticket

    @property
    def channel_ids(self) -> set[str]:
        return set(self.by_id)

    def reach(self, route: Route) -> tuple[bool, set[int | None]]:
        """Whether ``route`` matches any (channel, severity) ticket, and which routes
        take the tickets it matches (the first match of each)."""
        severities = [s for s in self.severities
                      if "severity" not in route.conditions or s in route.conditions["severity"]]
        if not severities:
            return False, set()
        if "channel" in route.conditions:
            named = {c.index: c for cid in route.conditions["channel"]
                     for c in self.by_id.get(cid, [])}
            pool = list(named.values())
            if "kind" in route.conditions:
                pool = [c for c in pool if c.kind in route.conditions["kind"]]
            takers = {self.first[(c.index, s)] for c in pool for s in severities}
            return bool(pool), takers
        kinds = [k for k in self.by_kind
                 if "kind" not in route.conditions or k in route.conditions["kind"]]
        takers = set().union(*(self.takers_by_kind[(k, s)] for k in kinds for s in severities))
        return bool(kinds), takers


def scalar_text(value: Any) -> str | None:
    """A string (stripped) or a number as text; None for anything else."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _accepted(value: Any) -> list[str]:
    """The values a condition accepts: a scalar or a list of scalars."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        text = scalar_text(item)
        if text is not None:
            out.append(text)
    return out


def channels_of(doc: TreeDocument) -> list[Channel]:
    """The channels that have an id (others are SL003's)."""
    items = doc.get("channels")
    out: list[Channel] = []
    if not isinstance(items, list):
        return out
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        cid = scalar_text(item.get("id"))
        if not cid:
            continue
        kind = item.get("kind")
        out.append(Channel(i, cid, kind.strip() if isinstance(kind, str) else None))
    return out


def severities_of(doc: TreeDocument) -> dict[str, Any]:
    """The ``severities`` mapping, keys stripped (empty when it is not a mapping)."""
    data = doc.get("severities")
    if not isinstance(data, dict):
        return {}
    return {str(k).strip(): v for k, v in data.items()}


def routes_of(doc: TreeDocument) -> list[Route]:
    """Routes whose ``when`` is an object, null or absent (others are SL003's)."""
    items = doc.get("routing")
    out: list[Route] = []
    if not isinstance(items, list):
        return out
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        when = item.get("when")
        if when is not None and not isinstance(when, dict):
            continue
        conditions: dict[str, list[str]] = {}
        for name in CONDITIONS:
            if isinstance(when, dict) and when.get(name) is not None:
                conditions[name] = _accepted(when[name])
        out.append(Route(i, conditions, item.get("queue")))
    return out


def simulate(doc: TreeDocument) -> Simulation:
    """Send every (channel, severity) ticket through the routes: the first that matches.

    Linear in the workflow's size: a route that tests channels is only tried for the
    channels it names, and the first of the other routes depends only on the ticket's
    kind and severity, so it is found once per (kind, severity)."""
    channels = channels_of(doc)
    severities = list(severities_of(doc))
    routes = routes_of(doc)
    by_id: dict[str, list[Channel]] = {}
    by_kind: dict[str | None, list[Channel]] = {}
    for channel in channels:
        by_id.setdefault(channel.id, []).append(channel)
        by_kind.setdefault(channel.kind, []).append(channel)
    generic = [r for r in routes if "channel" not in r.conditions]
    specific: dict[str, list[Route]] = {}
    for route in routes:
        for cid in dict.fromkeys(route.conditions.get("channel", ())):
            specific.setdefault(cid, []).append(route)
    first_generic: dict[tuple[str | None, str], int | None] = {}
    first: dict[tuple[int, str], int | None] = {}
    takers_by_kind: dict[tuple[str | None, str], set[int | None]] = {
        (kind, sev): set() for kind in by_kind for sev in severities}
    for channel in channels:
        named = specific.get(channel.id, ())
        for sev in severities:
            key = (channel.kind, sev)
            if key not in first_generic:
                first_generic[key] = next(
                    (r.index for r in generic if r.matches(channel, sev)), None)
            found = next((r.index for r in named if r.matches(channel, sev)), None)
            general = first_generic[key]
            taker = general if found is None else found if general is None else min(found, general)
            first[(channel.index, sev)] = taker
            takers_by_kind[key].add(taker)
    used = {t for t in first.values() if t is not None}
    return Simulation(channels, severities, routes, first, by_id, by_kind, takers_by_kind, used)


__all__ = ["CONDITIONS", "Channel", "Route", "Simulation", "channels_of", "routes_of",
           "scalar_text", "severities_of", "simulate"]
