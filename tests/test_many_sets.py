"""Many sets in one run (CSV files validated as one table, a process pool
across sets) give exactly what each set gives on its own."""

from __future__ import annotations

from pathlib import Path

from sustain_lint import engine
from tests.helpers import SET, TODAY, copy_example, run_cli

BREAKAGES = {
    3: ("backlog-register.csv", "BL-104,Reduce p95 latency of /refunds,analytics,P3",
        "BL-104,Reduce p95 latency of /refunds,analytics,P9"),
    7: ("capacity-analysis.csv", "Europe/Rome,1", "Mars/Olympus,-1"),
    8: ("readiness-approval-log.csv", "Rui Costa,product,approved,2026-11-19",
        "Rui Costa,product,approved,19/11/2026"),
    12: ("backlog-register.csv", "id,title,source,priority,owner,status,due,created",
         "id,title,source,priority,owner,state,due,created"),
    20: ("capacity-analysis.csv", "Tom Okafor,L2 On-call Engineer,L2",
         "Tom Okafor,L2 On-call Engineer,L5"),
}


def _monorepo(root: Path, count: int) -> Path:
    for i in range(count):
        service = copy_example(root / "services" / f"svc-{i:03d}")
        if i in BREAKAGES:
            name, old, new = BREAKAGES[i]
            path = service / SET / name
            text = path.read_text()
            assert old in text
            path.write_text(text.replace(old, new, 1))
    return root


def test_many_sets_equal_each_set_alone(tmp_path: Path) -> None:
    count = engine.POOL_MIN_SETS + 6
    repo = _monorepo(tmp_path / "mono", count)
    together = run_cli(["--today", TODAY, "--format", "json"], repo)
    assert together.code == 1
    sets = together.json["sets"]
    assert [s["path"] for s in sets] == [f"services/svc-{i:03d}/{SET}" for i in range(count)]
    broken = {i for i, s in enumerate(sets) if s["findings"]}
    assert broken == set(BREAKAGES)
    for i in sorted(BREAKAGES) + [0]:
        alone = run_cli(["--today", TODAY, "--format", "json", f"services/svc-{i:03d}"], repo)
        assert alone.json["sets"] == [sets[i]], i
    rules = {f["rule"] for s in sets for f in s["findings"]}
    assert "SL003" in rules


def test_the_pool_is_used_for_many_sets(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import concurrent.futures

    used: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    class Spy(real):  # type: ignore[misc,valid-type]
        def __init__(self, workers: int, **kw: object) -> None:
            used.append(workers)
            super().__init__(workers, **kw)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Spy)
    monkeypatch.setattr(engine, "_workers", lambda count: 2)
    repo = _monorepo(tmp_path / "mono", engine.POOL_MIN_SETS)
    result = run_cli(["--today", TODAY, "--format", "json"], repo)
    assert used == [2]
    assert len(result.json["sets"]) == engine.POOL_MIN_SETS
