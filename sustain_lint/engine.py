"""The engine: find evidence sets, load each artifact once, run the selected
rules, apply configuration and waivers, judge the gates. It knows formats and
locations, not what makes evidence good: that is the rules' business."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import os
import re
import stat
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sustain_lint import __version__, limits
from sustain_lint.artifacts import ARTIFACTS, BY_NAME, WAIVERS
from sustain_lint.context import Context
from sustain_lint.loaders.reading import is_within, read_artifact
from sustain_lint.model import (
    GATE_NAMES,
    STRUCTURAL_RULES,
    Finding,
    GateResult,
    GateStatus,
    Location,
    Problem,
    Rule,
    RunResult,
    SetResult,
    Settings,
    Severity,
)
from sustain_lint.policy import Policy

if TYPE_CHECKING:
    from sustain_lint.history import SetHistory
    from sustain_lint.reporters import SetsPreparer
    from sustain_lint.rules.waivers import Waiver

_SURROGATE = re.compile("[\ud800-\udfff]")

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".venv",
             "venv", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


class UsageError(Exception):
    """Bad command-line input: exit code 2."""


@dataclasses.dataclass(frozen=True)
class Options:
    paths: Sequence[str] = (".",)
    gate: int | None = None
    strict: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    today: dt.date = dataclasses.field(default_factory=dt.date.today)
    severity: dict[str, str] = dataclasses.field(default_factory=dict)
    policy: Policy = dataclasses.field(default_factory=Policy)
    artifacts_dir: str = ".artifacts/maintenance"
    max_bytes: int = 256 * 1024 * 1024
    schedules: tuple[str, ...] | None = None  # config `schedules`; None: the artifact's glob
    cwd: str = "."
    config_source: str | None = None  # display path of the configuration file in force
    # build each set's SetDetails (coverage maps, approvals, source lines): the html
    # format and `coverage` ask for it; the texts of the files are kept until judged
    details: bool = False
    sources: bool = False  # and the lines the findings point at (the html page's)
    # what the reports make of each batch of judged sets where it was judged (in its
    # worker, in parallel): the html page's sections (``reporters.Format.prepare``); then
    # each set's SetDetails are dropped unless ``report_details`` (a report reads them).
    # Each is called once with no set before the pool forks (what it loads, the workers
    # inherit)
    prepare: tuple[SetsPreparer, ...] = dataclasses.field(default=(), compare=False)
    report_details: bool = True


@dataclasses.dataclass(frozen=True)
class EvidenceSet:
    folder: str  # absolute path of the set folder (may not exist)
    repo_root: str  # absolute path of the folder that holds .artifacts/
    # what git's history holds for the rules that judge it (Rule.history); None: not asked
    history: SetHistory | None = dataclasses.field(default=None, compare=False)


# --- discovery -----------------------------------------------------------------------------

def _parts(artifacts_dir: str) -> list[str]:
    return [p for p in artifacts_dir.replace("\\", "/").split("/") if p]


def _set_of_folder(folder: str, artifacts_dir: str) -> EvidenceSet | None:
    """The set whose folder is ``folder``, if its path ends with ``artifacts_dir``."""
    parts = _parts(artifacts_dir)
    path_parts = os.path.abspath(folder).split(os.sep)
    if len(path_parts) > len(parts) and path_parts[-len(parts):] == parts:
        root = os.sep.join(path_parts[: -len(parts)]) or os.sep
        return EvidenceSet(os.path.abspath(folder), root)
    return None


def _walk_sets(top: str, artifacts_dir: str) -> list[EvidenceSet]:
    """The sets below ``top``: every folder holding ``artifacts_dir``, never
    looking inside a set's own folder, a skipped folder (SKIP_DIRS), a symbolic
    link or a virtual environment (a folder holding ``pyvenv.cfg``). From the
    entries of each folder listing (their types come with it), so a folder costs
    one listing, and a folder that holds a set one ``lstat`` more."""
    parts = _parts(artifacts_dir)
    found: list[EvidenceSet] = []
    pending = [top]
    while pending:
        dirpath = pending.pop()
        try:
            with os.scandir(dirpath) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue  # unreadable: skipped, as os.walk does
        if dirpath != top and any(e.name == "pyvenv.cfg" and _is_file(e) for e in entries):
            continue  # a virtual environment
        children = []
        for entry in entries:
            if entry.name == parts[0]:
                candidate = os.path.join(dirpath, *parts)
                with contextlib.suppress(OSError):
                    if stat.S_ISDIR(os.lstat(candidate).st_mode):  # a folder, not a link
                        found.append(EvidenceSet(os.path.abspath(candidate),
                                                 os.path.abspath(dirpath)))
            elif entry.name not in SKIP_DIRS and _is_folder(entry):
                children.append(entry.path)
        pending.extend(reversed(children))
    return found


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()  # (a link to a file counts)
    except OSError:
        return False


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)  # (a link to a folder is not followed)
    except OSError:
        return False


def default_paths(cwd: str, artifacts_dir: str) -> list[str]:
    """What no PATH means: the working directory, unless it holds no set and lies
    inside a repository one of whose folders above it holds a set (a user in
    ``src/``): then the nearest such folder, never above the repository's top (the
    folder holding ``.git``), so that a subfolder never gets a false SL001 per
    artifact."""
    from sustain_lint.config import repository_top

    here = os.path.abspath(cwd)
    if _set_of_folder(here, artifacts_dir) or _enclosing_set(here, artifacts_dir):
        return ["."]
    top = repository_top(here)
    if top is None or top == here or _walk_sets(here, artifacts_dir):
        return ["."]
    current = here
    while current != top:
        current = os.path.dirname(current)
        candidate = os.path.join(current, *_parts(artifacts_dir))
        if os.path.isdir(candidate) and not os.path.islink(candidate):
            return [os.path.relpath(current, here)]
    return ["."]


def discover(paths: Iterable[str], artifacts_dir: str, cwd: str) -> list[EvidenceSet]:
    """Evidence sets named by PATHs: repositories, set folders, or files in sets."""
    sets: dict[str, EvidenceSet] = {}
    for raw in paths:
        path = os.path.abspath(os.path.join(cwd, raw))
        if not os.path.lexists(path):
            raise UsageError(f"{raw}: no such file or directory")
        if os.path.isdir(path) and not os.path.islink(path):
            own = _set_of_folder(path, artifacts_dir)
            if own is not None:
                sets.setdefault(own.folder, own)
                continue
            inside = _enclosing_set(path, artifacts_dir)
            if inside is not None:
                sets.setdefault(inside.folder, inside)
                continue
            found = _walk_sets(path, artifacts_dir)
            if not found:
                # a repository with no set: every artifact is missing
                found = [EvidenceSet(os.path.join(path, *_parts(artifacts_dir)), path)]
            for s in found:
                sets.setdefault(s.folder, s)
        else:
            enclosing = _enclosing_set(os.path.dirname(path), artifacts_dir)
            if enclosing is None:
                raise UsageError(
                    f"{raw}: not inside an evidence set (a folder named {artifacts_dir})")
            sets.setdefault(enclosing.folder, enclosing)
    return [sets[k] for k in sorted(sets)]


def _enclosing_set(folder: str, artifacts_dir: str) -> EvidenceSet | None:
    current = os.path.abspath(folder)
    while True:
        own = _set_of_folder(current, artifacts_dir)
        if own is not None:
            return own
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


# --- selection and severity -------------------------------------------------------------

def _matches(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(p) for p in prefixes)


def enabled(code: str, options: Options) -> bool:
    if options.severity.get(code) == "off":
        return False
    if options.select and not _matches(code, options.select):
        return False
    return not _matches(code, options.ignore)


def _severity(rule: Rule, options: Options) -> Severity:
    override = options.severity.get(rule.code)
    if override == "error":
        return Severity.ERROR
    if override == "warning":
        return Severity.WARNING
    return rule.severity


# --- one set -------------------------------------------------------------------------------

def _display(path: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        rel = path
    rel = rel.replace(os.sep, "/")
    if _SURROGATE.search(rel):
        # a file name that is not UTF-8 (os gives its bytes as lone surrogates, which no
        # report can encode): show those bytes as \xNN
        rel = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return rel


def _make_path_exists(repo_root: str) -> Any:
    real_root = os.path.realpath(repo_root)

    def path_exists(rel: str) -> bool:
        if not isinstance(rel, str) or not rel or os.path.isabs(rel) or rel.startswith("~"):
            return False
        if "\x00" in rel or _SURROGATE.search(rel):
            return False  # no file can have this name (and os would raise)
        lexical = os.path.normpath(os.path.join(repo_root, rel))
        if not is_within(lexical, repo_root):
            return False  # never touch anything outside the repository
        try:
            real = os.path.realpath(lexical)
            if not is_within(real, real_root):
                return False
            return os.path.lexists(real)
        except (OSError, ValueError):  # a name too long, a link loop, ...
            return False

    return path_exists


def _folder_leaves_repository(evidence: EvidenceSet) -> bool:
    """Whether the set folder (or its ``.artifacts`` parent) is a link whose real path
    lies outside the repository: then no artifact is read through it."""
    from sustain_lint.loaders.reading import is_within

    if not os.path.isdir(evidence.folder):
        return False
    return not is_within(os.path.realpath(evidence.folder), os.path.realpath(evidence.repo_root))


def _names_in(folder: str) -> list[str]:
    """The names in a set folder that are no artifact's: where a misnamed one may be."""
    try:
        return sorted(set(os.listdir(folder)) - set(BY_NAME))
    except OSError:
        return []


