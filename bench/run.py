"""Speed benchmark for sustain-lint (product spec, "Quality bars" -> "Speed").

Run from the repository root::

    python bench/run.py                 # the full benchmark (several minutes)
    python bench/run.py --quick         # a smoke run (< 1 minute, smaller inputs)
    python bench/run.py --only startup  # one figure: startup, one-set, scaling, schema, big-csv,
                                        #   coverage
    python bench/run.py --json out.json # also write the results as JSON

Every command runs as a subprocess of the Python that runs this script (the
``sustain-lint`` console script next to it, else ``python -m sustain_lint``).
Every figure is a ratio against a baseline measured in the same invocation,
interleaved with the subject so that machine drift hits both alike: the median
of the runs, with min and max. Peak memory is each child's own ``ru_maxrss``
(``os.wait4``). Inputs are generated in a temporary directory from
``examples/complete``. This is a measuring instrument, not a timed test: the
exit code is 0 whatever the bars say (2 if a command itself failed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sustain_lint.artifacts import ARTIFACTS, BACKLOG, CAPACITY, DEFAULT_ARTIFACTS_DIR, SCHEDULES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "complete"
SCHEMAS = ROOT / "sustain_lint" / "schemas"
TODAY = "2026-11-22"
FIGURES = ("startup", "one-set", "scaling", "schema", "big-csv", "coverage", "oncall", "history",
           "html")

#: JSON/YAML artifact of a set -> its schema in sustain_lint/schemas (figure 4), from the
#: package's own table of artifacts (no second list here).
SCHEMA_OF = {a.name: a.schema for a in ARTIFACTS
             if a.required and a.format in ("json", "yaml") and a.schema is not None}

Command = list[str]


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    seconds: float
    max_rss_kb: int
    cpu_seconds: float = 0.0  # user + system time of the command and the children it reaped


@dataclass
class Stats:
    median: float
    low: float
    high: float
    rss_median_kb: float
    rss_max_kb: int
    samples: list[Sample]
    cpu_median: float = 0.0

    @staticmethod
    def of(samples: Sequence[Sample]) -> Stats:
        secs = [s.seconds for s in samples]
        rss = [s.max_rss_kb for s in samples]
        return Stats(statistics.median(secs), min(secs), max(secs),
                     statistics.median(rss), max(rss), list(samples),
                     statistics.median(s.cpu_seconds for s in samples))


class CommandFailed(RuntimeError):
    pass


def run_once(cmds: Sequence[Command], cwd: Path, check: bool = False, expect: int = 0
             ) -> Sample:
    """Run ``cmds`` one after the other; wall time summed, peak RSS the largest.

    With ``check``, output is captured and an exit other than ``expect`` raises
    CommandFailed (used for the untimed warm-up run); otherwise output goes to
    /dev/null.
    """
    total, peak, cpu = 0.0, 0, 0.0
    for cmd in cmds:
        out = tempfile.TemporaryFile() if check else None  # noqa: SIM115 (closed below)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stderr=subprocess.STDOUT,
                                stdout=subprocess.DEVNULL if out is None else out)
        _, status, usage = os.wait4(proc.pid, 0)
        total += time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        # ru_maxrss is in kilobytes on Linux, bytes on macOS.
        rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
        peak = max(peak, rss)
        cpu += usage.ru_utime + usage.ru_stime
        if out is not None:
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
            out.close()
            if proc.returncode != expect:
                tail = "\n".join(text.splitlines()[-15:])
                raise CommandFailed(f"exit {proc.returncode}: {' '.join(cmd[:6])} ...\n{tail}")
    return Sample(total, peak, cpu)


def compare(subject: Sequence[Command], baseline: Sequence[Command], cwd: Path,
            runs: int) -> tuple[Stats, Stats]:
    """One checked warm-up of each, then ``runs`` interleaved timed runs."""
    base, subj = interleave([baseline, subject], cwd, runs)
    return subj, base


def interleave(subjects: Sequence[Sequence[Command]], cwd: Path, runs: int,
               expect: Sequence[int] | None = None) -> list[Stats]:
    """One checked warm-up of each subject (its exit code must be ``expect[i]``,
    default 0), then ``runs`` rounds that time each subject once, in turn: a
    slow spell of the machine hits all of them alike."""
    for i, subject in enumerate(subjects):
        run_once(subject, cwd, check=True, expect=expect[i] if expect else 0)
    samples: list[list[Sample]] = [[] for _ in subjects]
    for _ in range(runs):
        for subject, its_samples in zip(subjects, samples, strict=True):
            its_samples.append(run_once(subject, cwd))
    return [Stats.of(its_samples) for its_samples in samples]


# --------------------------------------------------------------------------- results


@dataclass
class Row:
    figure: str
    label: str
    median_s: float
    min_s: float
    max_s: float
    baseline: str = ""
    baseline_s: float | None = None
    ratio: float | None = None
    bar: str = ""
    passed: bool | None = None
    note: str = ""
    peak_rss_mb: float | None = None
    baseline_rss_mb: float | None = None
    extra: dict[str, float] = field(default_factory=dict)
    #: "s": median_s/min_s/max_s/baseline_s are seconds; "MB": they are megabytes.
    unit: str = "s"


def _mb(kb: float) -> float:
    return kb / 1024


def _t(value: float, unit: str = "s") -> str:
    if unit != "s":
        return f"{value:.0f} {unit}"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def print_table(rows: Sequence[Row], out: Callable[[str], None] = print) -> None:
    head = ("figure", "measured", "median", "min", "max", "baseline", "ratio", "bar", "result")
    body: list[tuple[str, ...]] = []
    for r in rows:
        body.append((
            r.figure, r.label,
            _t(r.median_s, r.unit), _t(r.min_s, r.unit), _t(r.max_s, r.unit),
            "" if r.baseline_s is None else _t(r.baseline_s, r.unit),
            "" if r.ratio is None else f"{r.ratio:.2f}x",
            r.bar,
            "" if r.passed is None else ("PASS" if r.passed else "FAIL"),
        ))
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h)
              for i, h in enumerate(head)]
    line = " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))
    out(line)
    out("-+-".join("-" * w for w in widths))
    for b in body:
        out(" | ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)))
    notes = [(r.figure, r.label, r.note) for r in rows if r.note]
    if notes:
        out("")
        for fig, label, note in notes:
            out(f"  {fig} / {label}: {note}")


# --------------------------------------------------------------------------- inputs


def lint_cmd(*args: str) -> Command:
    script = Path(sys.executable).parent / "sustain-lint"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "sustain_lint", *args]


def py_cmd(code: str) -> Command:
    return [sys.executable, "-c", code]


def make_sets(root: Path, count: int, only: Sequence[str] | None = None) -> Path:
    """``root/services/svc-0001/...``: ``count`` copies of examples/complete.

    With ``only``, each set holds just those artifact files (no runbooks).
    """
    for i in range(1, count + 1):
        dest = root / "services" / f"svc-{i:04d}"
        if only is None:
            shutil.copytree(EXAMPLE, dest)
        else:
            target = dest / ".artifacts" / "maintenance"
            target.mkdir(parents=True)
            for name in only:
                shutil.copy2(EXAMPLE / ".artifacts" / "maintenance" / name, target / name)
    return root


_VERBS = ("Fix", "Reduce", "Add", "Upgrade", "Remove", "Document", "Automate", "Investigate",
          "Alert on", "Rotate", "Migrate", "Harden")
_NOUNS = ("settlement job", "refund API", "card gateway credentials", "PostgreSQL replica",
          "batch lag", "p95 latency of /refunds", "on-call handover", "TLS certificates",
          "status page", "log retention", "webhook retries", "ledger export")
_SUFFIX = ("", "", "", " on timeout", " in EU region", ", then backfill", " (follow-up)",
           " for P1 incidents")
_SOURCES = ("incident", "retrospective", "audit", "analytics", "customer-support",
            "maintenance")
_PRIORITIES = ("P1",) * 3 + ("P2",) * 20 + ("P3",) * 40 + ("P4",) * 37
_STATUSES = ("done",) * 55 + ("cancelled",) * 10 + ("open",) * 25 + ("in-progress",) * 7 + (
    "blocked",) * 3


def _owners() -> list[str]:
    import csv

    with open(EXAMPLE / DEFAULT_ARTIFACTS_DIR / CAPACITY, encoding="utf-8",
              newline="") as fh:
        return [row["name"] for row in csv.DictReader(fh) if row.get("name")] or ["Aisha Bello"]


def write_backlog(path: Path, rows: int, seed: int = 18, bad_row: int | None = None) -> None:
    """A valid register: unique ids, known owners, every open item due after TODAY,
    every live P1 owned and dated, titles with commas quoted. With ``bad_row``,
    that row's status is 'wip' (one SL003 finding); every other cell is the same."""
    import csv
    import datetime as dt

    rnd = random.Random(seed)
    owners = _owners() + ["Engineering Manager"]
    today = dt.date.fromisoformat(TODAY)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "title", "source", "priority", "owner", "status", "due", "created"])
        for i in range(1, rows + 1):
            status = rnd.choice(_STATUSES)
            priority = rnd.choice(_PRIORITIES)
            live = status in ("open", "in-progress", "blocked")
            created = today - dt.timedelta(days=rnd.randint(1, 1500))
            if live:
                due: dt.date | None = today + dt.timedelta(days=rnd.randint(1, 365))
            else:
                due = created + dt.timedelta(days=rnd.randint(7, 120))
            owner = rnd.choice(owners)
            if not live and rnd.random() < 0.1:
                owner = ""
            if priority != "P1" and rnd.random() < 0.15:
                due = None
            title = f"{rnd.choice(_VERBS)} {rnd.choice(_NOUNS)}{rnd.choice(_SUFFIX)}"
            if i == bad_row:
                status = "wip"
            w.writerow([f"BL-{i:07d}", title, rnd.choice(_SOURCES), priority, owner, status,
                        "" if due is None else due.isoformat(), created.isoformat()])


