"""The pre-commit hooks, proven with the real pre-commit: the manifest
validates, ``try-repo`` passes a passing set and fails a failing one, and the
README's ``.pre-commit-config.yaml`` installed in a scratch repository blocks a
commit that breaks the evidence.

pre-commit builds a virtual environment and pip-installs this project into it
(from PyPI for the dependencies), once per test module."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests._integration import snapshot, tool
from tests.helpers import EXAMPLE, ROOT, SET, TODAY

GIT_ENV = {
    "GIT_AUTHOR_NAME": "sustain-lint tests", "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "sustain-lint tests", "GIT_COMMITTER_EMAIL": "tests@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}
OK = "services/ok"
BAD = "services/bad"


def git(cwd: Path, *args: str, check: bool = True, home: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV}
    if home is not None:  # the installed hook runs pre-commit: share its cache
        env["PRE_COMMIT_HOME"] = str(home)
        env.pop("VIRTUAL_ENV", None)
    return subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                           *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


def pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run([tool("pre-commit"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)


def test_manifest_is_valid() -> None:
    proc = subprocess.run([tool("pre-commit"), "validate-manifest",
                           str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A committed snapshot of the project's working tree (tracked and new,
    non-ignored files), so that hooks see uncommitted work too."""
    snap = snapshot(tmp_path_factory.mktemp("project"))
    git(snap, "init", "-q")
    git(snap, "add", "-A")
    git(snap, "commit", "-q", "-m", "snapshot")
    sha = git(snap, "rev-parse", "HEAD").stdout.strip()
    return snap, sha


