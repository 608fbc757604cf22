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
* every line holds exactly ``width - 1`` commas outside quoted cells, the
  header's width taken from the first line as the exact reader reads it (pandas
  pads a short row silently, and, reading some columns only, accepts a long one);
* no line is longer than the exact reader's field size limit, and the text has
  no carriage return, NUL, byte order mark or lone surrogate (which pandas
  treats, or encodes, differently).

The proof's counts need only the bytes: a forked child works them out while
pandas parses (``background``). pandas reads at once only the columns the rules
and checks read (``columns``, from the engine); the others are read, all
together, the first time one of them is asked for (``documents.LazyColumns``).
"""

from __future__ import annotations

import csv
import gc
import io
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from sustain_lint import background
from sustain_lint.documents import CsvDocument, LazyColumns
from sustain_lint.loaders import Loaded
from sustain_lint.loaders.reading import text_of
from sustain_lint.model import Location, Problem

MAX_RAGGED_REPORTED = 20
FAST_MIN_CHARS = 1 << 20  # below this, the exact reader is fast enough (and imports less)
_CHUNK = 1 << 20  # the exact reader reads the text in pieces of about this many characters
# a quoted cell within one line, as both readers read it: it opens at the start of the line
# or after a comma, "" inside is a quote, and it closes before a comma or the line's end
_QUOTED_CELL = re.compile(rb'"(?<![^,\n]")[^"\n]*(?:""[^"\n]*)*"(?![^,\n])')


# a cell may be as long as the file (which max_file_mb bounds), not only the csv module's
# default 131,072 characters; 2**31 - 1 is the most a C long holds everywhere
FIELD_LIMIT = 2**31 - 1


def _lift_field_limit() -> None:
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)


def load_csv(text: str | None, artifact: str, *, data: bytes | None = None,
             columns: Collection[str] | None = None,
             fast_min_chars: int = FAST_MIN_CHARS) -> Loaded:
    """Parse ``text`` (``data``: the same as UTF-8 bytes, if at hand; the text
    itself when ``text`` is None); files of ``fast_min_chars`` characters or
    more try the fast reader, which reads the cells of the ``columns`` named
    (None: all) at once and the others only if they are asked for."""
    _lift_field_limit()
    table = _markdown_table(text if text is not None else (data or b"")[:4096].decode(
        "utf-8", "replace"), artifact)
    if table is not None:
        return Loaded(None, [table])
    size = len(text) if text is not None else len(data or b"")
    if size >= fast_min_chars:
        loaded = load_csv_fast(text, artifact, data=data, columns=columns)
        if loaded is not None:
            return loaded
    return load_csv_exact(text_of(text, data), artifact)


_MD_ROW = re.compile(r"[ \t]*\|[^\n]*\|[ \t]*\r?")
# a run of blanks is taken by one quantifier only (a pipe stands between two runs): no
# two quantifiers can share the same characters, so a failed match costs linear time
_MD_RULE = re.compile(
    r"[ \t]*(?:\|[ \t]*)?:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*(?:\|[ \t]*)?\r?")


def _markdown_table(text: str, artifact: str) -> Problem | None:
    """One SL002 for a Markdown table saved as CSV (``| a | b |`` rows over a
    ``|---|---|`` rule), instead of a ragged-row finding per line: what it is and
    the CSV header to write."""
    lines = text.lstrip("\ufeff").split("\n", 3)
    first = next((i for i, line in enumerate(lines[:3]) if line.strip()), None)
    if first is None or first + 1 >= len(lines):
        return None
    if not (_MD_ROW.fullmatch(lines[first]) and _MD_RULE.fullmatch(lines[first + 1])):
        return None
    header = ",".join(cell.strip() for cell in lines[first].strip().strip("|").split("|"))
    if len(header) > 200:
        header = header[:200] + "…"
    return Problem(artifact, "is a Markdown table (rows between | bars), not CSV; "
                   "write it comma-separated, one row a line, starting with the header "
                   f"{header}", Location(first + 1, 1), code="SL002")


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
    _lift_field_limit()
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
                if len(row) == 1 and not row[0].strip():
                    continue  # a line of white space before the header: a blank line
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
    return _document(header, lambda firsts: {name: transposed[index]
                                             for name, index in firsts.items()},
                     row_lines, text, header_line, artifact)


def _document(header: list[str],
              columns_of: Callable[[dict[str, int]], Mapping[str, Sequence[str]]],
              row_lines: Sequence[int], source: str | bytes, header_line: int,
              artifact: str) -> Loaded:
    """The document, and SL004 for each repeated header name (the first one
    wins). ``columns_of``: the columns, given the first position of each name."""
    seen: dict[str, int] = {}
    repeated: list[tuple[int, str]] = []
    for index, name in enumerate(header):
        if name in seen:
            repeated.append((index, name))
        else:
            seen[name] = index
    doc = CsvDocument(header, columns_of(seen), row_lines, source, header_line)
    columns = _header_columns(doc.text, header_line) if repeated else {}
    problems = [Problem(
        artifact,
        f"duplicate column '{name}' in the header (first is column {seen[name] + 1}); "
        "rename or remove one",
        Location(header_line, columns[index], f"header, column {name}"),
        code="SL004",
    ) for index, name in repeated]
    return Loaded(doc, problems)


class _HeaderColumns(dict[int, int]):
    """Field index -> the column at which that field of the header starts, all of
    them found in one pass over the header (a pass per repeated name was
    quadratic: 8,000 repeated columns); an index past the fields the pass found
    is looked up alone, as before."""

    def __init__(self, text: str, start: int) -> None:
        from sustain_lint.documents import field_offsets

        super().__init__((i, offset - start + 1)
                         for i, offset in enumerate(field_offsets(text, start)))
        self.text, self.start = text, start

    def __missing__(self, index: int) -> int:
        from sustain_lint.documents import _field_column

        return _field_column(self.text, self.start, index)


def _header_columns(text: str, header_line: int) -> _HeaderColumns:
    start = 0
    for _ in range(header_line - 1):
        start = text.index("\n", start) + 1
    return _HeaderColumns(text, start)


# --- fast ----------------------------------------------------------------------------------

class _Shape(NamedTuple):
    """What the proof needs to know of the bytes."""
    lines: int  # physical lines (a last line without a line break counts)
    longest: int  # the length in bytes of the longest line (at least its length in characters)
    quotes: int
    quoted_quotes: int  # the quotes of the well-formed one-line quoted cells (theirs included)
    # the number of commas outside quoted cells on every line, or -1 if lines differ
    delimiters: int


_STEP = 1 << 24  # bytes per numpy piece


def _shape(data: bytes) -> _Shape:
    """The counts the proof needs, in numpy passes over the bytes (a piece of
    whole lines at a time: no full-size temporary), and the quoted cells. The
    commas inside quoted cells are not delimiters: once every quote is known to
    belong to a well-formed one-line quoted cell (``quoted_quotes == quotes``),
    the quotes pair up in order, and the commas between the two of a pair are
    inside."""
    import numpy as np

    arr = np.frombuffer(data, dtype=np.uint8)
    size = len(arr)
    if not size:
        return _Shape(1, 0, 0, 0, 0)  # one empty line

    def positions(byte: int) -> Any:
        return np.concatenate([np.flatnonzero(arr[i:i + _STEP] == byte) + i
                               for i in range(0, size, _STEP)] + [np.zeros(0, dtype=np.intp)])

    ends = positions(0x0A)
    if not data.endswith(b"\n"):  # a last line without a line break
        ends = np.append(ends, size)
    quotes_at = positions(0x22)
    lines, quotes = len(ends), len(quotes_at)
    quoted = b"".join(_QUOTED_CELL.findall(data)).count(b'"') if quotes else 0
    if quoted != quotes:
        return _Shape(lines, 0, quotes, quoted, -1)  # the proof fails anyway
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.intp)
    longest = int((ends - starts).max())
    # sums of bytes: four times faster than of 64-bit integers, exact while no line can
    # hold 256 commas
    count_as = np.uint8 if longest < 256 else np.int32
    opens, closes = quotes_at[0::2], quotes_at[1::2]
    per_line = np.empty(lines, dtype=np.intp)
    first = 0
    while first < lines:
        last = max(int(np.searchsorted(starts, starts[first] + _STEP)), first + 1)
        low, high = int(starts[first]), int(ends[last - 1]) + 1
        commas = (arr[low:high] == 0x2C).view(np.uint8)  # (a bool input takes a slow path)
        per_line[first:last] = np.add.reduceat(commas, starts[first:last] - low,
                                                dtype=count_as)
        pair_lo, pair_hi = np.searchsorted(opens, [low, high])
        if pair_hi > pair_lo:  # quoted cells on these lines: take their commas out
            bounds = np.empty(2 * (pair_hi - pair_lo), dtype=np.intp)
            bounds[0::2] = opens[pair_lo:pair_hi] - low
            bounds[1::2] = closes[pair_lo:pair_hi] - low
            inside = np.add.reduceat(commas, bounds, dtype=count_as)[0::2]
            line = np.searchsorted(ends, opens[pair_lo:pair_hi])
            np.subtract.at(per_line, line, inside.astype(np.intp))
        first = last
    delimiters = int(per_line[0]) if (per_line == per_line[0]).all() else -1
    return _Shape(lines, longest, quotes, quoted, delimiters)


def load_csv_fast(text: str | None, artifact: str, *, data: bytes | None = None,
                  columns: Collection[str] | None = None) -> Loaded | None:
    """The document the exact reader would build, or None when that cannot be
    proven cheaply (then the caller runs the exact reader). ``columns``: the
    columns to read now (None: all); the others are read when first asked for."""
    collecting = gc.isenabled()
    gc.disable()  # the row lists of the checks would trigger useless collections
    try:
        return _load_fast(text, artifact, data, columns)
    finally:
        if collecting:
            gc.enable()


_OPTIONS: dict[str, Any] = dict(  # pandas reading as the exact reader reads, header as row 0
    header=None, dtype=object, keep_default_na=False, na_filter=False, engine="c",
    encoding="utf-8", sep=",", quotechar='"', doublequote=True, escapechar=None, comment=None,
    skipinitialspace=False, skip_blank_lines=True)


def _parse(data: bytes, positions: list[int] | None) -> Any:
    """pandas' reading of ``data`` (a DataFrame of str, the header as row 0,
    the columns at ``positions``, or all), or None where it gives up (an
    unclosed quote, ...). Every cell is a str: ``na_filter=False``."""
    import pandas as pd

    try:
        return pd.read_csv(io.BytesIO(data), usecols=positions, **_OPTIONS)
    except Exception:  # noqa: BLE001 - whatever pandas refuses, the exact reader explains
        return None


def _first_line(data: bytes) -> list[str] | None:
    """The cells of the first line as the exact reader reads them (None if the
    csv module refuses it, or if it is not one record)."""
    end = data.find(b"\n")
    line = (data if end == -1 else data[:end]).decode("utf-8", "surrogateescape")
    try:
        rows = list(csv.reader([line], strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _load_fast(text: str | None, artifact: str, data: bytes | None,
               wanted: Collection[str] | None) -> Loaded | None:
    if text is not None and (not text or text[0] == "\ufeff" or "\r" in text or "\x00" in text):
        return None  # (text left as bytes is ASCII without any of these)
    if data is None:
        if text is None:
            return None
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: not from a file read as UTF-8
            return None
    first = _first_line(data)
    if first is None:
        return None
    header = [name.strip() for name in first]
    firsts: dict[str, int] = {}  # each name's first column
    for index, name in enumerate(header):
        firsts.setdefault(name, index)
    now = sorted(firsts.values()) if wanted is None else sorted(
        index for name, index in firsts.items() if name in wanted)
    later = {name: index for name, index in firsts.items() if index not in now}
    if not now:  # nothing wanted is in the header: read it all
        now, later = sorted(firsts.values()), {}
    # the proof's counts are worked out on another core while pandas parses
    shape = background.start(_shape, data)
    try:
        frame = _parse(data, now if later else None)
    finally:
        counts = shape()
    if frame is None:
        return None  # pandas gave up: the exact reader says why
    if counts.longest > csv.field_size_limit():
        return None  # the exact reader refuses a cell this long: let it say so
    if len(frame) != counts.lines:
        return None  # a record spans lines, or a blank line was skipped
    if counts.quoted_quotes != counts.quotes:
        return None  # a quote outside a well-formed quoted cell (text after it, ...)
    if counts.delimiters != len(header) - 1:
        return None  # a row with more or fewer cells than the header
    ready = {index: frame[index].to_numpy(dtype=object)[1:] for index in frame.columns}
    del frame
    source = text if text is not None else data  # ASCII bytes stay bytes until a location

    def read(positions: list[int]) -> list[Sequence[str]]:
        later_frame = _parse(data, positions)
        assert later_frame is not None and len(later_frame) == counts.lines, "read before"
        return [later_frame[index].to_numpy(dtype=object)[1:] for index in positions]

    def columns(seen: dict[str, int]) -> Mapping[str, Sequence[str]]:
        # the columns stay numpy object arrays (views, no copy) of the str pandas made
        return LazyColumns(list(seen), {name: ready[index] for name, index in seen.items()
                                        if index in ready}, later, read)

    return _document(header, columns, range(2, counts.lines + 1), source, 1, artifact)
