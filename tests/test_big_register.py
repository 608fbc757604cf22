"""A large, messy backlog register: the fast paths (pandas reader, values
judged once per distinct value, numpy row selection) report exactly what the
plain Python paths report, byte for byte."""

from __future__ import annotations

import random
from collections.abc import Collection
from pathlib import Path

import pytest

from sustain_lint import documents
from sustain_lint.loaders import csv_loader, reading
from tests.helpers import SET, TODAY, copy_example, run_cli

HEADER = "id,title,source,priority,owner,status,due,created\n"


def _row(i: int, rnd: random.Random) -> str:
    ident = rnd.choice([f"BL-{i:06d}", f"bl-{i:06d}", f" BL-{i:06d} ", f"BL-{i:06d}\u00df"])
    priority = rnd.choice(["P1", "P2", "P3", "P4", " p1", "P9", ""])
    owner = rnd.choice(["Aisha Bello", "TBD", "", " Tom Okafor", "n/a"])
    status = rnd.choice(["open", "done", "in-progress", "blocked", "cancelled", " Open", "later"])
    due = rnd.choice(["2026-12-01", "2026-11-01", "2025-02-30", "", "soon", " 2026-10-10",
                      "2026-11-22", "2026-11-21"])
    title = rnd.choice(["Fix job", '"Fix job, then test"', '"say ""hi"""', "Add caf\u00e9"])
    return f"{ident},{title},audit,{priority},{owner},{status},{due},2026-01-01\n"


def _register(rows: int) -> str:
    rnd = random.Random(11)
    lines = [_row(i, rnd) for i in range(rows)]
    # duplicates: exact, after trimming, ignoring case, and by case folding (ß and SS)
    lines[100] = lines[7].replace(" BL-", "BL-").replace("bl-", "BL-")
    lines[200] = lines[7].upper()
    lines[300] = "BL-SS9,x,audit,P2,Aisha Bello,done,,2026-01-01\n"
    lines[301] = "BL-\u00df9,x,audit,P2,Aisha Bello,done,,2026-01-01\n"
    lines[400] = "   ,blank id,audit,P2,Aisha Bello,done,,2026-01-01\n"
    return HEADER + "".join(lines)


def _report(repo: Path) -> str:
    result = run_cli(["--today", TODAY, "--format", "json", "--gate", "4"], repo)
    assert result.code == 1
    return result.out


# 5,000 rows: the exact reader, the numpy paths; 30,000 rows (over 1 MiB): the pandas reader too
@pytest.mark.parametrize(("rows", "ascii"), [
    (5_000, False),
    pytest.param(30_000, False, marks=pytest.mark.slow),
    pytest.param(30_000, True, marks=pytest.mark.slow),
])
def test_fast_paths_report_what_the_plain_paths_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, ascii: bool) -> None:
    repo = copy_example(tmp_path / "repo")
    text = _register(rows)
    if ascii:  # then a large file is handed over as bytes, decoded only for locations
        text = text.replace("\u00df", "Q").replace("\u00e9", "e")
    (repo / SET / "backlog-register.csv").write_text(text, encoding="utf-8")
    assert rows >= documents.VECTOR_MIN_ROWS
    readers: list[str] = []
    real_fast = csv_loader.load_csv_fast

    def spy(text: str | None, artifact: str, data: bytes | None = None,
            columns: Collection[str] | None = None) -> object:
        loaded = real_fast(text, artifact, data=data, columns=columns)
        assert data is not None  # the bytes as read, not encoded again
        assert (text is None) == ascii
        # what the rules and SL003 read: the rest (title, source) is read if asked for
        assert columns is not None and {"title", "source"}.isdisjoint(columns)
        readers.append("fast" if loaded is not None else "exact")
        return loaded

    monkeypatch.setattr(csv_loader, "load_csv_fast", spy)
    fast = _report(repo)
    # the small register reads exactly (under 1 MiB) but still takes the numpy paths
    assert readers == (["fast"] if len(text) >= csv_loader.FAST_MIN_CHARS else [])

    monkeypatch.setattr(csv_loader, "load_csv_fast",
                        lambda text, artifact, data=None, columns=None: None)
    monkeypatch.setattr(documents, "VECTOR_MIN_ROWS", 1 << 60)
    monkeypatch.setattr(reading, "LAZY_MIN_BYTES", 1 << 60)
    plain = _report(repo)
    assert fast == plain
    for rule in ("SL003", "SL302", "SL303", "SL304"):
        assert f'"rule": "{rule}"' in fast, rule
