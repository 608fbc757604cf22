"""Text that GitHub's runner can never read as a workflow command, and Markdown
that GitHub can never turn into a link, a mention or an issue reference.

The runner (``actions/runner``: ``ActionCommand.TryParseV2`` and ``TryParse``)
reads every line a step prints, on stdout and on stderr:

- the v2 form ``::name props::data`` where the line, after .NET's
  ``TrimStart()`` (every Unicode white space), starts with ``::``;
- the legacy form ``##[name props]data`` *anywhere* in the line.

Every report is passed through one of the functions below once it is rendered,
so that no artifact text, file name or folder name can start a command, however
it reached the report. Each format breaks the two triggers in its own way:

=========  ===================  ==================  ===============================
format     leading ``::``       ``##[``             the data
=========  ===================  ==================  ===============================
text, log  ``\\::``             ``##\\[``           shown with a visible backslash
JSON       ``\\u003a:``         ``##\\u005b``       decodes to the same string
XML        ``&#58;:``           ``##&#91;``         decodes to the same text
=========  ===================  ==================  ===============================

In JSON and XML the replacement is a character escape, so a parser reads exactly
the original value; only the bytes on the log differ. A line is taken to start
after any of the line breaks of ``str.splitlines``, a superset of the runner's
(CR and LF), and the white space before ``::`` is Python's plus the zero-width
characters, a superset of .NET's.

``::`` at the start of a JSON line never happens with ``json.dumps(indent=2)``
(every line starts with ``"``, a bracket, a brace or a digit); the JSON variant
handles it all the same, as a string escape.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

# the line breaks of str.splitlines: CR and LF are the runner's; the others are taken too
BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# the white space that may stand before "::": str.isspace() less the breaks (a superset
# of .NET's char.IsWhiteSpace), plus the zero-width characters
LEADING = frozenset("\t\x1f \xa0\u1680\u202f\u205f\u3000\u180e\u200b\u200c\u200d\u2060\ufeff"
                    + "".join(map(chr, range(0x2000, 0x200B))))
_LEGACY = "##["
_COLONS = re.compile(":+")
_LINE_START_COLON = re.compile(
    "(?:\\A|(?<=[" + "".join(map(re.escape, sorted(BREAKS))) + "]))"
    "([" + "".join(map(re.escape, sorted(LEADING))) + "]*):(?=:)")


def _neutral(text: str, colon: str, bracket: str) -> str:
    if _LEGACY in text:
        text = text.replace(_LEGACY, "##" + bracket)
    i = text.find("::")
    if i < 0:
        return text
    if text.count("::") > len(text) >> 6:  # "::" everywhere: one pass of the engine
        return _LINE_START_COLON.sub(lambda m: m.group(1) + colon, text)
    # few: str.find, not a regular expression tried at every position, so that a
    # report of many megabytes costs little; a run of colons is one step
    out: list[str] = []
    last = 0
    while i >= 0:
        j = i
        while j > 0 and text[j - 1] in LEADING:
            j -= 1
        if j == 0 or text[j - 1] in BREAKS:  # "::" starts its line: break the first ':'
            out += (text[last:i], colon)
            last = i + 1
        run = _COLONS.match(text, i)
        i = text.find("::", run.end() if run else i + 1)
    out.append(text[last:])
    return "".join(out)


def neutral_log(text: str) -> str:
    """Plain text for a terminal or a CI log (the text report, the github format's
    log lines, messages on stderr): a backslash before the character that would
    make the runner read a command: ``\\::error::x``, ``##\\[error]x``."""
    return _neutral(text, "\\:", "\\[")


def neutral_inline(text: str) -> str:
    """Text that never starts a line (a command's data, whose line breaks are
    ``%0A``-escaped): only ``##[`` is broken, as in ``neutral_log``."""
    return text.replace(_LEGACY, "##\\[") if _LEGACY in text else text


def neutral_json(text: str) -> str:
    """Serialised JSON (the json and sarif reports): ``[`` after ``##`` written as
    ``\\u005b`` and a line-leading ``:`` as ``\\u003a``. ``#`` occurs only inside
    strings and starts no escape sequence, so the replacement always lands inside
    a string between two whole characters: the decoded value is unchanged."""
    return _neutral(text, "\\u003a", "\\u005b")


