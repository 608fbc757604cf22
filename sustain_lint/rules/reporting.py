"""SL221-SL222: the reporting specification (``reporting-spec.md``, Gate 2, step 2.3).

The spec holds a metric table with columns ``Metric | Source`` (more allowed:
Target, Owner, Dashboard). Every table of the file with both columns counts.
The four metrics the protocol's maintenance reporting needs are recognised in
the Metric cell by case-insensitive keywords (see ``METRICS``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple, Protocol

from sustain_lint.artifacts import REPORTING
from sustain_lint.context import Context
from sustain_lint.documents import MarkdownDocument, MarkdownTable, TableRow
from sustain_lint.model import Location, Problem, Rule, Severity
from sustain_lint.names import is_placeholder
from sustain_lint.rules._common import closest_table, lacks

_WHY = ("Protocol 18, step 2.3 (Define Reporting Dashboard): \"Outline maintenance reporting "
        "metrics and dashboard requirements.\" Gate 2 criterion: \"Runbooks consolidated, "
        "workflow configured, reporting spec drafted\"; the protocol's closing criterion: "
        "\"reporting metrics defined\".")


class Searcher(Protocol):
    def search(self, string: str) -> object: ...


class OnOneLine:
    """Searches like ``a.*b|b.*a`` (``.`` stops at a line break), in linear time: the
    ``.*`` of that regex ran to the end of the text from every ``a`` that no ``b``
    followed (a cell repeating 'backlog': quadratic). The same whenever no match of
    ``a`` can overlap one of ``b``, as with the words below."""

    def __init__(self, first: re.Pattern[str], second: re.Pattern[str]) -> None:
        self.first = first
        self.second = second

    def search(self, string: str) -> bool:
        return any(self.first.search(line) and self.second.search(line)
                   for line in string.split("\n"))


class Metric(NamedTuple):
    name: str
    pattern: Searcher
    example: str


# Case-insensitive keyword matching on the Metric cell (documented in docs/decisions/gate2.md).
METRICS: tuple[Metric, ...] = (
    Metric("response time", re.compile(r"\brespon", re.IGNORECASE),
           "| Response time per severity | Jira Service Management SLA report |"),
    Metric("backlog aging",
           OnOneLine(re.compile("backlog", re.IGNORECASE),
                     re.compile(r"\bag(e|es|ed|ing|eing)\b", re.IGNORECASE)),
           "| Backlog aging | backlog-register.csv, Jira |"),
    Metric("recurring incidents", re.compile(r"\brecurr|\brepeat", re.IGNORECASE),
           "| Recurring incidents | PagerDuty incident log, postmortems |"),
    Metric("customer satisfaction", re.compile(r"satisf|\bcsat\b", re.IGNORECASE),
           "| Customer satisfaction | CSAT survey after ticket closure |"),
)


def metric_tables(doc: MarkdownDocument) -> list[MarkdownTable]:
    return [t for t in doc.tables if t.has_columns("metric", "source")]


def metric_rows(doc: MarkdownDocument) -> Iterator[tuple[MarkdownTable, TableRow, str, str]]:
    """(table, row, metric cell, source cell) for every row with a Metric."""
    for table in metric_tables(doc):
        m_i = table.column("metric")
        s_i = table.column("source")
        for row in table.rows:
            metric = table.cell(row, m_i)
            if metric:
                yield table, row, metric, table.cell(row, s_i)


def check_metrics(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(REPORTING, MarkdownDocument)
    if doc is None:
        return
    tables = metric_tables(doc)
    if not tables:
        rows = (f"a row for each of {', '.join(m.name for m in METRICS)}, such as "
                f"`{METRICS[1].example}`")
        closest = closest_table(doc.tables, ("metric", "source"))
        if closest is None:
            yield Problem(
                REPORTING,
                f"{REPORTING} has no metric table; add a table with columns Metric | Source "
                f"and {rows}",
                Location(1, 1, "table Metric | Source"))
        else:  # a table with other headers: one finding, at it
            table, lacking = closest
            yield Problem(
                REPORTING,
                f"the table at line {table.line} of {REPORTING} is no metric table: it "
                f"{lacks(table, lacking)}; name its columns Metric | Source (Target, Owner and "
                f"Dashboard may follow), with {rows}",
                Location(table.line, 1, "table Metric | Source"))
        return
    names = [metric for _, _, metric, _ in metric_rows(doc)]
    first = tables[0]
    for metric in METRICS:
        if any(metric.pattern.search(name) for name in names):
            continue
        yield Problem(
            REPORTING,
            f"the metric table (line {first.line}) has no row for {metric.name}; add a row "
            f"such as `{metric.example}` (its Metric cell must name the metric, see "
            "`sustain-lint explain SL221`)",
            Location(first.line, 1, "table Metric | Source"),
        )


SL221 = Rule(
    code="SL221",
    name="reporting-metric-missing",
    gate=2,
    severity=Severity.WARNING,
    summary="No metric row for response time, backlog aging, recurring incidents or "
    "customer satisfaction",
    what="`reporting-spec.md` holds a table with columns `Metric | Source` (any table of "
    "the file with both columns counts) whose Metric cells name each of four metrics, "
    "matched case-insensitively: response time (a word starting with `respon`: response, "
    "responded), backlog aging (`backlog` together with the word age, ages, aged, aging or "
    "ageing), recurring incidents (a word starting with `recurr` or `repeat`), customer "
    "satisfaction (`satisf` or the word `CSAT`). One finding per missing metric, at the "
    "table's header line. With no such table, one finding: at the table that comes closest "
    "(naming the columns it lacks and the headers it has), or at line 1 when the file has "
    "no table at all.",
    why=_WHY + " Response time, backlog age, recurring incidents and customer satisfaction "
    "are how the review meetings of Gate 4 tell whether the support plan works.",
    fix="Add a row per missing metric to the metric table, with the Source the number comes "
    "from (and a Target, Owner and Dashboard if you have them).",
    example=("reporting-spec.md:9:1: SL221 [warning] the table at line 9 of reporting-spec.md"
             " is no metric table: it lacks the columns Metric, Source (its header is Name |"
             " Where from); name its columns Metric | Source (Target, Owner and Dashboard may"
             " follow), with a row for each of response time, backlog aging, recurring"
             " incidents, customer satisfaction, such as `| Backlog aging |"
             " backlog-register.csv, Jira |`\n"
             "\n"
             "What passes:\n")
            + ("| Metric | Source | Target |\n|---|---|---|\n| Response time per severity | Jira "
    "SLA report | P1 within 15m |\n| Backlog aging | backlog-register.csv | no P1 older than "
    "14 days |\n| Recurring incidents | PagerDuty, postmortems | fewer each quarter |\n"
    "| Customer satisfaction | CSAT survey | 4.5 / 5 |"),
    check=check_metrics,
)


def check_sources(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(REPORTING, MarkdownDocument)
    if doc is None:
        return
    for _, row, metric, source in metric_rows(doc):
        if not is_placeholder(source):
            continue
        state = f"the placeholder Source '{source}'" if source else "an empty Source"
        yield Problem(
            REPORTING,
            f"the metric row '{metric}' has {state}; write where the number comes from "
            "(the system, report or file, e.g. Jira Service Management SLA report, PagerDuty "
            "incident log, backlog-register.csv)",
            Location(row.line, 1, f"table row: {metric}"),
        )


SL222 = Rule(
    code="SL222",
    name="reporting-source-missing",
    gate=2,
    severity=Severity.WARNING,
    summary="A metric row with an empty Source",
    what="Every row of the metric table (`Metric | Source`) that names a metric has a "
    "Source that is not empty or a placeholder (TBD, n/a, -, ...). The finding points at "
    "the row's line.",
    why=_WHY + " A metric without a source is a wish: nobody can build the dashboard or "
    "check the number in a review.",
    fix="Write the system, report or file each metric is computed from.",
    example=("reporting-spec.md:8:1: SL222 [warning] the metric row 'Backlog"
             " aging' has an empty Source; write where the number comes from"
             " (the system, report or file, e.g. Jira Service Management SLA"
             " report, PagerDuty incident log, backlog-register.csv)\n"
             "\n"
             "What passes:\n")
            + "| Backlog aging | backlog-register.csv, Jira | no P1/P2 item older than 14 days |",
    check=check_sources,
)

RULES: tuple[Rule, ...] = (SL221, SL222)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)

__all__ = ["METRICS", "READS", "RULES"]
