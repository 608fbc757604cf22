"""Findings are capped per rule and file (evidence.md §5, "One cause, one
finding"): a rule reports at most ``MAX_FINDINGS`` findings in one file, then
one finding saying how many more there are.

The engine caps twice: the problems of a set before they become findings (so
that a million problems cost a count, not a million findings), and the findings
the waivers add. Producers that could make many problems from one file (the
schema check, a loader's duplicate keys) build at most ``MAX_BUILT`` of a kind
and then one stand-in (``more``) for the others, counted when counting is cheap,
else uncounted: 300,000 schema errors are never built.

The cap is per rule, file and gate: a rule's findings in one file share a gate,
except the waiver rules', which take the gate of the rule waived; capped per
gate, they cannot change a gate's verdict."""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Callable, Hashable
from typing import TypeVar

from sustain_lint.model import Finding, Location, Problem

MAX_FINDINGS = 100  # per rule, file (and gate): evidence.md §5
MAX_BUILT = 1_000  # problems of one code a producer builds for one file, then counts

T = TypeVar("T")


def more(artifact: str, code: str, count: int | None, location: Location = Location()
         ) -> Problem:
    """The stand-in for ``count`` more problems of ``code`` in ``artifact`` that a
    producer did not build (None: at least one, not counted), the first of them
    at ``location`` when known."""
    return Problem(artifact, "", location, code=code, omitted=count)


def shorten(text: str, limit: int = 1_000) -> str:
    """``text``, or its two ends around an ellipsis when longer than ``limit``: a JSON
    pointer through long keys nested deep is as long as their sum (a place, not data)."""
    if len(text) <= limit:
        return text
    return text[:limit // 2] + "…" + text[-(limit // 2):]


def message(code: str, artifact: str, count: int, exact: bool) -> str:
    amount = f"{count:,}" if exact else f"at least {count:,}"
    plural = "s" if count != 1 or not exact else ""
    return (f"… and {amount} more {code} finding{plural} in {artifact}, not shown (a rule "
            f"reports at most {MAX_FINDINGS} per file): fix the ones shown first, then run again")


def cap_problems(problems: list[Problem], gate_of: Callable[[Problem], int]) -> list[Problem]:
    """At most ``MAX_FINDINGS`` problems per code, file and gate (the first ones in
    the order of the findings: line, column, message), then one saying how many
    more; the stand-ins (``more``) count for the problems they stand for."""
    def key(p: Problem) -> Hashable:
        return (p.code, p.artifact, gate_of(p))

    def order(p: Problem) -> tuple[int, int, str]:
        return (p.location.line or 0, p.location.column or 0, p.message)

    def overflow(first: Problem, group: Hashable, count: int, exact: bool) -> Problem:
        code = first.code or ""
        return Problem(first.artifact, message(code, first.artifact, count, exact),
                       first.location, code=code, gate=gate_of(first))

    return _cap(problems, key, order, lambda p: p.omitted, overflow)


def cap_findings(findings: list[Finding]) -> list[Finding]:
    """``cap_problems`` for findings (those the waivers add)."""
    def key(f: Finding) -> Hashable:
        return (f.rule, f.artifact, f.gate)

    def order(f: Finding) -> tuple[object, ...]:
        return f.sort_key()

    def overflow(first: Finding, group: Hashable, count: int, exact: bool) -> Finding:
        return dataclasses.replace(first, message=message(first.rule, first.artifact, count,
                                                          exact))

    return _cap(findings, key, order, lambda f: 0, overflow)


def _cap(items: list[T], key: Callable[[T], Hashable], order: Callable[[T], tuple[object, ...]],
         omitted: Callable[[T], int | None],
         overflow: Callable[[T, Hashable, int, bool], T]) -> list[T]:
    sizes: dict[Hashable, int] = {}
    stand_ins = False
    for item in items:
        left_out = omitted(item)
        group = key(item)
        sizes[group] = sizes.get(group, 0) + (1 if left_out == 0 else left_out or 1)
        stand_ins = stand_ins or left_out != 0
    over = {group for group, size in sizes.items() if size > MAX_FINDINGS}
    if not over and not stand_ins:
        return items  # the usual case: nothing to cap, the very same list
    members: dict[Hashable, list[int]] = {}
    stand_in: dict[Hashable, list[int]] = {}
    for index, item in enumerate(items):
        group = key(item)
        if omitted(item) != 0:
            stand_in.setdefault(group, []).append(index)
        elif group in over:
            members.setdefault(group, []).append(index)
    dropped: set[int] = set()
    extra: list[T] = []
    for group in sorted(over | set(stand_in), key=repr):
        real = members.get(group, [])
        rank: Callable[[int], tuple[object, ...]] = lambda i: (*order(items[i]), i)  # noqa: E731
        kept = set(heapq.nsmallest(MAX_FINDINGS, real, key=rank))
        left = [i for i in real if i not in kept]
        standing = stand_in.get(group, [])
        dropped.update(left, standing)
        counts = [omitted(items[i]) for i in standing]
        count = len(left) + sum(c or 1 for c in counts)
        if not count:
            continue
        first = min(left + standing, key=rank) if left else min(standing, key=rank)
        extra.append(overflow(items[first], group, count, None not in counts))
    return [item for index, item in enumerate(items) if index not in dropped] + extra

