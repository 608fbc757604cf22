"""Parsed artifacts, with the locations the rules point at.

Loaders (``sustain_lint.loaders``) build these; rules read them. A rule never
opens a file: it asks a document where a value is.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from sustain_lint.model import Location


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a JSON pointer from tokens: ``pointer("runbooks", 0, "owner")``."""
    return "".join("/" + escape_pointer_token(t) for t in tokens)


def parent_pointer(ptr: str) -> str:
    return ptr.rsplit("/", 1)[0] if ptr else ""


class LineIndex:
    """Turns character offsets into 1-based (line, column), and lines into the
    offset they start at. The text is indexed a piece at a time: how many
    newlines each piece holds is counted up front (``str.count``, in C); where
    they are, only when an offset or a line in that piece is first asked for.
    A finding in a million-line file thus costs a count of its newlines
    (0.08 s for 97 MB), not a list of a million line starts (0.9 s)."""

    PIECE = 1 << 16

    def __init__(self, text: str, first_line: int = 1) -> None:
        self._text = text
        self._first_line = first_line
        count, piece = text.count, self.PIECE
        self._before = [0]  # newlines before each piece, and in all (last)
        for start in range(0, len(text), piece):
            self._before.append(self._before[-1] + count("\n", start, start + piece))
        self._pieces: dict[int, list[int]] = {}

    def _starts(self, piece: int) -> list[int]:
        """The offsets just past each newline of a piece."""
        starts = self._pieces.get(piece)
        if starts is None:
            starts = []
            find, end = self._text.find, (piece + 1) * self.PIECE
            pos = find("\n", piece * self.PIECE, end)
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1, end)
            self._pieces[piece] = starts
        return starts

    def _past(self, newlines: int) -> int:
        """The offset just past the ``newlines``-th newline (0: the start)."""
        if newlines <= 0:
            return 0
        piece = bisect.bisect_left(self._before, newlines) - 1
        return self._starts(piece)[newlines - self._before[piece] - 1]

    def line_start(self, line: int) -> int | None:
        """The offset ``line`` starts at; None past the last line."""
        newlines = line - self._first_line
        return None if newlines > self._before[-1] else self._past(newlines)

    def position(self, offset: int) -> tuple[int, int]:
        piece = min(offset // self.PIECE, len(self._before) - 2)
        if piece < 0:  # an empty text
            return self._first_line, offset + 1
        starts = self._starts(piece)
        j = bisect.bisect_right(starts, offset)
        newlines = self._before[piece] + j
        start = starts[j - 1] if j else self._past(newlines)
        return newlines + self._first_line, offset - start + 1


def pointer_tokens(ptr: str) -> list[str]:
    """The tokens of a JSON pointer, unescaped (``""``: none)."""
    if not ptr:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in ptr[1:].split("/")]