# --------------------------------------------------------------------------- figures


@dataclass
class Config:
    runs: int
    scale: tuple[int, ...]
    schema_sets: int
    csv_rows: int
    work: Path
    history: tuple[int, int] = (1000, 10_000)  # figure 8: sets, commits


def fig_startup(cfg: Config) -> list[Row]:
    rows = []
    for label, args in (("--version", ("--version",)), ("explain SL111", ("explain", "SL111"))):
        subj, base = compare([lint_cmd(*args)], [py_cmd("pass")], cfg.work, cfg.runs)
        rows.append(Row("1 startup", label, subj.median, subj.low, subj.high,
                        "python -c pass", base.median, subj.median / base.median,
                        "<= 80 ms", subj.median <= 0.080,
                        note=f"{(subj.median - base.median) * 1000:.0f} ms above the bare "
                        "interpreter"))
    return rows


DEPS_IMPORT = "import pandera.pandas, jsonschema, yaml, markdown_it"


def fig_one_set(cfg: Config) -> list[Row]:
    repo = cfg.work / "one-set"
    if not repo.exists():
        shutil.copytree(EXAMPLE, repo)
    subj, base = compare([lint_cmd("--gate", "4", "--today", TODAY, str(repo))],
                         [py_cmd(DEPS_IMPORT)], cfg.work, cfg.runs)
    ratio = subj.median / base.median
    return [Row("2 one set", "--gate 4, 1 complete set", subj.median, subj.low, subj.high,
                "bare import of deps", base.median, ratio, "<= 1.15x", ratio <= 1.15,
                note=f"{(subj.median - base.median) * 1000:.0f} ms above `python -c "
                f"\"{DEPS_IMPORT}\"`")]


