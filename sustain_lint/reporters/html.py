"""``--format html``: one self-contained page for the people who sign Gate 4.

The page is a Jinja2 template (``templates/report.html``) with autoescaping on:
artifact text, file and folder names reach it only as template variables, never
concatenated into markup, and every one of them is escaped (``&<>"'``) after
``safe_text`` (control characters shown escaped). No artifact text goes into an
attribute other than a quoted ``title``, none into a link, a style or a script;
the page has no script and no link that leaves it, and its Content-Security-Policy
forbids scripts and remote content (``default-src 'none'``). Every piece of the
page goes through ``neutral_html`` (no line a GitHub runner reads as a command):
each set's section where the set was judged (``prepare_sets``, in its worker), the
page's head and tail here; each piece is whole lines, so the pieces' neutral text
is the page's.

The view model is built here (plain values); the template only lays it out.
Deterministic: nothing depends on the clock, the machine or the order of a set."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sustain_lint.model import Finding, GateStatus, Rule, RunResult, SetResult, Severity
from sustain_lint.reporters import (
    DEFAULT_OPTIONS,
    EncodedReporter,
    Reporter,
    ReportOptions,
    SetsPreparer,
    heatmap,
    location_text,
    safe_text,
)
from sustain_lint.reporters.neutral import neutral_html
from sustain_lint.reporters.settings import code_ranges, settings_line, unjudged_line

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import jinja2
    from markupsafe import Markup

    from sustain_lint.model import CoveragePeriod, HourCell, SetDetails

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; "
       "base-uri 'none'; form-action 'none'")


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}`` of a template: text shown with control characters
    escaped (then autoescaped as markup); numbers and the page's own markup (the
    style sheet, the heat map's cells: ``Markup``) as they are."""
    if type(value) is str:
        return safe_text(value)
    return value


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("sustain_lint.reporters", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the package's templates do not change under a run
    )


def render_page(template: str, **context: Any) -> str:
    style = environment().loader.get_source(  # type: ignore[union-attr]
        environment(), "style.css")[0]
    text = environment().get_template(template).render(csp=CSP, style=style, **context)
    return neutral_html(text)


def _caret(line: str, column: int | None) -> str | None:
    if column is None or column < 1 or column > len(line) + 1:
        return None
    # the caret under the column: the line's tabs kept so that it lines up
    return "".join(ch if ch == "\t" else " " for ch in line[:column - 1]) + "^"


def _finding(f: Finding, sources: Mapping[tuple[str, int], str],
             rules: Mapping[str, Rule]) -> dict[str, Any]:
    source = sources.get((f.path, f.line)) if f.line is not None else None
    rule = rules.get(f.rule)
    return {
        "where": location_text(f),
        "logical": f.logical,
        "rule": f.rule,
        "name": f.name,
        "severity": "waived" if f.suppressed else f.severity.value,
        "message": f.message,
        "justification": f.justification,
        "source": "\t".join(map(safe_text, source.split("\t"))) if source is not None else None,
        "caret": _caret(source, f.column) if source is not None else None,
        "fix": rule.fix if rule is not None else None,
    }


@functools.lru_cache(maxsize=512)
def _cell(state: str, people: int) -> Markup:
    """One hour of the heat map: its state as text (the number of L2 people covering
    it, ◐ partly covered, ✗ a gap, · not judged: ``heatmap.MARKS``) and as a class,
    but for a covered hour, the colour every cell has unless its class says otherwise
    (most cells are covered: the page of 1,000 sets is a quarter smaller). Only the
    tool's own constants and a number: who covers when is the table under the map."""
    from markupsafe import Markup

    if state == heatmap.FULL:  # the most common cell: the style sheet's default colour
        return Markup("<td>{}</td>").format(people)
    return Markup('<td class="{}">{}</td>').format(state, heatmap.MARKS[state])


def _row(cells: Sequence[HourCell]) -> Markup:
    return _row_of(tuple((heatmap.state(c), len(c.who)) for c in cells))


@functools.lru_cache(maxsize=1024)
def _row_of(marks: tuple[tuple[str, int], ...]) -> Markup:
    """A day's 24 cells (rows repeat: Monday to Friday often alike)."""
    from markupsafe import Markup

    return Markup("".join([_cell(state, people) for state, people in marks]))


