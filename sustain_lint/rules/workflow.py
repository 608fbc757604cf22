"""SL211-SL216: the support workflow (``support-workflow.yaml``, Gate 2, step 2.2).

Intake channels, the severity matrix, queues and routing. Routing is judged by
simulation (``sustain_lint.routing``): every (channel, severity) combination a
ticket can have is sent through the routes in order, first match wins.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sustain_lint.artifacts import CHARTER, WORKFLOW
from sustain_lint.context import Context
from sustain_lint.documents import MarkdownDocument, TreeDocument, pointer
from sustain_lint.model import Problem, Rule, Severity
from sustain_lint.names import is_placeholder
from sustain_lint.routing import Route, Simulation, channels_of, scalar_text, severities_of, simulate
from sustain_lint.rules._common import SEVERITIES, charter_sla
from sustain_lint.values import duration_hint, parse_duration

REQUIRED_KINDS = ("bug-report", "enhancement-request", "operational-alert")
KINDS = (*REQUIRED_KINDS, "other")

_WHY_WORKFLOW = ("Protocol 18, step 2.2 (Configure Ticket Workflow): \"Define intake channels, "
                 "prioritization, and routing rules for support issues\"; halt condition: "
                 "\"Workflow automation fails validation\". Gate 2 criterion: \"Runbooks "
                 "consolidated, workflow configured, reporting spec drafted.\"")
_WHY_MISCONFIG = (" The protocol's WorkflowMisconfiguration error: \"Support workflow automation "
                  "failed validation\"; recovery: \"Correct configuration, rerun automation, "
                  "validate routing rules.\"")


def _sev_label(key: str, entry: Any) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"{key} ({name.strip()})" if isinstance(name, str) and name.strip() else key


# --- SL211 -----------------------------------------------------------------

_KIND_EXAMPLE = {
    "bug-report": "{id: bugs, kind: bug-report, source: GitHub Issues, form: [summary, impact, "
                  "steps]}",
    "enhancement-request": "{id: ideas, kind: enhancement-request, source: Product board, "
                           "form: [summary, value]}",
    "operational-alert": "{id: alerts, kind: operational-alert, source: PagerDuty}",
}


def check_channels(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(WORKFLOW, TreeDocument)
    if doc is None or not isinstance(doc.data, dict):
        return
    kinds = {c.kind for c in channels_of(doc) if c.kind}
    where = doc.locate(pointer("channels"))
    for kind in REQUIRED_KINDS:
        if kind not in kinds:
            yield Problem(
                WORKFLOW,
                f"{WORKFLOW} has no intake channel of kind `{kind}`; add one to `channels`, "
                f"e.g. `- {_KIND_EXAMPLE[kind]}`",
                where,
            )


SL211 = Rule(
    code="SL211",
    name="intake-channel-missing",
    gate=2,
    severity=Severity.ERROR,
    summary="No intake channel of kind bug-report, enhancement-request or operational-alert",
    what="`channels` in `support-workflow.yaml` holds at least one channel of each kind "
    "`bug-report`, `enhancement-request` and `operational-alert` (`other` channels are "
    "welcome but do not count). One finding per missing kind, at `channels`.",
    why=_WHY_WORKFLOW + " Defects, requests and alerts each need a way in; a kind without a "
    "channel arrives by e-mail to whoever is around, and is lost.",
    fix="Add a channel of the missing kind with its source (the tool people use) and the "
    "form fields it asks for.",
    example=("support-workflow.yaml:2:1: SL211 [error] support-workflow.yaml"
             " has no intake channel of kind `enhancement-request`; add one"
             " to `channels`, e.g. `- {id: ideas, kind: enhancement-request,"
             " source: Product board, form: [summary, value]}`\n"
             "\n"
             "What passes:\n")
            + ("channels:\n  - {id: bugs, kind: bug-report, source: GitHub Issues}\n"
    "  - {id: ideas, kind: enhancement-request, source: Product board}\n"
    "  - {id: alerts, kind: operational-alert, source: PagerDuty}"),
    check=check_channels,
)


# --- SL212 -----------------------------------------------------------------

def _example_entry(ctx: Context, level: str) -> str:
    target = ctx.policy.targets.get(level)
    response = target.response if target else "4h"
    resolution = target.resolution if target else "72h"
    return f"{level}: {{name: ..., response: {response}, resolution: {resolution}, owner: ...}}"


def _targets_of(entry: dict[str, Any]) -> dict[str, float]:
    """A level's response and resolution in minutes, those that are given and parse."""
    values: dict[str, float] = {}
    for field in ("response", "resolution"):
        value = entry.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        minutes = parse_duration(value)
        if minutes is not None:
            values[field] = minutes
    return values


