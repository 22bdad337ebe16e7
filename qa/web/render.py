"""How answers, passages and index updates are shown on the page: HTML and Markdown, all text escaped."""

from __future__ import annotations

import html
import re

from qa.answer import Answer, question_terms
from qa.answer.export import citation_text
from qa.answer.rows import NOT_STATED
from qa.compact import nearest_note, quotes
from qa.indexing import UpdateSummary
from qa.retrieval import Source
from qa.text import to_simplified

# HTML's special characters, and those the chat's Markdown would read as syntax (links, images,
# emphasis, code, headings, escapes), as entities: they show as themselves and start nothing.
_AS_TEXT = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
    | {char: f"&#{ord(char)};" for char in "[]*_`~#\\"}
)
# What GFM turns into a link without any syntax: an address, www., an e-mail.
_BARE_LINK = re.compile(r"://|(?<=www)\.|@", re.IGNORECASE)
_MARKER = re.compile(r"(\[\d{1,3}\])")


def plain(text: str) -> str:
    """Report (or question) text for the chat's Markdown, shown as text: HTML escaped, Markdown's
    link, image and emphasis syntax and bare addresses disarmed; the answer's [n] markers are kept."""
    parts = _MARKER.split(text)
    for index in range(0, len(parts), 2):  # the even parts are text, the odd ones markers
        escaped = parts[index].translate(_AS_TEXT)
        parts[index] = _BARE_LINK.sub(lambda match: "".join(f"&#{ord(char)};" for char in match.group()), escaped)
    return "".join(parts)


def quoted_html(result: Answer) -> str:
    """The answer's sentences, each that states the figure asked for cut to its clause with the figure
    in bold (the whole sentence is the title, and its passage a click on [n] away)."""
    parts = []
    for sentence, quote in zip(result.sentences, quotes(result), strict=True):
        if quote is None:
            parts.append(f"{plain(sentence.text)}[{sentence.marker}]")
            continue
        before, figure, after = (plain(piece) for piece in quote.pieces())
        whole = plain(sentence.text)
        parts.append(f"<span class='qa-clause' title='{whole}'>{before}<b class='qa-asked'>{figure}</b>{after}</span>"
                     f"[{sentence.marker}]")  # fmt: skip
    return "".join(parts) or plain(result.text)


CHAT_ROWS = 5  # rows of a table answer the chat shows; the whole table has its own panel below


def answer_markdown(result: Answer) -> str:
    """The chat reply: how a follow-up was understood, the answer with its markers (for a question
    across reports: its summary, its first rows that answer, a pointer to the whole table and the
    reports that do not state it folded under their count), then one source line per cited passage."""
    lines = []
    if result.resolved_question and result.resolved_question != result.question:
        understood = plain(result.resolved_question)
        lines.append(f"<span class='qa-understood'>按此理解 Understood as: {understood}</span>")
    if result.over_time:  # a target against its result, a term's mentions (qa.web.series)
        from qa.web.series import series_markdown

        return linked_markers("\n\n".join([*lines, series_markdown(result)]), result)
    if result.rows:
        lines.append(plain(result.text.split("\n", 1)[0]))
        lines.append(chat_rows_html(result))
    elif result.found:
        lines.append(quoted_html(result))
    else:
        lines.append(plain(result.text))
    if not result.found or result.rows:  # a table's rows carry their [n]; the passages panel lists them
        return linked_markers("\n\n".join(lines), result)
    lines.append("")
    cited = sorted({sentence.marker for sentence in result.sentences})
    for marker in cited:
        lines.append(f"{cite_link(result, marker)} {_source_line(result.hits[marker - 1].citation)}")
    return linked_markers("\n\n".join(lines), result)


def cite_link(result: Answer, marker: int) -> str:
    """A marker [n] that opens its passage in the source view (see :data:`OPEN_SOURCE_JS`)."""
    return f"<a class='qa-cite' href='#qa-source-{result.hits[marker - 1].chunk_id}'>[{marker}]</a>"


