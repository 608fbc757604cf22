"""What the formats say, at their edges: JSON has no NaN or infinity (SL002 at the
value); a CSV cell longer than the csv module's default field limit is read, by both
readers; a CSV header after blank lines is located at its own line and column."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sustain_lint.artifacts import CAPACITY, CHARTER, MONITORING
from sustain_lint.loaders.csv_loader import load_csv
from sustain_lint.loaders.json_loader import load_json
from tests.helpers import SET, TODAY, copy_example, run_cli


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_that_json_lacks_are_sl002(constant: str) -> None:
    text = '{\n  "name": "NaN and Infinity in a string are text",\n  "x": [1,\n    ' \
           f'{constant}]\n}}\n'
    loaded = load_json(text, MONITORING)
    assert loaded.document is None
    [problem] = loaded.problems
    assert problem.code == "SL002" and constant in problem.message
    assert (problem.location.line, problem.location.column) == (4, 5)


def test_json_nan_through_the_cli(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    path = repo / SET / MONITORING
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    data = json.loads("".join(lines))
    assert data  # the example's file is JSON; put a NaN where a value is
    text = "".join(lines).replace("{", '{"threshold": NaN, ', 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli(["--today", TODAY, "--format", "json", "."], cwd=repo)
    assert result.code == 1
    found = [(f["rule"], f["path"].rsplit("/", 1)[-1], f["line"])
             for s in result.json["sets"] for f in s["findings"]]
    assert ("SL002", MONITORING, 1 + text[:text.index("NaN")].count("\n")) in found, found


@pytest.mark.parametrize("fast", [False, True])
def test_a_csv_cell_longer_than_the_default_field_limit_is_read(fast: bool) -> None:
    default = 131072
    assert csv.field_size_limit() >= default
    long_cell = "x" * (default * 2)
    text = "name,skills\n" + "".join(f"P{i},{long_cell if i == 3 else 'a'}\n" for i in range(6))
    loaded = load_csv(text, CAPACITY, data=text.encode(), fast_min_chars=0 if fast else 1 << 30)
    assert loaded.problems == []
    assert list(loaded.document.columns["skills"])[3] == long_cell


@pytest.mark.parametrize("before", ["\n", "\n\n", "  \n", "\n\t\n"])
def test_a_csv_header_after_blank_lines_is_located_at_its_own_line(before: str) -> None:
    text = before + "name, name,role\nAnn,Ann,L1\n"
    loaded = load_csv(text, CAPACITY)
    [dup] = loaded.problems
    line = before.count("\n") + 1
    assert dup.code == "SL004"
    assert (dup.location.line, dup.location.column) == (line, 6)
    assert loaded.document.row_lines[0] == line + 1


@pytest.mark.parametrize("cell, value", [
    ("[Ann][ann]", "Ann"), ("[ann]", "ann"), ("[Ann][nobody]", "[Ann][nobody]"),
    ("~~Bob~~ Carl", "Bob Carl"), ("~gone~ kept", "gone kept"), ("~ not struck ~", "~ not struck ~"),
    ("Ann<br>Lee", "Ann Lee"), ("<span>Dee</span>", "Dee"), ("x <!-- note -->", "x"),
    ("`<b>` and `~a~`", "<b> and ~a~"), ("**bold** _it_", "bold it"), ("&amp; &lt;", "& <"),
    (r"a \| b", "a | b"),
])
def test_a_markdown_cell_reads_as_github_renders_it(cell: str, value: str) -> None:
    from sustain_lint.artifacts import REPORTING
    from sustain_lint.loaders.markdown_loader import load_markdown

    text = (f"## Metrics\n\n| metric | source |\n|---|---|\n| {cell} | x |\n\n"
            "[ann]: https://example.com/ann \"Ann Lee\"\n[Ann Lee]: https://example.com/\n")
    doc = load_markdown(text, REPORTING).document
    assert doc.tables[0].rows[0].cells[0] == value


# (artifact, text before which a Unicode line break goes into a value, a later breakage)
_LATER = [
    (MONITORING, '"Payments error rate', ('"status": "active", "owner": "Support Lead"',
                                                  '"status": "bogus", "owner": "Support Lead"')),
    (CAPACITY, "tickets, customer comms", ("Europe/London,0.2,", "Europe/London,lots,")),
    (CHARTER, "In scope: the Payments API", ("| P4 | 24h |", "| P4 | soon |")),
]


@pytest.mark.parametrize("char", ["\u2028", pytest.param("\x85", marks=pytest.mark.slow),
                                  pytest.param("\u2029", marks=pytest.mark.slow)])
@pytest.mark.parametrize("artifact, before, later", _LATER, ids=[a for a, _, _ in _LATER])
def test_unicode_line_breaks_shift_no_finding(tmp_path: Path, artifact: str, before: str,
                                              later: tuple[str, str], char: str) -> None:
    """Every format: the findings after a U+2028, U+2029 or U+0085 in a value are at the
    lines they are at without it."""
    found = []
    for inserted in ("", char):
        repo = copy_example(tmp_path / f"r{len(found)}")
        path = repo / SET / artifact
        text = path.read_text(encoding="utf-8")
        assert before in text and later[0] in text
        text = text.replace(before, before[:4] + inserted + before[4:], 1)
        path.write_text(text.replace(later[0], later[1], 1), encoding="utf-8")
        result = run_cli(["--today", TODAY, "--format", "json", "."], cwd=repo)
        found.append([(f["rule"], f["path"], f["line"], f["column"])
                      for s in result.json["sets"] for f in s["findings"]])
    assert found[0] == found[1] and found[0], found
