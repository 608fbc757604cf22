"""Work out a small result on another core while this process goes on.

``start(fn, *args)`` forks a child that computes ``fn(*args)`` and sends the
pickled result back through a pipe; the returned function waits for it. The
child inherits the arguments (copy-on-write: a 100 MB ``bytes`` is not copied)
and leaves with ``os._exit``, so no buffer is flushed twice and no exit handler
runs. Where forking is not possible or not worth it (not Linux: macOS frameworks
may crash a child forked after they started; one CPU) or the child fails, the
result is computed here, so a caller always gets ``fn(*args)``, only sometimes
sooner.
"""

from __future__ import annotations

import os
import pickle
import sys
import warnings
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def start(fn: Callable[..., T], *args: object) -> Callable[[], T]:
    """Begin ``fn(*args)`` in a forked child; call the result to get its value."""
    if not sys.platform.startswith("linux") or cpus() < 2:
        return lambda: fn(*args)
    try:
        read_end, write_end = os.pipe()
    except OSError:  # out of file descriptors
        return lambda: fn(*args)
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a process with threads may deadlock the
            # child; the only threads here are the numeric libraries' idle pools, and the
            # child takes no lock of theirs
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return lambda: fn(*args)
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)
            with open(write_end, "wb") as out:
                out.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)

    def result() -> T:
        with open(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status == 0 and payload:
            value: T = pickle.loads(payload)
            return value
        return fn(*args)  # the child failed (killed, out of memory, ...): do it here

    return result
