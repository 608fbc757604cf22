"""Property-based fuzzing of whole evidence sets (product.md, "Quality bars").

Start from the bundled example (a valid, passing set), mutate one to three artifacts at
byte level (flip, insert, delete, truncate) or at structure level (JSON/YAML: drop keys,
change a value's type, swap values, empty lists; CSV: drop or duplicate cells, shuffle
columns, drop rows; Markdown: delete lines or table rows, break front matter), run the
whole CLI in-process, and assert: no exception escapes, the exit code is 0 or 1 (never 3,
the internal-error code), and each run is quick.

The default run is short (60 examples; 10 in the fast run, ``-m "not slow"``). A long run:

    SUSTAIN_LINT_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py -p no:cacheprovider

(add ``--hypothesis-seed=N`` to replay a seed; hypothesis prints the failing example)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sustain_lint.reporters import FORMATS
from tests.helpers import EXAMPLE, SET, TODAY, run_cli

EXAMPLES = int(os.environ.get("SUSTAIN_LINT_FUZZ_EXAMPLES", "60"))
MAX_SECONDS = float(os.environ.get("SUSTAIN_LINT_FUZZ_MAX_SECONDS", "5"))

ORIGINAL: dict[str, bytes] = {
    p.name: p.read_bytes() for p in sorted((EXAMPLE / SET).iterdir()) if p.is_file()
}
WAIVERS = (
    b"- rule: SL304\n  path: backlog-register.csv\n  justification: Planned for Q1\n"
    b"  approved_by: Head of Operations\n  expires: 2027-01-31\n"
    b"- rule: SL111\n  justification: Vendor weekend cover\n  approved_by: Head of Operations\n"
    b"  expires: 2026-01-01\n"
)
FILES = sorted([*ORIGINAL, "waivers.yaml"])

# --- values that may replace a JSON/YAML value ---------------------------------------------

NASTY_TEXT = st.sampled_from([
    "", " ", "TBD", "n/a", "P1", "P5", "24/7", "Mon-Fri 25:00-99:00", "2026-02-30", "9999-12-31",
    "0000-01-01", "-1", "1e309", "NaN", "15m", "0m", "-4h", "P14D", "PT", "../../etc/passwd",
    "/etc/passwd", "http://x", "https://", "\x1b[31mred\x1b[0m", "line\n::error::forged",
    "%0A", "\u202e", "\x00", "L2", "approved", "draft", "yes", "~", "null", "[]", "{}",
    "a" * 5000, "0001-01-01", "9999-12-30", "P999999999999D", "9" * 400 + "m", "99999999999w",
    "docs/runbooks/deploy.md\x00", "docs/" + "a" * 5000, "Sat,Sun,Sat 00:00-24:00",
    "Mon-Fri 22:00-06:00;;", "../../../etc/localtime", "Europe/../../etc/passwd",
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), NASTY_TEXT, st.text(max_size=30),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=8)


# --- tree mutations ----------------------------------------------------------------------

def _slots(value: Any, depth: int = 0) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) in a JSON/YAML tree."""
    if depth > 50:
        return
    if isinstance(value, dict):
        for k in list(value):
            yield value, k
            yield from _slots(value[k], depth + 1)
    elif isinstance(value, list):
        for i in range(len(value)):
            yield value, i
            yield from _slots(value[i], depth + 1)


def mutate_tree(data: Any, draw: Any) -> Any:
    slots = list(_slots(data))
    if not slots:
        return draw(VALUES)
    container, key = draw(st.sampled_from(slots))
    op = draw(st.sampled_from(["drop", "retype", "swap", "empty", "duplicate", "root", "nasty",
                               "nasty"]))
    if op == "nasty":  # a hostile string where a string is (a date, duration, path, owner)
        strings = [slot for slot in slots if isinstance(slot[0][slot[1]], str)]
        if strings:
            container, key = draw(st.sampled_from(strings))
            container[key] = draw(NASTY_TEXT)
            return data
    if op == "drop":
        del container[key]
    elif op == "retype":
        old = container[key]
        kinds = [None, 0, -7, 3.5, True, [], {}, "", [old], {"value": old}, str(old)]
        container[key] = draw(st.one_of(st.sampled_from(kinds), VALUES))
    elif op == "swap":
        other_container, other_key = draw(st.sampled_from(slots))
        # (when the second slot lay inside the first, the swap is skipped)
        with contextlib.suppress(IndexError, KeyError):
            container[key], other_container[other_key] = other_container[other_key], container[key]
    elif op == "empty":
        old = container[key]
        container[key] = type(old)() if isinstance(old, (list, dict, str)) else []
    elif op == "duplicate" and isinstance(container, list):
        container.insert(key, container[key])
    elif op == "root":
        return draw(st.sampled_from([None, [], {}, "text", 42, [data], {"wrapped": data}]))
    return data


