"""Unit tests of the Gate 2 rules: the routing simulation (SL214/SL215), the
severity matrix (SL212/SL216), runbook locations (SL202) and metric matching
(SL221/SL222). Each builds a Context from text, without the file system."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import pytest

from sustain_lint.context import Context
from sustain_lint.loaders.json_loader import load_json
from sustain_lint.loaders.markdown_loader import load_markdown
from sustain_lint.loaders.yaml_loader import load_yaml
from sustain_lint.model import Problem
from sustain_lint.policy import Policy
from sustain_lint.rules import REGISTRY
from sustain_lint.rules.reporting import METRICS
from sustain_lint.rules.runbooks import location_problem

WF = "support-workflow.yaml"

HEAD = """\
channels:
  - {id: bugs, kind: bug-report}
  - {id: ideas, kind: enhancement-request}
  - {id: alerts, kind: operational-alert}
severities:
  P1: {response: 15m, resolution: 4h, owner: L2 On-call Engineer}
  P2: {response: 1h, resolution: 24h, owner: L2 On-call Engineer}
  P3: {response: 4h, resolution: 72h, owner: L1 Support}
  P4: {response: 24h, resolution: 2w, owner: L1 Support}
queues:
  - {id: oncall, owner: L2 On-call Engineer}
  - {id: triage, owner: Support Lead}
escalation: []
"""

CHARTER = """\
# Charter

## Service levels