def break_set(folder: Path) -> None:
    charter = folder / "maintenance-charter.md"
    charter.write_text(charter.read_text().replace("status: approved", "status: draft"))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with a passing set (services/ok) and a failing one
    (services/bad: a draft charter), `today` pinned in .sustain-lint.toml."""
    repo = tmp_path_factory.mktemp("scratch")
    for where in (OK, BAD):
        shutil.copytree(EXAMPLE, repo / where)
    break_set(repo / BAD / SET)
    (repo / ".sustain-lint.toml").write_text(f'today = "{TODAY}"\n')
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "evidence")
    return repo


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def files_of(repo: Path, where: str) -> list[str]:
    return sorted(str(p.relative_to(repo)) for p in (repo / where / SET).iterdir())


@pytest.mark.slow
def test_try_repo(project: tuple[Path, str], scratch: Path, home: Path, tmp_path: Path) -> None:
    snap, sha = project
    base = ["try-repo", str(snap), "sustain-lint", "--ref", sha]
    ok = pre_commit(scratch, home, *base, "--files", *files_of(scratch, OK))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout

    bad = pre_commit(scratch, home, *base, "--files", *files_of(scratch, BAD))
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "SL101" in bad.stdout and f"{BAD}/{SET}/maintenance-charter.md" in bad.stdout
    assert f"{OK}/{SET}" not in bad.stdout  # the named files select their set only

    passing = tmp_path / "passing"
    shutil.copytree(scratch / OK, passing)
    shutil.copy(scratch / ".sustain-lint.toml", passing)
    git(passing, "init", "-q")
    git(passing, "add", "-A")
    git(passing, "commit", "-q", "-m", "evidence")
    all_ok = pre_commit(passing, home, *base, "--all-files")
    assert all_ok.returncode == 0, all_ok.stdout + all_ok.stderr

    everything = pre_commit(scratch, home, *base, "--all-files")
    assert everything.returncode == 1, everything.stdout + everything.stderr
    assert "[GATE 1 FAILED]" in everything.stdout


def readme_config() -> str:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", readme, re.S)
    assert block, "README shows a .pre-commit-config.yaml"
    return block.group(1)


@pytest.mark.slow
def test_installed_hook_blocks_a_bad_commit(project: tuple[Path, str], scratch: Path,
                                            home: Path, tmp_path: Path) -> None:
    snap, sha = project
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    (repo / ".sustain-lint.toml").write_text(f'today = "{TODAY}"\n')
    config = readme_config()
    assert "id: sustain-lint\n" in config and "id: sustain-lint-handoff" in config
    config = re.sub(r"repo: \S+", f"repo: {snap}", config)
    config = re.sub(r"rev: \S+", f"rev: {sha}", config)
    (repo / ".pre-commit-config.yaml").write_text(config)
    git(repo, "init", "-q")
    install = pre_commit(repo, home, "install", "--hook-type", "pre-commit",
                         "--hook-type", "pre-push")
    assert install.returncode == 0, install.stdout + install.stderr
    git(repo, "add", "-A")
    first = git(repo, "commit", "-m", "passing evidence", check=False, home=home)
    assert first.returncode == 0, first.stdout + first.stderr

    break_set(repo / SET)
    git(repo, "add", "-A")
    blocked = git(repo, "commit", "-m", "draft charter", check=False, home=home)
    assert blocked.returncode != 0
    assert "SL101" in blocked.stdout + blocked.stderr
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"

    handoff = pre_commit(repo, home, "run", "sustain-lint-handoff", "--hook-stage", "manual")
    assert handoff.returncode == 1, handoff.stdout + handoff.stderr
    assert "[GATE 1 FAILED]" in handoff.stdout


@pytest.mark.slow
def test_a_staged_change_after_the_approval_is_blocked(
        project: tuple[Path, str], home: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """SL106 under the real hook: what is judged is what is being committed (pre-commit
    sets unstaged changes aside), against the history of the repository."""
    snap, sha = project
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    (repo / ".sustain-lint.toml").write_text(f'today = "{TODAY}"\n')
    config = re.sub(r"repo: \S+", f"repo: {snap}", readme_config())
    (repo / ".pre-commit-config.yaml").write_text(re.sub(r"rev: \S+", f"rev: {sha}", config))
    git(repo, "init", "-q")
    install = pre_commit(repo, home, "install", "--hook-type", "pre-commit")
    assert install.returncode == 0, install.stdout + install.stderr

    def commit(message: str, date: str) -> subprocess.CompletedProcess[str]:
        monkeypatch.setenv("GIT_AUTHOR_DATE", date)
        monkeypatch.setenv("GIT_COMMITTER_DATE", date)
        return git(repo, "commit", "-m", message, check=False, home=home)

    git(repo, "add", "-A")
    first = commit("the approved evidence", "2026-11-10T09:00:00Z")
    assert first.returncode == 0, first.stdout + first.stderr
    charter = repo / SET / "maintenance-charter.md"
    approved = charter.read_text()
    scope = "and the mobile apps."
    changed = approved.replace(scope, scope + " The partner webhooks are in scope.")

    charter.write_text(changed)
    git(repo, "add", "-A")
    blocked = commit("scope grows", "2026-11-16T09:00:00Z")
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    out = blocked.stdout + blocked.stderr
    assert "SL106" in out and "in changes not committed yet" in out and "'## Scope'" in out
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"

    # staged: only the version (an approval key); unstaged on top: the scope change,
    # which pre-commit sets aside: what is being committed is still what was approved
    charter.write_text(approved.replace('version: "1.2"', 'version: "1.3"'))
    git(repo, "add", "-A")
    charter.write_text(changed.replace('version: "1.2"', 'version: "1.3"'))
    bumped = commit("version 1.3", "2026-11-16T09:00:00Z")
    assert bumped.returncode == 0, bumped.stdout + bumped.stderr
    assert "The partner webhooks" in charter.read_text()  # the unstaged change is back

    # the renewal: the change with the new approval date, committed that day
    charter.write_text(changed.replace('version: "1.2"', 'version: "1.3"').replace(
        "approved_on: 2026-11-12", f"approved_on: {TODAY}"))
    git(repo, "add", "-A")
    renewed = commit("scope grows, approved again", f"{TODAY}T15:00:00Z")
    assert renewed.returncode == 0, renewed.stdout + renewed.stderr
