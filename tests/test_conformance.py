"""The loaders against public conformance suites (vendored under
``tests/conformance/<suite>/``, each with its LICENSE and SOURCES.md): for every case,
our verdict is the suite's (accepted with the same data, or refused as SL002 with a
location), never an exception; each deliberate divergence is listed beside its reason.

- JSONTestSuite ``test_parsing``: ``y_`` accepted with the data Python's json reads,
  ``n_`` refused (NaN and Infinity too), ``i_`` (implementation-defined) as listed;
- yaml-test-suite (the ``data`` branch, bundled in ``cases.json``): valid YAML read as
  ``in.json`` says, invalid YAML refused, except the divergences in ``divergences.json``
  (reasons: several documents, tags beyond the core schema, libyaml's own limits, YAML
  1.1 as ``yaml.safe_load`` reads it, an empty file, duplicate keys as SL004);
- csv-spectrum: each CSV read (by both readers) as its JSON says;
- the GFM spec's table examples (and strike-through): each table's cells as the HTML
  renders their text.
"""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from sustain_lint.artifacts import BACKLOG, MONITORING, REPORTING, WORKFLOW
from sustain_lint.loaders import Loaded
from sustain_lint.loaders.csv_loader import load_csv
from sustain_lint.loaders.json_loader import load_json
from sustain_lint.loaders.markdown_loader import load_markdown
from sustain_lint.loaders.reading import decode
from sustain_lint.loaders.yaml_loader import load_yaml

SUITES = Path(__file__).resolve().parent / "conformance"


def _load(raw: bytes, loader: Any, name: str, **options: Any) -> Loaded:
    """As the engine reads a file: decoded (BOM, NUL, UTF-8, line ends), then loaded."""
    read = decode(raw, name)
    if read.problem is not None:
        return Loaded(None, [read.problem])
    return loader(read.text, name, data=read.data, **options)  # type: ignore[no-any-return]


def _verdict(loaded: Loaded) -> str:
    """accept, refuse (SL002 with a location), or what else happened."""
    if loaded.document is None:
        assert loaded.problems, "refused without a finding"
        for problem in loaded.problems:
            assert problem.code == "SL002", problem
            assert problem.location.line is not None and problem.location.line >= 1, problem
            assert problem.location.column is not None and problem.location.column >= 1, problem
        return "refuse"
    assert all(p.code == "SL004" for p in loaded.problems), loaded.problems
    return "accept"


# --- JSONTestSuite ------------------------------------------------------------------------

JSON_CASES = sorted((SUITES / "JSONTestSuite" / "test_parsing").glob("*.json"))
# implementation-defined cases: how we read each, and why
JSON_IMPLEMENTATION_DEFINED = {
    # numbers beyond a double's range read as Python reads them (inf, 0.0, a big int)
    **{name: "accept" for name in (
        "i_number_double_huge_neg_exp", "i_number_huge_exp", "i_number_neg_int_huge_exp",
        "i_number_pos_double_huge_exp", "i_number_real_neg_overflow",
        "i_number_real_pos_overflow", "i_number_real_underflow", "i_number_too_big_neg_int",
        "i_number_too_big_pos_int", "i_number_very_big_negative_int",
        "i_structure_500_nested_arrays")},
    # a BOM is tolerated (evidence.md §2, CSV; every format alike)
    "i_structure_UTF-8_BOM_empty_object": "accept",
    # a lone surrogate escape is no text any report could hold; not UTF-8, UTF-16: refused
    **{name: "refuse" for name in (
        "i_object_key_lone_2nd_surrogate", "i_string_1st_surrogate_but_2nd_missing",
        "i_string_1st_valid_surrogate_2nd_invalid", "i_string_UTF-16LE_with_BOM",
        "i_string_UTF-8_invalid_sequence", "i_string_UTF8_surrogate_U+D800",
        "i_string_incomplete_surrogate_and_escape_valid", "i_string_incomplete_surrogate_pair",
        "i_string_incomplete_surrogates_escape_valid", "i_string_invalid_lonely_surrogate",
        "i_string_invalid_surrogate", "i_string_invalid_utf-8",
        "i_string_inverted_surrogates_U+1D11E", "i_string_iso_latin_1",
        "i_string_lone_second_surrogate", "i_string_lone_utf8_continuation_byte",
        "i_string_not_in_unicode_range", "i_string_overlong_sequence_2_bytes",
        "i_string_overlong_sequence_6_bytes", "i_string_overlong_sequence_6_bytes_null",
        "i_string_truncated-utf-8", "i_string_utf16BE_no_BOM", "i_string_utf16LE_no_BOM")},
}


