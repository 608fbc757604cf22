"""Names, placeholders and written content (evidence.md §2): the one list of
placeholder words, the one matcher, and the one way names are compared.

- ``is_placeholder``: an owner-like value (owner, contact, approver,
  stakeholder, facilitator, roster name) that names nobody: empty, only
  punctuation (``-``, ``—``, ``?``, ``…``), a placeholder word in any case,
  inside brackets or quotes (``(TBD)``, ``[TODO]``), with trailing punctuation
  (``TBD.``) or with a note after it (``TBD - ask Anna``, ``TODO: assign``),
  a template word in angle or square brackets (``<owner>``, ``[name]``), or
  only HTML comments and Markdown markup.
- ``is_written``: free text (a section, a cell, a free-text value) counts as
  written when something other than HTML comments, white space, Markdown
  markup and placeholders remains: exactly ``not is_placeholder``.
- ``normalise_name``: NFC, case folding, trimming and collapsing inner white
  space; every place where names meet compares them so.

Everything here runs in linear time (no backtracking pattern): a 1 MB owner
value or paragraph costs a scan or two.
"""

from __future__ import annotations

import functools
import re
import unicodedata

PLACEHOLDER_WORDS = frozenset({
    "tbd", "tbc", "tba", "todo", "fixme", "xxx", "n/a", "na", "none", "nobody",
    "unassigned", "unknown", "pending", "placeholder", "changeme",
})
"""The placeholder words of evidence.md §2 (folded). A value with no letter or digit
(``-``, ``--``, ``—``, ``?``, ``...``, ``…``) is a placeholder too."""

# words that mark a placeholder even when a note follows after a plain space
# (``TBD ask Anna``); the others (``none``, ``pending``, ``unknown``, ``na``...) are also
# ordinary words ("None of the ...", "Na Li") and need a separator before a note
_MARKERS = frozenset({"tbd", "tbc", "tba", "todo", "fixme", "xxx", "changeme", "placeholder"})
# what separates a placeholder from a note after it: TBD - ask Anna, TODO: assign, TBD (Q3)
_NOTE = frozenset("-–—:;,(/[|")
# an HTML tag (or a template word written as one: <owner>, <your name>); not an autolink
# such as <dana@example.com> or <https://...>, which is a real contact. Linear: each
# attempt stops at the next angle bracket.
_TAG = re.compile(r"</?[^\W\d_][\w-]*(?:\s[^<>]*)?/?>")
# Markdown markup that carries no text of its own
_MARKUP = str.maketrans({c: " " for c in "*_~`#>|"})


def strip_comments(text: str) -> str:
    """``text`` without its HTML comments (an unclosed one runs to the end, as in
    Markdown); a scan with ``str.find``, linear in the text."""
    if "<!--" not in text:
        return text
    parts: list[str] = []
    pos = 0
    while True:
        start = text.find("<!--", pos)
        if start == -1:
            parts.append(text[pos:])
            break
        parts.append(text[pos:start])
        end = text.find("-->", start + 4)
        if end == -1:
            break
        parts.append(" ")
        pos = end + 3
    return "".join(parts)


def _has_alnum(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _strip_edges(text: str) -> str:
    """Without the characters before the first and after the last letter or digit."""
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return text[start:end]


@functools.lru_cache(maxsize=4096)
def _placeholder_text(value: str) -> bool:
    text = strip_comments(unicodedata.normalize("NFC", value))
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = " ".join(text.translate(_MARKUP).split())
    if not _has_alnum(text):
        return True  # empty, white space, markup, punctuation only: -, —, ?, …
    if text[0] == "[" and text[-1] == "]" and "[" not in text[1:-1] and "]" not in text[1:-1]:
        return True  # a template word in square brackets: [owner], [team name]
    text = _strip_edges(text).casefold()
    if text in PLACEHOLDER_WORDS:
        return True
    if text.startswith("n/a"):
        word, rest = "n/a", text[3:]
    else:
        end = 0
        while end < len(text) and text[end].isalpha():
            end += 1
        word, rest = text[:end], text[end:]
    if word not in PLACEHOLDER_WORDS:
        return False
    note = rest.lstrip()
    if note and note[0] in _NOTE:
        return True  # TBD - ask Anna, TODO: assign, Unassigned (hiring)
    return word in _MARKERS and note != rest  # TBD ask Anna


def is_placeholder(value: object) -> bool:
    """True when an owner-like value (or a free-text value) is missing or names
    nobody: None, empty, a placeholder, or only comments and markup."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    return _placeholder_text(value)


def is_written(value: object) -> bool:
    """True when free text holds something other than HTML comments, white space,
    Markdown markup and placeholders (evidence.md §2, "written content")."""
    return isinstance(value, str) and not _placeholder_text(value)


def real_names(value: object) -> list[str] | None:
    """The names in a list of people or contacts that are not placeholders (a
    single string counts as a list of one); None for a shape only SL003 judges."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return None
    return [v for v in value if isinstance(v, str) and not is_placeholder(v)]


def normalise_name(value: str) -> str:
    """A name as names are compared: NFC, case-folded, trimmed, inner white space
    collapsed (``García`` with a combining accent is ``garcía``)."""
    folded = unicodedata.normalize("NFC", value).casefold()
    return " ".join(unicodedata.normalize("NFC", folded).split())


def display_name(value: str) -> str:
    """A name as shown in a message: NFC, trimmed, inner white space collapsed."""
    return " ".join(unicodedata.normalize("NFC", value).split())
