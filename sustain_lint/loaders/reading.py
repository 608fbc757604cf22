"""Reading an artifact from disk safely: never follow a link out of the
repository, never open a FIFO or device, never read past the size limit, and
turn every failure into an SL002 problem with a location."""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import stat
from typing import NamedTuple

from sustain_lint.model import Location, Problem


class Read(NamedTuple):
    # decoded, newlines normalised to \n (unless asked to keep them); None for a large
    # ASCII file, whose ``data`` is the text (a loader decodes it only if it needs it:
    # 0.1 s and 100 MB for 100 MB)
    text: str | None
    problem: Problem | None
    missing: bool = False
    # ``text`` as UTF-8 bytes, when the file held exactly those (no carriage return was
    # normalised): a loader that parses bytes is spared an encode
    data: bytes | None = None


def text_of(text: str | None, data: bytes | None) -> str:
    """What a loader is handed, as text (``text``, else ``data``, which is then ASCII)."""
    if text is not None:
        return text
    assert data is not None, "a loader is handed text or data"
    return data.decode("ascii")


def is_within(path: str, root: str) -> bool:
    path, root = os.path.normcase(path), os.path.normcase(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


LAZY_MIN_BYTES = 1 << 20  # an ASCII file this large is handed over as bytes, not decoded
# ASCII characters that str.isspace() counts as blank (bytes.isspace() knows fewer)
_BLANK = re.compile(rb"[ \t\n\x0b\x0c\x1c-\x1f]*\Z")
_EMPTY = "is empty; write the evidence into it (`sustain-lint init` writes a template)"
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def read_artifact(path: str, artifact: str, repo_root: str, max_bytes: int, *,
                  newlines: bool = True) -> Read:
    """``path`` read and decoded (``newlines``: its line ends turned into \\n;
    else kept as written, for a loader that turns them itself)."""
    def fail(message: str, loc: Location = Location()) -> Read:
        return Read(None, Problem(artifact, message, loc, code="SL002"))

    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return Read(None, None, missing=True)
    except OSError as exc:
        return fail(f"cannot be inspected: {exc.strerror or exc}")
    real_path = path
    if stat.S_ISLNK(st.st_mode):
        real_root = os.path.realpath(repo_root)
        real_path = os.path.realpath(path)
        if not is_within(real_path, real_root):
            return fail(
                "is a symbolic link that points outside the repository; it is not followed. "
                "Replace the link with the file itself"
            )
        try:
            st = os.stat(real_path)
        except OSError:
            return fail("is a broken (or looping) symbolic link; replace it with the file itself")
    if stat.S_ISDIR(st.st_mode):
        return fail("is a directory, not a file; replace it with the evidence file")
    if not stat.S_ISREG(st.st_mode):
        return fail("is not a regular file (a FIFO, socket or device); it is not read")
    if st.st_size > max_bytes:
        return fail(
            f"is {st.st_size:,} bytes, over the size limit of {max_bytes:,} bytes "
            "(max_file_mb); split or trim it"
        )
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real_path, flags)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM):
            return fail("cannot be read: permission denied")
        return fail(f"cannot be read: {exc.strerror or exc}")
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return fail("is not a regular file; it is not read")
        raw = _read_all(fd, min(st.st_size, max_bytes) + 1, max_bytes + 1)
    except OSError as exc:
        return fail(f"cannot be read: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        return fail(f"is over the size limit of {max_bytes:,} bytes (max_file_mb)")
    return decode(raw, artifact, newlines=newlines)


def _read_all(fd: int, expected: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of ``fd``, as one ``bytes`` sized from ``fstat``
    (no list of chunks, no joined copy, and a loader can hand it to a parser
    as it is); a file that grew while being read is still read to the limit."""
    with io.FileIO(fd, "rb", closefd=False) as fh:
        first = b""
        while len(first) < min(expected, limit):  # until the end (an empty read)
            got = fh.read(min(expected, limit) - len(first))
            if not got:
                return first
            first = got if not first else first + got
        more = []  # fstat undersold the file (it grew): read on, in chunks
        total = len(first)
        while total < limit:
            chunk = fh.read(min(limit - total, 1 << 20))
            if not chunk:
                break
            more.append(chunk)
            total += len(chunk)
    return first + b"".join(more) if more else first


def normalise_newlines(text: str) -> str:
    """\\r\\n and a lone \\r as \\n, in one pass in C (two ``replace`` took half as
    long again over a CRLF file: a copy at each of its many matches)."""
    return io.IncrementalNewlineDecoder(None, translate=True).decode(text, final=True)


def decode(raw: bytes | bytearray, artifact: str, *, newlines: bool = True) -> Read:
    def fail(message: str, loc: Location = Location(1, 1)) -> Read:
        return Read(None, Problem(artifact, message, loc, code="SL002"))

    for bom, name in _BOMS:
        if raw.startswith(bom):
            return fail(f"is encoded as {name}; save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        if isinstance(raw, bytearray):
            del raw[:len(codecs.BOM_UTF8)]  # in place: no copy of the rest
        else:
            raw = raw[len(codecs.BOM_UTF8):]
    nul = raw.find(b"\x00")
    if nul != -1:
        line = raw.count(b"\n", 0, nul) + 1
        col = nul - (raw.rfind(b"\n", 0, nul) + 1) + 1
        return fail(
            "contains a NUL byte (a binary file, or UTF-16 without a BOM?); "
            "save it as UTF-8 text",
            Location(line, col),
        )
    if (isinstance(raw, bytes) and len(raw) >= LAZY_MIN_BYTES and raw.isascii()
            and b"\r" not in raw):  # valid UTF-8, and the text is these very bytes
        return fail(_EMPTY) if _BLANK.match(raw) else Read(None, None, data=raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return fail(
            f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at line {line}, byte {col}); "
            "save it as UTF-8",
            Location(line, col),
        )
    data = raw if isinstance(raw, bytes) else None
    if newlines and "\r" in text:
        text = normalise_newlines(text)
        data = None
    if not text or text.isspace():  # as ``not text.strip()``, without copying the text
        return fail(_EMPTY)
    return Read(text, None, data=data)
