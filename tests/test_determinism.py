"""Output is deterministic (product.md, "Reports"): the same files and `today` give
byte-identical reports. Runs happen in separate processes with different hash seeds (so
any ordering that leaks from a set or dict iteration shows), and on two copies of the same
files created in opposite orders (so directory listing order cannot leak either)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sustain_lint.reporters import FORMATS
from tests.helpers import EXAMPLE, SET, TODAY, UNKNOWN_CODE, copy_example

ROOT = Path(__file__).resolve().parent.parent


def _build(repo: Path, reverse: bool) -> Path:
    """The example, two extra sets with many findings, files created in a given order."""
    staging = repo.parent / (repo.name + "-staging")
    copy_example(staging)
    folder = staging / SET
    (folder / "feedback-loop-map.json").write_text('{"loops": [')
    (folder / "waivers.yaml").write_text(
        "- rule: SL002\n  justification: being rewritten\n  approved_by: Head of Operations\n"
        f"  expires: 2027-01-31\n- rule: {UNKNOWN_CODE}\n  justification: x\n  approved_by: y\n"
        "  expires: 2020-01-01\n")
    for service in ("billing", "alpha", "zeta"):
        other = staging / "services" / service
        copy_example(other)
        cap = other / SET / "capacity-analysis.csv"
        cap.write_text("\n".join(line for line in cap.read_text().split("\n")
                                 if "Mei Chen" not in line and "Tom Okafor" not in line))
        wf = other / SET / "support-workflow.yaml"
        wf.write_text(wf.read_text().replace("owner: L1 Support", "owner: TBD")
                      .replace("15m", "1h"))
        (other / SET / "backlog-register.csv").write_text(
            "id,title,source,priority,owner,status,due,created\n"
            "X-1,a,b,P1,,open,2020-01-01,2019-01-01\nX-1,a,b,P9,n/a,open,,\n")
    entries = sorted(staging.rglob("*"), reverse=reverse)
    for src in sorted((p for p in entries if p.is_dir()), key=lambda p: len(p.parts)):
        (repo / src.relative_to(staging)).mkdir(parents=True, exist_ok=True)
    for src in entries:
        if src.is_file():
            shutil.copy2(src, repo / src.relative_to(staging))
    shutil.rmtree(staging)
    return repo


def _run(repo: Path, fmt: str, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    proc = subprocess.run(
        [sys.executable, "-m", "sustain_lint", "--today", TODAY, "--format", fmt, "."],
        cwd=repo, capture_output=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr.decode()
    assert proc.stderr == b"", proc.stderr.decode()
    return proc.stdout


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("determinism")
    return _build(base / "a" / "repo", reverse=False), _build(base / "b" / "repo", reverse=True)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_are_byte_identical(fmt: str, repos: tuple[Path, Path]) -> None:
    first = _run(repos[0], fmt, "1")
    second = _run(repos[0], fmt, "2")
    assert first == second
    assert len(first) > 100
    # Two copies created in opposite orders, in different folders: the report may only
    # differ where it names the folder it was run in (an absolute base URI in SARIF).
    a = first.decode().replace(repos[0].as_uri(), "<ROOT>").replace(str(repos[0]), "<ROOT>")
    b = _run(repos[1], fmt, "3").decode()
    b = b.replace(repos[1].as_uri(), "<ROOT>").replace(str(repos[1]), "<ROOT>")
    assert a == b


def test_example_is_stable_in_process() -> None:
    """Reports of the bundled example rendered twice in one process are identical too
    (caches must not change the output)."""
    from tests.helpers import run_cli

    for fmt in FORMATS:
        outs = {run_cli(["--today", TODAY, "--format", fmt, "."], EXAMPLE).out for _ in range(2)}
        assert len(outs) == 1, fmt
