"""``CsvDocument.distinct`` and ``rows_where``: the pandas path (large tables)
and the Python path (small ones) give the same answer, and that answer is the
trimmed column."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sustain_lint import documents
from sustain_lint.documents import CsvDocument

CELLS = ["", " ", "\t", "a", " a", "a ", " a ", "A", "b", "\u00a0b", "b\u2003", "P1", " P1"]


def _doc(column: list[str], with_array: bool = False) -> CsvDocument:
    """The column as the exact reader holds it (a list) or the fast one (an array)."""
    cells: Sequence[str] = np.array(column, dtype=object) if with_array else column
    return CsvDocument(["x"], {"x": cells}, range(2, len(column) + 2))


def _answer(doc: CsvDocument, name: str = "x") -> tuple[list[str], list[int], list[int]]:
    found = doc.distinct(name)
    codes = found.codes if isinstance(found.codes, list) else found.codes.tolist()
    return found.values, codes, doc.rows_where({name: lambda v: v.lower().startswith("a")})


@pytest.mark.parametrize("examples", [40, pytest.param(150, marks=pytest.mark.slow)])
def test_both_paths_agree(examples: int) -> None:
    @settings(max_examples=examples, deadline=None)
    @given(st.lists(st.sampled_from(CELLS), max_size=60), st.booleans())
    def check(column: list[str], with_array: bool) -> None:
        small = _answer(_doc(column))
        original = documents.VECTOR_MIN_ROWS
        documents.VECTOR_MIN_ROWS = 0
        try:
            large = _answer(_doc(column, with_array))
        finally:
            documents.VECTOR_MIN_ROWS = original
        assert large == small
        values, codes, rows = small
        # the meaning: each trimmed value once, in order of first appearance
        assert [values[code] for code in codes] == [cell.strip() for cell in column]
        assert values == list(dict.fromkeys(cell.strip() for cell in column))
        assert rows == [i for i, cell in enumerate(column) if cell.strip().lower().startswith("a")]

    check()


@pytest.mark.parametrize("rows", [documents.VECTOR_MIN_ROWS - 1, documents.VECTOR_MIN_ROWS,
                                  50_000])
def test_sizes_around_the_threshold(rows: int) -> None:
    column = [CELLS[i * 7 % len(CELLS)] + str(i % 3) for i in range(rows)]
    doc = _doc(column, with_array=True)
    found = doc.distinct("x")
    assert isinstance(found.codes, list) == (rows < documents.VECTOR_MIN_ROWS)
    assert [found.values[c] for c in found.codes] == [c.strip() for c in column]
    assert doc.distinct("x") is found  # computed once
    assert doc.rows_where({"x": lambda v: v == "b1"}) == [
        i for i, c in enumerate(column) if c.strip() == "b1"]


def test_missing_column_is_empty_cells() -> None:
    doc = _doc(["a", "b"])
    assert doc.distinct("nope").values == [""]
    assert doc.rows_where({"nope": lambda v: v == ""}) == [0, 1]
