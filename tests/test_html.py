"""The html format, ``sustain-lint report`` (the fleet) and ``sustain-lint coverage``,
through the real CLI. The page is read with the standard library's HTML parser here;
tests/test_html_browser.py loads the same pages in headless Chromium."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from sustain_lint import engine
from sustain_lint.model import RunResult
from sustain_lint.reporters import html
from tests.helpers import FIXTURES, SET, TODAY, copy_example, run_cli
from tests.html_dom import Page, parse_html
from tests.pages import (
    CN_PAYLOAD,
    DIR_PAYLOAD,
    PAYLOAD,
    html_report,
    json_report,
    make_set,
)

# what a report page may hold, and nothing else: no script, no link leaving it,
# nothing loaded (images, frames, fonts, style sheets), no form
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "nav", "section",
                "footer", "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "a", "dl", "dt", "dd",
                "table", "caption", "thead", "tbody", "tr", "th", "td", "span", "strong", "pre",
                "details", "summary", "figure"}


def _page(repo: Path, cwd: Path, *extra: str) -> tuple[str, Page]:
    text = html_report(repo, cwd, *extra)
    return text, parse_html(text)


def test_the_page_is_self_contained_and_forbids_scripts(tmp_path: Path) -> None:
    text, page = _page(make_set(tmp_path), tmp_path)
    assert page.tags() <= ALLOWED_TAGS
    csp = [str(dict(e.attrs)["content"]) for e in page.elements
           if e.tag == "meta" and dict(e.attrs).get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1
    assert "default-src 'none'" in csp[0] and "script-src" not in csp[0]
    links = [dict(e.attrs).get("href") for e in page.elements
             if e.tag == "a"]
    assert links and all(link and link.startswith("#") for link in links)
    assert not any(name.startswith("on") or name in ("src", "srcset", "action", "style")
                   for name in page.attribute_names())
    assert text.count("<style>") == 1


def test_every_finding_is_on_the_page_with_its_source_line_and_fix(tmp_path: Path) -> None:
    repo = make_set(tmp_path)
    findings = [f for s in json.loads(json_report(repo, tmp_path))["sets"] for f in s["findings"]]
    assert {f["rule"] for f in findings} >= {"SL111", "SL113", "SL302", "SL304"}
    _, page = _page(repo, tmp_path)
    text = page.text
    for f in findings:
        where = f"{f['path']}:{f['line']}:{f['column']}" if f["line"] else f["path"]
        assert where in text
        assert f["message"] in text
    items = [e for e in page.elements if e.tag == "li"
             and ("class", "finding") in e.attrs]
    assert len(items) == len(findings)
    assert "Fix: Extend the coverage of L2 people" in text
    # the roster line SL111 points at, with a caret under its column
    assert "Priya Raman,L2 On-call Engineer,L2,Mon-Fri 07:00-19:00,Europe/London" in text
    assert re.search(r"\n {35}\^\n", text)
    assert "Waiver: BL-101 is owned by the incident commander" in text


def _sections(text: str) -> tuple[str, str]:
    """The roster's maps and the on-call exports' maps of the first set, as markup."""
    first = re.search(r'<section class="set" id="(set-[0-9a-f]{16})"', text)
    assert first is not None
    anchor = first.group(1)
    roster = text[text.index(f'id="{anchor}-coverage"'):text.index(f'id="{anchor}-schedule"')]
    exports = text[text.index(f'id="{anchor}-schedule"'):text.index(f'id="{anchor}-waivers"')]
    return roster, exports


def test_the_heat_map_marks_the_gaps_in_text_not_only_colour(tmp_path: Path) -> None:
    text, page = _page(make_set(tmp_path), tmp_path)
    roster, _ = _sections(text)
    # three offset periods in the 365 days from 2026-11-22 (New York and London change
    # their clocks on different dates): Sat 00:00-07:00 UTC in winter and between the
    # changes, Fri 23:00-Sat 06:00 UTC in summer
    assert roster.count('<td class="gap">✗</td>') == 7 * 3
    assert '<td class="outside">' not in roster  # the roster's year: every hour judged
    assert "Period 1: 2026-11-22 to 2027-03-14 and 2027-11-07 to 2027-11-21" in page.text
    assert "Clocks: America/New_York UTC-05:00, Europe/London UTC+00:00" in page.text
    assert "Every week of this period, nobody on duty:\n\nSat 00:00–07:00 UTC (7 h)" in page.text
    assert "Fri 23:00–Sat 06:00 UTC (7 h)" in page.text
    # the gaps with their dates, over the year
    assert "From 2026-11-22 to 2027-11-21: 3 gaps, with their dates:" in page.text
    assert "Sat 00:00-07:00 UTC weekly from 2026-11-28 to 2027-03-27" in page.text
    assert "Fri 23:00-06:00 UTC weekly from 2027-04-02 to 2027-10-29" in page.text
    # who covers each hour: the runs of hours under each map
    assert re.search(r"Mon 07:00–19:00\s*covered\s*Priya Raman", page.text)
    assert re.search(r"Sat 00:00–07:00\s*gap\s*nobody", page.text)
    assert re.search(r"Sat 13:00–Sun 01:00\s*covered\s*Mei Chen, Tom Okafor", page.text)


def test_the_hours_of_a_week_are_the_coverage_model_s() -> None:
    """details._hours fills the heat map span by span: the same cells as
    WeekCoverage.hours(), which asks every person for every hour."""
    import datetime as dt

    from sustain_lint import coverage
    from sustain_lint.details import _hours

    rows = [("A", "Mon-Fri 07:00-19:00", "Europe/London"), ("B", "Mon-Fri 19:00-07:00", "UTC"),
            ("C", "Sat 00:30-02:15; Sun 23:45-24:00", "Asia/Kolkata"),
            ("A", "Sat,Sun 08:00-20:00", "America/New_York"), ("D", "24/7", "Australia/Lord_Howe")]
    entries = [e for e in (coverage.roster_entry(*r) for r in rows) if e is not None]
    for subset in (entries, entries[:3], entries[2:3]):
        for period in coverage.year_coverage(subset, dt.date(2026, 11, 22)).periods:
            assert [(c.covered, c.who, c.judged) for c in _hours(period.week)] == [
                (60 - c.uncovered_minutes, c.covered_by, True) for c in period.week.hours()]


# -- the on-call exports' maps ------------------------------------------------------------

def _between(text: str, first: str, last: str) -> str:
    return text[text.index(first):text.index(last)]


def test_a_map_crosses_to_the_process_that_writes_the_page_unchanged() -> None:
    """The maps are pickled compactly from the worker processes (minutes and
    flags as bytes, who as numbers into the distinct tuples of names): the same
    map comes out, cell for cell, with few people or a different one each hour."""
    import pickle

    from sustain_lint.model import CoveragePeriod, HourCell

    for people, count in ((3, 168), (168, 168), (300, 300)):  # (more cells than a week's)
        names = [(f"P{i}",) if i % 7 else () for i in range(people)]
        hours = tuple(HourCell(i % 61, names[i % people], i % 5 != 0) for i in range(count))
        period = CoveragePeriod("2026-11-23 to 2026-11-29", (("2026-11-23", "2026-11-29"),),
                                (("", 0),), hours, ((0, 60),))
        back = pickle.loads(pickle.dumps(period))
        assert back == period
        assert all(type(cell) is HourCell and type(cell.judged) is bool for cell in back.hours)


def test_the_exports_are_mapped_week_by_week_with_their_gaps(tmp_path: Path) -> None:
    """The demonstration set's export leaves Sat 00:00-07:00 UTC uncovered in every week
    of the horizon 2026-11-22 to 2026-12-19 (SL115): five calendar weeks, Monday
    2026-11-16 to Sunday 2026-12-20, the hours before today and from 2026-12-20 on
    not judged."""
    text, page = _page(make_set(tmp_path), tmp_path)
    _, exports = _sections(text)
    assert exports.count('<td class="gap">✗</td>') == 7 * 4  # Saturday nights, weeks 2-5
    assert exports.count('<td class="outside">·</td>') == 6 * 24 + 24
    assert re.search('<h3 id="set-[0-9a-f]{16}-schedule">L2 on-call shifts from the exports, '
                     'UTC</h3>', text)
    assert exports.count('<table class="heat">') == 5
    shown = _between(page.text, "L2 on-call shifts from the exports, UTC", "Waivers in force")
    assert "Exports: oncall-payments-l2.ics. Horizon 2026-11-22 to 2026-12-19" in shown
    assert "· outside the horizon, not judged" in shown  # the legend, in words
    assert "1 gap with nobody on shift, with their dates:" in shown
    assert "Sat 00:00-07:00 UTC weekly from 2026-11-28 to 2026-12-19" in shown  # SL115's words
    assert "Week 1: 2026-11-16 to 2026-11-22: every judged hour covered" in shown
    assert "Week 2: 2026-11-23 to 2026-11-29: 7 hours with a gap" in shown
    assert "In this week, nobody on duty:\n\nSat 00:00–07:00 UTC (7 h)" in shown
    assert "Clocks:" not in shown  # UTC, said once for the section
    # who is on shift when: the export's people, in the order their shifts start
    assert re.search(r"Mon 00:00–Sun 00:00\s*not judged\s*—", shown)
    assert re.search(r"Mon 07:00–19:00\s*covered\s*Priya Raman", shown)
    assert re.search(r"Sat 00:00–07:00\s*gap\s*nobody", shown)
    assert re.search(r"Fri 19:00–24:00\s*covered\s*Diego Alvarez", shown)
    assert re.search(r"Sun 00:00–24:00\s*not judged", shown)  # 2026-12-20: after the horizon


DAY = 86400
MONDAY = (dt.date(2026, 11, 23) - dt.date(1970, 1, 1)).days * DAY  # 00:00 UTC


def test_the_hours_of_an_export_s_week() -> None:
    """details.export_weeks on shifts of its own: minutes covered, who in the order their
    shifts start, the hours outside the judged horizon not judged, a map per week."""
    from sustain_lint.details import export_weeks
    from sustain_lint.reporters import heatmap

    start, end = MONDAY + 2 * 3600, MONDAY + 7 * DAY + 3600  # Mon 02:00 to next Mon 01:00
    shifts = ((start, MONDAY + 5 * 3600 + 1800, ("B",)),  # to 05:30
              (MONDAY + 3 * 3600, end, ("A",)))
    gaps = ()
    weeks, count, lines = export_weeks(shifts, start, end, gaps)
    assert count == 2 and [w.label for w in weeks] == ["2026-11-23 to 2026-11-29",
                                                       "2026-11-30 to 2026-12-06"]
    first, second = weeks
    assert [heatmap.state(c) for c in first.hours[:4]] == ["outside", "outside", "full", "full"]
    assert first.hours[3].who == ("B", "A") and first.hours[5].who == ("B", "A")
    assert first.hours[6].who == ("A",)
    assert [heatmap.state(c) for c in second.hours[:2]] == ["full", "outside"]
    assert heatmap.outside_hours(second) == 167 and lines == ()
    # a gap of 90 minutes: one hour a gap, the next partly covered, its minutes counted
    gaps = ((MONDAY + 10 * 3600, MONDAY + 11 * 3600 + 1800),)
    shifts = ((start, gaps[0][0], ("A",)), (gaps[0][1], end, ("A",)))
    first = export_weeks(shifts, start, end, gaps)[0][0]
    assert [(heatmap.state(c), c.covered) for c in first.hours[10:12]] == [("gap", 0),
                                                                           ("part", 30)]
    assert first.gaps == ((600, 690),)
    assert export_weeks(shifts, start, end, gaps)[2] == ("10:00-11:30 UTC on Mon 2026-11-23",)


def test_a_long_horizon_draws_a_year_of_weeks_and_lists_every_gap() -> None:
    from sustain_lint.details import MAX_WEEKS, export_weeks

    end = MONDAY + 100 * 7 * DAY
    gaps = ((end - 3600, end),)  # the last hour of the horizon
    weeks, count, lines = export_weeks(((MONDAY, end - 3600, ("A",)),), MONDAY, end, gaps)
    assert (len(weeks), count) == (MAX_WEEKS, 100)
    assert lines == ("23:00-24:00 UTC on Sun 2028-10-22",)


def test_the_people_on_the_exports_maps_are_the_export_s(tmp_path: Path) -> None:
    repo = make_set(tmp_path)
    export = repo / SET / "oncall-payments-l2.ics"
    export.write_text(export.read_text(encoding="utf-8").replace("Mei Chen", "Sam Rivera"),
                      encoding="utf-8")
    _, page = _page(repo, tmp_path)
    shown = _between(page.text, "L2 on-call shifts from the exports, UTC", "Waivers in force")
    roster = _between(page.text, "L2 coverage, UTC", "L2 on-call shifts from the exports, UTC")
    assert re.search(r"Sat 07:00–13:00\s*covered\s*Sam Rivera", shown)
    assert "Mei Chen" not in shown and "Sam Rivera" not in roster


@pytest.mark.parametrize("case, note, maps", [
    ("sl117-grafana-stale-export",
     "Judged only up to 2026-12-05 07:00 UTC: oncall-payments-l2.ics ends 2026-12-05 07:00 "
     "UTC, before the horizon does (SL117).", 3),
    ("sl002-ics-unparsable",
     "The maps leave out the exports that cannot be read: oncall-cut-short.ics cannot be "
     "read (SL002); oncall-unfolded.ics cannot be read (SL002).", 5),
])
def test_an_export_that_ends_early_or_cannot_be_read_is_said(
        tmp_path: Path, case: str, note: str, maps: int) -> None:
    repo = copy_example(tmp_path / "repo")
    shutil.copytree(FIXTURES / case / "files", repo, dirs_exist_ok=True)
    text, page = _page(repo, tmp_path)
    _, exports = _sections(text)
    assert note in page.text
    assert exports.count('<table class="heat">') == maps
    if case.startswith("sl117"):  # Saturday 2026-12-05 from 07:00 on is not judged
        assert re.search(r"Sat 07:00–Mon 00:00\s*not judged", page.text)


def test_a_set_without_export_says_so(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    (repo / SET / "oncall-payments-l2.ics").unlink()
    text, page = _page(repo, tmp_path)
    assert "No on-call export in the set (oncall*.ics in the set folder, or config " \
           "`schedules`)." in page.text
    assert _sections(text)[1].count("<table") == 0


def test_waivers_approvals_and_configuration_in_force(tmp_path: Path) -> None:
    repo = make_set(tmp_path)
    _, page = _page(repo, tmp_path, "--ignore", "SL114,SL203")
    text = page.text
    # waivers: approver, expiry, days left from --today
    assert re.search(r"SL302\s*backlog-register.csv\s*Head of Operations\s*2026-12-05\s*13", text)
    assert re.search(r"SL304\s*every file\s*Head of Operations\s*2026-11-22\s*0", text)
    # approvals in force (the latest row of each stakeholder) with their age in days
    assert re.search(r"Helen Carter\s*operations\s*approved-with-conditions\s*2026-11-20\s*2", text)
    assert "approved-with-conditions\n2026-11-18" not in text  # history, not in force
    assert re.search(r"Rules switched off\s*SL114, SL203", text)
    assert "SL114 l2-rotation-too-small" in text


def test_the_page_is_deterministic_and_the_complete_example_has_no_gap(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    first = html_report(repo, tmp_path)
    assert first == html_report(repo, tmp_path)
    page = parse_html(first)
    assert "covered 24/7" in page.text and "✗</td>" not in first
    assert "[PROTOCOL COMPLETE]" in page.text


def test_html_file_beside_another_format(tmp_path: Path) -> None:
    repo = make_set(tmp_path)
    result = run_cli([repo.name, "--today", TODAY, "--format", "json", "--html-file", "r.html"],
                     tmp_path)
    assert result.code == 1
    json.loads(result.out)
    assert "SL111" in parse_html((tmp_path / "r.html").read_text(encoding="utf-8")).text


def _judged(repo: Path, **options: Any) -> RunResult:
    return engine.run(engine.Options(paths=[str(repo)], cwd=str(repo.parent),
                                     today=dt.date.fromisoformat(TODAY), details=True,
                                     sources=True, **options))


def test_a_set_s_section_is_the_same_where_it_was_judged_and_here(tmp_path: Path) -> None:
    """A set's section rendered in the worker that judged it (``Options.prepare``, the
    set's maps then dropped) makes the page the page renders itself from the maps; the
    page's bytes for a file are its text, encoded."""
    repo = make_set(tmp_path, hostile=True)
    here = _judged(repo)
    there = _judged(repo, prepare=(html.prepare_sets,), report_details=False)
    assert all(s.section is None and s.details is not None for s in here.sets)
    assert all(isinstance(s.section, html.Section) and s.details is None for s in there.sets)
    page = html.render_html(here)
    assert html.render_html(there) == page
    assert html.encoded_html(there) == html.encoded_html(here) == page.encode("utf-8")
    assert "L2 on-call shifts by UTC hour" in page and "Priya Raman" in page


