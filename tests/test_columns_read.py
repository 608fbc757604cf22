"""``rules.COLUMNS_READ`` names every table column a rule reads: the fast CSV
reader reads those (and the ones SL003 checks) first and the others only when
asked, so a column missing from the list costs a second pass over a large file
(never a wrong answer). Every rule is run on every fixture case and on the
example, with the tables' columns recording what is read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from sustain_lint.context import Context
from sustain_lint.documents import CsvDocument
from sustain_lint.engine import EvidenceSet, Options, load_set
from sustain_lint.rules import COLUMNS_READ, REGISTRY
from tests.helpers import FIXTURES, SET, materialize

CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir())


class _Recording(Mapping[str, Sequence[str]]):
    def __init__(self, columns: Mapping[str, Sequence[str]], seen: set[str]) -> None:
        self._columns, self._seen = columns, seen

    def __getitem__(self, name: str) -> Sequence[str]:
        self._seen.add(name)
        return self._columns[name]

    def __contains__(self, name: object) -> bool:
        return name in self._columns

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rules_read_only_the_columns_they_declare(case: Path, tmp_path: Path) -> None:
    repo, spec = materialize(case, tmp_path / "repo")
    folder = repo / SET
    if not folder.is_dir():
        return  # a case without an evidence set: no table to read
    options = Options(paths=[str(repo)], cwd=str(repo),
                      today=dt.date.fromisoformat(str(spec.get("today", "2026-11-22"))))
    documents, states, _ = load_set(EvidenceSet(str(folder), str(repo)), options)
    for rule in REGISTRY.values():
        if rule.check is None:
            continue
        seen: dict[str, set[str]] = {}
        docs = dict(documents)
        for name, doc in documents.items():
            if isinstance(doc, CsvDocument):
                seen[name] = set()
                docs[name] = CsvDocument(doc.header, _Recording(doc.columns, seen[name]),
                                         doc.row_lines, doc.source, doc.header_line)
        ctx = Context(docs, states, options.today, options.policy, lambda _: True)
        for _ in rule.check(ctx):
            pass
        for artifact, columns in seen.items():
            undeclared = columns - COLUMNS_READ.get(artifact, frozenset())
            if rule.code == "SL301" and not any(
                    cell.strip() for cell in documents[artifact].column("id")):
                continue  # no id at all: any non-empty cell makes an item (all columns)
            assert not undeclared, (
                f"{rule.code} reads {sorted(undeclared)} of {artifact} "
                f"(case {case.name}); add them to READS in its module")


def test_the_lists_name_real_columns() -> None:
    import json

    from sustain_lint.artifacts import BY_NAME
    from sustain_lint.schemas import load_schema

    for artifact, columns in COLUMNS_READ.items():
        schema = BY_NAME[artifact].schema
        assert schema is not None
        known = set(load_schema(schema)["columns"])
        assert columns <= known, (artifact, sorted(columns - known), json.dumps(sorted(known)))
