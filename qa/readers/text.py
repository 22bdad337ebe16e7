"""Plain text and Markdown, in whichever encoding a Chinese report is realistically saved."""

from __future__ import annotations

import re
from pathlib import Path

from qa.errors import DocumentError
from qa.readers.base import RawDocument, RawLine, split_lines

# Encodings a Chinese report is realistically saved in, most specific first.
_CANDIDATE_ENCODINGS = ("utf_8", "gb18030", "big5hkscs", "utf_16")


def decode_text(data: bytes, path: Path | str = "<bytes>") -> str:
    """Decode a text file saved as UTF-8 (with or without BOM), GB18030/GBK or Big5."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf_8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf_16")
        except UnicodeDecodeError as error:  # odd length or a lone surrogate: not UTF-16 text
            raise DocumentError(path, "binary data or broken UTF-16 text") from error
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "binary data, not a text file")
    decodings: dict[str, str] = {}
    for encoding in _CANDIDATE_ENCODINGS[:3]:
        try:
            decodings[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if "utf_8" in decodings:
        return decodings["utf_8"]
    if not decodings:
        raise DocumentError(path, "not a text file in UTF-8, GB18030/GBK or Big5")
    best = max(decodings.items(), key=lambda item: _plausibility(item[1]))
    text = best[1]
    if _plausibility(text) < 0.5:
        raise DocumentError(path, "binary data or an unknown text encoding")
    return text


def _plausibility(text: str) -> float:
    """Share of characters that are common CJK, ASCII printable or usual punctuation."""
    if not text:
        return 0.0
    good = sum(1 for char in text if _is_common_char(char))
    return good / len(text)


def _is_common_char(char: str) -> bool:
    if char.isascii():
        return char.isprintable() or char in "\r\n\t"
    if "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef" or "\u2000" <= char <= "\u206f":
        return True
    return char in _COMMON_HAN


def _load_common_han() -> frozenset[str]:
    """Characters of the jieba dictionary's frequent words: covers both scripts' common Han."""
    import jieba

    dictionary = Path(jieba.__file__).with_name("dict.txt")
    chars: set[str] = set()
    with dictionary.open(encoding="utf-8") as handle:
        for line in handle:
            word, frequency = line.split(" ", 2)[:2]
            if int(frequency) >= 20:
                chars.update(word)
    return frozenset(chars)


class _LazyHan:
    _chars: frozenset[str] | None = None

    def __contains__(self, char: object) -> bool:
        if self._chars is None:
            self._chars = _load_common_han()
        return char in self._chars


_COMMON_HAN = _LazyHan()


def read_txt(data: bytes, path: Path) -> RawDocument:
    return RawDocument([RawLine(line) for line in split_lines(decode_text(data, path))])


_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def read_markdown(data: bytes, path: Path) -> RawDocument:
    lines: list[RawLine] = []
    title = None
    for line in split_lines(decode_text(data, path)):
        match = _MARKDOWN_HEADING.match(line)
        if match:
            level = len(match.group(1))
            if level == 1 and title is None:
                title = match.group(2)
            lines.append(RawLine(match.group(2), level))  # the heading's words, not its "#" marks
        else:
            lines.append(RawLine(line))
    return RawDocument(lines, title=title)


READERS = {".txt": read_txt, ".md": read_markdown, ".markdown": read_markdown}
