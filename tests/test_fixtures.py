"""Every fixture case under tests/fixtures/ gives exactly its expected findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FIXTURES, run_case, summarize

CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, tmp_path: Path) -> None:
    expected = (case / "expected.txt").read_text()
    assert summarize(run_case(case, tmp_path)) == expected, (
        f"{case.name}: findings changed; if intended, run `python -m tests.regen_fixtures "
        f"{case.name}` and review `git diff tests/fixtures`")