def test_json_suite_is_whole() -> None:
    assert len(JSON_CASES) == 318
    listed = {p.stem for p in JSON_CASES if p.name.startswith("i_")}
    assert listed == set(JSON_IMPLEMENTATION_DEFINED)


def _json_case(path: Path) -> str | None:
    """What is wrong with our reading of a case, or None."""
    raw = path.read_bytes()
    loaded = _load(raw, load_json, MONITORING)
    verdict = _verdict(loaded)
    expected = ({"y": "accept", "n": "refuse"}.get(path.name[0])
                or JSON_IMPLEMENTATION_DEFINED[path.stem])
    if verdict != expected:
        return f"{verdict}ed, should be {expected}ed"
    if verdict == "accept" and json.dumps(loaded.document.data, sort_keys=True) != json.dumps(
            json.loads(raw.decode("utf-8-sig")), sort_keys=True):
        return "other data than Python's json reads"
    return None


def test_json_test_suite() -> None:
    """(All cases in one test: 318 tests' own overhead was most of their time.)"""
    wrong = {path.stem: why for path in JSON_CASES if (why := _json_case(path))}
    assert wrong == {}


# --- yaml-test-suite ----------------------------------------------------------------------

YAML_CASES: list[dict[str, Any]] = json.loads(
    (SUITES / "yaml-test-suite" / "cases.json").read_text(encoding="utf-8"))
YAML_DIVERGENCES: dict[str, str] = json.loads(
    (SUITES / "yaml-test-suite" / "divergences.json").read_text(encoding="utf-8"))

SEVERAL = "several documents: an evidence file is one document"
TAGS = "a tag beyond the core schema (!foo, !!set, !!binary, ...) is refused, never constructed"
EMPTY = "an empty file holds no evidence (SL002)"
COMPLEX_KEY = "a mapping or list as a key: no evidence value has one"
DUPLICATE = "duplicate keys are SL004: the file is read, the later value wins"
LIBYAML_REFUSES = "libyaml's own limits: it refuses this valid YAML (so does yaml.safe_load)"
LIBYAML_C_REFUSES = ("libyaml's own limits: its C parser refuses this valid YAML "
                     "(yaml.safe_load's pure-Python parser reads it)")
LIBYAML_ACCEPTS = "libyaml accepts this invalid YAML (as yaml.safe_load does)"
LIBYAML_C_ACCEPTS = ("libyaml's C parser accepts this invalid YAML (yaml.safe_load's "
                     "pure-Python parser refuses it)")
AS_SAFE_LOAD = "read as yaml.safe_load reads it (YAML 1.1, libyaml), not as YAML 1.2 reads it"


def _json_documents(text: str) -> list[Any]:
    decoder, pos, out = json.JSONDecoder(), 0, []
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return out
        value, pos = decoder.raw_decode(text, pos)
        out.append(value)


def _safe_load(text: str) -> tuple[str, Any]:
    try:
        return "accept", list(yaml.load_all(text, Loader=yaml.SafeLoader))
    except Exception:  # noqa: BLE001 - PyYAML raises errors of many kinds
        return "refuse", None


def _yaml_divergence(case: dict[str, Any]) -> str | None:
    """Why our reading of a case differs from the suite's, or None when it does not."""
    loaded = _load(case["yaml"].encode("utf-8"), load_yaml, WORKFLOW)
    verdict = _verdict(loaded)
    safe, safe_data = _safe_load(case["yaml"])
    if case["error"]:
        if verdict == "refuse":
            return None
        if any(p.code == "SL004" for p in loaded.problems):
            return DUPLICATE
        return LIBYAML_ACCEPTS if safe == "accept" else LIBYAML_C_ACCEPTS
    if verdict == "refuse":
        message = loaded.problems[0].message
        for words, reason in (("more than one YAML document", SEVERAL),
                              ("uses the YAML tag", TAGS), ("is empty", EMPTY),
                              ("as a key", COMPLEX_KEY)):
            if words in message:
                return reason
        return LIBYAML_REFUSES if safe == "refuse" else LIBYAML_C_REFUSES
    if case["json"] is None:
        return None  # valid, and no JSON to compare with: read
    documents = _json_documents(case["json"])
    data = loaded.document.data
    if documents == ([data] if documents else []) or (not documents and data is None):
        return None
    assert safe == "accept" and safe_data == [data], (case["id"], data, safe_data)
    return AS_SAFE_LOAD


def test_yaml_suite_is_whole() -> None:
    assert len(YAML_CASES) == 402
    assert set(YAML_DIVERGENCES) <= {case["id"] for case in YAML_CASES}


