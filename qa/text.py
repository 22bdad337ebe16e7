"""Chinese text helpers shared by every stage: script normalisation, tokenisation and the range dash.

Functions named for simplified text (``bigrams``) take text already through :func:`to_simplified`,
so that a question or a sentence is converted once however many readings are made of it.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_converter_lock = threading.Lock()


@lru_cache(maxsize=1)
def _t2s_converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese (OpenCC t2s). Length and offsets are preserved
    for the one-to-one character mapping of t2s, which is what search needs."""
    if not text:
        return text
    with _converter_lock:
        return _t2s_converter().convert(text)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(text: str | None) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (offsets unchanged). A broken PDF text
    layer, a file name that is not UTF-8 or a JSON string can carry one; it cannot be encoded,
    embedded or stored."""
    return _LONE_SURROGATE.sub("\ufffd", text or "")


_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Between the two ends of a range: 2015—2019年, 5%～6%, 2003年至2006年, 2021-2025 (a regular-expression group).
RANGE_DASH = r"(?:—至|[-–—－―~～]|至|到)"
_TOKEN = re.compile(rf"[{_CJK}]+|[A-Za-z]+|\d+(?:[.,]\d+)*")


def bigram_tokens(text: str) -> list[str]:
    """Chinese runs as overlapping character bigrams (and single characters for runs of one),
    Latin words lower-cased, numbers whole. Works on either script after :func:`to_simplified`."""
    return bigrams(to_simplified(text))


def bigrams(simplified: str) -> list[str]:
    """:func:`bigram_tokens` of a text already in simplified script."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(simplified):
        run = match.group()
        if "\u3400" <= run[0] <= "\ufaff":
            if len(run) == 1:
                tokens.append(run)
            tokens.extend(run[index : index + 2] for index in range(len(run) - 1))
        else:
            tokens.append(run.lower())
    return tokens


_jieba_lock = threading.Lock()


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.initialize()
    return jieba


_PUNCTUATION_TOKEN = re.compile(rf"^[^{_CJK}A-Za-z0-9]+$")


def jieba_tokens(text: str) -> list[str]:
    """Words from jieba's search mode (long words plus their parts), lower-cased, no punctuation."""
    jieba = _jieba()
    with _jieba_lock:
        words = jieba.lcut_for_search(to_simplified(text))
    return [word.lower() for word in words if word.strip() and not _PUNCTUATION_TOKEN.match(word)]


TOKENIZERS = {"bigram": bigram_tokens, "jieba": jieba_tokens}


def tokenize(text: str, tokenizer: str = "bigram") -> list[str]:
    try:
        return TOKENIZERS[tokenizer](text)
    except KeyError:
        raise ValueError(f"unknown tokenizer {tokenizer!r}; choose one of {sorted(TOKENIZERS)}") from None


# A Chinese character (CJK ideographs, extension A and the compatibility block), for counting them.
CJK_CHARACTER = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def estimate_tokens(text: str) -> int:
    """An upper-bound estimate of the XLM-R / BERT token count of ``text``: one token per
    CJK character or punctuation mark, and at most one per three Latin letters or digits."""
    count = 0
    latin_run = 0
    for char in text:
        if char.isascii() and char.isalnum():
            latin_run += 1
            continue
        if latin_run:
            count += (latin_run + 2) // 3
            latin_run = 0
        if not char.isspace():
            count += 1
    if latin_run:
        count += (latin_run + 2) // 3
    return count
