"""How answers, passages and index updates are shown on the page: HTML and Markdown, all text escaped."""

from __future__ import annotations

import html

from qa.answer import Answer, question_terms
from qa.indexing import UpdateSummary
from qa.text import to_simplified


def answer_markdown(result: Answer) -> str:
    """The chat reply: the answer with its markers, then one source line per cited passage."""
    if not result.found:
        return html.escape(result.text)
    lines = [html.escape(result.text), ""]
    cited = sorted({sentence.marker for sentence in result.sentences})
    for marker in cited:
        citation = result.hits[marker - 1].citation
        details = " · ".join(
            html.escape(part)
            for part in (
                citation.title,
                " › ".join(citation.section[1:]),
                citation.pages(),
                citation.date,
                citation.source,
            )
            if part
        )
        lines.append(f"[{marker}] {details}")
    return "\n\n".join(lines)


def passages_html(result: Answer | None) -> str:
    if result is None:
        return "<div class='qa-empty'>提问后，这里显示引用的原文段落。Cited passages appear here.</div>"
    if not result.hits:
        return "<div class='qa-empty'>没有找到段落（请检查筛选条件）。No passages (check the filters).</div>"
    blocks = []
    for number, hit in enumerate(result.hits, start=1):
        spans = [(s.start, s.end) for s in result.sentences if s.marker == number]
        citation = hit.citation
        section = " › ".join(citation.section[1:]) or "—"
        parts = (citation.pages(), citation.date, citation.source, citation.region)
        meta = " · ".join(html.escape(part) for part in parts if part)
        cited = " qa-cited" if spans else ""
        blocks.append(
            f"<div class='qa-passage{cited}' id='passage-{number}'>"
            f"<div class='qa-head'><span class='qa-marker'>[{number}]</span> "
            f"<span class='qa-title'>{html.escape(citation.title)}</span></div>"
            f"<div class='qa-section'>{html.escape(section)}</div>"
            f"<div class='qa-meta'>{meta} · <span class='qa-file'>{html.escape(citation.file)}</span></div>"
            f"<div class='qa-text'>{highlight(hit.text, spans, result.question)}</div></div>"
        )
    return "\n".join(blocks)


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