_NAME_SEPARATORS = re.compile(r"[\s_.]+")  # what separates the words of a file name
_EXTENSIONS = {".yml": ".yaml", ".markdown": ".md", ".txt": ".md", ".tsv": ".csv"}


def near_name(name: str, names: Sequence[str]) -> str | None:
    """The file of ``names`` that is ``name`` misnamed: other case, ``_`` or a blank
    for ``-``, ``.yml`` for ``.yaml``, or a close spelling; None when there is none
    (or several equally close: the user is better served by a plain "missing")."""
    from sustain_lint.suggest import close_match

    def key(text: str) -> str:
        stem, ext = os.path.splitext(text.lower())
        return _NAME_SEPARATORS.sub("-", stem) + _EXTENSIONS.get(ext, ext)

    wanted = key(name)
    same = [n for n in names if key(n) == wanted]
    if len(same) == 1:
        return same[0]
    stem = os.path.splitext(name)[0]
    candidates = [n for n in names if not n.startswith(".")
                  and os.path.splitext(n.lower())[1] in (*_EXTENSIONS, os.path.splitext(name)[1],
                                                         "", ".json", ".csv", ".md", ".yaml")]
    by_stem: dict[str, str] = {}
    for n in candidates:
        by_stem.setdefault(os.path.splitext(n)[0], n)
    found = close_match(stem, by_stem, cutoff=0.8)
    return by_stem[found] if found is not None else None


