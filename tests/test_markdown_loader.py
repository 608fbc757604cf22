"""Markdown loading: plain cells skip the inline parser and read the same."""

from __future__ import annotations

from typing import Any

import pytest

from sustain_lint.loaders import markdown_loader as ml

CELLS = [
    "P1", " 15m ", "L2 On-call Engineer", "eng-manager@example.com", "+44 20 7946 0001",
    "30-day health check", "2026-12-30", "SLA attainment, open P1/P2 items; on-call load",
    "pagerduty:payments-oncall", "99.5%", "a - b", "(TBD)", "#payments-ops", "x = y / z",
    "**P1**", "`code`", "[Mgr](http://x)", "a &amp; b", "<b>x</b>", "a \\* b", "~~old~~",
    "see https://example.com", "www.example.com", "_emph_", "snake_case_name",
]


class _Token:
    def __init__(self, content: str) -> None:
        self.content = content
        self.children: list[Any] | None = []


def _full_parse(content: str) -> str:
    md = ml._parser()
    token = _Token(content)
    children: list[Any] = []
    md.inline.parse(content, md, {}, children)
    token.children = children
    return ml._inline_text(token)


@pytest.mark.parametrize("cell", CELLS)
def test_plain_text_shortcut_reads_like_the_inline_parser(cell: str) -> None:
    assert ml._inline_text(_Token(cell)) == _full_parse(cell)


def test_table_cells_and_headings_lose_their_markup() -> None:
    doc = ml.load_markdown(
        "## Esc\\*alation *now*\n\n| Level | Role |\n|---|---|\n| 1 | **L2 On-call** |\n"
        "| 2 | [Manager](https://x) |\n", "c.md").document
    assert doc.sections[0].title == "Esc*alation now"
    assert [r.cells for r in doc.tables[0].rows] == [["1", "L2 On-call"], ["2", "Manager"]]
