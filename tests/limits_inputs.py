"""The small inputs that used to take minutes or gigabytes (product.md, "Quality
bars" -> "Linear time"), one builder each: a copy of the complete example with
one file of its set overwritten. ``tests/test_limits.py`` runs the CLI on each
(at the bar's size) and ``bench/limits.py`` times them (at the size measured
before the fix, or at the bar's).

Each builder takes the repository folder (already a copy of the example) and a
size; ``ATTACK`` and ``BAR`` give the two sizes of each input."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

SET = ".artifacts/maintenance"


def _set(repo: Path) -> Path:
    return repo / SET


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def coverage_cell(repo: Path, size: int) -> None:
    """A coverage cell whose second window is ``size`` spaces and a letter (a regex
    with overlapping quantifiers took cubic time on it)."""
    _replace(_set(repo) / "capacity-analysis.csv", '"Sat,Sun 08:00-20:00"',
             '"Sat,Sun 08:00-20:00;' + " " * size + 'x"')


def owner_value(repo: Path, size: int) -> None:
    """A runbook owner of two words ``size`` spaces apart that matches nobody."""
    path = _set(repo) / "runbook-index.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["runbooks"][0]["owner"] = "Diego" + " " * size + "Alvarezz"
    path.write_text(json.dumps(data), encoding="utf-8")


def metric_cell(repo: Path, size: int) -> None:
    """A Metric cell of ``size`` characters repeating 'backlog' with no 'aging'."""
    _replace(_set(repo) / "reporting-spec.md", "| Backlog aging |",
             "| " + "backlog " * (size // 8) + "|")


def headings(repo: Path, count: int) -> None:
    """``count`` more level-2 sections in the charter."""
    path = _set(repo) / "maintenance-charter.md"
    extra = "".join(f"\n## Note {i}\nSome text.\n" for i in range(count))
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def emphasis_heading(repo: Path, size: int) -> None:
    """A heading of ``size`` characters of emphasis markup (``*a* *a* ...``)."""
    _replace(_set(repo) / "release-policy.md", "# Release policy: Payments API",
             "# " + "*a* " * (size // 4))


def _nested_json(depth: int, key_chars: int) -> str:
    keys = [json.dumps(f"{level:03d}" + "k" * key_chars) for level in range(depth)]
    return "".join("{" + key + ": " for key in keys) + "1" + "}" * depth


def nested_json_keys(repo: Path, size: int) -> None:
    """runbook-index.json: 200 nested mappings, each with one key of ``size / 200``
    characters (every pointer string of it together: depth squared times a key)."""
    depth = 200
    (_set(repo) / "runbook-index.json").write_text(_nested_json(depth, size // depth),
                                                   encoding="utf-8")


def nested_yaml_keys(repo: Path, size: int) -> None:
    """support-workflow.yaml: the same nesting as explicit YAML keys (``? key``)."""
    depth = 190  # below the loader's 200 levels
    key_chars = size // depth
    lines = []
    for level in range(depth):
        indent = "  " * level
        lines.append(f"{indent}? {level:03d}{'k' * key_chars}\n{indent}:\n")
    lines.append("  " * depth + "1\n")
    (_set(repo) / "support-workflow.yaml").write_text("".join(lines), encoding="utf-8")


def waivers(repo: Path, findings: int, entries: int | None = None) -> None:
    """``findings`` backlog rows with a bad status (one SL003 each) and a third as
    many waivers of SL003 for that file (10,000 waivers x 30,000 findings)."""
    count = entries if entries is not None else findings // 3
    path = _set(repo) / "backlog-register.csv"
    rows = [f"BL-{i},Item {i},incident,P3,Aisha Bello,bogus,2027-02-01,2026-11-10\n"
            for i in range(findings)]
    path.write_text("id,title,source,priority,owner,status,due,created\n" + "".join(rows),
                    encoding="utf-8")
    entry = ("- rule: SL003\n  path: backlog-register.csv\n  justification: statuses are "
             "being renamed\n  approved_by: Head of Operations\n  expires: 2027-01-31\n")
    (_set(repo) / "waivers.yaml").write_text(entry * count, encoding="utf-8")


_FIRST = ("Aaron", "Beatriz", "Chen", "Dmitri", "Esther", "Farid", "Grace", "Hiro", "Ines",
          "Jonas", "Kofi", "Leila", "Mateo", "Nadia", "Oskar", "Priyanka", "Quentin", "Rosa",
          "Sven", "Tamar", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia")
_LAST = ("Abara", "Bianchi", "Castillo", "Dubois", "Eriksen", "Fontaine", "Gallagher",
         "Haddad", "Ivanova", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Nakamura",
         "Okonkwo", "Petrov", "Quintero", "Rahman", "Sato", "Tanaka", "Ulloa", "Varga",
         "Weber", "Xu", "Yilmaz", "Zhang")


def roster_names(count: int) -> list[str]:
    names = [f"{first} {last}" for last, first in itertools.product(_LAST, _FIRST)]
    out = []
    for round_ in itertools.count():
        for name in names:
            if len(out) == count:
                return out
            out.append(name if round_ == 0 else f"{name} {round_ + 1}")
    raise AssertionError("unreachable")


def _misspell(name: str, i: int) -> str:
    """A distinct near-miss of ``name``: one letter doubled and a number added."""
    at = 1 + i % (len(name) - 1)
    return f"{name[:at]}{name[at]}{name[at:]} {i}"


def owner_hints(repo: Path, people: int, unknown: int | None = None) -> None:
    """A roster of ``people`` (the example's ten and made-up ones) and a backlog of
    half as many items whose owners are distinct near-misses of roster names (each
    gets a 'did you mean' hint)."""
    count = unknown if unknown is not None else people // 2
    roster = _set(repo) / "capacity-analysis.csv"
    made = roster_names(people - 10)
    rows = [f"{name},L1 Support,L1,Mon-Fri 08:00-18:00,Europe/London,1,tickets,,,,\n"
            for name in made]
    roster.write_text(roster.read_text(encoding="utf-8") + "".join(rows), encoding="utf-8")
    items = [f"BL-{i},Item {i},incident,P3,{_misspell(made[i * 7 % len(made)], i)},open,"
             "2027-02-01,2026-11-10\n" for i in range(count)]
    (_set(repo) / "backlog-register.csv").write_text(
        "id,title,source,priority,owner,status,due,created\n" + "".join(items),
        encoding="utf-8")


def duplicate_json_keys(repo: Path, count: int) -> None:
    """feedback-loop-map.json with the key ``x`` ``count + 1`` times (``count`` SL004)."""
    path = _set(repo) / "feedback-loop-map.json"
    text = path.read_text(encoding="utf-8").rstrip()
    assert text.endswith("}")
    path.write_text(text[:-1] + ', "x": 0' * (count + 1) + "}\n", encoding="utf-8")


def schema_errors(repo: Path, count: int) -> None:
    """runbook-index.json whose runbooks list ends with ``count`` numbers (one SL003
    each: an item should be a mapping)."""
    path = _set(repo) / "runbook-index.json"
    text = path.read_text(encoding="utf-8")
    last = text.rindex("}", 0, text.rindex("]"))
    path.write_text(text[:last + 1] + ", 1" * count + text[last + 1:], encoding="utf-8")


def duplicate_csv_columns(repo: Path, count: int) -> None:
    """backlog-register.csv with ``count`` more columns all named ``x`` (``count - 1``
    SL004)."""
    path = _set(repo) / "backlog-register.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ",x" * count] + [line + ",v" * count for line in lines[1:]]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def routing(repo: Path, count: int) -> None:
    """support-workflow.yaml with ``count`` channels and ``count`` routes (each route
    for one channel and one severity, the last a catch-all)."""
    path = _set(repo) / "support-workflow.yaml"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("severities:", 1)
    middle, _ = rest.split("routing:", 1)
    kinds = ("bug-report", "enhancement-request", "operational-alert")
    channels = "".join(f"  - {{id: ch{i}, kind: {kinds[i % 3]}, source: S{i}}}\n"
                       for i in range(count))
    routes = "".join(f"  - when: {{channel: ch{i}, severity: [P{1 + i % 4}]}}\n"
                     f"    queue: {('oncall', 'triage', 'product')[i % 3]}\n"
                     for i in range(count - 1))
    escalation = text[text.index("escalation:"):]
    path.write_text("channels:\n" + channels + "severities:" + middle + "routing:\n" + routes
                    + "  - when: {}\n    queue: triage\n" + escalation, encoding="utf-8")
    assert head.lstrip().startswith("#")


class Input(NamedTuple):
    name: str
    build: Callable[[Path, int], None]
    attack: int  # the size measured before the fix
    bar: int  # the size of the product bar (the tests)
    what: str


INPUTS: tuple[Input, ...] = (
    Input("coverage-cell", coverage_cell, 1_500, 120_000,
          "capacity coverage cell of N chars (overlapping regex)"),
    Input("owner-value", owner_value, 40_000, 1_000_000, "runbook owner of N chars"),
    Input("metric-cell", metric_cell, 160_000, 1_000_000, "reporting Metric cell of N chars"),
    Input("headings", headings, 20_000, 20_000, "N Markdown headings"),
    Input("emphasis-heading", emphasis_heading, 8_000_000, 8_000_000,
          "heading of N chars of emphasis"),
    Input("nested-json-keys", nested_json_keys, 20_000_000, 20_000_000,
          "JSON: 200 levels, N chars of keys"),
    Input("nested-yaml-keys", nested_yaml_keys, 20_000_000, 20_000_000,
          "YAML: 190 levels, N chars of keys"),
    Input("waivers", waivers, 30_000, 30_000, "N/3 waivers x N findings"),
    Input("owner-hints", owner_hints, 3_000, 3_000, "roster of N, N/2 unknown owners"),
    Input("duplicate-json-keys", duplicate_json_keys, 1_000_000, 1_000_000,
          "N duplicate JSON keys"),
    Input("schema-errors", schema_errors, 300_000, 300_000, "N schema errors"),
    Input("duplicate-csv-columns", duplicate_csv_columns, 8_000, 8_000,
          "N duplicate CSV columns"),
    Input("routing", routing, 2_000, 2_000, "N channels x N routes"),
)

BY_INPUT = {i.name: i for i in INPUTS}
