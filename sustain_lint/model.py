"""Value objects shared by the engine, the rules and the reporters.

Nothing here does I/O or imports a heavy dependency: ``sustain-lint rules``
and ``explain`` import this module and must start fast.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from sustain_lint.context import Context


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


class Location(NamedTuple):
    """A place in one artifact. ``line``/``column`` are 1-based; ``logical``
    names the place in the file's own terms (JSON pointer, CSV row and column,
    Markdown heading)."""

    line: int | None = None
    column: int | None = None
    logical: str | None = None


class Problem(NamedTuple):
    """What a rule (or a loader) yields: a judgement about one place."""

    artifact: str
    message: str
    location: Location = Location()
    code: str | None = None  # set when one check function serves several rules
    gate: int | None = None  # overrides the rule's gate (waiver findings)
    # not 0: this is no problem but a stand-in for that many more of its code in its file
    # that a producer did not build (None: at least one, not counted); see limits.py
    omitted: int | None = 0
    # a coverage finding: the uncovered windows, for the text report's protocol prompt
    # "[CAPACITY ALERT] Support coverage gaps detected for <windows>."
    capacity_alert: str | None = None


@dataclasses.dataclass(frozen=True)
class Finding:
    """A problem resolved against the rule catalog, configuration and waivers."""

    rule: str
    name: str
    severity: Severity
    gate: int
    set_path: str  # display path of the evidence set
    path: str  # display path of the file (relative to the working dir, POSIX)
    artifact: str  # file name inside the set
    line: int | None
    column: int | None
    logical: str | None
    message: str
    suppressed: bool = False
    justification: str | None = None
    capacity_alert: str | None = None  # see Problem.capacity_alert

    def sort_key(self) -> tuple[object, ...]:
        return (
            self.gate,
            self.path,
            self.line if self.line is not None else 0,
            self.column if self.column is not None else 0,
            self.rule,
            self.message,
        )


class Check(Protocol):
    """The interface of a rule's check: judge parsed data, yield problems."""

    def __call__(self, ctx: Context) -> Iterator[Problem]: ...


@dataclasses.dataclass(frozen=True)
class Rule:
    """One rule of the catalog. ``what``/``why``/``fix``/``example`` are the
    single source of the rule's documentation (``explain``, ``rules``,
    SARIF help, docs/rules.md)."""

    code: str
    name: str
    gate: int | None  # None: the gate of the file (or of the waived rule)
    severity: Severity
    summary: str
    what: str
    why: str
    fix: str
    example: str
    check: Check | None = None  # None: produced by the engine itself
    waivable: bool = True
    # the artifacts whose git history the rule judges (Context.history): the engine has
    # the history provider gather it when such a rule runs
    history: tuple[str, ...] = ()

    @property
    def gate_label(self) -> str:
        return str(self.gate) if self.gate is not None else "file's"


GATE_NAMES: dict[int, str] = {
    1: "Charter & Capacity",
    2: "Operations Enablement",
    3: "Governance",
    4: "Readiness Validation",
}


