"""The inputs of the page tests and screenshots: a failing set (a weekend L2 gap in
the roster and in its on-call export, the SLA conflicts it causes, waived findings,
approvals in force), the same set with hostile text in every field a report quotes
(the export's SUMMARY and ATTENDEE common names too), and the headless browser.

``python -m tests.pages`` regenerates the screenshots under docs/screenshots/
(the README shows them)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from tests.helpers import FIXTURES, ROOT, SET, TODAY, copy_example, run_cli

# the overlays that make the demonstration set fail in the ways a page must show
OVERLAYS = ("sl111-saturday-night-gap", "sl115-pagerduty-saturday-night-gap",
            "sl901-pass-valid-waiver")

PAYLOAD = ('<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>'
           '</style><a href="javascript:alert(4)">j</a><iframe src="https://example.com/">')
# a folder name cannot hold "/": the rest of the payload
DIR_PAYLOAD = '<img src=x onerror=alert(2)>"><svg onload=alert(3)>'
# an iCalendar parameter value (ATTENDEE;CN="...") cannot hold '"': the rest of the payload
CN_PAYLOAD = '<script>alert(5)</script><svg onload=alert(6)><img src=x onerror=alert(7)>'
# the L2 people whose shifts in the export name them by ATTENDEE CN (with ``hostile`` or
# ``calm_twin``); the others' by SUMMARY, as PagerDuty writes it
CN_PEOPLE = ("Priya Raman", "Diego Alvarez")
# the names the set quotes in its roster, owners, waivers and approvals
NAMES = ("Priya Raman", "Diego Alvarez", "Mei Chen", "Head of Operations", "Helen Carter",
         "Rui Costa", "BL-101 is owned", "Alert work waits", "settlement")


def _in_format(name: str, text: str) -> str:
    """``text`` as it can stand inside a value of the file ``name``."""
    if name.endswith(".json"):
        return json.dumps(text)[1:-1]
    if name.endswith(".csv"):
        return text.replace('"', "'")  # a quote inside an unquoted cell is not CSV
    return text


# the calm twin of the payloads: text with the same quotes, and no markup
CALM_PAYLOAD = ' said "hello" to you'
CALM_DIR_PAYLOAD = ' "calm" folder'
CALM_CN_PAYLOAD = ' said hello to you'


def make_set(root: Path, name: str = "payments", hostile: bool = False,
             calm_twin: bool = False) -> Path:
    """A repository ``root/name`` whose set fails Gate 1 (an L2 gap on Saturday
    night) and holds waivers and approvals; ``hostile``: every quoted name also
    carries ``PAYLOAD`` and the repository's folder name ``DIR_PAYLOAD`` (``calm_twin``:
    the same with ``CALM_PAYLOAD``, which yields the same findings, without markup)."""
    payload, dir_payload, cn_payload = (
        (PAYLOAD, DIR_PAYLOAD, CN_PAYLOAD) if hostile else
        (CALM_PAYLOAD, CALM_DIR_PAYLOAD, CALM_CN_PAYLOAD) if calm_twin else ("", "", ""))
    repo = root / (name + dir_payload)
    copy_example(repo)
    for case in OVERLAYS:
        shutil.copytree(FIXTURES / case / "files", repo, dirs_exist_ok=True)
    if payload:  # and a configuration file, whose path the reports name
        (repo / ".sustain-lint.toml").write_text('ignore = ["SL114"]\n', encoding="utf-8")
        for path in sorted((repo / SET).iterdir()):
            text = path.read_text(encoding="utf-8")
            for quoted in NAMES:
                text = text.replace(quoted, quoted + _in_format(path.name, payload))
            if path.suffix == ".ics":
                text = _with_common_names(text, cn_payload)
            path.write_text(text, encoding="utf-8")
    return repo


def _with_common_names(export: str, payload: str) -> str:
    """The export with ``CN_PEOPLE``'s attendees named by CN, ``payload`` after the name."""
    for name in CN_PEOPLE:
        address = name.lower().replace(" ", ".") + "@example.com"
        export = export.replace(f"ATTENDEE:{address}",
                                f'ATTENDEE;CN="{name}{payload}":{address}')
    return export


