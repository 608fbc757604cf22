"""SL901-SL902: gate waivers in ``waivers.yaml``.

A valid waiver names a rule, an optional file (relative to the set folder),
a justification, who approved it and when it expires. It turns matching
findings into suppressed findings: still reported (SARIF ``suppressions``),
never failing a gate. Stakeholder approval (SL401-SL403) is never waived,
and neither are the waiver rules themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from sustain_lint.artifacts import BY_NAME, WAIVERS
from sustain_lint.documents import TreeDocument, pointer
from sustain_lint.model import Finding, Location, Problem, Rule, Severity
from sustain_lint.values import is_placeholder, parse_date

NOT_WAIVABLE = ("SL401", "SL402", "SL403", "SL901", "SL902")

SL901 = Rule(
    code="SL901",
    name="waiver-invalid",
    gate=None,
    severity=Severity.ERROR,
    summary="A waiver is incomplete, expired, or names an unknown or unwaivable rule",
    what="Every entry of `waivers.yaml` has `rule` (a known code), `justification`, "
    "`approved_by` (a real approver, not TBD) and `expires` (a date that is not past), and "
    "does not name SL401-SL403: stakeholder approval is never waived. An invalid waiver "
    "suppresses nothing. The finding is attributed to the gate of the rule the waiver names "
    "(gate 1 if the rule is unknown).",
    why="Protocol 18's failure handling allows a gate waiver only as an accountable, "
    "time-bounded decision. A waiver without an approver or an end date is a permanent "
    "hole; a waiver of stakeholder sign-off defeats Gate 4's 'approvals recorded' criterion.",
    fix="Complete the entry: name the rule, say why, who approved it, and until when. "
    "Remove waivers that have expired, and get the approval instead of waiving it.",
    example=("waivers.yaml:5:3: SL901 [error] the waiver of SL111 has no `justification`;"
             " say why the finding is accepted\n"
             "\n"
             "What passes:\n")
            + ("- rule: SL111\n  path: capacity-analysis.csv\n  justification: Weekend L2 "
    "cover is contracted from a vendor from 2027-01-01\n  approved_by: Head of Operations\n"
    "  expires: 2027-01-31"),
    waivable=False,
)

SL902 = Rule(
    code="SL902",
    name="waiver-unused",
    gate=None,
    severity=Severity.WARNING,
    summary="A valid waiver suppresses nothing",
    what="Each valid waiver matches at least one finding (same rule, and same file when "
    "`path` is given).",
    why="A waiver that matches nothing is stale: the problem was fixed, or the waiver names "
    "the wrong rule or file and the finding it was meant for still fails the gate.",
    fix="Delete the waiver if the problem is fixed; otherwise correct its `rule` or `path`.",
    example="waivers.yaml:1:3: SL902 [warning] the waiver of SL111 for capacity-analysis.csv "
    "suppresses nothing; delete it or correct its rule or path",
    waivable=False,
)

RULES = (SL901, SL902)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)


class WaiverOutcome(NamedTuple):
    suppressed: dict[int, str]  # index of a finding -> justification
    problems: list[Problem]


def _gate_of(code: str, path: str | None, registry: Mapping[str, Rule]) -> int:
    rule = registry.get(code)
    if rule is not None and rule.gate is not None:
        return rule.gate
    art = BY_NAME.get(path or "")
    if rule is not None and art is not None and art.gate is not None:
        return art.gate
    return 1


def apply_waivers(doc: TreeDocument, findings: Sequence[Finding], today: dt.date,
                  registry: Mapping[str, Rule],
                  active: Callable[[str], bool] | None = None) -> WaiverOutcome:
    """Match the valid waivers of ``doc`` against ``findings``. ``active``
    tells whether a rule ran in this invocation (``--select``/``--ignore``,
    severity ``off``): a waiver of a rule that did not run cannot be judged
    unused, so it gets no SL902."""
    suppressed: dict[int, str] = {}
    problems: list[Problem] = []
    entries = doc.data if isinstance(doc.data, list) else []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue  # SL003 speaks
        here = doc.locate(pointer(index))
        raw_rule = entry.get("rule")
        code = raw_rule.strip().upper() if isinstance(raw_rule, str) else ""
        raw_path = entry.get("path")
        path = raw_path.strip().removeprefix("./") if isinstance(raw_path, str) else None
        gate = _gate_of(code, path, registry)
        reasons: list[str] = []
        where: Location = here
        if raw_path is not None and not path:
            # a malformed path must not widen the waiver to every file
            reasons.append("has a `path` that names no file; write the file name relative "
                           "to the set folder (e.g. path: capacity-analysis.csv) or remove "
                           "the key")
            where = doc.locate(pointer(index, "path"))
        if not code:
            reasons.append("has no `rule`; name the rule code it waives (e.g. rule: SL111)")
        elif code not in registry:
            reasons.append(f"names the unknown rule '{raw_rule}'; see `sustain-lint rules`")
            where = doc.locate(pointer(index, "rule"))
        elif code in NOT_WAIVABLE or not registry[code].waivable:
            what = ("stakeholder approval is never waived; record the approval in "
                    "readiness-approval-log.csv instead"
                    if code.startswith("SL40") else "the waiver rules cannot be waived")
            reasons.append(f"names a rule that cannot be waived: {what}")
            where = doc.locate(pointer(index, "rule"))
        for key, text in (("justification", "say why the finding is accepted"),
                          ("approved_by", "name who approved the waiver")):
            value = entry.get(key)
            if is_placeholder(value) or not isinstance(value, str):
                shown = (f" ('{value.strip()}' is a placeholder)"
                         if isinstance(value, str) and value.strip() else "")
                reasons.append(f"has no `{key}`{shown}; {text}")
        expires = parse_date(entry.get("expires"))
        if entry.get("expires") in (None, ""):
            reasons.append("has no `expires` date; add one (YYYY-MM-DD): waivers are temporary")
        elif expires is None:
            reasons.append(f"has `expires: {entry.get('expires')}`, which is not a date; "
                           "write YYYY-MM-DD")
            where = doc.locate(pointer(index, "expires"))
        elif expires < today:
            reasons.append(f"expired on {expires.isoformat()}; fix the finding, or renew the "
                           "waiver with a new approval and date")
            where = doc.locate(pointer(index, "expires"))
        label = f"the waiver of {code or '(no rule)'}" + (f" for {path}" if path else "")
        if reasons:
            problems.append(Problem(WAIVERS, f"{label} " + "; it ".join(reasons), where,
                                    code="SL901", gate=gate))
            continue
        used = False
        for i, finding in enumerate(findings):
            if finding.rule != code or (path and finding.artifact != path):
                continue
            if i not in suppressed:
                suppressed[i] = str(entry["justification"]).strip()
            used = True
        if not used and (active is None or active(code)):
            problems.append(Problem(
                WAIVERS, f"{label} suppresses nothing; delete it or correct its rule or path",
                here, code="SL902", gate=gate))
    return WaiverOutcome(suppressed, problems)


__all__ = ["READS", "RULES", "WaiverOutcome", "apply_waivers"]
