"""Coverage cell hints (issue 16): the finding points at the offending character
of the cell, at its column in the file, and names the cell to write."""

from __future__ import annotations

from pathlib import Path

import pytest

from sustain_lint.coverage import coverage_hint
from sustain_lint.loaders import get_loader
from tests.helpers import EXAMPLE, SET, copy_example, run_cli

HEAD = ("name,role,support_level,coverage,timezone,fte,skills,gap,remediation,"
        "remediation_owner,remediation_due\n")


@pytest.mark.parametrize(("cell", "at", "says"), [
    ("Mon-Fri 09:00\u201317:00", 13,
     "character 14: an en dash '\u2013' (U+2013) where a plain hyphen goes; write "
     "'Mon-Fri 09:00-17:00'"),
    ("Mon\u2013Fri 09:00-17:00", 3, "character 4: an en dash"),
    ("Sat 10:00\u201414:00", 9, "an em dash '\u2014' (U+2014)"),
    ("Mon-Fri 11am-7pm", 8,
     "character 9: '11am' is not a time on the 24-hour clock; write 'Mon-Fri 11:00-19:00'"),
    ("Daily 12am-6 a.m.", 6, "write 'Daily 00:00-06:00'"),
    ("Mon-Fri 9-5", 8, "character 9: '9-5' gives hours without minutes; write "
     "'Mon-Fri 09:00-17:00'"),
    ("Mon-Fri 09.00-17.00", 8, "'09.00' has a dot; write 'Mon-Fri 09:00-17:00'"),
    ("09:00-17:00", 0, "has no days; write the days first: 'Daily 09:00-17:00' or "
     "'Mon-Fri 09:00-17:00'"),
    ("Mon-Fri 09:00-17:00; Sun 10:00-14:00 PST", 37, "character 38: 'PST' follows the times"),
    ("Mon,Tus 09:00-17:00", 4, "character 5: 'Tus' is not a day"),
    ("Mon 09:00-25:00", 4, "character 5: '25:00' is not a time of day"),
    ("  on demand", 2, "character 3: 'on demand' is no coverage window; leave coverage empty "
     "for on-demand rows"),
    ("On-call as needed", 0, "leave coverage empty for on-demand rows"),
    ("(ad hoc)", 0, "leave coverage empty for on-demand rows"),
    ("24/7 \u2713", 5, "character 6: '\u2713' (U+2713) has no place in a coverage cell"),
])
def test_hints_point_at_the_character(cell: str, at: int, says: str) -> None:
    hint = coverage_hint(cell)
    assert hint is not None
    assert hint.at == at
    assert says in hint.message


@pytest.mark.parametrize("cell", ["24/7", "Mon-Fri 9:00-17:00", "", "Weekdays 08:00 - 18:00",
                                  "Mon-Fri\t09:00-17:00"])
def test_no_hint_for_a_valid_cell(cell: str) -> None:
    assert coverage_hint(cell) is None


def test_hints_are_linear_on_long_cells() -> None:
    hint = coverage_hint("Mon " + " " * 200_000 + "9-5")
    assert hint is not None and hint.at == 200_004


def _doc(text: str) -> object:
    return get_loader("csv")(text, "capacity-analysis.csv").document


def test_char_location_in_quoted_cells() -> None:
    row = 'A,L2,L2,"Mon ""x"" \u2013\nSun",,1,,,,,\n'
    doc = _doc(HEAD + row)
    value = doc.columns["coverage"][0]  # type: ignore[attr-defined]
    assert value == 'Mon "x" \u2013\nSun'
    # past the opening quote, each doubled quote one character
    assert doc.char_location(0, "coverage", value.index("\u2013"))[:2] == (2, 20)  # type: ignore[attr-defined]
    # after the line break inside the cell
    assert doc.char_location(0, "coverage", value.index("S"))[:2] == (3, 1)  # type: ignore[attr-defined]
    assert doc.char_location(0, "coverage", 0) == doc.cell_location(0, "coverage")  # type: ignore[attr-defined]


def test_the_finding_column_is_the_character(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    path = repo / SET / "capacity-analysis.csv"
    lines = (EXAMPLE / SET / "capacity-analysis.csv").read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("Mon-Fri 08:00-18:00", "Mon-Fri 08:00\u201318:00")
    path.write_text("".join(lines))
    data = run_cli(["--today", "2026-11-22", "--format", "json", "."], repo).json
    (finding,) = [f for f in data["sets"][0]["findings"] if f["rule"] == "SL003"]
    assert (finding["line"], finding["column"]) == (2, 38)
    assert lines[1][finding["column"] - 1] == "\u2013"