def load_set(evidence: EvidenceSet, options: Options,
             columns: Mapping[str, Collection[str]] | None = None,
             texts: dict[str, str] | None = None,
             ) -> tuple[dict[str, Any], dict[str, str], list[Problem]]:
    """Read and parse every artifact once; loading problems are values.
    ``columns``: per table artifact, the columns read by the rules and checks
    (see ``columns_wanted``); a loader may read the others only when asked.
    ``texts``: where to keep the text of each file read (for its source lines)."""
    from sustain_lint.loaders import KEEPS_LINE_ENDS, get_loader

    documents: dict[str, Any] = {}
    states: dict[str, str] = {}
    problems: list[Problem] = []
    outside = _folder_leaves_repository(evidence)
    listing: list[str] | None = None  # the set folder's names, read once if a file is missing
    for art in ARTIFACTS:
        if outside:  # nothing is read (or even looked up) through the link
            states[art.name] = "unreadable"
            if art.required:
                problems.append(Problem(
                    art.name,
                    f"{art.name} is not read: its folder {options.artifacts_dir} is reached "
                    "through a symbolic link that leaves the repository; replace the link with "
                    "the folder itself",
                    Location(), code="SL002"))
            continue
        if art.many:
            _load_group(evidence, options, art.name, art.format, documents, states, problems)
            continue
        path = os.path.join(evidence.folder, art.name)
        read = read_artifact(path, art.name, evidence.repo_root, options.max_bytes,
                             newlines=art.format not in KEEPS_LINE_ENDS)
        if read.missing:
            states[art.name] = "missing"
            if art.required:
                if listing is None:
                    listing = _names_in(evidence.folder)
                gate_text = f"Gate {art.gate}, step {art.step}"
                near = near_name(art.name, listing)
                if near is not None:
                    message = (f"{art.name} is missing ({gate_text}); found {near}: rename it "
                               f"to {art.name}")
                else:
                    message = (f"{art.name} is missing ({gate_text}); create it in "
                               f"{options.artifacts_dir}/ (`sustain-lint init` writes a "
                               "template)")
                problems.append(Problem(art.name, message, Location(), code="SL001"))
            continue
        if read.problem is not None:
            states[art.name] = "unreadable"
            problems.append(read.problem._replace(message=f"{art.name} {read.problem.message}"))
            continue
        if texts is not None and options.sources:
            from sustain_lint.loaders.reading import text_of

            texts[art.name] = text_of(read.text, read.data)
        loaded = get_loader(art.format)(read.text, art.name, data=read.data,
                                        columns=(columns or {}).get(art.name))
        del read  # its bytes, when a loader kept none
        for p in loaded.problems:
            problems.append(p._replace(message=f"{art.name} {p.message}")
                            if p.code == "SL002" else p)
        if loaded.document is None:
            states[art.name] = "unreadable"
            continue
        states[art.name] = "ok"
        documents[art.name] = loaded.document
    return documents, states, problems


