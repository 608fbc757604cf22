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

In the summary no artifact text becomes a link, a mention or an issue
reference (a word GitHub would autolink goes into a code span), and the table
is cut to stay within GitHub's 1 MiB for a step summary, with a line saying how
many findings were left out.
"""

from __future__ import annotations

import re

from sustain_lint.model import Finding, GateStatus, RunResult, SetDetails, Severity
from sustain_lint.reporters import (
    DEFAULT_OPTIONS,
    STEP_SUMMARY_BYTES,
    Reporter,
    ReportOptions,
    SummaryWriter,
    safe_text,
)
from sustain_lint.reporters.neutral import neutral_inline, neutral_log, no_autolinks, stop_token
from sustain_lint.reporters.settings import history_line, settings_line, unjudged_line

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
    history = history_line(result)
    if history is not None:
        lines.append(f"sustain-lint: {_plain(history)}")
    lines.append(f"sustain-lint: {'passed' if result.passed else 'failed'} "
                 f"(gates 1-{result.judged_gate} judged)")
    return [neutral_log(line) for line in lines]


def _md_plain(text: str) -> str:
    text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(), text)
    for old, new in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(old, new)
    return text


def _md(text: str) -> str:
    """A Markdown table cell from artifact text: no row breaks, no HTML, no pipes,
    no link, mention or issue reference (such words go into code spans)."""
    return no_autolinks(safe_text(text).replace("\\n", " "), _md_plain)


_ICONS = {GateStatus.PASSED: "✅ passed", GateStatus.FAILED: "❌ failed",
          GateStatus.BLOCKED: "⏸️ blocked"}


def _size(lines: list[str]) -> int:
    """Bytes of ``"\\n".join(lines) + "\\n"``."""
    return sum(len(line.encode("utf-8", "surrogatepass")) + 1 for line in lines)


def _left_out(n: int) -> str:
    return (f"**{_plural(n, 'more finding')} not shown here**: GitHub drops a step summary "
            "over 1 MiB. The job log and the JSON or SARIF report list every finding.")


def _row(f: Finding) -> str:
    sev = f"waived ({_md(f.justification or 'no justification')})" \
        if f.suppressed else f.severity.value
    where = f.path + (f":{f.line}" if f.line is not None else "")
    return f"| {f.gate} | {f.rule} {f.name} | {sev} | {_md(where)} | {_md(f.message)} |"


SUMMARY_MAPS = 20  # sets whose coverage map the summary shows (`sustain-lint coverage`: all)
# what the summary says when the 1 MiB leaves no room for the maps of the exports, then of
# the roster too (``step_summary``)
_MAPS_LEFT_OUT = (
    "**The coverage maps are left out: no room for them within GitHub's 1 MiB** "
    "(`sustain-lint coverage` draws them).",
    "**The maps of the on-call exports are left out: no room for them within GitHub's "
    "1 MiB** (`sustain-lint coverage` draws them).")
SUMMARY_WEEKS = 5  # weeks with a gap of a set's on-call exports drawn in the summary


def coverage_summary(details: SetDetails) -> list[str]:
    """The compact heat maps of a set's roster (one line a day, one character an hour)
    and its gaps with their dates. No artifact text: the tool's characters and dates,
    and zone names, which are checked IANA names (a code span: never a link)."""
    from sustain_lint.reporters import heatmap

    out: list[str] = []
    count = len(details.coverage)
    for number, period in enumerate(details.coverage, 1):
        gaps = heatmap.gap_lines(period)
        out += [f"L2 coverage in UTC, period {number} of {count}: {period.label} "
                f"({_md(heatmap.offsets_text(period))})", "",
                "```text", *heatmap.terminal_map(period, color=False), "```", ""]
        if gaps:
            out += ["Every week of this period, nobody on duty: " + "; ".join(gaps), ""]
    out += [heatmap.legend(), ""]
    if details.gap_dates:
        out += [f"Gaps from {details.horizon}:", ""]
        out += [f"- {_md(line)}" for line in details.gap_dates] + [""]
    return out


def schedule_summary(details: SetDetails) -> list[str]:
    """The compact maps of a set's on-call exports: only the weeks with a gap are
    drawn, each distinct picture once (the weeks of a rotation look alike) and at
    most ``SUMMARY_WEEKS`` of them; one line names the weeks without a gap; then why
    the maps stop early and the gaps with their dates. Nothing for a set without
    exports. Artifact text (the exports' names, the note) only through ``_md``; no
    person's name (the html page and ``sustain-lint coverage`` show who)."""
    from sustain_lint.reporters import heatmap

    if not details.schedule_exports:
        return []
    count = details.schedule_weeks
    out = [f"L2 on-call shifts from the exports ({_md(', '.join(details.schedule_exports))}), "
           f"horizon {details.schedule_horizon}"
           + (f" ({_plural(count, 'calendar week')}, UTC):" if count else ":"), ""]
    if details.schedule_note:
        out += [f"**{_md(details.schedule_note)}**", ""]
    pictures: dict[tuple[str, ...], list[int]] = {}
    for number, week in enumerate(details.schedule, 1):
        if heatmap.gap_hours(week):
            pictures.setdefault(tuple(map(heatmap.state, week.hours)), []).append(number)
    for numbers in list(pictures.values())[:SUMMARY_WEEKS]:
        week = details.schedule[numbers[0] - 1]
        out += [f"{_weeks(numbers, details)}, nobody on shift: "
                + "; ".join(heatmap.gap_lines(week)), "",
                "```text", *heatmap.terminal_map(week, color=False), "```", ""]
    if len(pictures) > SUMMARY_WEEKS:
        more = sum(len(numbers) for numbers in list(pictures.values())[SUMMARY_WEEKS:])
        out += [f"{_plural(more, 'more week')} with a gap not drawn (`sustain-lint coverage` "
                "draws every week).", ""]
    covered = [n for n, week in enumerate(details.schedule, 1) if not heatmap.gap_hours(week)]
    if covered:
        out += [f"No gap in {_weeks(covered, details).lower()}.", ""]
    if pictures:
        out += [heatmap.legend(states=heatmap.STATES), ""]
    if details.schedule_gaps:
        out += [f"Gaps in the exports from {details.schedule_horizon}:", ""]
        out += [f"- {_md(line)}" for line in details.schedule_gaps] + [""]
    return out


def _weeks(numbers: list[int], details: SetDetails) -> str:
    """``Weeks 2-4 (2026-11-23 to 2026-12-13), 6 (...)``: runs of consecutive weeks."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = []
    for run in runs:
        first, last = details.schedule[run[0] - 1], details.schedule[run[-1] - 1]
        which = str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}"
        parts.append(f"{which} ({first.spans[0][0]} to {last.spans[-1][1]})")
    return f"Week{'' if len(numbers) == 1 else 's'} {', '.join(parts)}"


def step_summary(result: RunResult, limit: int = STEP_SUMMARY_BYTES) -> str:
    """The Markdown summary, at most ``limit`` bytes of UTF-8 (GitHub drops a larger
    one whole). When not every finding fits, the findings tables keep their first
    rows (sets in order, findings in file order) and each set that lost rows says
    how many; the gate tables are always there, the coverage maps when there is
    room (the exports' give way first, then the roster's; a line says so). An empty
    string when not even the gate tables fit. Rows past the cut are counted, never
    rendered."""
    head = ["## sustain-lint", ""]
    if not result.sets:
        head += ["No evidence set found.", ""]
    from sustain_lint.rules import REGISTRY

    tail: list[str] = []
    for extra in (settings_line(result.settings, list(REGISTRY)), unjudged_line(result),
                  history_line(result)):
        if extra is not None:
            tail += [f"**{_md(extra)}**", ""]
    verdict = "passed" if result.passed else "failed"
    tail += [f"**Result: {verdict}** (gates 1–{result.judged_gate} judged"
             f"{', strict' if result.strict else ''}).", ""]
    blocks: list[tuple[list[str], tuple[list[str], ...], list[Finding]]] = []
    shown = 0
    for s in result.sets:
        before = [f"### {_md(s.path)}", "",
                  "| Gate | Status | Errors | Warnings | Waived |",
                  "|---|---|---:|---:|---:|"]
        for g in s.gates:
            before.append(f"| {g.gate} {g.name} | {_ICONS[g.status]} | {g.errors} | "
                          f"{g.warnings} | {g.suppressed} |")
        before.append("")
        maps: tuple[list[str], ...] = ()
        if s.details is not None and (s.details.coverage or s.details.schedule_exports) \
                and shown < SUMMARY_MAPS:
            shown += 1
            maps = (coverage_summary(s.details) if s.details.coverage else [],
                    schedule_summary(s.details))
        blocks.append((before, maps, sorted(s.findings, key=Finding.sort_key)))

    def assemble(kept: list[list[str]], worst_case: bool = False,
                 drawn: int = len(_MAPS_LEFT_OUT)) -> list[str]:
        """The summary with ``kept`` rows and the first ``drawn`` kinds of map."""
        out = list(head)
        for (before, maps, findings), rows in zip(blocks, kept, strict=True):
            out += before
            out += [line for kind in maps[:drawn] for line in kind]
            if findings:
                out += ["| Gate | Rule | Severity | Location | Message |",
                        "|---|---|---|---|---|", *rows, ""]
                if worst_case or len(rows) < len(findings):
                    out += [_left_out(len(findings) - (0 if worst_case else len(rows))), ""]
        if drawn < len(_MAPS_LEFT_OUT) and any(any(kind for kind in maps[drawn:])
                                                for _, maps, _ in blocks):
            out += [_MAPS_LEFT_OUT[drawn], ""]
        return out + tail

    none: list[list[str]] = [[] for _ in blocks]
    # the maps give way before the findings do: the exports' first, then the roster's
    drawn = next((n for n in range(len(_MAPS_LEFT_OUT), 0, -1)
                  if _size(assemble(none, True, n)) <= limit + 1), 0)
    room = limit + 1 - _size(assemble(none, drawn=drawn))  # for rows, if all of them fit
    room_cut = limit + 1 - _size(assemble(none, True, drawn))  # if some are left out
    kept: list[list[str]] = [[] for _ in blocks]
    cut = False
    for (_, _, findings), rows in zip(blocks, kept, strict=True):
        for f in findings:
            row = _row(f)
            cost = _size([row])
            if cost > room:
                cut = True
                break
            room -= cost
            room_cut -= cost
            rows.append(row)
        if cut:
            break
    if cut:  # make room for the "left out" lines: drop rows from the end
        for rows in reversed(kept):
            while rows and room_cut < 0:
                room_cut += _size([rows.pop()])
    out = assemble(kept, drawn=drawn)
    return "\n".join(out) if _size(out) - 1 <= limit else ""


def render_github(result: RunResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    """The plain log lines between ``::stop-commands::TOKEN`` and ``::TOKEN::`` (the
    runner reads no command there), then the annotations."""
    log = render_log(result)
    token = stop_token(log)
    return "\n".join([f"::stop-commands::{token}", *log, f"::{token}::",
                      *render_annotations(result)]) + "\n"


REPORTER: Reporter = render_github
SUMMARY: SummaryWriter = step_summary