class PositionTree(Mapping[str, tuple[int, int]]):
    """JSON pointer -> (line, column), held as a tree of the document's keys and
    items rather than a pointer string per value: the pointers of a document whose
    long keys nest deeply add up to its depth times its size (20 MB of keys, 200
    levels: 2 GB of strings). A node per member or item, numbered from the root
    (0); each keeps its position (a character offset that ``to_position`` turns
    into (line, column) when asked: a position nobody asks for is never worked
    out), its parent and its token."""

    def __init__(self, root: int, to_position: Callable[[int], tuple[int, int]]) -> None:
        self._where = [root]
        self._parent = [-1]
        self._token: list[str | int] = [""]
        self._keys: list[dict[str, int] | None] = [None]  # a mapping's members
        self._items: list[list[int] | None] = [None]  # a sequence's items
        self.to_position = to_position

    def member(self, parent: int, key: str, where: int, first: bool = False) -> int:
        """The node of member ``key`` of node ``parent``, added if new; its position
        becomes ``where`` unless ``first`` (then a repeated key keeps the first)."""
        keys = self._keys[parent]
        if keys is None:
            keys = self._keys[parent] = {}
        node = keys.get(key)
        if node is None:
            node = keys[key] = self._add(parent, key, where)
        elif not first:
            self._where[node] = where
        return node

    def item(self, parent: int, index: int, where: int) -> int:
        """The node of item ``index`` (the next one, or one seen before) of ``parent``."""
        items = self._items[parent]
        if items is None:
            items = self._items[parent] = []
        if index < len(items) and items[index] >= 0:
            self._where[items[index]] = where
            return items[index]
        node = self._add(parent, index, where)
        if index < len(items):
            items[index] = node
        else:
            items.append(node)
        return node

    def leaf(self, parent: int, index: int, where: int) -> None:
        """Item ``index`` of ``parent`` is a scalar at ``where``: kept in its parent's
        list as ``~where``, with no node of its own (a list of a million numbers)."""
        items = self._items[parent]
        if items is None:
            items = self._items[parent] = []
        if index < len(items):
            items[index] = ~where
        else:
            items.append(~where)

    def _add(self, parent: int, token: str | int, where: int) -> int:
        self._where.append(where)
        self._parent.append(parent)
        self._token.append(token)
        self._keys.append(None)
        self._items.append(None)
        return len(self._where) - 1

    def root(self, where: int) -> None:
        """The position of the document itself."""
        self._where[0] = where

    def position(self, node: int) -> tuple[int, int]:
        return self.to_position(self._where[node])

    def token(self, node: int) -> str | int:
        """The key (or index) of a node in its parent."""
        return self._token[node]

    def pointer(self, node: int) -> str:
        """The JSON pointer of a node."""
        tokens = []
        while node > 0:
            tokens.append(self._token[node])
            node = self._parent[node]
        return pointer(*reversed(tokens))

    def _walk(self, ptr: str) -> tuple[int, bool]:
        """The position of the deepest value on the way to ``ptr``, and whether it is
        ``ptr`` itself."""
        node = 0
        for token in pointer_tokens(ptr):
            if node < 0:  # a scalar item: nothing below it
                return ~node, False
            keys, items = self._keys[node], self._items[node]
            child = keys.get(token) if keys is not None else None
            if items is not None and token.isdigit() and token.isascii() \
                    and (token == "0" or not token.startswith("0")) and int(token) < len(items):
                item = items[int(token)]
                # (both: a repeated key held a mapping and a list; the later one counts)
                if child is None or self._at(item) > self._where[child]:
                    child = item
            if child is None:
                return self._where[node], False
            node = child
        return self._at(node), True

    def _at(self, child: int) -> int:
        return ~child if child < 0 else self._where[child]

    def nearest(self, ptr: str) -> tuple[int, int]:
        """The position of ``ptr``, or of its nearest ancestor that exists."""
        return self.to_position(self._walk(ptr)[0])

    def __getitem__(self, ptr: str) -> tuple[int, int]:
        where, found = self._walk(ptr)
        if not found:
            raise KeyError(ptr)
        return self.to_position(where)

    def __contains__(self, ptr: object) -> bool:
        return isinstance(ptr, str) and self._walk(ptr)[1]

    def __iter__(self) -> Iterator[str]:
        for node in range(len(self._where)):
            yield self.pointer(node)
            base = self.pointer(node)
            for index, child in enumerate(self._items[node] or ()):
                if child < 0:
                    yield f"{base}/{index}"

    def __len__(self) -> int:
        return len(self._where) + sum(child < 0 for items in self._items for child in items or ())