def linked_markers(text: str, result: Answer) -> str:
    """Every plain [n] of an (escaped) answer as a link to its passage's source view."""

    def link(match: re.Match[str]) -> str:
        marker = int(match.group(1))
        return cite_link(result, marker) if 1 <= marker <= len(result.hits) else match.group()

    return re.sub(r"(?<!>)\[(\d{1,3})\](?!</a>)", link, text)  # "增长6%左右[1]": after a word too


_OCR_MARK = (
    " <span class='qa-ocr' title='此段由文字识别得到，请对照原件 Read by OCR: check the original'>OCR 识别</span>"
)


def _source_line(citation) -> str:
    parts = (citation.title, " › ".join(citation.section[1:]), citation.pages(), citation.date, citation.source)
    return " · ".join(plain(part) for part in parts if part) + (_OCR_MARK if citation.ocr else "")


def answered_rows(result: Answer) -> list:
    return [row for row in result.rows if row.found]


def unanswered_rows(result: Answer) -> list:
    return [row for row in result.rows if not row.found]


def chat_rows_html(result: Answer) -> str:
    """The first rows that answer, as a small table whose names and figures never wrap, then how many
    more the table below holds, then the rows that do not state it, folded under their count."""
    found = answered_rows(result)
    parts = []
    if found:
        cells = []
        for row in found[:CHAT_ROWS]:
            figure = row.figure.text if row.figure else ""
            quote = f"{plain(row.sentence or '')}[{row.marker}]"
            cells.append(f"<tr><td class='qa-label'>{plain(row.label)}</td><td class='qa-figure'>"
                         f"{plain(figure)}</td><td>{quote}</td></tr>")  # fmt: skip
        parts.append(f"<table class='qa-mini'>{''.join(cells)}</table>")
    if len(found) > CHAT_ROWS:
        more = len(found) - CHAT_ROWS
        parts.append(f"<span class='qa-more'>…另有 {more} 行，<a href='#qa-table-panel'>完整表格见下方 "
                     f"{more} more rows: the whole table is below ↓</a></span>")  # fmt: skip
    missing = unanswered_rows(result)
    if missing:
        parts.append(not_stated_html(missing))
    return "\n".join(parts)


def not_stated_html(rows: list) -> str:
    """The rows whose reports do not state it, folded under their count (the reason when it is not
    the plain "not stated": no report of that region or year in the index)."""
    names = "、".join(plain(row.label) + (f"（{plain(row.note)}）" if row.note and row.note != NOT_STATED
                                                else "") for row in rows)  # fmt: skip
    return (
        f"<details class='qa-unstated'><summary>未提及 not stated: {len(rows)} "
        f"份 {'report' if len(rows) == 1 else 'reports'}</summary>{names}</details>"
    )


TABLE_COLUMNS = ["行 Row", "数值 Figure", "原文 Quote", "引用 Cite"]
TABLE_WIDTHS = {"行 Row": "15%", "数值 Figure": "17%", "原文 Quote": "56%", "引用 Cite": "12%"}
WIDE_QUOTE = "73%"  # the quote's share when there is no figure column


def table_columns(result: Answer) -> tuple[list[str], list[str]]:
    """The table panel's headers and their widths: without a figure column when no row states a
    figure (哪些省份提到了人形机器人？)."""
    headers = TABLE_COLUMNS if any(row.figure for row in answered_rows(result)) else [
        header for header in TABLE_COLUMNS if header != "数值 Figure"]  # fmt: skip
    widths = [TABLE_WIDTHS[header] if len(headers) == len(TABLE_COLUMNS) or header != "原文 Quote" else WIDE_QUOTE
              for header in headers]  # fmt: skip
    return headers, widths


def table_records(result: Answer) -> list[list[object]]:
    """The rows that answer, for the table panel, in :func:`table_columns`: row, figure, the quoted
    sentence or clause and its marker (the passages panel and a click on the row show the report);
    the rows that do not state it are listed under the table instead."""
    headers, _widths = table_columns(result)
    with_figure = "数值 Figure" in headers
    return [[row.label, *([row.figure.text if row.figure else ""] if with_figure else []), row.sentence or "",
             f"[{row.marker}]"] for row in answered_rows(result)]  # fmt: skip


