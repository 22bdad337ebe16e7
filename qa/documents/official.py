"""The head of an official document (红头文件): issuing office, document number, title.

A notice, opinion or decision starts with the issuing office ("杭州市人民政府文件", in red), the
document number ("杭政函〔2024〕16号"), then the title, often over two or three lines
("杭州市人民政府印发关于进一步推动" / "经济高质量发展若干政策的通知"), sometimes with the office
before it ("四川省人民政府办公厅" / "关于印发《…》的通知" / "川办规〔2025〕6号"). The title is the
document's title; the number is kept as metadata (``doc_number``); these head lines are not body
text. A cover page of a few short lines ("上海市普陀区财政局" / "2024年度部门决算") gives the title
the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.documents.headings import BodyLine
from qa.text import to_simplified

# 杭政函〔2024〕16号, 国发〔2024〕1号, 川办规[2025]6号, 浙政发（2024）4号, 第12号
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d\d\s*[〕\]］】)）]\s*\d{1,4}\s*号$")
_ISSUER = re.compile(
    r"(?:人民政府|政府办公厅|办公厅|办公室|委员会|人大常委会|委员会办公室|部|厅|局|委|署|院|会|中心|政府)(?:文件)?$"
)
_TITLE_END = re.compile(
    r"(?:通知|意见|决定|办法|规定|细则|批复|报告|方案|规划|纲要|通报|公告|通告|决议|函|复函|实施意见|指导意见|若干措施|政策措施)$"
)
_HEAD_LINES = 12


@dataclass
class OfficialHead:
    title: str | None = None
    doc_number: str | None = None
    date: str | None = None  # the date under the signature (成文日期), ISO
    removed: list[str] = field(default_factory=list)


def read_head(lines: list[BodyLine]) -> tuple[list[BodyLine], OfficialHead]:
    """Take the head of an official document (or a cover page's title) off the first page."""
    head = OfficialHead()
    if not lines or lines[0].page is None:
        return lines, head
    first_page = lines[0].page
    top = [index for index, line in enumerate(lines[:_HEAD_LINES]) if line.page == first_page]
    number_at = next((index for index in top if _DOC_NUMBER.match(_compact(lines[index].text))), None)
    title_at = _title_span(lines, top, number_at)
    if title_at is None:
        return _cover(lines, top, head)
    start, end = title_at
    taken = set(range(start, end))
    title = "".join(lines[index].text.strip() for index in range(start, end))
    masthead: set[int] = set()
    issuer_before = start - 1
    if issuer_before >= 0 and issuer_before in top and issuer_before != number_at:
        office = lines[issuer_before].text.strip()
        if _is_issuer(office):
            taken.add(issuer_before)
            if office.endswith("文件") or title.startswith(office):
                masthead.add(issuer_before)
            else:
                title = office + title  # "四川省人民政府办公厅" + "关于印发《…》的通知"
    if number_at is not None:
        taken.add(number_at)
        head.doc_number = _compact(lines[number_at].text)
        for index in top:
            if index < min(number_at, start) and _is_issuer(lines[index].text.strip()):
                taken.add(index)  # the masthead above the number
                masthead.add(index)
    head.title = title
    head.date = _signature_date(lines, first_page)
    head.removed = [lines[index].text for index in sorted(masthead)]
    return [line for index, line in enumerate(lines) if index not in taken], head


_DATE_LINE = re.compile(r"^((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日$")


def _signature_date(lines: list[BodyLine], first_page: int) -> str | None:
    """The date standing alone on a line of the first page, under the issuing office's name."""
    for line in lines[:40]:
        if line.page != first_page:
            break
        match = _DATE_LINE.match(_compact(line.text))
        if match:
            year, month, day = (int(part) for part in match.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_issuer(text: str) -> bool:
    compact = _compact(text)
    return 2 <= len(compact) <= 30 and _ISSUER.search(compact) is not None and not re.search(r"[，。；：]", compact)


def _title_span(lines: list[BodyLine], top: list[int], number_at: int | None) -> tuple[int, int] | None:
    """Consecutive short lines on the first page ending in 通知/意见/决定… that read as a title:
    starting with 关于 or an office that 印发/转发 something, near the document number."""
    for start in top:
        text = _compact(to_simplified(lines[start].text))
        if start == number_at or not (text.startswith("关于") or re.search(r"^.{2,30}?(?:关于|印发|转发)", text)):
            continue
        if number_at is None and start > 4:
            continue
        end = start
        joined = ""
        while end in top and end != number_at and len(joined) <= 90:
            piece = _compact(lines[end].text)
            if re.search(r"[。；]$|：$", piece):
                break
            joined += piece
            end += 1
            if _TITLE_END.search(to_simplified(joined).rstrip("》」”")):
                return start, end
    return None


def _cover(lines: list[BodyLine], top: list[int], head: OfficialHead) -> tuple[list[BodyLine], OfficialHead]:
    """A cover page of two to four short unpunctuated lines and nothing else: its lines are the title."""
    first_page = lines[0].page
    page = [index for index, line in enumerate(lines) if line.page == first_page]
    if not 2 <= len(page) <= 3 or len(page) != len(top[: len(page)]):
        return lines, head
    texts = [lines[index].text.strip() for index in page]
    if sum(len(text) for text in texts) > 40 or any(re.search(r"[。；，：:]|编印|編印|出版", text) for text in texts):
        return lines, head
    if not any(line.page != first_page for line in lines):
        return lines, head  # a one-page document: these lines are its body
    head.title = "".join(texts)
    return lines[len(page) :], head
