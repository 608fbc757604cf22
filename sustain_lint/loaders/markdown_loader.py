"""Markdown: YAML front matter (with its own line offsets), sections found by
heading, GitHub-flavoured pipe tables with the line of every row, all through
markdown-it-py's token line maps."""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from typing import Any

from sustain_lint.documents import MarkdownDocument, MarkdownTable, Section, TableRow
from sustain_lint.loaders import Loaded
from sustain_lint.loaders.reading import text_of
from sustain_lint.loaders.yaml_loader import parse_yaml
from sustain_lint.model import Location, Problem
from sustain_lint.names import is_written

_PARSER: Any = None


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        # Inline markup is parsed only where text is read (headings, table cells, on
        # demand in _inline_text), not for every paragraph: most of a document's text.
        # Tables and strike-through as GitHub reads them (GFM).
        _PARSER = (MarkdownIt("commonmark").enable(["table", "strikethrough"])
                   .disable(["inline", "text_join"]))
    return _PARSER


# characters that can start inline markup (emphasis, code, links, HTML, escapes,
# entities, autolinks); a cell without any of them is its own plain text
_MARKUP = re.compile(r"[*_`\[\]<>\\&!~]|  \n|https?:|www\.")


# a heading or table cell longer than this is taken as it is written, markup and all: the
# inline parser makes a token per piece of markup (8 MB of emphasis: 1.3 GB of tokens)
MAX_INLINE_CHARS = 10_000


_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
# GitHub also strikes text through between single tildes (~gone~), which markdown-it's
# strike-through (~~gone~~) leaves as text: the tildes are dropped, the text kept
_SINGLE_TILDES = re.compile(r"(?<![~\\])~([^~\s](?:[^~]*[^~\s])?)~(?!~)")


def _inline_text(token: Any, env: dict[str, Any] | None = None) -> str:
    """The plain text of an inline token as GitHub renders it: markup removed
    (emphasis, strike-through, links: their text kept; a reference link resolved
    with the document's own definitions, in ``env``), inline HTML dropped (a
    ``<br>`` read as a space), code kept. A text longer than ``MAX_INLINE_CHARS``:
    as written."""
    if not token.children:
        if not token.content:
            return ""
        if len(token.content) > MAX_INLINE_CHARS or not _MARKUP.search(token.content):
            return str(token.content).strip()  # plain text (or too long): nothing to parse
        md = _parser()
        children: list[Any] = []
        md.inline.parse(token.content, md, env if env is not None else {}, children)
        token.children = children
    parts = []
    for child in token.children:
        if child.type == "text":
            content = child.content
            parts.append(_SINGLE_TILDES.sub(r"\1", content) if "~" in content else content)
        elif child.type in ("text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
                child.type == "html_inline" and _LINE_BREAK_TAG.fullmatch(child.content)):
            parts.append(" ")  # (other inline HTML is dropped: GitHub shows no tag)
    return "".join(parts).strip()