def _sets_repo(cfg: Config, n: int, only: Sequence[str] | None = None) -> Path:
    name = f"sets-{n}" if only is None else f"tree-sets-{n}"
    repo = cfg.work / name
    if not repo.exists():
        make_sets(repo, n, only)
    return repo


def fig_scaling(cfg: Config) -> list[Row]:
    rows: list[Row] = []
    # every input written (and flushed to disk) before the first timed run, and the sizes
    # timed in rounds with the baseline: the linearity compares differences of these
    # medians, which a slow spell during one size alone would skew
    repos = {n: _sets_repo(cfg, n) for n in cfg.scale}
    os.sync()
    stats = interleave([[py_cmd(DEPS_IMPORT)]]
                       + [[lint_cmd("--gate", "4", "--today", TODAY, str(repos[n]))]
                          for n in cfg.scale], cfg.work, max(3, min(cfg.runs, 5)))
    base: Stats | None = stats[0]
    results: dict[int, Stats] = dict(zip(cfg.scale, stats[1:], strict=True))
    for n in cfg.scale:
        subj = results[n]
        per_set = subj.median / n
        row = Row("3 scaling", f"{n} set{'s' if n != 1 else ''} in one run", subj.median, subj.low, subj.high,
                  "1 set" if n != cfg.scale[0] else "", None, None, "", None,
                  note=f"{per_set * 1000:.1f} ms per set (whole run / N)",
                  peak_rss_mb=_mb(subj.rss_max_kb))
        first = results[cfg.scale[0]]
        if n != cfg.scale[0]:
            row.baseline_s = first.median
            row.ratio = subj.median / first.median
            marginal = (subj.median - first.median) / (n - cfg.scale[0])
            row.note += f"; marginal {marginal * 1000:.2f} ms per extra set"
            row.extra["marginal_s_per_set"] = marginal
        row.extra["per_set_s"] = per_set
        if n == max(cfg.scale) and n >= 1000:
            row.bar = f"<= 5 s ({os.cpu_count()} cores)"
            row.passed = subj.median <= 5.0
        rows.append(row)
    # Linearity: the marginal cost per set of the largest step against the one before.
    # Judged only at full size: small steps are dominated by start-up noise.
    if len(cfg.scale) >= 3:
        a, b_, c = cfg.scale[0], cfg.scale[-2], cfg.scale[-1]
        m_mid = (results[b_].median - results[a].median) / (b_ - a)
        m_top = (results[c].median - results[b_].median) / (c - b_)
        growth = m_top / m_mid if m_mid > 0 else float("nan")
        judged = c >= 1000 and m_mid > 0
        rows.append(Row("3 scaling", f"linearity {b_}->{c} vs {a}->{b_}", m_top, m_top, m_top,
                        f"{a}->{b_} per set", m_mid, growth,
                        "<= 1.3x (linear)" if judged else "(judged at 1,000 sets)",
                        growth <= 1.3 if judged else None,
                        note="median/min/max/baseline here = marginal seconds per extra set"))
    if base is not None:
        rows.append(Row("3 scaling", "baseline: bare import of deps", base.median, base.low,
                        base.high, note="fixed start-up cost inside every run above"))
    return rows


