"""A gate is only as good as the rules that ran (product.md, Configuration): every report
names the configuration in force and every rule it switched off or downgraded, and a run
with SL001-SL004 or all the rules of a judged gate off never says the protocol is complete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests._integration import configured_repo
from tests.helpers import TODAY, commit_all, copy_example, git, run_cli

COMPLETE = "[PROTOCOL COMPLETE]"


def _repo(tmp_path: Path, config: str, *, evidence: bool = True) -> Path:
    repo = tmp_path / "repo"
    if evidence:
        copy_example(repo)
    repo.mkdir(exist_ok=True)
    (repo / ".git").mkdir()
    (repo / ".sustain-lint.toml").write_text(config)
    return repo


SWITCHED_OFF = {
    "everything ignored": 'ignore = ["SL"]\n',
    "the structural rules ignored": 'ignore = ["SL001", "SL002", "SL003", "SL004"]\n',
    "only waivers selected": 'select = ["SL9"]\n',
    "every severity off": "[severity]\n" + "".join(
        f'{c} = "off"\n' for c in ("SL001", "SL002", "SL003", "SL004")),
    "every severity off, by name": "[severity]\n" + "".join(
        f'{name} = "off"\n' for name in ("artifact-missing", "artifact-unreadable",
                                         "schema-violation", "duplicate-key")),
}


@pytest.mark.parametrize("evidence", [True, False], ids=["with evidence", "no evidence"])
@pytest.mark.parametrize("config", SWITCHED_OFF.values(), ids=SWITCHED_OFF.keys())
def test_a_config_that_switches_the_gate_off_is_never_complete(
        tmp_path: Path, config: str, evidence: bool) -> None:
    repo = _repo(tmp_path, config, evidence=evidence)
    text = run_cli(["--today", TODAY, "--gate", "4", "."], repo)
    assert COMPLETE not in text.out
    assert "Configuration: .sustain-lint.toml" in text.out
    assert "not really judged" in text.out or "[SELECTED RULES PASSED]" in text.out
    strict = run_cli(["--today", TODAY, "--gate", "4", "--strict", "."], repo)
    assert strict.code == 1 and COMPLETE not in strict.out
    data = run_cli(["--today", TODAY, "--format", "json", "."], repo).json
    assert data["configuration"]["file"] == ".sustain-lint.toml"
    assert data["configuration"]["not_judged"] == [1, 2, 3, 4]
    assert "SL001" in data["configuration"]["switched_off"]


def test_every_report_names_the_configuration_and_what_it_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = configured_repo(tmp_path / "repo")
    gate2 = ["SL201", "SL202", "SL203", "SL204", "SL211", "SL212", "SL213", "SL214", "SL215",
             "SL216", "SL221", "SL222"]
    text = run_cli(["--today", TODAY, "--gate", "4", "."], repo)
    assert text.code == 0
    assert ("Configuration: pyproject.toml; switched off: SL201-SL222; downgraded to "
            "warnings: SL111") in text.out
    assert text.out.rstrip().endswith(
        "[GATES NOT JUDGED] - Gate 2 not really judged (no rule that could fail it ran); "
        "the configuration above decides what ran.")
    data = run_cli(["--today", TODAY, "--format", "json", "."], repo).json
    assert data["configuration"] == {"file": "pyproject.toml", "selected": [],
                                     "switched_off": gate2, "downgraded": ["SL111"],
                                     "not_judged": [2]}
    sarif = json.loads(run_cli(["--today", TODAY, "--format", "sarif", "."], repo).out)
    notes = sarif["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
    assert notes[0]["message"]["text"].startswith("Configuration: pyproject.toml")
    assert [n["associatedRule"]["id"] for n in notes if "associatedRule" in n] == [*gate2, "SL111"]
    assert notes[-1] == {"level": "warning", "message": {
        "text": "Gate 2 not really judged: no rule that could fail it ran"}}
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_cli(["--today", TODAY, "--format", "github", "."], repo)
    assert "**Configuration: pyproject.toml; switched off: SL201-SL222; downgraded to " \
        "warnings: SL111**" in summary.read_text()


def test_a_select_run_never_claims_the_protocol(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    out = run_cli(["--today", TODAY, "--gate", "4", "--select", "SL111,SL113", "."], repo)
    assert out.code == 0
    assert out.out.rstrip().splitlines()[-1].startswith("[SELECTED RULES PASSED] SL111, SL113")
    assert COMPLETE not in out.out


def test_a_default_run_says_nothing_of_configuration(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    git(repo, "init", "-q")  # in a git repository, approval freshness is judged too
    commit_all(repo, "2026-11-10T09:00:00Z")
    out = run_cli(["--today", TODAY, "--gate", "4", "."], repo)
    assert "Configuration" not in out.out and out.out.rstrip().endswith(
        "[PROTOCOL COMPLETE] - Maintenance & support framework activated.")
    sarif = json.loads(run_cli(["--today", TODAY, "--format", "sarif", "."], repo).out)
    assert "toolConfigurationNotifications" not in sarif["runs"][0]["invocations"][0]