def _level_undefined(ctx: Context, doc: TreeDocument, level: str,
                     keys: dict[str, Any]) -> Iterator[Problem]:
    """A level of P1-P4 that ``severities`` does not define, or not as a mapping."""
    hint = ""
    near = [k for k in keys if k.upper() == level and k != level]
    if near:
        hint = f" (found `{near[0]}`: severity keys are written in capitals)"
    where = (doc.locate(pointer("severities", str(keys[level]))) if level in keys
             else doc.locate(pointer("severities")))
    what = "is not defined" if level not in keys else "is not a mapping"
    yield Problem(
        WORKFLOW,
        f"severity {level} {what} in `severities`{hint}; the matrix needs P1-P4, "
        f"each with response and resolution targets: add `{_example_entry(ctx, level)}`",
        where,
    )


def _target_missing(ctx: Context, doc: TreeDocument, level: str, entry: dict[str, Any],
                    key: str, values: dict[str, float]) -> Iterator[Problem]:
    """A level whose response or resolution is missing or not a duration."""
    label = _sev_label(level, entry)
    for field in ("response", "resolution"):
        if field in values:
            continue
        value = entry.get(field)
        target = ctx.policy.targets.get(level)
        suggestion = (getattr(target, field) if target else "4h")
        if value is None or (isinstance(value, str) and not value.strip()):
            yield Problem(
                WORKFLOW,
                f"severity {label} has no `{field}` target; add `{field}: {suggestion}` "
                "(a duration such as 15m, 4h, 3d, 2w), matching the charter's "
                "service-level table",
                doc.locate(pointer("severities", key)),
            )
        else:
            yield Problem(
                WORKFLOW,
                f"severity {label} has `{field}: {value}`, which is not a duration"
                f"{duration_hint(value)}; write one such as {suggestion} (15m, 4h, 3d, 2w, "
                "15 minutes or PT15M)",
                doc.locate(pointer("severities", key, field)),
            )


def _response_over_resolution(doc: TreeDocument, level: str, entry: dict[str, Any],
                              key: str, values: dict[str, float]) -> Iterator[Problem]:
    """A level whose response target is longer than its resolution target."""
    if "response" in values and "resolution" in values \
            and values["response"] > values["resolution"]:
        yield Problem(
            WORKFLOW,
            f"severity {_sev_label(level, entry)} has response {entry.get('response')} longer "
            f"than its resolution {entry.get('resolution')}; a ticket cannot be resolved "
            "before it is answered: shorten the response target or lengthen the resolution "
            "target",
            doc.locate(pointer("severities", key, "response")),
        )


def _targets_out_of_order(doc: TreeDocument, sevs: dict[str, Any], keys: dict[str, Any],
                          parsed: dict[str, dict[str, float]]) -> Iterator[Problem]:
    """A level whose target is shorter than a more severe level's (P1 <= P2 <= P3 <= P4)."""
    for field in ("response", "resolution"):
        previous: tuple[str, float, str] | None = None
        for level in SEVERITIES:
            minutes = parsed.get(level, {}).get(field)
            if minutes is None:
                continue
            text = str(sevs[level].get(field)).strip()
            if previous is not None and minutes < previous[1]:
                yield Problem(
                    WORKFLOW,
                    f"severity {level} has {field} {text}, shorter than {previous[0]}'s "
                    f"{previous[2]}; targets must be ordered P1 <= P2 <= P3 <= P4 (a more "
                    f"severe ticket never waits longer): give {level} a {field} of at least "
                    f"{previous[2]}, or tighten {previous[0]}",
                    doc.locate(pointer("severities", str(keys[level]), field)),
                )
            previous = (level, minutes, text)


