"""Helpers shared by rule modules: reading the charter's service-level table
and the people of the capacity roster. Pure functions of parsed documents."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, NamedTuple

from sustain_lint.documents import CsvDocument, MarkdownDocument, MarkdownTable, Section
from sustain_lint.values import parse_duration

if TYPE_CHECKING:
    from sustain_lint.coverage import RosterEntry, YearCoverage

SEVERITIES = ("P1", "P2", "P3", "P4")
_SEVERITY = re.compile(r"\bP([1-9])\b", re.IGNORECASE)


class SlaRow(NamedTuple):
    severity: str  # P1..P4
    response: str  # the cell text
    resolution: str
    response_minutes: float | None
    resolution_minutes: float | None
    line: int


def sla_section(doc: MarkdownDocument) -> Section | None:
    return doc.find_section("service level", "sla")


def sla_table(doc: MarkdownDocument) -> MarkdownTable | None:
    """The charter's service-level table: in the service-levels section, the
    first table with Severity, Response and Resolution columns."""
    section = sla_section(doc)
    if section is None:
        return None
    return doc.find_table("severity", "response", "resolution", within=section)


def severity_of(cell: str) -> str | None:
    m = _SEVERITY.search(cell)
    return f"P{m.group(1)}" if m else None


def charter_sla(doc: MarkdownDocument) -> dict[str, SlaRow]:
    """Rows of the service-level table by severity (the first row of each wins)."""
    table = sla_table(doc)
    if table is None:
        return {}
    sev_i = table.column("severity")
    resp_i = table.column("response")
    reso_i = table.column("resolution")
    rows: dict[str, SlaRow] = {}
    for row in table.rows:
        sev = severity_of(table.cell(row, sev_i))
        if sev is None or sev in rows:
            continue
        response = table.cell(row, resp_i)
        resolution = table.cell(row, reso_i)
        rows[sev] = SlaRow(sev, response, resolution, parse_duration(response),
                           parse_duration(resolution), row.line)
    return rows


def normalise_name(value: str) -> str:
    return " ".join(value.split()).casefold()


def capacity_people(doc: CsvDocument) -> set[str]:
    """Every name and role of the capacity roster, normalised (trimmed, case-folded)."""
    known: set[str] = set()
    for column in ("name", "role"):
        for value in doc.column(column):
            if value.strip():
                known.add(normalise_name(value))
    return known


# --- L2 coverage of the capacity roster -------------------------------------------------

def is_l2(level: str) -> bool:
    return level.strip().upper() == "L2"


def l2_rows(doc: CsvDocument) -> list[int]:
    """Indexes of the data rows whose support_level is L2."""
    return [i for i, level in enumerate(doc.column("support_level")) if is_l2(level)]


def l2_entries(doc: CsvDocument) -> tuple[RosterEntry, ...]:
    """The L2 rows' coverage, labelled by name (else ``row N``). A row whose
    coverage or timezone is invalid (SL003 reports it) or whose coverage is
    empty contributes nothing."""
    from sustain_lint.coverage import roster_entry

    entries = []
    for i in l2_rows(doc):
        label = " ".join(doc.value(i, "name").split()) or f"row {i + 1}"
        found = roster_entry(label, doc.value(i, "coverage"), doc.value(i, "timezone"))
        if found is not None:
            entries.append(found)
    return tuple(entries)


def l2_year(doc: CsvDocument, today: dt.date) -> YearCoverage:
    """The L2 coverage on every day of the 365 days from ``today`` (memoised
    in ``sustain_lint.coverage``: SL111 and SL113 both ask)."""
    from sustain_lint.coverage import year_coverage

    return year_coverage(l2_entries(doc), today)
