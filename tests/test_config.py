"""The configuration through the real command line: the schema that validates
it (`sustain-lint schema config`), one message naming the key for any bad value
of any type, discovery up to the repository's top and never through a link out
of it, `--isolated`, and strict dates."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sustain_lint.config import Config, repository_top
from sustain_lint.policy import Policy
from sustain_lint.reporters import safe_text
from tests._integration import tool
from tests.helpers import ROOT, SET, TODAY, UNKNOWN_CODE, copy_example, run_cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    path = copy_example(tmp_path / "repo")
    (path / ".git").mkdir()
    return path


def usage_error(r: Any) -> str:
    """The one line a configuration error prints; asserts exit 2 and no traceback."""
    assert r.code == 2, (r.out[-2000:], r.err)
    lines = r.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sustain-lint: error: "), r.err
    assert lines[0].isprintable(), r.err
    return lines[0]


# -- the schema ------------------------------------------------------------------------------


def config_schema(tmp_path: Path) -> dict[str, Any]:
    r = run_cli(["schema", "config"], tmp_path)
    assert r.code == 0, r.err
    schema: dict[str, Any] = json.loads(r.out)
    return schema


def test_schema_config_prints_the_schema(tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    schema = config_schema(tmp_path)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    # the schema's keys are the value objects' fields, no more, no fewer
    fields = {f.name for f in Config.__dataclass_fields__.values()} - {"source", "given"}
    assert set(schema["properties"]) == fields
    policy = schema["properties"]["policy"]
    assert set(policy["properties"]) == set(Policy.__dataclass_fields__)
    assert policy["additionalProperties"] is False
    # the artifact schemas are still there, and an unknown name lists config as a choice
    assert run_cli(["schema", "runbook-index.json"], tmp_path).code == 0
    r = run_cli(["schema", "nope.json"], tmp_path)
    assert r.code == 2 and "choose config or one of" in r.err


def readme_config() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("```toml\n[tool.sustain-lint]") + len("```toml\n")
    return readme[start:readme.index("```", start)]


@pytest.mark.slow
def test_readme_example_validates_with_check_jsonschema(tmp_path: Path) -> None:
    """What an editor does with the exported schema, with a third-party validator."""
    (tmp_path / "config.schema.json").write_text(run_cli(["schema", "config"], tmp_path).out)
    table = tomllib.loads(readme_config())["tool"]["sustain-lint"]
    (tmp_path / "config.json").write_text(json.dumps(table))
    proc = subprocess.run([tool("check-jsonschema"), "--schemafile",
                           str(tmp_path / "config.schema.json"), str(tmp_path / "config.json")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    table["policy"]["bogus"] = 1
    (tmp_path / "config.json").write_text(json.dumps(table))
    proc = subprocess.run([tool("check-jsonschema"), "--schemafile",
                           str(tmp_path / "config.schema.json"), str(tmp_path / "config.json")],
                          capture_output=True, text=True)
    assert proc.returncode == 1


def test_readme_example_config_applies(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(readme_config())
    r = run_cli(["--format", "json"], repo)
    assert r.code == 0, r.err + r.out[-2000:]
    assert r.json["today"] == "2026-11-22"


# -- values that are accepted --------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "today = 2026-11-22\n",  # a TOML date
    'today = "2026-11-22"\n',
    'today = " 2026-11-22 "\n',
])
def test_today_as_a_toml_date_or_a_string(repo: Path, text: str) -> None:
    (repo / ".sustain-lint.toml").write_text(text)
    r = run_cli(["--format", "json"], repo)
    assert r.json["today"] == "2026-11-22", r.err


def test_select_as_a_comma_separated_string(repo: Path) -> None:
    (repo / SET / "runbook-index.json").unlink()
    (repo / SET / "maintenance-charter.md").unlink()
    (repo / ".sustain-lint.toml").write_text('select = "sl001, SL002"\nignore = []\n')
    r = run_cli(["--today", TODAY, "--format", "json"], repo)
    assert sorted(f["rule"] for f in r.json["sets"][0]["findings"]) == ["SL001", "SL001"]


def test_a_target_names_only_what_it_changes(repo: Path) -> None:
    """P1's response is configured, its resolution stays the default 4h: the
    example's charter (P1 15m / 4h) then promises a slower response than 10m."""
    (repo / ".sustain-lint.toml").write_text('[policy.targets.P1]\nresponse = "10m"\n')
    r = run_cli(["--today", TODAY, "--format", "json"], repo)
    messages = [f["message"] for f in r.json["sets"][0]["findings"]]
    assert messages and all("10m" in m for m in messages), messages
    assert not any("4h" in m and "resolution" in m for m in messages)


