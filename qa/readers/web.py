"""Web pages saved as HTML: block-level text in reading order, with the page's own headings."""

from __future__ import annotations

import re
from pathlib import Path

from qa.errors import DocumentError
from qa.readers.base import RawDocument, RawLine

_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "td", "th", "dt", "dd")
_HTML_NOISE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg")


def read_html(data: bytes, path: Path) -> RawDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    if soup.find() is None:
        raise DocumentError(path, "not an HTML document")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    date = _html_meta(soup, "article:published_time", "pubdate", "publishdate", "date")
    metadata = {}
    source = _html_meta(soup, "source", "og:site_name")
    if source:
        metadata["source"] = source
    for noise in soup(list(_HTML_NOISE)):
        noise.decompose()
    body = soup.body or soup
    lines: list[RawLine] = []
    blocks = body.find_all(list(_HTML_BLOCKS) + ["div", "br"])
    if not blocks:
        return RawDocument([RawLine(line) for line in body.get_text("\n").split("\n")], title, date, metadata)
    for element in body.find_all(list(_HTML_BLOCKS)):
        if element.find_parent(list(_HTML_BLOCKS)) is not None:
            continue  # nested block: its text is already in its ancestor's
        level = int(element.name[1]) if re.fullmatch(r"h[1-6]", element.name) else None
        for text in element.get_text("\n").split("\n"):
            lines.append(RawLine(text, level))
    lines.extend(_loose_html_text(body))
    return RawDocument(lines, title=title, date=date, metadata=metadata)


def _loose_html_text(body) -> list[RawLine]:
    """Text that sits directly in divs or the body rather than inside a paragraph-level tag."""
    from bs4 import NavigableString

    loose: list[RawLine] = []
    for string in body.find_all(string=True):
        if not isinstance(string, NavigableString) or type(string) is not NavigableString:
            continue
        if string.find_parent(list(_HTML_BLOCKS)) is not None or not string.strip():
            continue
        loose.append(RawLine(str(string)))
    return loose


def _html_meta(soup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if tag and tag.get("content"):
            return str(tag["content"]).strip()
    return None


READERS = {".html": read_html, ".htm": read_html}
