"""JSON: parsed by the standard library; positions (and duplicate keys) come
from a small iterative scanner that runs only when a finding needs them."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any

from sustain_lint.documents import LineIndex, TreeDocument, escape_pointer_token
from sustain_lint.loaders import Loaded
from sustain_lint.loaders.reading import text_of
from sustain_lint.model import Location, Problem

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_LITERAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity")


_LONG_NUMBER = re.compile(r"\d{1000,}")
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


def index_json(text: str) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """Map JSON pointers to character offsets (the key of a member, the start
    of an item), and list duplicate keys as (pointer, offset, first offset).
    ``text`` must be valid JSON."""
    positions: dict[str, int] = {}
    duplicates: list[tuple[str, int, int]] = []
    # stack entries: [kind, pointer, next index, seen keys, pointer of the current member]
    stack: list[list[Any]] = []
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
    positions[""] = pos
    expect_value = True
    n = len(text)
    while pos < n:
        ch = text[pos]
        if expect_value:
            if ch in "{[":
                ptr = _current(stack)
                if stack and stack[-1][0] == "arr":
                    positions[ptr] = pos
                stack.append(["obj" if ch == "{" else "arr", ptr, 0, {}, ptr])
                pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
                if pos < n and text[pos] in "}]":
                    stack.pop()
                    pos += 1
                    expect_value = False
                elif ch == "{":
                    pos = _read_key(text, pos, stack, positions, duplicates)
                continue
            ptr = _current(stack)
            if stack and stack[-1][0] == "arr":
                positions[ptr] = pos
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
            if top[0] == "obj":
                pos = _read_key(text, pos, stack, positions, duplicates)
            expect_value = True
        elif ch in "}]":
            stack.pop()
            pos += 1
        else:
            break
    return positions, duplicates


def _current(stack: list[list[Any]]) -> str:
    if not stack:
        return ""
    kind, ptr, index, _, member = stack[-1]
    if kind == "arr":
        return f"{ptr}/{index}"
    return str(member)


def _read_key(
    text: str,
    pos: int,
    stack: list[list[Any]],
    positions: dict[str, int],
    duplicates: list[tuple[str, int, int]],
) -> int:
    m = _STRING.match(text, pos)
    if m is None:
        return pos
    key = json.loads(m.group(0))
    top = stack[-1]
    ptr = top[1] + "/" + escape_pointer_token(key)
    seen = top[3]
    if key in seen:
        duplicates.append((ptr, pos, seen[key]))
    else:
        seen[key] = pos
        positions[ptr] = pos
    top[4] = ptr
    colon = text.index(":", m.end())
    return _WS.match(text, colon + 1).end()  # type: ignore[union-attr]


def load_json(text: str | None, artifact: str, *, data: bytes | None = None,
              columns: Collection[str] | None = None) -> Loaded:
    text = text_of(text, data)
    dup_flag: list[bool] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            dup_flag.append(True)
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs)
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

    def indexer() -> dict[str, tuple[int, int]]:
        offsets, _ = index_json(text)
        return {ptr: lines.position(off) for ptr, off in offsets.items()}

    problems: list[Problem] = []
    if dup_flag:
        _, dups = index_json(text)
        for ptr, off, first in dups:
            line, col = lines.position(off)
            key = ptr.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
            problems.append(Problem(
                artifact,
                f"duplicate key \"{key}\" (first at line {lines.position(first)[0]}); keep one of them",
                Location(line, col, ptr),
                code="SL004",
            ))
    return Loaded(TreeDocument(data, _indexer=indexer), problems)