# -- values that are not -------------------------------------------------------------------

DEEP = "[" * 300 + "]" * 300

PYPROJECT, DOTFILE = "pyproject.toml", ".sustain-lint.toml"
HOSTILE = [  # (file, text, what the message says)
    (PYPROJECT, "tool = 1\n", "'tool' must be a table"),
    (PYPROJECT, '[tool]\nsustain-lint = 3\n', "'tool.sustain-lint' must be a table (got 3)"),
    (DOTFILE, '[tool]\nsustain-lint = "x"\n', "'tool.sustain-lint' must be a table"),
    (DOTFILE, "tool = 1\n", "unknown key 'tool'"),
    (DOTFILE, "max_file_mb = inf\n", "'max_file_mb' must be a number of megabytes > 0 (got inf)"),
    (DOTFILE, "max_file_mb = -inf\n", "'max_file_mb' must be"),
    (DOTFILE, "max_file_mb = nan\n", "'max_file_mb' must be a number of megabytes > 0 (got nan)"),
    (DOTFILE, "max_file_mb = 0\n", "'max_file_mb' must be"),
    (DOTFILE, "max_file_mb = 1e303\n", "'max_file_mb' must be"),
    (DOTFILE, "max_file_mb = true\n", "'max_file_mb' must be a number of megabytes > 0 (got true)"),
    (DOTFILE, 'max_file_mb = "256"\n', "'max_file_mb' must be"),
    (DOTFILE, "max_file_mb = 9" + "9" * 400 + "\n", "(got a number of 401 digits)"),
    (DOTFILE, "max_file_mb = 1" + "0" * 5000 + "\n", "not valid TOML"),
    (DOTFILE, f"max_file_mb = {DEEP}\n", "'max_file_mb' must be"),
    (DOTFILE, "x = " + "[" * 5000 + "]" * 5000 + "\n", "not valid TOML: nested too deeply"),
    (DOTFILE, 'severity = "x"\n', "'severity' must be a table of CODE"),
    (DOTFILE, f"[severity]\n{UNKNOWN_CODE} = \"off\"\n",
     f"unknown rule code or name 'severity.{UNKNOWN_CODE}'"),
    (DOTFILE, "[severity]\nnot-a-code = \"off\"\n",
     "unknown rule code or name 'severity.not-a-code' (see"),
    (DOTFILE, "[severity]\nl2-coverage-gaps = \"off\"\n",
     "unknown rule code or name 'severity.l2-coverage-gaps' (did you mean 'l2-coverage-gap'?"),
    (DOTFILE, "[severity]\nSL111 = \"off\"\nl2-coverage-gap = \"warning\"\n",
     "'severity.SL111' and 'severity.l2-coverage-gap' name the same rule (SL111); keep one"),
    (DOTFILE, "[severity]\n\"a b\" = \"off\"\n", "unknown rule code or name 'severity.a b'"),
    (DOTFILE, "[severity]\nSL111 = 2026-01-01\n",
     "'severity.SL111' must be error, warning or off (got a date (2026-01-01))"),
    (DOTFILE, "policy = []\n", "'policy' must be a table (got an empty list)"),
    (DOTFILE, 'artifacts_dir = "a\\u0000b"\n', "'artifacts_dir' must be a relative folder path"),
    (DOTFILE, 'artifacts_dir = "../evidence"\n', "without '..'"),
    (DOTFILE, 'artifacts_dir = "a\\\\..\\\\b"\n', "without '..'"),
    (DOTFILE, 'artifacts_dir = "/etc"\n', "'artifacts_dir' must be a relative folder path"),
    (DOTFILE, 'artifacts_dir = "///"\n', "'artifacts_dir' must be a relative folder path"),
    (DOTFILE, 'artifacts_dir = ""\n', "'artifacts_dir' must be a relative folder path"),
    (DOTFILE, "artifacts_dir = 2026-01-01\n",
     "'artifacts_dir' must be a relative folder path (got a date (2026-01-01))"),
    (DOTFILE, 'select = [["SL1"]]\n', "'select' must be a list of rule codes (item 1 is a list)"),
    (DOTFILE, 'select = ["SL1", 2]\n', "'select' must be a list of rule codes (item 2 is 2)"),
    (DOTFILE, 'ignore = {SL1 = true}\n', "'ignore' must be a list of rule codes (got a table)"),
    (DOTFILE, f'ignore = ["{UNKNOWN_CODE}"]\n', f"'ignore': unknown rule code or prefix '{UNKNOWN_CODE}'"),
    (DOTFILE, 'strict = "yes"\n', "'strict' must be true or false (got 'yes')"),
    (DOTFILE, "today = 2026-11-22T10:00:00\n",
     "'today' must be a date, YYYY-MM-DD (got a date with a time (2026-11-22T10:00:00))"),
    (DOTFILE, "today = 2026-11-22T10:00:00Z\n", "'today' must be a date"),
    (DOTFILE, "today = 10:00:00\n", "'today' must be a date, YYYY-MM-DD (got a time (10:00:00))"),
    (DOTFILE, 'today = "20261122"\n', "'today' must be a date"),
    (DOTFILE, 'today = "2026-W47-1"\n', "'today' must be a date"),
    (DOTFILE, 'today = "2026-02-30"\n', "'today' must be a date"),
    (DOTFILE, 'today = "２０２６-11-22"\n', "'today' must be a date"),
    (DOTFILE, "today = 20261122\n", "'today' must be a date, YYYY-MM-DD (got 20261122)"),
    (DOTFILE, "[policy]\navailability = 101\n",
     "'policy.availability' must be a percentage (0-100) (got 101)"),
    (DOTFILE, "[policy]\navailability = nan\n", "'policy.availability' must be a percentage"),
    (DOTFILE, "[policy]\nmin_l2_rotation = 4.0\n",
     "'policy.min_l2_rotation' must be a whole number >= 0 (got 4.0)"),
    (DOTFILE, "[policy]\nmin_l2_rotation = -1\n", "'policy.min_l2_rotation' must be"),
    (DOTFILE, "[policy]\nreview_tolerance_days = false\n", "'policy.review_tolerance_days' must be"),
    (DOTFILE, "[policy]\nreview_offsets_days = [30, 0]\n",
     "'policy.review_offsets_days' must be a list of days > 0 (item 2 is 0)"),
    (DOTFILE, '[policy]\nreview_offsets_days = "30"\n', "'policy.review_offsets_days' must be"),
    (DOTFILE, '[policy]\nrequired_approval_roles = ["boss"]\n',
     "'policy.required_approval_roles' must be a list of: leadership, operations"),
    (DOTFILE, "[policy]\ntargets = 1\n", "'policy.targets' must be a table of P1..P4"),
    (DOTFILE, '[policy.targets]\nP5 = {response = "1h"}\n', "unknown key 'policy.targets.P5'"),
    (DOTFILE, '[policy.targets]\nP1 = "15m"\n',
     "'policy.targets.P1' must be a table with response and/or resolution"),
    (DOTFILE, '[policy.targets.P1]\nresponse = "soon"\n',
     "'policy.targets.P1.response' must be a duration such as 15m, 4h, P1D (got 'soon')"),
    (DOTFILE, '[policy.targets.P1]\nresponse = "P30DT"\n',
     "'policy.targets.P1.response' must be a duration such as 15m, 4h, P1D (got 'P30DT'; "
     "did you mean `P30D`?)"),
    (DOTFILE, '[policy.targets.P4]\nresolution = "1 business day"\n',
     "(got '1 business day'; did you mean `24h`?)"),
    (DOTFILE, '[policy.targets.P1]\nresponse = 15\n',
     "'policy.targets.P1.response' must be a duration"),
    (DOTFILE, "[policy]\nschedules = []\n", "unknown key 'policy.schedules'"),
    (DOTFILE, "waiver_warning_days = 14\n", "unknown key 'waiver_warning_days'"),
]


