"""Configuration: ``[tool.sustain-lint]`` in pyproject.toml or a
``.sustain-lint.toml``, found by walking up from the working directory
(``--config`` names one). Unknown keys, codes and values are errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
from typing import Any

from sustain_lint.artifacts import DEFAULT_ARTIFACTS_DIR
from sustain_lint.policy import Policy, PolicyError, policy_from_config

KEYS = {"artifacts_dir", "select", "ignore", "strict", "today", "max_file_mb", "severity", "policy"}


class ConfigError(Exception):
    """A usage or configuration error: exit code 2."""


@dataclasses.dataclass(frozen=True)
class Config:
    source: str | None = None
    artifacts_dir: str = DEFAULT_ARTIFACTS_DIR
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    today: dt.date | None = None
    max_file_mb: float = 256
    severity: dict[str, str] = dataclasses.field(default_factory=dict)
    policy: Policy = dataclasses.field(default_factory=Policy)


def _toml_load(path: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return data


def find_config(start: str) -> tuple[str, dict[str, Any]] | None:
    """The nearest configuration walking up from ``start``."""
    directory = os.path.abspath(start)
    while True:
        dotfile = os.path.join(directory, ".sustain-lint.toml")
        if os.path.isfile(dotfile):
            data = _toml_load(dotfile)
            return dotfile, data.get("tool", {}).get("sustain-lint", data)
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject):
            data = _toml_load(pyproject)
            table = data.get("tool", {}).get("sustain-lint")
            if table is not None:
                return pyproject, table
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def parse_date_arg(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"{where}: '{value}' is not a date; write YYYY-MM-DD") from None


def load_config(explicit: str | None, cwd: str, known_codes: set[str]) -> Config:
    if explicit is not None:
        if not os.path.isfile(explicit):
            raise ConfigError(f"--config: no such file: {explicit}")
        data = _toml_load(explicit)
        if os.path.basename(explicit) == "pyproject.toml" or "tool" in data:
            data = data.get("tool", {}).get("sustain-lint", {})
        found: tuple[str, dict[str, Any]] | None = (explicit, data)
    else:
        found = find_config(cwd)
    if found is None:
        return Config()
    source, table = found
    return config_from_table(table, source, known_codes)


def check_codes(codes: list[str] | tuple[str, ...], where: str, known: set[str]) -> tuple[str, ...]:
    out = []
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        if not any(k.startswith(code) for k in known):
            raise ConfigError(f"{where}: unknown rule code or prefix '{raw}' "
                              "(see `sustain-lint rules`)")
        out.append(code)
    return tuple(out)


def config_from_table(table: dict[str, Any], source: str, known: set[str]) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [tool.sustain-lint] must be a table")
    for key in table:
        if key not in KEYS:
            raise ConfigError(f"{source}: unknown key '{key}' (known: {', '.join(sorted(KEYS))})")
    kwargs: dict[str, Any] = {"source": source}
    if "artifacts_dir" in table:
        v = table["artifacts_dir"]
        if not isinstance(v, str) or not v.strip() or os.path.isabs(v) or ".." in v.split("/"):
            raise ConfigError(f"{source}: 'artifacts_dir' must be a relative folder path")
        kwargs["artifacts_dir"] = v.strip().strip("/")
    for key in ("select", "ignore"):
        if key in table:
            v = table[key]
            if isinstance(v, str):
                v = v.split(",")
            if not isinstance(v, list) or not all(isinstance(c, str) for c in v):
                raise ConfigError(f"{source}: '{key}' must be a list of rule codes")
            kwargs[key] = check_codes(v, f"{source}: '{key}'", known)
    if "strict" in table:
        if not isinstance(table["strict"], bool):
            raise ConfigError(f"{source}: 'strict' must be true or false")
        kwargs["strict"] = table["strict"]
    if "today" in table:
        v = table["today"]
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            kwargs["today"] = v
        elif isinstance(v, str):
            kwargs["today"] = parse_date_arg(v, f"{source}: 'today'")
        else:
            raise ConfigError(f"{source}: 'today' must be a date (YYYY-MM-DD)")
    if "max_file_mb" in table:
        v = table["max_file_mb"]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
            raise ConfigError(f"{source}: 'max_file_mb' must be a number > 0")
        kwargs["max_file_mb"] = float(v)
    if "severity" in table:
        v = table["severity"]
        if not isinstance(v, dict):
            raise ConfigError(f"{source}: [severity] must be a table of CODE = \"error\"|\"warning\"|\"off\"")
        sev: dict[str, str] = {}
        for code, level in v.items():
            if code.upper() not in known:
                raise ConfigError(f"{source}: unknown rule code 'severity.{code}'")
            if level not in ("error", "warning", "off"):
                raise ConfigError(f"{source}: 'severity.{code}' must be error, warning or off")
            sev[code.upper()] = level
        kwargs["severity"] = sev
    if "policy" in table:
        if not isinstance(table["policy"], dict):
            raise ConfigError(f"{source}: [policy] must be a table")
        try:
            kwargs["policy"] = policy_from_config(table["policy"], source)
        except PolicyError as exc:
            raise ConfigError(str(exc)) from None
    return Config(**kwargs)
