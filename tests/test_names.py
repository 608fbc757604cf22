"""The one placeholder matcher and name comparison of evidence.md §2 (sustain_lint.names)."""

from __future__ import annotations

import unicodedata

import pytest

from sustain_lint.names import is_placeholder, is_written, normalise_name

PLACEHOLDERS = [
    None, "", "   ", "TBD", "tbd", "TBD.", "(tbd)", "[TODO]", "TBD - ask Anna", "TODO: assign",
    "<owner>", "[name]", "—", "…", "...", "-", "--", "?", "n/a", "N/A", "na", "none", "None.",
    "nobody", "Unassigned", "unknown", "pending", "placeholder", "CHANGEME", "FIXME", "xxx",
    "TBC", "tba", "'TBD'", '"tbd"', "**TBD**", "`TBD`", "<!-- owner -->", "TBD ask Anna",
    "Unassigned (hiring in Q1)", "<your name here>", "[Team Name]", "TODO: write this",
    "<!-- what the maintenance must achieve -->\n\nTBD", "- TBD\n- TODO", "> ...",
    "Pending - hire", "n/a - no one", "ＴＢＤ".replace("ＴＢＤ", "TBD"),
]
NAMES = [
    "Dana Whitfield", "Na Li", "None of the customers are affected", "Pending Smith",
    "Unknown Pleasures Ltd", "L2 On-call Engineer", "dana@example.com", "<dana@example.com>",
    "<https://status.example.com>", "pagerduty:payments-oncall", "Support Lead (TBD later)",
    "Todd", "Nadia", "NATO liaison", "[Dana](mailto:dana@example.com)", "0", "García",
]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholders(value: str | None) -> None:
    assert is_placeholder(value)
    assert not is_written(value)


@pytest.mark.parametrize("value", NAMES)
def test_names_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)
    assert is_written(value)


def test_names_compare_after_nfc_case_folding_and_white_space() -> None:
    composed = "García"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert normalise_name(decomposed) == normalise_name(composed) == "garcía"
    assert normalise_name("  Priya \t RAMAN ") == normalise_name("priya raman")
    assert normalise_name("STRASSE") == normalise_name("straße")


@pytest.mark.parametrize("size", [1 << 20])
def test_linear_on_a_long_value(size: int) -> None:
    import time

    for text in ("TBD " + "a" * size, "<" * size, "<!--" * size, "[" + " " * size,
                 "<a " + "b" * size, "-" * size + "x"):
        start = time.process_time()
        is_placeholder(text)
        assert time.process_time() - start < 1.0


def test_every_owner_field_has_a_rule_that_reports_its_placeholders() -> None:
    from sustain_lint.rules import REGISTRY
    from sustain_lint.rules._fields import FIELDS, PLACEHOLDER_FIELDS

    assert all(field.missing in REGISTRY for field in FIELDS)
    # SL006 speaks exactly for the fields of its catalog row (evidence.md §5)
    assert {(f.artifact, f.where[-2] if f.where[-1] == "[]" else f.where[-1])
            for f in PLACEHOLDER_FIELDS} == {
        ("maintenance-charter.md", "owner"), ("runbook-index.json", "owner"),
        ("tooling-access-checklist.json", "owners"), ("support-workflow.yaml", "role"),
        ("capacity-analysis.csv", "name")}