@dataclasses.dataclass
class TreeDocument:
    """A JSON or YAML document (or Markdown front matter): plain data plus a
    map from JSON pointer to (line, column). For a mapping member the position
    is the key's; for a sequence item, the item's. ``positions`` may be built
    lazily (JSON) through ``_indexer``, and be a ``PositionTree``."""

    data: Any
    _positions: Mapping[str, tuple[int, int]] | None = None
    _indexer: Callable[[], Mapping[str, tuple[int, int]]] | None = None

    @property
    def positions(self) -> Mapping[str, tuple[int, int]]:
        if self._positions is None:
            self._positions = self._indexer() if self._indexer else {}
        return self._positions

    def locate(self, ptr: str) -> Location:
        """The location of ``ptr``, or of its nearest ancestor that exists."""
        positions = self.positions
        if isinstance(positions, PositionTree):
            line, column = positions.nearest(ptr)
            return Location(line, column, ptr or "/")
        probe = ptr
        while True:
            pos = positions.get(probe)
            if pos is not None:
                return Location(pos[0], pos[1], ptr or "/")
            if not probe:
                return Location(1, 1, ptr or "/")
            probe = parent_pointer(probe)

    def objects(self, key: str) -> list[tuple[int, dict[str, Any]]]:
        """The items of the top-level list ``key`` that are mappings, with their
        index; anything else (SL003 reports it) is skipped."""
        items = self.get(key)
        if not isinstance(items, list):
            return []
        return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]

    def get(self, *tokens: str | int) -> Any:
        """The value at ``tokens``, or None when any step is absent or of
        another type. Rules use this so that malformed data never raises."""
        node = self.data
        for tok in tokens:
            if isinstance(tok, int) and isinstance(node, list):
                if not 0 <= tok < len(node):
                    return None
                node = node[tok]
            elif isinstance(tok, str) and isinstance(node, dict):
                node = node.get(tok)
            else:
                return None
        return node


@dataclasses.dataclass
class TableRow:
    cells: list[str]
    line: int


@dataclasses.dataclass
class MarkdownTable:
    header: list[str]
    line: int  # line of the header row
    rows: list[TableRow]

    def column(self, *names: str) -> int | None:
        """Index of the first header cell equal (case-insensitive) to a name."""
        wanted = [n.lower() for n in names]
        for want in wanted:
            for i, cell in enumerate(self.header):
                if cell.strip().lower() == want:
                    return i
        return None

    def has_columns(self, *names: str) -> bool:
        return all(self.column(n) is not None for n in names)

    @staticmethod
    def cell(row: TableRow, index: int | None) -> str:
        if index is None or index >= len(row.cells):
            return ""
        return row.cells[index].strip()


@dataclasses.dataclass
class Section:
    title: str
    level: int
    line: int  # line of the heading
    has_content: bool
    tables: list[MarkdownTable]

    def location(self) -> Location:
        return Location(self.line, 1, "#" * self.level + " " + self.title)


@dataclasses.dataclass
class MarkdownDocument:
    front_matter: TreeDocument | None  # None: the file has no front matter
    front_matter_line: int  # line of the opening '---' (1) when present
    sections: list[Section]
    tables: list[MarkdownTable]
    line_count: int
    _titles: _Titles | None = dataclasses.field(default=None, repr=False, compare=False)
    # the file's text as read (approval rules compare it with the versions git holds)
    source: str = dataclasses.field(default="", repr=False, compare=False)

    def find_section(self, *keywords: str) -> Section | None:
        """The first section (heading level >= 2) whose title contains one of
        the keywords, case-insensitively. The titles are searched as one text
        (``_Titles``), not a section at a time."""
        if self._titles is None:
            self._titles = _Titles(self.sections)
        return self._titles.find(keywords)

    def find_table(self, *columns: str, within: Section | None = None) -> MarkdownTable | None:
        tables = within.tables if within is not None else self.tables
        for table in tables:
            if table.has_columns(*columns):
                return table
        return None

    def front(self, key: str) -> Any:
        if self.front_matter is None or not isinstance(self.front_matter.data, dict):
            return None
        return self.front_matter.data.get(key)

    def front_location(self, key: str) -> Location:
        if self.front_matter is None:
            return Location(1, 1, "front matter")
        loc = self.front_matter.locate(pointer(key))
        if loc.logical == pointer(key) and pointer(key) in self.front_matter.positions:
            return Location(loc.line, loc.column, f"front matter: {key}")
        # an absent key: at the front matter's first line, still naming the key
        return Location(self.front_matter_line, 1, f"front matter: {key}")


