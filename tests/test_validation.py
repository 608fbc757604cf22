"""SL003 internals: CSV columns are judged on their distinct values with
pandera (whether the columns share one padded frame or each has its own, the
verdicts agree; a column that passes every check is answered without pandera,
and that answer is pandera's); JSON Schemas are validated with their local
references inlined (the same errors and messages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sustain_lint import validation
from tests.helpers import FIXTURES, ROOT, materialize, modules_imported

SPECS = {
    "due": {"type": "date"},
    "status": {"required": True, "enum": ["open", "done"]},
    "tz": {"type": "timezone"},
    "cov": {"type": "coverage"},
    "n": {"type": "number"},
}
VALUES = {
    "due": ["2026-01-01", "bad", "", "2026-02-30"],
    "status": ["", "open", "nope"],
    "tz": ["Mars/Base"],
    "cov": ["Mon-Fri 09:00-17:00", "whenever"],
    "n": ["1", "-1", "x", "0.5", ""],
}
EXPECTED = {
    "due": {"bad": "date", "2026-02-30": "date"},
    "status": {"": "required", "nope": "enum"},
    "tz": {"Mars/Base": "timezone"},
    "cov": {"whenever": "coverage"},
    "n": {"-1": "number", "x": "number"},
}


@pytest.mark.parametrize("shared_max", [0, 2, 4096])
def test_verdicts_do_not_depend_on_frames(monkeypatch: pytest.MonkeyPatch, shared_max: int) -> None:
    monkeypatch.setattr(validation, "_SHARED_FRAME_MAX", shared_max)
    assert validation._failing_values(VALUES, SPECS) == EXPECTED


def test_no_values_no_verdicts() -> None:
    assert validation._failing_values({"due": []}, {"due": {"type": "date"}}) == {}


def _pandera_only(values: dict[str, list[str]], specs: dict[str, dict[str, Any]]
                  ) -> dict[str, dict[str, str]]:
    """The verdicts with every column handed to pandera (no yes/no answer first)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validation, "_passes", lambda values, checks: False)
        return validation._failing_values(values, specs)


ALL_SPECS = {**SPECS, "id": {"required": True}, "p": {"enum": ["P1", "P2"]},
             "free": {"type": "text"}}
# valid and invalid cells of every kind, and cells one kind takes for another's
POOL = sorted({v for column in VALUES.values() for v in column} | {
    "2026-11-22", "2024-02-29", "2023-02-29", "26-1-1", "P1", "P2", "p1", "P3", "open",
    "done", "Open", "UTC", "Europe/Berlin", "europe/berlin", "../etc", "0", "1e3", "inf",
    "nan", "-0", "1_000", "0x10", "24/7", "Mon-Sun 00:00-24:00", "Sat 25:00-26:00", "x y",
    "BL-1", "\u00e9t\u00e9"})


@pytest.mark.parametrize("examples", [15, pytest.param(100, marks=pytest.mark.slow)])
def test_the_answer_without_pandera_is_pandera_s(examples: int) -> None:
    @settings(max_examples=examples, deadline=None)
    @given(st.dictionaries(st.sampled_from(sorted(ALL_SPECS)),
                           st.lists(st.sampled_from(POOL), unique=True, max_size=12),
                           max_size=len(ALL_SPECS)))
    def check(values: dict[str, list[str]]) -> None:
        specs = {name: ALL_SPECS[name] for name in values}
        expected = _pandera_only(values, specs)
        assert validation._failing_values(values, specs) == expected
        for name, column in values.items():
            checks = validation._cell_checks(validation._spec_key(specs[name]))
            assert validation._passes(column, checks) == (name not in expected), name

    check()


NUMBER = validation._cell_checks(validation._spec_key({"type": "number"}))[0]


@pytest.mark.parametrize("examples", [50, pytest.param(300, marks=pytest.mark.slow)])
def test_a_sure_number_is_a_number_to_pandas(examples: int) -> None:
    @settings(max_examples=examples, deadline=None)
    @given(st.one_of(st.from_regex(r"[0-9]{1,15}(\.[0-9]{1,15})?", fullmatch=True),
                     st.from_regex(r"[-+.,eE0-9\u0660-\u0669\uff10-\uff19 _x]{1,40}", fullmatch=True),
                     st.text(max_size=40)))
    def check(value: str) -> None:
        import pandas as pd

        assert NUMBER.surely is not None
        if NUMBER.surely(value):
            assert bool(NUMBER.test(pd.Series([value], dtype=object)).all()), value

    check()


