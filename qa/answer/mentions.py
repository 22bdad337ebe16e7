"""A term across the archive: the first (and last) report that says it, and how often each said it.

Every report of the archive is read, in year order (a scan of the texts, not a search, which could
miss the first one): by default the government work reports (not the resolutions on them) of the
country, or of the province a question names, within the filters and the years asked. A report's
count is the number of non-overlapping occurrences of the term's forms (:mod:`qa.terms`: the term,
its listed other names, longest first) in its text without white space, in simplified script; the
sentences holding them are kept, each with its passage, and the first sentence of each report that
says it is cited.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qa.answer.result import Answer, AnswerSentence, Request, Row
from qa.answer.sentences import split_sentences
from qa.answer.series import Mention, Mentions, YearCount
from qa.answer.targets import is_work_report
from qa.questions import FirstMention, Plan
from qa.questions.kinds import EACH
from qa.regions import NATIONAL
from qa.retrieval import Filters, Hit, Retriever
from qa.retrieval.filters import year_range
from qa.store import DocumentEntry, Store, StoredChunk
from qa.terms import forms_pattern
from qa.text import to_simplified

NOT_MENTIONED = "未提及 not mentioned"
SHOWN_WHOLE = 80  # a sentence up to this long is quoted whole, a longer one by the clause holding the term
CLAUSE_BREAKS = "，；：,;:"
# A question that asks beyond the work reports: every document of the region is read.
_ALL_DOCUMENTS = re.compile(
    r"决议|所有文件|全部文件|所有文档|所有报告|全部报告|any document|all documents|every document"
)
_CACHE_LIMIT = 512  # reports kept read (compact simplified text and offsets), by content
_cache: dict[tuple[str, str], Compact] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class Compact:
    """A report's text without white space, in simplified script, and the offset in the text of
    each of its characters."""

    text: str
    offsets: tuple[int, ...]


def compact_text(text: str) -> Compact:
    kept = [(position, char) for position, char in enumerate(text) if not char.isspace()]
    joined = "".join(char for _position, char in kept)
    simplified = to_simplified(joined)
    if len(simplified) != len(joined):  # t2s changed a length: convert character by character
        simplified = "".join(to_simplified(char)[:1] or char for char in joined)
    return Compact(simplified, tuple(position for position, _char in kept))


def _read(store: Store, file: str, entry: DocumentEntry) -> tuple[str, Compact] | None:
    """A report's cleaned text and its compact form (kept by content hash)."""
    document = store.document_text(file)
    if document is None:
        return None
    key = (file, entry.text_sha256 or entry.sha256)
    with _cache_lock:
        found = _cache.get(key)
    if found is None:
        found = compact_text(document.text)
        with _cache_lock:
            if len(_cache) >= _CACHE_LIMIT:
                _cache.pop(next(iter(_cache)))
            _cache[key] = found
    return document.text, found


def archive_reports(
    plan: Plan, documents: Mapping[str, DocumentEntry], filters: Filters | None
) -> tuple[list[str], str]:
    """The reports a term is counted over, in year order, and the words that say which: the
    government work reports (every document when the question asks for 决议 or all documents) of
    the province the question names, else of every province for 各省, else of the country (of
    whatever the index holds when it has none of the country's), within the filters and the years
    the question asks."""
    every = bool(_ALL_DOCUMENTS.search(plan.simplified.lower()))
    kept = {
        name: entry
        for name, entry in documents.items()
        if entry.shown_year is not None
        and (every or is_work_report(entry))
        and (not filters or not filters.active() or filters.accepts(entry, name))
    }
    national = {name for name, entry in kept.items() if entry.level == "national" or entry.region == NATIONAL}
    if plan.provinces:
        chosen = {name for name, entry in kept.items() if entry.region in plan.provinces}
        scope = "、".join(plan.provinces)
    elif EACH.search(plan.simplified) or plan.level == "provincial":
        chosen = set(kept) - national
        scope = "各省 provincial"
    elif national:
        chosen, scope = national, f"{NATIONAL} national"
    else:
        chosen, scope = set(kept), "全部 all"
    years = _years(plan, filters)
    if years is not None:
        chosen = {name for name in chosen if years[0] <= (kept[name].shown_year or 0) <= years[1]}
    kind = "文件 documents" if every else "政府工作报告 government work reports"
    ordered = sorted(chosen, key=lambda name: (kept[name].shown_year or 0, name))
    return ordered, f"{scope} {kind}"


def _years(plan: Plan, filters: Filters | None) -> tuple[int, int] | None:
    span = plan.years
    if span.first is not None and span.last is not None:
        return span.first, span.last
    return year_range(filters.year) if filters and filters.year else None