class _Titles:
    """The lowercase titles of the sections of level 2 or more, joined by NUL
    (which no title holds: markdown-it replaces it): finding a keyword is one
    ``str.find`` in C, and the section it falls in one bisection."""

    def __init__(self, sections: list[Section]) -> None:
        self.sections = [s for s in sections if s.level >= 2]
        titles = [s.title.lower() for s in self.sections]
        self.exact = not any("\x00" in title for title in titles)
        self.text = "\x00".join(titles)
        self.starts = list(itertools.accumulate((len(t) + 1 for t in titles[:-1]), initial=0))
        self._found: dict[tuple[str, ...], Section | None] = {}

    def find(self, keywords: tuple[str, ...]) -> Section | None:
        if keywords in self._found:
            return self._found[keywords]
        if not self.sections:
            return None
        best: int | None = None
        for keyword in keywords:
            word = keyword.lower()
            if not self.exact or "\x00" in word:  # never in practice: section by section
                best = next((i for i, s in enumerate(self.sections)
                             if any(k.lower() in s.title.lower() for k in keywords)), None)
                break
            at = self.text.find(word)
            if at != -1:
                index = bisect.bisect_right(self.starts, at) - 1
                best = index if best is None else min(best, index)
        found = self._found[keywords] = None if best is None else self.sections[best]
        return found


VECTOR_MIN_ROWS = 4096  # from this many rows, ``CsvDocument.distinct`` uses pandas


class Distinct(NamedTuple):
    """A column as its distinct trimmed values (in order of first appearance)
    and, per row, the index of the row's value in ``values``."""

    values: list[str]
    codes: Any  # list[int], or a numpy integer array on large tables


def _distinct(doc: CsvDocument, name: str) -> Distinct:
    column = doc.columns.get(name)
    if column is None:
        column = [""] * doc.row_count
    if len(column) < VECTOR_MIN_ROWS:
        index: dict[str, int] = {}
        codes = [index.setdefault(value.strip(), len(index)) for value in column]
        return Distinct(list(index), codes)
    import numpy as np
    import pandas as pd

    array = column if isinstance(column, np.ndarray) else np.array(column, dtype=object)
    raw_codes, unique_array = pd.factorize(array)  # uniques in order of first appearance
    uniques = unique_array.tolist()  # a list walks faster than an object array
    values = list(map(str.strip, uniques))
    if not any(map(operator.is_not, values, uniques)):  # strip returns the very same str
        return Distinct(values, raw_codes)  # nothing was trimmed: already distinct
    # two raw values that trim alike become one (the first to appear keeps its place)
    index = {}
    remap = np.array([index.setdefault(value, len(index)) for value in values], dtype=np.intp)
    return Distinct(list(index), remap[raw_codes])


class LazyColumns(Mapping[str, Sequence[str]]):
    """Columns by name, some of them (``deferred``: name -> position in the
    file) read only when one of them is first asked for, all together, by
    ``read(positions)`` (which returns their cells, in the order asked)."""

    def __init__(self, names: Sequence[str], ready: dict[str, Sequence[str]],
                 deferred: dict[str, int],
                 read: Callable[[list[int]], list[Sequence[str]]]) -> None:
        self._names = list(names)
        self._ready = ready
        self._deferred = deferred
        self._read: Callable[[list[int]], list[Sequence[str]]] | None = read

    def __getitem__(self, name: str) -> Sequence[str]:
        if name in self._deferred and self._read is not None:
            cells = self._read(list(self._deferred.values()))
            self._ready.update(zip(self._deferred, cells, strict=True))
            self._read = None  # (it holds the file's bytes)
        return self._ready[name]

    def __contains__(self, name: object) -> bool:
        return name in self._ready or name in self._deferred

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    @property
    def deferred(self) -> list[str]:
        """The columns not read yet."""
        return [] if self._read is None else list(self._deferred)