@pytest.mark.parametrize("name, text, fragment", HOSTILE, ids=[t[:40] for _, t, _ in HOSTILE])
def test_a_bad_value_is_one_line_naming_the_key(repo: Path, name: str, text: str,
                                                fragment: str) -> None:
    (repo / name).write_text(text, encoding="utf-8")
    line = usage_error(run_cli([], repo))
    assert fragment in line
    assert line.startswith(f"sustain-lint: error: {name}: ")


@pytest.mark.parametrize("text, fragment", [
    ("selct = []\n", "unknown key 'selct' (did you mean 'select'?)"),
    ("Strict = true\n", "unknown key 'Strict' (did you mean 'strict'?)"),
    ("[policy]\nmin_l2 = 3\n", "unknown key 'policy.min_l2' (did you mean 'policy.min_l2_rotation'?)"),
    ("[policy.targets]\np1 = {}\n", "unknown key 'policy.targets.p1' (did you mean 'policy.targets.P1'?)"),
    ('[policy.targets.P1]\nrespons = "1h"\n', "(did you mean 'policy.targets.P1.response'?)"),
    ("zzz = 1\n", "unknown key 'zzz' (known: artifacts_dir, ignore, max_file_mb, policy, schedules, select, "
                  "severity, strict, today)"),
])
def test_unknown_key_did_you_mean(repo: Path, text: str, fragment: str) -> None:
    (repo / ".sustain-lint.toml").write_text(text)
    assert fragment in usage_error(run_cli([], repo))