class GateStatus(str, enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    BLOCKED = "blocked"

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass(frozen=True)
class GateResult:
    gate: int
    name: str
    status: GateStatus
    errors: int
    warnings: int
    suppressed: int


class WaiverView(NamedTuple):
    """A valid waiver in force (waivers.yaml), as the reports show it."""

    rule: str
    path: str | None  # the file it is limited to (relative to the set folder); None: any
    justification: str
    approved_by: str
    expires: str  # YYYY-MM-DD
    days_left: int  # from the run's ``today``; 0: expires today


class ApprovalView(NamedTuple):
    """The row in force of one stakeholder of the readiness approval log."""

    stakeholder: str
    role: str
    decision: str
    date: str  # as written ("" when none)
    age_days: int | None  # days from ``date`` to the run's ``today``; None: no date


class HourCell(NamedTuple):
    """One UTC hour of the week (0 = Monday 00:00-01:00 UTC) of a coverage map.

    A map of the on-call exports has hours outside the judged horizon (before
    today, after the end of the horizon or of an export that ends early): they are
    ``judged=False``, with no minute covered and nobody on shift."""

    covered: int  # minutes of the hour with somebody on duty (60 - the gap's minutes), 0-60
    # who covers some of it: the L2 rows in roster order, or those on shift in an
    # export, in the order their shifts start
    who: tuple[str, ...]
    judged: bool = True  # False: outside the judged horizon (an export's week only)


class CoveragePeriod(NamedTuple):
    """The weekly L2 coverage in UTC during one distinct offset period of the year
    (every zone of the roster keeps one UTC offset). ``gaps`` are (start, end) minutes
    from Monday 00:00 UTC, the one ending the week joined to the one starting it
    (end > one week).

    The on-call exports' maps use the same shape for one calendar week each (Monday
    00:00 UTC to the next Monday): one span, offsets UTC, and the gaps of that week
    only (none joined: the week does not repeat)."""

    label: str  # the dates of the period: "2026-11-22 to 2027-03-27 and 2027-10-31 to ..."
    spans: tuple[tuple[str, str], ...]  # (first day, last day) of each stretch, YYYY-MM-DD
    offsets: tuple[tuple[str, int], ...]  # (zone, minutes east of UTC); zone "" is UTC
    hours: tuple[HourCell, ...]  # 168 cells
    gaps: tuple[tuple[int, int], ...]

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled compactly (from a worker process to the one that writes the page):
        the minutes and the judged flags of the hours as bytes, who covers them as
        numbers into the distinct tuples of names. Pickled as they are, the 168
        ``NamedTuple`` cells of each map, and their tuples of names, took more of a
        large run than writing its page."""
        who = list(dict.fromkeys(cell.who for cell in self.hours))
        number = {names: index for index, names in enumerate(who)}
        ids = [number[cell.who] for cell in self.hours]
        return _period, (self.label, self.spans, self.offsets,
                         bytes(cell.covered for cell in self.hours),
                         bytes(cell.judged for cell in self.hours), tuple(who),
                         bytes(ids) if len(who) <= 256 else tuple(ids), self.gaps)


def _period(label: str, spans: tuple[tuple[str, str], ...], offsets: tuple[tuple[str, int], ...],
            covered: bytes, judged: bytes, who: tuple[tuple[str, ...], ...],
            ids: bytes | tuple[int, ...], gaps: tuple[tuple[int, int], ...]) -> CoveragePeriod:
    hours = zip(covered, map(who.__getitem__, ids), map(bool, judged), strict=True)
    return CoveragePeriod(label, spans, offsets,
                          tuple(map(tuple.__new__, itertools.repeat(HourCell), hours)), gaps)


class SourceLine(NamedTuple):
    path: str  # display path of the file, as in the findings
    line: int
    text: str  # the line as written (cut to a few hundred characters)


@dataclasses.dataclass(frozen=True)
class SetDetails:
    """What only the pages people look at show (the html format, ``coverage``): the
    L2 coverage maps, the approvals in force and the source lines of the findings.
    The engine builds it only when a run asks for it."""

    coverage: tuple[CoveragePeriod, ...] = ()
    coverage_note: str | None = None  # why there is no map (no roster, no L2 row ...)
    # the gaps of the 365 days from today, with their dates ("Sat 00:00-07:00 UTC weekly
    # from 2026-11-28 to 2027-11-20")
    gap_dates: tuple[str, ...] = ()
    horizon: str = ""  # "2026-11-22 to 2027-11-21": the days the maps cover
    approvals: tuple[ApprovalView, ...] = ()
    sources: tuple[SourceLine, ...] = ()
    # the on-call exports (SL115-SL117's horizon, ``schedules.view``): one map per calendar
    # week that overlaps the judged horizon, hours outside it not judged
    schedule: tuple[CoveragePeriod, ...] = ()
    # why there is no map of the exports, or why it stops early: no export, an export
    # unreadable (SL002) or not expanded (SL003), an export that ends early (SL117)
    schedule_note: str | None = None
    # the uncovered windows of the judged horizon with their dates, as SL115 words them
    schedule_gaps: tuple[str, ...] = ()
    schedule_exports: tuple[str, ...] = ()  # every export of the set, readable or not
    schedule_weeks: int = 0  # the weeks the judged horizon overlaps (``schedule``: at most 53)
    schedule_horizon: str = ""  # "2026-11-22 to 2026-12-19": the horizon's days

    @property
    def schedule_incomplete(self) -> bool:
        """The set has exports, but no map of them judged to the horizon's end."""
        return bool(self.schedule_exports) and self.schedule_note is not None



@dataclasses.dataclass(frozen=True)
class SetResult:
    path: str  # display path of the set folder
    gates: tuple[GateResult, ...]
    findings: tuple[Finding, ...]
    waivers: tuple[WaiverView, ...] = ()  # the valid waivers in force
    details: SetDetails | None = None  # only when the run asked for it (Options.details)
    # the set folder's absolute path, for the CLI to keep reports out of it; in no report
    folder: str = dataclasses.field(default="", compare=False, repr=False)
    # the files a glob artifact matched (the on-call exports, which ``schedules`` may find in
    # subfolders or elsewhere in the repository), relative to ``folder``: kept out of too
    members: tuple[str, ...] = dataclasses.field(default=(), compare=False, repr=False)
    # why the rules that judge git history (Rule.history) could not judge this set: not in
    # a git repository, no git, git refused; None when they judged it or did not run
    history_unjudged: str | None = None
    # a report's own part of this set, made where the set was judged (``Options.prepare``:
    # the html page's section, rendered and encoded in the worker that judged the set); in
    # no report but that one's
    section: bytes | None = dataclasses.field(default=None, compare=False, repr=False)

    def passed(self, up_to_gate: int) -> bool:
        return all(g.status is GateStatus.PASSED for g in self.gates if g.gate <= up_to_gate)


def member_path(set_path: str, name: str) -> str:
    """The display path of the file ``name`` a set's glob artifact matched (relative to
    the set's folder: in a subfolder, or outside it with ``..``), as the reports and the
    refusal to write into the evidence show it."""
    import posixpath

    return posixpath.normpath(f"{set_path}/{name}")


STRUCTURAL_RULES = ("SL001", "SL002", "SL003", "SL004")
"""Without these, no file is checked for existence, syntax or shape: no gate is judged."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """What really ran: the configuration file in force, the rules it (or the command
    line) switched off or downgraded, and the judged gates whose verdict rests on no
    rule. Every report names them: a gate is only as good as the rules that ran."""

    config: str | None = None  # display path of the configuration file; None: defaults
    selected: tuple[str, ...] = ()  # --select / `select`: only these codes or prefixes ran
    off: tuple[str, ...] = ()  # rule codes that did not run
    downgraded: tuple[str, ...] = ()  # error rules running as warnings (`[severity]`)
    unjudged: tuple[int, ...] = ()  # judged gates no running rule could fail
    history: tuple[str, ...] = ()  # the running rules that judge git history (Rule.history)

    @property
    def changed(self) -> bool:
        return bool(self.off or self.downgraded)


@dataclasses.dataclass(frozen=True)
class RunResult:
    tool_version: str
    today: str
    judged_gate: int  # gates 1..judged_gate decide the exit code
    gate_given: bool
    strict: bool
    sets: tuple[SetResult, ...]
    settings: Settings = Settings()

    @property
    def passed(self) -> bool:
        if self.strict and self.settings.unjudged and self.sets:
            return False  # --strict fails the gates that were not really judged
        return all(s.passed(self.judged_gate) for s in self.sets)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1
