"""Regenerate the expected findings of fixture cases.

    python -m tests.regen_fixtures            # every case
    python -m tests.regen_fixtures CASE ...   # some cases

Then review the change as a diff: ``git diff tests/fixtures``. A case's
expectations are its ``expected.txt``: the exit code, the gate statuses and
per finding its rule, file:line:column, severity, logical location and message.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.helpers import FIXTURES, run_case, summarize


def main(names: list[str]) -> int:
    cases = [FIXTURES / n for n in names] if names else sorted(
        p for p in FIXTURES.iterdir() if p.is_dir())
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            text = summarize(run_case(case, Path(tmp)))
        target = case / "expected.txt"
        old = target.read_text() if target.exists() else None
        target.write_text(text)
        print(f"{'unchanged' if old == text else 'updated  '} {case.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
