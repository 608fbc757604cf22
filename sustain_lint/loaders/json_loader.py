"""JSON: parsed by the standard library; positions (and duplicate keys) come
from a small iterative scanner that runs only when a finding needs them."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any

from sustain_lint.documents import LineIndex, PositionTree, TreeDocument
from sustain_lint.limits import MAX_BUILT, more, shorten
from sustain_lint.loaders import Loaded
from sustain_lint.loaders.reading import text_of
from sustain_lint.model import Location, Problem

_WS = re.compile(r"[ \t\n\r]*")
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
# NaN, Infinity, -Infinity outside strings: Python's json reads them, JSON has no such values
_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', re.DOTALL)
_LITERAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity")


# a run of 1,000 digits, tried only where a run starts: from every digit of a run of 999 it
# was tried 999 times
_LONG_NUMBER = re.compile(r"(?<!\d)\d{1000,}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ANY_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _find_surrogate(data: Any) -> str | None:
    """The first lone surrogate in any key or string of ``data`` (``\\ud800`` escapes
    are valid JSON syntax but not text: no report could encode them)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            m = _SURROGATE.search(value)
            if m:
                return f"\\u{ord(m.group(0)):04x}"
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return None


def index_json(text: str, limit: int = MAX_BUILT, stop: int | None = None
               ) -> tuple[PositionTree, list[tuple[int, int, int]], int]:
    """The position of every value by JSON pointer, as character offsets (the key
    of a member, the start of an item), and the duplicate keys: at most ``limit``
    of them as (node of the member, offset, offset of the first), then one more (where
    the others start), and how many there are in all. ``text`` must be valid JSON.
    Scanned once, iteratively, without building a pointer string (``PositionTree``);
    with ``stop``, the scan ends at the ``stop``-th duplicate (the tree is then partial)."""
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
    tree = PositionTree(pos, lambda offset: (0, offset))
    duplicates: list[tuple[int, int, int]] = []
    count = 0
    # stack entries: [is a list, node, index of the next item, seen keys (key -> offset)]
    stack: list[list[Any]] = []
    member = 0  # the node of the member whose value comes next (in a mapping)
    expect_value = True
    n = len(text)
    while pos < n and (stop is None or count < stop):
        ch = text[pos]
        if expect_value:
            in_list = stack and stack[-1][0]
            if ch in "{[":
                node = tree.item(stack[-1][1], stack[-1][2], pos) if in_list else (
                    member if stack else 0)
                stack.append([ch == "[", node, 0, {}])
                pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
                if pos < n and text[pos] in "}]":
                    stack.pop()
                    pos += 1
                    expect_value = False
                elif ch == "{":
                    pos, member, count = _read_key(text, pos, tree, stack[-1], duplicates,
                                                   count, limit)
                continue
            if in_list:
                tree.leaf(stack[-1][1], stack[-1][2], pos)
            m = _STRING.match(text, pos) if ch == '"' else _LITERAL.match(text, pos)
            if m is None:
                break
            pos = m.end()
            expect_value = False
            continue
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= n:
            break
        ch = text[pos]
        if ch == ",":
            top = stack[-1]
            top[2] += 1
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            if not top[0]:
                pos, member, count = _read_key(text, pos, tree, top, duplicates, count, limit)
            expect_value = True
        elif ch in "}]":
            stack.pop()
            pos += 1
        else:
            break
    return tree, duplicates, count


def _read_key(text: str, pos: int, tree: PositionTree, top: list[Any],
              duplicates: list[tuple[int, int, int]], count: int, limit: int
              ) -> tuple[int, int, int]:
    """Past the key at ``pos`` and its colon: (offset, the member's node, duplicates)."""
    m = _STRING.match(text, pos)
    if m is None:
        return pos, 0, count
    raw = m.group(0)
    key = raw[1:-1] if "\\" not in raw else json.loads(raw)  # (valid JSON: no control character)
    seen = top[3]
    first = seen.get(key)
    if first is not None:
        count += 1
        node = tree.member(top[1], key, pos, first=True)
        if len(duplicates) <= limit:  # (one more than asked: where the others start)
            duplicates.append((node, pos, first))
    else:
        seen[key] = pos
        node = tree.member(top[1], key, pos)
    return _COLON.match(text, m.end()).end(), node, count  # type: ignore[union-attr]


class _NotJson(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def load_json(text: str | None, artifact: str, *, data: bytes | None = None,
              columns: Collection[str] | None = None) -> Loaded:
    text = text_of(text, data)
    repeated = [0]  # how many keys repeat one before them in their mapping

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            repeated[0] += len(items) - len(result)
        return result

    def constant(name: str) -> Any:
        raise _NotJson(name)

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except _NotJson as exc:
        m = next((m for m in _CONSTANT.finditer(text) if m.group(1)), None)
        loc = LineIndex(text).position(m.start(1)) if m else (1, 1)
        return Loaded(None, [Problem(
            artifact, f"is not valid JSON: {exc.name} is not a JSON value (JSON has no NaN or "
            "infinity); write a number, or null where there is none", Location(*loc),
            code="SL002")])
    except json.JSONDecodeError as exc:
        return Loaded(None, [Problem(
            artifact, f"is not valid JSON: {exc.msg}", Location(exc.lineno, exc.colno), code="SL002"
        )])
    except RecursionError:
        return Loaded(None, [Problem(
            artifact, "nests too deeply to be read; flatten it", Location(1, 1), code="SL002"
        )])
    except ValueError:  # an integer too long to convert (sys.get_int_max_str_digits)
        m = _LONG_NUMBER.search(text)
        loc = LineIndex(text).position(m.start()) if m else (1, 1)
        return Loaded(None, [Problem(
            artifact, "holds a number with thousands of digits, more than can be read; "
            "write a shorter number (or put it in quotes)", Location(*loc), code="SL002"
        )])
    lines = LineIndex(text)
    surrogate = _find_surrogate(data) if _ANY_SURROGATE_ESCAPE.search(text) else None
    if surrogate:
        m = _SURROGATE_ESCAPE.search(text)
        loc = lines.position(m.start()) if m else (1, 1)
        return Loaded(None, [Problem(
            artifact, "is not valid Unicode: a \\u escape encodes half of a surrogate pair "
            f"({surrogate}) that no text can hold; write the character itself, in UTF-8",
            Location(*loc), code="SL002",
        )])

    def indexer() -> PositionTree:
        tree, _, _ = index_json(text, limit=0)
        tree.to_position = lines.position  # offsets become (line, column) when asked for
        return tree

    problems: list[Problem] = []
    if repeated[0]:
        # the scan stops at the duplicate after the last one built: the parser counted them
        tree, dups, _ = index_json(text, stop=MAX_BUILT + 1)
        count = repeated[0]
        for node, off, first in dups[:MAX_BUILT]:
            line, col = lines.position(off)
            problems.append(Problem(
                artifact,
                f"duplicate key \"{tree.token(node)}\" (first at line {lines.position(first)[0]}); "
                "keep one of them",
                Location(line, col, shorten(tree.pointer(node))),
                code="SL004",
            ))
        if count > MAX_BUILT:  # the others are counted, not built
            problems.append(more(artifact, "SL004", count - MAX_BUILT,
                                 Location(*lines.position(dups[MAX_BUILT][1]))))
    return Loaded(TreeDocument(data, _indexer=indexer), problems)
