"""Plain text from what sources publish: HTML as lines, invisible control characters removed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Tags that end a line of text (paragraphs, list items, line breaks, table rows, headings).
_BREAKS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "blockquote"}
    | {"h1", "h2", "h3", "h4", "h5", "h6"}
)
_SKIPPED = frozenset({"script", "style"})

# C0/C1 controls (newline and tab are turned into spaces or kept as breaks), bidi embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069, marks U+200E/U+200F), and zero-width
# characters: invisible, yet able to reorder or hide what a reader sees in Slack.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_SPACES = re.compile(r"[^\S\n]+")
_WHITESPACE = re.compile(r"\s+")


def strip_invisible(text: str) -> str:
    """`text` without control, bidi-override and zero-width characters."""
    return _INVISIBLE.sub("", text)


def one_line(text: str) -> str:
    """`text` cleaned of invisible characters, its whitespace collapsed to single spaces."""
    if text.isprintable() and "  " not in text and text == text.strip(" "):
        return text  # no control, format or other space characters, nothing to collapse
    return " ".join(strip_invisible(text).split())


def html_to_text(fragment: str) -> str:
    """An HTML fragment as plain text: tags gone, entities decoded, one line per paragraph."""
    if "<" not in fragment and "&" not in fragment:
        return one_line(fragment)  # no markup: what the parser would make of it
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, marked with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


class _TextParser(HTMLParser):
    """Collects text, turning block-level tags into line breaks and skipping scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            # Newlines inside text are layout, not breaks; only tags make lines.
            self.parts.append(_WHITESPACE.sub(" ", strip_invisible(data)))
