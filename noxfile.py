"""The fast test suite on every Python the package claims (requires-python >=3.10).

    nox -s tests-3.10 tests-3.13     # what .ci/run runs after the main suite
    nox -s tests                     # 3.10, 3.11 and 3.13

Each session installs ``.[test]`` into a fresh virtual environment and runs
``python -m pytest -m "not slow"``; extra arguments go to pytest
(``nox -s tests-3.13 -- tests/test_cli.py``). The interpreters are found by
nox's usual lookup (``python3.10`` ... on PATH)."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
nox.options.error_on_missing_interpreters = True


@nox.session(python=["3.10", "3.11", "3.13"])
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "-m", "not slow", "-q", *session.posargs)