def test_only_the_page_s_own_sections_are_taken_as_markup(tmp_path: Path) -> None:
    """A section is taken as markup only when ``prepare_sets`` made it (``Section``):
    other bytes in its place are ignored and the set rendered again."""
    result = _judged(make_set(tmp_path))
    forged = dataclasses.replace(result, sets=tuple(
        dataclasses.replace(s, section=b"<script>alert(1)</script>\n") for s in result.sets))
    assert html.render_html(forged) == html.render_html(result)
    assert "<script" not in html.render_html(forged)


def test_a_set_s_anchor_is_its_own_whatever_else_is_linted(tmp_path: Path) -> None:
    """A set's id (the anchor of its section, ``#set-…``) comes from its path alone: hex
    digits, distinct for each set, the same with or without the other sets."""
    make_set(tmp_path, "payments")
    make_set(tmp_path, "ledger")
    both = parse_html(html_report(tmp_path, tmp_path))
    ids = [str(dict(e.attrs)["id"]) for e in both.elements
           if e.tag == "section" and ("class", "set") in e.attrs]
    assert len(ids) == len(set(ids)) == 2
    assert all(re.fullmatch("set-[0-9a-f]{16}", i) for i in ids)
    alone = parse_html(html_report(tmp_path / "payments", tmp_path))
    assert [str(dict(e.attrs)["id"]) for e in alone.elements
            if e.tag == "section" and ("class", "set") in e.attrs] == [ids[1]]
    hrefs = [dict(e.attrs).get("href") for e in both.elements if e.tag == "a"]
    assert {f"#{i}" for i in ids} <= set(hrefs)


