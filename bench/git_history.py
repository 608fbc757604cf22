"""Figure 7 of bench/run.py: sets in one git repository with a long history.

``build(root, sets, commits)`` writes, with one ``git fast-import``, a repository of
``sets`` copies of examples/complete (``services/svc-NNNN/``) and ``commits`` commits:
the first adds every set (2026-10-01); a fifth of the rest edit charters and release
policies before their approval days (each a new version of a set's Scope or cadence
text); the others, after the approvals, touch notes, READMEs and the charters'
`version` (an approval key: no content change), so that every set has a long history
to read and none is stale. Then ``checkout``; ``copy_without_git`` makes the baseline:
the same tree, no ``.git``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sustain_lint.artifacts import CHARTER, DEFAULT_ARTIFACTS_DIR, RELEASE

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "complete"
SET = DEFAULT_ARTIFACTS_DIR
START = 1790812800  # 2026-10-01T00:00:00Z
BEFORE_APPROVAL = 1794355200  # 2026-11-11T00:00:00Z (charters approved 11-12, policies 11-14)
AFTER_APPROVAL = 1794787200  # 2026-11-16T00:00:00Z
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _data(text: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(text), text)


def _set(number: int) -> str:
    return f"services/svc-{number:04d}"


def build(root: Path, sets: int, commits: int) -> Path:
    files = sorted(p for p in EXAMPLE.rglob("*") if p.is_file())
    charter = (EXAMPLE / SET / CHARTER).read_bytes()
    policy = (EXAMPLE / SET / RELEASE).read_bytes()
    scope, cadence = b"and the mobile apps.", b"(last two business days of each month)."
    out: list[bytes] = []
    marks: dict[Path, int] = {}
    for mark, path in enumerate(files, 1):
        marks[path] = mark
        out.append(b"blob\nmark :%d\n" % mark + _data(path.read_bytes()))
    who = b"Bench Writer <bench@example.com>"

    def commit(when: int, message: str, changes: list[bytes]) -> None:
        out.append(b"commit refs/heads/main\ncommitter %s %d +0000\n" % (who, when)
                   + _data(message.encode()) + b"".join(changes))

    commit(START, "every set", [
        b"M 100644 :%d %s/%s\n" % (marks[p], _set(n).encode(),
                                   p.relative_to(EXAMPLE).as_posix().encode())
        for n in range(1, sets + 1) for p in files])
    rest = commits - 1
    before = rest // 5
    latest: dict[tuple[int, str], bytes] = {}
    for i in range(before):  # revisions before the approval days
        n = i % sets + 1
        when = START + 86400 + i * (BEFORE_APPROVAL - START - 86400) // max(before, 1)
        if i % 2 == 0:
            text = charter.replace(scope, scope + b" Revision %d." % i)
            name = CHARTER
        else:
            text = policy.replace(cadence, cadence + b" Revision %d." % i)
            name = RELEASE
        latest[(n, name)] = text
        commit(when, f"revise {name} of set {n}",
               [b"M 100644 inline %s/%s/%s\n" % (_set(n).encode(), SET.encode(), name.encode())
                + _data(text)])
    after = rest - before
    for i in range(after):  # after the approvals: nothing approved changes
        n = i % sets + 1
        when = AFTER_APPROVAL + i * 86400 * 5 // max(after, 1)
        if i % 10 == 0:
            base = latest.get((n, CHARTER), charter)
            text = base.replace(b'version: "1.2"', b'version: "1.2.%d"' % i)
            change = b"M 100644 inline %s/%s/%s\n" % (_set(n).encode(), SET.encode(),
                                                      CHARTER.encode()) + _data(text)
        else:
            change = b"M 100644 inline %s/notes/%d.txt\n" % (_set(n).encode(), i % 50) \
                + _data(b"note %d\n" % i)
        commit(when, f"work {i}", [change])
    root.mkdir(parents=True)
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=env)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, check=True, env=env,
                   input=b"".join(out))
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True, env=env)
    return root


def copy_without_git(repo: Path, dest: Path) -> Path:
    shutil.copytree(repo, dest, ignore=shutil.ignore_patterns(".git"))
    return dest


def git_shim(folder: Path, log: Path) -> Path:
    """A ``git`` that counts its starts in ``log`` and runs the real one."""
    real = shutil.which("git")
    assert real is not None
    folder.mkdir(parents=True, exist_ok=True)
    shim = folder / "git"
    shim.write_text(f'#!/bin/sh\necho x >> "{log}"\nexec "{real}" "$@"\n')
    shim.chmod(0o755)
    return folder
