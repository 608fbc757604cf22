"""Where reports go: files written atomically and never through a link, stdout
in whatever encoding the console has.

Report files (``--output`` and the ``--*-file`` options) are checked first, all
of them, before anything is written: a destination that is evidence being
checked (an artifact, or anything directly inside a set folder, links resolved),
a folder, or named twice is a usage error. Then each report goes to a temporary
file beside its destination (flushed and fsynced), and only when every report is
on disk are they renamed into place (``os.replace``): a link planted at a
destination is replaced by the report, its target untouched; a failed write
leaves neither a truncated report nor a temporary file. A character device or a
named pipe named as a destination (``--output /dev/null``) is written as it is:
it has no content to lose, must not be replaced, and no commit can plant one.

Every failure is an ``OutputError`` (exit 2, one line): ``cannot write FILE:
<reason>``. Stdout gets the same treatment (a full disk is ``cannot write
stdout: No space left on device``). On a stdout that is not UTF-8 a text report
shows what the stream cannot encode as backslash escapes (``Zo\\xeb``), and a
JSON or XML document gets every character beyond ASCII as its own escape
(``\\u00eb``, ``&#235;``: still valid, still the same text), with one note on
stderr; the exit code stays the judgement's (see docs/decisions/hardening.md).

Only modules the interpreter has loaded at start-up are imported at the top (and
``typing``): the light commands use this module.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any, NamedTuple

EXIT_USAGE = 2


class OutputError(Exception):
    """A report that cannot be written where it was asked to go: exit 2."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _shown(path: str) -> str:
    from sustain_lint.reporters import safe_text  # (no reporter imported)

    return safe_text(path)


# --- report files --------------------------------------------------------------------------

class Destination(NamedTuple):
    """One report file: the path as given, where the report will really be
    written (the final component not resolved: a link there is replaced), and
    whether it is written in place (a device or a named pipe), or to this
    process's stdout or stderr (``stream``: ``/dev/stdout`` and its other names)."""

    given: str
    target: str
    in_place: bool
    stream: str | None = None  # "stdout", "stderr"


# the names of this process's own output streams: links (or, elsewhere, devices) that the
# system puts there, never a path a pull request plants; written to, never replaced (a
# link in /dev replaced by a regular file, as root, would break every later process)
_STREAMS = {"/dev/stdout": "stdout", "/dev/stderr": "stderr", "/dev/fd/1": "stdout",
            "/dev/fd/2": "stderr", "/proc/self/fd/1": "stdout", "/proc/self/fd/2": "stderr"}


class Evidence(NamedTuple):
    """What no report may be written to: the set folders (real paths, with the
    display path each is shown by) and the real paths of their artifacts."""

    folders: dict[str, str]
    files: dict[str, str]


def evidence_of(sets: Iterable[tuple[str, str, Sequence[str]]]) -> Evidence:
    """``sets``: (absolute folder, display path, the files its glob artifacts
    matched, relative to the folder) of each set being checked."""
    from sustain_lint.artifacts import ARTIFACTS
    from sustain_lint.model import member_path

    folders: dict[str, str] = {}
    files: dict[str, str] = {}
    for folder, shown, members in sets:
        folders.setdefault(os.path.realpath(folder), shown)
        for name in (*(art.name for art in ARTIFACTS if not art.many), *members):
            files.setdefault(os.path.realpath(os.path.join(folder, name)),
                             member_path(shown, name))
    return Evidence(folders, files)


def plan(paths: Sequence[str], evidence: Evidence, cwd: str) -> list[Destination]:
    """Check every destination before any is written; ``OutputError`` says why
    one cannot be."""
    planned: list[Destination] = []
    seen: dict[str, str] = {}
    for given in paths:
        destination = _destination(given, cwd)
        _refuse_evidence(destination, evidence)
        if destination.target in seen:
            raise OutputError(f"cannot write {_shown(given)}: it is also the destination of "
                              "another report (one file per report)")
        seen[destination.target] = given
        planned.append(destination)
    return planned