| Severity | Response | Resolution |
|---|---|---|
| P1 | 15m | 4h |
| P2 | 1h | 24h |
| P3 | 4h | 72h |
| P4 | 24h | 2w |
"""


def context(files: dict[str, str], exists: set[str] | None = None) -> Context:
    documents: dict[str, Any] = {}
    for name, text in files.items():
        loader = load_json if name.endswith(".json") else (
            load_yaml if name.endswith(".yaml") else load_markdown)
        loaded = loader(textwrap.dedent(text), name)
        assert loaded.document is not None, loaded.problems
        documents[name] = loaded.document
    known = exists or set()
    return Context(documents, {n: "ok" for n in documents}, dt.date(2026, 11, 22), Policy(),
                   lambda rel: rel in known)


def run(code: str, ctx: Context) -> list[Problem]:
    check = REGISTRY[code].check
    assert check is not None
    return list(check(ctx))


def workflow(routing: str, head: str = HEAD) -> Context:
    return context({WF: head + "routing:\n" + textwrap.dedent(routing)})


def pointers(problems: list[Problem]) -> list[str | None]:
    return [p.location.logical for p in problems]


# --- SL214 / SL215 ------------------------------------------------------------

def test_catch_all_routes_everything() -> None:
    ctx = workflow("  - when: {}\n    queue: triage\n")
    assert run("SL214", ctx) == []
    assert run("SL215", ctx) == []


@pytest.mark.parametrize("when", ["when:", "when: null", "when: ~"])
def test_null_when_is_a_catch_all(when: str) -> None:
    ctx = workflow(f"  - {when}\n    queue: triage\n  - when: {{severity: P1}}\n    queue: oncall\n")
    assert run("SL214", ctx) == []
    assert pointers(run("SL215", ctx)) == ["/routing/1"]


def test_unrouted_severities_and_channels() -> None:
    ctx = workflow("  - when: {severity: [P1, P2]}\n    queue: oncall\n")
    assert pointers(run("SL214", ctx)) == ["/severities/P3", "/severities/P4"]


def test_channel_partly_unrouted_is_reported_at_the_channel() -> None:
    ctx = workflow("  - when: {severity: [P1, P2]}\n    queue: oncall\n"
                   "  - when: {channel: [bugs, ideas]}\n    queue: triage\n")
    problems = run("SL214", ctx)
    assert pointers(problems) == ["/channels/2"]
    assert "P3, P4" in problems[0].message


def test_channel_never_routed() -> None:
    ctx = workflow("  - when: {kind: [bug-report, enhancement-request]}\n    queue: triage\n")
    assert pointers(run("SL214", ctx)) == ["/channels/2"]
    assert "reached by no route" in run("SL214", ctx)[0].message


def test_unknown_values_and_undefined_queue() -> None:
    ctx = workflow("  - when: {channel: [bugs, typo], severity: P9, kind: incident}\n"
                   "    queue: nowhere\n  - when: {}\n    queue: triage\n")
    got = sorted(pointers(run("SL214", ctx)), key=str)
    assert got == ["/routing/0/queue", "/routing/0/when/channel", "/routing/0/when/kind",
                   "/routing/0/when/severity"]


def test_route_matching_nothing_by_unknown_value_is_sl214_only() -> None:
    ctx = workflow("  - when: {channel: typo}\n    queue: oncall\n  - when: {}\n    queue: triage\n")
    assert pointers(run("SL214", ctx)) == ["/routing/0/when/channel"]
    assert run("SL215", ctx) == []


def test_dead_route_with_valid_values_is_sl215() -> None:
    ctx = workflow("  - when: {channel: bugs, kind: operational-alert}\n    queue: oncall\n"
                   "  - when: {}\n    queue: triage\n")
    assert run("SL214", ctx) == []
    problems = run("SL215", ctx)
    assert pointers(problems) == ["/routing/0"]
    assert "can never match" in problems[0].message


def test_shadowed_by_several_earlier_routes() -> None:
    ctx = workflow("  - when: {severity: [P1, P2]}\n    queue: oncall\n"
                   "  - when: {severity: [P3, P4]}\n    queue: triage\n"
                   "  - when: {channel: alerts, severity: [P2, P3]}\n    queue: oncall\n")
    problems = run("SL215", ctx)
    assert pointers(problems) == ["/routing/2"]
    assert "routing[0]" in problems[0].message and "routing[1]" in problems[0].message


def test_partial_overlap_is_not_shadowed() -> None:
    ctx = workflow("  - when: {severity: P1}\n    queue: oncall\n"
                   "  - when: {channel: alerts}\n    queue: oncall\n"
                   "  - when: {}\n    queue: triage\n")
    assert run("SL215", ctx) == []


def test_queue_owner_placeholder() -> None:
    head = HEAD.replace("{id: triage, owner: Support Lead}", "{id: triage, owner: TBD}")
    head = head.replace("{id: oncall, owner: L2 On-call Engineer}", "{id: oncall}")
    ctx = workflow("  - when: {}\n    queue: triage\n", head)
    assert sorted(pointers(run("SL214", ctx)), key=str) == ["/queues/0", "/queues/1/owner"]


@pytest.mark.parametrize("text", [
    "routing: 5\n", "routing: [null, 3, {when: [a], queue: 1}, {when: {severity: {a: 1}}}]\n",
    "channels: x\nseverities: [1]\nqueues: {a: 1}\nrouting: [{when: {channel: [1, null]}}]\n",
])
def test_malformed_shapes_never_raise(text: str) -> None:
    ctx = context({WF: text, "maintenance-charter.md": CHARTER})
    for code in ("SL211", "SL212", "SL213", "SL214", "SL215", "SL216"):
        run(code, ctx)


# --- SL212 / SL216 ------------------------------------------------------------

def matrix(sev: str) -> Context:
    head = (HEAD.split("severities:")[0] + "severities:\n"
            + textwrap.indent(textwrap.dedent(sev), "  ")
            + "queues: []\nescalation: []\nrouting: []\n")
    return context({WF: head, "maintenance-charter.md": CHARTER})


def test_ordering_compares_only_parseable_values() -> None:
    ctx = matrix("""\
      P1: {response: 15m, resolution: 4h}
      P2: {response: soon, resolution: 24h}
      P3: {response: 10m, resolution: 72h}
      P4: {response: 24h, resolution: 2w}
    """)
    got = [(p.location.logical, "shorter" in p.message) for p in run("SL212", ctx)]
    assert got == [("/severities/P2/response", False), ("/severities/P3/response", True)]


def test_response_longer_than_resolution() -> None:
    ctx = matrix("""\
      P1: {response: 15m, resolution: 4h}
      P2: {response: 1h, resolution: 24h}
      P3: {response: 4d, resolution: 3d}
      P4: {response: 4d, resolution: 2w}
    """)
    assert pointers(run("SL212", ctx)) == ["/severities/P3/response"]


def test_sla_compared_in_minutes() -> None:
    ctx = matrix("""\
      P1: {response: 15 minutes, resolution: PT4H}
      P2: {response: 60m, resolution: 1d}
      P3: {response: 240m, resolution: 3d}
      P4: {response: 1d, resolution: 1w}
    """)
    problems = run("SL216", ctx)
    assert pointers(problems) == ["/severities/P4/resolution"]
    assert "1w" in problems[0].message and "2w" in problems[0].message


def test_sla_silent_without_charter() -> None:
    ctx = context({WF: HEAD.replace("15m", "30m") + "routing: []\n"})
    assert run("SL216", ctx) == []


# --- SL202 --------------------------------------------------------------------

@pytest.mark.parametrize(("location", "valid"), [
    ("docs/runbooks/deploy.md", True),
    ("./docs/runbooks/deploy.md#steps", True),
    ("docs/x/../runbooks/deploy.md", True),
    ("https://wiki.example.com/rb", True),
    ("https://", False),
    ("http://wiki.example.com/rb", False),
    ("ftp://files.example.com/rb", False),
    ("file:///etc/passwd", False),
    ("/etc/passwd", False),
    ("~/runbooks/deploy.md", False),
    ("C:\\runbooks\\deploy.md", False),
    ("../../etc/passwd", False),
    ("docs/../../etc/passwd", False),
    ("..", False),
    ("docs/runbooks/missing.md", False),
    ("", False),
])
def test_location(location: str, valid: bool) -> None:
    exists = {"docs/runbooks/deploy.md"}
    asked: list[str] = []

    def path_exists(rel: str) -> bool:
        asked.append(rel)
        return rel in exists

    assert (location_problem(location, path_exists) is None) is valid
    assert all(not a.startswith(("/", "..")) for a in asked)


# --- SL221 --------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "metric"), [
    ("Response time per severity", "response time"),
    ("Time to first response", "response time"),
    ("Backlog aging", "backlog aging"),
    ("Backlog ageing (days)", "backlog aging"),
    ("Age of open backlog items", "backlog aging"),
    ("Recurring incidents", "recurring incidents"),
    ("Repeat incidents per quarter", "recurring incidents"),
    ("Customer satisfaction", "customer satisfaction"),
    ("CSAT", "customer satisfaction"),
])
def test_metric_keywords(cell: str, metric: str) -> None:
    assert [m.name for m in METRICS if m.pattern.search(cell)] == [metric]


@pytest.mark.parametrize("cell", ["Backlog management", "Correspondence volume", "Backlog size"])
def test_metric_keywords_do_not_overmatch(cell: str) -> None:
    assert [m.name for m in METRICS if m.pattern.search(cell)] == []