@pytest.mark.parametrize("text, fragment", [
    # the first problem in the file's order, whatever the kind
    ("strict = 1\nselct = []\n", "'strict'"),
    ("selct = []\nstrict = 1\n", "'selct'"),
    ('today = "soon"\n[policy]\nmin_l2_rotation = -1\n', "'today'"),
    ('[policy]\nmin_l2_rotation = -1\nbogus = 1\n', "'policy.min_l2_rotation'"),
    ('[policy]\nbogus = 1\nmin_l2_rotation = -1\n', "'policy.bogus'"),
    # the schema's problems before the registry's
    (f'select = ["{UNKNOWN_CODE}"]\nstrict = 1\n', "'strict'"),
    (f'select = ["{UNKNOWN_CODE}"]\nignore = ["SL6"]\n', f"'{UNKNOWN_CODE}'"),
])
def test_the_first_problem_in_the_file_is_reported(repo: Path, text: str, fragment: str) -> None:
    (repo / ".sustain-lint.toml").write_text(text)
    assert fragment in usage_error(run_cli([], repo))


def test_terminal_escapes_in_keys_and_values_are_shown_escaped(repo: Path) -> None:
    for text in ('"\\u001b[31mred" = 1\n', 'artifacts_dir = "/\\u001b[31m"\n',
                 'select = ["\\u001b[31m"]\n', '[severity]\n"\\u001b]0;title\\u0007" = "off"\n'):
        (repo / ".sustain-lint.toml").write_text(text)
        line = usage_error(run_cli([], repo))
        assert "\x1b" not in line and "\\x1b" in line, line


# -- every value of every type, anywhere -------------------------------------------------------

TOP_KEYS = ["artifacts_dir", "select", "ignore", "strict", "today", "max_file_mb", "severity",
            "policy"]
POLICY_KEYS = ["availability", "targets", "min_l2_rotation", "required_approval_roles",
               "review_offsets_days", "review_tolerance_days"]
PATHS = ([[k] for k in TOP_KEYS] + [["policy", k] for k in POLICY_KEYS] + [
    ["severity", "SL111"], ["severity", "sl203"], ["policy", "targets", "P1"],
    ["policy", "targets", "P4", "response"], ["policy", "targets", "P2", "resolution"],
])
MEANINGFUL = ["SL1", "SL111", "sl00", UNKNOWN_CODE, "error", "warning", "off", "15m", "4 hours",
              "PT15M", "P", "2026-11-22", "2026-W47-1", "operations", "security", "boss",
              ".artifacts/maintenance", "evidence", "..", "/", "", " ", "\x00", "\x1b[31m",
              "P1", "response", "resolution", "a,b", "SL1,SL2"]

_keys = st.one_of(st.sampled_from(TOP_KEYS + POLICY_KEYS + ["P1", "SL111", "tool"]),
                  st.text(st.characters(exclude_categories=["Cs"]), max_size=8))
_scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.integers(min_value=-3, max_value=120),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
    st.sampled_from(MEANINGFUL),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(dt.timezone.utc)),
    st.times(),
)
VALUES = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=12,
)


def toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\U{ord(ch):08X}")
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if value != value else {"inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def keys_in(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [k for key, v in value.items() for k in (key, *keys_in(v))]
    if isinstance(value, list):
        return [k for v in value for k in keys_in(v)]
    return []


@pytest.fixture(scope="module")
def fuzz_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = copy_example(tmp_path_factory.mktemp("fuzz") / "repo")
    (path / ".git").mkdir()
    return path


@pytest.mark.parametrize("examples", [40, pytest.param(400, marks=pytest.mark.slow)])
def test_any_value_at_any_key_is_exit_2_or_a_run(fuzz_repo: Path, examples: int) -> None:
    """Whatever the type of any value at any key: a run (0 or 1) or exit 2 with one
    printable line naming a key; never 3, never a traceback."""
    @settings(max_examples=examples, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(
        entries=st.lists(st.tuples(st.one_of(st.sampled_from(PATHS), st.lists(_keys, min_size=1,
                                                                               max_size=3)),
                                   VALUES), min_size=1, max_size=3),
        pyproject=st.booleans(),
    )
    def check(entries: list[Any], pyproject: bool) -> None:
        prefix = ['tool', 'sustain-lint'] if pyproject else []
        lines = [".".join(toml_string(k) for k in [*prefix, *path]) + " = " + toml_value(value)
                 for path, value in entries]
        text = "\n".join(lines) + "\n"
        if len(entries) == 1:
            tomllib.loads(text)  # the test writes what it means to write
        name = "pyproject.toml" if pyproject else ".sustain-lint.toml"
        for old in ("pyproject.toml", ".sustain-lint.toml"):
            (fuzz_repo / old).unlink(missing_ok=True)
        (fuzz_repo / name).write_text(text, encoding="utf-8")
        r = run_cli(["--format", "json"], fuzz_repo)
        assert "Traceback" not in r.err and "internal error" not in r.err, (text, r.err)
        assert r.code in (0, 1, 2), (text, r.err)
        if r.code == 2:
            line = usage_error(r)
            named = {safe_text(k) for path, value in entries
                     for k in [*prefix, *path, *keys_in(value)]}
            assert "not valid TOML" in line or any(f"'{k}" in line or f".{k}" in line
                                                   for k in named), (text, line)
        else:
            assert r.err == "", (text, r.err)

    check()


@pytest.mark.parametrize("path", PATHS + [["tool"], ["tool", "sustain-lint"]],
                         ids=lambda p: ".".join(p))
@pytest.mark.parametrize("value", [
    1, -1, 0, 2**63, 1.5, float("inf"), float("nan"), True, "", "x", "\x1b[31m", "a\x00b",
    dt.date(2026, 11, 22), dt.datetime(2026, 11, 22, 10, 0), dt.time(10, 0), [], [[]], [1, "a"],
    {}, {"x": 1}, {"P1": {"response": []}},
], ids=repr)
def test_every_key_with_every_type(fuzz_repo: Path, path: list[str], value: Any) -> None:
    """The same as the property test, deterministically: each key, each type."""
    pyproject = path[0] == "tool"
    prefix = [] if pyproject else ["tool", "sustain-lint"]
    text = ".".join(toml_string(k) for k in [*prefix, *path]) + " = " + toml_value(value) + "\n"
    (fuzz_repo / ".sustain-lint.toml").unlink(missing_ok=True)
    (fuzz_repo / "pyproject.toml").write_text(text, encoding="utf-8")
    r = run_cli([], fuzz_repo)
    assert r.code in (0, 1, 2) and "Traceback" not in r.err, r.err
    if r.code == 2:
        line = usage_error(r)
        assert any(f"'{k}" in line or f".{k}" in line for k in [*path, *keys_in(value)]), line


# -- discovery ---------------------------------------------------------------------------------


def test_discovery_stops_at_the_repository_top(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    repo = copy_example(outer / "repo")
    (repo / ".git").mkdir()
    (outer / ".sustain-lint.toml").write_text('today = "soon"\n')  # never read
    (outer / "pyproject.toml").write_text('[tool.sustain-lint]\ntoday = "soon"\n')
    assert run_cli(["--today", TODAY], repo).code == 0
    assert run_cli(["--today", TODAY, ".."], repo / "docs").code == 0
    # up to and including the top
    (repo / ".sustain-lint.toml").write_text("strict = 1\n")
    assert "'strict'" in usage_error(run_cli([".."], repo / "docs"))


def test_a_git_file_marks_a_worktree_top(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    repo = copy_example(outer / "wt")
    (outer / ".git").mkdir()
    (repo / ".git").write_text("gitdir: ../.git/worktrees/wt\n")
    (outer / ".sustain-lint.toml").write_text("strict = 1\n")
    assert run_cli(["--today", TODAY], repo).code == 0
    assert "'strict'" in usage_error(run_cli(["--today", TODAY], outer))


def test_a_set_takes_the_configuration_of_its_repository_root(repo: Path) -> None:
    """product.md, Configuration: each set takes the nearest configuration at or
    above its repository root; one in a folder below it (or the working directory's,
    further down) does not govern the set."""
    (repo / ".sustain-lint.toml").write_text("strict = 1\n")
    (repo / "docs" / "pyproject.toml").write_text("[tool.sustain-lint]\nstrict = false\n")
    (repo / "docs" / "runbooks" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    r = run_cli(["--today", TODAY, "../.."], repo / "docs" / "runbooks")
    assert "'strict'" in usage_error(r)  # the repository root's file, not docs/pyproject.toml
    (repo / ".sustain-lint.toml").write_text("strict = false\n")
    (repo / "docs" / "pyproject.toml").write_text("[tool.sustain-lint]\nstrict = 1\n")
    assert run_cli(["--today", TODAY], repo).code == 0  # docs/ lies below: never read


def test_outside_any_repository_only_the_start_folder_counts(tmp_path: Path) -> None:
    if repository_top(str(tmp_path)) is not None:
        pytest.skip("the temporary folder is inside a git repository")
    repo = copy_example(tmp_path / "repo")
    (tmp_path / ".sustain-lint.toml").write_text("strict = 1\n")
    (repo / "docs" / ".keep").write_text("")
    assert run_cli(["--today", TODAY], repo).code == 0
    assert run_cli(["--today", TODAY, ".."], repo / "docs").code == 0
    (repo / ".sustain-lint.toml").write_text("strict = 2\n")
    assert "(got 2)" in usage_error(run_cli([], repo))
    # the set's own root holds it: it governs the set from any working directory
    assert "(got 2)" in usage_error(run_cli(["--today", TODAY, ".."], repo / "docs"))


SECRET = "s3cr3t-token = 'do-not-print'"


@pytest.mark.parametrize("name", [".sustain-lint.toml", "pyproject.toml"])
@pytest.mark.parametrize("with_git", [True, False])
def test_a_config_linked_out_of_the_repository_is_refused_unread(
        tmp_path: Path, name: str, with_git: bool) -> None:
    repo = copy_example(tmp_path / "repo")
    if with_git:
        (repo / ".git").mkdir()
    elif repository_top(str(tmp_path)) is not None:
        pytest.skip("the temporary folder is inside a git repository")
    outside = tmp_path / "outside.toml"
    outside.write_text(f"[tool.sustain-lint]\n{SECRET}\n")
    (repo / name).symlink_to(outside)
    for cwd in (repo, repo / "docs") if with_git else (repo,):
        r = run_cli([], cwd)
        line = usage_error(r)
        assert "outside the repository" in line and name in line
        assert "s3cr3t" not in r.err + r.out and "do-not-print" not in r.err + r.out


def test_a_config_linked_inside_the_repository_is_read(repo: Path) -> None:
    (repo / "docs" / "lint.toml").write_text("strict = 1\n")
    (repo / ".sustain-lint.toml").symlink_to(repo / "docs" / "lint.toml")
    assert "'strict'" in usage_error(run_cli([], repo))


def test_explicit_config_may_live_anywhere(repo: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared.toml"
    shared.write_text("strict = 2\n")
    assert "(got 2)" in usage_error(run_cli(["--config", str(shared)], repo))


# -- --isolated ------------------------------------------------------------------------------


def test_isolated_uses_no_configuration(repo: Path) -> None:
    (repo / ".sustain-lint.toml").write_text('today = "soon"\n')
    (repo / SET / "runbook-index.json").unlink()
    assert run_cli(["--today", TODAY], repo).code == 2
    r = run_cli(["--isolated", "--today", TODAY, "--format", "json"], repo)
    assert r.code == 1
    assert [f["rule"] for f in r.json["sets"][0]["findings"]] == ["SL001"]


def test_isolated_and_config_together_is_a_usage_error(repo: Path) -> None:
    (repo / "cfg.toml").write_text("strict = true\n")
    r = run_cli(["--isolated", "--config", "cfg.toml"], repo)
    assert r.code == 2  # argparse's usage, then the error
    assert "argument --config: not allowed with argument --isolated" in r.err.splitlines()[-1]


# -- --today ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["20261122", "2026-W47-1", "2026-W47", "2026-11-22T00:00",
                                   "2026-11-22 ", "２０２６-11-22", "2026-1-2", "2026-326", ""])
def test_today_is_exactly_yyyy_mm_dd(repo: Path, value: str) -> None:
    r = run_cli(["--today", value], repo)
    if value == "2026-11-22 ":
        assert r.code == 0, r.err  # blanks around the date are not part of it
        return
    assert "--today: " in usage_error(r) and "is not a date; write YYYY-MM-DD" in r.err