def split_front_matter(text: str) -> tuple[str | None, int, str, Problem | None, str]:
    """Returns (front matter text, its last line, body with the front matter
    blanked out so that line numbers stay, problem, artifact placeholder)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, 0, text, None, ""
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            fm = "\n".join(lines[1:i]) + "\n"
            body = "\n" * (i + 1) + "\n".join(lines[i + 1:])
            return fm, i + 1, body, None, ""
    return None, 0, text, Problem(
        "", "has front matter opened with --- on line 1 that is never closed; "
        "end it with a line holding only ---", Location(1, 1, "front matter"), code="SL002"
    ), ""


def load_markdown(text: str | None, artifact: str, *, data: bytes | None = None,
                  columns: Collection[str] | None = None) -> Loaded:
    text = text_of(text, data)
    fm_text, _fm_end, body, fm_problem, _ = split_front_matter(text)
    if fm_problem is not None:
        return Loaded(None, [fm_problem._replace(artifact=artifact)])
    problems: list[Problem] = []
    front = None
    if fm_text is not None:
        loaded = parse_yaml(fm_text, artifact, first_line=2)
        if loaded.document is None:
            return Loaded(None, [p._replace(message="has front matter that " + p.message)
                                 for p in loaded.problems])
        problems.extend(loaded.problems)
        front = loaded.document
    env: dict[str, Any] = {}  # the document's link reference definitions, once parsed
    try:
        tokens = _parser().parse(body, env)
    except RecursionError:
        return Loaded(None, [Problem(artifact, "nests too deeply to be read", Location(1, 1),
                                     code="SL002")])
    line_count = text.count("\n") + (0 if text.endswith("\n") else 1)
    headings: list[tuple[int, str, int]] = []  # (level, title, line)
    tables: list[MarkdownTable] = []
    # start lines of the non-heading blocks that hold written content: not only HTML
    # comments, white space, markup or placeholders (evidence.md §2, "written content")
    blocks: list[int] = []
    block: int | None = None  # the start line of the top-level block being read
    written = False  # whether that block was found written (then its other text is not read)
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.type == "heading_open" and tok.map:
            headings.append((int(tok.tag[1:]), _inline_text(tokens[i + 1], env),
                             tok.map[0] + 1))
            block = None
            i += 3
            continue
        if tok.type == "table_open" and tok.map:
            table, i = _read_table(tokens, i, env)
            tables.append(table)
            if any(is_written(cell) for row in table.rows for cell in row.cells):
                blocks.append(table.line)
            block = None
            continue
        if tok.map and tok.level == 0 and tok.nesting >= 0:
            block, written = tok.map[0] + 1, False
        if (block is not None and not written and tok.content
                and tok.type in ("inline", "html_block", "fence", "code_block")
                and (tok.type in ("fence", "code_block") or is_written(tok.content))):
            blocks.append(block)
            written = True
        i += 1
    doc = MarkdownDocument(front, 1 if front is not None else 0,
                           _sections(headings, blocks, tables, line_count), tables, line_count,
                           source=text)
    return Loaded(doc, problems)


def _sections(headings: list[tuple[int, str, int]], blocks: list[int],
              tables: list[MarkdownTable], line_count: int) -> list[Section]:
    """A section per heading: it ends before the next heading of its level or
    higher (found with a stack of the open sections), has content when a block
    other than a heading holding written content starts inside it, and holds the tables that start inside
    it (both found by bisection): linear in the headings, not quadratic."""
    ends = [line_count] * len(headings)
    open_sections: list[int] = []  # indexes of the headings whose end is not found yet
    for index, (level, _, line) in enumerate(headings):
        while open_sections and headings[open_sections[-1]][0] >= level:
            ends[open_sections.pop()] = line - 1
        open_sections.append(index)
    heading_lines = {line for _, _, line in headings}
    starts = sorted(b for b in blocks if b not in heading_lines)
    ordered = sorted(tables, key=lambda t: t.line)
    table_lines = [t.line for t in ordered]
    sections = []
    for (level, title, line), end in zip(headings, ends, strict=True):
        first = bisect.bisect_right(starts, line)
        sections.append(Section(
            title=title,
            level=level,
            line=line,
            has_content=first < len(starts) and starts[first] <= end,
            tables=ordered[bisect.bisect_right(table_lines, line):
                           bisect.bisect_right(table_lines, end)],
        ))
    return sections


def _read_table(tokens: list[Any], i: int, env: dict[str, Any]) -> tuple[MarkdownTable, int]:
    start = tokens[i].map[0] + 1
    header: list[str] = []
    rows: list[TableRow] = []
    current: list[str] | None = None
    current_line = start
    in_head = False
    i += 1
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            current = []
            current_line = tok.map[0] + 1 if tok.map else current_line
        elif tok.type == "inline" and current is not None:
            current.append(_inline_text(tok, env))
        elif tok.type == "tr_close" and current is not None:
            if in_head:
                header = current
            else:
                rows.append(TableRow(current, current_line))
            current = None
        i += 1
    return MarkdownTable(header, start, rows), i + 1