def passages_html(result: Answer | None) -> str:
    if result is None:
        return "<div class='qa-empty'>提问后，这里显示引用的原文段落。Cited passages appear here.</div>"
    if not result.hits:
        return "<div class='qa-empty'>没有可显示的段落。No passage to show.</div>"
    blocks = ["<div class='qa-passage-list'>"]
    if not result.found and not result.rows:
        blocks.append(f"<div class='qa-nearest'>{html.escape(nearest_note(result))}</div>")
    for number, hit in enumerate(result.hits, start=1):
        spans = [(s.start, s.end) for s in result.sentences if s.marker == number]
        citation = hit.citation
        section = " › ".join(citation.section[1:]) or "—"
        parts = (citation.pages(), citation.date, citation.source, citation.region)
        meta = " · ".join(html.escape(part) for part in parts if part)
        cited = " qa-cited" if spans else ""
        opens = f"href='#qa-source-{hit.chunk_id}' title='在原文中查看 Open in the report'"
        ocr = _OCR_MARK if citation.ocr else ""
        blocks.append(
            f"<div class='qa-passage{cited}' id='passage-{number}' data-qa-open='{hit.chunk_id}' "
            "title='点击在原文中查看 Click to open it in the report'>"
            f"<div class='qa-head'><a class='qa-marker qa-open' {opens}>[{number}]</a> "
            f"<a class='qa-title qa-open' {opens}>{html.escape(citation.title)}</a>{ocr}</div>"
            f"<div class='qa-section'>{html.escape(section)}</div>"
            f"<div class='qa-meta'>{meta} · <span class='qa-file'>{html.escape(citation.file)}</span></div>"
            f"<div class='qa-text'>{highlight(hit.text, spans, result.question)}</div></div>"
        )
    return "\n".join([*blocks, "</div>"])


def highlight(text: str, answer_spans: list[tuple[int, int]], question: str) -> str:
    """Escaped ``text`` with the answering sentences and the question's key terms marked."""
    term_mask = _term_mask(text, question)
    answer_mask = [False] * len(text)
    for start, end in answer_spans:
        for position in range(start, min(end, len(text))):
            answer_mask[position] = True
    out: list[str] = []
    state = (False, False)
    for position, char in enumerate(text):
        new_state = (answer_mask[position], term_mask[position])
        if new_state != state:
            out.append(_close(state) + _open(new_state))
            state = new_state
        out.append("<br>" if char == "\n" else html.escape(char))
    out.append(_close(state))
    return "".join(out)


def _open(state: tuple[bool, bool]) -> str:
    return ("<mark class='qa-answer'>" if state[0] else "") + ("<b class='qa-term'>" if state[1] else "")


def _close(state: tuple[bool, bool]) -> str:
    return ("</b>" if state[1] else "") + ("</mark>" if state[0] else "")


def _term_mask(text: str, question: str) -> list[bool]:
    mask = [False] * len(text)
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        simplified = text
    terms = {term for term in question_terms(question) if len(term) >= 2}
    lowered = simplified.lower()
    for term in terms:
        start = lowered.find(term)
        while start >= 0:
            for position in range(start, start + len(term)):
                mask[position] = True
            start = lowered.find(term, start + 1)
    return mask