def _destination(given: str, cwd: str) -> Destination:
    def refuse(reason: str) -> OutputError:
        return OutputError(f"cannot write {_shown(given)}: {reason}")

    if not given or "\x00" in given:
        raise refuse("not a file name")
    absolute = os.path.normpath(os.path.join(cwd, given))
    if absolute in _STREAMS:
        stream = _STREAMS[absolute]
        return Destination(given, f"/dev/{stream}", in_place=True, stream=stream)
    name = os.path.basename(absolute)
    if given.endswith(("/", os.sep)) or not name or name in (".", ".."):
        raise refuse("Is a directory")
    try:
        folder = os.path.realpath(os.path.dirname(absolute))
        target = os.path.join(folder, name)
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None  # a new file (whether its folder exists is found out when writing)
    except (OSError, ValueError) as exc:
        raise refuse(_reason(exc) if isinstance(exc, OSError) else str(exc)) from None
    if mode is None or stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return Destination(given, target, in_place=False)
    if stat.S_ISDIR(mode):
        raise refuse("Is a directory")
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return Destination(given, target, in_place=True)
    raise refuse("not a regular file")


def _refuse_evidence(destination: Destination, evidence: Evidence) -> None:
    """Nothing is ever written into the evidence being linted: not over an
    artifact (links resolved), not beside one in a set folder."""
    # (the destination's folder is resolved, its own name is not: a link there is
    # replaced, never followed, so what it points at is no concern)
    inside = evidence.folders.get(os.path.dirname(destination.target))
    where = (evidence.files.get(destination.target) or evidence.folders.get(destination.target)
             or (inside and f"{inside}/{os.path.basename(destination.target)}"))
    if not where:
        return
    raise OutputError(f"cannot write {_shown(destination.given)}: it is {_shown(where)}, in an "
                      "evidence set being checked (reports are never written into the evidence)")


class Staged(NamedTuple):
    destination: Destination
    temp: str | None  # the temporary file beside the destination
    text: str | bytes | None  # what an in-place destination gets


def stage(destination: Destination, text: str | bytes) -> Staged:
    """Write ``text`` (or its bytes: UTF-8 already) to a temporary file in the
    destination's folder, flushed and fsynced (an in-place destination keeps the
    text for ``commit``)."""
    if destination.in_place:
        return Staged(destination, None, text)
    import tempfile

    folder, name = os.path.split(destination.target)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {_shown(destination.given)}: {_reason(exc)}") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # what open() would have given a new file
        with _opened(fd, text) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        _remove(temp)
        raise OutputError(f"cannot write {_shown(destination.given)}: {_reason(exc)}") from None
    except BaseException:
        _remove(temp)
        raise
    return Staged(destination, temp, None)


def commit(staged: Sequence[Staged]) -> None:
    """Put every staged report in place: in-place destinations first (they are
    the ones that can still fail, a full ``/dev/full``), then the renames."""
    left = [item for item in staged if item.temp is not None]
    try:
        for item in staged:
            if item.text is not None:
                _write_in_place(item.destination, item.text)
        while left:
            item = left[0]
            assert item.temp is not None
            try:
                os.replace(item.temp, item.destination.target)
            except OSError as exc:
                raise OutputError(f"cannot write {_shown(item.destination.given)}: "
                                  f"{_reason(exc)}") from None
            left.pop(0)
    finally:
        discard(left)


def _opened(fd: int, text: str | bytes) -> IO[Any]:
    """The file ``fd`` open for ``text``: UTF-8 with LF line ends, or bytes as they are."""
    if isinstance(text, bytes):
        return open(fd, "wb")  # noqa: SIM115 (the caller's with statement closes it)
    return open(fd, "w", encoding="utf-8", newline="\n")  # noqa: SIM115


def write_reports(destinations: Sequence[Destination], texts: Iterable[str | bytes]) -> None:
    """Stage one report per destination (``texts`` may render each lazily), then
    put them all in place; on any failure no temporary file is left."""
    staged: list[Staged] = []
    try:
        for destination, text in zip(destinations, texts, strict=True):
            staged.append(stage(destination, text))
    except BaseException:
        discard(staged)
        raise
    commit(staged)


def discard(staged: Iterable[Staged]) -> None:
    """Remove the temporary files of reports not put in place."""
    for item in staged:
        if item.temp is not None:
            _remove(item.temp)


def _write_stream(destination: Destination, text: str | bytes) -> None:
    """A report file that is this process's stdout or stderr: its UTF-8 bytes, as a
    file gets them, after what the stream holds already. A reader that went away is
    not an error (as for stdout's own report)."""
    stream = sys.stdout if destination.stream == "stdout" else sys.stderr
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    try:
        stream.flush()
        binary = getattr(stream, "buffer", None)
        if binary is None:  # not a byte stream (a test's StringIO)
            stream.write(data.decode("utf-8"))
        else:
            binary.write(data)
            binary.flush()
    except BrokenPipeError:
        if stream is sys.stdout:
            _silence_stdout()
    except (OSError, ValueError) as exc:
        if stream is sys.stdout:
            _silence_stdout()
        reason = _reason(exc) if isinstance(exc, OSError) else "the stream is closed"
        raise OutputError(f"cannot write {_shown(destination.given)}: {reason}") from None