@dataclasses.dataclass
class CsvDocument:
    """A CSV table held column by column. ``row_lines[i]`` is the line on
    which data row ``i`` (0-based, header excluded) starts, which stays right
    when a quoted cell spans several lines."""

    header: list[str]
    # first occurrence of each header name: a list of str, or (from the fast reader) a numpy
    # object array of the same str, which indexes and iterates alike and spares a copy; the
    # fast reader's mapping reads the columns no rule or check reads only when asked
    columns: Mapping[str, Sequence[str]]
    row_lines: Sequence[int]  # a list, or a range when every record is one line
    # the file's text, or its bytes when they are ASCII and were left undecoded (a large
    # file): ``text`` decodes them the first time a location is asked for
    source: str | bytes = dataclasses.field(repr=False, default="")
    header_line: int = 1
    _line_index: LineIndex | None = dataclasses.field(default=None, repr=False)
    _distinct: dict[str, Distinct] = dataclasses.field(default_factory=dict, repr=False,
                                                        compare=False)

    @property
    def text(self) -> str:
        if isinstance(self.source, bytes):
            self.source = self.source.decode("ascii")
        return self.source

    @property
    def row_count(self) -> int:
        return len(self.row_lines)

    def has_column(self, name: str) -> bool:
        return name in self.columns

    def column(self, name: str) -> Sequence[str]:
        col = self.columns.get(name)
        return col if col is not None else [""] * self.row_count

    def value(self, row: int, name: str) -> str:
        col = self.columns.get(name)
        return col[row].strip() if col is not None else ""

    def distinct(self, name: str) -> Distinct:
        """The column's trimmed values, each once, and for each row the index
        of its value (computed once per column; vectorised on large tables)."""
        found = self._distinct.get(name)
        if found is None:
            found = self._distinct[name] = _distinct(self, name)
        return found

    def rows_where(self, conditions: Mapping[str, Callable[[str], bool]]) -> list[int]:
        """The rows (ascending) whose trimmed value in each named column
        satisfies that column's condition; a condition is called once per
        distinct value of its column."""
        found = [(self.distinct(name), keep) for name, keep in conditions.items()]
        flags = [([keep(value) for value in column.values], column.codes)
                 for column, keep in found]
        if not flags or not all(any(each) for each, _ in flags):
            return []
        if all(isinstance(codes, list) for _, codes in flags):
            return [row for row in range(self.row_count)
                    if all(each[codes[row]] for each, codes in flags)]
        import numpy as np

        mask = np.ones(self.row_count, dtype=bool)
        for each, codes in flags:
            mask &= np.array(each, dtype=bool)[codes]
        return np.flatnonzero(mask).tolist()  # type: ignore[no-any-return]

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        names = list(self.columns)
        cols = [self.columns[n] for n in names]
        for i in range(self.row_count):
            yield i, {n: c[i].strip() for n, c in zip(names, cols, strict=True)}

    def header_location(self, name: str | None = None) -> Location:
        if name is not None and name in self.header:
            col = _field_column(self.text, 0, self.header.index(name))
            return Location(self.header_line, col, f"header, column {name}")
        return Location(self.header_line, 1, "header")

    def cell_location(self, row: int, name: str) -> Location:
        """Where the cell of data row ``row`` in column ``name`` starts."""
        logical = f"row {row + 1}, column {name}"
        if not 0 <= row < self.row_count:
            return Location(self.header_line, 1, logical)
        line = self.row_lines[row]
        if name not in self.header:
            return Location(line, 1, logical)
        if self._line_index is None:
            self._line_index = LineIndex(self.text)
        start = self._line_index.line_start(line) or 0
        offset = _field_offset(self.text, start, self.header.index(name))
        ln, col = self._line_index.position(offset)
        return Location(ln, col, logical)

    def char_location(self, row: int, name: str, index: int) -> Location:
        """Where character ``index`` (0-based) of the cell's value as parsed is:
        past the cell's opening quote, a doubled quote counting as one
        character, across the line breaks of a quoted cell."""
        where = self.cell_location(row, name)
        if index <= 0 or not 0 <= row < self.row_count or name not in self.header:
            return where
        assert self._line_index is not None  # built by cell_location
        start = self._line_index.line_start(self.row_lines[row]) or 0
        pos = _field_offset(self.text, start, self.header.index(name))
        n = len(self.text)
        if pos < n and self.text[pos] == '"':
            pos += 1
            for _ in range(index):
                if pos >= n:
                    break
                pos += 2 if self.text.startswith('""', pos) else 1
        else:
            pos += index
        ln, col = self._line_index.position(min(pos, n))
        return Location(ln, col, where.logical)

    def row_location(self, row: int) -> Location:
        if not 0 <= row < self.row_count:
            return Location(self.header_line, 1, "header")
        return Location(self.row_lines[row], 1, f"row {row + 1}")


