"""CSV: two readers that build the same document.

The exact reader is the standard library's C reader (``csv``, strict), which
knows on which line each record starts (quoted cells may span lines) and lets
ragged rows be found. It is the definition of what a file means.

The fast reader, for large files, is pandas' C parser over the UTF-8 bytes. It
is used only when it can be proven to give exactly what the exact reader gives;
otherwise (or on any doubt) the exact reader runs. The proof:

* every record is exactly one line and no line is skipped: pandas' record count
  equals the number of physical lines (a record spanning lines, a blank line or
  a whitespace-only line, which pandas skips, make them differ); so data row
  ``i`` starts on line ``i + 2`` and line numbers are arithmetic;
* every double quote belongs to a well-formed quoted cell on one line (it opens
  at the start of the line or after a comma, ``""`` inside is a quote, and it
  closes before a comma or the end of the line): then both readers cut every
  line at the same commas and unquote the same way (a bare quote inside a cell,
  text after a closing quote, ... are left to the exact reader);
* the commas outside quoted cells add up to ``width - 1`` per line; as pandas
  raises on a row with too many cells, no row is short either (pandas would
  silently pad a short row);
* no line is longer than the exact reader's field size limit, and the text has
  no carriage return, NUL, byte order mark or lone surrogate (which pandas
  treats, or encodes, differently).
"""

from __future__ import annotations

import csv
import gc
import io
import re
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from sustain_lint import background
from sustain_lint.documents import CsvDocument
from sustain_lint.loaders import Loaded
from sustain_lint.loaders.reading import text_of
from sustain_lint.model import Location, Problem

MAX_RAGGED_REPORTED = 20
FAST_MIN_CHARS = 1 << 20  # below this, the exact reader is fast enough (and imports less)
_CHUNK = 1 << 20  # the exact reader reads the text in pieces of about this many characters
# a quoted cell within one line, as both readers read it: it opens at the start of the line
# or after a comma, "" inside is a quote, and it closes before a comma or the line's end
_QUOTED_CELL = re.compile(rb'"(?<![^,\n]")[^"\n]*(?:""[^"\n]*)*"(?![^,\n])')


def load_csv(text: str | None, artifact: str, *, data: bytes | None = None,
             fast_min_chars: int = FAST_MIN_CHARS) -> Loaded:
    """Parse ``text`` (``data``: the same as UTF-8 bytes, if at hand; the text
    itself when ``text`` is None); files of ``fast_min_chars`` characters or
    more try the fast reader."""
    size = len(text) if text is not None else len(data or b"")
    if size >= fast_min_chars:
        loaded = load_csv_fast(text, artifact, data=data)
        if loaded is not None:
            return loaded
    return load_csv_exact(text_of(text, data), artifact)


# --- exact ---------------------------------------------------------------------------------

