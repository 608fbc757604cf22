"""Shared test helpers: build a case repository from the bundled example plus
a fixture's overlay, and run the CLI in-process."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from sustain_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "complete"
FIXTURES = ROOT / "tests" / "fixtures"
SET = ".artifacts/maintenance"
TODAY = "2026-11-22"
# a rule code no catalog can hold: its prefix SL5 names no gate (SL1xx-SL4xx are gates
# 1-4, SL0xx the file's, SL9xx waivers), so it stays unknown whatever rules are added
UNKNOWN_CODE = "SL500"


class Result(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(args: list[str], cwd: Path | str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        os.chdir(old)
    return Result(code, out.getvalue(), err.getvalue())


def modules_imported(args: list[str], cwd: Path | str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` a fresh interpreter has imported after running the CLI
    with ``args`` (in-process, through ``main``) in ``cwd``."""
    code = ("import json, sys\nfrom sustain_lint.cli import main\n"
            f"main({args!r})\n"
            f"print('IMPORTED', json.dumps(sorted(m for m in {names!r} if m in sys.modules)))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, check=False, env={**os.environ, "NO_COLOR": "1"})
    lines = [line for line in proc.stdout.splitlines() if line.startswith("IMPORTED ")]
    assert lines, proc.stdout[-500:] + proc.stderr[-2000:]
    imported: list[str] = json.loads(lines[-1][len("IMPORTED "):])
    return imported


def copy_example(dest: Path) -> Path:
    shutil.copytree(EXAMPLE, dest, symlinks=True, dirs_exist_ok=True)
    return dest


def load_case(case: Path) -> dict[str, Any]:
    spec_path = case / "case.yaml"
    spec: dict[str, Any] = yaml.safe_load(spec_path.read_text()) if spec_path.exists() else {}
    return spec or {}


GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}


def git(repo: Path, *args: str, date: str | None = None, author: str = "Dana Whitfield",
        check: bool = True) -> str:
    """Run the real git in ``repo`` with no user or system configuration; a commit's
    author and committer are ``author`` and its dates ``date`` (ISO 8601)."""
    email = author.lower().replace(" ", ".") + "@example.com"
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email,
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    if date is not None:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    proc = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main",
                           *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr}")
    return proc.stdout


def commit_all(repo: Path, date: str, author: str = "Dana Whitfield",
               message: str = "change") -> str:
    """Commit every change of the work tree with these dates; the new commit's hash."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date, author=author)
    return git(repo, "rev-parse", "HEAD").strip()


def _build_history(case: Path, dest: Path, steps: list[dict[str, Any]]) -> None:
    """``git:`` in case.yaml: a commit per step (``date``, ``author``, ``message``), each
    after copying the step's ``files`` folder of the case over the repository."""
    git(dest, "init", "-q")
    for number, step in enumerate(steps, 1):
        if step.get("files"):
            shutil.copytree(case / str(step["files"]), dest, symlinks=True, dirs_exist_ok=True)
        commit_all(dest, str(step["date"]), str(step.get("author", "Dana Whitfield")),
                   str(step.get("message", f"step {number}")))


def materialize(case: Path, dest: Path) -> tuple[Path, dict[str, Any]]:
    """The case's repository: the base (the complete example, or nothing), the commits
    of its ``git`` steps (when it has them), the case's ``files/`` copied over it and
    the files listed in ``remove`` deleted (changes not committed)."""
    spec = load_case(case)
    dest.mkdir(parents=True, exist_ok=True)
    if spec.get("base", "complete") == "complete":
        copy_example(dest)
    if spec.get("git"):
        _build_history(case, dest, list(spec["git"]))
    overlay = case / "files"
    if overlay.is_dir():
        shutil.copytree(overlay, dest, symlinks=True, dirs_exist_ok=True)
    for rel in spec.get("remove", []):
        target = dest / SET / rel if "/" not in rel else dest / rel
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    return dest, spec


def case_args(spec: dict[str, Any]) -> list[str]:
    return ["--today", str(spec.get("today", TODAY)), *[str(a) for a in spec.get("args", [])]]


def summarize(result: Result) -> str:
    """The expectation text of a fixture case: the exit code, the gate statuses, and
    per finding a line ``RULE path:line:col severity [waived] @logical-location``
    followed by its message, indented (what a user reads; a change shows as a diff)."""
    data = result.json
    lines = [f"exit {result.code}"]
    for s in data["sets"]:
        gates = " ".join(f"{g['gate']}={g['status']}" for g in s["gates"])
        lines.append(f"gates {gates}")
        for f in s["findings"]:
            where = f["path"]
            if f["line"] is not None:
                where += f":{f['line']}"
                if f["column"] is not None:
                    where += f":{f['column']}"
            sev = f["severity"] + (" waived" if f["suppressed"] else "")
            logical = f" @{f['logical_location']}" if f.get("logical_location") else ""
            lines.append(f"{f['rule']} {where} {sev}{logical}")
            message = f["message"].replace("\\", "\\\\").replace("\n", "\\n")
            lines.append(f"    {message}")
    return "\n".join(lines) + "\n"


def case_repository(case: Path, tmp: Path) -> tuple[Path, dict[str, Any]]:
    """Where the case runs: its repository (``materialize``), or with ``clone: shallow``
    a ``git clone --depth 1`` of it, as actions/checkout makes by default."""
    repo, spec = materialize(case, tmp / "repo")
    if spec.get("clone") == "shallow":
        git(tmp, "clone", "-q", "--depth", "1", repo.as_uri(), "clone")
        repo = tmp / "clone"
    return repo, spec


def run_case(case: Path, tmp: Path) -> Result:
    repo, spec = case_repository(case, tmp)
    return run_cli([*case_args(spec), "--format", "json", "."], repo)
