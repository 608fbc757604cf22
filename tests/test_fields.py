"""The owner-like fields table (sustain_lint/rules/_fields.py) addresses real places:
every row finds its values in the bundled example, and SL005 reads its rows."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from sustain_lint.artifacts import (
    BACKLOG,
    BY_NAME,
    CAPACITY,
    MONITORING,
    REVIEW,
    RUNBOOKS,
    TOOLING,
    WORKFLOW,
)
from sustain_lint.documents import CsvDocument, MarkdownDocument, TreeDocument
from sustain_lint.loaders import get_loader
from sustain_lint.rules._fields import (
    FIELDS,
    ROSTER_FIELDS,
    OwnerField,
    column_place,
    front_value,
    table_values,
    tree_values,
)
from tests.helpers import EXAMPLE, SET, TODAY, copy_example, run_cli

WAIVER = ("- rule: SL304\n  justification: BL-1 waits for the vendor\n"
          "  approved_by: Head of Operations\n  expires: 2026-12-31\n")


def _document(name: str, text: str) -> Any:
    loaded = get_loader(BY_NAME[name].format)(text, name, data=None, columns=None)
    assert loaded.document is not None, loaded.problems
    return loaded.document


def _values(field: OwnerField) -> list[tuple[str, Any]]:
    path = EXAMPLE / SET / field.artifact
    text = path.read_text(encoding="utf-8") if path.exists() else WAIVER
    doc = _document(field.artifact, text)
    if field.shape == "tree":
        assert isinstance(doc, TreeDocument)
        return [(v.place, v.value) for v in tree_values(doc, field)]
    if field.shape == "front":
        assert isinstance(doc, MarkdownDocument)
        found = front_value(doc, field)
        return [(found.place, found.value)]
    if field.shape == "column":
        assert isinstance(doc, CsvDocument)
        return [(column_place(doc, field, i), v) for i, v in enumerate(doc.column(field.where[0]))
                if v.strip()]
    assert isinstance(doc, MarkdownDocument)
    return [(v.place, v.value) for v, _ in table_values(doc, field)]


@pytest.mark.parametrize("field", FIELDS, ids=[f"{f.artifact}:{'.'.join(f.where)}" for f in FIELDS])
def test_every_field_finds_its_values_in_the_example(field: OwnerField) -> None:
    values = _values(field)
    assert values, f"{field.artifact}: no value at {field.where}"
    for place, value in values:
        assert isinstance(value, str) and value.strip(), (place, value)
        assert "{" not in place and place.strip(), place


def test_labels_name_the_item() -> None:
    by_where = {(f.artifact, f.where): f for f in FIELDS}
    queue = by_where[("support-workflow.yaml", ("queues", "[]", "owner"))]
    assert _values(queue)[0][0] == "the owner of queue 'oncall' (`queues[0].owner`)"
    owners = by_where[("tooling-access-checklist.json", ("tools", "[]", "owners", "[]"))]
    assert _values(owners)[0][0] == "`tools[0].owners[0]`"
    severity = by_where[("support-workflow.yaml", ("severities", "{}", "owner"))]
    assert _values(severity)[0][0] == "`severities.P1.owner`"


@pytest.mark.parametrize("field", ROSTER_FIELDS,
                         ids=[f"{f.artifact}:{'.'.join(f.where)}" for f in ROSTER_FIELDS])
def test_sl005_judges_every_roster_field_of_the_table(field: OwnerField, tmp_path: Path) -> None:
    """Each field that must name someone of the roster gets an SL005 finding, at the place
    the table labels, once its value names nobody: the rule reads the table."""
    place, value = _values(field)[0]
    repo = copy_example(tmp_path / "repo")
    path = repo / SET / field.artifact
    if field.shape == "column":
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        col = rows[0].index(field.where[0])
        for row in rows[1:]:
            row[col] = "Zed Nobody" if row[col] == value else row[col]
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    else:
        path.write_text(path.read_text(encoding="utf-8").replace(value, "Zed Nobody"),
                        encoding="utf-8")
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    messages = [f["message"] for f in result.json["sets"][0]["findings"]
                if f["rule"] == "SL005" and f["path"].endswith("/" + field.artifact)]
    assert any(m.startswith(f"{place} in {field.artifact} is 'Zed Nobody'") for m in messages), (
        place, messages)


def test_only_the_catalogs_fields_are_judged_by_sl005() -> None:
    """evidence.md §5, SL005: not contacts, stakeholders or approvers, and not the charter's
    owner (SL006 speaks for it)."""
    assert {f.kind for f in ROSTER_FIELDS} == {"owner", "facilitator"}
    assert {f.artifact for f in ROSTER_FIELDS} == {
        WORKFLOW, RUNBOOKS, BACKLOG, MONITORING, TOOLING, CAPACITY, REVIEW}
