"""The one table of output formats (sustain_lint.reporters.FORMATS_TABLE) is what the
command line, the docs and the reporters agree on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sustain_lint.reporters import FORMATS, FORMATS_TABLE, Format, get_reporter, get_summary_writer
from tests.helpers import EXAMPLE, ROOT, TODAY, run_cli


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_of_the_table_is_offered_and_renders(fmt: str, tmp_path: Path) -> None:
    out = run_cli(["--today", TODAY, "--format", fmt, "."], EXAMPLE)
    assert out.code == 0, out.err
    assert out.out.strip()
    assert callable(get_reporter(fmt))


@pytest.mark.parametrize("fmt", [f for f in FORMATS_TABLE if f.file_option], ids=lambda f: f.name)
def test_a_file_option_writes_that_format(fmt: Format, tmp_path: Path) -> None:
    name = fmt.name
    target = tmp_path / f"report.{name}"
    out = run_cli(["--today", TODAY, f"--{name}-file", str(target), "."], EXAMPLE)
    assert out.code == 0, out.err
    expected = run_cli(["--today", TODAY, "--format", name, "."], EXAMPLE).out
    assert target.read_text(encoding="utf-8") == expected


def test_the_command_line_offers_exactly_the_table() -> None:
    usage = run_cli(["--help"], ROOT).out
    # up to 3.12 `--format {...}`; from 3.13 `-f, --format, --output-format {...}`
    choices = re.search(r"--format\b[^{\n]*\{([a-z,]+)\}", usage)
    assert choices is not None, usage
    assert tuple(choices.group(1).split(",")) == FORMATS
    offered = set(re.findall(r"--([a-z]+)-file\b", usage))
    assert offered == {f.name for f in FORMATS_TABLE if f.file_option}


def test_an_unknown_format_is_a_usage_error() -> None:
    out = run_cli(["--format", "xml", "."], EXAMPLE)
    assert out.code == 2 and "invalid choice: 'xml'" in out.err


def test_the_readme_names_every_format() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"--format ([a-z|]+)\]", readme)
    assert line is not None
    assert set(line.group(1).split("|")) == set(FORMATS)


def test_only_the_github_format_writes_a_step_summary() -> None:
    assert [f.name for f in FORMATS_TABLE if get_summary_writer(f.name) is not None] == ["github"]


def test_the_formats_that_render_where_the_sets_are_judged() -> None:
    """Only html renders each set's part in the worker (``PREPARE``) and writes its file
    from those parts' bytes (``ENCODED``); a module has the hook exactly when its row
    says so (the CLI looks the hooks up through the table)."""
    import importlib

    from sustain_lint.reporters import get_encoded_reporter, get_preparer

    assert [f.name for f in FORMATS_TABLE if get_preparer(f.name) is not None] == ["html"]
    assert [f.name for f in FORMATS_TABLE if get_encoded_reporter(f.name) is not None] == ["html"]
    for f in FORMATS_TABLE:
        module = importlib.import_module(f"sustain_lint.reporters.{f.module}")
        assert hasattr(module, "PREPARE") == f.prepare and hasattr(module, "ENCODED") == f.encoded
        assert not f.prepare or f.details  # what it renders there reads the sets' details
