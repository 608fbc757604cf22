"""``background.start``: the value is always ``fn(*args)``; it comes from a
forked child where forking is possible, and from this process when the child
fails."""

from __future__ import annotations

import os
import sys

import pytest

from sustain_lint import background

FORKS = sys.platform.startswith("linux") and background.cpus() >= 2


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def test_the_value_comes_from_a_child_when_forking_is_possible() -> None:
    pid, value = background.start(_pid_and, 21)()
    assert value == 42
    assert (pid != os.getpid()) == FORKS


def test_large_arguments_reach_the_child_and_large_results_come_back() -> None:
    data = bytes(range(256)) * 40_000  # 10 MB, inherited rather than sent
    assert background.start(lambda b: b[::-1], data)() == data[::-1]


def test_a_child_that_dies_is_replaced_by_work_here() -> None:
    parent = os.getpid()

    def die_in_the_child() -> str:
        if os.getpid() != parent:
            os._exit(3)
        return "worked out here"

    assert background.start(die_in_the_child)() == "worked out here"


def test_an_error_is_raised_here_as_if_there_were_no_child() -> None:
    def fail() -> None:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        background.start(fail)()


def test_the_child_writes_nothing_and_runs_no_exit_handler(capfd: pytest.CaptureFixture[str]
                                                          ) -> None:
    print("before", end="")  # left in this process's buffer when the child is forked
    background.start(sys.stdout.write, "")()
    sys.stdout.flush()
    out, err = capfd.readouterr()
    assert out == "before" and err == ""