def group_members(evidence: EvidenceSet, patterns: Sequence[str]) -> list[tuple[str, str]]:
    """(name relative to the set folder, absolute path) of every file the globs
    ``patterns`` (relative to the set folder) match, sorted, each once. A match
    outside the repository is still listed (the reader refuses it with SL002);
    hidden files match only a pattern that spells the dot, as in a shell."""
    import glob

    if not os.path.isdir(evidence.folder):
        return []
    found: dict[str, str] = {}
    for pattern in patterns:
        if "\x00" in pattern:
            continue
        matches = glob.glob(pattern, root_dir=evidence.folder, recursive="**" in pattern)
        for match in matches:
            path = os.path.normpath(os.path.join(evidence.folder, match))
            if os.path.isdir(path) and not os.path.islink(path):
                continue  # a folder the glob matched: not an export
            name = os.path.relpath(path, evidence.folder).replace(os.sep, "/")
            found.setdefault(name, path)
    return sorted(found.items())


def _load_group(evidence: EvidenceSet, options: Options, artifact: str, fmt: str,
                documents: dict[str, Any], states: dict[str, str],
                problems: list[Problem]) -> None:
    """The members of a glob artifact (the on-call exports): each file read and
    parsed as any artifact, its problems under its own name; the document is a
    ``DocumentGroup`` of those that parsed and the names of those that did not."""
    from sustain_lint.documents import DocumentGroup
    from sustain_lint.loaders import KEEPS_LINE_ENDS, get_loader

    patterns = options.schedules if options.schedules is not None else (artifact,)
    members: list[tuple[str, Any]] = []
    unreadable: list[str] = []
    for name, path in group_members(evidence, patterns):
        if not is_within(path, evidence.repo_root):
            unreadable.append(name)
            problems.append(Problem(
                name, f"{name} is not read: it lies outside the repository; name a file "
                "inside it in `schedules`", Location(), code="SL002"))
            continue
        read = read_artifact(path, name, evidence.repo_root, options.max_bytes,
                             newlines=fmt not in KEEPS_LINE_ENDS)
        if read.missing:
            continue  # gone since the listing
        if read.problem is not None:
            unreadable.append(name)
            problems.append(read.problem._replace(message=f"{name} {read.problem.message}"))
            continue
        loaded = get_loader(fmt)(read.text, name, data=read.data)
        for p in loaded.problems:
            problems.append(p._replace(message=f"{name} {p.message}")
                            if p.code == "SL002" else p)
        if loaded.document is None:
            unreadable.append(name)
        else:
            members.append((name, loaded.document))
    if not members and not unreadable:
        states[artifact] = "missing"
        return
    states[artifact] = "ok" if members else "unreadable"
    documents[artifact] = DocumentGroup(tuple(members), tuple(unreadable))


def _schema_problems(loaded: list[dict[str, Any]]) -> list[list[Problem]]:
    """SL003 for the documents of several sets. The CSV files of one kind are
    validated together, as one table, however many sets there are."""
    from sustain_lint import validation
    from sustain_lint.documents import CsvDocument, MarkdownDocument, TreeDocument

    problems: list[list[Problem]] = [[] for _ in loaded]
    tables: dict[str, list[tuple[int, CsvDocument]]] = {}
    for index, documents in enumerate(loaded):
        for name, doc in documents.items():
            art = BY_NAME[name]
            if art.schema is None or art.many:
                continue
            if isinstance(doc, TreeDocument):
                problems[index].extend(validation.validate_tree(doc, art.schema, name))
            elif isinstance(doc, MarkdownDocument):
                problems[index].extend(validation.validate_front_matter(doc, art.schema, name))
            elif isinstance(doc, CsvDocument):
                tables.setdefault(name, []).append((index, doc))
    for name, members in tables.items():
        schema = BY_NAME[name].schema
        assert schema is not None
        found = validation.validate_csv_many([doc for _, doc in members], schema, name)
        for (index, _), its_problems in zip(members, found, strict=True):
            problems[index].extend(its_problems)
    return problems