def test_the_step_summary_keeps_its_maps_beside_an_html_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The html page renders its sections where the sets are judged, and drops their
    maps then; the step summary, which draws them too, still has them."""
    repo = make_set(tmp_path)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli([repo.name, "--today", TODAY, "--format", "github", "--html-file",
                      "r.html"], tmp_path)
    assert result.code == 1
    assert " Sat !!!!!!!" + "█" * 17 in summary.read_text(encoding="utf-8").splitlines()
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count('<table class="heat">') >= 8 and '<td class="gap">✗</td>' in page


def test_sets_of_several_configurations_each_have_their_maps(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sets that take different configuration files are judged in separate runs, then
    merged in path order: each keeps its section (its anchor its own) on the page, and its
    maps in the step summary."""
    root = tmp_path / "mono"
    (root / ".git").mkdir(parents=True)
    for name in ("payouts", "ledger"):
        make_set(root / "services", name)
    (root / ".sustain-lint.toml").write_text(f'today = "{TODAY}"\n')
    (root / "services" / "ledger" / ".sustain-lint.toml").write_text(
        f'today = "{TODAY}"\nignore = ["SL003"]\n')
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli(["--format", "github", "--html-file", str(tmp_path / "r.html")], root)
    assert result.code == 1
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    page = parse_html(text)
    sections = [str(dict(e.attrs)["id"]) for e in page.elements
                if e.tag == "section" and ("class", "set") in e.attrs]
    contents = [str(dict(e.attrs)["href"])[1:] for e in page.elements if e.tag == "a"
                and str(dict(e.attrs)["href"]).startswith("#set-")]
    assert contents == sections and len(set(sections)) == 2
    assert text.index("Evidence set services/ledger/") < text.index("Evidence set services/payouts/")
    assert "services/ledger/.sustain-lint.toml" in page.text
    for anchor in sections:
        part = text[text.index(f'id="{anchor}"'):]
        part = part[:part.index("</section>")]
        assert part.count('<table class="heat">') >= 8 and '<td class="gap">✗</td>' in part
    drawn = summary.read_text(encoding="utf-8")
    assert drawn.count("L2 coverage in UTC, period 1 of 3") == 2
    assert drawn.count("L2 on-call shifts from the exports") == 2