def test_yaml_test_suite() -> None:
    """As the suite says, or the divergence listed for the case (and only then)."""
    wrong = {}
    for case in YAML_CASES:
        got, listed = _yaml_divergence(case), YAML_DIVERGENCES.get(case["id"])
        if got != listed:
            wrong[f'{case["id"]} ({case["name"]})'] = f"diverges for {got!r}, listed: {listed!r}"
    assert wrong == {}


def test_yaml_divergences_are_few() -> None:
    """Most of the suite is read as it says; each reason is one of the few above."""
    assert len(YAML_DIVERGENCES) < len(YAML_CASES) / 3
    assert set(YAML_DIVERGENCES.values()) <= {
        SEVERAL, TAGS, EMPTY, COMPLEX_KEY, DUPLICATE, LIBYAML_REFUSES, LIBYAML_C_REFUSES,
        LIBYAML_ACCEPTS, LIBYAML_C_ACCEPTS, AS_SAFE_LOAD}


# --- csv-spectrum -------------------------------------------------------------------------

CSV_CASES = sorted((SUITES / "csv-spectrum" / "csvs").glob("*.csv"))
# line ends are normalised when a file is read (CRLF and CR become LF), inside quoted
# cells too: a cell's line break reads the same whichever system saved the file
CSV_DIVERGENCES = {"newlines_crlf": "line ends normalised to \\n, inside quoted cells too"}
# the suite's own erratum: its JSON gives a phone number its CSV does not hold
CSV_ERRATA = {"location_coordinates": ("1234567890", "2095257564")}


@pytest.mark.parametrize("fast", [False, True], ids=["exact", "fast"])
@pytest.mark.parametrize("path", CSV_CASES, ids=[p.stem for p in CSV_CASES])
def test_csv_spectrum(path: Path, fast: bool) -> None:
    loaded = _load(path.read_bytes(), load_csv, BACKLOG,
                   fast_min_chars=0 if fast else 1 << 30)
    assert _verdict(loaded) == "accept"
    doc = loaded.document
    rows = [{name: doc.columns[name][i] for name in doc.header} for i in range(doc.row_count)]
    expected = json.loads((path.parent.parent / "json" / f"{path.stem}.json").read_text("utf-8"))
    if isinstance(expected, dict):  # (the suite writes a file of one row as that row)
        expected = [expected]
    if path.stem in CSV_DIVERGENCES:
        expected = json.loads(json.dumps(expected).replace("\\r\\n", "\\n"))
    if path.stem in CSV_ERRATA:
        wrong, right = CSV_ERRATA[path.stem]
        expected = json.loads(json.dumps(expected).replace(wrong, right))
    assert rows == expected


# --- GFM tables ---------------------------------------------------------------------------

_EXAMPLE = re.compile(r"^`{32} example (table|strikethrough)\n(.*?)^\.\n(.*?)^`{32}$",
                      re.MULTILINE | re.DOTALL)
GFM_TEXT = (SUITES / "gfm-tables" / "spec-tables.txt").read_text(encoding="utf-8")
GFM_EXAMPLES = [(m.group(1), m.group(2).replace("→", "\t"), m.group(3))
                for m in _EXAMPLE.finditer(GFM_TEXT)]
# A strike-through example is read inside a table cell, which holds one line: the
# spec's example of a paragraph over two lines has no cell to be put in (a divergence
# by nature, not a skip: it is left out here and counted below).
GFM_CASES = [case for case in GFM_EXAMPLES
             if not (case[0] == "strikethrough" and "\n" in case[1].strip())]


class _Cells(html.parser.HTMLParser):
    """The text of each cell of each table row of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def test_gfm_examples_are_there() -> None:
    assert sum(kind == "table" for kind, _, _ in GFM_EXAMPLES) == 8
    assert sum(kind == "strikethrough" for kind, _, _ in GFM_EXAMPLES) == 2
    assert len(GFM_EXAMPLES) - len(GFM_CASES) == 1  # the two-line paragraph


@pytest.mark.parametrize("kind, markdown, rendered", GFM_CASES,
                         ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(GFM_CASES)])
def test_gfm_spec_tables(kind: str, markdown: str, rendered: str) -> None:
    if kind == "strikethrough":
        paragraph = re.sub(r"</?(p|del)>", "", rendered).strip()
        markdown = f"| a |\n| - |\n| {markdown.strip()} |\n"
        rendered = f"<table><tr><th>a</th></tr><tr><td>{paragraph}</td></tr></table>"
    cells = _Cells()
    cells.feed(rendered)
    loaded = load_markdown(markdown, REPORTING)
    assert loaded.problems == []
    doc = loaded.document
    ours = [[table.header, *[row.cells for row in table.rows]] for table in doc.tables]
    # a row is as wide as the header: GitHub drops extra cells and fills missing ones
    assert ours == cells.tables
