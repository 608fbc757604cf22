"""Times the inputs of the "Linear time" bar (product.md, "Quality bars"): the
small inputs that took minutes or gigabytes before the fix (``tests/limits_inputs.py``).

Run from the repository root::

    python bench/limits.py                       # every input at its attack size
    python bench/limits.py --size bar            # at the size of the product bar
    python bench/limits.py --only headings       # one input (repeatable)
    python bench/limits.py --json after.json     # also write the rows as JSON
    python bench/limits.py --code /tmp/old --json before.json   # another tree's code
    python bench/limits.py --before before.json  # a before/after table

Each input is a copy of ``examples/complete`` with one file of its set
overwritten, linted once by ``python -m sustain_lint --today 2026-11-22
--format json`` in a subprocess (wall time; peak RSS from ``os.wait4``),
killed after ``--timeout`` seconds. ``--code DIR`` runs the package found in
DIR instead (``PYTHONPATH``), e.g. ``git archive <commit> sustain_lint | tar -x
-C DIR`` for the code before a change. A measuring instrument: exit 0 whatever
it measures."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.limits_inputs import INPUTS  # noqa: E402

EXAMPLE = ROOT / "examples" / "complete"
BAR_SECONDS = 10.0
BAR_MB = 500.0


def measure(repo: Path, timeout: float, code: str | None) -> tuple[float, float, int | None]:
    """(seconds, peak RSS in MB, exit code or None when killed) of one lint of ``repo``."""
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = code + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "sustain_lint", "--today", "2026-11-22", "--format", "json",
           str(repo)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=tempfile.gettempdir(), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed: list[bool] = []

    def kill() -> None:
        killed.append(True)
        os.kill(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return seconds, rss, None if killed else proc.returncode


def _cell(seconds: float, rss: float, exit_code: int | None, timeout: float) -> str:
    if exit_code is None:
        return f"> {timeout:.0f} s (killed), {rss:,.0f} MB"
    return f"{seconds:.2f} s, {rss:,.0f} MB"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=("attack", "bar"), default="attack")
    parser.add_argument("--only", action="append", choices=[i.name for i in INPUTS])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--code", help="run the package in this folder (PYTHONPATH)")
    parser.add_argument("--json", help="write the rows to this file")
    parser.add_argument("--before", help="rows written by an earlier --json: a before/after table")
    args = parser.parse_args(argv)
    before = {}
    if args.before:
        before = {row["name"]: row for row in json.loads(Path(args.before).read_text())["rows"]}
    rows = []
    header = (f"{'input':22} | {'size':>11} | {'what':40} | "
              + ("before                    | " if before else "")
              + f"{'time, peak RSS':24} | bar ({BAR_SECONDS:.0f} s, {BAR_MB:.0f} MB)")
    print(header)
    print("-" * len(header))
    for item in INPUTS:
        if args.only and item.name not in args.only:
            continue
        size = item.attack if args.size == "attack" else item.bar
        with tempfile.TemporaryDirectory(prefix="limits-") as tmp:
            repo = Path(tmp) / "repo"
            shutil.copytree(EXAMPLE, repo, symlinks=True)
            item.build(repo, size)
            seconds, rss, code = measure(repo, args.timeout, args.code)
        row = {"name": item.name, "size": size, "seconds": seconds, "rss_mb": rss,
               "exit": code, "killed": code is None}
        rows.append(row)
        ok = code is not None and code in (0, 1) and seconds <= BAR_SECONDS and rss <= BAR_MB
        old = before.get(item.name)
        old_cell = ""
        if before:
            old_cell = (_cell(old["seconds"], old["rss_mb"], old["exit"], args.timeout)
                        if old and old["size"] == size else "-")
            old_cell = f"{old_cell:25} | "
        print(f"{item.name:22} | {size:>11,} | {item.what:40} | {old_cell}"
              f"{_cell(seconds, rss, code, args.timeout):24} | {'PASS' if ok else 'FAIL'}"
              + ("" if code in (0, 1, None) else f" (exit {code})"), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"size": args.size, "code": args.code,
                                               "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
