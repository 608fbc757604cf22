"""The terminal report, in the protocol's own words: per set, each gate's
status line followed by its findings as ``path:line:col: CODE [severity] msg``.

Artifact text and folder names are shown through ``safe_text`` (no control
character reaches the terminal) and every line through ``neutral_log``, so that
none can be read as a GitHub workflow command (``\\::`` and ``##\\[``)."""

from __future__ import annotations

from sustain_lint.model import Finding, GateStatus, RunResult, Severity
from sustain_lint.reporters import DEFAULT_OPTIONS, Reporter, ReportOptions, safe_text
from sustain_lint.reporters.neutral import neutral_log
from sustain_lint.reporters.settings import gates_text, settings_line, unjudged_reason

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


def render_text(result: RunResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    color, quiet = options.color, options.quiet

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
                    continue
                sev = "waived" if f.suppressed else f.severity.value
                text = (f"  {format_location(f)}: {f.rule} [{paint(sev, f.severity)}] "
                        f"{safe_text(f.message)}")
                if f.suppressed and f.justification:
                    text += f" (waiver: {safe_text(f.justification)})"
                text = neutral_log(text)
                lines.append(text if not (color and f.suppressed) else f"{_DIM}{text}{_RESET}")
                if f.capacity_alert and not f.suppressed and f.gate == 1:
                    lines.append(neutral_log(
                        f"  {paint('[CAPACITY ALERT]', f.severity)} Support coverage gaps "
                        f"detected for {safe_text(f.capacity_alert)}."))
        lines.append("")
    order = list(options.rules())
    configuration = settings_line(result.settings, order)
    if configuration is not None:
        lines.append(safe_text(configuration))
    lines.append(safe_text(_closing(result)))
    return neutral_log("\n".join(lines) + "\n")


def _closing(result: RunResult) -> str:
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
            f"fix the findings above and run sustain-lint again.")


REPORTER: Reporter = render_text
