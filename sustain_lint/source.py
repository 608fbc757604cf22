"""The source lines the text report shows under its findings. The command line
reads them (reporters only format): after the run, for the findings that have a
line, from the artifacts of the sets, one pass over each file up to the last
line wanted.

A file is read only when it is a regular file inside its set folder, no symbolic
link (nothing is read through a link, whether or not it leaves the repository:
the run already said what is wrong with it) and no larger than the size limit.
The lines are text to show, never to act on: the text reporter escapes them
(``safe_text``) and neutralises them (``neutral_log``) like any artifact text."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping

from sustain_lint.model import RunResult

MAX_LINE_CHARS = 4096  # of a longer line, only the start is kept (the caret is cut to it)


def source_lines(result: RunResult, max_bytes: int) -> Mapping[tuple[str, int], str]:
    """``(finding path, line) -> the text of that line``, for every finding with a
    line whose file can be read as above."""
    wanted: dict[tuple[str, str], tuple[str, set[int]]] = {}
    for s in result.sets:
        if not s.folder:
            continue
        for f in s.findings:
            if f.line is None or f.line < 1:
                continue
            key = (s.folder, f.artifact)
            wanted.setdefault(key, (f.path, set()))[1].add(f.line)
    found: dict[tuple[str, int], str] = {}
    for (folder, artifact), (shown, lines) in wanted.items():
        for number, text in _read_lines(os.path.join(folder, artifact), lines, max_bytes):
            found[(shown, number)] = text
    return found


def _read_lines(path: str, lines: set[int], max_bytes: int) -> list[tuple[int, str]]:
    try:
        st = os.lstat(path)
    except OSError:
        return []
    if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
        return []  # a link, a folder, a FIFO (never opened: it could block), too large
    last = max(lines)
    out: list[tuple[int, str]] = []
    try:
        with open(path, "rb") as fh:
            for number, raw in enumerate(fh, start=1):  # binary: lines end at LF only
                if number in lines:
                    text = raw[:MAX_LINE_CHARS * 4].decode("utf-8", "replace")
                    if number == 1:
                        text = text.lstrip("\ufeff")
                    out.append((number, text.rstrip("\r\n")[:MAX_LINE_CHARS]))
                if number >= last:
                    break
    except OSError:
        return out
    return out
