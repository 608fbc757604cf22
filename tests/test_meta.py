"""The catalog is complete and documented: every code of evidence.md has a
rule with docs, a failing and a passing fixture case, and a unique code;
docs/rules.md is generated from the same text as `explain`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sustain_lint.model import Rule
from sustain_lint.ruledocs import markdown_catalog
from sustain_lint.rules import REGISTRY
from tests.helpers import FIXTURES, ROOT

SPEC = ROOT.parent / "shared" / "spec" / "evidence.md"
SPEC_COPY = ROOT / "tests" / "spec_catalog.md"  # the spec's catalog table, kept with the tests


def _catalog_rows(text: str) -> list[tuple[str, str, str, str]]:
    return re.findall(r"^\| (SL\d{3}) \| ([a-z0-9-]+) \| ([^|]+) \| ([EW]) \|", text, re.MULTILINE)


# The contract's catalog (the spec's table, kept with the tests) is the one list of codes.
SPEC_ROWS = _catalog_rows(SPEC_COPY.read_text(encoding="utf-8"))
# Codes the contract lists that no issue has delivered yet: each issue that lands a rule
# takes its code off this list; it is empty when the last one closes.
PENDING: set[str] = set()  # every code of the contract's catalog has landed
CATALOG_CODES = [code for code, *_ in SPEC_ROWS if code not in PENDING]


def test_registry_matches_the_catalog() -> None:
    assert list(REGISTRY) == sorted(CATALOG_CODES)


def test_pending_codes_are_in_the_catalog_and_not_yet_registered() -> None:
    spec_codes = {code for code, *_ in SPEC_ROWS}
    assert spec_codes >= PENDING, sorted(PENDING - spec_codes)
    assert not PENDING & set(REGISTRY), (
        f"{sorted(PENDING & set(REGISTRY))} landed: take them off PENDING in tests/test_meta.py")


def test_catalog_list_matches_the_spec() -> None:
    if SPEC.exists():  # the copy is current (the spec is not beside every checkout)
        assert _catalog_rows(SPEC.read_text(encoding="utf-8")) == SPEC_ROWS
    for code, name, gate, sev in SPEC_ROWS:
        if code in PENDING:
            continue
        rule = REGISTRY[code]
        assert rule.name == name, code
        assert rule.severity.value[0].upper() == sev, code
        if gate.strip().isdigit():
            assert rule.gate == int(gate), code
        else:
            assert rule.gate is None, code


@pytest.mark.parametrize("rule", list(REGISTRY.values()), ids=list(REGISTRY))
def test_rule_is_documented(rule: Rule) -> None:
    for part in ("summary", "what", "why", "fix", "example"):
        text = getattr(rule, part)
        assert isinstance(text, str) and len(text.strip()) >= 20 or part == "summary", (
            f"{rule.code}: `{part}` is missing or too short")
    assert rule.summary and not rule.summary.endswith(".")
    assert rule.check is not None or rule.code in {"SL001", "SL002", "SL003", "SL004",
                                                    "SL901", "SL902", "SL903"}


def _cases(code: str) -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name.startswith(code.lower() + "-"))


def _fires(case: Path, code: str) -> bool:
    return any(line.split()[0] == code for line in (case / "expected.txt").read_text().splitlines()
               if line and line.startswith("SL"))


@pytest.mark.parametrize("code", CATALOG_CODES)
def test_rule_has_failing_and_passing_fixtures(code: str) -> None:
    cases = _cases(code)
    failing = [c for c in cases if "-pass" not in c.name]
    passing = [c for c in cases if "-pass" in c.name] + [FIXTURES / "complete"]
    assert failing, f"{code}: no failing fixture case tests/fixtures/{code.lower()}-*"
    for case in failing:
        assert _fires(case, code), f"{case.name}: expected.txt has no {code} finding"
    for case in passing:
        assert not _fires(case, code), f"{case.name}: {code} fires on a passing case"
    if code not in {"SL001"}:
        assert any("-pass" in c.name for c in cases), (
            f"{code}: no passing fixture case tests/fixtures/{code.lower()}-pass-*")


def test_docs_rules_md_is_current() -> None:
    current = (ROOT / "docs" / "rules.md").read_text()
    assert current == markdown_catalog(list(REGISTRY.values())), (
        "docs/rules.md is stale: run `sustain-lint rules --format markdown > docs/rules.md`")


def test_rules_catalog_json_is_current() -> None:
    """`explain` reads the rule texts from the generated catalog (not the rule modules)."""
    from sustain_lint import ruledocs

    current = Path(ruledocs.CATALOG).read_text(encoding="utf-8")
    assert current == ruledocs.catalog_text(), (
        "sustain_lint/rules/catalog.json is stale: run `python -m sustain_lint.ruledocs`")


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_explain_from_the_catalog_is_the_rule_text(code: str) -> None:
    from sustain_lint import ruledocs

    found = ruledocs.catalog_entry(code.lower())
    assert found is not None
    assert ruledocs.explain_entry(found) == ruledocs.explain_text(REGISTRY[code])


_FINDING_LINE = re.compile(
    r"^(?:\S+/)?([^/\s:]+)(?::(\d+))?(?::(\d+))?: (SL\d{3}) \[(error|warning)\] (.+)$")


def _expected_findings(case: Path) -> list[tuple[str, str, str, str, str]]:
    """(file name, line, column, rule + severity, message) of a case's expected findings."""
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    out = []
    for head, message in zip(lines, lines[1:], strict=False):
        m = re.match(r"^(SL\d{3}) (\S+) (error|warning)", head)
        if not m:
            continue
        where = m.group(2).split(":")
        out.append((where[0].rsplit("/", 1)[-1], *(where[1:] + ["", ""])[:2],
                    f"{m.group(1)} {m.group(3)}", message.strip()))
    return out


