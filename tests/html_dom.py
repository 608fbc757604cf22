"""A page's elements as Python's own HTML parser reads them (the standard library's
``html.parser``): what tags and attributes a report page holds, and its text.
Used to hold a page to having gained no element or attribute from artifact text;
``tests/test_html_browser.py`` checks the same in a real browser."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import NamedTuple


class Element(NamedTuple):
    tag: str
    attrs: tuple[tuple[str, str | None], ...]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.text: list[str] = []
        self.closed_html = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "html":
            self.closed_html = True

    def handle_data(self, data: str) -> None:
        self.text.append(data)


class Page(NamedTuple):
    elements: list[Element]
    text: str

    def tags(self) -> set[str]:
        return {e.tag for e in self.elements}

    def attribute_names(self) -> set[str]:
        return {name for e in self.elements for name, _ in e.attrs}


def parse_html(text: str) -> Page:
    """The page's elements and text; an AssertionError for a page that is not one
    whole document (no doctype, or no closing ``</html>``)."""
    assert text.startswith("<!DOCTYPE html>"), text[:80]
    collector = _Collector()
    collector.feed(text)
    collector.close()
    assert collector.closed_html, "the page does not end with </html>"
    return Page(collector.elements, "".join(collector.text))
