"""The head of an official document (红头文件): issuing office, document number, title.

A notice, opinion or decision starts with the issuing office ("杭州市人民政府文件", in red), the
document number ("杭政函〔2024〕16号"), then the title, often over two or three lines
("杭州市人民政府印发关于进一步推动" / "经济高质量发展若干政策的通知"), sometimes with the office
before it ("四川省人民政府办公厅" / "关于印发《…》的通知" / "川办规〔2025〕6号"). The title is the
document's title; the number is kept as metadata (``doc_number``); these head lines are not body
text. A cover page of a few short lines ("上海市普陀区财政局" / "2024年度部门决算") gives the title
the same way.

Its trailer (:func:`read_trailer`): the signature (the issuing office) and the date under the
last paragraph, a note such as "（此件公开发布）", and the 版记 at the foot of the last page
("抄送：…", "…办公室 2024年6月18日印发") become metadata. Only the lines after the last body
paragraph that have those forms are taken, so the trailer never takes the body before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.documents.headings import BodyLine
from qa.documents.retention import MASTHEAD, Removed, visible
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
    removed: list[Removed] = field(default_factory=list)
    metadata_chars: int = 0  # characters of the head's lines kept as metadata (title, number)


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
    head.removed = [Removed(lines[index].text, MASTHEAD, lines[index].page) for index in sorted(masthead)]
    head.metadata_chars = sum(visible(lines[index].text) for index in taken - masthead)
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
    head.metadata_chars = sum(visible(text) for text in texts)
    return lines[len(page) :], head


@dataclass
class OfficialTrailer:
    """What the end of an official document says besides its body."""

    signed_by: str | None = None  # the issuing office under the last paragraph (落款)
    signed_date: str | None = None  # its date (成文日期), ISO
    copied_to: str | None = None  # 抄送
    printed: str | None = None  # "…办公室 2024年6月18日印发"
    note: str | None = None  # （此件公开发布）
    metadata_chars: int = 0

    def metadata(self) -> dict[str, str]:
        named = (("signed_by", self.signed_by), ("signed_date", self.signed_date), ("copied_to", self.copied_to),
                 ("printed_by", self.printed), ("publication_note", self.note))  # fmt: skip
        return {key: value for key, value in named if value}


_COPY = re.compile(r"^(?:抄送|抄报|主送|分送)\s*[:：]")
_PRINTED = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印\s*发$")
_NOTE = re.compile(r"^[（(](?:此件|本件|联系人|此页无正文)[^）)]{0,40}[）)]$")
_SIGNER_END = re.compile(
    r"(?:人民政府|政府|办公厅|办公室|委员会|委|协会|学会|联合会|研究会|公司|集团|局|厅|部|院|署|中心|处|会|组|小组)$"
)
_TRAILER_LINES = 10


def read_trailer(lines: list[BodyLine]) -> tuple[list[BodyLine], OfficialTrailer]:
    """Take the signature, date, note, 抄送 and 印发 off the end of an official document."""
    trailer = OfficialTrailer()
    end = len(lines)
    taken: list[tuple[int, str]] = []  # (index, kind), from the end backwards
    while end > 0 and len(taken) < _TRAILER_LINES:
        line = lines[end - 1]
        kind = None if line.table else _trailer_kind(_compact(to_simplified(line.text)), taken)
        if kind is None and taken and taken[-1][1] == "printed" and end >= 2:
            above = _compact(to_simplified(lines[end - 2].text))
            if _COPY.match(above) and len(above) + len(line.text) <= 200:  # a 抄送 list wrapped onto two lines
                taken.extend([(end - 1, "copy_more"), (end - 2, "copy")])
                end -= 2
                continue
        if kind is None:
            break
        taken.append((end - 1, kind))
        end -= 1
    kinds = {kind for _, kind in taken}
    if not ({"copy", "printed"} & kinds or {"date", "signer"} <= kinds):
        return lines, trailer  # no trailer of an official document: nothing is taken
    for index, kind in reversed(taken):
        text = lines[index].text.strip()
        trailer.metadata_chars += visible(text)
        if kind == "signer":
            trailer.signed_by = text
        elif kind == "date":
            trailer.signed_date = _iso(text)
        elif kind == "note":
            trailer.note = text
        elif kind == "printed":
            trailer.printed = text
        elif kind == "copy":
            trailer.copied_to = re.sub(r"^\S+?[:：]\s*", "", text)
        elif kind == "copy_more" and trailer.copied_to is not None:
            trailer.copied_to += text
    return lines[:end], trailer


def _trailer_kind(text: str, taken: list[tuple[int, str]]) -> str | None:
    kinds = [kind for _, kind in taken]
    if _PRINTED.search(text) and len(text) <= 60:
        return "printed"
    if _COPY.match(text) and len(text) <= 200:
        return "copy"
    if _NOTE.match(text):
        return "note"
    if _DATE_LINE.match(text) and "date" not in kinds:
        return "date"
    if kinds and kinds[-1] == "date" and "signer" not in kinds and _is_signer(text):
        return "signer"
    return None


def _is_signer(text: str) -> bool:
    return 2 <= len(text) <= 40 and not re.search(r"[，。；：！？]", text) and _SIGNER_END.search(text) is not None


def _iso(text: str) -> str | None:
    match = _DATE_LINE.match(_compact(text))
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
