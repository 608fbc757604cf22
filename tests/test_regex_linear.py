"""Every regular expression applied to artifact text runs in linear time
(product.md, "Quality bars" -> "Linear time"): each is run on a battery of
generated adversarial strings of about 1 MB (long runs of what its quantifiers
take, and near-misses of what it looks for), each within a fraction of a second.

The meta-tests keep the list whole: every module-level pattern of the package
and every pattern of the schemas is in ``PATTERNS``, and every regex built
inside a function is in ``INLINE``."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import sustain_lint
from sustain_lint import coverage
from sustain_lint.loaders import ical_loader
from sustain_lint.rules import owners, reporting

PACKAGE = Path(sustain_lint.__file__).resolve().parent
N = 1 << 20  # about a megabyte
BOUND = 0.5  # CPU seconds for one string: "well under a second"


def _battery() -> list[str]:
    """Strings that make backtracking regexes of this package's kinds blow up: long
    runs of what a quantifier takes, before a character that fails the match, and
    repeated near-misses of what a pattern looks for (a quantifier that scans on
    from each of them)."""
    def rep(piece: str) -> str:
        return piece * (N // len(piece)) + "!"

    return [" " * N + "!", "a" + " " * N + "!", "1" * N + "x", "(" * N + "x",
            "Mon 09:00-17:00;" + " " * N + "x", "Mon" + " " * N + "09:00-" + " " * N,
            rep("a, and ("), rep("backlog "), "backlog" + " " * N + "ag",
            rep('"a\\u'), rep("1" * 999 + "x"), "P" + "1" * N + "W!", rep("PT1.1"),
            "line" + " " * N + "1" + " " * N + "-", rep(".a:1 row 1 "), rep(',"a""'),
            rep("  \n"), rep("END:VEVENT\nBEGIN:VEVENT\nX:y\n"),
            "BEGIN:VEVENT\n" + "X:y\n" * (N // 4) + "SUMMARY", rep("\nBEGIN:VEVENT\n")]


BATTERY = _battery()


_ANCHORED = {"match", "fullmatch"}


def _uses(module: str, name: str) -> set[str]:
    """The methods its module calls on a module-level pattern (``_WS.match(...)``)."""
    path = PACKAGE.parent / (module.replace(".", "/") + ".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == name}


def _all(pattern: re.Pattern[Any], anchored: bool = False) -> Callable[[str], object]:
    """``search``, which tries the pattern from every position; ``match`` (from one)
    for a pattern its code only ever matches at a position (a scanner's token)."""
    def run(text: str) -> object:
        subject: Any = text.encode("utf-8", "surrogatepass") if isinstance(
            pattern.pattern, bytes) else text
        return pattern.match(subject) if anchored else pattern.search(subject)
    return run


def _module_patterns() -> dict[str, re.Pattern[Any]]:
    found: dict[str, re.Pattern[Any]] = {}
    seen: set[int] = set()
    for info in pkgutil.walk_packages([str(PACKAGE)], "sustain_lint."):
        if info.name.endswith("__main__"):
            continue  # (importing it runs the command line)
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and id(value) not in seen:  # (once if imported)
                seen.add(id(value))
                found[f"{info.name}.{name}"] = value
    return found


def _schema_patterns() -> dict[str, str]:
    found = {}

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    found[f"{where}#{value}"] = value
                walk(value, where)
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    for path in sorted((PACKAGE / "schemas").glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")), path.name)
    return found


MODULE_PATTERNS = _module_patterns()
SCHEMA_PATTERNS = _schema_patterns()

# the patterns built inside functions, and the rules' keyword table: what each searches
_METRICS = {f"reporting.METRICS[{m.name}]": m.pattern.search for m in reporting.METRICS}
_MATCHER = owners._Matcher({"diego alvarez"}, ["Diego Alvarez"])
INLINE: dict[str, Callable[[str], object]] = {
    **_METRICS,
    "review.offset": re.compile(r"(?<!\d)30(?!\d)").search,  # rules/review.py, per offset
    "validation.plain": re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})?").fullmatch,
    "github.line_breaks": lambda text: re.split(r"([\r\n])", text),
    "coverage.parse_coverage": lambda text: _raises(coverage.parse_coverage, text),
    "owners.matches": _MATCHER.matches,
    "owners.hint": _MATCHER.hint,
    **{f"ical_loader.event_searches{key}[{i}]": (pattern.search if i == 0 else pattern.match)
       for key in ((True, ("DTSTART", "DTEND", "SUMMARY")),
                   (False, ("DTSTART", "DTEND", "SUMMARY", "ATTENDEE", "ORGANIZER", "STATUS")))
       for i, pattern in enumerate(ical_loader.event_searches(*key))},
    "ical_loader._layout": ical_loader._layout(
        ("DTSTAMP:", "DTSTART:", "DTEND:", "UID:", "SUMMARY:", "ATTENDEE:", "X-Y;"),
        frozenset({"DTSTART", "DTEND", "SUMMARY"})).findall,
    "ical_loader._layout(CRLF)": ical_loader._layout(
        ("DTSTART:", "DTEND:", "SUMMARY:"), frozenset({"DTSTART", "DTEND"}), "\r\n").findall,
}
# where a regex is built inside a function (file -> how many), each covered above or by
# the schema patterns (schema_check.kw_pattern compiles them)
INLINE_SITES = {"reporters/github.py": 1, "rules/review.py": 1, "validation.py": 1,
                "schema_check.py": 1, "loaders/ical_loader.py": 3}