CSS = """
.qa-passage {border: 1px solid #d9dde3; border-radius: 8px; padding: 10px 14px; margin-bottom: 10px; background: #fff;}
.qa-passage.qa-cited {border-left: 4px solid #c0392b;}
.qa-head {font-weight: 600; font-size: 15px;}
.qa-marker {color: #c0392b; margin-right: 4px;}
.qa-section {color: #34495e; font-size: 13px; margin-top: 2px;}
.qa-meta {color: #6b7280; font-size: 12px; margin: 2px 0 6px;}
.qa-file {font-family: monospace;}
.qa-text {line-height: 1.75; font-size: 15px; color: #1f2937;}
mark.qa-answer {background: #fff3b0; padding: 1px 0;}
b.qa-term {color: #b03a2e;}
.qa-empty {color: #6b7280; padding: 12px;}
.qa-understood {color: #1d4ed8; font-size: 13px;}
a.qa-cite, a.qa-open {color: #c0392b; text-decoration: none; cursor: pointer;}
a.qa-title.qa-open {color: #1f2937;}
a.qa-cite:hover, a.qa-open:hover {text-decoration: underline;}
.qa-source-head {border-bottom: 1px solid #d9dde3; padding-bottom: 8px; margin-bottom: 8px;}
.qa-source-text {max-height: 640px; overflow-y: auto; line-height: 1.8; font-size: 15px; color: #1f2937;
  padding-right: 8px;}
.qa-page {color: #6b7280; font-size: 12px; text-align: center; margin: 6px 0;}
.qa-copy {font-size: 12px; color: #374151; margin-top: 4px;}
.qa-ocr {background: #fde68a; color: #92400e; font-size: 11px; border-radius: 4px; padding: 0 4px; margin-left: 4px;}
#qa-open-chunk, #qa-open-go {display: none !important;}
.qa-passage[data-qa-open] {cursor: pointer;}
.qa-passage[data-qa-open]:hover {border-color: #c0392b;}
table.qa-mini {border-collapse: collapse; margin: 4px 0; width: auto;}
table.qa-mini td {padding: 2px 10px 2px 0; vertical-align: top; border: none; background: none;}
td.qa-label, td.qa-figure {white-space: nowrap; font-weight: 600;}
.qa-more {color: #4b5563; font-size: 13px;}
b.qa-asked {color: #b03a2e; font-size: 1.08em;}
.qa-nearest {background: #f3f4f6; color: #374151; border-radius: 6px; padding: 8px 12px; margin-bottom: 10px;
  font-size: 14px;}
details.qa-unstated {color: #4b5563; font-size: 13px; margin-top: 4px;}
details.qa-unstated summary {cursor: pointer;}
#qa-table .virtual-row > .body-cell:not(:nth-last-child(2)),
#qa-table .virtual-row > .body-cell:not(:nth-last-child(2)) *,
#qa-table td:not(:nth-last-child(2)), #qa-table th, #qa-table th * {white-space: nowrap;}
#qa-table .virtual-row > .body-cell:nth-last-child(2), #qa-table .virtual-row > .body-cell:nth-last-child(2) *,
#qa-table td:nth-last-child(2) {white-space: normal;}
#qa-documents td:nth-child(2), #qa-documents td:nth-child(5), #qa-documents td:nth-child(7),
#qa-documents td:nth-child(8) {white-space: nowrap;}
#qa-indexing {color: #4b5563; font-size: 13px;}
.qa-passage-list {max-height: 780px; overflow-y: auto; padding-right: 4px;}
#qa-table-panel {scroll-margin-top: 12px;}
"""


def update_message(summary: UpdateSummary, upload_messages: list[str]) -> str:
    lines = [f"- {html.escape(message)}" for message in upload_messages]
    lines.append(
        f"索引已更新 Index updated: 新增 added {len(summary.added)}, 更改 changed {len(summary.changed)}, "
        f"删除 removed {len(summary.removed)}, 未变 unchanged {len(summary.unchanged)}; "
        f"{summary.chunks_embedded} 段落向量化 chunks embedded ({summary.seconds:.1f} s)"
    )
    for item in summary.skipped:
        lines.append(f"- 无法读取 skipped {html.escape(item['file'])}: {html.escape(item['reason'])}")
    return "\n\n".join(lines)


