"""The composite GitHub Action: its metadata validates, the example workflow
passes actionlint, inputs reach scripts only through ``env:``, and the
action's own ``run:`` steps work under a simulated runner."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sysconfig
import venv
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests._integration import SCENARIOS, snapshot, tool
from tests.helpers import ROOT, SET, TODAY

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "workflows" / "sustain-lint.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACTION.read_text())
    return data


@pytest.mark.slow
def test_action_metadata_schema() -> None:
    proc = subprocess.run([tool("check-jsonschema"), "--builtin-schema",
                           "vendor.github-actions", str(ACTION)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_example_workflow_passes_actionlint() -> None:
    proc = subprocess.run([tool("actionlint"), "-no-color", str(WORKFLOW)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_example_workflow_uses_the_action_and_uploads_sarif() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text())
    job = next(iter(flow["jobs"].values()))
    assert job["permissions"]["security-events"] == "write"
    uses = [s.get("uses", "") for s in job["steps"]]
    assert any(u.startswith("sustain-lint/sustain-lint@") for u in uses)
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the whole history: approval freshness
    upload = next(s for s in job["steps"] if "upload-sarif" in s.get("uses", ""))
    assert "steps.sustain-lint.outputs.sarif-file" in upload["with"]["sarif_file"]
    readme = (ROOT / "README.md").read_text()
    assert WORKFLOW.read_text() in readme  # the README shows this very file


def test_interface() -> None:
    meta = action()
    assert meta["runs"]["using"] == "composite"
    assert set(meta["inputs"]) == {"path", "gate", "strict", "sarif-file", "python-version"}
    assert set(meta["outputs"]) == {"sarif-file", "result"}
    steps = meta["runs"]["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    for step in steps:
        if "run" in step:
            assert "${{" not in step["run"], f"expression inside run: of {step.get('name')}"
            assert step["shell"] == "bash"
    # pip's downloads are cached, keyed on the action's own pyproject.toml
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"] == {"path": "${{ steps.pip-cache.outputs.dir }}",
                             "key": "${{ steps.pip-cache.outputs.key }}"}
    assert [s.get("id") for s in steps].index("pip-cache") < steps.index(cache)


def test_the_pip_cache_key_follows_the_action_pyproject(tmp_path: Path) -> None:
    """The key step, run as the runner runs it: the key changes with the action's
    pyproject.toml (a new dependency list), and with nothing in the workspace."""
    step = next(s for s in action()["runs"]["steps"] if s.get("id") == "pip-cache")

    def key(action_dir: Path) -> dict[str, str]:
        output = tmp_path / "out"
        output.write_text("")
        workspace = tmp_path / "workspace"
        workspace.mkdir(exist_ok=True)
        env = {**os.environ, "GITHUB_OUTPUT": str(output), "RUNNER_OS": "Linux",
               "ACTION_PATH": str(action_dir)}
        subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                       cwd=workspace, env=env, check=True, capture_output=True, text=True)
        return dict(line.split("=", 1) for line in output.read_text().splitlines() if line)

    first = tmp_path / "a"
    first.mkdir()
    (first / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    before = key(first)
    assert before["key"].startswith("sustain-lint-pip-Linux-py") and before["dir"]
    assert key(first) == before  # stable
    (first / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text() + "\n# x\n")
    assert key(first)["key"] != before["key"]


# --- the simulated runner -------------------------------------------------

def evaluate(value: str, context: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        assert key in context, f"unexpected expression {key!r} in env:"
        return context[key]

    return EXPRESSION.sub(sub, value)


@pytest.fixture(scope="module")
def runner_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What actions/setup-python provides: a Python on PATH without
    sustain-lint. Dependencies come from this test environment (PYTHONPATH),
    so the action's pip install only has to build the project (PIP_NO_DEPS)."""
    where = tmp_path_factory.mktemp("runner-python")
    venv.create(where, with_pip=True)
    return where / ("Scripts" if os.name == "nt" else "bin")


@pytest.fixture(scope="module")
def action_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot(tmp_path_factory.mktemp("action"))


