"""The pages in a real browser: Debian's Chromium, headless, driven by Playwright
(the Python package; its own browser downloads are never used). Asserted on the
rendered DOM: every finding present, the gaps marked, no console message or page
error, no request besides the page itself, and hostile text adding nothing.

Slow (a browser start each); CI installs chromium (.ci/run). Without it the tests
are skipped here, and fail under CI."""

from __future__ import annotations

import collections
import json
import os
from pathlib import Path

import pytest

from tests.helpers import copy_example, run_cli
from tests.pages import (
    CHROMIUM,
    CN_PAYLOAD,
    PAYLOAD,
    html_report,
    json_report,
    make_set,
    render,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                       reason="chromium is not installed (.ci/run installs it)"),
]


def _only_the_page(rendered_requests: list[str], page: Path) -> None:
    assert rendered_requests == [page.as_uri()]


def test_the_report_renders_with_every_part(tmp_path: Path) -> None:
    repo = make_set(tmp_path)
    findings = [f for s in json.loads(json_report(repo, tmp_path))["sets"] for f in s["findings"]]
    page = tmp_path / "report.html"
    page.write_text(html_report(repo, tmp_path), encoding="utf-8")
    shown = render(page)
    assert shown.console == []
    _only_the_page(shown.requests, page)
    assert shown.counts.get("script", 0) == 0
    assert shown.counts["li"] >= len(findings)
    for f in findings:
        assert (f"{f['path']}:{f['line']}:{f['column']}" if f["line"] else f["path"]) \
            in shown.text
        assert f["message"] in shown.text
    # the gaps marked: the roster's three periods, then the Saturday nights of the export's
    # weeks 2-5; its week 1 before today and the Sunday after the horizon not judged
    assert shown.dom.count('<td class="gap"') == 21 + 28
    assert shown.dom.count('<td class="outside">·</td>') == 7 * 24
    assert "Sat 00:00-07:00 UTC weekly from 2026-11-28 to 2027-03-27" in shown.text
    assert "Sat 00:00-07:00 UTC weekly from 2026-11-28 to 2026-12-19" in shown.text
    for heading in ("Configuration in force", "Waivers in force", "Approvals in force",
                    "L2 coverage, UTC", "Gate 1 Charter & Capacity: failed",
                    "L2 on-call shifts from the exports, UTC",
                    "Week 2: 2026-11-23 to 2026-11-29: 7 hours with a gap"):
        assert heading in shown.text
    assert "Who is on shift when (2026-11-23 to 2026-11-29)" in shown.text
    assert "Head of Operations" in shown.text and "Helen Carter" in shown.text


def test_hostile_text_gains_no_element_and_runs_nothing(tmp_path: Path) -> None:
    pages = {}
    for name, hostile in (("calm", False), ("wild", True)):
        (tmp_path / name).mkdir()
        repo = make_set(tmp_path / name, hostile=hostile, calm_twin=not hostile)
        page = tmp_path / name / "report.html"
        page.write_text(html_report(repo, tmp_path / name), encoding="utf-8")
        pages[name] = (page, render(page))
    calm, (wild_page, wild) = pages["calm"][1], pages["wild"]
    assert wild.console == []
    _only_the_page(wild.requests, wild_page)  # no <img src=x>, no iframe: nothing loaded
    assert wild.counts == calm.counts
    assert collections.Counter(wild.attributes) == collections.Counter(calm.attributes)
    assert not {"script", "img", "svg", "iframe"} & set(wild.counts)
    assert PAYLOAD in wild.text  # shown, as text
    assert "Priya Raman" + CN_PAYLOAD in wild.text  # an export's ATTENDEE CN, as text
    assert "Mei Chen" + PAYLOAD in wild.text  # a name in an export's SUMMARY


def test_the_fleet_page_renders(tmp_path: Path) -> None:
    repo = make_set(tmp_path, "payments")
    ledger = copy_example(tmp_path / "ledger")
    for name, source in (("payments", repo), ("ledger", ledger)):
        (tmp_path / f"{name}.json").write_text(json_report(source, tmp_path), encoding="utf-8")
    result = run_cli(["report", "payments.json", "ledger.json", "-o", "fleet.html"], tmp_path)
    assert result.code == 0, result.err
    shown = render(tmp_path / "fleet.html")
    assert shown.console == []
    _only_the_page(shown.requests, tmp_path / "fleet.html")
    assert "1 of 2 sets failing" in shown.text
    assert shown.text.index("payments/.artifacts/maintenance") < shown.text.index(
        "ledger/.artifacts/maintenance")
    assert "BL-101 is owned by the incident commander" in shown.text


def test_the_page_prints(tmp_path: Path) -> None:
    """Printable: Chromium's own print to PDF of the page (no script needed)."""
    from playwright.sync_api import sync_playwright

    from tests.pages import CHROMIUM_ARGS

    page = tmp_path / "report.html"
    page.write_text(html_report(make_set(tmp_path), tmp_path),
                    encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.goto(page.as_uri())
            pdf = tab.pdf(format="A4", print_background=True)
        finally:
            browser.close()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_the_exports_maps_are_read_in_order_and_printed(tmp_path: Path) -> None:
    """The exports' section in the rendered page: after the roster's maps, a heading
    and table headers for each week, and its cells printed in their colours."""
    from playwright.sync_api import sync_playwright

    from tests.pages import CHROMIUM_ARGS

    page = tmp_path / "report.html"
    page.write_text(html_report(make_set(tmp_path), tmp_path), encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.goto(page.as_uri())
            headings = tab.evaluate("() => [...document.querySelectorAll('h3, h4')].map("
                                    "e => e.textContent)")
            weeks = tab.locator("section.set h3[id$='-schedule'] ~ figure.map table.heat")
            first_row = weeks.nth(1).locator("tbody tr").nth(5)  # Saturday of week 2
            saturday = [first_row.locator("th").inner_text(),
                        *first_row.locator("td").all_inner_texts()[:8]]
            tab.emulate_media(media="print")
            outside = tab.locator("td.outside").first.evaluate(
                "e => getComputedStyle(e).printColorAdjust")
        finally:
            browser.close()
    roster = headings.index("L2 coverage, UTC")
    exports = headings.index("L2 on-call shifts from the exports, UTC")
    assert roster < exports < headings.index("Waivers in force")
    assert sum(h.startswith("Week ") for h in headings[exports:]) == 5
    assert saturday == ["Sat", *"✗" * 7, "1"]
    assert outside == "exact"
