"""The YAML loader reads what ``yaml.safe_load`` reads (module docstring of
``sustain_lint.loaders.yaml_loader``): core tags convert or refuse as safe_load does
(refusal is SL002 with a location, never an internal error), merge keys merge as in
safe_load and keep positions, U+0085/U+2028/U+2029 never shift a line, and only
values that aliases repeat count towards the alias limit."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from sustain_lint.artifacts import WORKFLOW
from sustain_lint.loaders.yaml_loader import MAX_NODES, parse_yaml
from tests.helpers import SET, TODAY, copy_example, run_cli


def _safe(text: str) -> Any:
    return yaml.load(text, Loader=yaml.SafeLoader)  # the pure-Python reader safe_load uses


@pytest.mark.parametrize("value, tag", [
    ("!!bool maybe", "!!bool"), ("!!int ''", "!!int"), ("!!float ''", "!!float"),
    ("!!map x", "!!map"), ("!!seq x", "!!seq"), ("!!int abc", "!!int"),
    ("!!float abc", "!!float"), ("!!bool ''", "!!bool"), ("!!timestamp tomorrow", "!!timestamp"),
    ("!!timestamp 2026-02-30", "!!timestamp"), ("!!int 1.5", "!!int"),
])
def test_a_core_tag_that_cannot_convert_is_refused_as_safe_load_refuses_it(
        value: str, tag: str) -> None:
    text = f"a: 1\nkind: {value}\n"
    with pytest.raises(Exception):  # noqa: B017, PT011 - safe_load's errors are of all kinds
        _safe(text)
    loaded = parse_yaml(text, WORKFLOW)
    assert loaded.document is None
    [problem] = loaded.problems
    assert problem.code == "SL002"
    assert (problem.location.line, problem.location.column) == (2, 7)
    assert tag in problem.message


@pytest.mark.parametrize("value", [
    "!!int 12", "!!int 0x1F", "!!int 1_000", "!!float 1.5", "!!float 3", "!!bool yes",
    "!!bool False", "!!str 12", "!!str", "!!null ''", "!!null x", "!!str true", "! 12",
    "!!map {a: 1}", "!!seq [1, 2]",
])
def test_a_core_tag_that_converts_reads_as_safe_load_reads_it(value: str) -> None:
    text = f"kind: {value}\n"
    loaded = parse_yaml(text, "x.yaml")
    assert loaded.problems == []
    assert loaded.document.data == _safe(text)


MERGES = [
    "base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n",
    "base: &b {x: 1, y: 2}\nc:\n  y: 3\n  <<: *b\n",
    "a: &a {x: 1}\nb: &b {z: 3}\nc:\n  <<: [*a, *b]\n",
    "a: &a {x: 1}\nb: &b {x: 2, z: 3}\nc:\n  <<: [*b, *a]\n  x: 0\n",
    "c: {<<: {x: 1, y: [1, 2]}, y: 2}\n",
    "a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: {<<: *b, z: 3}\n",
    "list:\n  - &one {id: 1, owner: Ann}\n  - {<<: *one, id: 2}\n",
    "c: {'<<': 1, \"<<\": 2}\n",
]


@pytest.mark.parametrize("text", MERGES)
def test_merge_keys_read_as_safe_load_reads_them(text: str) -> None:
    loaded = parse_yaml(text, "x.yaml")
    if '"<<"' in text:  # a quoted << is a plain key: written twice, a duplicate
        assert [p.code for p in loaded.problems] == ["SL004"]
    else:
        assert loaded.problems == []
    assert loaded.document.data == _safe(text)
    assert list(loaded.document.data) == list(_safe(text))  # and in its order


@pytest.mark.parametrize("text, merged", [
    # the merge key's own rule (yaml.org/type/merge.html), as PyYAML read it up to 6.0.2:
    # of a list, the earlier mapping wins. (PyYAML 6.0.4 lets the later one win, unless the
    # key's text is a string Python interns, such as `x`: it depends on the key's spelling.)
    ("a: &a {owner_name: 1}\nb: &b {owner_name: 2, z: 3}\nc: {<<: [*a, *b]}\n",
     {"owner_name": 1, "z": 3}),
    ("a: &a {x: 1}\nb: &b {x: 2}\nc: {<<: [*a, *b]}\n", {"x": 1}),
    # two merge keys in one mapping (a repeated key, which YAML forbids): the later wins
    ("a: &a {owner_name: 1}\nb: &b {owner_name: 2}\nc: {<<: *a, <<: *b}\n",
     {"owner_name": 2}),
])
def test_between_merged_mappings_the_merge_rule_decides(text: str, merged: Any) -> None:
    loaded = parse_yaml(text, "x.yaml")
    assert loaded.problems == []
    assert loaded.document.data["c"] == merged


def test_a_merged_key_is_located_at_its_merge_key() -> None:
    text = "base: &b\n  owner: Ann\n  queue: x\nc:\n  name: C\n  <<: *b\n  queue: y\n"
    doc = parse_yaml(text, "x.yaml").document
    assert doc.data["c"] == {"name": "C", "owner": "Ann", "queue": "y"}
    assert (doc.locate("/c/owner").line, doc.locate("/c/owner").column) == (6, 3)
    assert doc.locate("/c/queue").line == 7  # its own key wins, where it is written
    assert doc.locate("/c/name").line == 5
    assert doc.locate("/base/owner").line == 2


@pytest.mark.parametrize("text, where", [
    ("a: {<<: 1}\n", (1, 5)), ("a: {<<: [x]}\n", (1, 5)), ("<<: 1\n", (1, 1)), ("a: [<<]\n", (1, 5)),
    ("a: <<\n", (1, 4)), ("<<\n", (1, 1)),
])
def test_a_merge_of_what_is_not_a_mapping_is_refused(text: str, where: tuple[int, int]) -> None:
    with pytest.raises(yaml.YAMLError):
        _safe(text)
    [problem] = parse_yaml(text, "x.yaml").problems
    assert problem.code == "SL002"
    assert (problem.location.line, problem.location.column) == where


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("quote", ['"', "'"])
def test_line_breaks_of_unicode_are_kept_and_shift_no_line(char: str, quote: str) -> None:
    text = f"a: {quote}x{char}y{char}z{quote}\nb: 1\nc:\n  d: 2\n  d: 3\n"
    loaded = parse_yaml(text, "x.yaml")
    assert loaded.document.data == _safe(text)
    [dup] = loaded.problems
    assert dup.code == "SL004" and (dup.location.line, dup.location.column) == (5, 3)
    assert loaded.document.locate("/c").line == 3
    assert loaded.document.locate("/b").line == 2
    # an error after them is at its own line too, and so in front matter
    for bad in ("b: [\n", "b: c: d\n", "b: *nowhere\n", "b: !!int x\n"):
        plain = parse_yaml(f"a: {quote}xy{quote}\n{bad}", "x.yaml", first_line=2).problems
        broken = parse_yaml(f"a: {quote}x{char}y{quote}\n{bad}", "x.yaml", first_line=2).problems
        assert [(p.location.line, p.location.column) for p in broken] == \
            [(p.location.line, p.location.column) for p in plain], bad
        assert plain and plain[0].location.line >= 3


def test_a_large_document_without_aliases_is_read() -> None:
    text = "items:\n" + "".join(f"  - {i}\n" for i in range(MAX_NODES + 1_000))
    loaded = parse_yaml(text, "x.yaml")
    assert loaded.problems == []
    assert len(loaded.document.data["items"]) == MAX_NODES + 1_000


def test_aliases_that_repeat_too_many_values_are_refused() -> None:
    text = "a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 101) + "]\n"
    [problem] = parse_yaml(text, "x.yaml").problems
    assert problem.code == "SL002" and "aliases" in problem.message
    assert problem.location.line == 2
    fewer = "a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 99) + "]\n"
    assert parse_yaml(fewer, "x.yaml").problems == []


def test_unicode_line_breaks_shift_no_line_in_the_report(tmp_path: Path) -> None:
    """The same finding at the same line, with and without U+2028 in a value above it."""
    lines = []
    for char in ("", "\u2028", "\x85"):
        repo = tmp_path / f"r{len(lines)}"
        copy_example(repo)
        path = repo / SET / WORKFLOW
        text = path.read_text(encoding="utf-8")
        text = text.replace("source: GitHub Issues", f'source: "GitHub{char} Issues"')
        text = text.replace("response: 24h", "response: soon")
        path.write_text(text, encoding="utf-8")
        result = run_cli(["--today", TODAY, "--format", "json", "."], cwd=repo)
        assert result.code == 1, result.out
        found = [(f["rule"], f["line"]) for s in result.json["sets"] for f in s["findings"]]
        lines.append(found)
        shutil.rmtree(repo)
    assert lines[0] == lines[1] == lines[2] and lines[0], lines


@pytest.mark.parametrize("examples", [10, pytest.param(600, marks=pytest.mark.slow)])
def test_random_documents_read_as_safe_load_reads_them(examples: int) -> None:
    """Random data dumped in YAML's styles (with U+0085, U+2028, U+2029 and other
    characters in strings), some under a merge key: our data is safe_load's, and every
    key is located where it is written (lines counted at \\n)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    text_chars = st.characters(codec="utf-8", exclude_categories=("Cs",),
                               include_characters="\x85\u2028\u2029\t\n")
    keys = st.text(st.characters(codec="ascii", categories=("Ll", "Lu", "Nd")), min_size=1,
                   max_size=8)
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                        st.text(text_chars, max_size=12))
    values = st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=12)

    @settings(max_examples=examples, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.dictionaries(keys, values, min_size=1, max_size=5),
           flow=st.booleans(), merged=st.booleans())
    def check(data: dict[str, Any], flow: bool, merged: bool) -> None:
        body = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, width=40)
        if merged:
            base = yaml.safe_dump(data, allow_unicode=True, default_flow_style=True,
                                  width=10**6).strip()
            text = f"base: &b {base}\nown:\n  <<: *b\n  zz_own: 1\n"
        else:
            text = body
        loaded = parse_yaml(text, WORKFLOW)
        assert loaded.problems == []
        assert loaded.document.data == _safe(text)
        doc = loaded.document
        lines = text.split("\n")
        for key in (data if not merged else ()):
            where = doc.locate(f"/{key}")
            at = lines[where.line - 1][where.column - 1:]
            assert at.startswith((key, f"'{key}", f'"{key}')), (key, where, text)

    check()
