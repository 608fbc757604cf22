"""Robustness on real calendars: the public test calendars of icalendar and
recurring-ical-events (vendored under tests/conformance/, see their SOURCE.md and
licences), each an on-call export of the bundled example's set. No exception, no
hang, no exit 3: each is read, or refused with a finding."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sustain_lint.artifacts import DEFAULT_ARTIFACTS_DIR
from sustain_lint.loaders.ical_loader import load_ical
from tests.helpers import copy_example

CONFORMANCE = Path(__file__).resolve().parent / "conformance"
CALENDARS = sorted(CONFORMANCE.glob("*/*.ics"))


def test_the_vendored_calendars_are_there() -> None:
    assert len(CALENDARS) > 250
    for folder in ("icalendar", "recurring-ical-events"):
        assert (CONFORMANCE / folder / "SOURCE.md").is_file()
        assert any((CONFORMANCE / folder).glob("LICENSE*"))


def test_each_calendar_is_read_or_refused_with_a_finding() -> None:
    """The reader alone, file by file: a document or a located problem, never an
    exception, and within a second each."""
    for path in CALENDARS:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue  # the engine's reader makes this SL002 before any loader runs
        started = time.perf_counter()
        loaded = load_ical(text, path.name)
        assert time.perf_counter() - started < 5, path.name
        assert loaded.document is not None or any(p.code == "SL002" for p in loaded.problems)


@pytest.mark.parametrize("today", ["2026-11-22", "2019-03-01"])
def test_every_calendar_as_an_export_of_one_set(tmp_path: Path, today: str) -> None:
    """All of them in one set, judged by the real CLI in a subprocess (a hang is a
    timeout): exit 0 or 1, no traceback. 2019: the horizon where the calendars'
    events are, so that their recurrences are expanded."""
    repo = copy_example(tmp_path / "repo")
    folder = repo / DEFAULT_ARTIFACTS_DIR
    for number, path in enumerate(CALENDARS):
        shutil.copyfile(path, folder / f"oncall-{number:03d}-{path.stem[:40]}.ics")
    proc = subprocess.run([sys.executable, "-m", "sustain_lint", "--today", today,
                           "--format", "json", "."], cwd=repo, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
