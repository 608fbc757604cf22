"""Every owner-like field of every artifact, as one table of data.

An owner-like field is a place where the evidence names a person or a role:
an owner, a contact, an approver, a stakeholder, a facilitator, a roster name.
SL005 (owners that match nobody in the roster) reads the fields of kind
``owner`` from this table; the placeholder logic of the artifacts' missing-owner
rules and of SL006 reads the same table (evidence.md §2, "placeholders"). A new
owner-like field is one row here, not extraction code in a rule.

``where`` addresses the value in its file's own terms:
- JSON/YAML (``TREE``): a path of keys, with ``ITEM`` for every item of a list
  and ``KEY`` for every value of a mapping;
- CSV (``COLUMN``) and Markdown tables (``TABLE_COLUMN``): the column's name;
- Markdown front matter (``FRONT``): the key.

``label`` names the place in a message; it is formatted with ``i`` (the list
index), ``n`` (``i + 1``, the row number), ``j`` (an inner list index), ``key``
(the mapping key) and ``name`` (the value of ``named_by`` in the same item or
row). ``unnamed`` is the label when that name is empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal, NamedTuple

from sustain_lint.artifacts import (
    APPROVALS,
    BACKLOG,
    CAPACITY,
    CHARTER,
    FEEDBACK,
    MONITORING,
    RELEASE,
    REVIEW,
    RUNBOOKS,
    TOOLING,
    WAIVERS,
    WORKFLOW,
)
from sustain_lint.documents import CsvDocument, MarkdownDocument, TreeDocument, pointer
from sustain_lint.model import Location

Kind = Literal["owner", "contact", "approver", "stakeholder", "facilitator", "roster-name"]
Shape = Literal["tree", "column", "table-column", "front"]

ITEM = "[]"  # every item of a list
KEY = "{}"  # every value of a mapping


class OwnerField(NamedTuple):
    artifact: str
    shape: Shape
    where: tuple[str, ...]
    kind: Kind
    label: str
    unnamed: str | None = None
    named_by: str | None = None
    roster: bool = False  # must name a person or role of the roster (SL005)
    # the rule that reports the field empty or a placeholder: the artifact's missing-owner
    # rule where the catalog has one, else SL006 (evidence.md §2, "placeholders")
    missing: str = "SL006"


FIELDS: tuple[OwnerField, ...] = (
    OwnerField(CHARTER, "front", ("owner",), "owner", "`owner` in the front matter"),
    OwnerField(CHARTER, "front", ("approved_by",), "approver", "`approved_by` in the front matter",
               missing="SL101"),
    OwnerField(CHARTER, "table-column", ("contact",), "contact", "the Contact of level '{name}'",
               "the Contact", named_by="level", missing="SL103"),
    OwnerField(CAPACITY, "column", ("name",), "roster-name", "`name` of row {n}"),
    OwnerField(CAPACITY, "column", ("remediation_owner",), "owner",
               "`remediation_owner` of row {n} ({name})", "`remediation_owner` of row {n}",
               named_by="name", roster=True, missing="SL112"),
    OwnerField(TOOLING, "tree", ("tools", ITEM, "owners", ITEM), "owner", "`tools[{i}].owners[{j}]`",
               roster=True),
    OwnerField(RUNBOOKS, "tree", ("runbooks", ITEM, "owner"), "owner",
               "the owner of runbook '{name}' (`runbooks[{i}].owner`)",
               "the owner of runbook (`runbooks[{i}].owner`)", named_by="id", roster=True),
    OwnerField(WORKFLOW, "tree", ("severities", KEY, "owner"), "owner", "`severities.{key}.owner`",
               roster=True, missing="SL213"),
    OwnerField(WORKFLOW, "tree", ("queues", ITEM, "owner"), "owner",
               "the owner of queue '{name}' (`queues[{i}].owner`)",
               "the owner of queues[{i}] (`queues[{i}].owner`)", named_by="id", roster=True,
               missing="SL214"),
    OwnerField(WORKFLOW, "tree", ("escalation", ITEM, "role"), "owner",
               "the role of escalation step {n} (`escalation[{i}].role`)", roster=True),
    OwnerField(BACKLOG, "column", ("owner",), "owner", "`owner` of row {n} ({name})",
               "`owner` of row {n}", named_by="id", roster=True, missing="SL302"),
    OwnerField(RELEASE, "front", ("approved_by",), "approver", "`approved_by` in the front matter",
               missing="SL312"),
    OwnerField(FEEDBACK, "tree", ("loops", ITEM, "stakeholders", ITEM), "stakeholder",
               "`loops[{i}].stakeholders[{j}]`", missing="SL322"),
    OwnerField(APPROVALS, "column", ("stakeholder",), "stakeholder", "`stakeholder` of row {n}",
               missing="SL401"),
    OwnerField(MONITORING, "tree", ("items", ITEM, "owner"), "owner",
               "the owner of monitoring item '{name}' (`items[{i}]`)",
               "the owner of monitoring item `items[{i}]`", named_by="name", roster=True,
               missing="SL412"),
    OwnerField(MONITORING, "tree", ("items", ITEM, "contacts", ITEM), "contact",
               "`items[{i}].contacts[{j}]`", missing="SL412"),
    OwnerField(REVIEW, "table-column", ("facilitator",), "facilitator",
               "the Facilitator of '{name}'", "the Facilitator", named_by="review", roster=True,
               missing="SL421"),
    OwnerField(WAIVERS, "tree", (ITEM, "approved_by"), "approver", "`[{i}].approved_by`",
               missing="SL901"),
)

ROSTER_FIELDS: tuple[OwnerField, ...] = tuple(f for f in FIELDS if f.roster)
"""The fields whose value must name someone of the roster (SL005; evidence.md §5)."""

PLACEHOLDER_FIELDS: tuple[OwnerField, ...] = tuple(f for f in FIELDS if f.missing == "SL006")
"""The fields no artifact rule speaks for when they are empty or a placeholder: SL006's."""