# -- hostile text -----------------------------------------------------------------------

def _shape(text: str) -> tuple[collections.Counter[str], set[str]]:
    page = parse_html(text)
    return collections.Counter(e.tag for e in page.elements), page.attribute_names()


def test_hostile_text_in_every_quoted_field_adds_nothing_to_the_page(tmp_path: Path) -> None:
    (tmp_path / "calm").mkdir()
    (tmp_path / "wild").mkdir()
    calm_repo = make_set(tmp_path / "calm", calm_twin=True)
    calm = html_report(calm_repo, tmp_path / "calm", "--config",
                       f"{calm_repo.name}/.sustain-lint.toml")
    wild_repo = make_set(tmp_path / "wild", hostile=True)
    wild = html_report(wild_repo, tmp_path / "wild", "--config",
                       f"{wild_repo.name}/.sustain-lint.toml")
    assert _shape(wild) == _shape(calm)  # the same elements and attributes, no more
    page = parse_html(wild)
    assert page.tags() <= ALLOWED_TAGS
    # the text is all there, shown as text: in messages, names, waivers, source lines
    for where in (PAYLOAD, DIR_PAYLOAD):
        assert where in page.text
    assert f"Configuration file{wild_repo.name}/.sustain-lint.toml" in page.text
    assert "Rules switched offSL114" in page.text
    assert page.text.count("<script>alert(1)</script>") >= 10
    assert "Priya Raman" + PAYLOAD.replace('"', "'") in page.text  # a roster name (CSV)
    assert "Head of Operations" + PAYLOAD in page.text  # a waiver's approver (YAML)
    # the people on the exports' maps: an ATTENDEE CN and a name in a SUMMARY (iCalendar)
    shown = _between(page.text, "L2 on-call shifts from the exports, UTC", "Waivers in force")
    assert re.search(r"Mon 07:00–19:00\s*covered\s*" + re.escape("Priya Raman" + CN_PAYLOAD),
                     shown)
    assert re.search(r"Sat 07:00–13:00\s*covered\s*" + re.escape("Mei Chen" + PAYLOAD), shown)
    assert '<td class="gap">✗</td>' in _sections(wild)[1]  # the export's gaps still marked


