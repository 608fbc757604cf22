"""The history provider: what git's history says about some files of the evidence
sets, gathered once per repository per run and handed to the rules as values
(``SetHistory`` in ``Context.history``). The rules judge these facts; only this
module runs ``git``.

Per repository a small, constant number of processes, whatever the number of
sets or files: ``git rev-parse`` (the top level, whether the clone is shallow,
where its shallow list is), ``git check-attr --stdin`` (files marked
``-sustain-lint-history``), one ``git log`` over the history of every file asked
about (renames followed among the files of those names, merges as their
first-parent change), one ``git cat-file --batch`` for every version's text.
Outside a repository, or without a ``git`` executable, no process is started and
every set says why its history was not read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import NamedTuple

ATTRIBUTE = "sustain-lint-history"
"""The git attribute that, unset (``-sustain-lint-history`` in .gitattributes), keeps a
file's history from being judged: a sample or template set kept in a repository."""

# the variables git sets for a hook (pre-commit runs under one) that would point every
# git command at one repository, whichever set's folder it runs in
_GIT_LOCATION_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR",
                           "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                           "GIT_PREFIX", "GIT_NAMESPACE")
# options that keep a user's configuration from changing what git log prints
_CONFIG = ("-c", "log.showSignature=false", "-c", "core.quotePath=false",
           "-c", "color.ui=false", "-c", "diff.renames=true", "-c", "log.follow=false",
           "-c", "core.fsmonitor=false")

PROCESSES = [0]  # git processes started by this process (the benchmark reads it)


class FileVersion(NamedTuple):
    """One commit that changed a file: what the file held after it."""

    commit: str  # full hash
    timestamp: int  # committer date, seconds since the epoch
    author: str
    path: str  # the file's path in that commit, relative to the top level
    text: str | None  # None: not UTF-8, or not read
    boundary: bool = False  # a shallow clone's boundary commit: its parents are not here

    @property
    def short(self) -> str:
        return self.commit[:7]

    @property
    def day(self) -> dt.date:
        """The committer date's day in UTC."""
        return dt.datetime.fromtimestamp(self.timestamp, dt.timezone.utc).date()


class FileHistory(NamedTuple):
    """The commits that changed one file, newest first (empty: never committed)."""

    versions: tuple[FileVersion, ...] = ()
    shallow: bool = False  # the repository is a shallow clone


@dataclasses.dataclass(frozen=True)
class SetHistory:
    """The history of the files of one set that the rules judge against git, or why
    there is none (``reason``: not in a repository, no git, git refused)."""

    files: Mapping[str, FileHistory] = dataclasses.field(default_factory=dict)
    reason: str | None = None


class _Repository(NamedTuple):
    top: str  # the work tree's top level (real path)
    shallow: bool
    boundaries: frozenset[str]


class _Wanted(NamedTuple):
    key: str  # the set's key
    artifact: str
    path: str  # relative to the top level, POSIX


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARIABLES}
    env.update(LC_ALL="C", LANGUAGE="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0",
               GIT_PAGER="cat", GIT_NO_REPLACE_OBJECTS="1")
    return env


def _git(git: str, cwd: str, args: Sequence[str], stdin: bytes | None = None
         ) -> subprocess.CompletedProcess[bytes]:
    PROCESSES[0] += 1
    try:
        return subprocess.run([git, *_CONFIG, *args], cwd=cwd, input=stdin,
                              capture_output=True, env=_environment(), check=False)
    except OSError as exc:  # not executable, no such folder, no process left: a reason
        return subprocess.CompletedProcess(
            [git, *args], 127, b"", f"fatal: cannot run git: {exc.strerror}".encode())


def _enclosing_work_tree(folder: str, cache: dict[str, str | None]) -> str | None:
    """The nearest folder at or above ``folder`` holding a ``.git`` entry (a folder,
    or a file for a worktree or submodule), found without starting git."""
    seen: list[str] = []
    current = os.path.realpath(folder)
    found: str | None = None
    while True:
        if current in cache:
            found = cache[current]
            break
        seen.append(current)
        if os.path.lexists(os.path.join(current, ".git")):
            found = current
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    for path in seen:
        cache[path] = found
    return found


def _first_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("fatal:"):
            return line[len("fatal:"):].strip()
    return lines[0] if lines else "git failed"


def _refusal(stderr: bytes, where: str) -> str:
    """Why git did not answer, for the reports (``where``: the repository's folder as
    the reports show paths, relative to the working directory)."""
    text = stderr.decode("utf-8", "replace")
    if "dubious ownership" in text:
        return (f"git refuses to read the repository at {where}: its folder belongs to "
                "another user (\"dubious ownership\", as in a CI container); if you trust "
                "it, run `git config --global --add safe.directory` with its absolute path "
                "(in GitHub Actions: \"$GITHUB_WORKSPACE\")")
    return f"git cannot read the repository at {where}: {_first_line(stderr)}"


