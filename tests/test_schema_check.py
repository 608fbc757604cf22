"""The compiled yes/no schema check (sustain_lint/schema_check.py) must answer
exactly what jsonschema answers: a document it passes gets no SL003 finding, so a
wrong "yes" would hide a finding. Compared on hand-made schemas for every keyword
it implements, and on generated documents for every shipped schema."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from sustain_lint.artifacts import ARTIFACTS
from sustain_lint.documents import MarkdownDocument, TreeDocument
from sustain_lint.loaders import get_loader
from sustain_lint.schema_check import compile_check
from sustain_lint.validation import _quick_check, _validator
from tests.helpers import EXAMPLE, FIXTURES, SET

TREE_SCHEMAS = sorted({a.schema for a in ARTIFACTS if a.schema and a.format != "csv"})


def _jsonschema_says(validator: Any, instance: Any) -> bool:
    return next(iter(validator.iter_errors(instance)), None) is None


def _validator_of(schema: Any) -> Any:
    return Draft202012Validator(schema, format_checker=FormatChecker(formats=["date"]))


VALUES: list[Any] = [
    None, True, False, 0, 1, -3, 1.0, 1.5, float("nan"), "", " ", "a", "P1", "p1", "P", "4h",
    "4 hours", " 30 min ", "2 days", "2026-11-22", "2026-02-30", "2026-13-01", "2026-1-1",
    "2026-11-22 ", "draft", "approved", "alert", "other", [], [""], ["a", "b"], [1], [None],
    {}, {"a": 1}, {"name": "x"}, {"P1": {}}, {"": None},
]

# (schema, extra instances to try besides VALUES)
HAND_MADE: list[tuple[dict[str, Any], list[Any]]] = [
    ({"type": "integer"}, [2.0, 2.5, True, 10**30]),
    ({"type": "number"}, [True, 3, 3.5]),
    ({"type": ["string", "null"]}, []),
    ({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
     [{"a": "x"}, {"a": 1}, {"b": "x"}, {"a": "x", "b": 2}]),
    ({"properties": {"a": {"minLength": 1}}}, [{"a": ""}, {"a": 3}, "not an object"]),
    ({"items": {"enum": ["x", "y"]}}, [["x"], ["x", "z"], "x", {"0": "z"}]),
    ({"enum": ["1", "true", ""]}, [1, True, "1", "true"]),
    ({"const": ""}, [0, False, None, [], ""]),
    ({"pattern": "^P[0-9]+$"}, ["P12", "P1\n", "xP1"]),
    ({"pattern": "[0-9]"}, ["a1b", "ab"]),
    ({"format": "date"}, ["2024-02-29", "2023-02-29", 20240229]),
    ({"anyOf": [{"type": "null"}, {"const": ""}, {"format": "date"}]}, ["2024-02-29", "x"]),
    ({"oneOf": [{"type": "string"}, {"minLength": 2}]}, ["ab", "a", 5]),
    ({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
     [["a"], ["a", 1], 3]),
    ({"type": "object", "propertyNames": {"pattern": "^P[0-9]+$"}},
     [{"P1": 1}, {"P1": 1, "Q": 2}]),
    ({"properties": {"a": {}}, "additionalProperties": {"type": "object"}},
     [{"a": 1, "b": {}}, {"a": 1, "b": 2}]),
    ({"properties": {"a": {}}, "additionalProperties": False}, [{"a": 1}, {"a": 1, "b": 2}]),
    ({"type": "object", "additionalProperties": True}, [{"z": 1}]),
    ({"type": "array", "title": "t", "description": "d", "$comment": "c"}, []),
    ({"properties": {"a": False, "b": True}}, [{"a": 1}, {"b": 1}]),
]


@pytest.mark.parametrize("schema, extra", HAND_MADE, ids=[str(s)[:60] for s, _ in HAND_MADE])
def test_each_keyword_answers_as_jsonschema(schema: dict[str, Any], extra: list[Any]) -> None:
    validator = _validator_of(schema)
    check = compile_check(schema, validator)
    assert check is not None
    answers = [(value, check(value), _jsonschema_says(validator, value))
               for value in [*VALUES, *extra]]
    assert [a for a in answers if a[1] != a[2]] == []
    assert {a[1] for a in answers} == {True, False}  # the schema both passes and fails


@pytest.mark.parametrize("schema", [
    {"$ref": "#/$defs/x", "$defs": {"x": {}}},
    {"enum": ["a", 1]},
    {"const": 0},
    {"items": [{"type": "string"}]},
    {"prefixItems": [{}], "items": {}},
    {"additionalProperties": False, "patternProperties": {"^a": {}}},
    {"type": "text"},
    {"maxLength": 3},
    {"format": ["date"]},
    {"if": {}, "then": {}},
    {"properties": {"a": {"unevaluatedProperties": False}}},
])
def test_refuses_what_it_does_not_implement(schema: dict[str, Any]) -> None:
    assert compile_check(schema, _validator_of(schema)) is None


def test_format_without_a_checker_passes_everything() -> None:
    schema = {"format": "date"}
    validator = Draft202012Validator(schema)
    check = compile_check(schema, validator)
    assert check is not None
    assert check("2023-02-29") and _jsonschema_says(validator, "2023-02-29")


@pytest.mark.parametrize("schema_name", TREE_SCHEMAS)
def test_every_shipped_schema_compiles(schema_name: str) -> None:
    # a schema it refuses is still judged right (by jsonschema), but slowly
    assert _quick_check(schema_name) is not None


def _seed_documents() -> dict[str, list[Any]]:
    """Every parsed tree of the example and the fixtures, by schema."""
    seeds: dict[str, list[Any]] = {name: [] for name in TREE_SCHEMAS}
    sets = [EXAMPLE / SET, *sorted(FIXTURES.glob(f"*/files/{SET}"))]
    for folder in sets:
        for artifact in ARTIFACTS:
            path = folder / artifact.name
            if artifact.schema not in seeds or not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            loaded = get_loader(artifact.format)(text, artifact.name)
            doc = loaded.document
            if isinstance(doc, MarkdownDocument):
                doc = doc.front_matter
            if isinstance(doc, TreeDocument) and _depth(doc.data) < 50:
                seeds[artifact.schema].append(doc.data)
    return seeds


def _depth(node: Any) -> int:
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    return 1 + max((_depth(child) for child in children), default=0)


SEEDS = _seed_documents()


def test_every_shipped_schema_has_seeds() -> None:
    assert all(SEEDS[name] for name in TREE_SCHEMAS)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_paths(value, (*prefix, index)))
    return out


def _mutate(doc: Any, choices: list[tuple[int, Any, str]]) -> Any:
    """Replace, delete or add beside the value at a chosen path, one edit per choice."""
    doc = copy.deepcopy(doc)
    for pick, shared, edit in choices:
        value = copy.deepcopy(shared)
        paths = _paths(doc)
        path = paths[pick % len(paths)]
        if not path:
            doc = value if edit == "replace" else doc
            continue
        parent = doc
        for token in path[:-1]:
            parent = parent[token]
        if edit == "replace":
            parent[path[-1]] = value
        elif edit == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[str(value)[:12] or "new"] = value
        else:
            parent.append(value)
    return doc


@pytest.mark.parametrize("examples", [100, pytest.param(1000, marks=pytest.mark.slow)])
def test_shipped_schemas_answer_as_jsonschema(examples: int) -> None:
    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        schema_name=st.sampled_from(TREE_SCHEMAS),
        seed=st.integers(min_value=0),
        choices=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(VALUES),
                                   st.sampled_from(["replace", "delete", "add"])),
                         max_size=3),
    )
    def check(schema_name: str, seed: int, choices: list[tuple[int, Any, str]]) -> None:
        seeds = SEEDS[schema_name]
        doc = _mutate(seeds[seed % len(seeds)], choices)
        validator = _validator(schema_name)
        assert _quick_check(schema_name)(doc) == _jsonschema_says(validator, doc)

    check()


@pytest.mark.parametrize("schema_name", TREE_SCHEMAS)
def test_every_single_replacement_in_the_example_answers_as_jsonschema(schema_name: str) -> None:
    """Deterministic: each value of the example's document, in turn, replaced by
    each of a few values that break one keyword or another."""
    validator, quick = _validator(schema_name), _quick_check(schema_name)
    doc = SEEDS[schema_name][0]  # the example's
    verdicts = []
    for index in range(len(_paths(doc))):
        for value in (None, 1, 1.0, "", "x", "2026-11-22", "2026-02-30", [], {}, ["x"],
                      {"P1": {}}):
            mutated = _mutate(doc, [(index, value, "replace")])
            verdicts.append((quick(mutated), _jsonschema_says(validator, mutated)))
    assert [v for v in verdicts if v[0] != v[1]] == []
    assert {v[0] for v in verdicts} == {True, False}
