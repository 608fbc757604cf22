"""The fast CSV reader (pandas) and the exact one (csv module) build the same
document and the same problems; the fast one steps aside whenever it cannot
prove that."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sustain_lint.loaders import Loaded, csv_loader
from sustain_lint.loaders.csv_loader import load_csv, load_csv_exact, load_csv_fast
from sustain_lint.loaders.reading import LAZY_MIN_BYTES, decode, read_artifact, text_of

HEADER = "id,title,owner\n"

# (name, text, whether the fast reader may take it)
CASES: list[tuple[str, str, bool]] = [
    ("plain", HEADER + "A-1,Fix it,ann\nA-2,Add it,bob\n", True),
    ("no final newline", HEADER + "A-1,Fix it,ann", True),
    ("header only", HEADER, True),
    ("header only, no newline", "id,title,owner", True),
    ("one column", "id\nA-1\nA-2\n", True),
    ("empty cells", HEADER + ",,\nA-2,,\n", True),
    ("quoted comma", HEADER + 'A-1,"Fix it, then test",ann\n', True),
    ("doubled quote", HEADER + 'A-1,"say ""hi""",ann\n', True),
    ("quoted empty cell", HEADER + 'A-1,"",ann\n', True),
    ("quoted cell with doubled quotes at its ends", HEADER + 'A-1,"""x""",ann\n', True),
    ("quoted cell of one quote", HEADER + 'A-1,"""",ann\n', True),
    ("quoted cell with doubled quote and comma", HEADER + 'A-1,"a"",b",ann\n', True),
    ("quoted cells side by side", HEADER + '"A-1","",""\n"","x,y","z"\n', True),
    ("quoted last cell without newline", HEADER + 'A-1,x,"ann, bob"', True),
    ("many quoted lines", HEADER + "".join(f'A-{i},"t, {i}",ann\n' for i in range(40)), True),
    # the fast reader leaves these to the exact reader (both read them alike, but the
    # fast reader only proves well-formed quoted cells)
    ("quote inside a bare cell", HEADER + 'A-1,5" disk,ann\n', False),
    ("quote at the end of a bare cell", HEADER + 'A-1,x"",ann\n', False),
    ("quotes inside a bare cell", HEADER + 'A-1,a"b"c,ann\n', False),
    ("bare quote before a quoted cell", HEADER + 'A-1,5" disk,"ann, bob"\n', False),
    ("quoted cell then text", HEADER + 'A-1,"a"b"c",ann\n', False),
    ("quoted cell then a quote", HEADER + 'A-1,"a"",ann\n', False),
    ("quoted header", '"id","title","owner"\nA-1,x,ann\n', True),
    ("spaces kept in cells", HEADER + " A-1 , x ,ann \n", True),
    ("spaces in header names", " id , title ,owner\nA-1,x,ann\n", True),
    ("duplicate header", "id,title,id\nA-1,x,A-9\n", True),
    ("duplicate header, spaces", "id, title,title \nA-1,x,y\n", True),
    ("unicode", HEADER + "A-1,Réparer le café ☕,Zoë\n", True),
    ("unicode line separator in a cell", HEADER + "A-1,a\u2028b\x0cc\x85d,ann\n", True),
    ("hash is not a comment", HEADER + "#A-1,x,ann\n", True),
    ("only commas", ",,\n,,\n", True),
    ("quoted line break", HEADER + 'A-1,"two\nlines",ann\nA-2,x,bob\n', False),
    ("quoted blank line", HEADER + 'A-1,"two\n\nlines",ann\n', False),
    ("blank line", HEADER + "A-1,x,ann\n\nA-2,y,bob\n", False),
    ("leading blank lines", "\n\n" + HEADER + "A-1,x,ann\n", False),
    ("trailing blank line", HEADER + "A-1,x,ann\n\n", False),
    ("whitespace-only line", HEADER + "A-1,x,ann\n   \nA-2,y,bob\n", False),
    ("whitespace-only line, one column", "id\nA-1\n  \nA-2\n", False),
    ("short row", HEADER + "A-1,x\nA-2,y,bob\n", False),
    ("short row, trailing", HEADER + "A-1,x,ann\nA-2,y\n", False),
    ("long row", HEADER + "A-1,x,ann,extra\n", False),
    ("long and short rows", HEADER + "A-1,x,ann,extra\nA-2,y\n", False),
    ("short quoted row", HEADER + 'A-1,"x,y"\n', False),
    ("long quoted row", HEADER + 'A-1,"x,y",ann,"z"\n', False),
    ("many ragged rows", HEADER + "".join(f"A-{i},x\n" for i in range(30)), False),
    ("text after closing quote", HEADER + 'A-1,"x"y,ann\n', False),
    ("unclosed quote", HEADER + 'A-1,"x,ann\nA-2,y,bob\n', False),
    ("unclosed quote on the last line", HEADER + 'A-1,x,ann\nA-2,"y,bob', False),
    ("quote opens mid-file", HEADER + 'A-1,x,"ann\nA-2,y,bob"\n', False),
    ("carriage returns", HEADER.replace("\n", "\r\n") + "A-1,x,ann\r\n", False),
    ("lone carriage return in a cell", HEADER + "A-1,x\ry,ann\n", False),
    ("byte order mark kept", "\ufeff" + HEADER + "A-1,x,ann\n", False),
    ("NUL", HEADER + "A-1,x\x00y,ann\n", False),
    ("only a blank line", "\n", False),
    ("empty", "", False),
    ("cell over the default field size limit", HEADER + "A-1," + "x" * 131_073 + ",ann\n", True),
]


