"""From a file to a cleaned :class:`Document`: metadata, web-page leftovers removed, headings found.

The cleaned text is the report's body lines joined by newlines; every later offset (chunks,
citations) points into it. Lines that are not body (the title, the news header, navigation,
photo captions, editor credits, a trailing "recommended reading" block) are kept out of it and,
where they carry information, stored as metadata.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from qa.readers import DocumentError, RawDocument, read_file
from qa.text import to_simplified

__all__ = ["Document", "Line", "DocumentError", "load_document", "clean", "PROVINCES"]


@dataclass(frozen=True)
class Line:
    """One line of the cleaned text. A heading opens a section at ``level`` named ``title``;
    a numbered paragraph with a lead sentence ("（一）经济运行稳进提质。健全……") is both a
    heading and body."""

    start: int
    end: int
    is_body: bool
    level: int | None = None
    title: str | None = None


@dataclass(frozen=True)
class Document:
    path: str
    title: str
    date: str | None
    source: str | None
    region: str | None
    sha256: str
    text: str
    lines: tuple[Line, ...]
    credits: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def metadata(self) -> dict[str, object]:
        return {
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "region": self.region,
            "path": self.path,
            "sha256": self.sha256,
            "credits": list(self.credits),
            "removed": list(self.removed),
            **self.extra,
        }


# Province-level divisions, short simplified names as used in report titles.
PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆",
    "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾",
)  # fmt: skip

_FINAL_PUNCTUATION = tuple("。！？；：:;!?…，,、")
_CLOSERS = "”’」』）)]》\"'"

_NAVIGATION = {
    "人民网", "新华网", "央视网", "小字号", "大字号", "中字号", "分享让更多人看到", "返回顶部",
    "分享", "分享到", "分享到：", "打印", "打印本页", "关闭", "关闭窗口", "【打印】", "【关闭】",
    "首页", "扫一扫", "微信扫一扫", "手机看", "收藏", "字号", "正文", "来源", "返回", "点击查看",
    "上一篇", "下一篇", "相关附件", "【大 中 小】", "【字体：大 中 小】",
}  # fmt: skip
_TRAILER_STARTS = ("推荐阅读", "相关阅读", "相关新闻", "延伸阅读", "热点推荐", "猜你喜欢", "更多精彩", "热门推荐")
_CREDIT = re.compile(
    r"^[（(【\[]?\s*(责编|责任编辑|编辑|编审|统筹|审核|审校|校对|终审|监制|制作|出品|作者|记者|通讯员|撰稿|摄影|策划)"
    r"\s*[:：]\s*(.+?)[)）】\]]?$"
)
_CAPTION_SUFFIXES = ("现场", "截图", "摄", "供图", "图", "资料图", "照片", "视频截图", "合影", "剪影")
_CAPTION_PREFIXES = ("视频截图来自", "图为", "图片来源", "图片来自", "图：", "图:", "视频：", "视频:", "图片：")

_DATE_TIME = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?(?:\s*(?P<t>\d{1,2}:\d{2}(?::\d{2})?))?"
)
_SOURCE = re.compile(r"(?:来源|来自|稿源|出处)\s*[:：]\s*(?P<source>[^\s|｜]+(?:\s*—\s*[^\s|｜]+)?)")
_HEADER_WORDS = re.compile(r"(发布时间|发布日期|时间|日期|来源|稿源|作者|浏览次数|点击数|阅读)\s*[:：]")
_SPEAKER = re.compile(r"^(?:.{0,16}?(?:省长|市长|主席|书记|主任|代省长|代理主席))\s*\S{2,8}$")


def load_document(path: Path | str, *, root: Path | None = None) -> Document:
    """Read and clean one report. ``root`` makes the stored path relative (``data/`` folder)."""
    path = Path(path)
    raw = read_file(path)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    shown = path
    if root is not None:
        try:
            shown = path.resolve().relative_to(root.resolve())
        except ValueError:
            shown = path
    return clean(raw, path=str(shown), sha256=sha256)


def clean(raw: RawDocument, *, path: str, sha256: str = "") -> Document:
    """Turn a raw document's lines into body text, metadata and headings."""
    lines = [_RawItem(_normalise_line(line.text), line.heading_level) for line in raw.lines]
    lines = [line for line in lines if line.text]
    if not lines:
        raise DocumentError(path, "no text found in the file")
    state = _Metadata(title=_no_surrogates(raw.title or "").strip() or None, date=_no_surrogates(raw.date) or None)
    if raw.metadata.get("source"):
        state.source = _no_surrogates(raw.metadata["source"])
    body = _strip_front_matter(lines, state)
    body = _strip_leftovers(body, state)
    name = Path(_no_surrogates(path)).name  # a file name that is not UTF-8 holds lone surrogates
    if state.title is None:
        state.title = Path(name).stem
    text, cleaned = _assemble(body)
    if not any(line.is_body for line in cleaned):  # only headings left: nothing to chunk or find
        raise DocumentError(path, "no body text left after removing headers and page furniture")
    date = state.date or _year_from(state.title) or _year_from(name)
    region = detect_region(state.title, name, text)
    extra = {key: value for key, value in (("subtitle", state.subtitle), ("speaker", state.speaker)) if value}
    return Document(
        path=path,
        title=state.title,
        date=date,
        source=state.source,
        region=region,
        sha256=sha256,
        text=text,
        lines=tuple(cleaned),
        credits=tuple(state.credits),
        removed=tuple(state.removed),
        extra=extra,
    )