def run_action(workspace: Path, inputs: dict[str, str], bindir: Path, action_dir: Path,
               tmp: Path) -> tuple[int, str, dict[str, str], str]:
    meta = action()
    values = {name: str(spec.get("default", "")) for name, spec in meta["inputs"].items()}
    values.update(inputs)
    context = {f"inputs.{k}": v for k, v in values.items()}
    context["github.action_path"] = str(action_dir)
    summary = tmp / "step_summary"
    summary.write_text("")
    outputs: dict[str, str] = {}
    env = {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
        "PIP_NO_DEPS": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GITHUB_ACTIONS": "true",
        "GITHUB_ACTION_PATH": str(action_dir),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp),
    }
    env.pop("VIRTUAL_ENV", None)
    log, code = [], 0
    for step in meta["runs"]["steps"]:
        if "uses" in step:
            continue  # actions/setup-python: the runner Python is already on PATH
        output = tmp / f"github_output_{step.get('id', 'step')}"  # each step its own, as
        output.write_text("")  # the runner gives them
        step_env = {**env, "GITHUB_OUTPUT": str(output),
                    **{k: evaluate(str(v), context) for k, v in (step.get("env") or {}).items()}}
        script = tmp / "step.sh"
        script.write_text(step["run"])
        if step.get("id") != "lint" and (bindir / "sustain-lint").exists():
            continue  # installed by an earlier scenario of this module
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=workspace, env=step_env, capture_output=True, text=True,
                              timeout=600)
        log.append(proc.stdout)
        code = proc.returncode
        if step.get("id") != "lint":
            assert code == 0, proc.stdout + proc.stderr
        else:  # the action's outputs are the lint step's
            outputs = dict(line.split("=", 1) for line in output.read_text().splitlines()
                           if line)
    return code, "".join(log), outputs, summary.read_text()


@pytest.mark.slow
def test_action_on_a_failing_set(tmp_path: Path, runner_python: Path, action_path: Path) -> None:
    workspace = SCENARIOS["failing"](tmp_path / "workspace")
    (workspace / ".sustain-lint.toml").write_text(f'today = "{TODAY}"\n')
    code, log, outputs, summary = run_action(
        workspace, {"gate": "4"}, runner_python, action_path, tmp_path)
    assert code == 1
    # by default the report goes to runner.temp, never into the checkout
    assert outputs == {"result": "failed", "sarif-file": str(tmp_path / "sustain-lint.sarif")}
    assert not (workspace / "sustain-lint.sarif").exists()
    sarif = json.loads((tmp_path / "sustain-lint.sarif").read_text())
    assert sarif["runs"][0]["results"]
    assert re.search(rf"^::error file={re.escape(SET)}/tooling-access-checklist\.json,line=3,"
                     r"col=25,title=SL003::", log, re.M)
    assert "| 1 Charter & Capacity | ❌ failed |" in summary
    # the installed sustain-lint is the action's own checkout, not the test's
    installed = subprocess.run([str(runner_python / "python"), "-c",
                                "import sustain_lint; print(sustain_lint.__file__)"],
                               capture_output=True, text=True, cwd=workspace,
                               env={**os.environ, "PYTHONPATH": ""}).stdout
    assert str(runner_python.parent) in installed


@pytest.mark.slow
def test_action_on_a_passing_set(tmp_path: Path, runner_python: Path, action_path: Path) -> None:
    workspace = SCENARIOS["passing"](tmp_path / "workspace")
    (workspace / ".sustain-lint.toml").write_text(f'today = "{TODAY}"\n')
    code, log, outputs, summary = run_action(
        workspace, {"strict": "true", "sarif-file": "report.sarif", "path": "."},
        runner_python, action_path, tmp_path)
    assert code == 0, log
    assert outputs == {"result": "passed", "sarif-file": "report.sarif"}
    assert (workspace / "report.sarif").exists()
    # no annotation: the only commands are the ::stop-commands::TOKEN ... ::TOKEN:: pair
    # around the plain log lines
    commands = [line for line in log.splitlines() if line.startswith("::")]
    token = commands[0].removeprefix("::stop-commands::") if commands else ""
    assert commands == [f"::stop-commands::{token}", f"::{token}::"], commands
    assert "✅ passed" in summary


