"""The SARIF 2.1.0 report (product.md "Reports"): one run, every rule of the
registry in ``tool.driver.rules``, one result per finding.

Choices that matter to GitHub code scanning:
- artifact URIs are relative to the working directory (the repository root in
  CI) with ``uriBaseId`` ``%SRCROOT%``, recorded in ``run.originalUriBaseIds``;
- ``fingerprints`` holds a hash that ignores line numbers, so an alert survives
  edits above it; ``partialFingerprints`` is left to the uploader (it computes
  ``primaryLocationLineHash``) and ``automationDetails`` is never written (it
  would override the uploader's ``category``);
- waived findings stay in the log with an accepted external suppression.

The output is deterministic: no timestamps, stable order, sorted keys. No line
can be read as a GitHub workflow command (``reporters.neutral``: ``##[`` is
written ``##\\u005b``; the decoded values are unchanged).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sustain_lint import INFORMATION_URI, __version__
from sustain_lint.model import Finding, Rule, RunResult
from sustain_lint.reporters import DEFAULT_OPTIONS, Reporter, ReportOptions
from sustain_lint.reporters.neutral import neutral_json
from sustain_lint.reporters.settings import history_line, settings_line, unjudged_line

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "sustainLint/v1"

_LINE_NUMBERS = re.compile(r"\b(lines?|rows?|col(?:umn)?s?)\s+\d+(?:\s*[-–]\s*\d+)?", re.IGNORECASE)
_PATH_POSITION = re.compile(r"(\.\w+):\d+(?::\d+)?\b")


def _level(severity: str) -> str:
    return "error" if severity == "error" else "warning"


def _gate_tag(rule: Rule) -> str:
    return f"gate-{rule.gate}" if rule.gate is not None else "gate-of-file"


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    from sustain_lint.ruledocs import explain_text, help_markdown

    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _sentence(rule.summary)},
        "fullDescription": {"text": _sentence(rule.what)},
        "help": {"text": explain_text(rule), "markdown": help_markdown(rule)},
        "defaultConfiguration": {"level": _level(rule.severity.value)},
        "properties": {
            "tags": ["maintenance", "protocol-18", _gate_tag(rule)],
            "gate": rule.gate if rule.gate is not None else "file's",
            "waivable": rule.waivable,
        },
    }


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def uri_of(path: str) -> str:
    """A relative URI reference for a display path (POSIX, relative to cwd)."""
    return quote(path.replace(os.sep, "/"), safe="/-._~")


def srcroot_uri(cwd: str) -> str:
    uri = Path(cwd).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _logical_kind(logical: str) -> str:
    if logical.startswith("/"):
        return "property"
    if logical.startswith("front matter"):
        return "property"
    if logical.startswith(("row", "header")):
        return "value"
    return "text"


def fingerprint(f: Finding) -> str:
    """Stable across edits that move the finding: rule, file, logical place and
    the message with line/column numbers removed."""
    message = _PATH_POSITION.sub(r"\1", _LINE_NUMBERS.sub(r"\1", f.message))
    message = " ".join(message.split())
    raw = "\0".join((f.rule, f.path, f.logical or "", message))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _result(f: Finding, index: dict[str, int], seen: dict[str, int]) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": uri_of(f.path), "uriBaseId": SRCROOT},
    }
    if f.line is not None:
        region: dict[str, Any] = {"startLine": max(1, f.line)}
        if f.column is not None:
            region["startColumn"] = max(1, f.column)
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if f.logical:
        location["logicalLocations"] = [{
            "name": f.logical,
            "fullyQualifiedName": f"{f.artifact}:{f.logical}",
            "kind": _logical_kind(f.logical),
        }]
    fp = fingerprint(f)
    seen[fp] = seen.get(fp, 0) + 1
    if seen[fp] > 1:  # identical findings in one file: keep each distinct
        fp = f"{fp}:{seen[fp]}"
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "level": _level(f.severity.value),
        "message": {"text": f.message},
        "locations": [location],
        "fingerprints": {FINGERPRINT_KEY: fp},
        "properties": {"gate": f.gate, "evidenceSet": f.set_path},
    }
    if f.rule in index:
        result["ruleIndex"] = index[f.rule]
    if f.suppressed:
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if f.justification:
            suppression["justification"] = f.justification
        result["suppressions"] = [suppression]
    return result


def _configuration_notifications(result: RunResult, index: dict[str, int]) -> dict[str, Any]:
    """``toolConfigurationNotifications``: the configuration file in force, each rule it
    switched off or downgraded, and the gates that were not really judged."""
    settings = result.settings
    notes: list[dict[str, Any]] = []
    line = settings_line(settings, list(index))
    if line is not None:
        notes.append({"level": "note", "message": {"text": line}})
    for code in settings.off:
        notes.append({"level": "note", "associatedRule": {"id": code, "index": index[code]},
                      "message": {"text": f"{code} is switched off: it did not run"}})
    for code in settings.downgraded:
        notes.append({"level": "note", "associatedRule": {"id": code, "index": index[code]},
                      "message": {"text": f"{code} is downgraded from error to warning"}})
    history = history_line(result)
    if history is not None:
        notes.append({"level": "note", "message": {"text": history}})
    unjudged = unjudged_line(result)
    if unjudged is not None:
        notes.append({"level": "warning", "message": {"text": unjudged}})
    return {"toolConfigurationNotifications": notes} if notes else {}


def as_sarif(result: RunResult, exit_code: int, registry: Mapping[str, Rule],
             cwd: str | None = None) -> dict[str, Any]:
    rules = [registry[code] for code in sorted(registry)]
    index = {r.code: i for i, r in enumerate(rules)}
    seen: dict[str, int] = {}
    results = [_result(f, index, seen)
               for s in result.sets for f in sorted(s.findings, key=Finding.sort_key)]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sustain-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(r) for r in rules],
            }},
            "invocations": [{
                "executionSuccessful": exit_code in (0, 1),
                "exitCode": exit_code,
                **_configuration_notifications(result, index),
            }],
            "originalUriBaseIds": {SRCROOT: {"uri": srcroot_uri(cwd or os.getcwd())}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "today": result.today,
                "judgedGate": result.judged_gate,
                "strict": result.strict,
                "passed": result.passed,
                "sets": [
                    {"path": s.path, "passed": s.passed(result.judged_gate),
                     **({"historyNotJudged": s.history_unjudged} if s.history_unjudged
                        and result.settings.history else {}),
                     "gates": [{"gate": g.gate, "name": g.name, "status": g.status.value,
                                "errors": g.errors, "warnings": g.warnings,
                                "suppressed": g.suppressed} for g in s.gates]}
                    for s in result.sets
                ],
            },
        }],
    }


def render_sarif(result: RunResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    return neutral_json(json.dumps(as_sarif(result, options.code(result), options.rules()),
                                   indent=2, sort_keys=True, ensure_ascii=False)) + "\n"


REPORTER: Reporter = render_sarif