def check_matrix(ctx: Context) -> Iterator[Problem]:
    """SL212: each level's problems in the order P1-P4, then the ordering of the targets."""
    doc = ctx.doc(WORKFLOW, TreeDocument)
    if doc is None or not isinstance(doc.data, dict):
        return
    sevs = severities_of(doc)
    raw = doc.get("severities")
    keys = {str(k).strip(): k for k in raw} if isinstance(raw, dict) else {}
    parsed: dict[str, dict[str, float]] = {}
    for level in SEVERITIES:
        entry = sevs.get(level)
        if not isinstance(entry, dict):
            yield from _level_undefined(ctx, doc, level, keys)
            continue
        key = str(keys[level])
        parsed[level] = values = _targets_of(entry)
        yield from _target_missing(ctx, doc, level, entry, key, values)
        yield from _response_over_resolution(doc, level, entry, key, values)
    yield from _targets_out_of_order(doc, sevs, keys, parsed)


SL212 = Rule(
    code="SL212",
    name="severity-matrix-incomplete",
    gate=2,
    severity=Severity.ERROR,
    summary="P1-P4 not all defined with response and resolution, response > resolution, or "
    "targets out of order",
    what="`severities` defines P1, P2, P3 and P4 (keys in capitals), each with a `response` "
    "and a `resolution` that parse as durations; no level's response is longer than its "
    "resolution; and the targets are ordered P1 <= P2 <= P3 <= P4, response and resolution "
    "each compared among the levels whose values parse (each level against the nearest "
    "more severe level with a parseable value). Extra levels (P5, ...) are allowed.",
    why=_WHY_WORKFLOW + " Prioritization is the severity matrix: a level without targets, "
    "or a P2 that must be answered faster than a P1, cannot be configured in a ticketing "
    "tool and makes on-call choose the wrong ticket first.",
    fix="Write all four levels with durations (15m, 4h, 3d, 2w), keep each response within "
    "its resolution, and loosen targets as severity drops. Keep them equal to the charter's "
    "service-level table (SL216).",
    example=("support-workflow.yaml:14:1: SL212 [error] severity P4 is not "
             "defined in `severities`; the matrix needs P1-P4, each with response"
             " and resolution targets: add `P4: {name: ..., response: 24h, "
             "resolution: 2w, owner: ...}`\n"
             "\n"
             "What passes:\n")
            + ("severities:\n  P1: {name: Critical, response: 15m, resolution: 4h, owner: L2 "
    "On-call Engineer}\n  P2: {name: High, response: 1h, resolution: 24h, owner: L2 On-call "
    "Engineer}\n  P3: {name: Medium, response: 4h, resolution: 72h, owner: L1 Support}\n"
    "  P4: {name: Low, response: 24h, resolution: 2w, owner: L1 Support}"),
    check=check_matrix,
)


# --- SL213 -----------------------------------------------------------------

