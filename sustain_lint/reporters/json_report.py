"""The JSON report of product.md: stable keys, sorted findings, POSIX paths.
No line can be read as a GitHub workflow command (``reporters.neutral``: ``##[``
is written ``##\\u005b``; the decoded values are unchanged)."""

from __future__ import annotations

import json
from typing import Any

from sustain_lint import __version__
from sustain_lint.model import RunResult
from sustain_lint.reporters import DEFAULT_OPTIONS, Reporter, ReportOptions
from sustain_lint.reporters.neutral import neutral_json


def as_dict(result: RunResult) -> dict[str, Any]:
    return {
        "tool": "sustain-lint",
        "version": __version__,
        "today": result.today,
        "gate": result.judged_gate,
        "strict": result.strict,
        "passed": result.passed,
        "configuration": {
            "file": result.settings.config,
            "selected": list(result.settings.selected),
            "switched_off": list(result.settings.off),
            "downgraded": list(result.settings.downgraded),
            "not_judged": list(result.settings.unjudged),
        },
        "sets": [
            {
                "path": s.path,
                "passed": s.passed(result.judged_gate),
                # why SL106/SL313 could not judge the set against git history (None: judged)
                "history_not_judged": s.history_unjudged if result.settings.history else None,
                "gates": [
                    {"gate": g.gate, "name": g.name, "status": g.status.value,
                     "errors": g.errors, "warnings": g.warnings, "suppressed": g.suppressed}
                    for g in s.gates
                ],
                "findings": [
                    {"rule": f.rule, "name": f.name, "severity": f.severity.value,
                     "gate": f.gate, "path": f.path, "line": f.line, "column": f.column,
                     "logical_location": f.logical, "message": f.message,
                     "suppressed": f.suppressed, "justification": f.justification}
                    for f in s.findings
                ],
                "waivers": [w._asdict() for w in s.waivers],
            }
            for s in result.sets
        ],
    }


def render_json(result: RunResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    return neutral_json(json.dumps(as_dict(result), indent=2, ensure_ascii=False)) + "\n"


REPORTER: Reporter = render_json