@dataclass
class _RawItem:
    text: str
    heading_level: int | None


@dataclass
class _Metadata:
    title: str | None = None
    date: str | None = None
    source: str | None = None
    subtitle: str | None = None
    speaker: str | None = None
    is_web_page: bool = False
    credits: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _normalise_line(text: str) -> str:
    return re.sub(r"[ \t\u00a0\u3000\u200b\ufeff]+", " ", _no_surrogates(text)).strip()


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str | None) -> str:
    """``text`` with each lone surrogate (a broken PDF text layer or metadata field can hold one;
    it cannot be encoded, searched or stored) replaced by U+FFFD; offsets are unchanged."""
    return _LONE_SURROGATE.sub("\ufffd", text or "")


def _simplified_key(text: str) -> str:
    return to_simplified(text).replace(" ", "")


def _strip_front_matter(lines: list[_RawItem], state: _Metadata) -> list[_RawItem]:
    """Title, news header (date, source), subtitle and speaker at the top of the document."""
    index = 0
    limit = min(len(lines), 12)
    title_from_text = None
    while index < limit:
        line = lines[index]
        key = _simplified_key(line.text)
        if key in _NAVIGATION or index > 0 and title_from_text and key in _simplified_key(title_from_text):
            state.removed.append(line.text)
        elif _is_news_header(line.text):
            _read_header(line.text, state)
            state.is_web_page = True
        elif _is_subtitle(line.text):
            state.subtitle = line.text
            _take_date(line.text, state)
        elif _SPEAKER.match(key) and len(key) <= 24:
            state.speaker = line.text
        elif title_from_text is None and _looks_like_title(line, index, lines):
            title_from_text = line.text
        else:
            break
        index += 1
    if title_from_text is not None:
        # The visible title line wins over file metadata, which is often a stale template.
        state.title = title_from_text
    return lines[index:]


def _looks_like_title(line: _RawItem, index: int, lines: list[_RawItem]) -> bool:
    if line.heading_level == 1 and index == 0:
        return True
    if index > 3 or len(line.text) > 80 or line.text.endswith(("。", "：", ":", "；")):
        return False
    # A title is followed by a header, subtitle, speaker or the body; not by another heading run.
    return index == 0 or all(_simplified_key(previous.text) in _NAVIGATION for previous in lines[:index])


