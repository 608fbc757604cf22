"""SL003 internals: CSV columns are judged on their distinct values with
pandera (whether the columns share one padded frame or each has its own, the
verdicts agree); JSON Schemas are validated with their local references
inlined (the same errors and messages)."""

from __future__ import annotations

import pytest

from sustain_lint import validation

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
