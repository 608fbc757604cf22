"""SL201-SL204: the runbook index (``runbook-index.json``, Gate 2, step 2.1).

The index lists each runbook with its type, where it lives (a
repository-relative path or an ``https://`` URL), its owner and when it was
last reviewed. These rules judge the parsed JSON only; a location is checked
lexically and through ``ctx.path_exists``, which never looks outside the
repository.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Iterator
from typing import Any

from sustain_lint.artifacts import RUNBOOKS
from sustain_lint.context import Context
from sustain_lint.documents import TreeDocument, pointer
from sustain_lint.model import Problem, Rule, Severity
from sustain_lint.values import parse_date, parse_duration_value

REQUIRED_TYPES = ("deployment", "rollback", "incident")
_KNOWN_TYPES = (*REQUIRED_TYPES, "maintenance", "other")

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")
_DRIVE = re.compile(r"^[A-Za-z]:([\\/]|$)")

_WHY_HALT = ("Protocol 18, step 2.1 (Consolidate Runbooks): \"Merge deployment, incident, and "
             "rollback runbooks into maintenance playbooks\"; halt condition: \"Runbook index "
             "missing critical procedures\". Gate 2 criterion: \"Runbooks consolidated, "
             "workflow configured, reporting spec drafted.\"")


def _label(index: int, entry: dict[str, Any]) -> str:
    rid = entry.get("id")
    if isinstance(rid, str) and rid.strip():
        return f"runbook '{rid.strip()}' (runbooks[{index}])"
    return f"runbooks[{index}]"


# --- SL201 -----------------------------------------------------------------

_TYPE_EXAMPLE = {
    "deployment": ("RB-DEPLOY", "Deploy the service", "docs/runbooks/deploy.md"),
    "rollback": ("RB-ROLLBACK", "Roll back a release", "docs/runbooks/rollback.md"),
    "incident": ("RB-INCIDENT", "P1 incident response", "docs/runbooks/incident.md"),
}


# the words that give an entry's kind away, in its type, id, title or location
_KIND_WORDS = {
    "deployment": ("deploy", "release", "rollout", "roll out", "ship"),
    "rollback": ("rollback", "roll back", "roll-back", "revert", "undo"),
    "incident": ("incident", "outage", "p1", "sev1", "sev-1", "on-call", "oncall"),
}


def _entry_of_kind(kind: str, untyped: list[tuple[int, dict[str, Any]]]
                   ) -> tuple[int, dict[str, Any]] | None:
    """The first entry without a known type whose type, id, title or location names
    ``kind`` (``"Roll back a release"``, ``"type": "roll-back"``)."""
    for index, rb in untyped:
        text = " ".join(str(rb.get(key, "")) for key in ("type", "id", "title", "location",
                                                          "kind", "Type")).lower()
        if kind in text or any(word in text for word in _KIND_WORDS[kind]):
            if kind == "deployment" and any(w in text for w in _KIND_WORDS["rollback"]):
                continue  # "roll back a release" is no deployment runbook
            return index, rb
    return None


def check_types(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(RUNBOOKS, TreeDocument)
    if doc is None or not isinstance(doc.data, dict):
        return
    present: set[str] = set()
    untyped: list[tuple[int, dict[str, Any]]] = []  # entries whose type is no known one
    for index, rb in doc.objects("runbooks"):
        kind = rb.get("type")
        if isinstance(kind, str) and kind.strip().lower() in _KNOWN_TYPES:
            present.add(kind.strip().lower())
        else:
            untyped.append((index, rb))
    for kind in REQUIRED_TYPES:
        if kind in present:
            continue
        entry = _entry_of_kind(kind, untyped)
        if entry is not None:
            index, rb = entry
            label = f"'{rb['id']}'" if isinstance(rb.get("id"), str) else f"{index + 1}"
            has = ("has no `type`" if "type" not in rb
                   else f"has type {rb['type']!r}, not one of {', '.join(_KNOWN_TYPES)}")
            yield Problem(
                RUNBOOKS,
                f"{RUNBOOKS} lists no runbook of type `{kind}`, but runbook {label} "
                f"(/runbooks/{index}) looks like one and {has}: write \"type\": \"{kind}\" "
                "in it",
                doc.locate(pointer("runbooks", index, "type") if "type" in rb
                           else pointer("runbooks", index)),
            )
            continue
        rid, title, loc = _TYPE_EXAMPLE[kind]
        yield Problem(
            RUNBOOKS,
            f"{RUNBOOKS} lists no runbook of type `{kind}`; add an entry to `runbooks` such as "
            f'{{"id": "{rid}", "title": "{title}", "type": "{kind}", "location": "{loc}", '
            f'"owner": "<who keeps it current>", "last_reviewed": "YYYY-MM-DD", '
            f'"review_every": "90d"}}',
            doc.locate(pointer("runbooks")),  # located only when there is a finding
        )


SL201 = Rule(
    code="SL201",
    name="runbook-type-missing",
    gate=2,
    severity=Severity.ERROR,
    summary="No runbook of type deployment, rollback or incident",
    what="`runbook-index.json` lists at least one runbook of each critical type: "
    "`deployment`, `rollback` and `incident` (the `type` of an entry; `maintenance` and "
    "`other` runbooks are welcome but do not count). One finding per missing type, at the "
    "`runbooks` array.",
    why=_WHY_HALT + " Deploying, rolling back and handling an incident are the procedures an "
    "on-call engineer needs at 2 a.m.; an index without them is missing critical procedures.",
    fix="Write the missing runbook (in the repository or on an https:// wiki page) and add "
    "an entry with `type` set to the missing type. When an entry without a known `type` "
    "looks like one of the missing kind (its id, title or location says rollback, deploy, "
    "incident...), the finding points at that entry: write the type in it.",
    example=("runbook-index.json:3:3: SL201 [error] runbook-index.json lists"
             " no runbook of type `incident`; add an entry to `runbooks` such"
             " as {\"id\": \"RB-INCIDENT\", \"title\": \"P1 incident response\", \"type\":"
             " \"incident\", \"location\": \"docs/runbooks/incident.md\", \"owner\":"
             " \"<who keeps it current>\", \"last_reviewed\": \"YYYY-MM-DD\", \"review_every\":"
             " \"90d\"}\n"
             "\n"
             "What passes:\n")
            + ('{"id": "RB-02", "title": "Roll back a release", "type": "rollback", '
    '"location": "docs/runbooks/rollback.md", "owner": "Diego Alvarez", '
    '"last_reviewed": "2026-11-02", "review_every": "90d"}'),
    check=check_types,
)


# --- SL202 -----------------------------------------------------------------

def location_problem(location: str, path_exists: Callable[[str], bool]) -> str | None:
    """Why ``location`` is not a valid runbook location, or None when it is.

    Valid: an ``https://`` URL with a host, or a repository-relative path
    that stays inside the repository (decided lexically) and exists there.
    The returned text says what is wrong and what to write instead."""
    text = location.strip()
    if not text:
        return "is empty; write a repository-relative path (docs/runbooks/deploy.md) " \
               "or an https:// URL"
    if _DRIVE.match(text) or text.startswith(("/", "\\", "~")):
        return (f"is the absolute path '{text}', which only exists on one machine; write the "
                "path relative to the repository root (e.g. docs/runbooks/deploy.md) or an "
                "https:// URL")
    scheme = _SCHEME.match(text)
    if scheme is not None:
        name = scheme.group(1).lower()
        if name == "https":
            rest = text[scheme.end():]
            host = rest[2:].split("/", 1)[0] if rest.startswith("//") else ""
            if not host.strip():
                return (f"is the URL '{text}', which has no host; write a full URL such as "
                        "https://wiki.example.com/runbooks/deploy")
            return None
        if name == "file":
            return (f"is the file:// URL '{text}', not https: it points at one machine's "
                    "disk; commit the runbook and write its repository-relative path, or an "
                    "https:// URL")
        return (f"is the URL '{text}' with scheme `{name}`, not https; write the https:// "
                "address of the page (runbooks must be reachable over a secure link)")
    path = text.split("#", 1)[0].replace("\\", "/")
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../"):
        return (f"is the path '{text}', which leaves the repository; runbooks must live in "
                "the repository (write a path under it, e.g. docs/runbooks/deploy.md) or "
                "behind an https:// URL")
    if not path_exists(normal):
        return (f"is the path '{text}', which does not exist in the repository; correct the "
                "path (relative to the repository root, the folder that holds .artifacts/), "
                "commit the runbook there, or write its https:// URL")
    return None


def check_locations(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(RUNBOOKS, TreeDocument)
    if doc is None:
        return
    for index, rb in doc.objects("runbooks"):
        location = rb.get("location")
        if not isinstance(location, str):
            continue  # missing or not a string: SL003
        problem = location_problem(location, ctx.path_exists)
        if problem is not None:
            yield Problem(RUNBOOKS, f"the location of {_label(index, rb)} {problem}",
                          doc.locate(pointer("runbooks", index, "location")))


SL202 = Rule(
    code="SL202",
    name="runbook-location-invalid",
    gate=2,
    severity=Severity.ERROR,
    summary="A runbook location does not exist, leaves the repository, or is not https",
    what="Each runbook's `location` is either a path relative to the repository root (the "
    "folder that holds `.artifacts/`) that exists there, or an `https://` URL with a host. "
    "Invalid: an absolute path (`/srv/...`, `C:\\...`, `~/...`), a path that leaves the "
    "repository (`../../etc/passwd`, decided lexically: nothing outside the repository is "
    "ever read), a path that does not exist, or a URL of another scheme (`http://`, "
    "`ftp://`, `file://`). A `#section` anchor after a path is ignored.",
    why=_WHY_HALT + " A runbook nobody can open at the moment of an incident is a missing "
    "procedure; a plain-http link can be tampered with, and a path outside the repository "
    "is not part of the reviewed evidence.",
    fix="Commit the runbook to the repository and write its relative path, or write the "
    "https:// address of the page that holds it.",
    example=("runbook-index.json:5:70: SL202 [error] the location of runbook"
             " 'RB-02' (runbooks[1]) is the URL 'http://wiki.example.com/payments/rollback'"
             " with scheme `http`, not https; write the https:// address of"
             " the page (runbooks must be reachable over a secure link)"),
    check=check_locations,
)


# --- SL203 -----------------------------------------------------------------

def check_stale(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(RUNBOOKS, TreeDocument)
    if doc is None:
        return
    today = dt.datetime.combine(ctx.today, dt.time())
    for index, rb in doc.objects("runbooks"):
        reviewed = parse_date(rb.get("last_reviewed"))
        every = parse_duration_value(rb.get("review_every"))
        if reviewed is None or every is None:
            continue  # missing or malformed: SL003
        try:  # months are calendar months here: 2026-01-31 + P1M = 2026-02-28
            due = every.after(dt.datetime.combine(reviewed, dt.time()))
        except (OverflowError, ValueError):
            continue  # a review period beyond the calendar never falls due
        if due >= today:
            continue
        yield Problem(
            RUNBOOKS,
            f"{_label(index, rb)} was last reviewed on {reviewed.isoformat()} and is reviewed "
            f"every {every.text()}, so a review was due on {due.date().isoformat()} "
            f"(today is {ctx.today.isoformat()}); review the runbook and set `last_reviewed` "
            "to the date of that review",
            doc.locate(pointer("runbooks", index, "last_reviewed")),
        )


SL203 = Rule(
    code="SL203",
    name="runbook-stale",
    gate=2,
    severity=Severity.WARNING,
    summary="A runbook's review is overdue (last_reviewed + review_every is before today)",
    what="For each runbook, `last_reviewed` plus `review_every` (a duration) is not before "
    "today (`--today`, config `today`, else the local date). Months are calendar months "
    "here (`3mo`, `P3M`; 2026-01-31 + P1M = 2026-02-28). A runbook due today is not yet "
    "stale.",
    why=_WHY_HALT + " A runbook that nobody has checked against the current system sends "
    "the on-call engineer down steps that no longer work.",
    fix="Walk through the runbook against the current system, correct it, and set "
    "`last_reviewed` to the date of that review. If the cadence is unrealistic, change "
    "`review_every` deliberately.",
    example=("runbook-index.json:4:139: SL203 [warning] runbook 'RB-01' (runbooks[0])"
             " was last reviewed on 2026-08-23 and is reviewed every 90d, so"
             " a review was due on 2026-11-21 (today is 2026-11-22); review"
             " the runbook and set `last_reviewed` to the date of that review"
             "\n"
             "\n"
             "What passes:\n")
            + '{"id": "RB-01", ..., "last_reviewed": "2026-11-02", "review_every": "90d"}',
    check=check_stale,
)


# --- SL204 -----------------------------------------------------------------

def check_duplicate_ids(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(RUNBOOKS, TreeDocument)
    if doc is None:
        return
    first: dict[str, tuple[int, str]] = {}
    for index, rb in doc.objects("runbooks"):
        rid = rb.get("id")
        if not isinstance(rid, str) or not rid.strip():
            continue
        key = rid.strip().casefold()
        if key not in first:
            first[key] = (index, rid.strip())
            continue
        first_index, first_id = first[key]
        first_line = doc.locate(pointer("runbooks", first_index, "id")).line
        same = ("" if first_id == rid.strip()
                else f" ('{first_id}': ids are compared ignoring case)")
        yield Problem(
            RUNBOOKS,
            f"runbooks[{index}] has the id '{rid.strip()}', already used by "
            f"runbooks[{first_index}] at line {first_line}{same}; give each runbook its own "
            "id (e.g. the next free RB-NN)",
            doc.locate(pointer("runbooks", index, "id")),
        )


SL204 = Rule(
    code="SL204",
    name="runbook-id-duplicate",
    gate=2,
    severity=Severity.ERROR,
    summary="Two runbooks share an id",
    what="Every runbook `id` is unique within the index (trimmed, compared ignoring case). "
    "The finding points at the second and each later occurrence and names the first.",
    why=_WHY_HALT + " Incident tickets, alerts and post-mortems cite runbooks by id; with a "
    "duplicate, a link can open the wrong procedure.",
    fix="Give the later runbook a new id, and update any alert or document that cites it.",
    example=("runbook-index.json:6:6: SL204 [error] runbooks[2] has the id "
             "'RB-01', already used by runbooks[0] at line 4; give each runbook"
             " its own id (e.g. the next free RB-NN)"),
    check=check_duplicate_ids,
)

RULES: tuple[Rule, ...] = (SL201, SL202, SL203, SL204)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)

__all__ = ["READS", "RULES", "location_problem"]
