"""Issue 16: the command line linter users expect (aliases, --exit-zero,
--statistics, --quiet, --verbose, --show-settings, --show-files, --no-source,
rule names wherever codes are, "did you mean", the help's examples and exit
codes), the source line under each finding, where a run from a subfolder looks,
and the closing line of a run over several sets. Each through the real CLI."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.helpers import SET, TODAY, copy_example, run_cli


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "repo")


def _break_backlog(repo: Path) -> None:
    path = repo / SET / "backlog-register.csv"
    path.write_text(path.read_text().replace(",in-progress,", ",in progress,", 1))


def test_format_aliases_and_short_output(repo: Path) -> None:
    reference = run_cli(["--today", TODAY, "--format", "json"], repo).out
    for flag in ("-f", "--output-format"):
        assert run_cli(["--today", TODAY, flag, "json"], repo).out == reference
    target = repo / "report.json"
    r = run_cli(["--today", TODAY, "-f", "json", "-o", str(target)], repo)
    assert r.code == 0 and r.out == ""
    assert target.read_text() == reference


def test_exit_zero_reports_but_exits_0(repo: Path) -> None:
    _break_backlog(repo)
    failed = run_cli(["--today", TODAY], repo)
    assert failed.code == 1
    r = run_cli(["--today", TODAY, "--exit-zero"], repo)
    assert r.code == 0 and "SL003" in r.out
    # a usage error is still one
    assert run_cli(["--today", "soon", "--exit-zero"], repo).code == 2


def test_statistics_counts_per_rule(repo: Path) -> None:
    _break_backlog(repo)
    r = run_cli(["--today", TODAY, "--statistics"], repo)
    assert "Statistics (findings per rule):" in r.out
    assert any(line.split() == ["1", "SL003", "schema-violation"] for line in r.out.splitlines())
    j = run_cli(["--today", TODAY, "--statistics", "-f", "json"], repo)
    assert j.json["sets"]  # the JSON stays JSON: the counts go to stderr
    assert "SL003" in j.err


def test_quiet_hides_warnings_that_fail_no_gate_but_not_under_strict(repo: Path) -> None:
    path = repo / SET / "runbook-index.json"  # a stale runbook: SL203, a warning
    path.write_text(path.read_text().replace('"last_reviewed": "2026-09-01"',
                                             '"last_reviewed": "2024-01-01"'))
    loud = run_cli(["--today", TODAY], repo)
    assert "SL203 [warning]" in loud.out
    assert "SL203" not in run_cli(["--today", TODAY, "-q"], repo).out
    strict = run_cli(["--today", TODAY, "--quiet", "--strict"], repo)
    assert strict.code == 1 and "SL203 [warning]" in strict.out


def test_verbose_says_sets_config_and_timings(repo: Path) -> None:
    (repo / ".sustain-lint.toml").write_text('today = "2026-11-22"\n')
    r = run_cli(["-v"], repo)
    assert r.code == 0
    assert "configuration .sustain-lint.toml" in r.err
    assert f"set {SET}" in r.err and "checked in" in r.err
    assert "[GATE 1 PASSED]" in r.out  # the report itself is unchanged


def test_show_settings_says_where_each_value_came_from(repo: Path) -> None:
    (repo / ".sustain-lint.toml").write_text('ignore = ["SL105"]\nstrict = true\n')
    r = run_cli(["--show-settings", "--today", TODAY], repo)
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0] == SET
    assert "configuration: .sustain-lint.toml" in lines[1]
    assert "  ignore = SL105    # from .sustain-lint.toml" in lines
    assert "  strict = True    # from .sustain-lint.toml" in lines
    assert "  today = 2026-11-22    # from the command line" in lines
    assert "  max_file_mb = 256    # default" in lines
    assert "[GATE" not in r.out  # nothing is checked


def test_show_files_lists_the_sets_and_files(repo: Path) -> None:
    (repo / SET / "review-calendar.md").unlink()
    r = run_cli(["--show-files"], repo)
    assert r.code == 0
    assert r.out.splitlines()[0] == SET
    assert f"  {SET}/review-calendar.md  (missing)" in r.out.splitlines()
    assert f"  {SET}/runbook-index.json" in r.out.splitlines()


def test_rule_names_wherever_codes_are(repo: Path) -> None:
    by_code = run_cli(["explain", "SL111"], repo)
    assert run_cli(["explain", "l2-coverage-gap"], repo).out == by_code.out
    _break_backlog(repo)
    r = run_cli(["--today", TODAY, "-f", "json", "--select", "schema-violation"], repo)
    assert {f["rule"] for f in r.json["sets"][0]["findings"]} == {"SL003"}
    ignored = run_cli(["--today", TODAY, "-f", "json", "--ignore", "schema-violation"], repo)
    assert "SL003" not in {f["rule"] for f in ignored.json["sets"][0]["findings"]}
    (repo / ".sustain-lint.toml").write_text('ignore = ["schema-violation"]\n')
    assert run_cli(["--today", TODAY], repo).code == 0


@pytest.mark.parametrize("args, hint", [
    (["--formt", "json"], "did you mean --format?"),
    (["--exit-zer"], "did you mean --exit-zero?"),
    (["-f", "jsno"], "did you mean 'json'?"),
    (["--select", "l2-coverage-gp"], "did you mean 'l2-coverage-gap'?"),
    (["explain", "l2-coverage-gp"], "did you mean 'l2-coverage-gap'?"),
    (["explain", "SL11"], "explain one of SL111, SL112"),
])
def test_did_you_mean_on_the_command_line(repo: Path, args: list[str], hint: str) -> None:
    r = run_cli(args, repo)
    assert r.code == 2
    assert hint in r.err, r.err


def test_help_has_every_option_explained_examples_and_exit_codes(repo: Path) -> None:
    r = run_cli(["--help"], repo)
    assert r.code == 0
    # argparse writes an option's metavar after each of its spellings up to Python 3.12
    # (``-o FILE, --output FILE``), once after the last from 3.13 (``-o, --output FILE``)
    for option in (r"-f( \{text,[a-z,]*\})?, ", r"--output-format( \{text,|, |\b)",
                   r"-o( FILE)?, --output FILE", "--exit-zero", "--statistics", "-q, --quiet",
                   "-v, --verbose", "--show-settings", "--show-files", "--no-source", "--color"):
        assert re.search(option, r.out), option
    tail = r.out[r.out.index("examples:"):]
    assert "exit codes:" in tail
    assert "  2  usage or configuration error" in tail
    # every option has its help text: no option line stands alone
    import argparse

    from sustain_lint.cli import _check_parser

    for action in _check_parser()._actions:
        assert action.help and action.help != argparse.SUPPRESS, action.option_strings


def test_source_line_and_caret_under_the_finding(repo: Path) -> None:
    _break_backlog(repo)
    r = run_cli(["--today", TODAY], repo)
    lines = r.out.splitlines()
    at = next(i for i, line in enumerate(lines) if "SL003" in line)
    column = int(lines[at].split(":")[2])
    source, caret = lines[at + 1], lines[at + 2]
    assert source.startswith("      | ") and "in progress" in source
    assert caret.startswith("      | ") and caret.rstrip().endswith("^")
    assert set(caret[len("      | "):-1]) <= {" "}
    line_text = (repo / SET / "backlog-register.csv").read_text().splitlines()[1]
    # the caret stands under the column the finding names
    shown = source[len("      | "):]
    offset = caret.index("^") - len("      | ")
    if shown.startswith("…"):
        cut = line_text.index(shown[1:41]) - 1
        assert offset + cut == column - 1
    else:
        assert offset == column - 1
    assert "      | " not in run_cli(["--today", TODAY, "--no-source"], repo).out


def test_source_line_is_cut_around_the_column_to_the_width(repo: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _break_backlog(repo)
    monkeypatch.setenv("COLUMNS", "50")
    lines = run_cli(["--today", TODAY], repo).out.splitlines()
    at = next(i for i, line in enumerate(lines) if "SL003" in line)
    assert len(lines[at + 1]) <= 50 and "in progress" in lines[at + 1]
    assert lines[at + 1][lines[at + 2].index("^"):].startswith("in progress")


def test_source_line_stays_inert(repo: Path) -> None:
    path = repo / SET / "backlog-register.csv"
    text = path.read_text().replace(",in-progress,", ",::error::x ##[set-output] \x1b[2J,", 1)
    path.write_text(text)
    out = run_cli(["--today", TODAY], repo).out
    source = [line for line in out.splitlines() if line.startswith("      | ") and "error" in line]
    assert source and "##\\[" in source[0] and "\x1b" not in out and "\\x1b" in source[0]


def test_no_path_from_a_subfolder_checks_the_enclosing_repository(repo: Path) -> None:
    (repo / ".git").mkdir()
    sub = repo / "src" / "payments"
    sub.mkdir(parents=True)
    r = run_cli(["--today", TODAY, "-f", "json"], sub)
    assert r.code == 0, r.out
    assert [s["path"] for s in r.json["sets"]] == [f"../../{SET}"]
    assert not [f for s in r.json["sets"] for f in s["findings"] if f["rule"] == "SL001"]


def test_closing_line_names_the_failed_sets(tmp_path: Path) -> None:
    root = tmp_path / "mono"
    for name in ("ledger", "payouts", "refunds"):
        copy_example(root / "services" / name)
    for name in ("ledger", "refunds"):
        _break_backlog(root / "services" / name)
    r = run_cli(["--today", TODAY], root)
    closing = r.out.rstrip().splitlines()[-1]
    assert closing.startswith("[PROTOCOL INCOMPLETE]")
    assert (f"Failed sets (2 of 3): services/ledger/{SET}, services/refunds/{SET}."
            in closing)


def test_select_run_never_claims_the_protocol_complete(repo: Path) -> None:
    r = run_cli(["--today", TODAY, "--gate", "4", "--select", "l2-coverage-gap"], repo)
    assert r.code == 0
    assert r.out.rstrip().splitlines()[-1].startswith("[SELECTED RULES PASSED] SL111")
    assert "[PROTOCOL COMPLETE]" not in r.out


def test_hints_cost_a_few_milliseconds(repo: Path) -> None:
    """The "did you mean" matching, against a run of the same set with the values
    right: a ratio in the same process, never an absolute time."""
    from sustain_lint.suggest import close_match, enum_match, zone_hint

    values = ["in progress", "Europe/Berln", "PST", "IST", "opened", "done", "x" * 60]
    choices = ["open", "in-progress", "blocked", "done", "cancelled"]
    run_cli(["--today", TODAY, "-f", "json"], repo)  # warm: imports, caches
    start = time.perf_counter()
    run_cli(["--today", TODAY, "-f", "json"], repo)
    lint = time.perf_counter() - start
    start = time.perf_counter()
    for value in values:  # the first time: the zone folders read, nothing cached
        enum_match(value, choices)
        close_match(value, choices)
        zone_hint(value)
    hints = time.perf_counter() - start
    # a handful of hints costs less than half a run over a valid set (about 40 ms)
    assert hints < lint / 2, (hints, lint)


def test_each_set_takes_its_nearest_configuration(tmp_path: Path) -> None:
    root = tmp_path / "mono"
    (root / ".git").mkdir(parents=True)
    for name in ("ledger", "payouts"):
        copy_example(root / "services" / name)
        _break_backlog(root / "services" / name)
    (root / ".sustain-lint.toml").write_text(f'today = "{TODAY}"\n')
    # the ledger team switched the schema rule off for its own set only
    (root / "services" / "ledger" / ".sustain-lint.toml").write_text(
        f'today = "{TODAY}"\nignore = ["SL003"]\n')
    r = run_cli(["-f", "json"], root)
    by_set = {s["path"]: {f["rule"] for f in s["findings"]} for s in r.json["sets"]}
    assert "SL003" not in by_set[f"services/ledger/{SET}"]
    assert "SL003" in by_set[f"services/payouts/{SET}"]
    # every configuration in force is named, and the rule one of them switched off
    text = run_cli([], root).out
    assert "Configuration: .sustain-lint.toml, services/ledger/.sustain-lint.toml" in text
    assert "switched off: SL003" in text
    shown = run_cli(["--show-settings"], root).out
    assert "configuration: services/ledger/.sustain-lint.toml" in shown
    assert "  ignore = SL003    # from services/ledger/.sustain-lint.toml" in shown
    # --config names one file for every set
    one = run_cli(["-f", "json", "--config", ".sustain-lint.toml"], root)
    assert all("SL003" in {f["rule"] for f in s["findings"]} for s in one.json["sets"])


def _readme_usage() -> str:
    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    opening = readme.index("```\n", readme.index("## Using it")) + 4
    return readme[opening:readme.index("\n```", opening)]


def test_the_readme_usage_is_what_the_parser_takes() -> None:
    """Every option the README's usage block shows is one the command line takes, and
    every option of the command line is in it."""
    import re

    from sustain_lint.cli import _check_parser

    usage = _readme_usage()
    check = usage[:usage.index("sustain-lint init")]
    shown = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", check))
    taken = {o for action in _check_parser()._actions for o in action.option_strings}
    assert shown == taken - {"-h", "--help", "--version"}


def test_the_readme_fast_suite_command_selects_the_fast_suite() -> None:
    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '\npython -m pytest -m "not slow"\n' in readme
    markers = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "slow" in markers  # the marker the command deselects is declared


def test_the_readme_pins_the_tag_of_this_version() -> None:
    """The pre-commit snippet's rev (and the Action's @ref) name the release tag of this
    version, the one `sustain-lint --version` prints: a rev that does not exist fails
    every hook run."""
    import re

    from sustain_lint import __version__
    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"\n    rev: (\S+)\n", readme) == [f"v{__version__}"]
    assert re.findall(r"uses: sustain-lint/sustain-lint@(\S+)", readme) == [f"v{__version__}"]
    assert "`rev` must be a tag or a commit that exists" in readme


def _apply_hints(repo: Path, findings: list[dict[str, object]]) -> int:
    """A user who does what the messages say, literally: a "did you mean X?" value
    replaced at its line, a "write `true`" string made the JSON value, a "found X:
    rename it to Y" file renamed. The number of findings acted on."""
    import re

    acted = 0
    for f in findings:
        message, path = str(f["message"]), repo / str(f["path"])
        renamed = re.search(r"found (\S+): rename it to (\S+)$", message)
        if renamed and f["rule"] == "SL001":
            (path.parent / renamed.group(1)).rename(path.parent / renamed.group(2))
            acted += 1
            continue
        value = (re.search(r"is '([^']*)'(?:, not an IANA timezone)?: did you mean ([^?\s]+)\?",
                           message)
                 or re.search(r"'([^']*)', which is not a status: if the condition is met, "
                              r"write `([^`]+)`", message))
        boolean = re.search(r"'([^']*)', a string: write `(true|false)`", message)
        if not (value or boolean) or f["line"] is None:
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        at = int(str(f["line"])) - 1
        if value:
            lines[at] = lines[at].replace(value.group(1), value.group(2), 1)
        elif boolean:
            lines[at] = lines[at].replace(f'"{boolean.group(1)}"', boolean.group(2), 1)
        path.write_text("\n".join(lines), encoding="utf-8")
        acted += 1
    return acted


