"""The terminal report, in the protocol's own words: per set, each gate's
status line followed by its findings as ``path:line:col: CODE [severity] msg``.

Artifact text and folder names are shown through ``safe_text`` (no control
character reaches the terminal) and every line through ``neutral_log``, so that
none can be read as a GitHub workflow command (``\\::`` and ``##\\[``)."""

from __future__ import annotations

from sustain_lint.model import Finding, GateStatus, RunResult, Severity
from sustain_lint.reporters import DEFAULT_OPTIONS, Reporter, ReportOptions, safe_text
from sustain_lint.reporters.neutral import neutral_log
from sustain_lint.reporters.settings import (
    gates_text,
    history_line,
    settings_line,
    unjudged_reason,
)

_COLORS = {
    GateStatus.PASSED: "\033[32m",
    GateStatus.FAILED: "\033[31m",
    GateStatus.BLOCKED: "\033[33m",
    Severity.ERROR: "\033[31m",
    Severity.WARNING: "\033[33m",
}
_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def format_location(f: Finding) -> str:
    loc = safe_text(f.path)  # a folder name is input too
    if f.line is not None:
        loc += f":{f.line}"
        if f.column is not None:
            loc += f":{f.column}"
    return loc


def source_snippet(line: str, column: int | None, width: int) -> list[str]:
    """The source line under a finding and a caret under its column, cut around the
    column to ``width`` characters. The line is artifact text: escaped (``safe_text``)
    and neutralised (``neutral_log``) before the caret is placed under it."""
    text = line.replace("\t", " ")
    gutter = "      | "
    room = max(20, width - len(gutter))
    at = (column - 1) if column is not None and column >= 1 else None
    start = 0
    if len(text) > room:
        start = 0 if at is None else max(0, min(at - room // 2, len(text) - room))
    end = start + room
    head, body, tail = ("…" if start else ""), text[start:end], ("…" if end < len(text) else "")
    if head:
        body = body[1:]
    if tail:
        body = body[:-1]
    shown = head + neutral_log(safe_text(body)) + tail
    out = [(gutter + shown).rstrip()]
    if at is not None and start <= at <= end:
        before = head + neutral_log(safe_text(text[start + len(head):at]))
        out.append(gutter + " " * len(before) + "^")
    return out


def render_text(result: RunResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    color, quiet = options.color, options.quiet and not result.strict
    sources = options.sources or {}

    def paint(text: str, key: object) -> str:
        if not color:
            return text
        return f"{_COLORS.get(key, '')}{text}{_RESET}"  # type: ignore[call-overload]

    lines: list[str] = []
    for s in result.sets:
        if len(result.sets) > 1 or not quiet:
            path = neutral_log(safe_text(s.path))  # before the colour, which is no white space
            lines.append(path if not color else f"{_BOLD}{path}{_RESET}")
        for gate in s.gates:
            label = f"[GATE {gate.gate} {gate.status.value.upper()}] {gate.name}"
            counts = []
            if gate.errors:
                counts.append(_plural(gate.errors, "error"))
            if gate.warnings:
                counts.append(_plural(gate.warnings, "warning"))
            if gate.suppressed:
                counts.append(f"{gate.suppressed} waived")
            if counts:
                label += ": " + ", ".join(counts)
            if gate.status is GateStatus.BLOCKED:
                label += " (waiting for an earlier gate)"
            lines.append(paint(label, gate.status))
            for f in s.findings:
                if f.gate != gate.gate:
                    continue
                if quiet and (f.suppressed or f.severity is Severity.WARNING):
                    continue  # fails no gate (under --strict, quiet is off: they do)
                sev = "waived" if f.suppressed else f.severity.value
                text = (f"  {format_location(f)}: {f.rule} [{paint(sev, f.severity)}] "
                        f"{safe_text(f.message)}")
                if f.suppressed and f.justification:
                    text += f" (waiver: {safe_text(f.justification)})"
                text = neutral_log(text)
                lines.append(text if not (color and f.suppressed) else f"{_DIM}{text}{_RESET}")
                source = sources.get((f.path, f.line)) if f.line is not None else None
                if source is not None:
                    snippet = source_snippet(source, f.column, options.width)
                    lines.extend(snippet if not color else [f"{_DIM}{x}{_RESET}" for x in snippet])
                if f.capacity_alert and not f.suppressed and f.gate == 1:
                    lines.append(neutral_log(
                        f"  {paint('[CAPACITY ALERT]', f.severity)} Support coverage gaps "
                        f"detected for {safe_text(f.capacity_alert)}."))
        lines.append("")
    if options.statistics:
        lines.extend(statistics_lines(result))
        lines.append("")
    order = list(options.rules())
    configuration = settings_line(result.settings, order)
    if configuration is not None:
        lines.append(safe_text(configuration))
    history = history_line(result)
    if history is not None:
        lines.append(safe_text(history))
    lines.append(safe_text(closing_line(result)))
    return neutral_log("\n".join(lines) + "\n")


def statistics_lines(result: RunResult) -> list[str]:
    """A count per rule, most frequent first (then by code), waived findings
    apart: ``  3  SL003  schema-violation (1 waived)``."""
    counts: dict[tuple[str, str], list[int]] = {}
    for s in result.sets:
        for f in s.findings:
            entry = counts.setdefault((f.rule, f.name), [0, 0])
            entry[1 if f.suppressed else 0] += 1
    if not counts:
        return ["Statistics: no findings"]
    rows = sorted(counts.items(), key=lambda item: (-sum(item[1]), item[0][0]))
    width = max(len(str(sum(n))) for _, n in rows)
    out = ["Statistics (findings per rule):"]
    for (code, name), (active, waived) in rows:
        line = f"  {active + waived:>{width}}  {code}  {name}"
        if waived:
            line += f" ({waived} waived)"
        out.append(line)
    return out


def _failed_sets(result: RunResult) -> str:
    """`` in: a, b`` naming the sets that failed, when there are several sets."""
    if len(result.sets) < 2:
        return ""
    n = result.judged_gate
    failed = [safe_text(s.path) for s in result.sets
              if any(g.gate <= n and g.status is GateStatus.FAILED for g in s.gates)]
    if not failed:
        return ""
    shown = ", ".join(failed[:10]) + (f" and {len(failed) - 10} more" if len(failed) > 10 else "")
    return f" Failed sets ({len(failed)} of {len(result.sets)}): {shown}."


def closing_line(result: RunResult) -> str:
    n = result.judged_gate
    settings = result.settings
    if not result.sets:
        return "No evidence set found."
    if result.passed and settings.selected:
        return (f"[SELECTED RULES PASSED] {', '.join(settings.selected)} - only the selected "
                "rules ran: this is no verdict on the gates.")
    if result.passed and settings.unjudged:
        return (f"[GATES NOT JUDGED] - {gates_text(settings.unjudged)} not really judged "
                f"({unjudged_reason(settings)}); the configuration above decides what ran.")
    if not result.passed and settings.unjudged and not any(
            g.status is GateStatus.FAILED for s in result.sets for g in s.gates if g.gate <= n):
        return (f"[PROTOCOL INCOMPLETE] - {gates_text(settings.unjudged)} not really judged "
                f"({unjudged_reason(settings)}), which --strict fails.")
    if result.passed:
        if n == 4:
            return "[PROTOCOL COMPLETE] - Maintenance & support framework activated."
        return f"[GATES 1-{n} PASSED] - Ready for Gate {n + 1}."
    failed = sorted({g.gate for s in result.sets for g in s.gates
                     if g.gate <= n and g.status is GateStatus.FAILED})
    total_e = sum(g.errors for s in result.sets for g in s.gates)
    total_w = sum(g.warnings for s in result.sets for g in s.gates)
    gates = ", ".join(str(g) for g in failed)
    return (f"[PROTOCOL INCOMPLETE] - Gate{'s' if len(failed) > 1 else ''} {gates} failed "
            f"({_plural(total_e, 'error')}, {_plural(total_w, 'warning')}); "
            f"fix the findings above and run sustain-lint again.{_failed_sets(result)}")


REPORTER: Reporter = render_text