@pytest.mark.slow
def test_a_link_planted_in_the_checkout_is_never_written_through(
        tmp_path: Path, runner_python: Path, action_path: Path) -> None:
    workspace = SCENARIOS["passing"](tmp_path / "workspace")
    (workspace / ".sustain-lint.toml").write_text(f'today = "{TODAY}"\n')
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    for name in ("sustain-lint.sarif", "report.sarif"):
        (workspace / name).symlink_to(victim)
    code, log, outputs, _ = run_action(workspace, {}, runner_python, action_path, tmp_path)
    assert code == 0 and outputs["sarif-file"] == str(tmp_path / "sustain-lint.sarif"), log
    assert (workspace / "sustain-lint.sarif").is_symlink()  # not even looked at
    json.loads((tmp_path / "sustain-lint.sarif").read_text())
    # a path in the checkout, given on purpose: the planted link is replaced, not followed
    code, log, outputs, _ = run_action(workspace, {"sarif-file": "report.sarif"},
                                       runner_python, action_path, tmp_path)
    assert code == 0 and outputs["sarif-file"] == "report.sarif", log
    assert not (workspace / "report.sarif").is_symlink()
    json.loads((workspace / "report.sarif").read_text())
    assert victim.read_text() == "precious\n"


@pytest.mark.slow
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_paths_one_per_line_may_hold_spaces(tmp_path: Path, runner_python: Path,
                                            action_path: Path, newline: str) -> None:
    workspace = tmp_path / "workspace"
    SCENARIOS["passing"](workspace / "service one")
    SCENARIOS["failing"](workspace / "service two")
    SCENARIOS["failing"](workspace / "not named")  # a set the input does not name
    (workspace / ".sustain-lint.toml").write_text(f'today = "{TODAY}"\n')
    code, log, outputs, summary = run_action(
        workspace, {"path": newline.join(["service one", "", "service two", ""])},
        runner_python, action_path, tmp_path)
    assert code == 1 and outputs["result"] == "failed", log
    assert re.search(rf"^::error file=service two/{re.escape(SET)}/tooling-access-checklist\.json,",
                     log, re.M)
    assert "not named" not in log + summary
    assert f"sustain-lint: service one/{SET}\n" in log


@pytest.mark.slow
def test_paths_on_one_line_are_split_on_spaces(tmp_path: Path, runner_python: Path,
                                               action_path: Path) -> None:
    workspace = tmp_path / "workspace"
    SCENARIOS["passing"](workspace / "a")
    SCENARIOS["passing"](workspace / "b")
    (workspace / ".sustain-lint.toml").write_text(f'today = "{TODAY}"\n')
    code, log, outputs, summary = run_action(
        workspace, {"path": "a  b"}, runner_python, action_path, tmp_path)
    assert code == 0 and outputs["result"] == "passed", log
    assert f"sustain-lint: a/{SET}\n" in log and f"sustain-lint: b/{SET}\n" in log


@pytest.mark.slow
def test_hostile_inputs_stay_data(tmp_path: Path, runner_python: Path, action_path: Path) -> None:
    workspace = SCENARIOS["passing"](tmp_path / "workspace")
    (workspace / ".sustain-lint.toml").write_text(f'today = "{TODAY}"\n')
    code, log, outputs, _ = run_action(
        workspace, {"path": ". $(touch pwned1) `touch pwned2`", "gate": "4; touch pwned3"},
        runner_python, action_path, tmp_path)
    assert not list(workspace.glob("pwned*")) and not list(tmp_path.glob("pwned*"))
    assert code == 2 and outputs["result"] == "error"  # a bad --gate is a usage error


@pytest.mark.slow
def test_sarif_file_with_a_newline_is_refused(tmp_path: Path, runner_python: Path,
                                              action_path: Path) -> None:
    workspace = SCENARIOS["passing"](tmp_path / "workspace")
    code, log, outputs, _ = run_action(
        workspace, {"sarif-file": "x.sarif\nresult=passed"}, runner_python, action_path,
        tmp_path)
    assert code == 2 and outputs == {}
    assert "::error title=sustain-lint::" in log
