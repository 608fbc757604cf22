"""``--format github``: workflow commands that GitHub turns into annotations on
the pull request, and (when ``GITHUB_STEP_SUMMARY`` is set) a Markdown gate
table with every finding appended to the job summary.

GitHub shows at most 10 error and 10 warning annotations per step, so the most
important come first (errors, then earlier gates, then file order) and one
``::notice::`` says how many were left out. Waived findings are never
annotated: they do not fail a gate; the summary lists them.

Everything taken from an artifact is escaped so that it can never end the
command or start another one: ``%``, CR and LF in messages, and additionally
``:`` and ``,`` in properties (the runner's own escaping rules). The plain log
lines are neutralised (``reporters.neutral``: no leading ``::``, no ``##[``) and
enclosed in ``::stop-commands::TOKEN`` ... ``::TOKEN::``, the token a hash of
those lines; the annotations come after, where the runner reads them again.
"""

from __future__ import annotations

import re

from sustain_lint.model import Finding, GateStatus, RunResult, Severity
from sustain_lint.reporters import DEFAULT_OPTIONS, Reporter, ReportOptions, SummaryWriter, safe_text
from sustain_lint.reporters.neutral import neutral_inline, neutral_log, stop_token
from sustain_lint.reporters.settings import settings_line, unjudged_line

MAX_PER_LEVEL = 10
_MD_SPECIAL = re.compile(r"[\\`*_\[\]|]")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _priority(f: Finding) -> tuple[object, ...]:
    return (0 if f.severity is Severity.ERROR else 1, *f.sort_key())


def _shown(text: str) -> str:
    """Text for a command: control characters other than line breaks (terminal
    escapes) shown escaped; line breaks kept, for the runner's own %0A escaping."""
    return "".join(part if part in ("\r", "\n") else safe_text(part)
                   for part in re.split(r"([\r\n])", text))


def annotation(f: Finding) -> str:
    # the real path, so the annotation attaches; a path with a terminal escape (which
    # the runner's escaping cannot carry) is shown escaped instead
    props = [f"file={escape_property(_shown(f.path))}"]
    if f.line is not None:
        props.append(f"line={f.line}")
        if f.column is not None:
            props.append(f"col={f.column}")
    props.append(f"title={escape_property(f.rule)}")
    level = "error" if f.severity is Severity.ERROR else "warning"
    # control characters other than line breaks (terminal escapes) never reach the log
    # viewer; line breaks are escaped as data, so they cannot start a command; "##["
    # is broken too (the runner reads this line as a v2 command and never as a legacy
    # one, but the message is display text and loses nothing)
    message = neutral_inline(_shown(f.message))
    return f"::{level} {','.join(props)}::{escape_data(message)}"


def _plain(text: str) -> str:
    """Artifact text in a log line: control characters shown escaped (the whole
    line is then neutralised, see ``render_log``)."""
    return safe_text(text)


def render_annotations(result: RunResult) -> list[str]:
    findings = [f for s in result.sets for f in s.findings if not f.suppressed]
    findings.sort(key=_priority)
    shown: list[str] = []
    left = {Severity.ERROR: 0, Severity.WARNING: 0}
    count = {Severity.ERROR: 0, Severity.WARNING: 0}
    for f in findings:
        if count[f.severity] < MAX_PER_LEVEL:
            count[f.severity] += 1
            shown.append(annotation(f))
        else:
            left[f.severity] += 1
    if left[Severity.ERROR] or left[Severity.WARNING]:
        parts = []
        if left[Severity.ERROR]:
            parts.append(_plural(left[Severity.ERROR], "error"))
        if left[Severity.WARNING]:
            parts.append(_plural(left[Severity.WARNING], "warning"))
        shown.append(
            "::notice title=sustain-lint::" + escape_data(
                f"{' and '.join(parts)} not annotated (GitHub shows at most "
                f"{MAX_PER_LEVEL} of each per step); see the job summary or the log "
                "for every finding"))
    return shown


def render_log(result: RunResult) -> list[str]:
    """Plain log lines: each gate's status and every finding (not commands)."""
    lines: list[str] = []
    for s in result.sets:
        lines.append(f"sustain-lint: {_plain(s.path)}")
        for g in s.gates:
            lines.append(f"  [GATE {g.gate} {g.status.value.upper()}] {g.name}: "
                         f"{_plural(g.errors, 'error')}, {_plural(g.warnings, 'warning')}, "
                         f"{g.suppressed} waived")
            for f in s.findings:
                if f.gate != g.gate:
                    continue
                sev = "waived" if f.suppressed else f.severity.value
                where = f.path + (f":{f.line}" if f.line is not None else "") + (
                    f":{f.column}" if f.line is not None and f.column is not None else "")
                lines.append(f"    {f.rule} [{sev}] {_plain(where)}: {_plain(f.message)}")
    lines.append(f"sustain-lint: {'passed' if result.passed else 'failed'} "
                 f"(gates 1-{result.judged_gate} judged)")
    return [neutral_log(line) for line in lines]


def _md(text: str) -> str:
    """A Markdown table cell from artifact text: no row breaks, no HTML, no pipes."""
    text = safe_text(text).replace("\\n", " ")
    text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(), text)
    for old, new in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(old, new)
    return text


_ICONS = {GateStatus.PASSED: "✅ passed", GateStatus.FAILED: "❌ failed",
          GateStatus.BLOCKED: "⏸️ blocked"}


def step_summary(result: RunResult) -> str:
    out = ["## sustain-lint", ""]
    if not result.sets:
        out += ["No evidence set found.", ""]
    for s in result.sets:
        out += [f"### {_md(s.path)}", "",
                "| Gate | Status | Errors | Warnings | Waived |",
                "|---|---|---:|---:|---:|"]
        for g in s.gates:
            out.append(f"| {g.gate} {g.name} | {_ICONS[g.status]} | {g.errors} | "
                       f"{g.warnings} | {g.suppressed} |")
        out.append("")
        if s.findings:
            out += ["| Gate | Rule | Severity | Location | Message |",
                    "|---|---|---|---|---|"]
            for f in sorted(s.findings, key=Finding.sort_key):
                sev = f"waived ({_md(f.justification or 'no justification')})" \
                    if f.suppressed else f.severity.value
                where = f.path + (f":{f.line}" if f.line is not None else "")
                out.append(f"| {f.gate} | {f.rule} {f.name} | {sev} | {_md(where)} | "
                           f"{_md(f.message)} |")
            out.append("")
    from sustain_lint.rules import REGISTRY

    for extra in (settings_line(result.settings, list(REGISTRY)), unjudged_line(result)):
        if extra is not None:
            out += [f"**{_md(extra)}**", ""]
    verdict = "passed" if result.passed else "failed"
    out += [f"**Result: {verdict}** (gates 1–{result.judged_gate} judged"
            f"{', strict' if result.strict else ''}).", ""]
    return "\n".join(out)


def render_github(result: RunResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    """The plain log lines between ``::stop-commands::TOKEN`` and ``::TOKEN::`` (the
    runner reads no command there), then the annotations."""
    log = render_log(result)
    token = stop_token(log)
    return "\n".join([f"::stop-commands::{token}", *log, f"::{token}::",
                      *render_annotations(result)]) + "\n"


REPORTER: Reporter = render_github
SUMMARY: SummaryWriter = step_summary