def _write_in_place(destination: Destination, text: str | bytes) -> None:
    if destination.stream is not None:
        _write_stream(destination, text)
        return
    flags = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(destination.target, flags)
        with _opened(fd, text) as fh:
            fh.write(text)
    except OSError as exc:
        raise OutputError(f"cannot write {_shown(destination.given)}: {_reason(exc)}") from None


def _remove(path: str) -> None:
    try:  # noqa: SIM105 (contextlib costs start-up time)
        os.unlink(path)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- stdout --------------------------------------------------------------------------------

# How a report that cannot go to stdout as written is escaped: text formats show
# what the stream cannot encode as backslash escapes; JSON and XML documents, which
# must stay valid (and UTF-8: ASCII is), get every character beyond ASCII as the
# format's own escape, which means the same character to any reader.
ESCAPING: dict[str, str] = {"json": "json", "sarif": "json", "junit": "xml", "html": "xml"}
_NOTES = {
    "text": "the characters it cannot encode are shown as backslash escapes (\\xeb, "
            "\\U0001f680)",
    "json": "the characters beyond ASCII are written as JSON escapes (\\u00eb), which mean "
            "the same",
    "xml": "the characters beyond ASCII are written as XML character references (&#235;), "
           "which mean the same",
}
_noted = False


def escaping(fmt: str) -> str:
    """The escaping of output format ``fmt`` on a stdout that is not UTF-8."""
    return ESCAPING.get(fmt, "text")


def to_stdout(text: str, kind: str = "text") -> None:
    """Write ``text`` to stdout and flush it. A reader that went away is not an
    error (the rest of the output is dropped); a full disk or another write error
    is an ``OutputError``; on a stdout that is not UTF-8, characters are escaped
    as ``kind`` (see ``ESCAPING``) says, with one note on stderr."""
    stream = sys.stdout
    text = _encodable(text, stream.encoding, kind)
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as exc:
        _silence_stdout()
        raise OutputError(f"cannot write stdout: {_reason(exc)}") from None


def _encodable(text: str, encoding: str | None, kind: str) -> str:
    global _noted
    if not encoding:
        return text  # not a byte stream (a test's StringIO)
    try:
        if codecs.lookup(encoding).name == "utf-8":
            return text
        if kind == "text":
            text.encode(encoding)
            return text
    except UnicodeEncodeError:
        pass
    except LookupError:  # an encoding Python does not know: the stream will say
        return text
    if kind != "text" and text.isascii():
        return text
    if not _noted:
        _noted = True
        _to_stderr(f"sustain-lint: note: stdout is not UTF-8 ({encoding}): {_NOTES[kind]}; set "
                   "PYTHONIOENCODING=utf-8 to see them as written\n")
    if kind == "json":
        return text.encode("ascii", _JSON_ESCAPES).decode("ascii")
    if kind == "xml":
        return text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return text.encode(encoding, "backslashreplace").decode(encoding)


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: each character as JSON's ``\\uXXXX`` (a surrogate
    pair beyond the BMP). Our JSON holds text beyond ASCII only in strings."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for ch in error.object[error.start:error.end]:
        code = ord(ch)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out), error.end


_JSON_ESCAPES = "sustain-lint-json"
codecs.register_error(_JSON_ESCAPES, _json_escape)


def _silence_stdout() -> None:
    """Point stdout's descriptor at /dev/null, so that what is left in its
    buffer goes nowhere instead of failing again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file (a test's StringIO)
        pass


def _to_stderr(text: str) -> None:
    try:  # noqa: SIM105
        sys.stderr.write(text)
    except (OSError, ValueError):  # stderr is gone too: nothing left to tell
        pass


def stdout_failed(exc: OSError) -> int:
    """Stdout could not take the rest of the output (the final flush): one line,
    and the exit code of a usage error."""
    _silence_stdout()
    _to_stderr(f"sustain-lint: error: cannot write stdout: {_reason(exc)}\n")
    return EXIT_USAGE
