"""The benchmark script runs and prints its table. No absolute times are
asserted: speed is judged by running ``python bench/run.py`` on demand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _bench(figure: str, out_json: Path) -> subprocess.CompletedProcess[str]:
    """``bench/run.py --quick --only FIGURE --json OUT``, which must exit 0."""
    proc = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--only", figure, "--json", str(out_json)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_bench_quick_startup_prints_a_ratio_table(tmp_path: Path) -> None:
    out_json = tmp_path / "bench.json"
    proc = _bench("startup", out_json)
    lines = proc.stdout.splitlines()
    header = next(line for line in lines if line.startswith("figure"))
    columns = [c.strip() for c in header.split("|")]
    assert {"median", "min", "max", "baseline", "ratio", "bar", "result"} <= set(columns)
    ratio_at = columns.index("ratio")
    result_at = columns.index("result")
    rows = [[c.strip() for c in line.split("|")] for line in lines
            if line.startswith("1 startup")]
    assert [r[1] for r in rows] == ["--version", "explain SL111"]
    for row in rows:
        assert row[ratio_at].endswith("x") and float(row[ratio_at][:-1]) > 0
        assert row[result_at] in ("PASS", "FAIL")
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert [r["label"] for r in data["rows"]] == ["--version", "explain SL111"]
    assert all(r["ratio"] > 0 for r in data["rows"])


@pytest.mark.slow
def test_bench_quick_coverage_figure(tmp_path: Path) -> None:
    out_json = tmp_path / "bench.json"
    _bench("coverage", out_json)
    data = json.loads(out_json.read_text(encoding="utf-8"))
    year, whole = data["rows"]
    assert year["label"] == "year of 100 L2 rows in 20 zones"
    assert year["bar"] == "<= 50 ms" and year["ratio"] > 0 and year["passed"] in (True, False)
    assert "18 distinct offset periods, 0 gaps" in year["note"]
    assert whole["baseline"] == "1 complete set" and whole["ratio"] > 0