def neutral_xml(text: str) -> str:
    """Serialised XML (the junit report): character references, which decode to
    the same text in an attribute value or in character data, the only places
    where artifact text goes. A raw CR (ElementTree leaves it in character data,
    and the runner would start a line there) is written ``&#13;`` as well."""
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return _neutral(text, "&#58;", "&#91;")


def neutral_html(text: str) -> str:
    """A serialised HTML page: character references, as in ``neutral_xml`` (they
    decode to the same text in character data and in quoted attribute values, the
    only places where artifact text goes; the page's own style sheet has no line
    starting with ``::`` and no ``##[``)."""
    return neutral_xml(text)


def stop_token(lines: Iterable[str]) -> str:
    """The ``::stop-commands::`` token of a log: 32 hex digits of the SHA-256 of the
    lines it encloses. The same output gets the same token (reports are byte for
    byte reproducible); an artifact cannot plant the token in those lines, since
    the token is a hash of the very text that would have to contain it."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()[:32]


# -- Markdown (the step summary) -------------------------------------------------------

# What GitHub could turn into a link in a word (a run of non-spaces): a URL (cmark-gfm's
# autolink extension: "://" and a host, or "www."), an e-mail address or a mention
# ("@"), an issue reference ("#12", "GH-12", "owner/repo#12"), a commit (7 to 40 hex
# digits, "user@sha"). Every alternative is a bounded pattern: linear time.
AUTOLINK = re.compile(r"://\S|www\.|@|#\d|\bgh-\d|\b[0-9a-f]{7,40}\b", re.IGNORECASE)
_HEX7 = re.compile(r"[0-9a-fA-F]{7}")
_BACKTICKS = re.compile(r"`+")
# quotes and brackets around a word, and sentence punctuation after it, stay outside
# its code span when the rest of the word still holds what GitHub would link
# (str.strip, not a regular expression: linear on a 1 MB run of punctuation)
_OPENING = "'\"([{<"
_CLOSING = "'\",.;:!?)]}>"


def _may_autolink(text: str) -> bool:
    """A fast over-approximation of ``AUTOLINK.search(text)``."""
    if "@" in text or "#" in text or "://" in text:
        return True
    low = text.lower()
    return "www." in low or "gh-" in low or _HEX7.search(text) is not None


def _code_span(word: str) -> str:
    """``word`` (no white space) as a Markdown code span inside a GFM table cell:
    GitHub neither autolinks nor mentions inside code. The fence is one backtick
    longer than the longest run inside; a space pads a word that starts or ends with
    a backtick (CommonMark strips it); a pipe is escaped for the table."""
    if "|" in word:
        word = word.replace("|", "\\|")
    if "`" not in word:
        return "`" + word + "`"
    fence = "`" * (max(len(run) for run in _BACKTICKS.findall(word)) + 1)
    pad = " " if word[0] == "`" or word[-1] == "`" else ""
    return fence + pad + word + pad + fence


def _word(word: str, escape_plain: Callable[[str], str]) -> str:
    core = word.lstrip(_OPENING).rstrip(_CLOSING)
    if len(core) == len(word):
        return _code_span(word)
    if not AUTOLINK.search(core):  # the link needs the punctuation too: all in code
        return _code_span(word)
    start = len(word) - len(word.lstrip(_OPENING))
    end = start + len(core)
    return escape_plain(word[:start]) + _code_span(core) + escape_plain(word[end:])


def no_autolinks(text: str, escape_plain: Callable[[str], str]) -> str:
    """Markdown for one line of printable text (no line breaks): every word (run of
    non-spaces) that GitHub could autolink goes into a code span; the rest of the
    text through ``escape_plain`` (the caller's Markdown escaping)."""
    if not _may_autolink(text):
        return escape_plain(text)
    out: list[str] = []
    pos = 0
    m = AUTOLINK.search(text)
    while m:
        start = text.rfind(" ", pos, m.start()) + 1 or pos
        end = text.find(" ", m.end())
        end = len(text) if end < 0 else end
        if start > pos:
            gap = text[pos:start]
            out.append(gap if gap.isspace() else escape_plain(gap))
        out.append(_word(text[start:end], escape_plain))
        pos = end
        m = AUTOLINK.search(text, end)
    out.append(escape_plain(text[pos:]))
    return "".join(out)
