"""Approvals judged against git history (evidence.md §7), each situation against a real
git repository built here with scripted commit dates: renames, merge commits, a
detached HEAD, a repository with no commits yet, a worktree, a shallow clone, git's
"dubious ownership" refusal, no git at all, and the bounded number of git processes a
run starts. (The fixture cases sl106-*, sl107-*, sl313-* hold the basic situations.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sustain_lint import history
from sustain_lint.artifacts import CHARTER, RELEASE
from tests.helpers import EXAMPLE, SET, TODAY, commit_all, copy_example, git, run_cli

APPROVED = "2026-11-12"  # the example charter's approved_on (the release policy's: 11-14)
BEFORE = "2026-11-10T09:00:00Z"
AFTER = "2026-11-16T09:00:00Z"
SCOPE = "and the mobile apps."


def change_scope(charter: Path, extra: str = " The partner webhooks are in scope.") -> None:
    charter.write_text(charter.read_text().replace(SCOPE, SCOPE + extra))


def approved_repo(where: Path) -> Path:
    """The example committed before its approval days."""
    repo = copy_example(where)
    git(repo, "init", "-q")
    commit_all(repo, BEFORE, message="the approved evidence")
    return repo


def findings(repo: Path, *args: str, cwd: Path | None = None) -> list[dict[str, object]]:
    result = run_cli(["--today", TODAY, "--format", "json", *args, "."], cwd or repo)
    assert result.code in (0, 1), result.err
    return [f for s in result.json["sets"] for f in s["findings"]
            if f["rule"] in ("SL106", "SL107", "SL313")]


def short(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "rev-parse", "--short=7", rev).strip()


def test_a_change_after_the_approval_names_its_commit(tmp_path: Path) -> None:
    repo = approved_repo(tmp_path / "repo")
    assert findings(repo) == []
    change_scope(repo / SET / CHARTER)
    commit_all(repo, AFTER, author="Sam Reyes")
    first = short(repo)
    (repo / SET / CHARTER).write_text((repo / SET / CHARTER).read_text().replace(
        "customer satisfaction.", "customer satisfaction, NPS."))
    commit_all(repo, "2026-11-18T09:00:00Z", author="Lee Okafor")
    found = findings(repo)
    assert [f["rule"] for f in found] == ["SL106"]
    message = str(found[0]["message"])
    assert f"commit {first} (2026-11-16, Sam Reyes)" in message
    assert "'## Scope'" in message and "'## Metrics and SLIs'" in message
    assert found[0]["line"] == 5 and found[0]["logical_location"] == "front matter: approved_on"


def test_a_change_reverted_later_is_no_change(tmp_path: Path) -> None:
    repo = approved_repo(tmp_path / "repo")
    original = (repo / SET / CHARTER).read_text()
    change_scope(repo / SET / CHARTER)
    commit_all(repo, AFTER)
    (repo / SET / CHARTER).write_text(original)
    commit_all(repo, "2026-11-17T09:00:00Z")
    assert findings(repo) == []


def test_the_utc_committer_date_decides_the_day(tmp_path: Path) -> None:
    repo = approved_repo(tmp_path / "repo")
    change_scope(repo / SET / CHARTER)
    # 2026-11-12 at 23:30 local time in New York is 2026-11-13 04:30 UTC: after the day
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "late", date="2026-11-12T23:30:00-05:00")
    assert [f["rule"] for f in findings(repo)] == ["SL106"]
    # renewed: the same change, approved on the 13th
    charter = repo / SET / CHARTER
    charter.write_text(charter.read_text().replace(f"approved_on: {APPROVED}",
                                                   "approved_on: 2026-11-13"))
    assert findings(repo) == []


def test_the_author_date_does_not_count(tmp_path: Path) -> None:
    repo = approved_repo(tmp_path / "repo")
    change_scope(repo / SET / CHARTER)
    git(repo, "add", "-A")
    env_commit = ["commit", "-q", "-m", "rebased later"]
    # written before the approval (author date) but committed after it (a rebase)
    subprocess.run(["git", *env_commit], cwd=repo, check=True, capture_output=True, env={
        **os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "C", "GIT_COMMITTER_EMAIL": "c@example.com",
        "GIT_AUTHOR_DATE": "2026-11-11T09:00:00Z", "GIT_COMMITTER_DATE": AFTER})
    assert [f["rule"] for f in findings(repo)] == ["SL106"]


def test_renamed_set_folder_keeps_its_history(tmp_path: Path) -> None:
    repo = approved_repo(tmp_path / "repo")
    (repo / "services").mkdir()
    git(repo, "mv", ".artifacts", "services/.artifacts")
    commit_all(repo, AFTER, message="moved into services/")
    assert findings(repo) == []  # a move changes no content
    change_scope(repo / "services" / SET / CHARTER)
    commit_all(repo, "2026-11-17T09:00:00Z", author="Sam Reyes")
    found = findings(repo)
    assert [f["rule"] for f in found] == ["SL106"]
    assert f"commit {short(repo)} (2026-11-17, Sam Reyes)" in str(found[0]["message"])


def test_merge_commits(tmp_path: Path) -> None:
    repo = approved_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "topic")
    change_scope(repo / SET / CHARTER)
    topic = commit_all(repo, AFTER, author="Sam Reyes", message="on a branch")
    git(repo, "checkout", "-q", "main")
    (repo / "README.md").write_text("main moves on\n")
    commit_all(repo, "2026-11-17T09:00:00Z")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge topic", "topic",
        date="2026-11-18T09:00:00Z")
    found = findings(repo)
    assert [f["rule"] for f in found] == ["SL106"]
    # the commit that changed it is the branch's, not the merge
    assert f"commit {topic[:7]} (2026-11-16, Sam Reyes)" in str(found[0]["message"])


def test_a_merge_of_approved_work_is_no_change(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    git(repo, "init", "-q")
    commit_all(repo, "2026-11-01T09:00:00Z")
    git(repo, "checkout", "-q", "-b", "topic")
    change_scope(repo / SET / CHARTER)
    commit_all(repo, "2026-11-11T09:00:00Z", message="the change the approval covers")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "topic", date=AFTER)
    assert findings(repo) == []


def test_detached_head(tmp_path: Path) -> None:
    repo = approved_repo(tmp_path / "repo")
    change_scope(repo / SET / CHARTER)
    commit_all(repo, AFTER)
    git(repo, "checkout", "-q", "--detach", "HEAD")
    assert [f["rule"] for f in findings(repo)] == ["SL106"]
    git(repo, "checkout", "-q", "--detach", "HEAD~1")
    assert findings(repo) == []


def test_no_commit_yet_is_approved_as_it_enters(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    git(repo, "init", "-q")
    git(repo, "add", "-A")  # staged, not committed
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    assert result.code == 0 and result.json["sets"][0]["history_not_judged"] is None
    assert findings(repo) == []


def test_a_file_not_committed_yet_in_a_repository_with_commits(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README.md").write_text("x\n")
    commit_all(repo, BEFORE)
    copy_example(repo)  # untracked
    assert findings(repo) == []


def test_worktree(tmp_path: Path) -> None:
    repo = approved_repo(tmp_path / "repo")
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"), "-b", "other")
    wt = tmp_path / "wt"
    assert (wt / ".git").is_file()
    assert findings(wt) == []
    change_scope(wt / SET / CHARTER)
    commit_all(wt, AFTER, author="Sam Reyes")
    found = findings(wt)
    assert [f["rule"] for f in found] == ["SL106"] and short(wt) in str(found[0]["message"])
    assert findings(repo) == []  # the main work tree's branch is unchanged


def test_a_worktree_of_a_shallow_clone(tmp_path: Path) -> None:
    origin = approved_repo(tmp_path / "origin")
    (origin / "README.md").write_text("later\n")
    commit_all(origin, AFTER)
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), "clone")
    git(tmp_path / "clone", "worktree", "add", "-q", str(tmp_path / "wt"), "-b", "other")
    assert [f["rule"] for f in findings(tmp_path / "wt")] == ["SL107", "SL107"]


def test_shallow_clone_then_unshallowed(tmp_path: Path) -> None:
    origin = approved_repo(tmp_path / "origin")
    change_scope(origin / SET / CHARTER)
    commit_all(origin, AFTER)
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), "clone")
    clone = tmp_path / "clone"
    found = findings(clone)
    assert [f["rule"] for f in found] == ["SL107", "SL107"]
    assert "fetch-depth: 0" in str(found[0]["message"])
    # SL107 speaks for the rule that cannot judge: with that rule off, it is silent about it
    assert [f["path"].rsplit("/", 1)[1] for f in findings(clone, "--ignore", "SL106")] == [
        RELEASE]
    assert findings(clone, "--ignore", "SL106,SL313") == []
    git(clone, "fetch", "-q", "--unshallow")
    assert [f["rule"] for f in findings(clone)] == ["SL106"]


def test_a_deeper_clone_that_reaches_the_day_is_judged(tmp_path: Path) -> None:
    origin = approved_repo(tmp_path / "origin")
    change_scope(origin / SET / CHARTER)
    commit_all(origin, AFTER)
    git(tmp_path, "clone", "-q", "--depth", "2", origin.as_uri(), "clone")
    assert [f["rule"] for f in findings(tmp_path / "clone")] == ["SL106"]


def not_judged(repo: Path, tmp_path: Path) -> dict[str, str]:
    """Every report of a run whose approvals could not be judged: what each says."""
    said: dict[str, str] = {}
    text = run_cli(["--today", TODAY, "--color", "never", "."], repo)
    assert text.code == 0, text.out
    said["text"] = next(line for line in text.out.splitlines()
                        if line.startswith("Approval freshness"))
    data = run_cli(["--today", TODAY, "--format", "json", "."], repo).json
    said["json"] = data["sets"][0]["history_not_judged"]
    sarif = json.loads(run_cli(["--today", TODAY, "--format", "sarif", "."], repo).out)
    notes = sarif["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
    said["sarif"] = next(n["message"]["text"] for n in notes
                         if n["message"]["text"].startswith("Approval freshness"))
    root = ET.fromstring(run_cli(["--today", TODAY, "--format", "junit", "."], repo).out)
    skipped = {c.get("name", "").split()[0]: c.find("skipped") for c in root.iter("testcase")
               if c.find("skipped") is not None}
    assert set(skipped) == {"SL106", "SL313"}
    said["junit"] = str(next(iter(skipped.values())).get("message"))  # type: ignore[union-attr]
    summary = tmp_path / "summary.md"
    summary.write_text("")
    old = os.environ.get("GITHUB_STEP_SUMMARY")
    os.environ["GITHUB_STEP_SUMMARY"] = str(summary)
    try:
        github = run_cli(["--today", TODAY, "--format", "github", "."], repo)
    finally:
        if old is None:
            del os.environ["GITHUB_STEP_SUMMARY"]
        else:
            os.environ["GITHUB_STEP_SUMMARY"] = old
    said["github"] = next(line for line in github.out.splitlines() if "Approval freshness" in line)
    said["summary"] = next(line for line in summary.read_text().splitlines()
                           if "Approval freshness" in line)
    assert findings(repo) == []  # silent
    return said


def test_outside_a_repository_every_report_says_why(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    calls = history.PROCESSES[0]
    said = not_judged(repo, tmp_path)
    assert history.PROCESSES[0] == calls  # no git process at all
    for where, line in said.items():
        assert "not inside a git repository" in line, where
    assert said["text"] == ("Approval freshness (SL106, SL107, SL313) was not judged: not "
                            "inside a git repository")


def test_without_git_every_report_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    repo = approved_repo(tmp_path / "repo")
    change_scope(repo / SET / CHARTER)
    commit_all(repo, AFTER)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    for where, line in not_judged(repo, tmp_path).items():
        assert "no git executable was found" in line, where


def test_dubious_ownership_is_not_judged_with_the_reason(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() != 0:
        pytest.skip("handing a repository to another user needs root")
    repo = approved_repo(tmp_path / "repo")
    change_scope(repo / SET / CHARTER)
    commit_all(repo, AFTER)
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 65534, 65534)  # nobody's: git refuses it to root
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)  # no safe.directory of this machine
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    said = not_judged(repo, tmp_path)
    for where, line in said.items():
        assert "dubious ownership" in line and "safe.directory" in line, where
    assert str(tmp_path) not in said["text"]  # the repository as the reports show paths


def test_the_bundled_example_is_not_judged_against_this_repository(tmp_path: Path) -> None:
    if not (EXAMPLE.parent.parent / ".git").exists():
        pytest.skip("not run from a git checkout of the project")
    result = run_cli(["--today", TODAY, "--color", "never", "."], EXAMPLE)
    assert result.code == 0
    assert ("Approval freshness (SL106, SL107, SL313) was not judged: its files are marked "
            f"-{history.ATTRIBUTE} in .gitattributes") in result.out
    assert findings(EXAMPLE) == []


def test_a_hook_environment_does_not_point_git_elsewhere(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    repo = approved_repo(tmp_path / "repo")
    change_scope(repo / SET / CHARTER)
    commit_all(repo, AFTER)
    other = approved_repo(tmp_path / "other")
    # as git sets them for a hook running in another repository
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    assert [f["rule"] for f in findings(repo)] == ["SL106"]


def test_the_release_policy(tmp_path: Path) -> None:
    repo = approved_repo(tmp_path / "repo")
    policy = repo / SET / RELEASE
    policy.write_text(policy.read_text().replace("## Communication", "## Communication\n\n"
                                                 "### Internal\nEngineering is told in #eng.\n"))
    commit_all(repo, "2026-11-15T09:00:00Z", author="Lee Okafor")
    found = findings(repo)
    assert [f["rule"] for f in found] == ["SL313"]
    assert "the section '### Internal' (added)" in str(found[0]["message"])


def test_switched_off_no_git_process_and_no_note(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    calls = history.PROCESSES[0]
    result = run_cli(["--today", TODAY, "--ignore", "SL106,SL107,SL313", "."], repo)
    assert "Approval freshness" not in result.out
    assert history.PROCESSES[0] == calls


@pytest.mark.parametrize("count", [30, pytest.param(300, marks=pytest.mark.slow)])
def test_git_processes_per_repository_are_few_whatever_the_sets(tmp_path: Path,
                                                                 count: int) -> None:
    repo = tmp_path / "mono"
    for number in range(count):
        shutil.copytree(EXAMPLE, repo / f"svc{number:03}")
    git(repo, "init", "-q")
    commit_all(repo, BEFORE)
    change_scope(repo / "svc007" / SET / CHARTER)
    commit_all(repo, AFTER)
    calls = history.PROCESSES[0]
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    started = history.PROCESSES[0] - calls
    assert started <= 4, started  # rev-parse, check-attr, log, cat-file
    stale = [(s["path"], f["rule"]) for s in result.json["sets"] for f in s["findings"]]
    assert stale == [(f"svc007/{SET}", "SL106")]


def test_sets_of_several_repositories_each_say_their_own(tmp_path: Path) -> None:
    inside = approved_repo(tmp_path / "inside")
    change_scope(inside / SET / CHARTER)
    commit_all(inside, AFTER)
    copy_example(tmp_path / "outside")
    result = run_cli(["--today", TODAY, "--format", "json", "inside", "outside"], tmp_path)
    by_set = {s["path"]: s for s in result.json["sets"]}
    assert by_set[f"inside/{SET}"]["history_not_judged"] is None
    assert [f["rule"] for f in by_set[f"inside/{SET}"]["findings"]] == ["SL106"]
    assert by_set[f"outside/{SET}"]["history_not_judged"] == "not inside a git repository"
    text = run_cli(["--today", TODAY, "--color", "never", "inside", "outside"], tmp_path).out
    assert ("Approval freshness (SL106, SL107, SL313) was not judged for 1 of 2 sets: not "
            f"inside a git repository (outside/{SET})") in text


def test_a_charter_renamed_from_another_name_keeps_its_history(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    charter = repo / SET / CHARTER
    (repo / "docs" / "charter-draft.md").write_text(charter.read_text())
    charter.unlink()
    git(repo, "init", "-q")
    commit_all(repo, BEFORE, message="the charter, under its old name")
    git(repo, "mv", "docs/charter-draft.md", f"{SET}/{CHARTER}")
    change_scope(charter)  # renamed and changed in one commit, after the approval
    commit_all(repo, AFTER, author="Sam Reyes", message="renamed into the set")
    found = findings(repo)
    assert [f["rule"] for f in found] == ["SL106"]  # not "approved as first committed"
    assert f"commit {short(repo)} (2026-11-16, Sam Reyes)" in str(found[0]["message"])


def test_a_git_that_cannot_run_is_a_reason_not_a_crash(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo = approved_repo(tmp_path / "repo")
    broken = tmp_path / "bin"
    broken.mkdir()
    (broken / "git").write_text("not a program\n")
    (broken / "git").chmod(0o755)  # found on PATH, but exec fails
    monkeypatch.setenv("PATH", str(broken))
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    assert result.code == 0, result.err
    assert "cannot run git" in result.json["sets"][0]["history_not_judged"]
