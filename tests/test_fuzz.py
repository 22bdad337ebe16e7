"""Property tests: cleaning, chunking and decoding hold their promises for any input.

* :func:`qa.documents.clean` on any lines either gives a document or raises :class:`DocumentError`
  (and then only because no text or no body text is left);
* :func:`qa.chunking.chunk_document` gives chunks whose offsets give back their text exactly,
  that cover every body line, keep to the token budget and come in document order;
* :func:`qa.readers.decode_text` on any bytes returns text or raises :class:`DocumentError`;
* :func:`qa.readers.read_file` on any bytes of any supported type does the same.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qa.chunking import ChunkingConfig, chunk_document
from qa.documents import Document, clean
from qa.readers import DocumentError, RawDocument, RawLine, decode_text, read_file
from qa.text import estimate_tokens

# QA_FUZZ_EXAMPLES=5000 for a deeper run; the default keeps the suite fast.
EXAMPLES = int(os.environ.get("QA_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters of real reports: common simplified and traditional Han, Chinese punctuation, digits.
HAN = (
    "全省网络文明建设取得新进展处理违规直播间个开展活动坚持思想引领总体情况主要做法政"  # simplified: HAN[:40]
    "府工作报告经济增长湖北贵州發展會議網絡"
)
PUNCTUATION = "。！？；，、：“”‘’（）《》【】…—"
HEADING_STARTS = ["一、", "二、", "十二、", "（一）", "（三）", "(2)", "1.", "2、", "①"]
HEADING_STARTS += ["第一章", "第二部分", "一是", "# ", "——"]
NO_CONTENT = {"no text found in the file", "no body text left after removing headers and page furniture"}

characters = st.one_of(
    st.sampled_from(HAN),
    st.sampled_from(PUNCTUATION),
    st.sampled_from("0123456789"),
    st.sampled_from([" ", "\u3000", "\t", "\u00a0", "\u200b", "a", "Z", ".", "%", "-", "|", "\ufeff"]),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(),  # anything at all, lone surrogates and control characters included
)
runs = st.lists(characters, max_size=120).map("".join)
sentences = st.lists(characters, min_size=1, max_size=60).map(lambda chars: "".join(chars) + "。")
lines = st.builds(
    lambda start, parts: start + "".join(parts),
    st.sampled_from([""] * 6 + HEADING_STARTS),
    st.lists(st.one_of(runs, sentences, st.just("——"), st.just("\n")), max_size=8),
)
raw_lines = st.builds(RawLine, lines, st.one_of(st.none(), st.none(), st.integers(1, 6)))
raw_documents = st.builds(
    lambda items, title, date: RawDocument(items, title=title, date=date),
    st.lists(raw_lines, max_size=25),
    st.one_of(st.none(), lines),
    st.one_of(st.none(), st.just("2024-05-28"), runs),
)
configs = st.sampled_from(
    [ChunkingConfig(), ChunkingConfig(max_tokens=40, target_tokens=20), ChunkingConfig(max_tokens=16, target_tokens=16)]
)


def check_chunks(document: Document, config: ChunkingConfig) -> None:
    chunks = chunk_document(document, config)
    covered: set[int] = set()
    for position, chunk in enumerate(chunks):
        assert chunk.index == position
        assert 0 <= chunk.start < chunk.end <= len(document.text)
        assert document.text[chunk.start : chunk.end] == chunk.text
        assert estimate_tokens(chunk.text) <= config.max_tokens, chunk.text
        assert chunk.section[0] == document.title
        covered.update(range(chunk.start, chunk.end))
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert before.end <= after.start, "chunks overlap or are out of order"
    body = [line for line in document.lines if line.is_body]
    assert body, "a document always has body text"
    for line in body:
        missing = set(range(line.start, line.end)) - covered
        assert not missing, f"body line {document.text[line.start : line.end]!r} not in any chunk"


@FUZZ
@given(raw_documents, configs)
def test_clean_then_chunk_any_lines(raw: RawDocument, config: ChunkingConfig) -> None:
    try:
        document = clean(raw, path="报告 fuzz.txt")
    except DocumentError as error:
        assert error.problem in NO_CONTENT
        return
    previous_end = -1
    for line in document.lines:
        assert previous_end < line.start <= line.end <= len(document.text)
        previous_end = line.end
    check_chunks(document, config)


# A plain sentence: long, ends with 。, starts like no heading: always body text.
_PLAIN = "全省网络文明建设取得新进展处理违规直播间开展活动坚持思想引领，0123456789"
plain_sentences = st.text(alphabet=_PLAIN, min_size=25, max_size=400).map(lambda text: "全省" + text + "。")


@FUZZ
@given(st.lists(raw_lines, max_size=10), plain_sentences, st.lists(raw_lines, max_size=10), configs)
def test_a_plain_sentence_is_always_kept_and_chunked(
    before: list[RawLine], sentence: str, after: list[RawLine], config: ChunkingConfig
) -> None:
    trailer_words = ("推荐阅读", "相关阅读", "相关新闻", "延伸阅读", "热点推荐", "猜你喜欢", "更多精彩", "热门推荐")
    assume(not any(line.text.strip().startswith(trailer_words) for line in before))
    document = clean(RawDocument([*before, RawLine(sentence), *after]), path="fuzz.txt")
    assert sentence in document.text
    start = document.text.index(sentence)
    chunks = chunk_document(document, config)
    covered = {position for chunk in chunks for position in range(chunk.start, chunk.end)}
    assert set(range(start, start + len(sentence))) <= covered
    check_chunks(document, config)


@FUZZ
@given(st.binary(max_size=600))
def test_decode_text_any_bytes(data: bytes) -> None:
    try:
        text = decode_text(data, "any.txt")
    except DocumentError as error:
        assert error.path == "any.txt" and error.problem
        return
    assert isinstance(text, str)


boms = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])


@FUZZ
@given(boms, st.binary(max_size=300))
def test_decode_text_after_a_byte_order_mark(bom: bytes, data: bytes) -> None:
    with contextlib.suppress(DocumentError):
        assert isinstance(decode_text(bom + data), str)


report_text = st.lists(
    st.one_of(st.sampled_from(HAN), st.sampled_from(PUNCTUATION), st.sampled_from("0123456789\n")),
    min_size=1,
    max_size=300,
).map("".join)


@FUZZ
@given(report_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_decode_text_gives_back_unicode_text(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == text


gbk_sentences = st.lists(
    st.tuples(st.text(alphabet=HAN[:40] + "0123456789", min_size=4, max_size=40), st.sampled_from("。，、；：！？")),
    min_size=3,
    max_size=20,
).map(lambda parts: "".join(words + mark for words, mark in parts))


@FUZZ
@given(gbk_sentences)
def test_decode_text_gives_back_gbk_text(text: str) -> None:
    # Sentences of simplified characters with their punctuation, as in any report. (Without
    # punctuation a few GBK characters can also be valid UTF-8, "全省" as "ȫʡ", and UTF-8 wins.)
    assert decode_text(text.encode("gbk")) == text


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".docx", ".pdf"])
@settings(
    max_examples=max(10, EXAMPLES // 4), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000))
def test_read_file_any_bytes(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    try:
        raw = read_file(path)
    except DocumentError as error:
        assert error.path == str(path) and error.problem
        return
    assert any(line.text.strip() for line in raw.lines)
