"""``sustain-lint init [DIR]``: schema-valid templates that still fail the
content rules a person must satisfy; never overwrites."""

from __future__ import annotations

from pathlib import Path

from sustain_lint.artifacts import REQUIRED, WAIVERS
from sustain_lint.rules import REGISTRY
from tests.helpers import SET, TODAY, run_cli

# Content rules the templates must trip (each only if the rule exists yet).
EXPECTED = {"SL101", "SL103", "SL111", "SL121", "SL202", "SL213", "SL214", "SL302",
            "SL312", "SL401", "SL411", "SL412", "SL421"}


def test_init_writes_a_template_for_every_required_artifact(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    result = run_cli(["init", "repo"], tmp_path)
    assert result.code == 0, result.err
    for name in REQUIRED:
        assert (repo / SET / name).is_file()
        assert f"created repo/{SET}/{name}" in result.out
    assert not (repo / SET / WAIVERS).exists()


def test_first_lint_after_init_is_a_todo_list(tmp_path: Path) -> None:
    assert run_cli(["init"], tmp_path).code == 0
    lint = run_cli(["--today", TODAY, "--format", "json", "."], tmp_path)
    assert lint.code == 1
    findings = lint.json["sets"][0]["findings"]
    codes = {f["rule"] for f in findings}
    structural = {"SL001", "SL002", "SL003", "SL004"} & codes
    assert not structural, [f for f in findings if f["rule"] in structural]
    missing = (EXPECTED & set(REGISTRY)) - codes
    assert not missing
    for gate in (1, 2, 3, 4):
        if any(r.gate == gate for r in REGISTRY.values()):
            assert any(f["gate"] == gate for f in findings), f"no finding in gate {gate}"
    statuses = {g["gate"]: g["status"] for g in lint.json["sets"][0]["gates"]}
    assert statuses[1] == "failed"


def test_init_never_overwrites(tmp_path: Path) -> None:
    assert run_cli(["init", "."], tmp_path).code == 0
    folder = tmp_path / SET
    (folder / "capacity-analysis.csv").write_text("mine\n")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    again = run_cli(["init", "."], tmp_path)
    assert again.code == 0
    assert again.out.count("skipped ") == len(REQUIRED) and "created" not in again.out
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_init_fills_only_the_missing_files(tmp_path: Path) -> None:
    folder = tmp_path / SET
    folder.mkdir(parents=True)
    (folder / "runbook-index.json").write_text("{}")
    (folder / "backlog-register.csv").symlink_to(tmp_path / "nowhere.csv")  # dangling
    result = run_cli(["init"], tmp_path)
    assert result.code == 0
    assert result.out.count("created ") == len(REQUIRED) - 2  # all but the two present
    assert f"skipped {SET}/runbook-index.json (exists)" in result.out
    assert f"skipped {SET}/backlog-register.csv (exists)" in result.out
    assert (folder / "runbook-index.json").read_text() == "{}"
    assert not (tmp_path / "nowhere.csv").exists()


def test_init_into_an_unwritable_place(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = run_cli(["init", "file"], tmp_path)
    assert result.code == 2
    assert "cannot create" in result.err


def test_init_writes_every_file_even_when_its_output_pipe_closes(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    # unbuffered, each line reaches the pipe at once: head exits and the next write fails
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(f"'{sys.executable}' -m sustain_lint init '{tmp_path}' | head -1",
                          shell=True, capture_output=True, text=True, timeout=120, env=env)
    assert proc.stdout.startswith("created ")
    assert len(list((tmp_path / ".artifacts" / "maintenance").iterdir())) == len(REQUIRED)
