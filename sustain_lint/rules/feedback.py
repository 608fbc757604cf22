"""SL321-SL322: the feedback loop map (Gate 3, step 3.3)."""

from __future__ import annotations

from collections.abc import Iterator

from sustain_lint.artifacts import FEEDBACK
from sustain_lint.context import Context
from sustain_lint.documents import TreeDocument, pointer
from sustain_lint.model import Problem, Rule, Severity
from sustain_lint.names import real_names

SOURCES = ("customer-support", "analytics", "retrospective")
_EXAMPLE_NAME = {
    "customer-support": "Support ticket themes",
    "analytics": "Usage and error analytics",
    "retrospective": "Incident retrospectives",
}


def check_missing(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(FEEDBACK, TreeDocument)
    if doc is None:
        return
    loops = doc.get("loops")
    if not isinstance(loops, list):
        loops = []  # SL003 speaks for the shape; every source is still unmapped
    present = {loop["source"].strip().lower() for loop in loops
               if isinstance(loop, dict) and isinstance(loop.get("source"), str)}
    for source in SOURCES:
        if source in present:
            continue
        yield Problem(
            FEEDBACK,
            f"{FEEDBACK} maps no loop from {source}; add one to `loops`, e.g. "
            f'{{"name": "{_EXAMPLE_NAME[source]}", "source": "{source}", "stakeholders": '
            '["<who acts on it>"], "feeds": "backlog-register"}',
            doc.locate(pointer("loops")),  # located only when there is a finding
        )


def check_unowned(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(FEEDBACK, TreeDocument)
    if doc is None:
        return
    loops = doc.get("loops")
    if not isinstance(loops, list):
        return
    for index, loop in enumerate(loops):
        if not isinstance(loop, dict):
            continue
        people = real_names(loop.get("stakeholders"))
        if people is None or people:
            continue
        name = loop.get("name")
        label = f"loop '{name}'" if isinstance(name, str) and name.strip() else \
            f"loop {index + 1}"
        raw = loop.get("stakeholders")
        what = ("has no `stakeholders`" if raw is None
                else "lists only placeholders as stakeholders"
                if isinstance(raw, (list, str)) and raw else "has an empty `stakeholders` list")
        yield Problem(
            FEEDBACK,
            f"{FEEDBACK}: {label} (/loops/{index}) {what}; name the people or roles who act "
            'on this feedback, e.g. "stakeholders": ["Product Manager"]',
            doc.locate(pointer("loops", index, "stakeholders")),
        )


SL321 = Rule(
    code="SL321",
    name="feedback-loop-missing",
    gate=3,
    severity=Severity.WARNING,
    summary="No feedback loop from customer support, analytics or retrospectives",
    what="`feedback-loop-map.json` has at least one loop whose `source` is "
    "`customer-support`, one from `analytics` and one from `retrospective`. One finding per "
    "missing source, at `/loops`.",
    why="Step 3.3: 'Link retrospectives, analytics, and customer feedback to backlog "
    "refinement.' Gate 3's criterion: 'feedback loops mapped'.",
    fix="Add a loop for the missing source, naming who acts on it and what it feeds (usually "
    "the backlog register).",
    example=("feedback-loop-map.json:2:3: SL321 [warning] feedback-loop-map.json"
             " maps no loop from analytics; add one to `loops`, e.g. {\"name\":"
             " \"Usage and error analytics\", \"source\": \"analytics\", \"stakeholders\":"
             " [\"<who acts on it>\"], \"feeds\": \"backlog-register\"}\n"
             "\n"
             "What passes:\n")
            + ('{"name": "Support ticket themes", "source": "customer-support", '
    '"stakeholders": ["Support Lead"], "cadence": "weekly", "feeds": "backlog-register"}'),
    check=check_missing,
)

SL322 = Rule(
    code="SL322",
    name="feedback-loop-unowned",
    gate=3,
    severity=Severity.WARNING,
    summary="A feedback loop has no stakeholders",
    what="Every loop lists at least one stakeholder that is not a placeholder (TBD, n/a, "
    "...). A missing key, an empty list or a list of placeholders is a finding at the loop's "
    "`stakeholders`.",
    why="A loop nobody receives feeds nothing: Gate 3's 'feedback loops mapped' means "
    "feedback reaches people who refine the backlog; its failure handling is to 'Revisit "
    "backlog sources and stakeholder alignment before readiness validation.'",
    fix="Name the people or roles who review this feedback and turn it into backlog items.",
    example=("feedback-loop-map.json:3:69: SL322 [warning] feedback-loop-map.json:"
             " loop 'Support ticket themes' (/loops/0) has an empty `stakeholders`"
             " list; name the people or roles who act on this feedback, e.g."
             " \"stakeholders\": [\"Product Manager\"]\n"
             "\n"
             "What passes:\n")
            + '"stakeholders": ["Support Lead", "Product Manager"]',
    check=check_unowned,
)

RULES = (SL321, SL322)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)