def _signature(loaded: Loaded) -> tuple[Any, ...]:
    doc = loaded.document
    if doc is None:
        return (None, loaded.problems)
    cells = {name: list(col) for name, col in doc.columns.items()}
    assert all(type(v) is str for col in cells.values() for v in col)
    places = [doc.cell_location(row, name) for name in doc.header
              for row in range(min(doc.row_count, 50))]
    return (doc.header, cells, list(doc.row_lines), doc.row_count, doc.header_line,
            [doc.header_location(name) for name in doc.header], places,
            [doc.row_location(row) for row in range(min(doc.row_count, 50))],
            [doc.value(row, name) for name in doc.header for row in range(min(doc.row_count, 50))],
            list(doc.rows())[:50], loaded.problems)


HINTS = [None, {"id"}, {"title", "nope"}, set()]


# the fast run reads all columns first; the slow run also only id, title with a name no header
# has, and none (test_large_inputs_agree reads two columns first in the fast run too)
@pytest.mark.parametrize("columns", [
    pytest.param(HINTS[0], id="all"), pytest.param(HINTS[1], id="id", marks=pytest.mark.slow),
    pytest.param(HINTS[2], id="title", marks=pytest.mark.slow),
    pytest.param(HINTS[3], id="none", marks=pytest.mark.slow),
])
@pytest.mark.parametrize(("text", "fast_ok"), [(t, ok) for _, t, ok in CASES],
                         ids=[name for name, _, _ in CASES])
def test_fast_and_exact_agree(text: str, fast_ok: bool, columns: set[str] | None) -> None:
    """Whichever columns are read first (``columns``; the others when asked for)."""
    exact = load_csv_exact(text, "backlog-register.csv")
    forced = load_csv(text, "backlog-register.csv", fast_min_chars=0, columns=columns)
    assert _signature(forced) == _signature(exact)
    fast = load_csv_fast(text, "backlog-register.csv", columns=columns)
    assert (fast is not None) == fast_ok
    if fast is not None:
        assert fast.document is not None
        names = list(dict.fromkeys(fast.document.header))
        now = [name for name in names if columns is None or name in columns]
        # none of them in the header: all are read at once
        assert fast.document.columns.deferred == (
            [name for name in names if name not in now] if now else [])
        assert _signature(fast) == _signature(exact)
        assert fast.document.columns.deferred == []  # read once asked for
        assert all(isinstance(col, np.ndarray) for col in fast.document.columns.values())
    # below the threshold only the exact reader runs
    slow = load_csv(text, "backlog-register.csv", fast_min_chars=len(text) + 1)
    assert slow.document is None or all(
        isinstance(col, list) for col in slow.document.columns.values())
    assert _signature(slow) == _signature(exact)


