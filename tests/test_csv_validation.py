"""SL003 on CSV judges each column's distinct values with pandera; whether
the columns share one padded frame or each has its own, the verdicts agree."""

from __future__ import annotations

import pytest

from sustain_lint import validation

SPECS = {
    "due": {"type": "date"},
    "status": {"required": True, "enum": ["open", "done"]},
    "tz": {"type": "timezone"},
    "cov": {"type": "coverage"},
    "n": {"type": "number"},
}
VALUES = {
    "due": ["2026-01-01", "bad", "", "2026-02-30"],
    "status": ["", "open", "nope"],
    "tz": ["Mars/Base"],
    "cov": ["Mon-Fri 09:00-17:00", "whenever"],
    "n": ["1", "-1", "x", "0.5", ""],
}
EXPECTED = {
    "due": {"bad": "date", "2026-02-30": "date"},
    "status": {"": "required", "nope": "enum"},
    "tz": {"Mars/Base": "timezone"},
    "cov": {"whenever": "coverage"},
    "n": {"-1": "number", "x": "number"},
}


@pytest.mark.parametrize("shared_max", [0, 2, 4096])
def test_verdicts_do_not_depend_on_frames(monkeypatch: pytest.MonkeyPatch, shared_max: int) -> None:
    monkeypatch.setattr(validation, "_SHARED_FRAME_MAX", shared_max)
    assert validation._failing_values(VALUES, SPECS) == EXPECTED


def test_no_values_no_verdicts() -> None:
    assert validation._failing_values({"due": []}, {"due": {"type": "date"}}) == {}