def lint_set(evidence: EvidenceSet, options: Options, registry: dict[str, Rule]) -> SetResult:
    return lint_sets([evidence], options, registry)[0]


def lint_sets(sets: Sequence[EvidenceSet], options: Options, registry: dict[str, Rule], *,
              keep: list[object] | None = None) -> list[SetResult]:
    """Load every set, validate the schemas of all of them together, then run
    the rules, waivers and gates of each. ``keep``: where to leave the loaded
    documents instead of freeing them (a process about to exit hard)."""
    loaded: list[tuple[dict[str, Any], dict[str, str], list[Problem]]] = []
    if keep is not None:
        keep.append(loaded)
    wanted = columns_wanted(registry, options)
    texts: list[dict[str, str] | None] = [{} if options.details else None for _ in sets]
    with _collector_paused():
        loaded.extend(load_set(evidence, options, wanted, texts[index])
                      for index, evidence in enumerate(sets))
        schema: list[list[Problem]] = [[] for _ in sets]
        if enabled("SL003", options):
            schema = _schema_problems([documents for documents, _, _ in loaded])
        results = [_judge_set(evidence, documents, states, problems + schema[index], options,
                              registry, texts[index])
                   for index, (evidence, (documents, states, problems)) in enumerate(
                       zip(sets, loaded, strict=True))]
        return _prepared(results, options, registry)


def _prepared(results: list[SetResult], options: Options,
              registry: dict[str, Rule]) -> list[SetResult]:
    """The judged sets with what the reports make of them here (``Options.prepare``),
    their SetDetails dropped when no report reads them any more: the worker sends
    back a set's section instead of its maps."""
    for prepare in options.prepare:
        results = prepare(results, registry)
    if not options.report_details:
        results = [dataclasses.replace(r, details=None) if r.details is not None else r
                   for r in results]
    return results


def columns_wanted(registry: dict[str, Rule], options: Options) -> dict[str, frozenset[str]]:
    """Per table artifact, the columns the catalog's rules read (their modules'
    ``READS``) and those SL003 checks; nothing for another registry (its rules'
    needs are unknown: every column is read)."""
    from sustain_lint.rules import COLUMNS_READ, REGISTRY

    if registry is not REGISTRY:
        return {}
    from sustain_lint import validation

    wanted = {}
    for name, read in COLUMNS_READ.items():
        schema = BY_NAME[name].schema
        checked = validation.checked_columns(schema) if schema and enabled("SL003", options) else ()
        wanted[name] = read | frozenset(checked)
    return wanted


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector sleeps while a batch of sets is linted:
    parsing and validating allocate many short-lived objects, which made it run
    over and over (a tenth of the CPU time of a thousand sets) to find almost
    nothing. The few cycles a batch leaves are collected when it wakes."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _judge_set(evidence: EvidenceSet, documents: dict[str, Any], states: dict[str, str],
               problems: list[Problem], options: Options,
               registry: dict[str, Rule], texts: dict[str, str] | None = None) -> SetResult:
    ctx = Context(documents, states, options.today, options.policy,
                  _make_path_exists(evidence.repo_root), history=evidence.history,
                  runs=functools.partial(enabled, options=options))
    lacking = _lacking_columns(documents, registry)
    for rule in registry.values():
        if rule.check is None or not enabled(rule.code, options) or rule.code in lacking:
            continue
        for problem in rule.check(ctx):
            problems.append(problem if problem.code else problem._replace(code=rule.code))
    problems = _one_cause_one_finding(problems)
    problems = limits.cap_problems([p for p in problems
                                    if p.code is not None and enabled(p.code, options)],
                                   lambda p: _gate(p, registry))
    findings = [_finding(p, registry, evidence, options) for p in problems]
    count = len(findings)
    findings = _apply_waivers(findings, documents, states, evidence, options, registry)
    findings[count:] = limits.cap_findings(findings[count:])  # those the waivers add
    findings.sort(key=Finding.sort_key)
    from sustain_lint import details

    return SetResult(_display(evidence.folder, options.cwd), _judge(findings, options),
                     tuple(findings), waivers=details.waivers_in_force(ctx, registry),
                     details=details.set_details(ctx, texts, findings)
                     if texts is not None else None,
                     folder=evidence.folder, members=_members(documents),
                     history_unjudged=evidence.history.reason if evidence.history else None)


