"""An approval covers what was approved (evidence.md §7): the judgement shared by SL106
(the charter), SL313 (the release policy) and SL107 (history too short to judge).

The facts come from the history provider (``Context.history``: the versions of the
file that git holds, newest first); this module only compares texts. A file's
**content** is its text minus the front matter keys ``status``, ``approved_by``,
``approved_on`` and ``version``: approving (or renewing) changes nothing approved."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sustain_lint.context import Context
from sustain_lint.documents import MarkdownDocument
from sustain_lint.model import Location, Problem
from sustain_lint.values import parse_date

if TYPE_CHECKING:
    from sustain_lint.history import FileVersion

APPROVAL_KEYS = frozenset({"status", "approved_by", "approved_on", "version"})
_BEFORE_HEADINGS = "the text before the first heading"
_NAMED = 6  # changed places named in a message; the rest are counted

APPROVAL_WHAT = (
    "Where the set lives in a git repository, the content of {file} (the file minus the "
    "front matter keys `status`, `approved_by`, `approved_on` and `version`) is the content "
    "that was approved: the file as committed at the end of the `approved_on` day (the last "
    "commit that changed it whose committer date, in UTC, is on or before that day; a file "
    "first committed after its approval is approved as first committed). The content now "
    "(the working tree; under pre-commit, what is being committed) must be the same. The "
    "finding, at `approved_on`, names the first commit after the approval that changed the "
    "content (short hash, date, author) and the sections and front matter keys that differ. "
    "Line endings do not count. Judged only for `status: approved` with an `approved_on` "
    "date; a file not committed yet is approved as it enters the repository, and an "
    "approval dated today covers the working tree (the renewal is being committed). Outside "
    "a git "
    "repository, without `git`, or for files whose git attribute `sustain-lint-history` is "
    "unset, the rule is silent and the reports say that approval freshness was not judged; "
    "a shallow history that does not reach the approval day is SL107.")
APPROVAL_FIX = (
    "Have the changed content approved, then renew the approval: write the new date in "
    "`approved_on` (and the approver in `approved_by`); the new date covers the content as "
    "of that day. If the change was not meant, restore the approved text (`git log -p "
    "-- <file>` shows every change since).")


@dataclasses.dataclass(frozen=True)
class Content:
    """What an approval covers, compared cheaply: the front matter as data without the
    approval keys, and the text after it (sections are found only for a message)."""

    front: Any  # None: no front matter
    body: str


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n") + "\n"


def content_of(text: str) -> Content | None:
    """The content of a version of a Markdown artifact; None when its front matter
    cannot be read (SL002 speaks for the file now; a past version is not judged)."""
    import yaml

    text = _normalised(text)
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return Content(None, text)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        return None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load("\n".join(lines[1:index]), Loader=loader)  # noqa: S506 (safe)
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in APPROVAL_KEYS}
    return Content({"": data} if not isinstance(data, dict) else data,
                   "\n".join(lines[index + 1:]))


def sections_of(body: str) -> dict[str, str]:
    """"## Title" (numbered when repeated) -> the section's own text, up to the next
    heading; the text before the first heading under its own name."""
    from sustain_lint.loaders.markdown_loader import load_markdown

    doc = load_markdown(body, "")
    if not isinstance(doc.document, MarkdownDocument):
        return {}
    lines = body.split("\n")
    starts = [(sec.line, "#" * sec.level + " " + sec.title) for sec in doc.document.sections]
    sections: dict[str, str] = {}
    first = starts[0][0] - 1 if starts else len(lines)
    before = "\n".join(lines[:first]).strip()
    if before:
        sections[_BEFORE_HEADINGS] = before
    seen: dict[str, int] = {}
    for number, (line, title) in enumerate(starts):
        end = starts[number + 1][0] - 1 if number + 1 < len(starts) else len(lines)
        seen[title] = seen.get(title, 0) + 1
        key = title if seen[title] == 1 else f"{title} ({seen[title]})"
        sections[key] = "\n".join(text.rstrip() for text in lines[line - 1:end]).strip()
    return sections


def changes(old: Content, new: Content) -> list[str]:
    """What differs, in the order of the file: front matter keys, then sections."""
    out: list[str] = []
    if old.front != new.front:
        before, after = old.front or {}, new.front or {}
        for key in [*after, *(k for k in before if k not in after)]:
            if key not in before:
                out.append(f"the front matter key `{key}` (added)")
            elif key not in after:
                out.append(f"the front matter key `{key}` (removed)")
            elif before[key] != after[key]:
                out.append(f"the front matter key `{key}`")
    if old.body == new.body:
        return out
    was, now = sections_of(old.body), sections_of(new.body)
    for title, text in now.items():
        if title not in was:
            out.append(f"the section '{title}' (added)")
        elif was[title] != text:
            out.append(f"the section '{title}'")
    out.extend(f"the section '{title}' (removed)" for title in was if title not in now)
    return out


def _listed(items: list[str]) -> str:
    if len(items) > _NAMED:
        items = [*items[:_NAMED], f"{len(items) - _NAMED} more"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclasses.dataclass(frozen=True)
class Stale:
    approved_on: dt.date
    commit: FileVersion | None  # the first commit after the approval that changed the content
    changed: list[str]


@dataclasses.dataclass(frozen=True)
class TooShallow:
    approved_on: dt.date
    oldest: FileVersion  # the shallow clone's first commit of the file


def judge(ctx: Context, artifact: str) -> Stale | TooShallow | None:
    """Whether the approval of ``artifact`` still covers its content (None: it does,
    or there is nothing to judge: no approval, no history, never committed)."""
    doc = ctx.doc(artifact, MarkdownDocument)
    history = ctx.history
    if doc is None or history is None or history.reason is not None:
        return None
    status = doc.front("status")
    if not (isinstance(status, str) and status.strip().lower() == "approved"):
        return None  # no approval to be stale (SL101 / SL312 speak)
    approved_on = parse_date(doc.front("approved_on"))
    found = history.files.get(artifact)
    if approved_on is None or found is None or not found.versions:
        return None  # no date (SL101 / SL312), or not committed yet: approved as it enters
    if approved_on >= ctx.today:
        return None  # approved today: what is being committed today is what was approved
    versions = found.versions  # newest first
    index = next((i for i, v in enumerate(versions) if v.day <= approved_on), None)
    if index is None:
        oldest = versions[-1]
        if oldest.boundary:
            return TooShallow(approved_on, oldest)
        index = len(versions) - 1  # first committed after its approval: approved as committed
    approved = versions[index]
    if approved.text is None:
        return None  # not UTF-8 text: SL002 speaks for the file
    base = content_of(approved.text)
    now = content_of(doc.source)
    if base is None or now is None or base == now:
        return None
    first: FileVersion | None = None
    for version in reversed(versions[:index]):  # the commits after the approval, oldest first
        if version.text is None:
            continue
        if version.text != approved.text and content_of(version.text) != base:
            first = version
            break
    return Stale(approved_on, first, changes(base, now))


def stale_problem(ctx: Context, artifact: str, what: str) -> Iterator[Problem]:
    verdict = judge(ctx, artifact)
    doc = ctx.doc(artifact, MarkdownDocument)
    if not isinstance(verdict, Stale) or doc is None:
        return
    if verdict.commit is not None:
        c = verdict.commit
        when = (f"first in commit {c.short} ({c.day.isoformat()}, {c.author})")
    else:
        when = "in changes not committed yet"
    changed = _listed(verdict.changed) if verdict.changed else "its text"
    yield Problem(
        artifact,
        f"{artifact}: the {what} changed after its approval on "
        f"{verdict.approved_on.isoformat()}, {when}; changed since: {changed}. The approval "
        "covers only what was approved: have the change approved, then renew the approval "
        "by writing the new date in approved_on (and who approved it in approved_by)",
        _where(doc))


def shallow_problem(ctx: Context, artifact: str, code: str) -> Iterator[Problem]:
    verdict = judge(ctx, artifact)
    doc = ctx.doc(artifact, MarkdownDocument)
    if not isinstance(verdict, TooShallow) or doc is None:
        return
    c = verdict.oldest
    yield Problem(
        artifact,
        f"{artifact}: approved on {verdict.approved_on.isoformat()}, but this clone's history "
        f"is shallow and starts after that day (commit {c.short}, {c.day.isoformat()}), so "
        f"whether it changed since its approval ({code}) cannot be judged; fetch the whole "
        "history: `fetch-depth: 0` for actions/checkout, `git fetch --unshallow` elsewhere",
        _where(doc))


def _where(doc: MarkdownDocument) -> Location:
    return doc.front_location("approved_on")
