"""Where the process pool cannot start (no writable /dev/shm for its
semaphores), many sets are linted in this process: the same reports, no
traceback. A real failure, not a mock: a private mount namespace whose
/dev/shm is a read-only tmpfs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sustain_lint import background, engine
from tests.helpers import TODAY
from tests.test_many_sets import _monorepo

RO_SHM = "mount -t tmpfs -o ro tmpfs /dev/shm || exit 99\n"


def _unshare_works() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "--mount", "true"], capture_output=True,
                          check=False).returncode == 0


pytestmark = [
    pytest.mark.skipif(not _unshare_works(),
                       reason="unshare --mount is not permitted here (needs root or user "
                              "namespaces)"),
    pytest.mark.skipif(background.cpus() < 2, reason="one CPU: the pool is never used"),
]


def _sh(script: str, cwd: Path, private: bool) -> subprocess.CompletedProcess[str]:
    cmd = ["unshare", "--mount", "sh", "-c", script] if private else ["sh", "-c", script]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600,
                          check=False, env={**os.environ, "PY": sys.executable, "TODAY": TODAY})


def test_the_failure_is_real(tmp_path: Path) -> None:
    """Under a read-only /dev/shm, multiprocessing cannot make the pool's locks."""
    proc = _sh(RO_SHM + '"$PY" -c "import multiprocessing as m; m.get_context(\'fork\').Lock()"',
               tmp_path, private=True)
    assert proc.returncode == 1 and "OSError" in proc.stderr, proc.stderr


@pytest.mark.slow  # many sets, each run twice
# html: its sections, rendered in the workers (and on stdout, decoded again)
@pytest.mark.parametrize("fmt", ["json", "text", "html"])
def test_many_sets_without_a_pool_give_the_same_reports(tmp_path: Path, fmt: str) -> None:
    count = engine.POOL_MIN_SETS + 6
    repo = _monorepo(tmp_path / "mono", count)
    run = f'"$PY" -m sustain_lint --today "$TODAY" --format {fmt} --color never\n'
    pooled = _sh(run, repo, private=False)
    alone = _sh(RO_SHM + run, repo, private=True)
    assert alone.returncode == pooled.returncode == 1, alone.stderr
    assert alone.stderr == pooled.stderr == ""
    assert alone.stdout == pooled.stdout
    assert alone.stdout.count("services/svc-") >= count
    if fmt == "html":  # the page's file: the sections' bytes as the workers encoded them
        page = tmp_path / "page.html"
        written = _sh(run.replace("--color never", f"--color never --output {page}"), repo,
                      private=False)
        assert written.returncode == 1 and written.stderr == ""
        assert page.read_bytes() == alone.stdout.encode("utf-8")
