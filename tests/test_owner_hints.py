"""SL005's "did you mean": only a close spelling of the same name (evidence.md §5, SL005),
whether the roster is small (difflib itself) or large (the bounded search)."""

from __future__ import annotations

import pytest

from sustain_lint.rules.owners import _Closest

ROSTER = ["Priya Raman", "Diego Álvarez", "Aisha Bello", "Engineering Manager", "Support Lead",
          "L2 On-call Engineer", "Head of Operations"]
FILLER = [f"Person {chr(65 + i % 26)}{i:03d} Example" for i in range(200)]


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize(("written", "hint"), [
    ("Priya Ramen", "Priya Raman"),
    ("priya  RAMAN", "Priya Raman"),
    ("Diego Alvarez", "Diego Álvarez"),
    ("Aisha B.", "Aisha Bello"),
    ("Suport Lead", "Support Lead"),
    ("VP Engineering", None),
    ("Engineering Director", None),
    ("Support Manager", None),
    ("Zed Nobody", None),
])
def test_a_hint_is_a_close_spelling_of_the_same_name(size: str, written: str,
                                                      hint: str | None) -> None:
    names = ROSTER if size == "small" else ROSTER + FILLER
    assert _Closest(sorted(names)).best(written) == hint