def _members(documents: dict[str, Any]) -> tuple[str, ...]:
    """The files of the set's glob artifacts, read or not (relative to the set folder)."""
    from sustain_lint.documents import DocumentGroup

    found: list[str] = []
    for art in ARTIFACTS:
        group = documents.get(art.name) if art.many else None
        if isinstance(group, DocumentGroup):
            found += [name for name, _ in group.members]
            found += group.unreadable
    return tuple(found)


def _lacking_columns(documents: dict[str, Any], registry: dict[str, Rule]) -> set[str]:
    """The rules that read a column of its schema that a table of the set lacks: SL003
    reports the header once; what the rule would say about the absent column (no L2
    row, no approval) is the same cause again ("one cause, one finding")."""
    from sustain_lint.rules import REGISTRY, RULE_READS

    if registry is not REGISTRY:
        return set()
    from sustain_lint.documents import CsvDocument

    absent: dict[str, set[str]] = {}
    for name, doc in documents.items():
        art = BY_NAME.get(name)
        if isinstance(doc, CsvDocument) and art is not None and art.schema:
            absent[name] = {c for c in _schema_columns(art.schema) if not doc.has_column(c)}
    return {code for code, reads in RULE_READS.items()
            if any(absent.get(name, set()) & set(columns) for name, columns in reads.items())}


@functools.cache
def _schema_columns(schema: str) -> tuple[str, ...]:
    from sustain_lint.schemas import load_schema

    return tuple(load_schema(schema).get("columns", {}))


def _same_place(logical: str | None) -> str:
    """A logical location as two producers may spell it (``front matter /status`` and
    ``front matter: status``)."""
    return (logical or "").removeprefix("front matter").strip(":/ ")


_LACKS = " lacks the required key"  # SL003's message for required keys (validation.py)


def _required_keys(message: str) -> list[str]:
    """The keys an SL003 "lacks the required key(s) 'a', 'b'; add ..." names (else [])."""
    at = message.find(_LACKS)
    if at == -1:
        return []
    listed = message[at + len(_LACKS):].removeprefix("s").split(";", 1)[0]
    return [part.strip().strip("'\"") for part in listed.split(",") if part.strip()]


def _one_cause_one_finding(problems: list[Problem]) -> list[Problem]:
    """A value that fails its schema and a content rule is reported once, by the content
    rule (its message names the fix): an SL003 at the very place of another rule's
    problem (same file, line, column and logical location) is dropped, and so is an SL003
    for required keys that content rules report absent, each at ``<object>/<key>``."""
    if not any(p.code == "SL003" for p in problems):
        return problems
    taken = {(p.artifact, p.location.line, p.location.column, _same_place(p.location.logical))
             for p in problems if p.code not in STRUCTURAL_RULES and p.location.line is not None}
    if not taken:
        return problems

    # front matter keys, wherever the rule and the schema place an absent one
    front = {(artifact, place) for artifact, _, _, place in taken}

    def spoken(p: Problem) -> bool:
        here = (p.artifact, p.location.line, p.location.column)
        place = _same_place(p.location.logical)
        if (*here, place) in taken:
            return True
        keys = _required_keys(p.message)
        if (p.location.logical or "").startswith("front matter"):
            return bool(keys) and all((p.artifact, f"{place}/{key}".strip("/")) in front
                                      for key in keys)
        return bool(keys) and all((*here, f"{place}/{key}".strip("/")) in taken for key in keys)

    return [p for p in problems if p.code != "SL003" or not spoken(p)]


def _gate(problem: Problem, registry: dict[str, Rule]) -> int:
    art = BY_NAME.get(problem.artifact)
    return (problem.gate or registry[problem.code or ""].gate
            or (art.gate if art is not None else None) or 1)