ROSTER, EXPORTS = "roster", "exports"
# the words of a map of each kind: the roster's offset periods (every week of one alike),
# the exports' calendar weeks
_WORDS = {
    ROSTER: {"map": "Period", "caption": "L2 coverage by UTC hour", "gaps":
             "Every week of this period", "who": "Who covers when", "on": "L2 on duty"},
    EXPORTS: {"map": "Week", "caption": "L2 on-call shifts by UTC hour", "gaps":
              "In this week", "who": "Who is on shift when", "on": "On shift"},
}


def _verdict_of(period: CoveragePeriod) -> tuple[str, bool]:
    """The heading's verdict of a map, and whether it is a failure."""
    gaps = heatmap.gap_hours(period)
    if gaps:
        return f"{gaps} hour{'' if gaps == 1 else 's'} with a gap", True
    if heatmap.outside_hours(period):
        return "every judged hour covered", False
    return "covered 24/7", False


@functools.lru_cache(maxsize=256)
def map_fragment(period: CoveragePeriod, number: int, kind: str = ROSTER) -> Markup:
    """The heat map of one period (or an export's week), rendered by the template
    ``heatmap.html`` (escaped like the page) once per distinct period: the sets of a
    team often share a roster, or an export."""
    from markupsafe import Markup

    verdict, failed = _verdict_of(period)
    view = {
        "label": period.label,
        "offsets": heatmap.offsets_text(period) if kind == ROSTER else None,
        "rows": [{"day": day, "cells": _row(cells)} for day, cells in heatmap.rows(period)],
        "gaps": heatmap.gap_lines(period),
        "verdict": verdict,
        "failed": failed,
        "spans": [{"when": sp.text(), "state": sp.state, "state_text": heatmap.SHORT_TEXT[sp.state],
                   "who": ", ".join(sp.who) if sp.who else
                   "—" if sp.state == heatmap.OUTSIDE else "nobody"}
                  for sp in heatmap.spans(period)],
        "words": _WORDS[kind],
    }
    return Markup(environment().get_template("heatmap.html").render(m=view, number=number))


@functools.lru_cache(maxsize=4)
def legend(states: tuple[str, ...]) -> Markup:
    """The page's legend of the map cells: each state's mark (as in the cells, the
    class giving its colour) and words. The tool's own constants only; rendered once."""
    from markupsafe import Markup

    return Markup(" ").join(
        Markup('<span class="{}">{}</span> {}').format(
            state, heatmap.MARKS.get(state, "N"),
            "covered all hour, by N people" if state == heatmap.FULL
            else heatmap.STATE_TEXT[state])
        for state in states) + Markup(". ")


@functools.lru_cache(maxsize=256)
def roster_section(maps: tuple[Markup, ...], note: str | None, gaps: tuple[str, ...],
                   horizon: str) -> Markup:
    """The roster's part of a set's section (``roster.html``): its legend, the year's
    gaps with their dates and its maps, or why there is none. Rendered once per
    distinct roster: only the tool's constants, maps and dates, and the note."""
    from markupsafe import Markup

    return Markup(environment().get_template("roster.html").render(
        maps=maps, note=note, gaps=gaps, horizon=horizon, legend=legend(heatmap.ROSTER_STATES)))


@functools.lru_cache(maxsize=256)
def schedule_section(maps: tuple[Markup, ...], note: str | None, incomplete: bool,
                     gaps: tuple[str, ...], exports: tuple[str, ...], horizon: str,
                     weeks: int) -> Markup:
    """The on-call exports' part of a set's section (``schedule.html``): the exports,
    why the maps stop early, the legend, the gaps with their dates, a map per week.
    Rendered once per distinct schedule (the exports' names are artifact text,
    escaped like the page's)."""
    from markupsafe import Markup

    return Markup(environment().get_template("schedule.html").render(
        maps=maps, note=note, incomplete=incomplete, gaps=gaps, exports=exports,
        horizon=horizon, weeks=weeks, legend=legend(heatmap.STATES)))


