"""SL101-SL105: the maintenance charter (``maintenance-charter.md``, Gate 1,
step 1.1).

The charter is Markdown with YAML front matter (owner, status, approved_by,
approved_on, version) and sections found by heading keyword: objectives,
scope, service levels (a ``Severity | Response | Resolution`` table, one row
per P1-P4), metrics, escalation (a ``Level | Role | Contact`` table) and
governance. These rules judge the parsed document only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sustain_lint.artifacts import CHARTER
from sustain_lint.context import Context
from sustain_lint.documents import MarkdownDocument
from sustain_lint.model import Location, Problem, Rule, Severity
from sustain_lint.names import is_placeholder
from sustain_lint.rules._approval import APPROVAL_FIX, APPROVAL_WHAT, stale_problem
from sustain_lint.rules._common import (
    SEVERITIES,
    charter_sla,
    closest_table,
    lacks,
    sla_section,
    sla_table,
)
from sustain_lint.values import duration_hint, parse_duration

_WHY_STEP = ("Protocol 18, step 1.1 (Draft Maintenance Charter): \"Set service scope, SLAs, "
             "and escalation paths with stakeholders\"; halt condition: \"SLAs unapproved or "
             "escalation path undefined\". Gate 1 (Charter & Capacity) criterion: \"Charter "
             "approved, SLAs defined, capacity assessment complete.\"")

_SLA_EXAMPLE = ("| Severity | Response | Resolution |\n|----------|----------|------------|\n"
                "| P1 | 15m | 4h |\n| P2 | 1h | 24h |\n| P3 | 4h | 72h |\n| P4 | 24h | 2w |")


def _start(what: str) -> Location:
    """Where to report something absent from the whole document: line 1."""
    return Location(1, 1, what)


# --- SL101 -----------------------------------------------------------------

def _shown(value: object) -> str:
    return "empty" if value is None or value == "" else f"'{value}'"


def check_approved(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(CHARTER, MarkdownDocument)
    if doc is None:
        return
    if doc.front_matter is None or not isinstance(doc.front_matter.data, dict):
        yield Problem(
            CHARTER,
            f"{CHARTER} has no front matter, so it is not approved; start the file with a "
            "front matter block: ---, status: approved, approved_by: <who approved it>, "
            "approved_on: YYYY-MM-DD, ---",
            Location(1, 1, "front matter"))
        return
    status = doc.front("status")
    status_text = status.strip().lower() if isinstance(status, str) else ""
    if status_text != "approved":
        yield Problem(
            CHARTER,
            f"{CHARTER} front matter `status` is {_shown(status)}, not `approved`; get the "
            "charter approved by its stakeholders, then write status: approved with "
            "approved_by and approved_on",
            doc.front_location("status"))
    for key, what in _APPROVAL_KEYS:
        value = doc.front(key)
        if is_placeholder(value):
            state = ("is missing" if key not in doc.front_matter.data
                     else f"is {_shown(value)}")
            yield Problem(CHARTER, f"{CHARTER} front matter `{key}` {state}; {what}",
                          doc.front_location(key))


# the approval keys of the charter's front matter, and what to write into each
_APPROVAL_KEYS = (
    ("approved_by", "write who approved the charter (e.g. approved_by: Head of Operations)"),
    ("approved_on", "write the date of the approval (approved_on: YYYY-MM-DD)"),
)


SL101 = Rule(
    code="SL101",
    name="charter-not-approved",
    gate=1,
    severity=Severity.ERROR,
    summary="The charter's status is not approved, or approved_by / approved_on is missing",
    what="The front matter of `maintenance-charter.md` has `status: approved`, an "
    "`approved_by` that names a real approver (not TBD, n/a, -) and an `approved_on` date. "
    "One finding per failing key, at that key (or at the front matter when the key is "
    "absent). A charter without front matter gets one finding at line 1: it is certainly "
    "not approved. A malformed date is SL003's business.",
    why=_WHY_STEP + " A draft charter is a proposal, not a commitment: the gate's first "
    "criterion is that the charter is approved.",
    fix="Have the stakeholders approve the charter, then record it in the front matter: "
    "`status: approved`, `approved_by` and `approved_on`.",
    example=("maintenance-charter.md:1:1: SL101 [error] maintenance-charter.md"
             " front matter `approved_on` is missing; write the date of the"
             " approval (approved_on: YYYY-MM-DD)\n"
             "\n"
             "What passes:\n")
            + ("---\nowner: Dana Whitfield\nstatus: approved\napproved_by: Head of Operations\n"
    "approved_on: 2026-11-12\nversion: \"1.2\"\n---"),
    check=check_approved,
)


# --- SL102 -----------------------------------------------------------------

def check_sla(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(CHARTER, MarkdownDocument)
    if doc is None:
        return
    section = sla_section(doc)
    near = (_misspelt(doc, ("service", "levels", "sla"), "## Service levels (SLA)")
            if section is None else None)
    if near is not None:
        yield Problem(CHARTER, f"{CHARTER} has no service-levels section; {near[0]}", near[1])
        return
    if section is None:
        yield Problem(
            CHARTER,
            f"{CHARTER} has no service-levels section; add a heading such as "
            f"'## Service levels (SLA)' holding the table {_one_line(_SLA_EXAMPLE, 'SL102')}",
            _start("service levels section"))
        return
    table = sla_table(doc)
    if table is None:
        closest = closest_table(section.tables, ("severity", "response", "resolution"))
        if closest is not None:
            other, missing = closest
            yield Problem(
                CHARTER,
                f"the table of section '{section.title}' in {CHARTER} {lacks(other, missing)}; "
                "give it the columns Severity | Response | Resolution, one row per severity "
                "P1-P4",
                Location(other.line, 1, f"table of '{section.title}'"))
        else:
            yield Problem(
                CHARTER,
                f"section '{section.title}' of {CHARTER} holds no service-level table; add "
                f"one row per severity: {_one_line(_SLA_EXAMPLE, 'SL102')}",
                section.location())
        return
    rows = charter_sla(doc)
    header = Location(table.line, 1, f"table of '{section.title}'")
    for sev in SEVERITIES:
        if sev not in rows:
            yield Problem(
                CHARTER,
                f"the service-level table of {CHARTER} has no {sev} row; add "
                f"'| {sev} | <response, e.g. 1h> | <resolution, e.g. 24h> |'",
                header)
    for sev in SEVERITIES:
        row = rows.get(sev)
        if row is None:
            continue
        reasons: list[str] = []
        for label, text, minutes in (("response", row.response, row.response_minutes),
                                     ("resolution", row.resolution, row.resolution_minutes)):
            if is_placeholder(text):  # empty, TBD, a comment: no target written
                reasons.append(f"no {label} target{f' (only {text!r})' if text else ''}; "
                               f"write a duration such as "
                               f"{'15m' if label == 'response' else '4h'}")
            elif minutes is None:
                reasons.append(f"{label} '{text}' is not a duration{duration_hint(text)}; "
                               "write e.g. 15m, 4h, 3d, "
                               "2w or PT15M")
        if (row.response_minutes is not None and row.resolution_minutes is not None
                and row.response_minutes > row.resolution_minutes):
            reasons.append(f"response {row.response} is longer than resolution "
                           f"{row.resolution}; the first response comes before the fix, so "
                           "shorten the response target or lengthen the resolution")
        if reasons:
            yield Problem(
                CHARTER,
                f"the {sev} row of the service-level table in {CHARTER}: "
                + "; ".join(reasons),
                Location(row.line, 1, f"service-level table, {sev} row"))


SL102 = Rule(
    code="SL102",
    name="charter-sla-incomplete",
    gate=1,
    severity=Severity.ERROR,
    summary="No service-level table, a P1-P4 row or target missing, or response > resolution",
    what="The charter has a service-levels section (a heading of level 2 or more containing "
    "'service level' or 'SLA') holding a table with Severity, Response and Resolution "
    "columns, with a row for each of P1, P2, P3 and P4 whose response and resolution are "
    "durations (15m, 4h, 3d, 2w, PT15M), and no response longer than its resolution. The "
    "finding points at the offending row, at the table for a missing row, or at the section "
    "heading when the table is missing.",
    why=_WHY_STEP + " SLAs that are missing or unmeasurable are not defined: nobody can "
    "tell whether a ticket was answered in time.",
    fix="Add or complete the table in the service-levels section: one row per severity, "
    "a response and a resolution duration each, response no longer than resolution.",
    example=("maintenance-charter.md:18:1: SL102 [error] section 'Service levels"
             " (SLA)' of maintenance-charter.md holds no service-level table;"
             " add one row per severity: `| Severity | Response | Resolution |`"
             " then `| P1 | 15m | 4h |`, ... (3 more rows; `sustain-lint explain"
             " SL102` shows it whole)\n"
             "\n"
             "What passes:\n")
            + ("## Service levels (SLA)\n\n" + _SLA_EXAMPLE),
    check=check_sla,
)


_NON_WORD = re.compile(r"[^\w]+")


def _misspelt(doc: MarkdownDocument, keywords: tuple[str, ...], heading: str
              ) -> tuple[str, Location] | None:
    """A heading that is ``heading`` misspelt (``## Escalaton``): what to say and where,
    or None. A heading matching no keyword whose words include one close to a keyword."""
    from sustain_lint.suggest import close_match

    for section in doc.sections:
        if section.level < 2:
            continue
        words = [w for w in _NON_WORD.split(section.title.lower()) if len(w) >= 4]
        if any(close_match(word, keywords, cutoff=0.8) for word in words):
            shown = "#" * section.level + " " + section.title
            return (f"found '{shown}' (line {section.line}): did you mean '{heading}'? "
                    "rename the heading", section.location())
    return None


def _one_line(table: str, code: str) -> str:
    """A Markdown table for a one-line message: its header and first row, the cells
    that say what to write (the whole table is in ``sustain-lint explain CODE``)."""
    rows = [r for r in table.split("\n") if not set(r) <= set("|- ")]
    extra = len(rows) - 2
    more = f", ... ({extra} more row{'s' if extra > 1 else ''}" if extra > 0 else " ("
    return f"`{rows[0]}` then `{rows[1]}`{more}; `sustain-lint explain {code}` shows it whole)"


# --- SL103 -----------------------------------------------------------------

_ESC_EXAMPLE = ("| Level | Role | Contact |\n|-------|------|---------|\n"
                "| 1 | L2 On-call Engineer | pagerduty:payments-oncall |\n"
                "| 2 | Engineering Manager | eng-manager@example.com |")


def check_escalation(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(CHARTER, MarkdownDocument)
    if doc is None:
        return
    section = doc.find_section("escalation")
    near = _misspelt(doc, ("escalation",), "## Escalation") if section is None else None
    if near is not None:
        yield Problem(CHARTER, f"{CHARTER} has no escalation section; {near[0]}", near[1])
        return
    if section is None:
        yield Problem(
            CHARTER,
            f"{CHARTER} has no escalation section; add a heading '## Escalation' holding at "
            f"least two levels: {_one_line(_ESC_EXAMPLE, 'SL103')}",
            _start("escalation section"))
        return
    table = doc.find_table("level", "role", "contact", within=section)
    if table is None:
        closest = closest_table(section.tables, ("level", "role", "contact"))
        if closest is not None:  # a table with other headers: one finding, at it
            other, lacking = closest
            yield Problem(
                CHARTER,
                f"the table of section '{section.title}' in {CHARTER} {lacks(other, lacking)}; "
                "give it the columns Level | Role | Contact (and Trigger if you like), at "
                f"least two levels: {_one_line(_ESC_EXAMPLE, 'SL103')}",
                Location(other.line, 1, f"table of '{section.title}'"))
            return
        yield Problem(
            CHARTER,
            f"section '{section.title}' of {CHARTER} holds no Level | Role | Contact table; "
            f"add one with at least two levels: {_one_line(_ESC_EXAMPLE, 'SL103')}",
            section.location())
        return
    level_i, role_i, contact_i = table.column("level"), table.column("role"), \
        table.column("contact")
    rows = [r for r in table.rows if any(c.strip() for c in r.cells)]
    for row in rows:
        level = table.cell(row, level_i) or "?"
        missing = [name for name, idx in (("Role", role_i), ("Contact", contact_i))
                   if is_placeholder(table.cell(row, idx))]
        if missing:
            shown = ", ".join(
                f"{name} '{table.cell(row, idx)}'" if table.cell(row, idx) else f"no {name}"
                for name, idx in (("Role", role_i), ("Contact", contact_i)) if name in missing)
            yield Problem(
                CHARTER,
                f"escalation level {level} in {CHARTER} has {shown}; write the role that "
                "takes the escalation and how to reach it (pager, e-mail or phone)",
                Location(row.line, 1, f"escalation table, level {level}"))
    if len(rows) < 2:
        yield Problem(
            CHARTER,
            f"the escalation table of {CHARTER} has {len(rows)} level"
            f"{'' if len(rows) == 1 else 's'}; define at least two levels, each with a role "
            "and a contact, so a stalled escalation has somewhere to go",
            Location(table.line, 1, f"table of '{section.title}'"))


SL103 = Rule(
    code="SL103",
    name="charter-escalation-missing",
    gate=1,
    severity=Severity.ERROR,
    summary="No escalation table with at least two levels, each with a role and a contact",
    what="The charter has an escalation section (heading containing 'escalation') holding "
    "a `Level | Role | Contact` table (an optional Trigger column is welcome) with at least "
    "two levels, and every level names a role and a contact that is not a placeholder "
    "(TBD, n/a, -). A level without role or contact is reported at its row; fewer than two "
    "levels at the table; a missing table at the section heading.",
    why=_WHY_STEP + " An escalation level nobody can reach is an undefined escalation path.",
    fix="Complete the escalation table: one row per level, the role that takes it and a "
    "contact that reaches a person (pager service, e-mail, phone).",
    example=("maintenance-charter.md:33:1: SL103 [error] the escalation table"
             " of maintenance-charter.md has 1 level; define at least two levels,"
             " each with a role and a contact, so a stalled escalation has "
             "somewhere to go\n"
             "\n"
             "What passes:\n")
            + ("## Escalation\n\n" + _ESC_EXAMPLE),
    check=check_escalation,
)


# --- SL104 -----------------------------------------------------------------

_SECTIONS = (
    ("objectives", ("objective",), "## Objectives",
     "what the maintenance must achieve (availability, defect resolution, improvement)"),
    ("scope", ("scope",), "## Scope", "what is in and out of scope"),
    ("metrics", ("metric", "sli"), "## Metrics and SLIs",
     "how service levels are measured (availability, response time, backlog age)"),
    ("governance", ("governance",), "## Governance",
     "who reviews the charter, how often, and how changes are approved"),
)


def check_sections(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(CHARTER, MarkdownDocument)
    if doc is None:
        return
    for label, keywords, heading, content in _SECTIONS:
        section = doc.find_section(*keywords)
        near = _misspelt(doc, keywords, heading) if section is None else None
        if near is not None:
            yield Problem(CHARTER, f"{CHARTER} has no {label} section; {near[0]}", near[1])
        elif section is None:
            yield Problem(
                CHARTER,
                f"{CHARTER} has no {label} section; add a heading '{heading}' and write "
                f"{content}",
                _start(f"{label} section"))
        elif not section.has_content:
            yield Problem(
                CHARTER,
                f"the {label} section '{section.title}' of {CHARTER} is empty; write "
                f"{content}",
                section.location())


SL104 = Rule(
    code="SL104",
    name="charter-section-missing",
    gate=1,
    severity=Severity.ERROR,
    summary="The charter's objectives, scope, metrics or governance section is missing or empty",
    what="The charter has four sections with content, found by heading keyword "
    "(case-insensitive, heading level 2 or more): objectives ('objective'), scope ('scope'), "
    "metrics ('metric' or 'SLI') and governance ('governance'). One finding per missing "
    "section (at line 1) or empty section (at its heading). A section holding only HTML "
    "comments (the `init` template's `<!-- ... -->`), white space, Markdown markup or "
    "placeholders (`TBD`, `TODO: write this`, `...`) is empty.",
    why="Protocol 18, phase 1 objective: \"Define objectives, SLAs, and capacity needed to "
    "support the solution\"; step 1.1: \"Set service scope, SLAs, and escalation paths\". "
    "Gate 1 criterion: \"Charter approved, SLAs defined, capacity assessment complete.\" "
    "A charter without objectives, scope, metrics or governance cannot be approved "
    "meaningfully.",
    fix="Add the missing heading and write its content; a heading followed directly by the "
    "next heading, or by nothing but a comment or a placeholder, counts as empty.",
    example=("maintenance-charter.md:1:1: SL104 [error] maintenance-charter.md"
             " has no governance section; add a heading '## Governance' and"
             " write who reviews the charter, how often, and how changes are"
             " approved\n"
             "\n"
             "What passes:\n")
            + ("## Scope\nIn scope: the Payments API and its database. Out of scope: the card "
    "network gateways."),
    check=check_sections,
)


# --- SL105 -----------------------------------------------------------------

# an availability cell: a percentage (``99.9%``, ``99.95 %``, ``99.5``)
_PERCENT = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)\s*%?\s*$")


def _availability(doc: MarkdownDocument) -> dict[int, tuple[str, float]]:
    """The Availability cell of each row of the service-level table that has one and
    holds a percentage, by the row's line."""
    table = sla_table(doc)
    index = table.column("availability") if table is not None else None
    if table is None or index is None:
        return {}
    found: dict[int, tuple[str, float]] = {}
    for row in table.rows:
        text = table.cell(row, index)
        m = _PERCENT.match(text)
        if m:
            found[row.line] = (text, float(m.group(1)))
    return found


def _policy_keys(looser: list[str]) -> str:
    """The policy keys that set the targets ``looser`` names."""
    keys = [key for key, wanted in (("availability", True), ("targets", False))
            if any(item.startswith("availability") == wanted for item in looser)]
    return " and ".join(keys)


def _percent(value: float) -> str:
    return f"{value:g}%"


def check_policy(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(CHARTER, MarkdownDocument)
    if doc is None:
        return
    rows = charter_sla(doc)
    availability = _availability(doc)
    for sev in SEVERITIES:
        row = rows.get(sev)
        target = ctx.policy.targets.get(sev)
        if row is None or target is None:
            continue
        looser: list[str] = []
        promised = availability.get(row.line)
        if promised is not None and promised[1] < ctx.policy.availability:
            looser.append(f"availability {promised[0]} is below the policy's "
                          f"{_percent(ctx.policy.availability)}")
        for label, text, minutes, wanted in (
                ("response", row.response, row.response_minutes, target.response),
                ("resolution", row.resolution, row.resolution_minutes, target.resolution)):
            limit = parse_duration(wanted)
            if minutes is not None and limit is not None and minutes > limit:
                looser.append(f"{label} {text} is looser than the policy's {wanted.strip()}")
        if looser:
            yield Problem(
                CHARTER,
                f"the {sev} row of the service-level table in {CHARTER}: "
                + "; ".join(looser) + "; tighten the target to the policy, or change "
                f"[tool.sustain-lint.policy] {_policy_keys(looser)} if the organisation "
                "agreed a looser one",
                Location(row.line, 1, f"service-level table, {sev} row"))


SL105 = Rule(
    code="SL105",
    name="sla-weaker-than-policy",
    gate=1,
    severity=Severity.WARNING,
    summary="A charter target is looser than the configured policy",
    what="Each response and resolution target of the charter's service-level table is no "
    "longer than the policy's target for that severity (defaults P1 15m / 4h, P2 1h / 24h, "
    "P3 4h / 72h, P4 24h / 2w; configurable under `[tool.sustain-lint.policy]`), and, when "
    "the table has an Availability column, each row's availability (`99.9%`) is no lower "
    "than `policy.availability` (default 99.5%). One finding "
    "per severity row, naming each looser target. Unparseable targets are SL102's business.",
    why="Protocol 18, step 1.1: \"Set service scope, SLAs, and escalation paths with "
    "stakeholders.\" The organisation's maintenance plan sets the targets a charter must "
    "meet; a looser charter quietly lowers the promise made to users.",
    fix="Tighten the charter's target, or, when the organisation agreed a looser one, record "
    "it in the policy configuration.",
    example=("maintenance-charter.md:22:1: SL105 [warning] the P1 row of the"
             " service-level table in maintenance-charter.md: response 30m "
             "is looser than the policy's 15m; tighten the target to the policy,"
             " or change [tool.sustain-lint.policy] targets if the organisation"
             " agreed a looser one"),
    check=check_policy,
)


# --- SL106 -----------------------------------------------------------------

def check_fresh(ctx: Context) -> Iterator[Problem]:
    yield from stale_problem(ctx, CHARTER, "charter")


SL106 = Rule(
    code="SL106",
    name="charter-changed-after-approval",
    gate=1,
    severity=Severity.ERROR,
    summary="The charter's content changed after it was approved",
    what=APPROVAL_WHAT.format(file="`maintenance-charter.md`"),
    why=_WHY_STEP + " An approval covers what the stakeholders read: a charter approved in "
    "March and rewritten in June is not approved, whatever its `status` says. The "
    "repository's history shows what was approved.",
    fix=APPROVAL_FIX,
    example=(
             'maintenance-charter.md:5:1: SL106 [error] '
             'maintenance-charter.md: the charter changed after its approval '
             'on 2026-11-12, first in commit a553289 (2026-11-16, Sam Reyes); '
             "changed since: the front matter key `owner`, the section '## "
             "Scope' and the section '## Metrics and SLIs'. The approval "
             'covers only what was approved: have the change approved, then '
             'renew the approval by writing the new date in approved_on (and '
             'who approved it in approved_by)\n\nWhat passes: the renewed '
             'approval, dated the day the change was approved:\n'
             + "approved_by: Head of Operations\napproved_on: 2026-11-20"),
    check=check_fresh,
    history=(CHARTER,),
)

RULES = (SL101, SL102, SL103, SL104, SL105, SL106)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)
