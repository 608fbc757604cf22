"""CSV: read with the standard library's C reader, which knows on which line
each record starts (quoted cells may span lines) and lets ragged rows be
found. Cells stay strings; an empty cell is a missing value."""

from __future__ import annotations

import csv
import io

from sustain_lint.documents import CsvDocument
from sustain_lint.loaders import Loaded
from sustain_lint.model import Location, Problem

MAX_RAGGED_REPORTED = 20


def load_csv(text: str, artifact: str) -> Loaded:
    reader = csv.reader(io.StringIO(text), strict=True)
    header: list[str] | None = None
    header_line = 1
    rows: list[list[str]] = []
    row_lines: list[int] = []
    problems: list[Problem] = []
    ragged = 0
    start = 1
    try:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            if not row:
                continue  # a blank line
            if header is None:
                header, header_line = [c.strip() for c in row], start
                continue
            if len(row) != len(header):
                ragged += 1
                if ragged <= MAX_RAGGED_REPORTED:
                    problems.append(Problem(
                        artifact,
                        f"row {len(rows) + ragged} has {len(row)} cells but the header has "
                        f"{len(header)}; give every row exactly one cell per column "
                        "(quote cells that contain commas)",
                        Location(start, 1, f"row {len(rows) + ragged}"),
                        code="SL002",
                    ))
                continue
            rows.append(row)
            row_lines.append(start)
    except csv.Error as exc:
        # point at the record that could not be read (where an unclosed quote opened),
        # not at the end of the file where the reader gave up
        return Loaded(None, [Problem(
            artifact, f"is not valid CSV: {exc} in the record that starts on line {start}; "
            "check its quoting (a cell with a comma, quote or line break is written in "
            "double quotes, a quote inside as \"\")",
            Location(start, 1), code="SL002",
        )])
    if header is None:
        return Loaded(None, [Problem(artifact, "has no header row", Location(1, 1), code="SL002")])
    if ragged:
        if ragged > MAX_RAGGED_REPORTED:
            problems.append(Problem(
                artifact, f"{ragged - MAX_RAGGED_REPORTED} more rows have the wrong number of cells",
                Location(header_line, 1, "header"), code="SL002",
            ))
        return Loaded(None, problems)
    columns: dict[str, list[str]] = {}
    transposed = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    seen: dict[str, int] = {}
    doc = CsvDocument(header, columns, row_lines, text, header_line)
    for index, name in enumerate(header):
        if name in seen:
            problems.append(Problem(
                artifact,
                f"duplicate column '{name}' in the header (first is column {seen[name] + 1}); "
                "rename or remove one",
                Location(header_line, _header_column(text, header_line, index), f"header, column {name}"),
                code="SL004",
            ))
            continue
        seen[name] = index
        columns[name] = list(transposed[index])
    return Loaded(doc, problems)


def _header_column(text: str, header_line: int, index: int) -> int:
    from sustain_lint.documents import _field_column

    start = 0
    for _ in range(header_line - 1):
        start = text.index("\n", start) + 1
    return _field_column(text, start, index)
