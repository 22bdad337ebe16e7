"""Font-mapping artefacts of typeset PDFs, normalised so that the text reads like the document.

Chinese typesetting software maps the full-width punctuation of its fonts through their GB2312
codes, so a text layer can hold Yi syllables where the page shows punctuation: U+A3AC "ꎬ" is
GB2312 A3AC, the full-width comma "，"; "ꎮ" (A3AE) is the full stop; "ꎻ" the semicolon. Those
are decoded back; « » become 《 》 in a Chinese document; full-width digits and Latin letters
become ASCII; a private-use character between two digits is the decimal point; the spaces an
extractor puts between Chinese characters and numbers ("2024 年 2 月", "16 号") or between the
letters of a spaced-out line ("廉 政 專 刊") are taken out.
"""

from __future__ import annotations

import re

_YI = re.compile(r"[\ua1a1-\ua1fe\ua3a1-\ua3fe]")
# Decoded as GB2312 these are symbols a font maps there; the full stop is drawn as "。".
_SPECIAL = {"．": "。", "\u3000": " "}
_FULL_WIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ％＋．]")
_PRIVATE_BETWEEN_DIGITS = re.compile(r"(\d)[ \u00a0]?[\ue000-\uf8ff\U000f0000-\U0010ffff][ \u00a0]?(?=\d)")
_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_HAN_ALNUM = re.compile(rf"(?<=[{_HAN}])[ \u00a0]+(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%])[ \u00a0]+(?=[{_HAN}])")
_CJK_PUNCTUATION = "，。；：、！？（）《》「」『』“”‘’〔〕【】"
_SPACE_AROUND_PUNCTUATION = re.compile(
    rf"(?<=[{_CJK_PUNCTUATION}()])[ \u00a0]+(?=[{_HAN}{_CJK_PUNCTUATION}()])"
    rf"|(?<=[{_HAN}{_CJK_PUNCTUATION}()])[ \u00a0]+(?=[{_CJK_PUNCTUATION}()])"
)
_SPACED_OUT = re.compile(rf"(?<![{_HAN}])[{_HAN}](?: [{_HAN}]){{2,}}(?![{_HAN}])")
_SPACED_OUT_INSIDE = re.compile(rf"[{_HAN}](?: [{_HAN}]){{3,}}")


def _decode_yi(match: re.Match[str]) -> str:
    code = ord(match.group())
    try:
        char = bytes([code >> 8, code & 0xFF]).decode("gb2312")
    except UnicodeDecodeError:
        return match.group()
    return _SPECIAL.get(char, char)


def _full_width(match: re.Match[str]) -> str:
    char = match.group()
    return chr(ord(char) - 0xFEE0)


def has_font_artefacts(text: str) -> bool:
    return _YI.search(text) is not None


def normalise_punctuation(text: str, chinese: bool = True) -> str:
    """Yi-script stand-ins decoded, « » as 《 》 in Chinese text."""
    text = _YI.sub(_decode_yi, text)
    if chinese:
        text = text.replace("«", "《").replace("»", "》").replace("‹", "〈").replace("›", "〉")
    return text


def normalise_paged_text(text: str, chinese: bool = True) -> str:
    """Everything above, for a line of a PDF or scan."""
    text = normalise_punctuation(text, chinese)
    text = _PRIVATE_BETWEEN_DIGITS.sub(r"\1.", text)
    text = _FULL_WIDTH_ALNUM.sub(_full_width, text)
    text = re.sub(r"(?<=\d)。(?=\d)", ".", text)  # a full stop between digits is a decimal point
    if chinese:
        text = _SPACED_OUT.sub(lambda match: match.group().replace(" ", ""), text)
        text = _SPACED_OUT_INSIDE.sub(lambda match: match.group().replace(" ", ""), text)
        text = _SPACE_HAN_ALNUM.sub("", text)
        text = _SPACE_AROUND_PUNCTUATION.sub("", text)
    return re.sub(r"[ \u00a0]{2,}", " ", text).strip()


def is_chinese(texts: list[str]) -> bool:
    sample = "".join(texts)[:20000]
    han = sum(1 for char in sample if "\u3400" <= char <= "\u9fff")
    letters = sum(1 for char in sample if char.isalpha())
    return han > 0.3 * max(letters, 1)
