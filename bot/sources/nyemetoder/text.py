"""Nye metoder HTML as what a reader sees: text lines in document order, links, and its dates.

Beautiful Soup (with Python's own `html.parser`) reads the markup: it is maintained, typed, needs
no compiled library, and forgives the broken HTML a CMS produces. Only the *meaning* of standard
HTML is used (which elements start a new block of text, what `<a href>` is); no CSS class, id or
tag path of nyemetoder.no is relied on, because no copy of its markup exists (reference/
nyemetoder.md: only the pages' visible text was stored). Fields are then found by their labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from bs4 import BeautifulSoup, CData, Tag
from bs4.element import NavigableString, PageElement

from bot.sources.base import ParseError
from bot.sources.plaintext import one_line

# Elements that start and end a block of text in a browser (HTML's flow content that is not
# phrasing content). Inline elements (a, span, strong, em, …) stay inside their block's line.
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt"}
    | {"figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr"}
    | {"li", "main", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul"}
)
# Never text for a reader in the page; navigation and footers are site chrome around its content.
_SKIPPED = frozenset({"head", "title", "script", "style", "noscript", "template", "nav", "footer"})
_BREAK = "\n"
# The strings get_text() reads: text and CDATA sections, never comments, declarations or
# processing instructions (other subclasses of NavigableString).
_TEXT = (NavigableString, CData)
DATE = r"\d{2}\.\d{2}\.\d{4}"
_DATE_ONLY = re.compile(rf"^({DATE})$")


def soup_of(body: bytes) -> BeautifulSoup:
    """The parsed document; ParseError when the bytes are not readable text."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ParseError("the page is not UTF-8 text") from None
    return BeautifulSoup(text, "html.parser")


def text_lines(body: bytes) -> list[str]:
    """The page's visible text, one line per block, whitespace collapsed, empty lines dropped."""
    lines = (one_line(line) for line in "".join(_text_and_breaks(soup_of(body))).split(_BREAK))
    return [line for line in lines if line]


def _text_and_breaks(soup: BeautifulSoup) -> Iterator[str]:
    """The document's text in order, with a break around each block and for each `<br>`, the
    skipped elements left out: one walk of the tree, which is left as it was (no stack depth
    grows with the nesting, so a deeply nested page is read too)."""
    stack: list[tuple[Iterator[PageElement], bool]] = [(iter(soup.contents), False)]
    while stack:
        children, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                yield _BREAK
        elif isinstance(child, Tag):
            if child.name == "br":
                yield _BREAK
            elif child.name not in _SKIPPED:
                opens = child.name in _BLOCKS
                if opens:
                    yield _BREAK
                stack.append((iter(child.contents), opens))
        elif type(child) in _TEXT:
            yield str(child)


def links(body: bytes) -> list[str]:
    """Every `href` of an `<a>` element, in document order, as written."""
    soup = soup_of(body)
    found = []
    for anchor in soup.find_all("a"):
        href = anchor.get("href") if isinstance(anchor, Tag) else None
        if isinstance(href, str) and href.strip():
            found.append(href.strip())
    return found


def iso_date(text: str, *, what: str) -> str:
    """`dd.mm.yyyy` as ISO 8601; ParseError naming `what` when it is not a real date."""
    match = _DATE_ONLY.match(text.strip())
    if not match:
        raise ParseError(f"{what} is {text!r}, not a date dd.mm.yyyy")
    day, month, year = (int(part) for part in match.group(1).split("."))
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ParseError(f"{what} is {text!r}, not a real date") from None
