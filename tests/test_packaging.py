"""rules/ and schemas/ ship inside the package: a wheel installed into a fresh
virtual environment judges a set; the light commands never import pandas."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE, ROOT, TODAY, modules_imported


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kw)  # type: ignore[call-overload,no-any-return]


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)])
    assert built.returncode == 0, built.stderr[-2000:]
    wheels = list(dist.glob("sustain_lint-*.whl"))
    assert len(wheels) == 1
    names = _run([sys.executable, "-m", "zipfile", "-l", str(wheels[0])]).stdout
    assert "sustain_lint/schemas/runbook-index.json" in names
    assert "sustain_lint/rules/capacity.py" in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    installed = _run([str(py), "-m", "pip", "install", "--quiet", str(wheels[0])])
    assert installed.returncode == 0, installed.stderr[-2000:]

    work = tmp_path / "elsewhere"  # not the checkout: the installed package must be used
    work.mkdir()
    where = _run([str(py), "-c", "import sustain_lint; print(sustain_lint.__file__)"], cwd=work)
    assert str(env_dir) in where.stdout
    exe = env_dir / "bin" / "sustain-lint"
    ok = _run([str(exe), "--gate", "4", "--today", TODAY, str(EXAMPLE)], cwd=work)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "[PROTOCOL COMPLETE]" in ok.stdout
    schema = _run([str(exe), "schema", "runbook-index.json"], cwd=work)
    assert schema.returncode == 0 and '"$id"' in schema.stdout
    explained = _run([str(exe), "explain", "SL111"], cwd=work)  # from rules/catalog.json
    assert explained.returncode == 0 and "How to fix" in explained.stdout
    broken = tmp_path / "broken"
    broken.mkdir()
    failed = _run([str(exe), "--gate", "4", "--today", TODAY, str(broken)], cwd=work)
    assert failed.returncode == 1
    assert "SL001" in failed.stdout


def test_editable_install_is_the_checkout() -> None:
    import sustain_lint

    assert Path(sustain_lint.__file__).resolve().parent == ROOT / "sustain_lint"


@pytest.mark.parametrize("args", [["--version"], ["rules"], ["explain", "SL111"],
                                  ["rules", "--format", "json"]])
def test_light_commands_do_not_import_heavy_dependencies(args: list[str]) -> None:
    heavy = ("pandas", "pandera", "numpy", "jsonschema", "markdown_it")
    assert modules_imported(args, ROOT, heavy) == []
