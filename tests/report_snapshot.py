"""Every report of every fixture case, written to a folder, to compare two trees.

    python -m tests.report_snapshot OUT_DIR [CASE ...]
    diff -r BEFORE_DIR AFTER_DIR

For each case: the text, json, sarif, github and junit reports on stdout, plus the
GitHub step summary and the exit code. The case's temporary folder is written
``<WORK>`` in the reports (SARIF records the absolute root), so that the reports
of two runs compare byte for byte. A refactoring that must not change
behaviour is held to an empty ``diff -r``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from sustain_lint.reporters import FORMATS
from tests.helpers import FIXTURES, case_args, case_repository, run_cli


def snapshot(case: Path, out: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="sustain-lint-snapshot-"))
    repo, spec = case_repository(case, work)
    summary = work / "summary.md"
    out.mkdir(parents=True, exist_ok=True)
    old = os.environ.get("GITHUB_STEP_SUMMARY")
    try:
        for fmt in FORMATS:
            if fmt == "github":
                summary.write_text("")
                os.environ["GITHUB_STEP_SUMMARY"] = str(summary)
            else:
                os.environ.pop("GITHUB_STEP_SUMMARY", None)
            result = run_cli([*case_args(spec), "--format", fmt, "--color", "never", "."], repo)
            text = f"exit {result.code}\n{result.out}\n--stderr--\n{result.err}"
            (out / f"{fmt}.out").write_text(text.replace(str(work), "<WORK>"), encoding="utf-8")
        (out / "step-summary.md").write_text(summary.read_text().replace(str(work), "<WORK>"),
                                            encoding="utf-8")
    finally:
        if old is None:
            os.environ.pop("GITHUB_STEP_SUMMARY", None)
        else:
            os.environ["GITHUB_STEP_SUMMARY"] = old
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv:
        sys.stderr.write(__doc__ or "")
        return 2
    dest = Path(argv[0])
    names = argv[1:] or sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
    for name in names:
        snapshot(FIXTURES / name, dest / name)
    print(f"{len(names)} cases, {len(names) * (len(FORMATS) + 1)} reports in {dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