def _shown(path: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(path, os.path.realpath(cwd))
    except ValueError:
        return path
    return rel.replace(os.sep, "/")


def _open(git: str, folder: str, shown: str) -> _Repository | str:
    proc = _git(git, folder, ["rev-parse", "--show-toplevel", "--is-shallow-repository",
                              "--git-common-dir"])
    if proc.returncode != 0:
        return _refusal(proc.stderr, shown)
    lines = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) < 3:
        return f"git cannot read the repository at {shown}: it has no work tree"
    top, shallow, common = lines[0], lines[1] == "true", lines[2]
    boundaries: frozenset[str] = frozenset()
    if shallow:
        try:
            with open(os.path.join(folder, common, "shallow"), encoding="ascii") as listing:
                boundaries = frozenset(line.strip() for line in listing if line.strip())
        except (OSError, UnicodeDecodeError):
            boundaries = frozenset()
    return _Repository(os.path.realpath(top), shallow, boundaries)


def _excluded(git: str, repo: _Repository, paths: Collection[str]) -> set[str]:
    """The paths whose ``sustain-lint-history`` attribute is unset."""
    if not paths:
        return set()
    data = b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in sorted(paths))
    proc = _git(git, repo.top, ["check-attr", "-z", "--stdin", ATTRIBUTE], data)
    if proc.returncode != 0:
        return set()
    fields = proc.stdout.split(b"\0")
    out = set()
    for i in range(0, len(fields) - 2, 3):
        if fields[i + 2] == b"unset":
            out.add(fields[i].decode("utf-8", "surrogateescape"))
    return out


class _Change(NamedTuple):
    status: str
    src: str
    dst: str
    blob: str  # after the change


class _Commit(NamedTuple):
    commit: str
    parents: tuple[str, ...]
    timestamp: int
    author: str
    changes: list[_Change]


def _parse_log(out: bytes, names: Collection[str]) -> list[_Commit]:
    """``git log -z --raw --format=%x01%H%x00%P%x00%ct%x00%an%x00`` in order: the
    commits that change a path ending in one of ``names`` (the others are not parsed)."""
    commits: list[_Commit] = []
    wanted = [sep + name.encode("utf-8", "surrogateescape") + b"\0"
              for name in names for sep in (b"/", b"\0")]
    for record in out.split(b"\x01")[1:]:
        if not any(name in record for name in wanted):
            continue
        fields = record.split(b"\0")
        if len(fields) < 4:
            continue
        commit = fields[0].decode("ascii", "replace")
        parents = tuple(fields[1].decode("ascii", "replace").split())
        try:
            timestamp = int(fields[2])
        except ValueError:
            continue
        author = fields[3].decode("utf-8", "replace")
        changes: list[_Change] = []
        rest = fields[4:]
        i = 0
        while i < len(rest):
            meta = rest[i].strip()
            if not meta.startswith(b":"):
                i += 1
                continue
            parts = meta[1:].split()
            if len(parts) < 5:
                break
            status = parts[4].decode("ascii", "replace")
            blob = parts[3].decode("ascii", "replace")
            if status[:1] in ("R", "C"):
                if i + 2 >= len(rest):
                    break
                src = rest[i + 1].decode("utf-8", "surrogateescape")
                dst = rest[i + 2].decode("utf-8", "surrogateescape")
                i += 3
            else:
                if i + 1 >= len(rest):
                    break
                src = dst = rest[i + 1].decode("utf-8", "surrogateescape")
                i += 2
            changes.append(_Change(status[:1], src, dst, blob))
        commits.append(_Commit(commit, parents, timestamp, author, changes))
    return commits


def _histories(commits: list[_Commit], paths: Iterable[str]
               ) -> dict[str, list[tuple[_Commit, str, str]]]:
    """Per current path, the (commit, blob, path then) of each commit that changed it,
    newest first: walking back, a rename carries the history to its old name, and the
    commit that added the file ends it."""
    watch: dict[str, str] = {p: p for p in paths}  # path in older commits -> current path
    found: dict[str, list[tuple[_Commit, str, str]]] = {p: [] for p in watch}
    for commit in commits:
        ended: list[str] = []
        renamed: dict[str, str] = {}
        for change in commit.changes:
            current = watch.get(change.dst)
            if current is None or change.status == "D":
                continue
            found[current].append((commit, change.blob, change.dst))
            if change.status in ("R", "A"):
                ended.append(change.dst)
            if change.status == "R":
                renamed[change.src] = current
        for path in ended:
            watch.pop(path, None)
        watch.update(renamed)
    return found


