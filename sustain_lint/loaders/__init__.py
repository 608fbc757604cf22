"""Loaders: text in, a document and/or problems out. A parse failure is a
value (an SL002 problem), never an exception that stops the run."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple, Protocol

from sustain_lint.model import Problem


class Loaded(NamedTuple):
    document: Any  # a sustain_lint.documents document, or None when unreadable
    problems: list[Problem]


class Loader(Protocol):
    """``text``: the decoded file, its line ends as \\n (as written, for a format in
    ``KEEPS_LINE_ENDS``), or None when ``data`` is the text (a large ASCII file,
    left undecoded: ``reading.text_of`` decodes it); ``artifact``:
    its name, for messages; ``data``: the same text as UTF-8 bytes when the
    reader has them (a loader that parses bytes may use them instead of encoding
    ``text`` again); ``columns``: for a table, the columns the rules and checks
    read (None: all), which a loader may read first and the others when asked."""

    def __call__(self, text: str | None, artifact: str, *, data: bytes | None = None,
                 columns: Collection[str] | None = None) -> Loaded: ...


#: the formats whose loader is handed the line ends as the file wrote them (it turns them
#: into \n itself where it must: an iCalendar export, CRLF by its standard, is read as it
#: is when it can be, sparing a copy of the whole text)
KEEPS_LINE_ENDS = frozenset({"ics"})


def get_loader(fmt: str) -> Loader:
    """The loader for a file format (``json``, ``yaml``, ``csv``, ``markdown``, ``ics``)."""
    if fmt == "json":
        from sustain_lint.loaders.json_loader import load_json

        return load_json
    if fmt == "yaml":
        from sustain_lint.loaders.yaml_loader import load_yaml

        return load_yaml
    if fmt == "csv":
        from sustain_lint.loaders.csv_loader import load_csv

        return load_csv
    if fmt == "markdown":
        from sustain_lint.loaders.markdown_loader import load_markdown

        return load_markdown
    if fmt == "ics":
        from sustain_lint.loaders.ical_loader import load_ical

        return load_ical
    raise ValueError(f"unknown format {fmt!r}")
