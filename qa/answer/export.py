"""Answers as files a reader keeps: a citation as one line of text, a table as CSV, a conversation
as Markdown with numbered citations and each cited passage quoted."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from qa.answer.result import Answer
from qa.retrieval import Citation

CSV_COLUMNS = (
    ("label", "行 Row"), ("region", "地区 Region"), ("year", "年份 Year"), ("level", "级别 Level"),
    ("title", "报告 Report"), ("file", "文件 File"), ("value", "数值 Value"), ("unit", "单位 Unit"),
    ("qualifier", "限定 Qualifier"), ("sentence", "原文 Sentence"), ("citation", "出处 Citation"),
    ("note", "说明 Note"),
)  # fmt: skip


def citation_text(citation: Citation) -> str:
    """ "《2025年湖北省政府工作报告》, 一、2024年工作回顾 > （一）…, 2025-01-20, 湖北日报, p. 3"."""
    parts = [f"《{citation.title}》", " > ".join(citation.section[1:]), citation.date or "", citation.source or ""]
    if citation.page is not None:
        parts.append(f"p. {citation.page}" if citation.page_end is None else f"pp. {citation.page}-{citation.page_end}")
    return ", ".join(part for part in parts if part)


def rows_csv(result: Answer) -> str:
    """The rows of a cross-report answer as CSV (UTF-8 with a byte-order mark, so spreadsheet
    programs read the Chinese right); a row that is not stated keeps its place with its note. A
    target against its result, or a term's mentions, has its own columns (every citation in them)."""
    if result.comparisons:
        return comparisons_csv(result)
    if result.mentions is not None:
        return mentions_csv(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for _key, header in CSV_COLUMNS])
    for row in result.rows:
        record = row.to_dict()
        value = record["value"]
        record["value"] = "–".join(f"{number:g}" for number in value) if isinstance(value, list) else (
            "" if value is None else f"{value:g}")  # fmt: skip
        record["citation"] = citation_text(result.hits[row.marker - 1].citation) if row.marker else ""
        writer.writerow(["" if record.get(key) is None else record.get(key) for key, _header in CSV_COLUMNS])
    return "\ufeff" + buffer.getvalue()


COMPARISON_COLUMNS = (
    "地区 Region", "指标 Measure", "年份 Year", "判断 Verdict", "差 Difference", "差的单位 Unit of difference",
    "目标年份 Target year", "目标 Target", "目标数值 Target value", "目标单位 Target unit", "目标限定 Target qualifier",
    "目标原文 Target sentence", "目标出处 Target citation", "实际年份 Result year", "实际 Result",
    "实际数值 Result value", "实际单位 Result unit", "实际限定 Result qualifier", "实际原文 Result sentence",
    "实际出处 Result citation", "规则 Rule",
)  # fmt: skip
MENTION_COLUMNS = ("年份 Year", "报告 Report", "文件 File", "次数 Count", "形式 Form", "章节 Section", "原文 Sentence",
                   "出处 Citation")  # fmt: skip


def _number(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return "–".join(f"{number:g}" for number in value)
    return f"{value:g}"  # type: ignore[str-format]


def comparisons_csv(result: Answer) -> str:
    """Targets against results as CSV: a row per measure, region and year with both sides (figure,
    value, unit, qualifier, sentence, citation), the difference, the verdict and the rule."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COMPARISON_COLUMNS)
    for comparison in result.comparisons:
        cells: list[object] = [comparison.region, comparison.label, comparison.year or "", comparison.verdict or "",
                               "" if comparison.difference is None else f"{comparison.difference:+g}",
                               comparison.difference_unit or ""]  # fmt: skip
        for side, note, year in ((comparison.target, comparison.target_note, comparison.target_year),
                                 (comparison.result, comparison.result_note, comparison.result_year)):  # fmt: skip
            if side is None:
                cells += [year, note or "", "", "", "", "", ""]
                continue
            citation = citation_text(result.hits[side.marker - 1].citation)
            cells += [year, side.figure.text, _number(side.figure.value), side.figure.unit, side.figure.qualifier or "",
                      side.sentence, citation]  # fmt: skip
        writer.writerow([*cells, comparison.reason])
    return "\ufeff" + buffer.getvalue()


def mentions_csv(result: Answer) -> str:
    """A term's mentions as CSV: a row per sentence that holds it (every citation), and a row with
    count 0 for each report checked that does not."""
    mentions = result.mentions
    assert mentions is not None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(MENTION_COLUMNS)
    for report in mentions.reports:
        if not report.count:
            writer.writerow([report.year, report.title, report.file, 0, "", "", "", ""])
            continue
        for mention in report.mentions:
            citation = f"《{report.title}》, {mention.section}" if mention.section else f"《{report.title}》"
            writer.writerow([report.year, report.title, report.file, report.count, mention.form, mention.section,
                             mention.sentence, citation])  # fmt: skip
    return "\ufeff" + buffer.getvalue()


def conversation_markdown(answers: Sequence[Answer], title: str = "报告问答 Report QA") -> str:
    """A conversation with every answer's sentences, rows and numbered citations, each cited passage
    quoted in full: citations are numbered across the whole conversation."""
    lines = [f"# {title}", ""]
    number = 0
    for turn, result in enumerate(answers, start=1):
        lines.append(f"## {turn}. {result.question}")
        if result.resolved_question and result.resolved_question != result.question:
            lines.append(f"*按此理解 Understood as: {result.resolved_question}*")
        lines.append("")
        offset = number
        cited = sorted({sentence.marker for sentence in result.sentences} | {row.marker for row in result.rows
                                                                              if row.marker})  # fmt: skip
        renumber = {marker: offset + position for position, marker in enumerate(cited, start=1)}
        if result.rows:
            lines.append("| 行 | 数值 | 原文 | 引用 |")
            lines.append("|---|---|---|---|")
            for row in result.rows:
                mark = f"[{renumber[row.marker]}]" if row.marker in renumber else ""
                figure = row.figure.text if row.figure else ""
                said = _cell(row.sentence or row.note or "")
                lines.append(f"| {_cell(row.label)} | {_cell(figure)} | {said} | {mark} |")
            lines.append("")
        else:
            text = result.text
            for marker in sorted(renumber, reverse=True):
                text = text.replace(f"[{marker}]", f"[{renumber[marker]}]")
            lines.extend([text, ""])
        for marker in cited:
            hit = result.hits[marker - 1]
            lines.append(f"[{renumber[marker]}] {citation_text(hit.citation)}")
            lines.extend(f"> {line}" for line in hit.text.split("\n"))
            lines.append("")
        number = offset + len(cited)
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
