"""The "Linear time" bar (product.md, "Quality bars"): each small input that used to
take minutes or gigabytes (``tests/limits_inputs.py``) is linted by the real CLI in a
subprocess within 10 s and 500 MB of peak memory (``os.wait4``), and says what is
wrong with it in at most 100 findings per rule and file, then one saying how many
more (evidence.md §5). The cap itself is tested in-process below."""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from sustain_lint import limits
from sustain_lint.model import Location, Problem
from tests.helpers import ROOT, TODAY, copy_example
from tests.limits_inputs import BY_INPUT

SECONDS = 10.0
MEGABYTES = 500.0
KILL_AFTER = 120.0  # a regression must not hang the suite


def run_limited(repo: Path, out: Path) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak RSS in MB) of ``python -m sustain_lint --today
    ... --format json REPO``, its report written to ``out``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with out.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "sustain_lint", "--today", TODAY,
                                 "--format", "json", str(repo)],
                                cwd=repo.parent, env=env, stdout=sink, stderr=subprocess.DEVNULL)
        timer = threading.Timer(KILL_AFTER, lambda: os.kill(proc.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return proc.returncode, seconds, rss


# what each input must be reported as: (rule, file, a piece of one of its messages)
EXPECTED: dict[str, tuple[str, str, str] | None] = {
    "coverage-cell": ("SL003", "capacity-analysis.csv", "is not a window; write 24/7"),
    "owner-value": ("SL005", "runbook-index.json", "matches no name or role"),
    "metric-cell": ("SL221", "reporting-spec.md", "no row for backlog aging"),
    "headings": None,
    "emphasis-heading": None,
    "nested-json-keys": ("SL003", "runbook-index.json", "lacks the required keys"),
    "nested-yaml-keys": ("SL003", "support-workflow.yaml", "lacks the required keys"),
    "waivers": ("SL003", "backlog-register.csv", "… and 29,900 more SL003 findings"),
    "owner-hints": ("SL005", "backlog-register.csv", "did you mean 'Aaron Abara 5'?"),
    "duplicate-json-keys": ("SL004", "feedback-loop-map.json",
                            "… and 999,900 more SL004 findings"),
    "schema-errors": ("SL003", "runbook-index.json", "… and at least 901 more SL003 findings"),
    "duplicate-csv-columns": ("SL004", "backlog-register.csv",
                              "… and 7,899 more SL004 findings"),
    "routing": None,
}
# inputs that take more than about 2 s on the development machine
SLOW = {"coverage-cell", "headings", "nested-json-keys", "nested-yaml-keys", "waivers",
        "owner-hints", "duplicate-json-keys", "schema-errors", "routing"}
# not done yet (see docs/decisions/hardening.md, "Linear time")
NOT_YET: dict[str, str] = {}


def _cases() -> list[Any]:
    cases = []
    for name in EXPECTED:
        marks = [pytest.mark.slow] if name in SLOW else []
        if name in NOT_YET:
            marks.append(pytest.mark.xfail(reason=NOT_YET[name], strict=True))
        cases.append(pytest.param(name, marks=marks, id=name))
    return cases


@pytest.mark.parametrize("name", _cases())
def test_input_is_linted_within_the_bounds(name: str, tmp_path: Path) -> None:
    item = BY_INPUT[name]
    repo = copy_example(tmp_path / "repo")
    item.build(repo, item.bar)
    code, seconds, rss = run_limited(repo, tmp_path / "report.json")
    assert code in (0, 1), f"exit {code}"
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    findings = [f for s in report["sets"] for f in s["findings"]]
    per_rule_file = collections.Counter((f["rule"], f["path"]) for f in findings)
    assert max(per_rule_file.values(), default=0) <= limits.MAX_FINDINGS + 1, per_rule_file
    expected = EXPECTED[name]
    if expected is not None:
        rule, artifact, text = expected
        assert any(f["rule"] == rule and f["path"].endswith(artifact) and text in f["message"]
                   for f in findings), [(f["rule"], f["message"][:120]) for f in findings]
    assert seconds < SECONDS and rss < MEGABYTES, f"{seconds:.1f} s, {rss:.0f} MB"


# --- the cap, in-process -------------------------------------------------------------------

def _problem(line: int, code: str = "SL003", artifact: str = "a.json", gate: int | None = None
             ) -> Problem:
    return Problem(artifact, f"problem on line {line}", Location(line, 1), code=code, gate=gate)


def _gate(problem: Problem) -> int:
    return problem.gate or 2


def test_a_file_with_at_most_100_findings_of_a_rule_is_left_as_it_is() -> None:
    problems = [_problem(line) for line in range(100, 0, -1)]
    assert limits.cap_problems(problems, _gate) is problems


def test_the_first_100_are_kept_then_one_says_how_many_more() -> None:
    problems = [_problem(line) for line in range(250, 0, -1)]  # in no particular order
    capped = limits.cap_problems(problems, _gate)
    assert len(capped) == 101
    assert sorted(p.location.line or 0 for p in capped[:-1]) == list(range(1, 101))
    last = capped[-1]
    assert last.location.line == 101  # where the first one not shown is
    assert last.message.startswith("… and 150 more SL003 findings in a.json, not shown")


def test_the_cap_is_per_rule_file_and_gate() -> None:
    problems = ([_problem(n, "SL003") for n in range(1, 151)]
                + [_problem(n, "SL004") for n in range(1, 51)]
                + [_problem(n, "SL003", "b.json") for n in range(1, 51)]
                + [_problem(n, "SL901", "waivers.yaml", gate=1 + n % 2) for n in range(1, 301)])
    capped = limits.cap_problems(problems, _gate)
    counts = collections.Counter((p.code, p.artifact, _gate(p)) for p in capped)
    assert counts[("SL003", "a.json", 2)] == 101  # (100 and the one that says more)
    assert counts[("SL004", "a.json", 2)] == 50
    assert counts[("SL003", "b.json", 2)] == 50
    assert counts[("SL901", "waivers.yaml", 1)] == counts[("SL901", "waivers.yaml", 2)] == 101


def test_a_producer_stand_in_counts_for_the_problems_it_did_not_build() -> None:
    built = [_problem(n) for n in range(1, 1001)]
    counted = limits.cap_problems([*built, limits.more("a.json", "SL003", 5000,
                                                       Location(1001, 1))], _gate)
    assert counted[-1].message.startswith("… and 5,900 more SL003 findings")
    uncounted = limits.cap_problems([*built, limits.more("a.json", "SL003", None,
                                                         Location(1001, 1))], _gate)
    assert uncounted[-1].message.startswith("… and at least 901 more SL003 findings")
    assert not any(p.omitted for p in counted + uncounted)


def test_a_long_pointer_is_shortened_around_an_ellipsis() -> None:
    assert limits.shorten("/a/b") == "/a/b"
    short = limits.shorten("/" + "k" * 5000)
    assert len(short) == 1001 and "…" in short
