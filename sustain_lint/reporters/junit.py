"""``--format junit``: JUnit XML for CI systems that show test reports.

One ``<testsuite>`` per gate (per evidence set), one ``<testcase>`` per rule and
file:
- a rule with findings gets one testcase per file it flagged;
- a rule without findings gets one passing testcase: per file of the gate for
  the rules that apply to every file (SL001-SL004, SL005; each on-call export a
  file of its own), else one for the evidence set;
- unwaived errors (and warnings under ``--strict``) are ``<failure>`` elements
  listing every finding of that rule in that file; warnings that do not fail
  and waived findings are listed in ``<system-out>``; a testcase whose only
  findings are waived is ``<skipped>`` with the justification.
Deterministic: fixed order, no timestamps or durations. No line can be read as
a GitHub workflow command (``reporters.neutral``: character references such as
``##&#91;``, which decode to the same text).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from sustain_lint.artifacts import ARTIFACTS
from sustain_lint.model import (
    Finding,
    GateResult,
    Rule,
    RunResult,
    SetResult,
    Severity,
    member_path,
)
from sustain_lint.reporters import DEFAULT_OPTIONS, Reporter, ReportOptions, location_text
from sustain_lint.reporters.neutral import neutral_xml

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


_PER_FILE = "SL00"  # the file-level rules (missing, unreadable, schema, duplicate key)


def _x(text: str) -> str:
    """Text that XML 1.0 can carry: invalid characters shown escaped."""
    return _INVALID_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                            else f"\\u{ord(m.group()):04x}", text)


def _line(f: Finding) -> str:
    sev = "waived" if f.suppressed else f.severity.value
    text = f"{location_text(f)}: {f.rule} [{sev}] {f.message}"
    if f.suppressed and f.justification:
        text += f" (waiver: {f.justification})"
    return text


def _fails(f: Finding, strict: bool) -> bool:
    return not f.suppressed and (f.severity is Severity.ERROR or strict)


def _cases(s: SetResult, gate: GateResult, rules: list[Rule]) -> list[tuple[Rule | None, str,
                                                                             list[Finding]]]:
    by_key: dict[tuple[str, str], list[Finding]] = {}
    for f in s.findings:
        if f.gate == gate.gate:
            by_key.setdefault((f.rule, f.path), []).append(f)
    files = [f"{s.path}/{a.name}" for a in ARTIFACTS if a.gate == gate.gate and not a.many]
    if any(a.many and a.gate == gate.gate for a in ARTIFACTS):  # each on-call export, by name
        files += [member_path(s.path, name) for name in s.members]
    keys = set(by_key)
    for rule in rules:
        flagged = any(code == rule.code for code, _ in keys)
        if rule.gate is None and rule.code.startswith(_PER_FILE):
            keys.update((rule.code, path) for path in files)
        elif (rule.gate is None or rule.gate == gate.gate) and not flagged:
            keys.add((rule.code, s.path))
    index = {r.code: r for r in rules}
    return [(index.get(code), code + "\0" + path, sorted(by_key.get((code, path), []),
                                                       key=Finding.sort_key))
            for code, path in sorted(keys)]


def as_tree(result: RunResult, registry: Mapping[str, Rule]) -> ET.Element:
    rules = [registry[c] for c in sorted(registry)]
    root = ET.Element("testsuites", name="sustain-lint")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    many = len(result.sets) > 1
    for s in result.sets:
        for gate in s.gates:
            name = f"Gate {gate.gate} {gate.name}" + (f" ({s.path})" if many else "")
            suite = ET.SubElement(root, "testsuite", name=_x(name))
            props = ET.SubElement(suite, "properties")
            for key, value in (("evidence-set", s.path), ("gate", str(gate.gate)),
                               ("status", gate.status.value), ("errors", str(gate.errors)),
                               ("warnings", str(gate.warnings)),
                               ("waived", str(gate.suppressed))):
                ET.SubElement(props, "property", name=key, value=_x(value))
            counts = {"tests": 0, "failures": 0, "skipped": 0}
            for rule, key, findings in _cases(s, gate, rules):
                code, path = key.split("\0", 1)
                label = f"{code} {rule.name}" if rule else code
                case = ET.SubElement(suite, "testcase", name=_x(f"{label}: {path}"),
                                     classname=_x(path))
                counts["tests"] += 1
                failing = [f for f in findings if _fails(f, result.strict)]
                others = [f for f in findings if not _fails(f, result.strict)]
                if failing:
                    counts["failures"] += 1
                    n = len(failing)
                    failure = ET.SubElement(
                        case, "failure",
                        message=_x(f"{n} finding{'s' if n != 1 else ''}: {failing[0].message}"),
                        type=failing[0].severity.value)
                    failure.text = _x("\n".join(_line(f) for f in failing))
                elif (not findings and rule is not None and rule.history
                      and rule.gate == gate.gate and s.history_unjudged
                      and rule.code in result.settings.history):
                    counts["skipped"] += 1
                    ET.SubElement(case, "skipped", message=_x(
                        f"not judged against git history: {s.history_unjudged}"))
                elif findings and all(f.suppressed for f in findings):
                    counts["skipped"] += 1
                    ET.SubElement(case, "skipped", message=_x(
                        "waived: " + "; ".join(sorted({f.justification or "no justification"
                                                       for f in findings}))))
                if others:
                    out = ET.SubElement(case, "system-out")
                    out.text = _x("\n".join(_line(f) for f in others))
            suite.set("tests", str(counts["tests"]))
            suite.set("failures", str(counts["failures"]))
            suite.set("errors", "0")
            suite.set("skipped", str(counts["skipped"]))
            for k in totals:
                totals[k] += counts[k]
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(totals["skipped"]))
    return root


def render_junit(result: RunResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    root = as_tree(result, options.rules())
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + neutral_xml(ET.tostring(
        root, encoding="unicode")) + "\n"


REPORTER: Reporter = render_junit