def fig_schema(cfg: Config) -> list[Row]:
    repo = _sets_repo(cfg, cfg.schema_sets, only=tuple(SCHEMA_OF))
    files: dict[str, list[str]] = {name: [] for name in SCHEMA_OF}
    for name in SCHEMA_OF:
        files[name] = sorted(str(p) for p in repo.glob(f"services/*/.artifacts/maintenance/{name}"))
    checker = Path(sys.executable).parent / "check-jsonschema"
    if not checker.exists():
        found = shutil.which("check-jsonschema")
        if found is None:
            return [Row("4 schema", "--select SL003", 0, 0, 0,
                        note="check-jsonschema not installed (pip install -e '.[test]'): skipped")]
        checker = Path(found)
    baseline = [[str(checker), "--schemafile", str(SCHEMAS / schema), *files[name]]
                for name, schema in SCHEMA_OF.items()]
    subj, base = compare([lint_cmd("--select", "SL003", "--today", TODAY, str(repo))],
                         baseline, cfg.work, cfg.runs)
    ratio = subj.median / base.median
    count = sum(len(v) for v in files.values())
    return [Row("4 schema", f"--select SL003, {cfg.schema_sets} sets ({count} files)",
                subj.median, subj.low, subj.high, "check-jsonschema x5", base.median, ratio,
                "<= 1.0x", ratio <= 1.0,
                note="baseline = one check-jsonschema invocation per schema over all files "
                "of that kind, summed")]


