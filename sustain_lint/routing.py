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
    """Send every (channel, severity) ticket through the routes: the first that matches."""
    channels = channels_of(doc)
    severities = list(severities_of(doc))
    routes = routes_of(doc)
    first: dict[tuple[int, str], int | None] = {}
    for channel in channels:
        for sev in severities:
            first[(channel.index, sev)] = next(
                (r.index for r in routes if r.matches(channel, sev)), None)
    return Simulation(channels, severities, routes, first)


__all__ = ["CONDITIONS", "Channel", "Route", "Simulation", "channels_of", "routes_of",
           "scalar_text", "severities_of", "simulate"]
