"""``sustain-lint init [DIR]``: write every required evidence file as a template.

The templates (``sustain_lint/templates/``) are schema-valid, so the first
run after ``init`` has no SL001-SL004 finding, but they still fail the content
rules that only a person can satisfy: a draft charter, placeholder owners
(``TBD``), pending approvals, pending monitoring, an L2 roster that is not
24/7. The first ``sustain-lint`` after ``init`` is the to-do list.

Never overwrites, never writes through a link: ``DIR/.artifacts`` and
``DIR/.artifacts/maintenance`` are opened as folders without following a link
(one that is a link is refused, exit 2), and each template is created in the
opened folder with ``O_CREAT | O_EXCL | O_NOFOLLOW``, so an existing file or a
link (even a dangling one) is reported as skipped and left untouched, never
followed.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
from importlib import resources
from typing import NamedTuple

from sustain_lint.artifacts import ARTIFACTS, DEFAULT_ARTIFACTS_DIR

TODAY_MARK = "{{today}}"


def template_names() -> list[str]:
    return [a.name for a in ARTIFACTS if a.required]


def template_text(name: str, today: dt.date) -> str:
    text = resources.files("sustain_lint").joinpath("templates").joinpath(name).read_text(
        encoding="utf-8")
    return text.replace(TODAY_MARK, today.isoformat())


class _Refused(Exception):
    """A reason to stop before writing a template: exit 2, one line."""


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# where the OS opens a name relative to an open folder (POSIX), the folders are
# held open, so that none can be swapped for a link once it has been checked
_AT = {os.open, os.mkdir, os.lstat, os.unlink} <= os.supports_dir_fd


class _Folder(NamedTuple):
    path: str
    fd: int | None  # None: names are joined to ``path`` (no dir_fd on this OS)

    def name(self, name: str) -> str:
        return name if self.fd is not None else os.path.join(self.path, name)


def _shown(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def _open_folder(parent: _Folder, name: str) -> _Folder:
    """``parent/name`` as a folder, created if missing; a link there is refused."""
    path = os.path.join(parent.path, name)
    try:
        os.mkdir(parent.name(name), dir_fd=parent.fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise _Refused(f"cannot create {_shown(path)}: {exc.strerror or exc}") from None
    try:
        if stat.S_ISLNK(os.lstat(parent.name(name), dir_fd=parent.fd).st_mode):
            raise _Refused(f"{_shown(path)} is a symbolic link; init never writes through a "
                           "link")
        if parent.fd is None:
            return _Folder(path, None)
        fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | _CLOEXEC,
                     dir_fd=parent.fd)
    except OSError as exc:
        raise _Refused(f"cannot create {_shown(path)}: {exc.strerror or exc}") from None
    return _Folder(path, fd)


def _target_folder(directory: str) -> list[_Folder]:
    """DIR (created if missing; it may be a link: the user named it), then each
    folder of DEFAULT_ARTIFACTS_DIR inside it, opened without following a link."""
    try:
        os.makedirs(directory, exist_ok=True)
        top = _Folder(directory, os.open(directory, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
                      if _AT else None)
    except OSError as exc:
        raise _Refused(f"cannot create {_shown(directory)}: {exc.strerror or exc}") from None
    opened = [top]
    try:
        for part in DEFAULT_ARTIFACTS_DIR.split("/"):
            opened.append(_open_folder(opened[-1], part))
    except BaseException:
        _close(opened)
        raise
    return opened


def _close(folders: list[_Folder]) -> None:
    for folder in folders:
        if folder.fd is not None:
            os.close(folder.fd)


def _create(folder: _Folder, name: str, text: str) -> bool:
    """Write a new file ``name`` in ``folder``; False when something is there
    already (a file, a folder, a link: never followed)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    try:
        fd = os.open(folder.name(name), flags, 0o666, dir_fd=folder.fd)
    except FileExistsError:
        return False
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except BaseException:
        # the file is ours (O_EXCL): no half-written template is left behind
        try:  # noqa: SIM105
            os.unlink(folder.name(name), dir_fd=folder.fd)
        except OSError:
            pass
        raise
    return True


def init(directory: str, today: dt.date | None = None) -> int:
    from sustain_lint.writing import to_stdout

    day = today or dt.date.today()
    try:
        folders = _target_folder(directory)
    except _Refused as exc:
        sys.stderr.write(f"sustain-lint init: {exc}\n")
        return 2
    target = folders[-1]
    # every file is written before anything is printed, so that a closed pipe
    # (`sustain-lint init | head`) cannot leave the set half-written
    report: list[str] = []
    created = 0
    try:
        for name in template_names():
            shown = _shown(os.path.join(target.path, name))
            try:
                made = _create(target, name, template_text(name, day))
            except OSError as exc:
                to_stdout("".join(report))
                sys.stderr.write(f"sustain-lint init: cannot write {shown}: "
                                 f"{exc.strerror or exc}\n")
                return 2
            if not made:
                report.append(f"skipped {shown} (exists)\n")
                continue
            created += 1
            report.append(f"created {shown}\n")
    finally:
        _close(folders)
    if created:
        report.append(
            f"\n{created} template{'s' if created != 1 else ''} written. They are schema-valid "
            "but not done: replace every TBD, approve the charter and the release policy, "
            "collect the approvals and activate monitoring. Run `sustain-lint` for the "
            "to-do list.\n")
    else:
        report.append("\nEvery file already exists; nothing written.\n")
    to_stdout("".join(report))
    return 0