def test_hostile_text_in_the_fleet_page_adds_nothing(tmp_path: Path) -> None:
    shapes = []
    for name, hostile in (("calm", False), ("wild", True)):
        (tmp_path / name).mkdir()
        repo = make_set(tmp_path / name, hostile=hostile, calm_twin=not hostile)
        report = tmp_path / name / "r.json"
        report.write_text(json_report(repo, tmp_path / name), encoding="utf-8")
        result = run_cli(["report", "r.json"], tmp_path / name)
        assert result.code == 0, result.err
        shapes.append(_shape(result.out))
        if hostile:
            assert DIR_PAYLOAD in parse_html(result.out).text
    assert shapes[0] == shapes[1]


# -- the fleet --------------------------------------------------------------------------

def _fleet(tmp_path: Path) -> tuple[Path, list[str]]:
    repo = make_set(tmp_path, "payments")
    ledger = copy_example(tmp_path / "ledger")
    reports = []
    for label, source, today in (("payments", repo, "2026-11-01"), ("payments", repo, TODAY),
                                 ("ledger", ledger, TODAY)):
        folder = tmp_path / "reports" / label
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{today}.json").write_text(json_report(source, tmp_path, today),
                                              encoding="utf-8")
        reports.append(f"reports/{label}/{today}.json")
    return tmp_path, reports