def check_severity_owner(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(WORKFLOW, TreeDocument)
    if doc is None:
        return
    raw = doc.get("severities")
    if not isinstance(raw, dict):
        return
    for key, entry in raw.items():
        if not isinstance(entry, dict):
            continue  # SL212 / SL003
        owner = entry.get("owner")
        if not is_placeholder(owner):
            continue
        level = str(key).strip()
        label = _sev_label(level, entry)
        stress = (" P1 tickets are the ones that cannot wait for someone to volunteer."
                  if level == "P1" else "")
        if "owner" in entry and owner is not None:
            where = doc.locate(pointer("severities", str(key), "owner"))
            state = f"has the placeholder owner '{owner}'"
        elif "owner" in entry:
            where = doc.locate(pointer("severities", str(key), "owner"))
            state = "has an empty owner"
        else:
            where = doc.locate(pointer("severities", str(key)))
            state = "has no owner"
        yield Problem(
            WORKFLOW,
            f"severity {label} {state}; write `owner:` with the role or person accountable "
            f"for {level} tickets, as named in capacity-analysis.csv (e.g. L2 On-call "
            f"Engineer).{stress}",
            where,
        )


SL213 = Rule(
    code="SL213",
    name="severity-owner-missing",
    gate=2,
    severity=Severity.ERROR,
    summary="A severity level has no owner",
    what="Every level of `severities` (P1 above all) has an `owner` that is not missing, "
    "empty or a placeholder (TBD, n/a, -, unassigned, ...). The finding points at the "
    "`owner` key, or at the level when the key is absent. Whether the owner is on the "
    "capacity roster is SL005's job.",
    why=_WHY_WORKFLOW + " The protocol's primary guardrail: \"Do not finalize maintenance "
    "planning without defined ownership, response processes, backlog intake, and capacity "
    "commitments.\" A P1 without an owner is a page nobody answers.",
    fix="Name the role or person accountable for the level's tickets, as it appears in "
    "capacity-analysis.csv.",
    example=("support-workflow.yaml:15:55: SL213 [error] severity P1 (Critical)"
             " has the placeholder owner 'TBD'; write `owner:` with the role"
             " or person accountable for P1 tickets, as named in capacity-analysis.csv"
             " (e.g. L2 On-call Engineer). P1 tickets are the ones that cannot"
             " wait for someone to volunteer.\n"
             "\n"
             "What passes:\n")
            + ("severities:\n  P1: {name: Critical, response: 15m, resolution: 4h, "
    "owner: L2 On-call Engineer}"),
    check=check_severity_owner,
)


# --- SL214 / SL215: routing, simulated by sustain_lint.routing ------------

def _unknown_values(route: Route, sim: Simulation) -> dict[str, list[str]]:
    known = {
        "channel": sim.channel_ids,
        "kind": set(KINDS),
        "severity": set(sim.severities),
    }
    out: dict[str, list[str]] = {}
    for name, accepted in route.conditions.items():
        bad = [v for v in accepted if v not in known[name]]
        if bad:
            out[name] = bad
    return out


def _route_label(route: Route) -> str:
    queue = scalar_text(route.queue)
    return f"routing[{route.index}]" + (f" (to queue '{queue}')" if queue else "")


_ROUTE_HINT = ("add a route for it, or end `routing` with a catch-all "
               "`- {when: {}, queue: triage}` (first match wins)")


def _queue_ids(doc: TreeDocument) -> list[str]:
    """The ids of the queues in ``queues``, in order."""
    queues = doc.get("queues")
    ids: list[str] = []
    if not isinstance(queues, list):
        return ids
    for queue in queues:
        if isinstance(queue, dict):
            qid = scalar_text(queue.get("id"))
            if qid:
                ids.append(qid)
    return ids


def _queue_without_owner(doc: TreeDocument) -> Iterator[Problem]:
    """Queues whose ``owner`` is missing or a placeholder."""
    queues = doc.get("queues")
    if not isinstance(queues, list):
        return
    for i, queue in enumerate(queues):
        if not isinstance(queue, dict):
            continue
        owner = queue.get("owner")
        if not is_placeholder(owner):
            continue
        qid = scalar_text(queue.get("id"))
        name = f"queue '{qid}'" if qid else f"queues[{i}]"
        state = (f"has the placeholder owner '{owner}'" if isinstance(owner, str)
                 and owner.strip() else "has no owner")
        where = doc.locate(pointer("queues", i, "owner") if "owner" in queue
                           else pointer("queues", i))
        yield Problem(
            WORKFLOW,
            f"{name} {state}; write `owner:` with the role or person who works the "
            "queue, as named in capacity-analysis.csv (e.g. Support Lead)",
            where,
        )


def _route_to_undefined_queue(doc: TreeDocument, route: Route,
                              queue_ids: list[str]) -> Iterator[Problem]:
    """A route whose ``queue`` is empty or not the id of a queue in ``queues``."""
    queue = route.queue
    if not isinstance(queue, str) or queue.strip() in queue_ids:
        return
    name = queue.strip()
    target = (f"one of the defined queues ({', '.join(queue_ids)})" if queue_ids
              else "a queue defined in `queues` (none is defined)")
    what = (f"sends tickets to queue '{name}', which is not defined in `queues`"
            if name else "has an empty `queue`")
    add = f"`- {{id: {name or 'QUEUE'}, owner: ...}}`"
    yield Problem(
        WORKFLOW,
        f"routing[{route.index}] {what}; route to {target}, or add {add} to `queues`",
        doc.locate(pointer("routing", route.index, "queue")),
    )


def _route_tests_unknown(doc: TreeDocument, route: Route, sim: Simulation) -> Iterator[Problem]:
    """A route testing a channel id, kind or severity that the file does not define."""
    for name, bad in _unknown_values(route, sim).items():
        if name == "channel":
            allowed = ", ".join(c.id for c in sim.channels) or "(no channel defined)"
            what = "channel id"
        elif name == "severity":
            allowed = ", ".join(sim.severities) or "(no severity defined)"
            what = "severity"
        else:
            allowed = ", ".join(KINDS)
            what = "channel kind"
        for value in bad:
            yield Problem(
                WORKFLOW,
                f"routing[{route.index}] tests {name} '{value}', which is not a defined "
                f"{what}, so it never matches on it; write one of: {allowed}",
                doc.locate(pointer("routing", route.index, "when", name)),
            )


def _unrouted_severities(sim: Simulation) -> list[str]:
    """The severities for which no channel's tickets reach a route."""
    return [s for s in sim.severities
            if all(sim.first[(c.index, s)] is None for c in sim.channels)]


def _severity_unreached(doc: TreeDocument, unrouted: list[str]) -> Iterator[Problem]:
    """Severities that no ticket of any channel routes (``unrouted``)."""
    sevs = severities_of(doc)
    raw = doc.get("severities")
    raw_keys = {str(k).strip(): str(k) for k in raw} if isinstance(raw, dict) else {}
    for sev in unrouted:
        yield Problem(
            WORKFLOW,
            f"severity {_sev_label(sev, sevs.get(sev))} is reached by no route: no ticket of "
            f"severity {sev} from any channel matches a route in `routing`; {_ROUTE_HINT}",
            doc.locate(pointer("severities", raw_keys.get(sev, sev))),
        )


def _channel_unreached(doc: TreeDocument, sim: Simulation,
                       unrouted: list[str]) -> Iterator[Problem]:
    """Channels whose tickets reach no route, at all or for some severities not in ``unrouted``."""
    for channel in sim.channels:
        missing = [s for s in sim.severities if sim.first[(channel.index, s)] is None]
        kind = f" (kind {channel.kind})" if channel.kind else ""
        where = doc.locate(pointer("channels", channel.index))
        if len(missing) == len(sim.severities):
            yield Problem(
                WORKFLOW,
                f"channel '{channel.id}'{kind} is reached by no route: none of its tickets "
                f"matches a route in `routing`; {_ROUTE_HINT}",
                where,
            )
            continue
        partial = [s for s in missing if s not in unrouted]
        if partial:
            yield Problem(
                WORKFLOW,
                f"channel '{channel.id}'{kind} is not routed for severity "
                f"{', '.join(partial)}: such tickets match no route in `routing`; {_ROUTE_HINT}",
                where,
            )


def check_routing(ctx: Context) -> Iterator[Problem]:
    """SL214: queue owners, then each route's queue and conditions, then unrouted tickets."""
    doc = ctx.doc(WORKFLOW, TreeDocument)
    if doc is None or not isinstance(doc.data, dict):
        return
    sim = simulate(doc)
    yield from _queue_without_owner(doc)
    queue_ids = _queue_ids(doc)
    for route in sim.routes:
        yield from _route_to_undefined_queue(doc, route, queue_ids)
        yield from _route_tests_unknown(doc, route, sim)
    if not sim.channels or not sim.severities:
        return  # SL211 / SL212 speak; there is no ticket to route
    unrouted = _unrouted_severities(sim)
    yield from _severity_unreached(doc, unrouted)
    yield from _channel_unreached(doc, sim, unrouted)


SL214 = Rule(
    code="SL214",
    name="routing-misconfigured",
    gate=2,
    severity=Severity.ERROR,
    summary="WorkflowMisconfiguration: a route to an undefined queue, an unknown "
    "channel/kind/severity, an unrouted channel or severity, or a queue without owner",
    what="Routing is simulated: every (channel, severity) combination goes through "
    "`routing` in order, first match wins; a route matches when each condition it tests "
    "(`channel` ids, `kind`, `severity`; a value or a list) includes the ticket's value, and "
    "`when: {}` (or no `when`) matches everything. Findings, one per problem: a route's "
    "`queue` is not an `id` in `queues` (at routing/N/queue); a route tests a channel that is "
    "not a channel id, a severity that is not defined in `severities`, or a kind outside "
    "bug-report, enhancement-request, operational-alert, other (at routing/N/when/<key>); a "
    "severity that no ticket of any channel reaches a route with (at severities/PX); a "
    "channel none of whose tickets reaches a route, or whose tickets of some severities do "
    "not (at channels/N); a queue whose `owner` is missing or a placeholder (at the owner, "
    "else the queue).",
    why=_WHY_WORKFLOW + _WHY_MISCONFIG + " A ticket that matches no route, or lands in a "
    "queue nobody owns, waits until a customer complains.",
    fix="Route to a queue that exists, test only values the file defines, give every queue "
    "an owner, and end the routing with a catch-all route so no ticket is dropped.",
    example=("support-workflow.yaml:11:5: SL214 [error] channel 'alerts' (kind"
             " operational-alert) is not routed for severity P3, P4: such tickets"
             " match no route in `routing`; add a route for it, or end `routing`"
             " with a catch-all `- {when: {}, queue: triage}` (first match "
             "wins)\n"
             "\n"
             "What passes:\n")
            + ("routing:\n  - when: {severity: [P1, P2]}\n    queue: oncall\n"
    "  - when: {channel: ideas}\n    queue: product\n  - when: {}   # catch-all\n"
    "    queue: triage"),
    check=check_routing,
)


def check_shadowed(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(WORKFLOW, TreeDocument)
    if doc is None or not isinstance(doc.data, dict):
        return
    sim = simulate(doc)
    if not sim.channels or not sim.severities:
        return
    for route in sim.routes:
        if route.index in sim.used:
            continue
        reaches, taken_by = sim.reach(route)
        where = doc.locate(pointer("routing", route.index))
        if not reaches:
            if _unknown_values(route, sim):
                continue  # SL214 reports the unknown value; one problem, one finding
            yield Problem(
                WORKFLOW,
                f"{_route_label(route)} can never match: no channel and severity satisfy all "
                f"its conditions ({route.describe()}); correct the conditions or delete the "
                "route",
                where,
            )
            continue
        takers = sorted(t for t in taken_by if t is not None and t != route.index)
        names = ", ".join(
            f"routing[{t}] (line {doc.locate(pointer('routing', t)).line})" for t in takers)
        yield Problem(
            WORKFLOW,
            f"{_route_label(route)} is never used: every ticket it matches "
            f"({route.describe()}) is taken first by {names}; first match wins, so move it "
            "above them, narrow them, or delete it",
            where,
        )


SL215 = Rule(
    code="SL215",
    name="routing-unreachable",
    gate=2,
    severity=Severity.WARNING,
    summary="A route that earlier routes fully shadow",
    what="With the routing simulation of SL214, each route receives at least one (channel, "
    "severity) combination: a route every one of whose combinations is taken by earlier "
    "routes is shadowed, and a route whose valid conditions can match no combination at all "
    "(an empty list, a kind no channel has, a channel of another kind) is dead. A route "
    "that matches nothing only because it tests an unknown channel, kind or severity gets "
    "SL214 alone.",
    why=_WHY_WORKFLOW + " A route that never fires is a rule someone believes is in force: "
    "a catch-all placed first silently sends P1 alerts to the triage queue.",
    fix="Move the specific route above the broader one that shadows it, narrow the broader "
    "route, or delete the dead route.",
    example=("support-workflow.yaml:26:5: SL215 [warning] routing[1] (to queue"
             " 'oncall') is never used: every ticket it matches (channel: bugs,"
             " severity: P1) is taken first by routing[0] (line 24); first "
             "match wins, so move it above them, narrow them, or delete it"),
    check=check_shadowed,
)


# --- SL216 -----------------------------------------------------------------

def check_sla_mismatch(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(WORKFLOW, TreeDocument)
    charter = ctx.doc(CHARTER, MarkdownDocument)
    if doc is None or charter is None:
        return
    raw = doc.get("severities")
    if not isinstance(raw, dict):
        return
    sla = charter_sla(charter)
    for key, entry in raw.items():
        level = str(key).strip()
        row = sla.get(level)
        if row is None or not isinstance(entry, dict):
            continue
        for field, theirs_text, theirs in (
                ("response", row.response, row.response_minutes),
                ("resolution", row.resolution, row.resolution_minutes)):
            mine = parse_duration(entry.get(field))
            if mine is None or theirs is None or abs(mine - theirs) < 1e-9:
                continue
            yield Problem(
                WORKFLOW,
                f"severity {level} has {field} {str(entry.get(field)).strip()} but the "
                f"charter's service-level table says {theirs_text} ({CHARTER} line "
                f"{row.line}: {level} | {row.response} | {row.resolution}); make them "
                f"agree: write `{field}: {theirs_text}`, or change the charter (and have it "
                "approved again)",
                doc.locate(pointer("severities", str(key), field)),
            )


SL216 = Rule(
    code="SL216",
    name="sla-mismatch",
    gate=2,
    severity=Severity.ERROR,
    summary="SLAConflict: severity-matrix targets differ from the charter's service-level "
    "table",
    what="For each severity defined both in `support-workflow.yaml` and in the charter's "
    "service-level table with parseable targets, the `response` and the `resolution` are "
    "equal, compared in minutes (`1h` equals `60m`). One finding per differing value, at "
    "that key in support-workflow.yaml; the message gives both values and the charter line. "
    "Silent when the charter is missing or unreadable (SL001/SL002 speak) or has no "
    "service-level table (SL102 speaks).",
    why=_WHY_WORKFLOW + " The protocol's SLAConflict error: \"Proposed maintenance SLAs "
    "conflict with available capacity\"; recovery: \"negotiate revised SLAs\". The ticketing "
    "tool enforces the matrix, customers were promised the charter: when they differ, one "
    "of them is a promise nobody keeps.",
    fix="Copy the charter's approved targets into the matrix, or, if the charter is wrong, "
    "change and re-approve the charter first.",
    example=("support-workflow.yaml:15:24: SL216 [error] severity P1 has response"
             " 30m but the charter's service-level table says 15m (maintenance-charter.md"
             " line 22: P1 | 15m | 4h); make them agree: write `response: 15m`,"
             " or change the charter (and have it approved again)"),
    check=check_sla_mismatch,
)

RULES: tuple[Rule, ...] = (SL211, SL212, SL213, SL214, SL215, SL216)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)

__all__ = ["READS", "RULES"]