def scan(retriever: Retriever, files: Sequence[str], forms: tuple[str, ...]) -> list[YearCount]:
    """Every report of ``files`` read for ``forms``: its count and the sentences holding them."""
    store = retriever.store
    documents = retriever.manifest.documents
    pattern = forms_pattern(forms)
    counted = []
    for file in files:
        entry = documents[file]
        read = _read(store, file, entry)
        if read is None:
            counted.append(_scan_chunks(retriever, file, entry, pattern))
            continue
        _text, compact = read
        matches = list(pattern.finditer(compact.text))
        mentions = _sentences(store, file, [(compact.offsets[m.start()], m.group()) for m in matches])
        counted.append(YearCount(entry.shown_year or 0, file, entry.title, len(matches), tuple(mentions)))
    return counted


def _scan_chunks(retriever: Retriever, file: str, entry: DocumentEntry, pattern: re.Pattern[str]) -> YearCount:
    """A report of an index made before the texts were kept: its chunks, read one by one."""
    store = retriever.store
    count, mentions = 0, []
    for chunk in sorted((store.chunk(int(i)) for i in store.ids_of([file])), key=lambda chunk: chunk.start):
        compact = compact_text(chunk.text)
        found = list(pattern.finditer(compact.text))
        count += len(found)
        mentions.extend(_in_chunk(chunk, [(compact.offsets[m.start()], m.group()) for m in found]))
    return YearCount(entry.shown_year or 0, file, entry.title, count, tuple(_unique(mentions)))


def _sentences(store: Store, file: str, found: list[tuple[int, str]]) -> list[Mention]:
    """The sentence of each occurrence (an offset in the report's text), each sentence once; one in
    a heading is shown as the first sentence under it."""
    if not found:
        return []
    chunks = sorted((store.chunk(int(i)) for i in store.ids_of([file])), key=lambda chunk: chunk.start)
    starts = [chunk.start for chunk in chunks]
    mentions: list[Mention] = []
    for offset, form in found:
        place = bisect.bisect_right(starts, offset) - 1
        if place >= 0 and offset < chunks[place].end:
            mentions.extend(_in_chunk(chunks[place], [(offset, form)]))
        elif place + 1 < len(chunks):  # in a heading, outside every chunk: the chunk it heads
            chunk = chunks[place + 1]
            spans = split_sentences(chunk.text)
            start, end = spans[0] if spans else (0, len(chunk.text))
            section = " › ".join(chunk.section[1:])
            mentions.append(Mention(chunk.id, start, end, chunk.text[start:end], form, section))
    return _unique(mentions)


def _in_chunk(chunk: StoredChunk, found: list[tuple[int, str]]) -> list[Mention]:
    """Occurrences at offsets of the report's text (``chunk.start`` based) inside ``chunk``."""
    spans = split_sentences(chunk.text)
    section = " › ".join(chunk.section[1:])
    mentions = []
    for offset, form in found:
        inside = offset - chunk.start
        start, end = next(((s, e) for s, e in spans if s <= inside < e), (inside, min(len(chunk.text), inside + 40)))
        start, end = _clause(chunk.text, start, end, inside, len(form))
        mentions.append(Mention(chunk.id, start, end, chunk.text[start:end], form, section))
    return mentions


def _clause(text: str, start: int, end: int, inside: int, length: int) -> tuple[int, int]:
    """A long sentence (``text[start:end]``) cut to the clauses holding the occurrence at ``inside``:
    from the clause break before it to the one after it (the form has no white space inside, but
    the text may: the occurrence reaches at most to the end of its clause)."""
    if end - start <= SHOWN_WHOLE:
        return start, end
    left, right = start, end
    for _clauses in range(2):  # the occurrence's clause and the one on each side, while short enough
        before = max((text.rfind(mark, start, (left if left > start else inside) - 1) for mark in CLAUSE_BREAKS),
                     default=-1)  # fmt: skip
        after = [p for p in (text.find(mark, max(inside + length, right if right < end else 0), end)
                             for mark in CLAUSE_BREAKS + "。") if p >= 0]  # fmt: skip
        wider = (before + 1 if before >= start else start, min(after) + 1 if after else end)
        if _clauses and wider[1] - wider[0] > SHOWN_WHOLE:
            break
        left, right = wider
    return left, right


def _unique(mentions: list[Mention]) -> list[Mention]:
    return list({(mention.chunk_id, mention.start): mention for mention in mentions}.values())


