"""What is not body text: the title and news header at the top, navigation, photo captions,
editor credits and a trailing "recommended reading" block. Where such lines carry information
(title, date, source, subtitle, speaker, credits) it is kept as metadata; every line taken out
is listed in ``removed`` with its reason.

Captions and the "recommended reading" block are web-page leftovers: those rules apply to web
pages (HTML, and text saved from a news page), never to the body of a PDF or a scan, whose lines
were joined into paragraphs by their geometry (a hard-wrapped line that stops mid-sentence is
not a caption). A line that is nothing but a web page's navigation ("小字号", "返回顶部") is
taken out of any document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.documents.headings import HEADING_MAX_CHARS, BodyLine, ends_with_punctuation, heading_number_level
from qa.documents.retention import CAPTION, NAVIGATION, RELATED, TITLE_AGAIN, Removed, visible
from qa.text import to_simplified
from qa.years import FIRST_YEAR, LAST_YEAR, YEAR

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
_SPEAKER = re.compile(r"^(?:.{0,16}?(?:总理|副总理|省长|市长|主席|书记|主任|代省长|代理主席))\s*\S{2,8}$")


@dataclass
class Metadata:
    """What cleaning learns about the document as it goes."""

    title: str | None = None
    date: str | None = None
    source: str | None = None
    subtitle: str | None = None
    speaker: str | None = None
    is_web_page: bool = False
    paged: bool = False  # a PDF or scan: web-page leftover rules do not apply
    title_fixed: bool = False  # the title was read from an official document's head: keep it
    credits: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    metadata_chars: int = 0  # characters of the lines kept as metadata rather than as body

    def remove(self, line: BodyLine, reason: str) -> None:
        self.removed.append(Removed(line.text, reason, line.page))

    def as_metadata(self, text: str) -> None:
        self.metadata_chars += visible(text)


def simplified_key(text: str) -> str:
    return to_simplified(text).replace(" ", "")


def strip_front_matter(lines: list[BodyLine], state: Metadata) -> list[BodyLine]:
    """Title, news header (date, source), subtitle and speaker at the top of the document."""
    index = 0
    limit = min(len(lines), 12)
    title_from_text = None
    while index < limit:
        line = lines[index]
        key = simplified_key(line.text)
        if key in _NAVIGATION:
            state.remove(line, NAVIGATION)
        elif index > 0 and title_from_text and key in simplified_key(title_from_text):
            state.remove(line, TITLE_AGAIN)
        elif is_news_header(line.text):
            read_header(line.text, state)
            state.as_metadata(line.text)
            state.is_web_page = not state.paged
        elif _is_subtitle(line.text):
            state.subtitle = line.text
            take_date(line.text, state)
            state.as_metadata(line.text)
        elif _SPEAKER.match(key) and len(key) <= 24:
            state.speaker = line.text
            state.as_metadata(line.text)
        elif title_from_text is None and not state.title_fixed and _looks_like_title(line, index, lines):
            title_from_text = line.text
            state.as_metadata(line.text)
        else:
            break
        index += 1
    if title_from_text is not None:
        # The visible title line wins over file metadata, which is often a stale template.
        state.title = title_from_text
    return lines[index:]


def _looks_like_title(line: BodyLine, index: int, lines: list[BodyLine]) -> bool:
    if line.heading_level == 1 and index == 0:
        return True
    if index > 3 or len(line.text) > 80 or line.text.endswith(("。", "：", ":", "；")):
        return False
    # A title is followed by a header, subtitle, speaker or the body; not by another heading run.
    return index == 0 or all(simplified_key(previous.text) in _NAVIGATION for previous in lines[:index])


def is_news_header(text: str) -> bool:
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


def read_header(text: str, state: Metadata) -> None:
    simplified = to_simplified(text)
    take_date(text, state)
    match = _SOURCE.search(simplified)
    if match:
        start, end = match.span("source")
        state.source = text[start:end].strip()  # t2s keeps offsets: show the original script


def take_date(text: str, state: Metadata) -> None:
    match = _DATE_TIME.search(text)
    if match and state.date is None:
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12 and 1 <= day <= 31:
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


def year_from(text: str | None) -> str | None:
    match = re.search(rf"({YEAR})\s*年", text or "")
    return match.group(1) if match else None


def strip_leftovers(lines: list[BodyLine], state: Metadata) -> list[BodyLine]:
    kept: list[BodyLine] = []
    for position, line in enumerate(lines):
        key = simplified_key(line.text)
        if not state.paged and key.startswith(_TRAILER_STARTS) and len(key) <= 12:
            state.removed.extend(Removed(item.text, RELATED, item.page) for item in lines[position:])
            break
        if key in _NAVIGATION:
            state.remove(line, NAVIGATION)
            continue
        credit = _CREDIT.match(to_simplified(line.text))
        if credit and len(line.text) <= 40:
            state.credits.append(line.text.strip("()（）【】[] "))
            state.as_metadata(line.text)
            continue
        if not state.paged and _is_caption(line, key, state.is_web_page):
            state.remove(line, CAPTION)
            continue
        if is_news_header(line.text) and len(kept) < 3 and state.source is None:
            read_header(line.text, state)
            state.as_metadata(line.text)
            state.is_web_page = not state.paged
            continue
        kept.append(line)
    return kept


def _is_caption(line: BodyLine, key: str, is_web_page: bool) -> bool:
    if line.table or line.heading_level is not None or ends_with_punctuation(line.text) or heading_number_level(key):
        return False
    if key.startswith(_CAPTION_PREFIXES):
        return True
    if key.endswith(_CAPTION_SUFFIXES) and len(key) > 4:
        return True
    # On a news page, a mid-length line with no final punctuation is a photo or video caption;
    # headings there are short (at most HEADING_MAX_CHARS).
    return is_web_page and HEADING_MAX_CHARS < len(key) <= 80
