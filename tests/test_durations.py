"""Durations (evidence.md §2): one grammar, in ``sustain_lint.values``. The JSON
Schemas carry its pattern verbatim, and jsonschema, the compiled schema check, the
configuration's format checker and the parser agree on a battery of spellings;
months are 30 days when compared and calendar months when added to a date; a
refused spelling a person writes gets the nearest accepted one."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from sustain_lint import config
from sustain_lint.schema_check import compile_check
from sustain_lint.schemas import load_schema
from sustain_lint.values import (
    DURATION_SCHEMA,
    MONTH_MINUTES,
    parse_duration,
    parse_duration_value,
    suggest_duration,
)

ACCEPTED = {
    "15m": 15, "4h": 240, "3d": 4320, "2w": 20160, "3mo": 3 * MONTH_MINUTES,
    "15 min": 15, "15 minutes": 15, "4 hours": 240, "2 weeks": 20160,
    "3 months": 3 * MONTH_MINUTES, "1 month": MONTH_MINUTES, "1hr": 60, "36h": 2160,
    "PT15M": 15, "P14D": 20160, "P3M": 3 * MONTH_MINUTES, "P1DT12H": 2160, "P2W": 20160,
    "p1d": 1440, "PT1.5H": 90, "P1Y": 12 * MONTH_MINUTES, "P1M1D": MONTH_MINUTES + 1440,
    " 4h ": 240, "PT30S": 0.5, "1.5h": 90, "3MO": 3 * MONTH_MINUTES,
}
REFUSED = [
    "P", "PT", "P30DT", "P1", "PT1", "PT15", "P1DT", "pt", "P T1H", "P1W2D", "T1H", "1",
    "h", "", " ", "soon", "quarterly", "1 business day", "30 mins.", "4 horus", "15 m s",
    "-1h", "1,5h", "P-1D", "1 mon", "4h\u00a0x", "P1H", "PT1D", "P1M2Y", "1 d 2 h",
]


def _schemas_with_durations() -> list[str]:
    from importlib import resources

    names = []
    for entry in resources.files("sustain_lint.schemas").iterdir():
        if entry.name.endswith(".json") and "duration" in entry.read_text(encoding="utf-8"):
            names.append(entry.name)
    return sorted(names)


SCHEMAS = _schemas_with_durations()


def test_the_schemas_name_durations() -> None:
    assert len(SCHEMAS) >= 4, SCHEMAS


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_schema_carries_the_grammar_itself(name: str) -> None:
    """A schema's ``duration`` is the grammar's own definition (or, in the config
    schema, the format that the parser checks), never a regex of its own."""
    schema = load_schema(name)
    duration = schema["$defs"]["duration"]
    if name == "config.json":
        assert duration.get("format") == "duration" and "pattern" not in duration
    else:
        assert duration == DURATION_SCHEMA, (
            f"{name}: $defs.duration differs from sustain_lint.values.DURATION_SCHEMA; "
            "copy it in (json.dumps(DURATION_SCHEMA))")
    # no other pattern of the schema takes a duration (a looser copy of the grammar)
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            pattern = node.get("pattern")
            if isinstance(pattern, str) and pattern != DURATION_SCHEMA["pattern"]:
                assert not any(re.search(pattern, s) for s in ("15m", "P3M", "P30DT", "PT")), \
                    (name, pattern)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _validators() -> list[tuple[str, Any]]:
    """Each way a duration is judged, as a yes/no function of a string."""
    plain = Draft202012Validator(DURATION_SCHEMA, format_checker=FormatChecker())
    quick = compile_check(DURATION_SCHEMA, plain)
    assert quick is not None
    return [
        ("parser", lambda s: parse_duration(s) is not None),
        ("jsonschema", lambda s: plain.is_valid(s)),
        ("compiled check", quick),
        ("config format", lambda s: config._is_duration(s)),
    ]


@pytest.mark.parametrize("spelling", [*ACCEPTED, *REFUSED])
def test_schemas_and_grammar_agree(spelling: str) -> None:
    verdicts = {name: bool(judge(spelling)) for name, judge in _validators()}
    assert len(set(verdicts.values())) == 1, verdicts
    assert verdicts["parser"] == (spelling in ACCEPTED)


@pytest.mark.parametrize("spelling", sorted(ACCEPTED))
def test_accepted_spellings_in_minutes(spelling: str) -> None:
    assert parse_duration(spelling) == pytest.approx(ACCEPTED[spelling])


@pytest.mark.parametrize("start, written, due", [
    ("2026-01-31", "P1M", "2026-02-28"),
    ("2024-01-31", "1mo", "2024-02-29"),
    ("2026-08-21", "3 months", "2026-11-21"),
    ("2026-11-30", "P3M", "2027-02-28"),
    ("2024-02-29", "P1Y", "2025-02-28"),
    ("2026-01-31", "P1M1D", "2026-03-01"),
    ("2026-01-01", "90d", "2026-04-01"),
    ("2026-12-31", "P12M", "2027-12-31"),
])
def test_months_added_to_a_date_are_calendar_months(start: str, written: str, due: str) -> None:
    duration = parse_duration_value(written)
    assert duration is not None
    got = duration.after(dt.datetime.fromisoformat(start))
    assert got.date().isoformat() == due


def test_past_the_calendar_is_an_overflow() -> None:
    duration = parse_duration_value("P100000Y")
    assert duration is not None
    with pytest.raises(OverflowError):
        duration.after(dt.datetime(2026, 1, 1))


@pytest.mark.parametrize("written, near", [
    ("1 business day", "24h"), ("2 working days", "48h"), ("quarterly", "P3M"),
    ("monthly", "P1M"), ("weekly", "1w"), ("daily", "1d"), ("30 mins.", "30m"),
    ("Every quarter", "P3M"), ("4 horus", "4h"), ("3 monts", "P3M"), ("P30DT", "P30D"),
    ("annually", "P1Y"), ("fortnightly", "2w"),
])
def test_a_refused_spelling_names_the_nearest_accepted_one(written: str, near: str) -> None:
    assert parse_duration(written) is None
    assert suggest_duration(written) == near
    assert parse_duration(near) is not None


@pytest.mark.parametrize("written", ["soon", "ASAP", "x" * 100_000, "1 bogus", "P", ""])
def test_no_hint_where_none_is_near(written: str) -> None:
    assert suggest_duration(written) is None


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node (an ECMA-262 regex engine)")
def test_an_ecma_regex_engine_reads_the_pattern_alike(tmp_path: Path) -> None:
    """JSON Schema patterns are ECMA-262 regexes: node's engine (with the ``u`` flag, as
    validators such as ajv use it) gives every spelling of the battery the same verdict."""
    battery = tmp_path / "battery.json"
    battery.write_text(json.dumps({"pattern": DURATION_SCHEMA["pattern"],
                                   "spellings": [*ACCEPTED, *REFUSED]}), encoding="utf-8")
    script = ("const d = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));"
              "const re = new RegExp(d.pattern, 'u');"
              "console.log(JSON.stringify(d.spellings.map(s => re.test(s))));")
    out = subprocess.run(["node", "-e", script, str(battery)], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    verdicts = dict(zip([*ACCEPTED, *REFUSED], json.loads(out), strict=True))
    assert verdicts == {s: s in ACCEPTED for s in verdicts}
