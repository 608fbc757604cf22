"""Internal errors (bugs) exit 3 with a short message; the traceback is shown only with
--debug (product.md, "Command line": "Never a bare traceback for bad input")."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sustain_lint.model import Problem
from tests.helpers import EXAMPLE, TODAY, run_cli

ROOT = Path(__file__).resolve().parent.parent
VICTIM = "SL301"  # any rule with a check will do: its check is replaced by a buggy one


def _buggy_check(ctx: Any) -> Iterator[Problem]:
    raise ZeroDivisionError("simulated bug in a rule")
    yield  # pragma: no cover - makes this a generator, like the real checks


@pytest.fixture()
def buggy_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    from sustain_lint.rules import REGISTRY

    rule = REGISTRY[VICTIM]
    assert rule.check is not None
    monkeypatch.setitem(REGISTRY, VICTIM, dataclasses.replace(rule, check=_buggy_check))


def _assert_short_message(err: str) -> None:
    lines = err.strip().split("\n")
    assert lines[0].startswith("sustain-lint: internal error: ZeroDivisionError: "), err
    assert "simulated bug in a rule" in lines[0]
    assert len(lines) <= 2, err  # the message, and the hint to rerun with --debug
    assert "--debug" in err


@pytest.mark.usefixtures("buggy_rule")
def test_bug_in_a_rule_exits_3_without_traceback() -> None:
    result = run_cli(["--today", TODAY, "--format", "json", "."], EXAMPLE)
    assert result.code == 3
    assert "Traceback" not in result.err
    _assert_short_message(result.err)
    assert result.out == ""  # no half-written report


@pytest.mark.usefixtures("buggy_rule")
def test_bug_in_a_rule_with_debug_shows_the_traceback() -> None:
    result = run_cli(["--today", TODAY, "--debug", "."], EXAMPLE)
    assert result.code == 3
    assert "Traceback (most recent call last)" in result.err
    assert "_buggy_check" in result.err
    assert "sustain-lint: internal error: ZeroDivisionError" in result.err


def test_bug_in_a_reporter_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    from sustain_lint.reporters import text

    def broken(*args: Any, **kwargs: Any) -> str:
        raise ZeroDivisionError("simulated bug in a rule")

    monkeypatch.setattr(text, "REPORTER", broken)
    result = run_cli(["--today", TODAY, "."], EXAMPLE)
    assert result.code == 3
    assert "Traceback" not in result.err
    _assert_short_message(result.err)


def test_engine_run_with_a_custom_registry_propagates_the_bug() -> None:
    """The engine does not swallow bugs (they would look like a pass): it raises, and
    the command line turns the exception into exit 3."""
    from sustain_lint.engine import Options, run
    from sustain_lint.rules import REGISTRY

    registry = dict(REGISTRY)
    registry[VICTIM] = dataclasses.replace(REGISTRY[VICTIM], check=_buggy_check)
    import datetime as dt

    options = Options(paths=[str(EXAMPLE)], today=dt.date(2026, 11, 22), cwd=str(EXAMPLE))
    with pytest.raises(ZeroDivisionError):
        run(options, registry)
    # the same registry without the bug: the example passes
    assert run(options, dict(REGISTRY)).passed


def test_real_process_exit_code_is_3(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import dataclasses, sys
        from sustain_lint.rules import REGISTRY
        def boom(ctx):
            raise ZeroDivisionError("simulated bug in a rule")
        REGISTRY[{VICTIM!r}] = dataclasses.replace(REGISTRY[{VICTIM!r}], check=boom)
        from sustain_lint.cli import main
        sys.exit(main(sys.argv[1:]))
    """)
    for debug in ([], ["--debug"]):
        proc = subprocess.run(
            [sys.executable, "-c", script, "--today", TODAY, *debug, "."], cwd=EXAMPLE,
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.returncode == 3, proc.stderr
        assert ("Traceback" in proc.stderr) == bool(debug), proc.stderr
        if not debug:
            _assert_short_message(proc.stderr)