def html_report(repo: Path, cwd: Path, *extra: str) -> str:
    result = run_cli([str(repo.relative_to(cwd)) if repo.is_relative_to(cwd) else str(repo),
                      "--today", TODAY, "--format", "html", *extra], cwd)
    assert result.code in (0, 1), result.err
    return result.out


def json_report(repo: Path, cwd: Path, today: str = TODAY) -> str:
    result = run_cli([str(repo.relative_to(cwd)), "--today", today, "--format", "json"], cwd)
    assert result.code in (0, 1), result.err
    return result.out


# -- the browser ----------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# as the machine's notes say: without the background-networking flags Chromium tries to
# reach Google's hosts at start, which this closed network refuses
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps", "--mute-audio"]


class Rendered(NamedTuple):
    dom: str  # document.documentElement.outerHTML after rendering
    console: list[str]  # every console message and page error
    requests: list[str]  # every URL the page asked for (the page itself included)
    counts: dict[str, int]  # elements per tag name
    attributes: list[str]  # every attribute name of every element
    text: str  # document.body.innerText


def render(page: Path, screenshot: Path | None = None, width: int = 1280,
           elements: Sequence[tuple[str, Path]] = ()) -> Rendered:
    """``page`` loaded in headless Chromium (Debian's, driven by Playwright);
    ``elements``: (selector, picture) of the first element each selector finds."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None
    console: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": width, "height": 1100})
            tab.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            tab.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            tab.on("request", lambda r: requests.append(r.url))
            tab.goto(page.as_uri(), wait_until="load")
            tab.wait_for_timeout(200)  # anything deferred would have run by now
            counts: dict[str, int] = tab.evaluate(
                "() => { const c = {}; for (const e of document.querySelectorAll('*')) "
                "{ const t = e.tagName.toLowerCase(); c[t] = (c[t] || 0) + 1; } return c; }")
            attributes: list[str] = tab.evaluate(
                "() => [...document.querySelectorAll('*')].flatMap("
                "e => [...e.attributes].map(a => a.name))")
            text: str = tab.evaluate("() => document.body.innerText")
            dom: str = tab.evaluate("() => document.documentElement.outerHTML")
            if screenshot is not None:  # the first screen: the verdict, gates, findings
                tab.screenshot(path=str(screenshot))
            for selector, picture in elements:  # one element of the page each
                tab.locator(selector).first.screenshot(path=str(picture))
        finally:
            browser.close()
    return Rendered(dom, console, requests, counts, attributes, text)


def _screenshots(out: Path) -> None:
    """The README's pictures: the report of a failing set, its first coverage heat map,
    the last week of its on-call export's horizon, and a fleet page over three
    repositories (one reported on two dates)."""
    import tempfile

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        repo = make_set(work, "payments")
        page = work / "report.html"
        page.write_text(html_report(repo, work), encoding="utf-8")
        render(page, out / "report.png", elements=[
            ("figure.map", out / "coverage.png"),
            ("section.set h3[id$='-schedule'] ~ figure.map:has(h4:text('Week 5:'))",
             out / "schedule.png")])
        # the fleet: the failing set, the complete example, and its history
        reports = []
        for label, source, today in (("payments", repo, "2026-11-01"),
                                     ("payments", repo, TODAY)):
            folder = work / "reports" / label
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{today}.json"
            target.write_text(json_report(source, work, today), encoding="utf-8")
            reports.append(str(target.relative_to(work)))
        ledger = work / "ledger"
        copy_example(ledger)
        (work / "reports" / "ledger").mkdir(parents=True)
        (work / "reports" / "ledger" / f"{TODAY}.json").write_text(
            json_report(ledger, work), encoding="utf-8")
        reports.append(f"reports/ledger/{TODAY}.json")
        result = run_cli(["report", *reports, "-o", "fleet.html"], work)
        assert result.code == 0, result.err
        render(work / "fleet.html", out / "fleet.png")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    if CHROMIUM is None:
        sys.stderr.write("chromium is not installed (apt-get install chromium)\n")
        return 1
    _screenshots(out)
    for png in sorted(out.glob("*.png")):
        print(os.path.relpath(png, ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