def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` as ``io.StringIO(text)`` yields them, without
    holding a 4-bytes-per-character copy of the whole text: a piece at a time,
    each piece ending after a line break."""
    pos, end = 0, len(text)
    while pos < end:
        cut = text.find("\n", pos + _CHUNK)
        cut = end if cut == -1 else cut + 1
        yield from io.StringIO(text[pos:cut])
        pos = cut


def load_csv_exact(text: str, artifact: str) -> Loaded:
    reader = csv.reader(_lines(text), strict=True)
    header: list[str] | None = None
    header_line = 1
    rows: list[list[str]] = []
    row_lines: list[int] = []
    problems: list[Problem] = []
    ragged = 0
    width = 0
    start = end = 0  # the lines the current record starts and ends on
    add_row, add_line = rows.append, row_lines.append
    collecting = gc.isenabled()
    gc.disable()  # a million row lists would trigger many useless collections
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if not row:
                continue  # a blank line
            if header is None:
                header, header_line, width = [c.strip() for c in row], start, len(row)
                continue
            if len(row) != width:
                ragged += 1
                if ragged <= MAX_RAGGED_REPORTED:
                    problems.append(Problem(
                        artifact,
                        f"row {len(rows) + ragged} has {len(row)} cells but the header has "
                        f"{width}; give every row exactly one cell per column "
                        "(quote cells that contain commas)",
                        Location(start, 1, f"row {len(rows) + ragged}"),
                        code="SL002",
                    ))
                continue
            add_row(row)
            add_line(start)
        # transposed while the collector still sleeps: waking it with a million row lists
        # alive costs a full collection over them
        transposed = [] if ragged else [list(col) for col in zip(*rows, strict=True)]
        del rows
    except csv.Error as exc:
        # point at the record that could not be read (where an unclosed quote opened),
        # not at the end of the file where the reader gave up
        start = end + 1
        return Loaded(None, [Problem(
            artifact, f"is not valid CSV: {exc} in the record that starts on line {start}; "
            "check its quoting (a cell with a comma, quote or line break is written in "
            "double quotes, a quote inside as \"\")",
            Location(start, 1), code="SL002",
        )])
    finally:
        if collecting:
            gc.enable()
    if header is None:
        return Loaded(None, [Problem(artifact, "has no header row", Location(1, 1), code="SL002")])
    if ragged:
        if ragged > MAX_RAGGED_REPORTED:
            problems.append(Problem(
                artifact, f"{ragged - MAX_RAGGED_REPORTED} more rows have the wrong number of cells",
                Location(header_line, 1, "header"), code="SL002",
            ))
        return Loaded(None, problems)
    if not transposed:  # no data rows
        transposed = [[] for _ in header]
    return _document(header, transposed, row_lines, text, header_line, artifact)


def _document(header: list[str], cells: Sequence[Sequence[str]], row_lines: Sequence[int],
              source: str | bytes, header_line: int, artifact: str) -> Loaded:
    """The document, and SL004 for each repeated header name (the first one wins)."""
    columns: dict[str, Sequence[str]] = {}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in seen:
            problems.append(Problem(
                artifact,
                f"duplicate column '{name}' in the header (first is column {seen[name] + 1}); "
                "rename or remove one",
                Location(header_line, _header_column(
                    source if isinstance(source, str) else source.decode("ascii"), header_line,
                    index),
                         f"header, column {name}"),
                code="SL004",
            ))
            continue
        seen[name] = index
        columns[name] = cells[index]
    return Loaded(CsvDocument(header, columns, row_lines, source, header_line), problems)


def _header_column(text: str, header_line: int, index: int) -> int:
    from sustain_lint.documents import _field_column

    start = 0
    for _ in range(header_line - 1):
        start = text.index("\n", start) + 1
    return _field_column(text, start, index)


# --- fast ----------------------------------------------------------------------------------

class _Shape(NamedTuple):
    """What the proof needs to know of the bytes."""
    lines: int  # physical lines (a last line without a line break counts)
    longest: int  # the length in bytes of the longest line (at least its length in characters)
    commas: int
    quotes: int
    quoted_quotes: int  # the quotes of the well-formed one-line quoted cells (theirs included)
    quoted_commas: int  # the commas inside those cells: not delimiters


def _shape(data: bytes) -> _Shape:
    """The counts the proof needs: one numpy pass over the bytes (a piece at a
    time: no full-size temporary), then the quoted cells."""
    import numpy as np

    arr = np.frombuffer(data, dtype=np.uint8)
    step = 1 << 24
    ends, commas, quotes = [], 0, 0
    for i in range(0, len(arr), step):
        piece = arr[i:i + step]
        ends.append(np.flatnonzero(piece == 0x0A) + i)
        commas += int(np.count_nonzero(piece == 0x2C))
        quotes += int(np.count_nonzero(piece == 0x22))
    breaks = np.concatenate(ends + [np.array([len(arr)])])
    longest = int(np.diff(breaks, prepend=-1).max()) - 1
    lines = len(breaks) - 1 + (0 if data.endswith(b"\n") else 1)
    inside = b"".join(_QUOTED_CELL.findall(data)) if quotes else b""
    return _Shape(lines, longest, commas, quotes, inside.count(b'"'), inside.count(b","))


def load_csv_fast(text: str | None, artifact: str, *, data: bytes | None = None
                  ) -> Loaded | None:
    """The document the exact reader would build, or None when that cannot be
    proven cheaply (then the caller runs the exact reader)."""
    collecting = gc.isenabled()
    gc.disable()  # the row lists of the checks would trigger useless collections
    try:
        return _load_fast(text, artifact, data)
    finally:
        if collecting:
            gc.enable()


def _parse(data: bytes) -> Any:
    """pandas' reading of ``data`` (a DataFrame of str, the header as row 0), or
    None where it gives up (too many cells in a row, an unclosed quote, ...)."""
    import pandas as pd

    try:
        # no cell is NA: an empty one, or one pandas pads a short row with, is ""
        return pd.read_csv(
            io.BytesIO(data), header=None, dtype=object, keep_default_na=False,
            na_filter=False, engine="c", encoding="utf-8", sep=",", quotechar='"', doublequote=True,
            escapechar=None, comment=None, skipinitialspace=False, skip_blank_lines=True)
    except Exception:  # noqa: BLE001 - whatever pandas refuses, the exact reader explains
        return None


def _load_fast(text: str | None, artifact: str, data: bytes | None) -> Loaded | None:
    if text is not None and (not text or text[0] == "\ufeff" or "\r" in text or "\x00" in text):
        return None  # (text left as bytes is ASCII without any of these)
    if data is None:
        if text is None:
            return None
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: not from a file read as UTF-8
            return None
    # the proof's counts are worked out on another core while pandas parses
    shape = background.start(_shape, data)
    try:
        frame = _parse(data)
    finally:
        counts = shape()
    if frame is None:
        return None  # pandas gave up: the exact reader says why
    if counts.longest > csv.field_size_limit():
        return None  # the exact reader refuses a cell this long: let it say so
    line_count = counts.lines
    if len(frame) != line_count:
        return None  # a record spans lines, or a blank line was skipped
    width = frame.shape[1]
    if counts.quoted_quotes != counts.quotes:
        return None  # a quote outside a well-formed quoted cell (text after it, ...)
    if counts.commas - counts.quoted_commas != (width - 1) * line_count:
        return None  # a short row (pandas pads it)
    source = text if text is not None else data  # ASCII bytes stay bytes until a location
    del data
    whole = [frame[i].to_numpy(dtype=object) for i in range(width)]
    del frame
    header = [str(a[0]).strip() for a in whole]
    # the columns stay numpy object arrays (views, no copy) of the str pandas made
    return _document(header, [a[1:] for a in whole], range(2, line_count + 1), source, 1,
                     artifact)
