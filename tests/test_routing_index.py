"""The indexed routing simulation (sustain_lint/routing.py) gives what sending every
(channel, severity) ticket through every route gives: the same first route for each
ticket, and for each route the same reach and the same takers, on random workflows."""

from __future__ import annotations

import random

import pytest

from sustain_lint.documents import TreeDocument
from sustain_lint.routing import simulate

KINDS = ("bug-report", "enhancement-request", "operational-alert", "other", None)


def _workflow(rnd: random.Random) -> TreeDocument:
    ids = [f"c{i}" for i in range(rnd.randint(0, 6))]
    channels = [{"id": rnd.choice(ids) if ids and rnd.random() < 0.2 else f"c{i}",
                 **({"kind": k} if (k := rnd.choice(KINDS)) is not None else {})}
                for i in range(len(ids))]
    severities = {f"P{i}": {} for i in range(1, rnd.randint(1, 5))}
    routing = []
    for _ in range(rnd.randint(0, 8)):
        when: dict[str, object] = {}
        if rnd.random() < 0.5 and ids:
            when["channel"] = rnd.sample(ids + ["nope"], rnd.randint(0, 2))
        if rnd.random() < 0.4:
            when["kind"] = rnd.choice([rnd.choice(KINDS[:4]), list(rnd.sample(KINDS[:4], 2))])
        if rnd.random() < 0.5:
            pool = [*severities, "P9"]
            when["severity"] = rnd.sample(pool, rnd.randint(0, min(2, len(pool))))
        routing.append({"when": when, "queue": "q"})
    return TreeDocument({"channels": channels, "severities": severities, "routing": routing}, {})


@pytest.mark.parametrize("seed", range(100))
def test_the_index_agrees_with_every_ticket_through_every_route(seed: int) -> None:
    sim = simulate(_workflow(random.Random(seed)))
    tickets = [(c, s) for c in sim.channels for s in sim.severities]
    for c, s in tickets:
        assert sim.first[(c.index, s)] == next(
            (r.index for r in sim.routes if r.matches(c, s)), None)
    for route in sim.routes:
        matched = [(c.index, s) for c, s in tickets if route.matches(c, s)]
        reaches, takers = sim.reach(route)
        assert reaches == bool(matched)
        assert takers == {sim.first[m] for m in matched}
        assert (route.index in sim.used) == any(sim.first[m] == route.index for m in matched)