def _read_blobs(git: str, repo: _Repository, blobs: Collection[str]) -> dict[str, str | None]:
    if not blobs:
        return {}
    ordered = sorted(blobs)
    proc = _git(git, repo.top, ["cat-file", "--batch"],
                b"".join(b.encode("ascii") + b"\n" for b in ordered))
    texts: dict[str, str | None] = {}
    out = proc.stdout
    pos = 0
    for blob in ordered:
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3 or header[1] != b"blob":
            texts[blob] = None  # missing (a partial clone), or not a blob
            continue
        size = int(header[2])
        data = out[pos:pos + size]
        pos += size + 1
        try:
            texts[blob] = data.decode("utf-8")
        except UnicodeDecodeError:
            texts[blob] = None
    return texts


def _gather_repository(git: str, folder: str, wanted: list[_Wanted], cwd: str
                       ) -> dict[str, SetHistory] | str:
    """The histories of one repository's wanted files (per set key), or why none."""
    shown = _shown(folder, cwd)
    repo = _open(git, folder, shown)
    if isinstance(repo, str):
        return repo
    paths = {w.path for w in wanted}
    excluded = _excluded(git, repo, paths)
    judged = sorted(paths - excluded)
    histories: dict[str, list[tuple[_Commit, str, str]]] = {p: [] for p in judged}
    if judged:
        # no pathspec: git limits a log to paths by diffing every commit's whole tree
        # against them (10,000 commits of a 15,000-file tree: 4 s for two globs, minutes
        # for a list of paths), while the whole log is one cheap tree diff per commit; and
        # every rename is seen, whatever the old name
        proc = _git(git, repo.top, [
            "log", "-z", "--raw", "--no-abbrev", "-M", "--diff-merges=first-parent",
            "--no-ext-diff", "--no-textconv", "--no-color", "--no-relative",
            "--format=%x01%H%x00%P%x00%ct%x00%an%x00", "HEAD", "--"])
        if proc.returncode != 0:
            message = proc.stderr.decode("utf-8", "replace")
            if "does not have any commits" not in message and "bad revision" not in message \
                    and "unknown revision" not in message:
                return _refusal(proc.stderr, shown)
            commits: list[_Commit] = []  # no commit yet: nothing has been committed
        else:
            commits = _parse_log(proc.stdout, {p.rsplit("/", 1)[-1] for p in judged})
        histories = _histories(commits, judged)
    texts = _read_blobs(git, repo, {blob for found in histories.values()
                                    for _, blob, _ in found})
    per_set: dict[str, dict[str, FileHistory]] = {}
    reasons: dict[str, str] = {}
    for w in wanted:
        if w.path in excluded:
            reasons.setdefault(w.key, f"its files are marked -{ATTRIBUTE} in "
                               ".gitattributes")
            continue
        versions = tuple(
            FileVersion(c.commit, c.timestamp, c.author, path, texts.get(blob),
                        c.commit in repo.boundaries)
            for c, blob, path in histories.get(w.path, []))
        per_set.setdefault(w.key, {})[w.artifact] = FileHistory(versions, repo.shallow)
    out = {key: SetHistory(files) for key, files in per_set.items()}
    out.update({key: SetHistory(reason=reason) for key, reason in reasons.items()})
    return out


def gather(sets: Sequence[tuple[str, str]], artifacts: Sequence[str], cwd: str = ".",
           git: str | None = None) -> dict[str, SetHistory]:
    """For each set (its key and folder), the history of its ``artifacts`` (file names
    in the folder). Sets of one repository share its few git processes. ``cwd``: what
    the paths in the reasons are relative to."""
    if not sets or not artifacts:
        return {}
    git = git or shutil.which("git")
    if git is None:
        return {key: SetHistory(reason="no git executable was found")
                for key, _ in sets}
    cache: dict[str, str | None] = {}
    by_repo: dict[str, list[_Wanted]] = {}
    out: dict[str, SetHistory] = {}
    for key, folder in sets:
        top = _enclosing_work_tree(folder, cache)
        if top is None:
            out[key] = SetHistory(reason="not inside a git repository")
            continue
        real = os.path.realpath(folder)
        rel = os.path.relpath(real, top).replace(os.sep, "/")
        by_repo.setdefault(top, []).extend(
            _Wanted(key, name, name if rel == "." else f"{rel}/{name}") for name in artifacts)
    for top, wanted in by_repo.items():
        found = _gather_repository(git, top, wanted, cwd)
        if isinstance(found, str):
            out.update({w.key: SetHistory(reason=found) for w in wanted})
            continue
        out.update(found)
        for w in wanted:
            out.setdefault(w.key, SetHistory())
    return out