def _is_news_header(text: str) -> bool:
    simplified = to_simplified(text)
    if not (_HEADER_WORDS.search(simplified) or _DATE_TIME.match(simplified)):
        return False
    has_date = _DATE_TIME.search(simplified) is not None
    has_source = _SOURCE.search(simplified) is not None
    if not (has_date or has_source):
        return False
    rest = _SOURCE.sub("", _DATE_TIME.sub("", _HEADER_WORDS.sub("", simplified)))
    rest = re.sub(r"[\s|｜:：/_\-—()（）【】\[\]]", "", rest)
    rest = re.sub(r"(浏览次数|点击数|阅读)\d*", "", rest)
    return len(rest) <= 12


def _read_header(text: str, state: _Metadata) -> None:
    simplified = to_simplified(text)
    _take_date(text, state)
    match = _SOURCE.search(simplified)
    if match:
        start, end = match.span("source")
        state.source = text[start:end].strip()  # t2s keeps offsets: show the original script


def _take_date(text: str, state: _Metadata) -> None:
    match = _DATE_TIME.search(text)
    if match and state.date is None:
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if 1949 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
            state.date = f"{year:04d}-{month:02d}-{day:02d}"


def _is_subtitle(text: str) -> bool:
    """ "——2025年1月18日在云南省第十四届人民代表大会第三次会议上" and the like: a short line,
    never a sentence of the body that happens to start with a date."""
    dashed = re.match(r"^(—{1,2}|-{2,}|－{2,})", text) is not None
    if len(text) > (100 if dashed else 60):
        return False
    dated = re.match(r"^(—{1,2}|-{2,}|－{2,})?\s*[（(]?\d{4}\s*年", text) is not None
    about_a_meeting = re.search(r"会议|讲话|报告|會議|講話|報告", text) is not None
    return _DATE_TIME.search(text) is not None and (dashed or dated and about_a_meeting)


def _year_from(text: str | None) -> str | None:
    match = re.search(r"(19[5-9]\d|20\d\d)\s*年", text or "")
    return match.group(1) if match else None


def detect_region(title: str, file_name: str, text: str) -> str | None:
    """The province a report is about: named in its title, else its file name, else the one its
    text names most often (at least three times)."""
    for candidate in (title, file_name):
        simplified = to_simplified(candidate)
        found = [province for province in PROVINCES if province in simplified]
        if found:
            return min(found, key=simplified.index)
    simplified = to_simplified(text)
    counts = {province: simplified.count(province) for province in PROVINCES}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= 3 else None


def _strip_leftovers(lines: list[_RawItem], state: _Metadata) -> list[_RawItem]:
    kept: list[_RawItem] = []
    for position, line in enumerate(lines):
        key = _simplified_key(line.text)
        if key.startswith(_TRAILER_STARTS) and len(key) <= 12:
            state.removed.extend(item.text for item in lines[position:])
            break
        if key in _NAVIGATION:
            state.removed.append(line.text)
            continue
        credit = _CREDIT.match(to_simplified(line.text))
        if credit and len(line.text) <= 40:
            state.credits.append(line.text.strip("()（）【】[] "))
            continue
        if _is_caption(line, key, state.is_web_page):
            state.removed.append(line.text)
            continue
        if _is_news_header(line.text) and len(kept) < 3 and state.source is None:
            _read_header(line.text, state)
            state.is_web_page = True
            continue
        kept.append(line)
    return kept


