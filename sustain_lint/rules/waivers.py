"""SL901-SL903: gate waivers in ``waivers.yaml``.

A valid waiver names a rule, an optional file (relative to the set folder),
a justification, who approved it and when it expires. It turns matching
findings into suppressed findings: still reported (SARIF ``suppressions``),
never failing a gate. Stakeholder approval (SL401-SL403) is never waived,
and neither are the waiver rules themselves.

This module judges the entries (which are valid, SL901; which lapse soon, SL903)
and words SL902; which
findings a valid waiver matches is the engine's business (``_match_waivers``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from sustain_lint.artifacts import BY_NAME, WAIVERS
from sustain_lint.documents import TreeDocument, pointer
from sustain_lint.model import Location, Problem, Rule, Severity
from sustain_lint.names import is_placeholder
from sustain_lint.policy import Policy
from sustain_lint.values import parse_date

NOT_WAIVABLE = ("SL401", "SL402", "SL403", "SL901", "SL902", "SL903")

SL901 = Rule(
    code="SL901",
    name="waiver-invalid",
    gate=None,
    severity=Severity.ERROR,
    summary="A waiver is incomplete, expired, or names an unknown or unwaivable rule",
    what="Every entry of `waivers.yaml` has `rule` (a known code), `justification`, "
    "`approved_by` (a real approver, not a placeholder such as TBD, `(tbd)` or `<name>`) and "
    "`expires` (a date that is not past, and no more than `policy.max_waiver_days`, default "
    "180, after today: a `9999-12-31` waiver is a permanent exception in disguise), and "
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

SL903 = Rule(
    code="SL903",
    name="waiver-expiring",
    gate=None,
    severity=Severity.WARNING,
    summary="A valid waiver expires within policy.waiver_warning_days of today",
    what="A valid waiver whose `expires` is at most `policy.waiver_warning_days` (default 14) "
    "days after today is announced before it lapses, at its `expires`. It still suppresses "
    "its findings until the day after it expires; then it is SL901 and the findings fail "
    "their gate again. The finding is attributed to the gate of the rule the waiver names.",
    why="Protocol 18's failure handling allows a gate waiver only as an accountable, "
    "time-bounded decision. A waiver that lapses unannounced turns a passing gate red on "
    "a morning nobody planned for; two weeks' notice is time to fix the finding or renew the "
    "approval.",
    fix="Fix the finding the waiver covers (then delete the waiver), or renew it: a fresh "
    "approval (`approved_by`) and a new `expires` within `policy.max_waiver_days`.",
    example=("waivers.yaml:5:3: SL903 [warning] the waiver of SL302 for backlog-register.csv "
             "expires in 8 days (2026-11-30, within policy.waiver_warning_days = 14); fix the "
             "finding it waives, or renew the waiver with a fresh approval and a new expiry "
             "date"),
    waivable=False,
)

RULES = (SL901, SL902, SL903)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)


class Waiver(NamedTuple):
    """One entry of ``waivers.yaml`` as judged: valid when ``problem`` (its SL901) is None."""

    code: str  # the rule it names, in capitals ("" when none)
    path: str | None  # the file it is limited to (relative to the set folder)
    justification: str  # stripped ("" unless valid)
    gate: int  # the gate its findings are attributed to
    label: str  # "the waiver of SL111 for capacity-analysis.csv"
    location: Location  # the entry
    problem: Problem | None
    expiring: Problem | None = None  # its SL903 (valid, and lapsing soon)

    def unused(self) -> Problem:
        """Its SL902: the waiver is valid and suppresses nothing."""
        return Problem(WAIVERS, f"{self.label} suppresses nothing; delete it or correct its "
                       "rule or path", self.location, code="SL902", gate=self.gate)


def _gate_of(code: str, path: str | None, registry: Mapping[str, Rule]) -> int:
    rule = registry.get(code)
    if rule is not None and rule.gate is not None:
        return rule.gate
    art = BY_NAME.get(path or "")
    if rule is not None and art is not None and art.gate is not None:
        return art.gate
    return 1


class _Reason(NamedTuple):
    """Why an entry is invalid, and the key to point at (None: the entry, or an earlier key)."""

    text: str
    where: Location | None = None


def _path_reason(doc: TreeDocument, index: int, raw_path: Any,
                 path: str | None) -> _Reason | None:
    """A ``path`` present but naming no file (it must not widen the waiver to every file)."""
    if raw_path is not None and not path:
        return _Reason("has a `path` that names no file; write the file name relative to the "
                       "set folder (e.g. path: capacity-analysis.csv) or remove the key",
                       doc.locate(pointer(index, "path")))
    return None


def _rule_reason(doc: TreeDocument, index: int, raw_rule: Any, code: str,
                 registry: Mapping[str, Rule]) -> _Reason | None:
    """A missing, unknown or unwaivable ``rule``."""
    if not code:
        return _Reason("has no `rule`; name the rule code it waives (e.g. rule: SL111)")
    if code not in registry:
        return _Reason(f"names the unknown rule '{raw_rule}'; see `sustain-lint rules`",
                       doc.locate(pointer(index, "rule")))
    if code in NOT_WAIVABLE or not registry[code].waivable:
        what = ("stakeholder approval is never waived; record the approval in "
                "readiness-approval-log.csv instead"
                if code.startswith("SL40") else "the waiver rules cannot be waived")
        return _Reason(f"names a rule that cannot be waived: {what}",
                       doc.locate(pointer(index, "rule")))
    return None


def _accountability_reasons(doc: TreeDocument, index: int,
                            entry: dict[Any, Any]) -> list[_Reason]:
    """A missing or placeholder ``justification`` or ``approved_by`` (at the key when it
    is written)."""
    reasons: list[_Reason] = []
    for key, text in (("justification", "say why the finding is accepted"),
                      ("approved_by", "name who approved the waiver")):
        value = entry.get(key)
        if is_placeholder(value) or not isinstance(value, str):
            shown = (f" ('{value.strip()}' is a placeholder)"
                     if isinstance(value, str) and value.strip() else "")
            reasons.append(_Reason(f"has no `{key}`{shown}; {text}",
                                   doc.locate(pointer(index, key)) if key in entry else None))
    return reasons


def _expiry_reason(doc: TreeDocument, index: int, raw: Any, today: dt.date,
                   max_days: int) -> _Reason | None:
    """A missing, unparseable or past ``expires`` (a waiver expiring today is valid), or one
    more than ``max_days`` after today (a permanent exception in disguise)."""
    expires = parse_date(raw)
    if raw in (None, ""):
        return _Reason("has no `expires` date; add one (YYYY-MM-DD): waivers are temporary")
    if expires is None:
        return _Reason(f"has `expires: {raw}`, which is not a date; write YYYY-MM-DD",
                       doc.locate(pointer(index, "expires")))
    if expires < today:
        return _Reason(f"expired on {expires.isoformat()}; fix the finding, or renew the "
                       "waiver with a new approval and date",
                       doc.locate(pointer(index, "expires")))
    latest = today + dt.timedelta(days=max_days)
    if expires > latest:
        return _Reason(f"expires on {expires.isoformat()}, more than {max_days} days after today "
                       f"(policy.max_waiver_days); a waiver is temporary: write an expiry on or "
                       f"before {latest.isoformat()} and renew it with a fresh approval if the "
                       "finding still stands then", doc.locate(pointer(index, "expires")))
    return None


def _judge_entry(doc: TreeDocument, index: int, entry: dict[Any, Any], today: dt.date,
                 registry: Mapping[str, Rule], policy: Policy) -> Waiver:
    """One entry: what it waives, and its SL901 when it is incomplete or not allowed."""
    here = doc.locate(pointer(index))
    raw_rule = entry.get("rule")
    code = raw_rule.strip().upper() if isinstance(raw_rule, str) else ""
    raw_path = entry.get("path")
    path = raw_path.strip().removeprefix("./") if isinstance(raw_path, str) else None
    gate = _gate_of(code, path, registry)
    found = [_path_reason(doc, index, raw_path, path),
             _rule_reason(doc, index, raw_rule, code, registry),
             *_accountability_reasons(doc, index, entry),
             _expiry_reason(doc, index, entry.get("expires"), today, policy.max_waiver_days)]
    reasons = [reason for reason in found if reason is not None]
    label = f"the waiver of {code or '(no rule)'}" + (f" for {path}" if path else "")
    if not reasons:
        justification = str(entry["justification"]).strip()
        return Waiver(code, path, justification, gate, label, here, None,
                      _expiring(doc, index, label, gate, parse_date(entry.get("expires")),
                                today, policy.waiver_warning_days))
    where = next((r.where for r in reversed(reasons) if r.where is not None), here)
    problem = Problem(WAIVERS, f"{label} " + "; it ".join(r.text for r in reasons), where,
                      code="SL901", gate=gate)
    return Waiver(code, path, "", gate, label, here, problem)


def _expiring(doc: TreeDocument, index: int, label: str, gate: int, expires: dt.date | None,
              today: dt.date, warning_days: int) -> Problem | None:
    """The SL903 of a valid waiver that lapses within ``warning_days`` of today."""
    if expires is None or (expires - today).days > warning_days:
        return None
    days = (expires - today).days
    when = "today" if days == 0 else f"in {days} day{'' if days == 1 else 's'}"
    return Problem(WAIVERS, f"{label} expires {when} ({expires.isoformat()}, within "
                   f"policy.waiver_warning_days = {warning_days}); fix the finding it waives, or "
                   "renew the waiver with a fresh approval and a new expiry date",
                   doc.locate(pointer(index, "expires")), code="SL903", gate=gate)


def judge_waivers(doc: TreeDocument, today: dt.date, registry: Mapping[str, Rule],
                  policy: Policy | None = None) -> list[Waiver]:
    """The entries of ``doc`` (mappings; others are SL003's), in order, each judged valid
    or not. Which findings a valid waiver suppresses is the engine's matching."""
    entries = doc.data if isinstance(doc.data, list) else []
    judged_by = policy or Policy()
    return [_judge_entry(doc, index, entry, today, registry, judged_by)
            for index, entry in enumerate(entries) if isinstance(entry, dict)]


__all__ = ["READS", "RULES", "Waiver", "judge_waivers"]