def _finding(problem: Problem, registry: dict[str, Rule], evidence: EvidenceSet,
             options: Options) -> Finding:
    code = problem.code or ""
    rule = registry[code]
    gate = _gate(problem, registry)
    loc = problem.location
    return Finding(
        rule=code,
        name=rule.name,
        severity=_severity(rule, options),
        gate=gate,
        set_path=_display(evidence.folder, options.cwd),
        path=_display(os.path.join(evidence.folder, problem.artifact), options.cwd),
        artifact=problem.artifact,
        line=loc.line,
        column=loc.column,
        logical=loc.logical,
        message=problem.message,
        capacity_alert=problem.capacity_alert,
    )


def _apply_waivers(findings: list[Finding], documents: dict[str, Any], states: dict[str, str],
                   evidence: EvidenceSet, options: Options,
                   registry: dict[str, Rule]) -> list[Finding]:
    """Suppress the findings valid waivers match; add SL901 (invalid waivers), SL902
    (valid ones that match nothing, of a rule that ran: one that did not cannot be judged
    unused) and SL903 (valid ones that lapse soon), in the order of the entries."""
    from sustain_lint.rules import waivers

    doc = documents.get(WAIVERS)
    if doc is None:
        return findings
    entries = waivers.judge_waivers(doc, options.today, registry, options.policy)
    suppressed, used = _match_waivers(entries, findings)
    result = []
    for index, finding in enumerate(findings):
        justification = suppressed.get(index)
        if justification is not None:
            finding = dataclasses.replace(finding, suppressed=True, justification=justification)
        result.append(finding)
    for number, waiver in enumerate(entries):
        problem = waiver.problem
        if problem is None and number not in used and enabled(waiver.code, options):
            problem = waiver.unused()
        # an unused waiver is to be deleted (SL902), not renewed: no SL903 beside it
        for each in (problem, waiver.expiring if problem is None else None):
            if each is not None and each.code is not None and enabled(each.code, options):
                result.append(_finding(each, registry, evidence, options))
    return result


def _match_waivers(entries: Sequence[Waiver], findings: Sequence[Finding]
                   ) -> tuple[dict[int, str], set[int]]:
    """Which findings the valid waivers suppress (finding index -> the justification of the
    first valid waiver in the file that matches it: same rule, and same file when it has a
    ``path``) and which valid waivers (indexes in ``entries``) match at least one finding.
    Indexed by rule, then path, the waivers of one (rule, path) matching together: a few
    look-ups per finding, however many waivers there are."""
    by_rule: dict[str, dict[str | None, list[int]]] = {}
    for number, waiver in enumerate(entries):
        if waiver.problem is None:
            by_rule.setdefault(waiver.code, {}).setdefault(waiver.path, []).append(number)
    suppressed: dict[int, str] = {}
    matched: set[tuple[str, str | None]] = set()  # the (rule, path) groups that matched
    for index, finding in enumerate(findings):
        by_path = by_rule.get(finding.rule)
        if by_path is None:
            continue
        first: int | None = None
        for path in (None, finding.artifact):
            group = by_path.get(path)
            if group is not None:
                matched.add((finding.rule, path))
                first = group[0] if first is None else min(first, group[0])
        if first is not None:
            suppressed[index] = entries[first].justification
    used = {number for rule, path in matched for number in by_rule[rule][path]}
    return suppressed, used


def _judge(findings: list[Finding], options: Options) -> tuple[GateResult, ...]:
    results = []
    earlier_failed = False
    for gate, name in GATE_NAMES.items():
        active = [f for f in findings if f.gate == gate and not f.suppressed]
        errors = sum(f.severity is Severity.ERROR for f in active)
        warnings = len(active) - errors
        suppressed = sum(f.gate == gate and f.suppressed for f in findings)
        if errors or (options.strict and warnings):
            status = GateStatus.FAILED
        elif earlier_failed:
            status = GateStatus.BLOCKED
        else:
            status = GateStatus.PASSED
        earlier_failed = earlier_failed or status is GateStatus.FAILED
        results.append(GateResult(gate, name, status, errors, warnings, suppressed))
    return tuple(results)


POOL_MIN_SETS = 24  # below this, a process pool costs more than it saves
CHUNK_SETS = 64  # sets per task: large enough to validate their CSV files as one table


def _lint_chunk(args: tuple[list[EvidenceSet], Options]) -> list[SetResult]:
    from sustain_lint.rules import REGISTRY

    sets, options = args
    return lint_sets(sets, options, REGISTRY)


def _workers(count: int) -> int:
    from sustain_lint.background import cpus

    return max(1, min(cpus(), count))