def _field_offset(text: str, start: int, index: int) -> int:
    """Offset of field ``index`` of the CSV record starting at ``start``."""
    pos, field, quoted, n = start, 0, False, len(text)
    while pos < n and field < index:
        ch = text[pos]
        if quoted:
            if ch == '"':
                if pos + 1 < n and text[pos + 1] == '"':
                    pos += 1
                else:
                    quoted = False
        elif ch == '"':
            quoted = True
        elif ch == ",":
            field += 1
        elif ch == "\n":
            break
        pos += 1
    return pos


def field_offsets(text: str, start: int) -> list[int]:
    """The offset of every field of the CSV record starting at ``start``: what
    ``_field_offset`` gives for each index, in one pass."""
    offsets = [start]
    pos, quoted, n = start, False, len(text)
    while pos < n:
        ch = text[pos]
        if quoted:
            if ch == '"':
                if pos + 1 < n and text[pos + 1] == '"':
                    pos += 1
                else:
                    quoted = False
        elif ch == '"':
            quoted = True
        elif ch == ",":
            offsets.append(pos + 1)
        elif ch == "\n":
            break
        pos += 1
    return offsets


def _field_column(text: str, start: int, index: int) -> int:
    return _field_offset(text, start, index) - start + 1


class DocumentGroup(NamedTuple):
    """The members of a glob artifact (the on-call exports of a set): each one's
    name relative to the set folder and its parsed document, and the names of
    those that could not be read (their SL002 speaks for them)."""

    members: tuple[tuple[str, Any], ...]
    unreadable: tuple[str, ...] = ()


@dataclasses.dataclass
class CalendarDocument:
    """An iCalendar export, column by column: one entry per VEVENT the reader
    kept (those SL003 rejected are left out), in file order. The times are either
    ``utc_text`` (every event of a plain UTC export: ``YYYYMMDDTHHMMSSZ`` as the
    file wrote it, which sorts as the times do, converted only where the horizon
    needs it) or ``starts``/``ends`` in UTC seconds, or, when ``calendar`` is set
    (recurrences, or a time zone only its VTIMEZONE defines), neither: the
    recurrence library expands ``calendar`` (an ``icalendar.Calendar``) and
    ``uids``/``rids`` map its occurrences back to their lines."""

    lines: Sequence[int]  # the line of each event's BEGIN:VEVENT
    persons: Sequence[tuple[str, ...]]  # who each event puts on shift
    cancelled: Sequence[bool]  # STATUS:CANCELLED: no shift
    starts: list[int] | None = None
    ends: list[int] | None = None
    # ``:YYYYMMDDTHHMMSSZ`` (the text after DTSTART, and after DTEND) of every event, one
    # record of ``ical_loader.RECORD`` characters each, joined
    utc_text: tuple[str, str] | None = None
    ordered: bool = False  # ``utc_text``: the starts in order, and the ends in order
    calendar: Any = None
    uids: list[str] | None = None
    rids: list[str | None] | None = None
    bad: frozenset[tuple[str, str | None]] = frozenset()  # (uid, recurrence-id) SL003 rejected
    rejected: int = 0  # events SL003 rejected (who they put on shift is unknown)
    cache: dict[Any, Any] = dataclasses.field(default_factory=dict, repr=False)