def answer_mentions(plan: Plan, retriever: Retriever, request: Request) -> Answer:
    """A term's first and last mention and its count in every report of the archive."""
    subject = plan.subject
    if subject is None or not subject.words:
        message = "请说明要查的提法，例如：新质生产力是哪一年首次出现在政府工作报告中？ Name the term to look for."
        return Answer(plan.question, False, message, (), (), plan.text, plan.kind)
    files, scope = archive_reports(plan, retriever.manifest.documents, request.filters)
    counted = scan(retriever, files, subject.words)
    hits: list[Hit] = []
    cited: list[YearCount] = []
    for report in counted:
        if report.count and report.mentions:
            first = _cited_mention(report)
            hits.append(retriever.hit(first.chunk_id))
            cited.append(_marked(report, first, len(hits)))
        else:
            cited.append(report)
    shown = subject.words[0] if subject.text == subject.words[0] else f"{subject.words[0]}（{subject.text}）"
    mentions = Mentions(shown, subject.words, scope, tuple(cited))
    rows = tuple(_row(report, mentions) for report in cited if report.count)  # the others: in mentions.reports
    sentences = tuple(AnswerSentence(m.sentence, m.marker, m.start, m.end) for report in cited
                      for m in report.mentions if m.marker is not None)  # fmt: skip
    text = mentions_text(mentions, first_asked=isinstance(plan.kind, FirstMention))
    return Answer(plan.question, mentions.first is not None, text, sentences, tuple(hits), plan.text, plan.kind,
                  rows, mentions=mentions)  # fmt: skip


def _cited_mention(report: YearCount) -> Mention:
    """The sentence cited for a report: its first that holds a form itself (a mention in a heading
    is shown by the first sentence under it, which may not)."""
    return next((m for m in report.mentions if m.form in compact_text(m.sentence).text), report.mentions[0])


def _marked(report: YearCount, cited: Mention, marker: int) -> YearCount:
    """The report with ``cited`` marked as the answer's hit ``marker``, first among its mentions."""
    marked = Mention(cited.chunk_id, cited.start, cited.end, cited.sentence, cited.form, cited.section, marker)
    rest = tuple(mention for mention in report.mentions if mention is not cited)
    return YearCount(report.year, report.file, report.title, report.count, (marked, *rest))


def _row(report: YearCount, mentions: Mentions) -> Row:
    several = len({r.year for r in mentions.reports}) != len(mentions.reports)
    label = f"{report.year} {report.title}" if several else str(report.year)
    first = report.mentions[0] if report.mentions else None
    note = f"{report.count} 次 times" if report.count else NOT_MENTIONED
    return Row(label, None, report.year, None, report.file, report.title, first is not None and report.count > 0,
               first.marker if first else None, first.sentence if first else None, first.start if first else None,
               first.end if first else None, None, note)  # fmt: skip


def _quote(mention: Mention) -> str:
    return f"“{mention.sentence}”[{mention.marker}]"


def mentions_text(mentions: Mentions, *, first_asked: bool) -> str:
    """The answer's text: the first and last report that say the term (quoted and cited), how many
    earlier reports were checked without it, and the count of each report that says it."""
    term, checked = mentions.term, len(mentions.reports)
    forms = "、".join(mentions.forms)
    if not checked:
        return f"没有可检查的报告。No report to check for 「{term}」 ({mentions.scope})."
    years = f"{mentions.reports[0].year}–{mentions.reports[-1].year}"
    scope = (f"共检查 {checked} 份{mentions.scope}（{years}），计数形式：{forms}。"
             f"Checked {checked} reports ({years}); forms counted: {forms}.")  # fmt: skip
    first, last = mentions.first, mentions.last
    if first is None or last is None:
        return f"「{term}」在这些报告中都没有出现。None of the {checked} reports mentions {term}.\n{scope}"
    earlier = mentions.earlier_checked
    lines = [
        f"「{term}」最早出现在 {first.year} 年的报告（{first.title}）：{_quote(first.mentions[0])}。"
        f"此前的 {earlier} 份报告都没有提到。"
        f"First mentioned in {first.year}; none of the {earlier} earlier reports has it.",
    ]
    if last.year != first.year or last.file != first.file:
        lines.append(
            f"最近一次是 {last.year} 年（{last.title}）：{_quote(last.mentions[0])}。Last mentioned in {last.year}."
        )
    counts = "，".join(f"{report.year}年 {report.count} 次" for report in mentions.mentioning)
    lines.append(f"{len(mentions.mentioning)} 份报告提到，共 {mentions.total} 次：{counts}。"
                 f"{len(mentions.mentioning)} reports mention it, {mentions.total} times in all.")  # fmt: skip
    lines.append(scope)
    if not first_asked:
        lines.insert(0, lines.pop(2))  # a timeline leads with the counts
    return "\n".join(lines)