def _register(rows: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    lines = ["id,title,source,priority,owner,status,due,created\n"]
    for i in range(rows):
        title = rnd.choice(["Fix job", '"Fix job, then test"', '"say ""hi"""', "Add café"])
        lines.append(f"BL-{i:06d},{title},audit,P{rnd.randint(1, 4)},ann,open,2027-01-0{i % 9 + 1},"
                     "2026-01-01\n")
    return lines


# 60,000 rows (3.8 MB) are many of pandas' reads (256 KiB) and four of the exact reader's
# pieces (1 MiB); the fast run's 5,000 rows (315 KB) are two reads, and five pieces of 64 KiB
@pytest.mark.parametrize("rows", [5_000, pytest.param(60_000, marks=pytest.mark.slow)])
@pytest.mark.parametrize("damage", [
    "none", "short row at the end", "long row at the end", "blank line in the middle",
    "quoted line break at the end", "unclosed quote at the end", "text after a quote",
])
def test_large_inputs_agree(damage: str, rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Big enough that pandas reads in several chunks; the damage sits far from the start."""
    if rows < 60_000:
        monkeypatch.setattr(csv_loader, "_CHUNK", 1 << 16)
    lines = _register(rows)
    last = len(lines) - 2
    if damage == "short row at the end":
        lines[last] = lines[last].rsplit(",", 1)[0] + "\n"
    elif damage == "long row at the end":
        lines[last] = lines[last].rstrip("\n") + ",x\n"
    elif damage == "blank line in the middle":
        lines.insert(rows // 2, "\n")
    elif damage == "quoted line break at the end":
        lines[last] = lines[last].replace("audit", '"au\ndit"')
    elif damage == "unclosed quote at the end":
        lines[last] = lines[last].replace("audit", '"audit')
    elif damage == "text after a quote":
        lines[last] = lines[last].replace("audit", '"aud"it')
    text = "".join(lines)
    exact = load_csv_exact(text, "backlog-register.csv")
    fast = load_csv_fast(text, "backlog-register.csv", columns={"id", "due"})
    assert (fast is not None) == (damage == "none")
    assert _signature(load_csv(text, "backlog-register.csv", fast_min_chars=0)) == \
        _signature(exact)
    if fast is not None:
        assert _signature(fast) == _signature(exact)
        doc = fast.document
        assert doc.row_count == rows
        assert all(isinstance(col, np.ndarray) for col in doc.columns.values())


FIELDS = ["a", "", '"x,y"', '"say ""hi"", ok"', '"a"', "b c", '","', '""']


@pytest.mark.parametrize("examples", [40, pytest.param(200, marks=pytest.mark.slow)])
def test_the_proof_counts_the_delimiters_of_each_line(examples: int) -> None:
    """Commas inside quoted cells are not delimiters; lines of different widths
    (a long row and a short one adding up to the right total) are told apart;
    pieces of any size give the same counts."""
    @settings(max_examples=examples, deadline=None)
    @given(rows=st.lists(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=5), min_size=1,
                         max_size=12),
           step=st.sampled_from([1, 7, 64, 1 << 24]), trailing=st.booleans())
    def check(rows: list[list[str]], step: int, trailing: bool) -> None:
        assume(trailing or ",".join(rows[-1]))  # else the last (empty) row is no line at all
        data = ("\n".join(",".join(row) for row in rows) + ("\n" if trailing else "")).encode()
        widths = {len(row) for row in rows}
        original = csv_loader._STEP
        csv_loader._STEP = step
        try:
            shape = csv_loader._shape(data)
        finally:
            csv_loader._STEP = original
        assert shape.lines == len(rows)
        assert shape.quoted_quotes == shape.quotes == data.count(b'"')
        assert shape.delimiters == (widths.pop() - 1 if len(widths) == 1 else -1)
        assert shape.longest == max(len(",".join(row).encode()) for row in rows)

    check()


@pytest.mark.parametrize("width", [3, 300])
def test_the_proof_counts_wide_lines(width: int) -> None:
    """Past 255 bytes a line may hold 256 commas: counted without overflow."""
    line = ",".join(['"x,y"'] + ["a"] * (width - 1))
    shape = csv_loader._shape((line + "\n" + line + "\n").encode())
    assert shape.delimiters == width - 1
    short = csv_loader._shape((line + "\n" + line.rsplit(",", 1)[0] + "\n").encode())
    assert short.delimiters == -1


# --- reading -------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "text"), [
    (b"a,b\n1,2\n", "a,b\n1,2\n"),
    (b"\xef\xbb\xbfa,b\n", "a,b\n"),
    (b"a,b\r\n1,2\r3,4\n", "a,b\n1,2\n3,4\n"),
    (b" \n\t\n", None),
    (b"\xef\xbb\xbf", None),
    (b"\xff\xfea\x00", None),
    (b"a\x00b", None),
    (b"a\xffb", None),
])
def test_decode_bytes_and_bytearray(raw: bytes, text: str | None) -> None:
    one, other = decode(raw, "x.csv"), decode(bytearray(raw), "x.csv")
    assert one._replace(data=None) == other
    assert one.text == text
    assert (one.problem is None) == (text is not None)
    # the bytes are handed on only when they are exactly the text (no CR normalised)
    assert one.data == (text.encode() if text is not None and b"\r" not in raw else None)


@pytest.mark.parametrize("size", [0, 1, 5, 1 << 20, (1 << 20) + 3])
def test_read_artifact_sizes(tmp_path: Path, size: int) -> None:
    path = tmp_path / "x.csv"
    body = (b"id,title\n" + b"A-1,x\n" * (size // 6 + 1))[:size]
    path.write_bytes(body)
    read = read_artifact(str(path), "x.csv", str(tmp_path), max_bytes=2 << 20)
    if not body.strip():
        assert read.text is None and read.problem is not None
    else:
        assert text_of(read.text, read.data) == body.decode()
        assert (read.text is None) == (size >= LAZY_MIN_BYTES)
    over = read_artifact(str(path), "x.csv", str(tmp_path), max_bytes=max(size - 1, 0))
    if size:
        assert over.text is None and over.problem is not None
        assert "size limit" in over.problem.message


def test_read_artifact_file_growing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fstat may undersell the size (a file being written): it is still read to the end
    or up to the limit."""
    path = tmp_path / "x.csv"
    path.write_bytes(b"id\n" + b"A-1\n" * 1000)
    real_lstat = os.lstat

    def small(p: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        st = real_lstat(p, *args, **kwargs)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid,
                               st.st_gid, 10, st.st_atime, st.st_mtime, st.st_ctime))

    monkeypatch.setattr(os, "lstat", small)
    read = read_artifact(str(path), "x.csv", str(tmp_path), max_bytes=1 << 20)
    assert text_of(read.text, read.data) == path.read_text()
    over = read_artifact(str(path), "x.csv", str(tmp_path), max_bytes=100)
    assert over.text is None and over.problem is not None


def test_lone_surrogate_takes_the_exact_reader() -> None:
    text = HEADER + "A-1,x\udcffy,ann\n"
    assert load_csv_fast(text, "x.csv") is None
    assert _signature(load_csv(text, "x.csv", fast_min_chars=0)) == \
        _signature(load_csv_exact(text, "x.csv"))
