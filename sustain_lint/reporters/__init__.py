"""Reporters only format a RunResult; they never judge and never write.

``FORMATS`` is the one table of output formats: the command line builds its
``--format`` choices and ``--*-file`` options from it, the docs and the tests
read it, and ``get_reporter`` imports a reporter's module only when it is used.
A new format is a module with a ``Reporter`` function and one row here (see
CONTRIBUTING.md)."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast

if TYPE_CHECKING:
    from sustain_lint.model import Finding, Rule, RunResult, SetResult


@dataclasses.dataclass(frozen=True)
class ReportOptions:
    """What a reporter may be told besides the result. ``registry`` None means
    the package's rule catalog."""

    exit_code: int | None = None  # None: the result's own exit code
    registry: Mapping[str, Rule] | None = None
    color: bool = False
    quiet: bool = False  # leave out the warnings that fail no gate (text)
    # the source line of each finding, by (finding path, line), read by the CLI (text)
    sources: Mapping[tuple[str, int], str] | None = None
    width: int = 100  # the terminal's columns: a source line is cut to them
    statistics: bool = False  # a count per rule after the findings (text)

    def rules(self) -> Mapping[str, Rule]:
        if self.registry is not None:
            return self.registry
        from sustain_lint.rules import REGISTRY

        return REGISTRY

    def code(self, result: RunResult) -> int:
        return result.exit_code if self.exit_code is None else self.exit_code


DEFAULT_OPTIONS = ReportOptions()


class Reporter(Protocol):
    """A report format: the whole report as text, from the result alone."""

    def __call__(self, result: RunResult, options: ReportOptions = DEFAULT_OPTIONS) -> str: ...


class EncodedReporter(Protocol):
    """A format's report for a file, as UTF-8 bytes: the same as its ``Reporter``'s
    text, encoded, made without building that text (html: the sets' sections come
    encoded from the workers)."""

    def __call__(self, result: RunResult, options: ReportOptions = DEFAULT_OPTIONS
                 ) -> bytes: ...


STEP_SUMMARY_BYTES = 1024 * 1024  # GitHub drops a larger step summary whole


class SummaryWriter(Protocol):
    """The Markdown a format adds to the GitHub step summary (the CLI appends it):
    at most ``limit`` bytes of UTF-8, the room the step has left; "" if nothing fits."""

    def __call__(self, result: RunResult, limit: int = STEP_SUMMARY_BYTES) -> str: ...


class SetsPreparer(Protocol):
    """What a format makes of each batch of judged sets where they were judged (the
    engine calls it in the worker that judged them, ``Options.prepare``): the same sets,
    each with its ``section`` of the report. ``registry``: the rules that judged them."""

    def __call__(self, results: list[SetResult], registry: Mapping[str, Rule]
                 ) -> list[SetResult]: ...


class Format(NamedTuple):
    """One output format. Its module (in ``sustain_lint.reporters``) exports
    ``REPORTER: Reporter``, and ``SUMMARY: SummaryWriter`` when the format adds
    to the GitHub step summary; mypy checks both against the protocols."""

    name: str
    module: str
    help: str
    file_option: bool = False  # the CLI offers --NAME-file for a further report
    summary: bool = False  # the module's SUMMARY goes to GITHUB_STEP_SUMMARY
    details: bool = False  # the report shows each set's SetDetails (the engine builds them)
    # the module's PREPARE (a SetsPreparer) renders each set's part of the report in the
    # worker that judged it; the report then reads the sets' sections, not their details
    prepare: bool = False
    encoded: bool = False  # the module's ENCODED (an EncodedReporter) writes its report files


FORMATS_TABLE: tuple[Format, ...] = (
    Format("text", "text", "the terminal report, grouped by set and gate"),
    Format("json", "json_report", "one JSON document: sets, gates, findings", file_option=True),
    Format("sarif", "sarif", "SARIF 2.1.0, for code scanning", file_option=True),
    Format("github", "github",
           "workflow commands (annotations on the pull request) and the step summary",
           summary=True),
    Format("junit", "junit", "JUnit XML, one testsuite per gate", file_option=True),
    Format("html", "html",
           "one self-contained page: gates, findings with their fixes, the L2 coverage heat "
           "map, waivers and approvals in force", file_option=True, details=True,
           prepare=True, encoded=True),
)

BY_FORMAT: dict[str, Format] = {f.name: f for f in FORMATS_TABLE}
FORMATS: tuple[str, ...] = tuple(BY_FORMAT)


def _module(fmt: str) -> Any:
    if fmt not in BY_FORMAT:
        raise ValueError(fmt)
    return importlib.import_module(f"sustain_lint.reporters.{BY_FORMAT[fmt].module}")


def get_reporter(fmt: str) -> Reporter:
    return cast("Reporter", _module(fmt).REPORTER)


def get_summary_writer(fmt: str) -> SummaryWriter | None:
    return cast("SummaryWriter", _module(fmt).SUMMARY) if BY_FORMAT[fmt].summary else None


def get_encoded_reporter(fmt: str) -> EncodedReporter | None:
    return cast("EncodedReporter", _module(fmt).ENCODED) if BY_FORMAT[fmt].encoded else None


def get_preparer(fmt: str) -> SetsPreparer | None:
    return cast("SetsPreparer", _module(fmt).PREPARE) if BY_FORMAT[fmt].prepare else None


def location_text(finding: Finding) -> str:
    """``path:line:column`` of a finding, as far as it is known (the path as it is)."""
    where = finding.path
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    return where


def safe_text(value: Any) -> str:
    """Text from an artifact made safe for a terminal or a log: control
    characters (escape sequences included) are shown escaped, never sent."""
    text = str(value)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        else:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
    return "".join(out)
