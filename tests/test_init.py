"""``sustain-lint init [DIR]``: schema-valid templates that still fail the
content rules a person must satisfy; never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from sustain_lint.artifacts import REQUIRED, WAIVERS
from sustain_lint.rules import REGISTRY
from tests.helpers import SET, TODAY, run_cli

# Content rules the templates must trip (each only if the rule exists yet).
EXPECTED = {"SL006", "SL101", "SL103", "SL104", "SL111", "SL121", "SL202", "SL213", "SL214",
            "SL302", "SL311", "SL312", "SL401", "SL411", "SL412", "SL421"}


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


def test_first_lint_after_init_lists_every_section_still_to_be_written(tmp_path: Path) -> None:
    """The templates' sections hold only a `<!-- ... -->` comment: each is empty
    (evidence.md §2, "written content"), and the first run names every one of them."""
    import re

    from sustain_lint.artifacts import CHARTER, RELEASE

    assert run_cli(["init"], tmp_path).code == 0
    lint = run_cli(["--today", TODAY, "--format", "json", "."], tmp_path)
    findings = lint.json["sets"][0]["findings"]
    for artifact, rule in ((CHARTER, "SL104"), (RELEASE, "SL311")):
        text = (tmp_path / SET / artifact).read_text(encoding="utf-8")
        # the sections of the template with no table: the ones a person must write
        sections = [m.group(1) for m in re.finditer(r"^## (.+)\n<!--[^\n]*-->\n*(?=##|\Z)",
                                                     text, re.M)]
        assert len(sections) >= 4, sections
        for title in sections:
            hits = [f for f in findings if f["rule"] == rule and f["path"].endswith(artifact)
                    and f"'{title}'" in f["message"] and "is empty" in f["message"]]
            assert len(hits) == 1, (artifact, title)


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


def test_init_refuses_an_artifacts_folder_that_is_a_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "maintenance").mkdir(parents=True)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".artifacts").symlink_to(elsewhere)
    result = run_cli(["init", "repo"], tmp_path)
    assert result.code == 2 and result.out == ""
    assert result.err == ("sustain-lint init: repo/.artifacts is a symbolic link; init never "
                          "writes through a link\n")
    assert list((elsewhere / "maintenance").iterdir()) == []


@pytest.mark.parametrize("dangling", [False, True])
def test_init_refuses_a_set_folder_that_is_a_link(tmp_path: Path, dangling: bool) -> None:
    elsewhere = tmp_path / "elsewhere"
    if not dangling:
        elsewhere.mkdir()
    (tmp_path / ".artifacts").mkdir()
    (tmp_path / SET).symlink_to(elsewhere)
    result = run_cli(["init"], tmp_path)
    assert result.code == 2 and result.out == ""
    assert result.err == (f"sustain-lint init: {SET} is a symbolic link; init never writes "
                          "through a link\n")
    assert (list(elsewhere.iterdir()) == []) if not dangling else not elsewhere.exists()


def test_a_link_at_a_template_path_is_skipped_never_followed(tmp_path: Path) -> None:
    folder = tmp_path / SET
    folder.mkdir(parents=True)
    victim = tmp_path / "victim.md"
    victim.write_text("precious\n")
    (folder / "maintenance-charter.md").symlink_to(victim)
    (folder / "release-policy.md").symlink_to(tmp_path / "nowhere" / "x.md")  # dangling
    (folder / "review-calendar.md").symlink_to(tmp_path)  # a folder
    result = run_cli(["init"], tmp_path)
    assert result.code == 0, result.err
    for name in ("maintenance-charter.md", "release-policy.md", "review-calendar.md"):
        assert f"skipped {SET}/{name} (exists)\n" in result.out
        assert (folder / name).is_symlink()
    assert victim.read_text() == "precious\n"
    assert not (tmp_path / "nowhere").exists()
    assert result.out.count("created ") == len(REQUIRED) - 3


def test_init_leaves_no_half_written_template(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "--mount", "true"], capture_output=True, check=False).returncode:
        pytest.skip("unshare --mount is not permitted here")
    disk = tmp_path / "disk"
    disk.mkdir()
    # a 16 KB tmpfs: the first templates fit, then ENOSPC
    proc = subprocess.run(["unshare", "--mount", "sh", "-c", """
        mount -t tmpfs -o size=16k tmpfs "$DISK" || exit 99
        "$PY" -m sustain_lint init "$DISK"
        echo "exit=$?"
        cd "$DISK/.artifacts/maintenance" && for f in *; do
            "$PY" -c "import sys; open(sys.argv[1], encoding='utf-8').read()" "$f" || echo "bad $f"
        done
        ls | wc -l
    """], capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PY": sys.executable, "DISK": str(disk)})
    lines = proc.stdout.splitlines()
    assert "exit=2" in lines, proc.stdout + proc.stderr
    assert "No space left on device" in proc.stderr and proc.stderr.count("\n") == 1
    assert not [line for line in lines if line.startswith("bad ")]
    created = [line for line in lines if line.startswith("created ")]
    assert 0 < len(created) < len(REQUIRED) and int(lines[-1]) == len(created)