def fig_big_csv(cfg: Config) -> list[Row]:
    register = Path(DEFAULT_ARTIFACTS_DIR, BACKLOG)
    repo = cfg.work / f"big-csv-{cfg.csv_rows}"
    flawed_repo = cfg.work / f"big-csv-{cfg.csv_rows}-one-finding"
    csv_path = repo / register
    for where, bad_row in ((repo, None), (flawed_repo, cfg.csv_rows // 2)):
        if not where.exists():
            shutil.copytree(EXAMPLE, where)
            write_backlog(where / register, cfg.csv_rows, bad_row=bad_row)
    read = (f"import pandas; pandas.read_csv({str(csv_path)!r}, dtype=str, "
            "keep_default_na=False)")
    base, subj, flawed = interleave(
        [[py_cmd(read)], [lint_cmd("--gate", "4", "--today", TODAY, str(repo))],
         [lint_cmd("--gate", "4", "--today", TODAY, str(flawed_repo))]],
        cfg.work, cfg.runs, expect=[0, 0, 1])
    ratio = subj.median / base.median
    mem_ratio = subj.rss_median_kb / base.rss_median_kb
    size = csv_path.stat().st_size / 1e6
    label = f"{cfg.csv_rows:,}-row backlog ({size:.0f} MB)"
    return [
        Row("5 big CSV", label + ": time", subj.median, subj.low, subj.high,
            "pandas.read_csv", base.median, ratio, "<= 2x", ratio <= 2.0,
            peak_rss_mb=_mb(subj.rss_max_kb), baseline_rss_mb=_mb(base.rss_max_kb)),
        Row("5 big CSV", label + ": peak RSS", _mb(subj.rss_median_kb),
            _mb(min(s.max_rss_kb for s in subj.samples)), _mb(subj.rss_max_kb),
            "pandas.read_csv", _mb(base.rss_median_kb), mem_ratio, "<= 3x memory",
            mem_ratio <= 3.0, unit="MB", peak_rss_mb=_mb(subj.rss_median_kb),
            baseline_rss_mb=_mb(base.rss_median_kb)),
        Row("5 big CSV", label + ", one bad cell: time", flawed.median, flawed.low,
            flawed.high, "pandas.read_csv", base.median, flawed.median / base.median,
            note="no bar: the same register with one bad status, for the cost of a finding "
                 "(pandera's import, placing the cell)",
            peak_rss_mb=_mb(flawed.rss_max_kb), baseline_rss_mb=_mb(base.rss_max_kb)),
    ]


def fig_html(cfg: Config) -> list[Row]:
    """The html page of N sets against the JSON report of the same run. Every fourth
    set has a Saturday-night L2 gap in its roster and in its on-call export (the
    fixtures' files): findings with source lines and fixes, gaps on the heat maps of
    the roster's year and of the export's weeks."""
    n = max(cfg.scale)
    repo = cfg.work / f"html-sets-{n}"
    if not repo.exists():
        make_sets(repo, n)
        for case in ("sl111-saturday-night-gap", "sl115-pagerduty-saturday-night-gap"):
            gap = ROOT / "tests" / "fixtures" / case / "files" / DEFAULT_ARTIFACTS_DIR
            for i in range(1, n + 1, 4):
                shutil.copytree(gap, repo / "services" / f"svc-{i:04d}" / DEFAULT_ARTIFACTS_DIR,
                                dirs_exist_ok=True)
    os.sync()
    base, subj = interleave(
        [[lint_cmd("--today", TODAY, "--format", "json", "--output", str(cfg.work / "r.json"),
                   str(repo))],
         [lint_cmd("--today", TODAY, "--format", "html", "--output", str(cfg.work / "r.html"),
                   str(repo))]],
        cfg.work, max(3, min(cfg.runs, 5)), expect=[1, 1])
    ratio = subj.median / base.median
    size = (cfg.work / "r.html").stat().st_size / 1e6
    return [Row("9 html", f"--format html, {n} sets", subj.median, subj.low, subj.high,
                "--format json, same run", base.median, ratio, "<= 1.2x", ratio <= 1.2,
                note=f"page {size:.1f} MB; a quarter of the sets fail (findings, gaps)",
                peak_rss_mb=_mb(subj.rss_max_kb), baseline_rss_mb=_mb(base.rss_max_kb))]

def _year_of_shifts(first: str, names: Sequence[str]) -> str:
    """A PagerDuty-shaped export of a year of 12-hour shifts from ``first`` (07:00 and
    19:00 UTC handovers), the names in turn (tests/oncall/make.py writes the same)."""
    import datetime as dt

    start = dt.datetime.fromisoformat(f"{first}T07:00:00+00:00")
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//PagerDuty Inc.//PagerDuty Calendar//EN",
           "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:On Call Schedule for Payments L2"]
    for number in range(365 * 2):
        begin = start + dt.timedelta(hours=12 * number)
        end = begin + dt.timedelta(hours=12)
        name = names[number % len(names)]
        out += ["BEGIN:VEVENT", f"DTSTAMP:{begin:%Y%m%dT%H%M%SZ}",
                f"DTSTART:{begin:%Y%m%dT%H%M%SZ}", f"DTEND:{end:%Y%m%dT%H%M%SZ}",
                f"UID:Q{number:06d}@pagerduty.com", f"SUMMARY:On Call - {name} - Payments L2",
                f"ATTENDEE:{name.lower().replace(' ', '.')}@example.com",
                "URL:https://example.pagerduty.com/schedules#PXXXXXX", "END:VEVENT"]
    return "\r\n".join([*out, "END:VCALENDAR"]) + "\r\n"


def fig_oncall(cfg: Config) -> list[Row]:
    """N sets each with a year of 12-hour shifts in an export, against the same sets
    without exports (the example's own export removed)."""
    import fnmatch

    n = max(cfg.scale)
    with_exports, without = cfg.work / f"oncall-{n}", cfg.work / f"no-oncall-{n}"
    names = ("Priya Raman", "Diego Alvarez", "Mei Chen", "Tom Okafor")  # the example's L2 rows
    export = _year_of_shifts("2026-11-01", names)
    for repo, text in ((without, None), (with_exports, export)):
        if repo.exists():
            continue
        make_sets(repo, n)
        for folder in sorted(repo.glob(f"services/*/{DEFAULT_ARTIFACTS_DIR}")):
            for old in folder.iterdir():
                if fnmatch.fnmatch(old.name, SCHEDULES):
                    old.unlink()
            if text is not None:
                (folder / "oncall-payments-l2.ics").write_bytes(text.encode())
    os.sync()
    base, subj = interleave([[lint_cmd("--gate", "4", "--today", TODAY, str(without))],
                             [lint_cmd("--gate", "4", "--today", TODAY, str(with_exports))]],
                            cfg.work, max(3, min(cfg.runs, 5)))
    ratio = subj.median / base.median
    cpu_ratio = subj.cpu_median / base.cpu_median if base.cpu_median else float("nan")
    cpu = [s.cpu_seconds for s in subj.samples]
    return [Row("7 oncall", f"{n} sets, each a year of 12-hour shifts", subj.median, subj.low,
                subj.high, f"the {n} sets without exports", base.median, ratio, "<= 1.5x",
                ratio <= 1.5, note=f"{(subj.median - base.median) / n * 1000:.2f} ms per "
                f"export of {len(export):,} bytes (730 events)",
                peak_rss_mb=_mb(subj.rss_max_kb), baseline_rss_mb=_mb(base.rss_max_kb)),
            Row("7 oncall", "the same, CPU time (user + system, workers included)",
                subj.cpu_median, min(cpu), max(cpu), "the same without exports",
                base.cpu_median, cpu_ratio, "(<= 1.5x)", cpu_ratio <= 1.5,
                note="what the exports cost whatever else runs on the machine: wall time on a "
                "shared machine swings with its load")]

#: the 20 zones of figure 6's roster: both hemispheres' clock changes, half-hour offsets, none
COVERAGE_ZONES = (
    "Europe/Dublin", "Europe/London", "Europe/Berlin", "Europe/Helsinki", "America/Vancouver",
    "America/New_York", "America/Chicago", "America/Sao_Paulo", "America/Santiago",
    "America/Halifax", "Asia/Kolkata", "Asia/Tokyo", "Asia/Singapore", "Asia/Kathmandu",
    "Asia/Tehran", "Australia/Sydney", "Australia/Adelaide", "Pacific/Auckland", "Africa/Cairo",
    "UTC")
COVERAGE_WINDOWS = ("Mon-Fri 08:00-20:00", "Sat,Sun 08:00-20:00", "Mon-Thu 20:00-08:00",
                    "Fri 20:00-24:00; Sat,Sun 20:00-08:00", "Daily 06:00-09:30")


def coverage_rows(count: int = 100) -> list[str]:
    """``count`` L2 rows of capacity-analysis.csv in the 20 zones (five a zone)."""
    return [f"Engineer {i:03d},L2 On-call Engineer,L2,\"{COVERAGE_WINDOWS[i % 5]}\","
            f"{COVERAGE_ZONES[i // 5 % len(COVERAGE_ZONES)]},1,payments,,,,"
            for i in range(count)]


def _cold_ms(run: Callable[[], object]) -> float:
    """Milliseconds of one call with every coverage cache emptied first (zone files
    included): the cost a lint run pays the first time."""
    from zoneinfo import ZoneInfo

    from sustain_lint import coverage

    for cached in (coverage._year, coverage.zone_offsets, coverage._zone):
        cached.cache_clear()
    ZoneInfo.clear_cache()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def fig_coverage(cfg: Config) -> list[Row]:
    """The year's coverage of a 100-row roster in 20 zones: in this process, each call
    cold, interleaved with its baseline (one week of the same roster, also cold); then
    the whole run on a set with that roster against the complete example."""
    import datetime as dt

    from sustain_lint import coverage

    entries = [coverage.roster_entry(f"E{i}", COVERAGE_WINDOWS[i % 5],
                                     COVERAGE_ZONES[i // 5 % len(COVERAGE_ZONES)])
               for i in range(100)]
    roster = [e for e in entries if e is not None]
    today = dt.date.fromisoformat(TODAY)
    year = coverage.year_coverage(roster, today)  # (warm-up, and what it found)
    years: list[float] = []
    weeks: list[float] = []
    for _ in range(max(cfg.runs, 5) * 3):
        weeks.append(_cold_ms(lambda: coverage.week_at(roster, today)))
        years.append(_cold_ms(lambda: coverage.year_coverage(roster, today)))
    y, w = statistics.median(years), statistics.median(weeks)
    rows = [Row("6 coverage", "year of 100 L2 rows in 20 zones", y, min(years), max(years),
                "one week, same roster", w, y / w, "<= 50 ms", y <= 0.050,
                note=f"{len(year.periods)} distinct offset periods, {len(year.gaps)} gaps; "
                f"one week per day of the year would be ~{365 * w * 1000:.0f} ms")]
    repo = cfg.work / "coverage-roster"
    if not repo.exists():
        shutil.copytree(EXAMPLE, repo)
        path = repo / DEFAULT_ARTIFACTS_DIR / CAPACITY
        path.write_text(path.read_text(encoding="utf-8") + "\n".join(coverage_rows()) + "\n",
                        encoding="utf-8")
    base_repo = cfg.work / "one-set"
    if not base_repo.exists():
        shutil.copytree(EXAMPLE, base_repo)
    base, subj = interleave([[lint_cmd("--gate", "4", "--today", TODAY, str(base_repo))],
                             [lint_cmd("--gate", "4", "--today", TODAY, str(repo))]],
                            cfg.work, cfg.runs)
    extra = subj.median - base.median
    rows.append(Row("6 coverage", "--gate 4, the set with that roster", subj.median, subj.low,
                    subj.high, "1 complete set", base.median, subj.median / base.median,
                    note=f"no bar: {extra * 1000:.0f} ms above the complete example (4 L2 "
                    "rows), for 100 more rows to read and judge and 16 more zone files"))
    return rows


def fig_history(cfg: Config) -> list[Row]:
    """Figure 7: the sets in one git repository with a long history, against the same
    tree without ``.git`` (approval freshness not judged there). Both run through a
    ``git`` that counts its starts: the number of git processes one run starts."""
    import git_history

    sets, commits = cfg.history
    repo = cfg.work / "history-repo"
    if not repo.exists():
        git_history.build(repo, sets, commits)
    bare = cfg.work / "history-tree"
    if not bare.exists():
        git_history.copy_without_git(repo, bare)
    log = cfg.work / "git-starts.log"
    shim = git_history.git_shim(cfg.work / "shim", log)
    path = f"PATH={shim}{os.pathsep}{os.environ.get('PATH', '')}"
    os.sync()
    runs = max(3, min(cfg.runs, 5))
    log.write_text("")
    subj, base = compare([["env", path, *lint_cmd("--gate", "4", "--today", TODAY, str(repo))]],
                         [["env", path, *lint_cmd("--gate", "4", "--today", TODAY, str(bare))]],
                         cfg.work, runs)
    started = len(log.read_text().splitlines())
    # the warm-up and the timed runs of both; the tree without .git starts none
    per_run = started / (runs + 1)
    ratio = subj.median / base.median
    return [Row("8 history", f"{sets} sets, {commits} commits", subj.median, subj.low,
                subj.high, "same tree, no .git", base.median, ratio, "<= 1.5x", ratio <= 1.5,
                note=f"{per_run:g} git processes per run (rev-parse, check-attr, log, "
                f"cat-file); {(subj.median - base.median) * 1000:.0f} ms for the history",
                peak_rss_mb=_mb(subj.rss_max_kb))]


RUNNERS: dict[str, Callable[[Config], list[Row]]] = {
    "startup": fig_startup, "one-set": fig_one_set, "scaling": fig_scaling,
    "schema": fig_schema, "big-csv": fig_big_csv, "coverage": fig_coverage,
    "oncall": fig_oncall, "history": fig_history, "html": fig_html,
}


# --------------------------------------------------------------------------- main


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 3 runs, small inputs (< 1 minute)")
    parser.add_argument("--only", action="append", choices=FIGURES, metavar="NAME",
                        help=f"run only this figure (repeatable): {', '.join(FIGURES)}")
    parser.add_argument("--runs", type=int, help="timed runs per command (default 7, quick 3)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--keep", action="store_true",
                        help="keep the generated inputs and print where they are")
    args = parser.parse_args(argv)

    scale: tuple[int, ...]
    if args.quick:
        runs, scale, schema_sets, csv_rows = 3, (1, 10), 10, 20_000
    else:
        runs, scale, schema_sets, csv_rows = 7, (1, 10, 100, 1000), 1000, 1_000_000
    if args.runs:
        runs = max(1, args.runs)
    work = Path(tempfile.mkdtemp(prefix="sustain-lint-bench-"))
    # Children compile to and read bytecode from a cache inside the work dir: the
    # steady state of an installed tool, even where PYTHONDONTWRITEBYTECODE is set,
    # without writing __pycache__ into the checkout. Warm-up runs fill it.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    cfg = Config(runs, scale, schema_sets, csv_rows, work,
                 history=(20, 500) if args.quick else (1000, 10_000))
    print(f"sustain-lint benchmark ({'quick' if args.quick else 'full'}): "
          f"{runs} timed runs per command, median [min, max]; Python "
          f"{platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}, "
          f"commit {_git_commit() or '?'}, load average {_load()}", flush=True)
    rows: list[Row] = []
    failed = False
    try:
        for name in args.only or FIGURES:
            started = time.perf_counter()
            print(f"... {name}", file=sys.stderr, flush=True)
            try:
                rows.extend(RUNNERS[name](cfg))
            except CommandFailed as exc:
                failed = True
                rows.append(Row(name, "ERROR", 0, 0, 0, passed=False, note=str(exc)))
            print(f"    {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr,
                  flush=True)
    finally:
        if args.keep:
            print(f"inputs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average at the end: {_load()} (other work on the machine skews "
          "absolute times; ratios are interleaved with their baseline)")
    print_table(rows)
    if args.json:
        Path(args.json).write_text(json.dumps({
            "quick": args.quick, "runs": runs, "python": platform.python_version(),
            "cpus": os.cpu_count(), "platform": platform.platform(), "commit": _git_commit(),
            "rows": [asdict(r) for r in rows],
        }, indent=2) + "\n", encoding="utf-8")
    return 2 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
