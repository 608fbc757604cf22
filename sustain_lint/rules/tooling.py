"""SL121-SL122: the tooling & access checklist
(``tooling-access-checklist.json``, Gate 1, step 1.3).

``{"tools": [{"name", "category", "access", "owners": [..], "remediation"?,
"due"?}]}``. These rules judge the parsed JSON only; shapes that violate the
schema are skipped (SL003 reports them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sustain_lint.artifacts import TOOLING
from sustain_lint.context import Context
from sustain_lint.documents import TreeDocument, pointer
from sustain_lint.model import Problem, Rule, Severity

REQUIRED_CATEGORIES = ("monitoring", "ticketing", "repository", "deployment")

_WHY_STEP = ("Protocol 18, step 1.3 (Verify Tooling & Access): \"Confirm maintenance owners "
             "have access to monitoring, ticketing, and deployment tools.\" Gate 1 "
             "(Charter & Capacity) criterion: \"Charter approved, SLAs defined, capacity "
             "assessment complete\": a team that cannot log in to its tools has no capacity.")

_CATEGORY_EXAMPLE = {
    "monitoring": "Grafana",
    "ticketing": "Jira Service Management",
    "repository": "GitHub payments-api",
    "deployment": "Argo CD",
}


def _label(index: int, tool: dict[str, Any]) -> str:
    name = tool.get("name")
    if isinstance(name, str) and name.strip():
        return f"tool '{name.strip()}' (tools[{index}])"
    return f"tools[{index}]"


# --- SL121 -----------------------------------------------------------------

def check_access(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(TOOLING, TreeDocument)
    if doc is None:
        return
    for index, tool in doc.objects("tools"):
        access = tool.get("access")
        if isinstance(access, str) and access.strip().lower() == "granted":
            continue
        state = f"is '{access}'" if isinstance(access, str) and access.strip() else (
            "is not recorded" if access is None or access == "" else f"is {access!r}")
        plan = []
        remediation = tool.get("remediation")
        if isinstance(remediation, str) and remediation.strip():
            plan.append(f"planned: {remediation.strip()}")
        due = tool.get("due")
        if isinstance(due, str) and due.strip():
            plan.append(f"due {due.strip()}")
        planned = f" ({', '.join(plan)})" if plan else ""
        yield Problem(
            TOOLING,
            f"{_label(index, tool)} in {TOOLING}: access {state}{planned}; give the "
            "maintenance owners access, then write \"access\": \"granted\"",
            doc.locate(pointer("tools", index, "access")))


SL121 = Rule(
    code="SL121",
    name="tooling-access-gap",
    gate=1,
    severity=Severity.ERROR,
    summary="A tool's access is not granted",
    what="Every tool listed in `tooling-access-checklist.json` has `access: granted`. A "
    "tool that is `pending`, `missing` or `revoked` (or has no access recorded) is reported "
    "at its `/tools/N/access` key; a remediation and due date, when given, are quoted but "
    "do not silence the finding.",
    why=_WHY_STEP,
    fix="Grant the maintenance owners access to the tool and set `\"access\": \"granted\"`. "
    "If access will only come later, waive SL121 with a justification, an approver and an "
    "expiry date.",
    example=("tooling-access-checklist.json:3:51: SL121 [error] tool 'Grafana'"
             " (tools[0]) in tooling-access-checklist.json: access is 'revoked';"
             " give the maintenance owners access, then write \"access\": \"granted\""
             "\n"
             "\n"
             "What passes:\n")
            + ('{"name": "Argo CD", "category": "deployment", "access": "granted", '
    '"owners": ["Diego Alvarez"]}'),
    check=check_access,
)


# --- SL122 -----------------------------------------------------------------

def check_categories(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(TOOLING, TreeDocument)
    if doc is None or not isinstance(doc.data, dict):
        return
    items = doc.data.get("tools")
    if items is not None and not isinstance(items, list):
        return  # SL003 speaks
    present: set[str] = set()
    for _, tool in doc.objects("tools"):
        category = tool.get("category")
        if isinstance(category, str):
            present.add(category.strip().lower())
    for category in REQUIRED_CATEGORIES:
        if category in present:
            continue
        yield Problem(
            TOOLING,
            f"{TOOLING} lists no {category} tool; add an entry to `tools` such as "
            f'{{"name": "{_CATEGORY_EXAMPLE[category]}", "category": "{category}", '
            '"access": "granted", "owners": ["<who maintains it>"]}',
            doc.locate(pointer("tools")))  # located only when there is a finding


SL122 = Rule(
    code="SL122",
    name="tooling-category-missing",
    gate=1,
    severity=Severity.WARNING,
    summary="No tool for monitoring, ticketing, repository or deployment",
    what="`tooling-access-checklist.json` lists at least one tool in each of the categories "
    "`monitoring`, `ticketing`, `repository` and `deployment` (whatever its access: SL121 "
    "judges that). One finding per missing category, at the `tools` array.",
    why=_WHY_STEP + " A checklist that leaves out a whole category has not verified access "
    "to it.",
    fix="Add the tool the team uses for the missing category, with its access state and "
    "owners.",
    example=("tooling-access-checklist.json:2:3: SL122 [warning] tooling-access-checklist.json"
             " lists no deployment tool; add an entry to `tools` such as {\"name\":"
             " \"Argo CD\", \"category\": \"deployment\", \"access\": \"granted\", \"owners\":"
             " [\"<who maintains it>\"]}\n"
             "\n"
             "What passes:\n")
            + ('{"name": "Jira Service Management", "category": "ticketing", "access": '
    '"granted", "owners": ["Dana Whitfield"]}'),
    check=check_categories,
)


RULES = (SL121, SL122)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)