@pytest.mark.parametrize(("column", "passes"), [
    (["1", "0.5", "12.25", ""], True),  # surely numbers (and the empty cell, for pandas)
    (["1e3", "+2", " 3 "], True),  # numbers only pandas can tell
    (["1", "\u0663"], False), (["-1"], False), (["1_000"], False), (["nan"], False),
])
def test_numbers_with_and_without_pandas(column: list[str], passes: bool) -> None:
    assert validation._passes(column, (NUMBER,)) is passes
    assert (validation._failing_values({"n": column}, {"n": {"type": "number"}}) == {}) is passes


def test_a_test_that_raises_is_left_to_pandera() -> None:
    def boom(value: str) -> bool:
        raise RuntimeError(value)

    assert not validation._passes(["x"], (validation.CellCheck("boom", boom, True),))
    assert validation._passes(["x"], (validation.CellCheck("fine", bool, True),))


@pytest.mark.slow  # two fresh interpreters, one importing pandera
def test_pandera_is_imported_only_for_a_table_with_a_failing_cell(tmp_path: Path) -> None:
    # clean tables of plain cells are judged without either
    args = ["--gate", "4", "--today", "2026-11-22", "--format", "json", "."]
    assert modules_imported(args, ROOT / "examples" / "complete", ("pandas", "pandera")) == []
    repo, _ = materialize(FIXTURES / "sl003-schema-violations", tmp_path / "repo")
    assert "pandera" in modules_imported(args, repo, ("pandas", "pandera"))


def test_inline_refs_replaces_bare_local_references_only() -> None:
    defs = {"d": {"type": "string", "pattern": "^x$"}, "loop": {"$ref": "#/$defs/loop"},
            "a": {"items": {"$ref": "#/$defs/b"}}, "b": {"items": {"$ref": "#/$defs/a"}}}
    schema = {
        "properties": {
            "plain": {"$ref": "#/$defs/d"},
            "sibling": {"$ref": "#/$defs/d", "description": "kept"},
            "remote": {"$ref": "https://example.com/s.json"},
            "unknown": {"$ref": "#/$defs/nope"},
            "list": {"anyOf": [{"$ref": "#/$defs/d"}, {"type": "null"}]},
            "loop": {"$ref": "#/$defs/loop"},
            "mutual": {"$ref": "#/$defs/a"},
        },
        "$defs": defs,
    }
    out = validation.inline_refs(schema, defs)
    props = out["properties"]
    assert props["plain"] == defs["d"]
    assert props["sibling"] == schema["properties"]["sibling"]
    assert props["remote"] == schema["properties"]["remote"]
    assert props["unknown"] == schema["properties"]["unknown"]
    assert props["list"]["anyOf"][0] == defs["d"]
    assert props["loop"] == {"$ref": "#/$defs/loop"}  # a cycle stays a reference
    assert props["mutual"] == {"items": {"items": {"$ref": "#/$defs/a"}}}
    assert out["$defs"] is defs  # the definitions themselves are left as they are


@pytest.mark.parametrize(("schema_name", "data"), [
    ("support-workflow.json", {"channels": [], "queues": [], "routing": [], "severities": {
        "P1": {"response": "soon", "resolution": 4}}, "escalation": [{"after": "7"}]}),
    ("runbook-index.json", {"runbooks": [{"last_reviewed": "2026-13-45", "review_every": "x"}]}),
    ("maintenance-charter.front-matter.json", {"handoff_date": "someday", "owner": 3}),
])
def test_inlined_schemas_give_the_same_errors(schema_name: str, data: object) -> None:
    from jsonschema import Draft202012Validator, FormatChecker

    from sustain_lint.schemas import load_schema

    def errors(schema: dict[str, object]) -> list[tuple[str, ...]]:
        validator = Draft202012Validator(schema, format_checker=FormatChecker(formats=["date"]))
        # what sustain-lint reports of each error: where, and its message
        return sorted((str(list(e.absolute_path)), str(e.validator), e.message,
                       str(validation._error_message(e)))
                      for e in validator.iter_errors(data))

    schema = load_schema(schema_name)
    assert "$ref" in repr(schema)
    inlined = validation.inline_refs(schema, schema.get("$defs", {}))
    assert "'$ref'" not in repr({k: v for k, v in inlined.items() if k != "$defs"})
    found = errors(schema)
    assert found and found == errors(inlined)