def _yaml_dump(data: Any) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000).encode("utf-8")


def mutate_json(raw: bytes, draw: Any) -> bytes:
    data = mutate_tree(json.loads(raw), draw)
    return json.dumps(data, indent=draw(st.sampled_from([None, 2])), ensure_ascii=False).encode()


def mutate_yaml(raw: bytes, draw: Any) -> bytes:
    data = mutate_tree(yaml.safe_load(raw), draw)
    return _yaml_dump(data)


# --- CSV mutations -------------------------------------------------------------------------

def mutate_csv(raw: bytes, draw: Any) -> bytes:
    rows = [row for row in csv.reader(io.StringIO(raw.decode("utf-8"))) if row]
    if not rows:
        raise ValueError("no rows to mutate")
    op = draw(st.sampled_from(["drop-cell", "duplicate-cell", "shuffle-columns", "drop-column",
                               "drop-row", "duplicate-row", "set-cell", "header-only",
                               "swap-cells", "rename-header"]))
    r = draw(st.integers(0, len(rows) - 1))
    c = draw(st.integers(0, len(rows[r]) - 1)) if rows[r] else 0
    if op == "drop-cell" and rows[r]:
        del rows[r][c]
    elif op == "duplicate-cell" and rows[r]:
        rows[r].insert(c, rows[r][c])
    elif op == "shuffle-columns":
        order = draw(st.permutations(range(len(rows[0]))))
        rows = [[row[i] for i in order if i < len(row)] for row in rows]
    elif op == "drop-column":
        rows = [[cell for i, cell in enumerate(row) if i != c] for row in rows]
    elif op == "drop-row":
        del rows[r]
    elif op == "duplicate-row":
        rows.insert(r, list(rows[r]))
    elif op == "set-cell" and rows[r]:
        rows[r][c] = draw(st.one_of(NASTY_TEXT, st.text(max_size=20)))
    elif op == "header-only":
        rows = rows[:1]
    elif op == "swap-cells" and rows[r]:
        c2 = draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c], rows[r][c2] = rows[r][c2], rows[r][c]
    elif op == "rename-header":
        rows[0][c] = draw(st.sampled_from(["", rows[0][(c + 1) % len(rows[0])], "NAME", "x"]))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


# --- Markdown mutations ----------------------------------------------------------------------

def mutate_markdown(raw: bytes, draw: Any) -> bytes:
    text = raw.decode("utf-8")
    lines = text.split("\n")
    op = draw(st.sampled_from(["delete-lines", "delete-table-row", "duplicate-line",
                               "front-matter", "table-cell", "heading-level"]))
    if op == "delete-lines":
        start = draw(st.integers(0, len(lines) - 1))
        count = draw(st.integers(1, 5))
        del lines[start:start + count]
    elif op == "delete-table-row":
        rows = [i for i, line in enumerate(lines) if line.startswith("|")]
        if rows:
            del lines[draw(st.sampled_from(rows))]
    elif op == "duplicate-line":
        i = draw(st.integers(0, len(lines) - 1))
        lines.insert(i, lines[i])
    elif op == "front-matter" and text.startswith("---\n"):
        end = lines.index("---", 1)
        try:
            front = yaml.safe_load("\n".join(lines[1:end]))
        except yaml.YAMLError:
            front = None
        front = mutate_tree(front, draw)
        dumped = _yaml_dump(front).decode().rstrip("\n").split("\n")
        lines = ["---", *dumped, *lines[end:]]
    elif op == "table-cell":
        rows = [i for i, line in enumerate(lines) if line.startswith("|")]
        if rows:
            i = draw(st.sampled_from(rows))
            cells = lines[i].split("|")
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = " " + draw(st.one_of(NASTY_TEXT.filter(lambda s: "\n" not in s),
                                            st.just(""), st.just("|"))) + " "
            lines[i] = "|".join(cells)
    elif op == "heading-level":
        heads = [i for i, line in enumerate(lines) if line.startswith("#")]
        if heads:
            i = draw(st.sampled_from(heads))
            lines[i] = draw(st.sampled_from(["#", "######", "", "#######"])) + " " + \
                lines[i].lstrip("#").strip()
    return "\n".join(lines).encode("utf-8")


# --- byte mutations --------------------------------------------------------------------------