def test_the_fleet_page(tmp_path: Path) -> None:
    cwd, reports = _fleet(tmp_path)
    result = run_cli(["report", *reports, "-o", "fleet.html"], cwd)
    assert (result.code, result.err) == (0, "")
    text = (cwd / "fleet.html").read_text(encoding="utf-8")
    page = parse_html(text)
    assert page.tags() <= ALLOWED_TAGS
    rows = re.findall(r'<tr class="set-row"><th scope="row" class="mono">([^<]*)</th>', text)
    # worst first: the failing set before the passing one; one row per set, its latest date
    assert rows == ["reports/payments: payments/.artifacts/maintenance",
                    "reports/ledger: ledger/.artifacts/maintenance"]
    assert "1 of 2 sets failing" in page.text
    assert re.search(r"SL113\s*sla-capacity-conflict\s*1\s*3\s*0\s*1", page.text)
    assert re.search(r"2026-11-22\s*0 \(on 2026-11-22\)\s*reports/payments", page.text)
    # the trend of the set reported on two dates
    assert re.search(r"reports/payments: payments/.artifacts/maintenance\s*↘ better\s*"
                     r"2026-11-01: 18 errors, 1 warning \(gates 1 failed, 2 failed, 3 failed, "
                     r"4 failed\)\s*2026-11-22: 5 errors, 2 warnings", page.text)
    assert run_cli(["report", *reports], cwd).out == text  # deterministic; stdout alike


@pytest.mark.parametrize("content, reason", [
    ("not json", "not JSON"),
    ('{"tool": "eslint", "version": "9", "today": "2026-11-22", "passed": true, "sets": []}',
     "'tool' is not sustain-lint"),
    ('{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0"}',
     "'tool' is a required property"),
    ('[1, 2]', "is not of type 'object'"),
    ('{"tool": "sustain-lint", "version": "1", "today": "2026-11-22", "passed": true, '
     '"sets": [{"path": "x", "gates": [{"gate": 9}], "findings": []}]}', "at /sets/0/gates/0"),
    ("\xff\xfe", "not JSON"),
])
def test_the_fleet_rejects_what_is_not_a_sustain_lint_json_report(
        tmp_path: Path, content: str, reason: str) -> None:
    cwd, reports = _fleet(tmp_path)
    (cwd / "bad.json").write_bytes(content.encode("latin-1"))
    result = run_cli(["report", reports[0], "bad.json", "-o", "fleet.html"], cwd)
    assert result.code == 2
    assert result.err.startswith("sustain-lint: error: bad.json is not a sustain-lint JSON report")
    assert reason in result.err and "Traceback" not in result.err
    assert not (cwd / "fleet.html").exists()


