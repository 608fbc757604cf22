"""Configuration: ``[tool.sustain-lint]`` in pyproject.toml or a
``.sustain-lint.toml``, found by walking up from the working directory to the
repository's top (``--config`` names one, ``--isolated`` uses none).

A table is validated against the JSON Schema shipped with the package
(``sustain_lint/schemas/config.json``, printed by ``sustain-lint schema
config``); the first error in the file's order becomes one ``ConfigError``
naming the key by its dotted path. What a schema cannot say (rule codes the
registry knows, a relative ``artifacts_dir``) is checked next, and only then are
the value objects built, from data that is known to be valid."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import math
import os
import re
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sustain_lint.artifacts import DEFAULT_ARTIFACTS_DIR
from sustain_lint.loaders.reading import is_within
from sustain_lint.policy import Policy, policy_from_config
from sustain_lint.reporters import safe_text

CONFIG_SCHEMA = "config.json"
DOTFILE = ".sustain-lint.toml"
PYPROJECT = "pyproject.toml"
SECTION = "tool.sustain-lint"
# exactly YYYY-MM-DD: date.fromisoformat alone also takes 20261122 and 2026-W47-1 (3.11+)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CODE_SHAPED = re.compile(r"[Ss][Ll][0-9]*")  # a code or prefix, not a rule name


class ConfigError(Exception):
    """A usage or configuration error: exit code 2. Its text is safe to print:
    control characters (terminal escapes) in a key, value or path are escaped."""

    def __init__(self, message: str) -> None:
        super().__init__(safe_text(message))


@dataclasses.dataclass(frozen=True)
class Config:
    source: str | None = None
    artifacts_dir: str = DEFAULT_ARTIFACTS_DIR
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    today: dt.date | None = None
    max_file_mb: float = 256
    schedules: tuple[str, ...] | None = None  # None: the default, oncall*.ics
    severity: dict[str, str] = dataclasses.field(default_factory=dict)
    policy: Policy = dataclasses.field(default_factory=Policy)
    given: tuple[str, ...] = ()  # the keys the file sets, in its order


# -- dates -------------------------------------------------------------------------------


def parse_date_text(value: str) -> dt.date | None:
    """A date written exactly ``YYYY-MM-DD`` (surrounding blanks aside), or None."""
    text = value.strip()
    if not _DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # 2026-13-01
        return None


def parse_date_arg(value: str, where: str) -> dt.date:
    date = parse_date_text(value)
    if date is None:
        raise ConfigError(f"{where}: '{value}' is not a date; write YYYY-MM-DD")
    return date


# -- finding and reading the file ----------------------------------------------------------


def _toml_load(path: str, shown: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read the configuration: {exc.strerror or exc}") from exc
    except RecursionError:
        raise ConfigError(f"{shown}: not valid TOML: nested too deeply") from None
    except ValueError as exc:  # TOMLDecodeError, not UTF-8, an integer of 4,300+ digits
        raise ConfigError(f"{shown}: not valid TOML: {exc}") from None
    return data


def repository_top(start: str) -> str | None:
    """The nearest folder at or above ``start`` that holds ``.git`` (a folder,
    or a file in a worktree or submodule), or None outside any repository."""
    directory = os.path.abspath(start)
    while True:
        if os.path.lexists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _section(data: dict[str, Any], shown: str, pyproject: bool) -> tuple[Any, str] | None:
    """The sustain-lint table of a TOML document and what to call it, or None
    for a pyproject.toml without one. A ``.sustain-lint.toml`` may hold the keys
    at its top level or under ``[tool.sustain-lint]``."""
    tool = data.get("tool")
    if isinstance(tool, dict) and "sustain-lint" in tool:
        return tool["sustain-lint"], SECTION
    if pyproject:
        if "tool" in data and not isinstance(tool, dict):
            raise ConfigError(f"{shown}: 'tool' must be a table")
        return None
    return data, ""


def find_config(start: str, cwd: str | None = None) -> tuple[str, Any, str] | None:
    """The nearest configuration walking up from ``start``, no higher than the
    repository's top (outside any repository, no higher than the working
    directory ``cwd``, and only ``start`` itself when ``cwd`` is not above it): its path,
    its table (not yet validated) and the name of that table. A candidate file
    whose real path leaves the repository is an error, and is never read."""
    start = os.path.abspath(start)
    top = repository_top(start)
    if top is None:  # outside any repository: up to the working directory, if it is above
        top = os.path.abspath(cwd) if cwd and is_within(start, os.path.abspath(cwd)) else start
    real_top = os.path.realpath(top)
    directory = start
    while True:
        for name in (DOTFILE, PYPROJECT):
            path = os.path.join(directory, name)
            if not os.path.isfile(path):
                continue
            shown = _shown(path, cwd or start)
            if not is_within(os.path.realpath(path), real_top):
                raise ConfigError(
                    f"{shown}: is a link to a file outside the repository; a configuration "
                    "is never read from outside it (name one with --config FILE, or use "
                    "--isolated)")
            found = _section(_toml_load(path, shown), shown, name == PYPROJECT)
            if found is not None:
                return path, found[0], found[1]
        if directory == top:
            return None
        directory = os.path.dirname(directory)


def _shown(path: str, cwd: str) -> str:
    """``path`` as a message shows it: relative to the working directory."""
    if not os.path.isabs(path):
        return path
    try:
        return os.path.relpath(path, cwd)
    except ValueError:  # pragma: no cover - another drive, on Windows
        return path


def load_config(explicit: str | None, cwd: str, known_codes: set[str]) -> Config:
    if explicit is not None:
        if not os.path.isfile(explicit):
            raise ConfigError(f"--config: no such file: {explicit}")
        data = _toml_load(explicit, explicit)
        # a file named pyproject.toml, or one with a [tool] table, is read as pyproject.toml
        pyproject = os.path.basename(explicit) == PYPROJECT or "tool" in data
        found = _section(data, explicit, pyproject)
        source = explicit
        table, section = found if found is not None else ({}, SECTION)
    else:
        discovered = find_config(cwd, cwd)
        if discovered is None:
            return Config()
        source, table, section = discovered
    return config_from_table(table, source, known_codes, section=section,
                             shown=_shown(source, cwd))


# -- validation --------------------------------------------------------------------------


def _is_number(_checker: Any, value: Any) -> bool:
    # TOML has inf and nan; JSON, and so a JSON Schema, has neither
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def _is_integer(_checker: Any, value: Any) -> bool:
    # TOML tells 4 from 4.0; a count or a number of days is written as a whole number
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: object) -> bool:
    return not isinstance(value, str) or parse_date_text(value) is not None


def _is_duration(value: object) -> bool:
    from sustain_lint.values import parse_duration

    return not isinstance(value, str) or parse_duration(value) is not None


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.validators import extend

    from sustain_lint.schemas import load_schema

    types = Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"number": _is_number, "integer": _is_integer})
    formats = FormatChecker(formats=())
    formats.checks("date")(_is_date)
    formats.checks("duration")(_is_duration)
    cls = extend(Draft202012Validator, type_checker=types)  # type: ignore[no-untyped-call]
    return cls(load_schema(CONFIG_SCHEMA), format_checker=formats)


def _prepared(table: Any) -> Any:
    """The table as the schema sees it: a TOML date (only ``today`` takes one)
    becomes its ``YYYY-MM-DD`` text. A date with a time stays what it is, and
    the schema refuses it; so does a TOML date anywhere else."""
    if isinstance(table, dict):
        today = table.get("today")
        if isinstance(today, dt.date) and not isinstance(today, dt.datetime):
            return {**table, "today": today.isoformat()}
    return table


def _describe(value: Any) -> str:
    """A short, printable account of a value for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        text = str(value)
        return text if len(text) <= 24 else f"a number of {len(text)} digits"
    if isinstance(value, float):
        return "nan" if value != value else repr(value)
    if isinstance(value, str):
        return f"'{value[:60]}…'" if len(value) > 60 else f"'{value}'"
    if isinstance(value, dt.datetime):
        return f"a date with a time ({value.isoformat()})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, dt.time):
        return f"a time ({value.isoformat()})"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__  # pragma: no cover - TOML has no other type


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    """``node`` with a local ``$ref`` merged in (the reference's keywords, then
    the node's own)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _schema_of(keys: Sequence[str], root: dict[str, Any]) -> dict[str, Any]:
    """The schema of the key at ``keys`` (table keys only)."""
    node = _resolve(root, root)
    for key in keys:
        props = node.get("properties", {})
        if key in props:
            node = _resolve(props[key], root)
        elif isinstance(node.get("additionalProperties"), dict):
            node = _resolve(node["additionalProperties"], root)
        else:  # pragma: no cover - a key the schema refused is reported as unknown
            return {}
    result: dict[str, Any] = node
    return result


def _position(path: Sequence[str | int], table: Any) -> tuple[int, ...]:
    """Where ``path`` is in the file: the index of each key in its table (TOML
    tables keep the file's order) or of each item in its list."""
    out: list[int] = []
    node = table
    for part in path:
        if isinstance(node, dict) and part in node:
            out.append(list(node).index(part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            out.append(part)
            node = node[part]
        else:
            break
    return tuple(out)


def _dotted(keys: Iterable[str]) -> str:
    return ".".join(keys)


def _unknown_key(prefix: list[str], key: str, known: Iterable[str]) -> str:
    choices = {k.lower(): k for k in known}
    close = difflib.get_close_matches(key.lower(), list(choices), n=1, cutoff=0.6)
    if not close:  # a key cut short: min_l2 for min_l2_rotation
        close = [c for c in choices if len(key) >= 3 and c.startswith(key.lower())][:1]
    if close:
        hint = f"did you mean '{_dotted([*prefix, choices[close[0]]])}'?"
    else:
        hint = f"known: {', '.join(sorted(choices.values()))}"
    return f"unknown key '{_dotted([*prefix, key])}' ({hint})"


class _Problem:
    """One schema error, placed in the file and put into words."""

    def __init__(self, error: Any, table: Any, root: dict[str, Any]) -> None:
        path: list[str | int] = list(error.absolute_path)
        self.text: str
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            declared = _schema_of([p for p in path if isinstance(p, str)], root).get("properties", {})
            extra = next(k for k in error.instance if k not in declared)
            self.position = _position([*path, extra], table)
            self.text = _unknown_key([str(p) for p in path], extra, declared)
            return
        if "propertyNames" in error.absolute_schema_path:  # [severity] names its keys so
            self.position = _position([*path, error.instance], table)
            self.text = ("unknown rule code or name "
                         f"'{_dotted([*map(str, path), str(error.instance)])}' "
                         "(see `sustain-lint rules`)")
            return
        if error.validator in ("anyOf", "oneOf") and error.context:
            # the branch that got furthest says which item is wrong (select = ["SL1", 2])
            deepest = max(error.context, key=lambda e: len(e.absolute_path))
            if len(deepest.absolute_path) > len(path):
                error = deepest
                path = list(error.absolute_path)
        self.position = _position(path, table)
        keys: list[str] = []
        for part in path:
            if not isinstance(part, str):
                break
            keys.append(part)
        items = path[len(keys):]
        if not keys:
            self.text = f"'{SECTION}' must be a table (got {_describe(error.instance)})"
            return
        wording = _schema_of(keys, root).get("errorMessage", "has a value that is not allowed")
        if items and isinstance(items[0], int):
            got = f"item {items[0] + 1} is {_describe(error.instance)}"
        else:
            got = f"got {_describe(error.instance)}"
        if error.validator == "format" and error.validator_value == "duration":
            from sustain_lint.values import suggest_duration

            near = suggest_duration(error.instance)
            if near:
                got += f"; did you mean `{near}`?"
        self.text = f"'{_dotted(keys)}' {wording} ({got})"


def schema_problem(table: Any) -> str | None:
    """The first thing wrong with ``table`` in the file's order (a key before
    the keys inside it), in words naming the key, or None when the schema
    accepts it."""
    validator = _validator()
    errors = list(validator.iter_errors(table))
    if not errors:
        return None
    problems = [_Problem(e, table, validator.schema) for e in errors]
    return min(problems, key=lambda p: p.position).text


# -- what the schema cannot say --------------------------------------------------------------


def rule_names() -> dict[str, str]:
    """Rule name -> code, for the rules of the catalog (``l2-coverage-gap``)."""
    from sustain_lint.rules import REGISTRY

    return {rule.name: code for code, rule in REGISTRY.items()}


def unknown_rule(raw: str, known: Iterable[str], what: str = "rule code or prefix", *,
                 shown: str | None = None) -> str:
    """The words for a rule that is not in the catalog, with the close code or name
    (``shown``: how the message quotes it, when not as written)."""
    from sustain_lint.suggest import close_match

    if _CODE_SHAPED.fullmatch(raw.strip()):
        found = None  # a code: any other code is as close (SL500, SL005), none is meant
    else:
        names = rule_names()
        found = close_match(raw.strip().lower(), [n for n, c in names.items() if c in known])
    hint = f"did you mean '{found}'? " if found is not None else ""
    return f"unknown {what} '{shown or raw}' ({hint}see `sustain-lint rules`)"


def check_codes(codes: Sequence[str], where: str, known: set[str]) -> tuple[str, ...]:
    """Codes, prefixes (``SL1``) or rule names (``l2-coverage-gap``) as codes."""
    out = []
    names: dict[str, str] | None = None
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        if not any(k.startswith(code) for k in known):
            names = rule_names() if names is None else names
            by_name = names.get(raw.strip().lower())
            if by_name is None or by_name not in known:
                raise ConfigError(f"{where}: {unknown_rule(raw, known)}")
            code = by_name
        out.append(code)
    return tuple(out)


def _artifacts_dir(value: str, where: str) -> str:
    """A relative folder path without ``..``, as the engine matches it."""
    folder = value.strip().strip("/")
    parts = folder.replace("\\", "/").split("/")
    if (not folder or "\x00" in folder or os.path.isabs(value) or os.path.isabs(value.strip())
            or ".." in parts):
        raise ConfigError(f"{where}: 'artifacts_dir' must be a relative folder path without "
                          f"'..' (got {_describe(value)})")
    return folder


def _schedules(value: list[str], where: str) -> tuple[str, ...]:
    """Paths or globs relative to the set folder (the engine reads no match that
    lies outside the repository)."""
    for pattern in value:
        if "\x00" in pattern or os.path.isabs(pattern) or not pattern.strip():
            raise ConfigError(f"{where}: 'schedules' must list paths or globs relative to the "
                              f"set folder (got {_describe(pattern)})")
    return tuple(pattern.strip() for pattern in value)


def _severity(table: dict[str, str], where: str, known: set[str]) -> dict[str, str]:
    """Rule codes or names as codes; one rule named twice (``SL111`` and
    ``l2-coverage-gap``) is an error, not a silent choice of the last."""
    out: dict[str, str] = {}
    given: dict[str, str] = {}
    names: dict[str, str] | None = None
    for key, level in table.items():
        code = key.upper()
        if code not in known:
            names = rule_names() if names is None else names
            code = names.get(key.strip().lower(), "")
            if code not in known:
                raise ConfigError(f"{where}: " + unknown_rule(
                    key, known, "rule code or name", shown=f"severity.{key}"))
        if code in given:
            raise ConfigError(f"{where}: 'severity.{given[code]}' and 'severity.{key}' name "
                              f"the same rule ({code}); keep one")
        given[code] = key
        out[code] = level
    return out


def _codes(value: str | list[str]) -> list[str]:
    return value.split(",") if isinstance(value, str) else value


def config_from_table(table: Any, source: str, known: set[str], *, section: str = SECTION,
                      shown: str | None = None) -> Config:
    """The Config of a configuration table: the schema first, then the checks it
    cannot make, then the values. ``section`` names the table in messages when it
    is not a table at all."""
    where = shown or source
    data = _prepared(table)
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: '{section or SECTION}' must be a table (got {_describe(data)})")
    problem = schema_problem(data)
    if problem is not None:
        raise ConfigError(f"{where}: {problem}")
    kwargs: dict[str, Any] = {"source": source}
    for key, value in data.items():  # the file's order: the first problem is reported
        if key == "artifacts_dir":
            kwargs[key] = _artifacts_dir(value, where)
        elif key in ("select", "ignore"):
            kwargs[key] = check_codes(_codes(value), f"{where}: '{key}'", known)
        elif key == "today":
            kwargs[key] = parse_date_text(value)
        elif key == "max_file_mb":
            kwargs[key] = float(value)
        elif key == "severity":
            kwargs[key] = _severity(value, where, known)
        elif key == "policy":
            kwargs[key] = policy_from_config(value)
        elif key == "schedules":
            kwargs[key] = _schedules(value, where)
        else:
            kwargs[key] = value  # strict
    kwargs["given"] = tuple(data)
    return Config(**kwargs)