def _encoded(part: str) -> bytes:
    """A part of the page, whole lines, as the page has it: ``neutral_html`` of whole
    lines is that of the page they are in; UTF-8."""
    return neutral_html(part).encode("utf-8")


@functools.lru_cache(maxsize=8)
def _encoded_once(part: Markup) -> bytes:
    return _encoded(part)


class _Sections:
    """The roster's and the exports' parts of each set's section, encoded, for one
    batch of sets. The sets a worker judges together share their maps' objects (the
    memoised details): a part is looked up by the identity of its maps first, and by
    value (``roster_section``, ``schedule_section``, ``map_fragment``) only for the
    first set of each such group, so that 1,000 sets do not hash 8,000 maps; and it is
    encoded once, so that a set's section costs its own markup, not its maps'."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[object, tuple[object, ...], bytes]] = {}

    def _once(self, maps: object, rest: tuple[object, ...], make: Callable[[], Markup]
              ) -> bytes:
        found = self._seen.get(id(maps))
        if found is None or found[0] is not maps or found[1] != rest:
            found = self._seen[id(maps)] = (maps, rest, _encoded(make()))
        return found[2]

    def roster(self, d: SetDetails | None) -> bytes:
        if d is None:
            return _encoded_once(roster_section((), None, (), ""))
        rest = (d.coverage_note, d.gap_dates, d.horizon)
        return self._once(d.coverage, rest, lambda: roster_section(tuple(
            map_fragment(period, n) for n, period in enumerate(d.coverage, 1)), *rest))

    def schedule(self, d: SetDetails | None) -> bytes:
        if d is None:
            return _encoded_once(schedule_section((), None, False, (), (), "", 0))
        rest = (d.schedule_note, d.schedule_incomplete, d.schedule_gaps, d.schedule_exports,
                d.schedule_horizon, d.schedule_weeks)
        return self._once(d.schedule, rest, lambda: schedule_section(tuple(
            map_fragment(week, n, EXPORTS) for n, week in enumerate(d.schedule, 1)), *rest))


def set_id(path: str) -> str:
    """The page's id of a set's section (its anchor, ``#set-…``): from the set's display
    path alone, so that a worker renders the section without knowing the others, and a
    link to a set survives sets added to the run. Hex digits only: no artifact text."""
    import hashlib

    return "set-" + hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# where the parts rendered once go in a rendered section or page: comments no artifact
# text can make (every ``<`` of theirs is escaped), replaced by the parts' bytes
_COVERAGE = "<!--sustain-lint: the roster's maps-->\n"
_SCHEDULE = "<!--sustain-lint: the exports' maps-->\n"
_SECTIONS = "<!--sustain-lint: the sets' sections-->\n"


def _spliced(text: str, marks: Sequence[str]) -> list[str]:
    """``text`` cut at each of ``marks``, in order: each there exactly once (the
    template's own)."""
    pieces = []
    for mark in marks:
        before, text = text.split(mark)
        pieces.append(before)
    pieces.append(text)
    return pieces


def _set_view(s: SetResult, rules: Mapping[str, Rule]) -> dict[str, Any]:
    sources = {(src.path, src.line): src.text for src in s.details.sources} \
        if s.details is not None else {}
    by_gate = []
    for g in s.gates:
        by_gate.append({
            "gate": g.gate, "name": g.name, "status": g.status.value,
            "findings": [_finding(f, sources, rules) for f in s.findings if f.gate == g.gate],
        })
    from markupsafe import Markup

    return {
        "id": set_id(s.path),
        "path": s.path,
        "gates": s.gates,
        "by_gate": by_gate,
        "coverage": Markup(_COVERAGE),
        "schedule": Markup(_SCHEDULE),
        "waivers": s.waivers,
        "approvals": s.details.approvals if s.details is not None else (),
    }


class Section(bytes):
    """A set's section of the page as ``set_sections`` rendered it (in the worker that
    judged the set: ``prepare_sets``): UTF-8, through ``neutral_html`` already. Only
    this type is taken as the page's own markup, never other bytes or text."""

    __slots__ = ()


@functools.lru_cache(maxsize=1)
def _set_template() -> jinja2.Template:
    """``set.html``, with every template a set's section renders compiled too: once a
    process, and before the pool of workers forks when the engine first calls
    ``prepare_sets`` with no set, so that each worker inherits them."""
    for name in ("heatmap.html", "roster.html", "schedule.html"):
        environment().get_template(name)
    return environment().get_template("set.html")


def set_sections(results: Sequence[SetResult], rules: Mapping[str, Rule]) -> list[Section]:
    """Each set's section of the page (``set.html``): its own markup rendered, with the
    parts the sets share (the roster's and the exports' maps: ``_Sections``) rendered and
    encoded once and put in as bytes. Every piece is whole lines (its ``neutral_html``
    is the page's)."""
    parts = _Sections()
    template = _set_template()
    out = []
    for s in results:
        head, middle, tail = _spliced(template.render(s=_set_view(s, rules)),
                                      (_COVERAGE, _SCHEDULE))
        out.append(Section(b"".join([
            _encoded(head), parts.roster(s.details), _encoded(middle),
            parts.schedule(s.details), _encoded(tail)])))
    return out


def prepare_sets(results: list[SetResult], registry: Mapping[str, Rule]) -> list[SetResult]:
    """``PREPARE``: the sets, each with its section of the page, rendered in the worker
    that judged them: in parallel, and the worker sends back the section's bytes
    instead of the set's maps."""
    import dataclasses

    return [dataclasses.replace(s, section=section)
            for s, section in zip(results, set_sections(results, registry), strict=True)]


def _verdict(result: RunResult) -> str:
    from sustain_lint.reporters.text import closing_line

    return closing_line(result)


def configuration(result: RunResult, rules: Mapping[str, Rule]) -> dict[str, Any]:
    st = result.settings
    order = list(rules)
    return {
        "file": st.config,
        "summary": settings_line(st, order),
        "selected": ", ".join(st.selected),
        "off": [(code, rules[code].name if code in rules else "") for code in st.off],
        "off_ranges": code_ranges(st.off, order),
        "downgraded": [(code, rules[code].name if code in rules else "")
                       for code in st.downgraded],
        "unjudged": unjudged_line(result),
        "strict": result.strict,
        "gate": result.judged_gate,
    }


def _pieces(result: RunResult, options: ReportOptions) -> tuple[str, list[Section], str]:
    """The page: the part before the sets' sections, the sections (each as its worker
    rendered it, or rendered here for a set without one), the part after."""
    from markupsafe import Markup

    rules = options.rules()
    ready = [s.section if isinstance(s.section, Section) else None for s in result.sets]
    rendered = iter(set_sections([s for s, section in zip(result.sets, ready, strict=True)
                                  if section is None], rules))
    sections = [section if section is not None else next(rendered) for section in ready]
    sets = [{"id": set_id(s.path), "path": s.path,
             "errors": sum(g.errors for g in s.gates),
             "warnings": sum(g.warnings for g in s.gates)} for s in result.sets]
    failed = [v for v, s in zip(sets, result.sets, strict=True)
              if not s.passed(result.judged_gate)]
    page = render_page(
        "report.html",
        version=result.tool_version,
        today=result.today,
        passed=result.passed,
        verdict=_verdict(result),
        config=configuration(result, rules),
        sets=sets,
        sections=Markup(_SECTIONS),
        failed=failed,
        exit_code=options.code(result),
        GateStatus=GateStatus,
        Severity=Severity,
    )
    head, tail = _spliced(page, (_SECTIONS,))
    return head, sections, tail


def render_html(result: RunResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    head, sections, tail = _pieces(result, options)
    return "".join([head, *(section.decode("utf-8") for section in sections), tail])


def encoded_html(result: RunResult, options: ReportOptions = DEFAULT_OPTIONS) -> bytes:
    """``ENCODED``: the page as ``render_html`` has it, in UTF-8, for a file: the
    sections' bytes as the workers made them, never decoded and encoded again."""
    head, sections, tail = _pieces(result, options)
    return b"".join([head.encode("utf-8"), *sections, tail.encode("utf-8")])


REPORTER: Reporter = render_html
PREPARE: SetsPreparer = prepare_sets
ENCODED: EncodedReporter = encoded_html
