"""``sustain-lint schema ARTIFACT``: the JSON Schema an editor can use, and
the README's editor snippet that points at it."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from sustain_lint.artifacts import ARTIFACTS
from tests._integration import tool
from tests.helpers import EXAMPLE, ROOT, SET, run_cli

TREE = [a.name for a in ARTIFACTS if a.format in ("json", "yaml")]
FRONT = [a.name for a in ARTIFACTS if a.format == "markdown" and a.schema]


@pytest.mark.parametrize("name", TREE + FRONT)
def test_schema_is_printed(name: str, tmp_path: Path) -> None:
    result = run_cli(["schema", name], tmp_path)
    assert result.code == 0, result.err
    schema = json.loads(result.out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "type" in schema


def test_schema_accepts_a_path(tmp_path: Path) -> None:
    result = run_cli(["schema", f"{SET}/runbook-index.json"], tmp_path)
    assert result.code == 0
    assert json.loads(result.out)["required"] == ["update_cadence", "runbooks"]


@pytest.mark.parametrize("name", ["backlog-register.csv", "nope.json", "reporting-spec.md"])
def test_schema_unknown_artifact_is_a_usage_error(name: str, tmp_path: Path) -> None:
    result = run_cli(["schema", name], tmp_path)
    assert result.code == 2
    assert "runbook-index.json" in result.err  # the choices are listed


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in TREE if n != "waivers.yaml"])
def test_the_example_validates_with_check_jsonschema(name: str, tmp_path: Path) -> None:
    """What an editor would do with the exported schema: the bundled example's
    files validate against it with a third-party validator."""
    schema = tmp_path / f"{name}.schema.json"
    schema.write_text(run_cli(["schema", name], tmp_path).out)
    proc = subprocess.run([tool("check-jsonschema"), "--schemafile", str(schema),
                           str(EXAMPLE / SET / name)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_editor_snippet(tmp_path: Path) -> None:
    """The README's VS Code settings name files `sustain-lint schema` writes."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```json\n(\{\n  \"yaml\.schemas\".*?)```", readme, re.S)
    assert block, "README shows the VS Code settings"
    settings = json.loads(block.group(1))
    commands = re.findall(r"^sustain-lint schema (\S+) > (\S+)$", readme, re.M)
    written = {out: name for name, out in commands}
    assert written
    for out, globs in {**settings["yaml.schemas"], **{
            m["url"]: m["fileMatch"] for m in settings["json.schemas"]}}.items():
        assert out.lstrip("./") in {w.lstrip("./") for w in written}, out
        assert all(g.endswith((".json", ".yaml")) for g in globs)
    for name, _ in commands:
        assert run_cli(["schema", name], tmp_path).code == 0