def test_the_fleet_refuses_a_missing_file_and_writing_over_a_report(tmp_path: Path) -> None:
    cwd, reports = _fleet(tmp_path)
    missing = run_cli(["report", "nope.json"], cwd)
    assert missing.code == 2 and "cannot read nope.json" in missing.err
    before = (cwd / reports[0]).read_bytes()
    over = run_cli(["report", *reports, "-o", reports[0]], cwd)
    assert over.code == 2 and "one of the reports read" in over.err
    assert (cwd / reports[0]).read_bytes() == before


# -- coverage in the terminal -------------------------------------------------------------

def test_coverage_in_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_set(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    result = run_cli(["coverage", repo.name, "--today", TODAY], tmp_path)
    assert result.code == 1  # a gap
    lines = result.out.splitlines()
    assert lines[0] == f"{repo.name}/{SET}/capacity-analysis.csv"
    assert lines[1] == ("  L2 coverage in UTC, period 1 of 3: 2026-11-22 to 2027-03-14 and "
                        "2027-11-07 to 2027-11-21")
    assert lines[2] == "  (America/New_York UTC-05:00, Europe/London UTC+00:00)"
    assert " Sat !!!!!!!" + "█" * 17 in lines
    assert " Fri " + "█" * 23 + "!" in lines  # summer: Friday 23:00 UTC
    assert "  Every week of this period, nobody on duty: Sat 00:00–07:00 UTC (7 h)" in lines
    assert "  Gaps from 2026-11-22 to 2027-11-21, with their dates:" in lines
    assert "    Sat 00:00-07:00 UTC weekly from 2026-11-28 to 2027-03-27" in lines
    assert any("! gap: nobody on duty" in line for line in lines)  # the legend
    assert "\033[" not in result.out
    # then the exports' weeks: the same map, the hours outside the horizon not judged
    exports = lines[lines.index("  L2 on-call shifts from the exports (oncall-payments-l2.ics), "
                                "horizon 2026-11-22 to 2026-12-19:"):]
    assert exports[1] == "  L2 on-call shifts in UTC, week 1 of 5: 2026-11-16 to 2026-11-22"
    assert exports[4:11] == [f" {day} " + "·" * 24 for day in ("Mon", "Tue", "Wed", "Thu",
                                                                "Fri", "Sat")] + [" Sun " + "█" * 24]
    assert exports.count(" Sat !!!!!!!" + "█" * 17) == 4  # weeks 2-5
    assert exports.count("  In this week, nobody on shift: Sat 00:00–07:00 UTC (7 h)") == 4
    assert ("  █ covered  ▒ partly covered  ! gap: nobody on duty  · outside the horizon, not "
            "judged  (one character per UTC hour)") in exports
    assert exports[-2:] == ["  Gaps in the exports from 2026-11-22 to 2026-12-19, with their "
                            "dates:", "    Sat 00:00-07:00 UTC weekly from 2026-11-28 to 2026-12-19"]
    coloured = run_cli(["coverage", repo.name, "--today", TODAY, "--color", "always"], tmp_path)
    assert "\033[1;31m!!!!!!!\033[0m" in coloured.out
    assert "\033[2m" + "·" * 24 + "\033[0m" in coloured.out
    plain = run_cli(["coverage", repo.name, "--today", TODAY, "--ascii"], tmp_path)
    assert " Sat !!!!!!!" + "#" * 17 in plain.out.splitlines()
    assert " Mon " + "." * 24 in plain.out.splitlines()
    assert "  . outside the horizon, not judged" in plain.out


def test_coverage_of_the_complete_example_and_of_a_set_without_roster(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    full = run_cli(["coverage", "repo", "--today", TODAY], tmp_path)
    assert full.code == 0
    assert full.out.count("Covered 24/7 in this period.") == 3
    assert "No gap from 2026-11-22 to 2027-11-21: covered 24/7." in full.out
    assert full.out.count("L2 on-call shifts in UTC, week ") == 5
    assert ("No gap in the exports from 2026-11-22 to 2026-12-19: somebody on shift at every "
            "judged minute.") in full.out
    (repo / SET / "capacity-analysis.csv").unlink()
    none = run_cli(["coverage", "repo", "--today", TODAY], tmp_path)
    assert none.code == 1 and "no coverage map: capacity-analysis.csv is missing" in none.out
    bad = run_cli(["coverage", "repo", "--today", "soon"], tmp_path)
    assert bad.code == 2 and "--today" in bad.err


@pytest.mark.parametrize("case, code, said", [
    # exports optional: none is no gap (the roster's year alone decides)
    (None, 0, "  no on-call export in the set (oncall*.ics in the set folder, or config "
              "`schedules`)"),
    ("sl115-pagerduty-saturday-night-gap", 1,
     "    Sat 00:00-07:00 UTC weekly from 2026-11-28 to 2026-12-19"),
    # an export that ends early, or that cannot be read: the horizon not judged to its end
    ("sl117-grafana-stale-export", 1,
     "  judged only up to 2026-12-05 07:00 UTC: oncall-payments-l2.ics ends 2026-12-05 07:00 "
     "UTC, before the horizon does (SL117)"),
    ("sl002-ics-unparsable", 1, "  the maps leave out the exports that cannot be read: "
                                "oncall-cut-short.ics cannot be read (SL002); "
                                "oncall-unfolded.ics cannot be read (SL002)"),
])
def test_coverage_exits_1_for_the_exports_gaps_as_for_the_roster_s(
        tmp_path: Path, case: str | None, code: int, said: str) -> None:
    """docs/decisions/html.md: the complete example's roster is covered 24/7; the exit
    code follows its exports too."""
    repo = copy_example(tmp_path / "repo")
    if case is None:
        (repo / SET / "oncall-payments-l2.ics").unlink()
    else:
        shutil.copytree(FIXTURES / case / "files", repo, dirs_exist_ok=True)
    result = run_cli(["coverage", "repo", "--today", TODAY], tmp_path)
    assert (result.code, result.err) == (code, "")
    assert said in result.out.splitlines()
    assert "No gap from 2026-11-22 to 2027-11-21: covered 24/7." in result.out


def test_the_step_summary_shows_a_compact_map(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_set(tmp_path)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli([repo.name, "--today", TODAY, "--format", "github"], tmp_path)
    assert result.code == 1
    text = summary.read_text(encoding="utf-8")
    assert ("L2 coverage in UTC, period 1 of 3: 2026-11-22 to 2027-03-14 and 2027-11-07 to "
            "2027-11-21") in text
    assert " Sat !!!!!!!" + "█" * 17 in text.splitlines()
    assert "Gaps from 2026-11-22 to 2027-11-21:" in text
    assert "- Sat 00:00-07:00 UTC weekly from 2026-11-28 to 2027-03-27" in text
    # the exports: only the weeks with a gap drawn, each distinct picture once
    exports = text[text.index("L2 on-call shifts from the exports"):text.index("| Gate | Rule")]
    assert exports.startswith("L2 on-call shifts from the exports (oncall-payments-l2.ics), "
                              "horizon 2026-11-22 to 2026-12-19 (5 calendar weeks, UTC):")
    assert ("Weeks 2-4 (2026-11-23 to 2026-12-13), nobody on shift: Sat 00:00–07:00 UTC (7 h)"
            in exports)
    assert "Week 5 (2026-12-14 to 2026-12-20), nobody on shift: Sat 00:00–07:00 UTC (7 h)" \
        in exports
    assert exports.count("```text") == 2 and exports.count(" Sat !!!!!!!" + "█" * 17) == 2
    assert " Sun " + "·" * 24 in exports.splitlines()  # 2026-12-20: after the horizon
    assert "No gap in week 1 (2026-11-16 to 2026-11-22)." in exports
    assert "· outside the horizon, not judged" in exports
    assert "- Sat 00:00-07:00 UTC weekly from 2026-11-28 to 2026-12-19" in exports
    assert "Priya Raman" not in exports  # compact: who is on shift is on the page


def test_the_json_report_carries_the_waivers_in_force(tmp_path: Path) -> None:
    """What the fleet reads: each set's valid waivers with approver and days left."""
    data = json.loads(json_report(make_set(tmp_path), tmp_path))
    assert data["sets"][0]["waivers"] == [
        {"rule": "SL302", "path": "backlog-register.csv",
         "justification": "BL-101 is owned by the incident commander until the postmortem "
                          "on 2026-12-01",
         "approved_by": "Head of Operations", "expires": "2026-12-05", "days_left": 13},
        {"rule": "SL304", "path": None,
         "justification": "Alert work waits for the vendor's December release",
         "approved_by": "Head of Operations", "expires": "2026-11-22", "days_left": 0},
    ]