_COMMIT = re.compile(r"\bcommit [0-9a-f]{7,40}\b")


@pytest.mark.parametrize("code", CATALOG_CODES)
def test_the_documented_example_is_real_output(code: str) -> None:
    """Each finding line of a rule's `example` is what the tool prints for one of the
    rule's failing fixture cases: file, line, column, severity and message. A commit's
    hash (SL106, SL107, SL313) is the one thing that may differ: a git fixture's commits
    hold the bundled example, so every change to it changes their hashes."""
    rule = REGISTRY[code]
    shown = [m for m in map(_FINDING_LINE.match, rule.example.splitlines()) if m and m.group(4) == code]
    assert shown, f"{code}: the example shows no finding line `file:line:col: {code} [sev] message`"
    real = {(*f[:4], _COMMIT.sub("commit <hash>", f[4])) for case in _cases(code)
            if "-pass" not in case.name for f in _expected_findings(case)}
    for m in shown:
        name, line, column, _, severity, message = m.groups()
        wanted = (name, line or "", column or "", f"{code} {severity}",
                  _COMMIT.sub("commit <hash>", message))
        assert wanted in real, (
            f"{code}: the example line is not the output of any failing fixture case "
            f"tests/fixtures/{code.lower()}-*:\n  {m.group(0)}\nclosest real findings:\n  "
            + "\n  ".join(f"{n}:{ln}:{c}: {r} {msg}" for n, ln, c, r, msg in sorted(real)
                          if n == name)[:1500])


def _gate_of_prefix(code: str) -> int | None | str:
    """What a code's prefix says of its gate: SL1xx-SL4xx gate 1-4, SL0xx "file" (the
    gate of the file it is about), SL9xx "rule" (the gate of the rule a waiver names)."""
    family = int(code[2])
    return {0: "file", 9: "rule"}.get(family, family if 1 <= family <= 4 else None)


# The contract's one exception: SL107 (approval history unavailable) is an SL1xx code of the
# file's gate, since it speaks for SL106 (the charter, gate 1) and SL313 (the release
# policy, gate 3) alike.
PREFIX_EXCEPTIONS: dict[str, int | str] = {"SL107": "file"}


@pytest.mark.parametrize("code", [c for c, *_ in SPEC_ROWS])
def test_a_codes_prefix_is_its_gate(code: str) -> None:
    spec_gate = {c: g.strip() for c, _, g, _ in SPEC_ROWS}[code]
    by_prefix = PREFIX_EXCEPTIONS.get(code, _gate_of_prefix(code))
    assert by_prefix is not None, f"{code}: SL{code[2]}xx names no gate"
    if isinstance(by_prefix, int):
        assert spec_gate == str(by_prefix), f"{code} is listed for gate {spec_gate}"
    else:
        assert spec_gate == f"{by_prefix}'s", code
    if code in REGISTRY:
        rule = REGISTRY[code]
        assert rule.gate == (by_prefix if isinstance(by_prefix, int) else None), code


def test_the_tests_unknown_code_lies_outside_the_catalog() -> None:
    from tests.helpers import UNKNOWN_CODE

    assert _gate_of_prefix(UNKNOWN_CODE) is None
    assert UNKNOWN_CODE not in {c for c, *_ in SPEC_ROWS}