def test_user_spellings_go_green_in_two_runs(tmp_path: Path) -> None:
    """The loop of issue 16: `init`, the templates replaced by the team's own files
    written in its own words (in progress, "yes", done, PST, Support-Workflow.yml,
    Review-Calendar.md), then runs of sustain-lint, applying after each what its
    messages say. Green on the second run: every fix was named by the first."""
    import shutil

    from tests.helpers import EXAMPLE

    repo = tmp_path / "payments"
    repo.mkdir()
    (repo / ".git").mkdir()
    assert run_cli(["init", "."], repo).code == 0
    shutil.copytree(EXAMPLE, repo, dirs_exist_ok=True)  # the team's content
    folder = repo / SET

    def edit(name: str, old: str, new: str) -> None:
        text = (folder / name).read_text(encoding="utf-8")
        assert old in text
        (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("backlog-register.csv", ",in-progress,", ",in progress,")
    edit("monitoring-activation.json", '"notified": true', '"notified": "yes"')
    edit("readiness-approval-log.csv", ",closed\n", ",done\n")
    edit("capacity-analysis.csv", "America/New_York", "PST")
    (folder / "support-workflow.yaml").rename(folder / "Support-Workflow.yml")
    (folder / "review-calendar.md").rename(folder / "Review-Calendar.md")
    runs = 0
    while True:
        runs += 1
        r = run_cli(["--gate", "4", "--today", TODAY, "-f", "json"], repo)
        if r.code == 0 or runs == 5:
            break
        findings = r.json["sets"][0]["findings"]
        assert _apply_hints(repo, findings) > 0, [f["message"] for f in findings]
    assert r.code == 0 and runs == 2, runs