def _lint_in_pool(chunks: list[list[EvidenceSet]], options: Options,
                  workers: int) -> tuple[SetResult, ...] | None:
    """The chunks linted by a pool of ``workers`` processes; None when the pool
    cannot be had (no writable /dev/shm for its semaphores, no process left
    under RLIMIT_NPROC, a platform without them, a worker killed): the caller
    then lints here, with the same results. An error a rule raises in a worker
    comes back the same way and is raised again by that serial run."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        # fork: the workers inherit the imported modules instead of importing them again
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        # the collector sleeps while the results arrive: unpickling them (the maps of the
        # html page above all) made it run over every result received so far, again and
        # again (five times the cost of the unpickling itself, for a thousand sets)
        with _collector_paused(), ProcessPoolExecutor(workers, mp_context=context) as pool:
            parts = list(pool.map(_lint_chunk, [(chunk, options) for chunk in chunks]))
    except (OSError, NotImplementedError, ImportError, BrokenProcessPool):
        return None
    return tuple(result for part in parts for result in part)


def run(options: Options, registry: dict[str, Rule] | None = None, *,
        keep: list[object] | None = None) -> RunResult:
    """Lint every set ``options`` names. ``keep``: see ``lint_sets`` (sets linted
    in worker processes are freed there)."""
    from sustain_lint.rules import REGISTRY

    if registry is None:
        registry = REGISTRY
    sets = with_history(discover(options.paths, options.artifacts_dir, options.cwd), options,
                        registry)
    workers = _workers(len(sets))
    size = CHUNK_SETS
    if len(sets) >= POOL_MIN_SETS and workers > 1:
        size = min(CHUNK_SETS, -(-len(sets) // (2 * workers)))  # at least two tasks a worker
    chunks = [sets[i:i + size] for i in range(0, len(sets), size)]
    pooled = None
    if len(sets) >= POOL_MIN_SETS and workers > 1 and registry is REGISTRY:
        for prepare in options.prepare:  # what it loads, every worker inherits
            prepare([], registry)
        pooled = _lint_in_pool(chunks, options, workers)
    if pooled is not None:
        results = pooled
    else:
        results = tuple(result for chunk in chunks
                        for result in lint_sets(chunk, options, registry, keep=keep))
    return RunResult(
        tool_version=__version__,
        today=options.today.isoformat(),
        judged_gate=options.gate or 4,
        gate_given=options.gate is not None,
        strict=options.strict,
        sets=results,
        settings=settings_of(options, registry),
    )


def history_rules(options: Options, registry: dict[str, Rule]) -> tuple[str, ...]:
    """The running rules that judge git history."""
    return tuple(code for code, rule in registry.items()
                 if rule.history and rule.check is not None and enabled(code, options))


def with_history(sets: list[EvidenceSet], options: Options,
                 registry: dict[str, Rule]) -> list[EvidenceSet]:
    """The sets with what git's history holds of the files the running rules judge
    against it (``Rule.history``), gathered once per repository for all of them
    (``sustain_lint.history``); the sets as they are when no such rule runs."""
    codes = history_rules(options, registry)
    wanted = sorted({name for code in codes for name in registry[code].history})
    if not sets or not wanted:
        return sets
    from sustain_lint.history import gather

    found = gather([(s.folder, s.folder) for s in sets], wanted, options.cwd)
    return [dataclasses.replace(s, history=found.get(s.folder)) for s in sets]


def settings_of(options: Options, registry: dict[str, Rule]) -> Settings:
    """The rules that did not run or were downgraded, and the judged gates that no
    running rule could fail: with SL001-SL004 off, none is judged; otherwise a gate is
    judged when a rule of that gate runs that can fail it (an error, or any rule under
    ``--strict``)."""
    off = tuple(code for code in registry if not enabled(code, options))
    downgraded = tuple(code for code, rule in registry.items()
                       if code not in off and rule.severity is Severity.ERROR
                       and _severity(rule, options) is Severity.WARNING)
    judged = range(1, (options.gate or 4) + 1)
    if any(code in off for code in STRUCTURAL_RULES):
        unjudged = tuple(judged)
    else:
        unjudged = tuple(g for g in judged if not any(
            rule.gate == g and code not in off
            and (options.strict or _severity(rule, options) is Severity.ERROR)
            for code, rule in registry.items()))
    return Settings(config=options.config_source, selected=options.select, off=off,
                    downgraded=downgraded, unjudged=unjudged,
                    history=history_rules(options, registry))