CASES: dict[str, Callable[[str], object]] = {
    **{name: _all(p, bool(_uses(*name.rsplit(".", 1))) and _uses(*name.rsplit(".", 1)) <= _ANCHORED)
       for name, p in MODULE_PATTERNS.items()},
    **{name: _all(re.compile(p)) for name, p in SCHEMA_PATTERNS.items()},
    **INLINE,
}


def _raises(function: Callable[[str], object], text: str) -> object:
    try:
        return function(text)
    except ValueError as exc:
        return exc


@pytest.mark.slow  # ~1 MB adversarial strings for every pattern: CI runs it, the fast run not
@pytest.mark.parametrize("name", sorted(CASES))
def test_regex_runs_in_linear_time_on_adversarial_input(name: str) -> None:
    run = CASES[name]
    for text in BATTERY:
        start = time.process_time()
        run(text)
        spent = time.process_time() - start
        assert spent < BOUND, f"{name}: {spent:.2f} s on {text[:40]!r}... ({len(text):,} chars)"


def test_the_list_holds_every_module_level_pattern() -> None:
    # a pattern added at module level is found here: its test comes with it
    assert len(MODULE_PATTERNS) >= 20, sorted(MODULE_PATTERNS)
    assert len(SCHEMA_PATTERNS) >= 4, sorted(SCHEMA_PATTERNS)


def test_every_regex_built_in_a_function_is_listed() -> None:
    sites: dict[str, int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute)
                        and isinstance(inner.func.value, ast.Name) and inner.func.value.id == "re"
                        and inner.func.attr in ("compile", "match", "search", "fullmatch",
                                                "split", "sub", "subn", "findall", "finditer")):
                    rel = path.relative_to(PACKAGE).as_posix()
                    sites[rel] = sites.get(rel, 0) + 1
    assert sites == INLINE_SITES


def test_the_coverage_window_reads_as_the_regex_did() -> None:
    old = re.compile(r"^\s*(?P<days>[A-Za-z ,\-]+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*"
                     r"(?P<end>\d{1,2}:\d{2})\s*$")
    import itertools

    alphabet = ["M", "o", " ", "-", ",", ":", "\t", "\u00a0", "0", "1", "9", "x", "\n",
                "09:00", "17:00", "Mon"]
    for size in range(5):
        for chars in itertools.product(alphabet, repeat=size):
            text = "".join(chars)
            m = old.match(text)
            expected = None if m is None else (m["days"].strip(), m["start"], m["end"])
            assert coverage._window(text) == expected, repr(text)


def test_the_owner_separators_split_as_the_regex_did() -> None:
    old = re.compile(r"\s*(?:[,;/&+]|\band\b)\s*", re.IGNORECASE)
    old_paren = re.compile(r"\s*\(([^()]*)\)\s*$")
    import itertools

    alphabet = ["a", "and", "AND", " ", "\t", ",", "/", "(", ")", "x y", "band"]
    for size in range(6):
        for parts in itertools.product(alphabet, repeat=size):
            text = "".join(parts)
            assert ([p.strip() for p in old.split(text) if p.strip()]
                    == [p.strip() for p in owners._SPLIT.split(text) if p.strip()]), repr(text)
            m, m2 = old_paren.search(text), owners._PAREN.search(text)
            assert (m and (m.start(), m.group(1))) == (m2 and (m2.start(), m2.group(1))), text