class FieldValue(NamedTuple):
    field: OwnerField
    place: str  # the label, formatted
    value: Any
    where: str | int  # the JSON pointer (tree), or the table row's line (table-column)


def _name(value: Any) -> str:
    return value if isinstance(value, str) and value.strip() else ""


def _place(field: OwnerField, name: str, **parts: object) -> str:
    template = field.label if name or field.unnamed is None else field.unnamed
    return template.format(name=name, **parts)


def tree_values(doc: TreeDocument, field: OwnerField) -> Iterator[FieldValue]:
    """The values of a JSON/YAML field in document order, with their pointers. A
    missing last key yields None (the field is absent); a missing or mistyped
    container on the way yields nothing (the schema speaks)."""
    yield from _walk(field, doc.data, field.where, (), (), "", None)


def _walk(field: OwnerField, node: Any, rest: tuple[str, ...], tokens: tuple[str | int, ...],
          indices: tuple[int, ...], key: str, item: Any) -> Iterator[FieldValue]:
    if not rest:
        i = indices[0] if indices else 0
        j = indices[1] if len(indices) > 1 else 0
        name = _name(item.get(field.named_by)) if field.named_by and isinstance(item, dict) else ""
        yield FieldValue(field, _place(field, name, i=i, n=i + 1, j=j, key=key), node,
                         pointer(*tokens))
        return
    step, rest = rest[0], rest[1:]
    if step in (ITEM, KEY):
        if step == ITEM and isinstance(node, list):
            children: list[tuple[str | int, Any]] = list(enumerate(node))
        elif step == KEY and isinstance(node, dict):
            children = [(str(k), v) for k, v in node.items()]
        else:
            return
        for token, child in children:
            if rest and not isinstance(child, (dict, list)):
                continue
            yield from _walk(field, child, rest, (*tokens, token),
                             (*indices, token) if isinstance(token, int) else indices,
                             token if isinstance(token, str) else key,
                             child if item is None else item)
    elif isinstance(node, dict) and (step in node or not rest):
        yield from _walk(field, node.get(step), rest, (*tokens, step), indices, key, item)


def column_place(doc: CsvDocument, field: OwnerField, row: int) -> str:
    """The label of a CSV field's cell in ``row`` (0-based): formatted only for
    the rows a rule reports, never for each of a million rows."""
    name = doc.value(row, field.named_by) if field.named_by else ""
    return _place(field, name, i=row, n=row + 1)


def table_values(doc: MarkdownDocument, field: OwnerField) -> Iterator[tuple[FieldValue, Location]]:
    """The cells of a Markdown table field, in every table of the document that
    has the column, with the location of each row."""
    for table in doc.tables:
        col = table.column(field.where[0])
        if col is None:
            continue
        name_col = table.column(field.named_by) if field.named_by else None
        for row in table.rows:
            name = table.cell(row, name_col) if name_col is not None else ""
            value = table.cell(row, col)
            yield (FieldValue(field, _place(field, name), value, row.line),
                   Location(row.line, 1, f"{field.where[0].capitalize()} column"))


def front_value(doc: MarkdownDocument, field: OwnerField) -> FieldValue:
    """The value of a front matter field (None when absent), with its location's key."""
    key = field.where[0]
    return FieldValue(field, field.label, doc.front(key), pointer(key))