def source_html(source: Source | None, message: str = "") -> str:
    """The report around a cited passage: title, section path and metadata above, then the whole
    cleaned text with the passage highlighted (``#qa-cited``, scrolled into view) and page breaks
    marked; below the header, the citation as one line of text to copy."""
    if source is None:
        note = html.escape(message) or "点击答案或段落中的 [n] 在此查看原文。Click a [n] to open the report here."
        return f"<div class='qa-empty'>{note}</div>"
    citation = source.citation
    section = " › ".join(citation.section[1:]) or "—"
    parts = (citation.pages(), citation.date, citation.source, citation.region, citation.file)
    meta = " · ".join(html.escape(part) for part in parts if part)
    header = (
        f"<div class='qa-source-head'><div class='qa-title'>{html.escape(citation.title)}</div>"
        f"<div class='qa-section'>{html.escape(section)}</div><div class='qa-meta'>{meta}</div>"
        f"<div class='qa-copy'>引用 Cite: <code>{html.escape(citation_text(citation))}</code></div></div>"
    )
    return f"{header}<div class='qa-source-text' id='qa-source-text'>{_marked_text(source)}</div>"


def _marked_text(source: Source) -> str:
    text, start, end = source.text, source.start, source.end
    breaks = {offset: page for offset, page in source.pages if offset > 0}
    out: list[str] = []
    for position, char in enumerate(text):
        if position in breaks:
            out.append(f"<div class='qa-page'>— 第{breaks[position]}页 p. {breaks[position]} —</div>")
        if position == start:
            out.append("<mark id='qa-cited' class='qa-answer'>")
        out.append("<br>" if char == "\n" else html.escape(char))
        if position == end - 1:
            out.append("</mark>")
    return "".join(out)


# Clicking a citation link (#qa-source-ID), or anywhere in a passage of the passages panel (unless
# text is being selected there, to copy it), puts the id into a hidden box and presses a hidden
# button, whose handler renders the source view; event delegation survives every re-render.
OPEN_SOURCE_JS = """
<script>
document.addEventListener('click', function (event) {
  if (!event.target.closest) { return; }
  const link = event.target.closest('a[href^="#qa-source-"]');
  const passage = link ? null : event.target.closest('[data-qa-open]');
  if (!link && !passage) { return; }
  if (passage && String(window.getSelection ? window.getSelection() : '').trim()) { return; }
  event.preventDefault();
  event.stopPropagation();
  const box = document.querySelector('#qa-open-chunk textarea, #qa-open-chunk input');
  const go = document.getElementById('qa-open-go');
  if (!box || !go) { return; }
  box.value = link ? link.getAttribute('href').slice('#qa-source-'.length) : passage.getAttribute('data-qa-open');
  box.dispatchEvent(new Event('input', {bubbles: true}));
  setTimeout(function () { go.click(); }, 50);
}, true);
</script>
"""
# After an answer the chat shows the question and the start of the reply (the summary line and the
# first rows of a table), not the end of a long reply, which Gradio's autoscroll would show.
SCROLL_TO_QUESTION_JS = """() => {
  setTimeout(function () {
    const chat = document.getElementById('qa-chat');
    const box = chat && chat.querySelector('.bubble-wrap');
    const asked = chat && chat.querySelectorAll('.message-row.user-row');
    if (!box || !asked || !asked.length) { return; }
    const last = asked[asked.length - 1];
    box.scrollTop = last.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 8;
  }, 100);
}"""
SCROLL_TO_CITED_JS = """() => {
  const mark = document.getElementById('qa-cited'), box = document.getElementById('qa-source-text');
  if (mark && box) { box.scrollTop = mark.offsetTop - box.offsetTop - box.clientHeight / 3; }
}"""


def chart_rows(result: Answer) -> list[dict[str, object]]:
    """The points of a chart under a table of figures: one per row whose cited sentence states a
    figure in the unit most rows share (a range is drawn at its middle), each with its row,
    figure text and citation marker for the tooltip. Empty when there is nothing to draw."""
    figures = [row for row in result.rows if row.found and row.figure is not None]
    if len(figures) < 2:
        return []
    units = [row.figure.unit for row in figures if row.figure]
    unit = max(set(units), key=units.count)
    points = []
    for row in figures:
        figure = row.figure
        if figure is None or figure.unit != unit:
            continue
        value = sum(figure.value) / 2 if isinstance(figure.value, tuple) else figure.value
        points.append({"label": row.label, "value": float(value), "figure": figure.text, "unit": unit,
                       "cite": f"[{row.marker}] {row.title or row.file or ''}"})  # fmt: skip
    return points if len(points) >= 2 else []
