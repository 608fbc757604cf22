"""``sustain-lint init [DIR]``: write every required evidence file as a template.

The templates (``sustain_lint/templates/``) are schema-valid, so the first
run after ``init`` has no SL001-SL004 finding, but they still fail the content
rules that only a person can satisfy: a draft charter, placeholder owners
(``TBD``), pending approvals, pending monitoring, an L2 roster that is not
24/7. The first ``sustain-lint`` after ``init`` is the to-do list.

Never overwrites: each file is created exclusively (``open(..., "x")``), so an
existing file (or a symlink, even a dangling one) is reported as skipped and
left untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from importlib import resources

from sustain_lint.artifacts import ARTIFACTS, DEFAULT_ARTIFACTS_DIR

TODAY_MARK = "{{today}}"


def template_names() -> list[str]:
    return [a.name for a in ARTIFACTS if a.required]


def template_text(name: str, today: dt.date) -> str:
    text = resources.files("sustain_lint").joinpath("templates").joinpath(name).read_text(
        encoding="utf-8")
    return text.replace(TODAY_MARK, today.isoformat())


def init(directory: str, today: dt.date | None = None) -> int:
    day = today or dt.date.today()
    target = os.path.join(directory, *DEFAULT_ARTIFACTS_DIR.split("/"))
    try:
        os.makedirs(target, exist_ok=True)
    except OSError as exc:
        sys.stderr.write(f"sustain-lint init: cannot create {target}: "
                         f"{exc.strerror or exc}\n")
        return 2
    # every file is written before anything is printed, so that a closed pipe
    # (`sustain-lint init | head`) cannot leave the set half-written
    report: list[str] = []
    created = 0
    for name in template_names():
        path = os.path.join(target, name)
        shown = os.path.normpath(path).replace(os.sep, "/")
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(template_text(name, day))
        except FileExistsError:
            report.append(f"skipped {shown} (exists)\n")
            continue
        except OSError as exc:
            sys.stdout.write("".join(report))
            sys.stderr.write(f"sustain-lint init: cannot write {shown}: "
                             f"{exc.strerror or exc}\n")
            return 2
        created += 1
        report.append(f"created {shown}\n")
    if created:
        report.append(
            f"\n{created} template{'s' if created != 1 else ''} written. They are schema-valid "
            "but not done: replace every TBD, approve the charter and the release policy, "
            "collect the approvals and activate monitoring. Run `sustain-lint` for the "
            "to-do list.\n")
    else:
        report.append("\nEvery file already exists; nothing written.\n")
    sys.stdout.write("".join(report))
    return 0