def _ends_with_punctuation(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(_FINAL_PUNCTUATION) or text.endswith("——")


def _is_caption(line: _RawItem, key: str, is_web_page: bool) -> bool:
    if line.heading_level is not None or _ends_with_punctuation(line.text) or heading_number_level(key):
        return False
    if key.startswith(_CAPTION_PREFIXES):
        return True
    if key.endswith(_CAPTION_SUFFIXES) and len(key) > 4:
        return True
    # On a news page, a mid-length line with no final punctuation is a photo or video caption;
    # headings there are short (at most HEADING_MAX_CHARS).
    return is_web_page and HEADING_MAX_CHARS < len(key) <= 80


HEADING_MAX_CHARS = 24

_NUMBERED_HEADINGS = (
    (re.compile(r"^第[一二三四五六七八九十百零〇\d]+[部分章编篇]"), 1),
    (re.compile(r"^[一二三四五六七八九十]{1,3}、"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]"), 2),
    (re.compile(r"^[一二三四五六七八九十]{1,3}是"), 2),
    (re.compile(r"^\d{1,2}(?:[.．、](?!\d)|\s)"), 3),
    (re.compile(r"^[（(]\d{1,2}[）)]"), 4),
    (re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]"), 5),
)
_LEAD_SENTENCE = re.compile(r"^(.{2,60}?[。！？])")
UNNUMBERED_HEADING_LEVEL = 1
LEAD_IN_LEVEL = 2


def heading_number_level(text: str) -> int | None:
    for pattern, level in _NUMBERED_HEADINGS:
        if pattern.match(text):
            return level
    return None


def _classify(line: _RawItem) -> tuple[bool, int | None, str | None]:
    """(is_body, heading level, section title) of one line."""
    text = line.text
    if line.heading_level is not None:
        return False, line.heading_level, text.lstrip("#").strip()
    punctuated = _ends_with_punctuation(text)
    numbered = heading_number_level(text)
    if numbered is not None:
        if numbered == 2 and text.startswith(tuple("一二三四五六七八九十")) and punctuated:
            return True, None, None  # "一是……。" inside running text is a list, not a heading
        if not punctuated and len(text) <= 60:
            return False, numbered, text
        lead = _LEAD_SENTENCE.match(text)
        if lead and len(text) > len(lead.group(1)):
            return True, numbered, lead.group(1).rstrip("。！？")
        if lead:
            return False, numbered, text.rstrip("。！？")
        return True, None, None
    if text.endswith("——") and len(text) <= 40:
        return False, LEAD_IN_LEVEL, text
    if not punctuated and len(text) <= HEADING_MAX_CHARS:
        return False, UNNUMBERED_HEADING_LEVEL, text
    return True, None, None


def _assemble(body: list[_RawItem]) -> tuple[str, list[Line]]:
    """Join body lines into the cleaned text and find each line's role."""
    parts: list[str] = []
    cleaned: list[Line] = []
    offset = 0
    open_heading: int | None = None  # index in ``cleaned`` of a heading a next line may continue
    for item in body:
        is_body, level, title = _classify(item)
        start, end = offset, offset + len(item.text)
        heading = cleaned[open_heading] if open_heading is not None else None
        if heading is not None and _continues_heading(heading, item, is_body, level):
            assert heading.title is not None
            merged_level = UNNUMBERED_HEADING_LEVEL if heading.title.endswith("——") else heading.level
            cleaned[open_heading] = replace(heading, level=merged_level, title=heading.title + item.text)
            cleaned.append(Line(start, end, is_body=False))
            open_heading = None
        else:
            cleaned.append(Line(start, end, is_body, level, title))
            open_heading = len(cleaned) - 1 if not is_body and level is not None else None
        parts.append(item.text)
        offset = end + 1
    return "\n".join(parts), cleaned


def _continues_heading(previous: Line, item: _RawItem, is_body: bool, level: int | None) -> bool:
    """A heading split over two lines: a lead-in ending in "——" followed by a short heading
    ("堅持思想引領——" / "網絡空間主流輿論不斷壯大"), or a numbered heading cut short
    ("三、持续提升政府" / "治理效能和服务水平")."""
    if previous.title is None or is_body or level is None:
        return False
    if heading_number_level(item.text) is not None or item.heading_level is not None:
        return False
    if previous.title.endswith("——"):
        return level == UNNUMBERED_HEADING_LEVEL
    cut_short = heading_number_level(previous.title) is not None and len(previous.title) <= 10
    return cut_short and level == UNNUMBERED_HEADING_LEVEL and len(item.text) <= 12