def mutate_bytes(raw: bytes, draw: Any) -> bytes:
    op = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
    pos = draw(st.integers(0, max(len(raw) - 1, 0)))
    if op == "flip" and raw:
        return raw[:pos] + bytes([raw[pos] ^ draw(st.integers(1, 255))]) + raw[pos + 1:]
    if op == "insert":
        chunk = draw(st.one_of(st.binary(min_size=1, max_size=8), st.sampled_from(
            [b"\x00", b"\xff", b"\r", b'"', b"'", b",", b"[", b"{", b"&a ", b"*a", b"!!", b"---\n",
             b"\n|", b"\xef\xbb\xbf", b"\t", b": ", b"- ", b'"\\ud800"', b"9" * 5000,
             b"\\ud800", b"1e999", b"-0", b"NaN", b"&a [*a, *a]", b"<<: *a\n",
             b"0x" + b"f" * 4000, b"1:" * 3000 + b"1"])))
        return raw[:pos] + chunk + raw[pos:]
    if op == "delete":
        return raw[:pos] + raw[pos + draw(st.integers(1, 40)):]
    return raw[:pos]


def mutate_ics(raw: bytes, draw: Any) -> bytes:
    """An iCalendar export's content lines: one deleted, duplicated, or given another
    value (a time, a person, a recurrence, a status, nothing)."""
    text = raw.decode("utf-8")
    lines = text.split("\r\n")
    i = draw(st.integers(0, len(lines) - 1))
    op = draw(st.sampled_from(["delete-line", "duplicate-line", "value"]))
    if op == "delete-line":
        del lines[i]
    elif op == "duplicate-line":
        lines.insert(i, lines[i])
    elif ":" in lines[i]:
        name = lines[i].split(":", 1)[0]
        value = draw(st.sampled_from(["", "20270101T000000Z", "20261122", "x", "-1",
                                      "FREQ=DAILY;COUNT=1000000", "CANCELLED",
                                      "mailto:tbd@example.com", "99991231T235959Z"]))
        lines[i] = f"{name}:{value}"
    return "\r\n".join(lines).encode("utf-8")


STRUCTURE = {".json": mutate_json, ".yaml": mutate_yaml, ".csv": mutate_csv, ".md": mutate_markdown,
             ".ics": mutate_ics}


@st.composite
def mutated_sets(draw: Any) -> dict[str, bytes | None]:
    files: dict[str, bytes | None] = dict(ORIGINAL)
    files["waivers.yaml"] = WAIVERS if draw(st.booleans()) else None
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(FILES))
        raw = files[name]
        if raw is None:
            continue
        level = draw(st.sampled_from(["bytes", "structure", "structure", "delete-file"]))
        if level == "delete-file":
            files[name] = None
        elif level == "bytes":
            files[name] = mutate_bytes(raw, draw)
        else:
            try:
                files[name] = STRUCTURE[Path(name).suffix](raw, draw)
            except (ValueError, yaml.YAMLError, UnicodeDecodeError, IndexError, csv.Error,
                    RecursionError):
                files[name] = mutate_bytes(raw, draw)  # already broken: mutate its bytes
    return files


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path_factory.mktemp("fuzz") / "repo",
                                symlinks=True))


def _install(folder: Path, files: dict[str, bytes | None]) -> None:
    for name, data in files.items():
        path = folder / name
        if data is None:
            if path.exists():
                path.unlink()
        else:
            path.write_bytes(data)


@pytest.mark.parametrize("examples", [10, pytest.param(EXAMPLES, marks=pytest.mark.slow)])
def test_mutated_sets_never_crash(repo: Path, examples: int) -> None:
    @settings(max_examples=examples, deadline=None, derandomize=False,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(files=mutated_sets(), fmt=st.sampled_from(FORMATS),
           gate=st.sampled_from([None, "1", "2", "4"]), strict=st.booleans())
    def check(files: dict[str, bytes | None], fmt: str, gate: str | None, strict: bool) -> None:
        os.environ.pop("GITHUB_STEP_SUMMARY", None)  # the github reporter must not write a file
        _install(repo / SET, files)
        args = ["--today", TODAY, "--format", fmt, "--debug", "."]
        if gate:
            args[:0] = ["--gate", gate]
        if strict:
            args.insert(0, "--strict")
        start = time.perf_counter()
        result = run_cli(args, repo)
        elapsed = time.perf_counter() - start
        event(f"exit {result.code}")  # shown by --hypothesis-show-statistics
        assert result.code in (0, 1), (
            f"exit {result.code} on a mutated set; stderr:\n{result.err}")
        assert "Traceback" not in result.err, result.err
        assert elapsed < MAX_SECONDS, f"{elapsed:.1f}s for one mutated set"

    check()
