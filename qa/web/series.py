"""How answers about the archive over time are shown on the page: the chat's table, and a panel
with a chart (target and result as two series over the years, or a term's count per year) whose
points open the sentences of their year, each a link to its passage in the report.

Plain HTML and inline SVG, all text escaped; a click on a point or a year (``#qa-year-…``) shows
that year's sentences (:data:`SERIES_JS`), a click on a sentence opens it in the source view
(``#qa-source-…``, :data:`qa.web.render.OPEN_SOURCE_JS`).
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from qa.answer import Answer
from qa.answer.series import Comparison, Mentions, Side
from qa.answer.targets import difference_text
from qa.answer.verdict import VERDICT_NAMES

WIDTH, HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 12, 18, 34
INSET = 16  # the first and last points stand this far inside the axes
CROWDED, SLANT_ROOM = 14, 30  # more named categories than this: their names slant, in this much more room
TARGET_COLOUR, RESULT_COLOUR, COUNT_COLOUR = "#2563eb", "#c0392b", "#0f766e"


@dataclass(frozen=True)
class Point:
    """A point of a series at category ``at``: a value, or a range (low, high), its tooltip."""

    at: int
    value: float
    low: float | None = None
    high: float | None = None
    tip: str = ""


def _uid(result: Answer) -> str:
    return hashlib.sha1(f"{result.resolved_question}|{len(result.hits)}".encode()).hexdigest()[:8]


def _cell(text: str | None) -> str:
    return html.escape(text or "").replace("|", "&#124;").replace("\n", " ")


# -- the chat's reply -------------------------------------------------------------------------------


def series_markdown(result: Answer) -> str:
    """The chat reply of an answer over time (before its markers are linked): a target question's
    summary and a table of its rows; a mention question's text, line by line."""
    if result.comparisons:
        summary = html.escape(result.text.split("\n", 1)[0])
        head = "| 行 Row | 目标 Target | 实际 Result | 差 Diff. | 判断 Verdict |"
        lines = [summary, "", head, "|---|---|---|---|---|"]
        for comparison in result.comparisons:
            target = _side_cell(comparison.target, comparison.target_note, comparison.target_year, comparison)
            actual = _side_cell(comparison.result, comparison.result_note, comparison.result_year, comparison)
            verdict = VERDICT_NAMES.get(comparison.verdict or "", "—")
            difference = _cell(difference_text(comparison))
            lines.append(f"| {_cell(comparison.row_label)} | {target} | {actual} | {difference} | {_cell(verdict)} |")
        return "\n".join(lines)
    return "\n\n".join(html.escape(line) for line in result.text.split("\n"))


def _side_cell(side: Side | None, note: str | None, year: int, comparison: Comparison) -> str:
    prefix = "" if comparison.year is not None else f"{year}: "
    if side is None:
        return _cell(prefix + (note or "").split(" ")[0])
    return f"{_cell(prefix + side.figure.text)} [{side.marker}]"


# -- the panel: chart, table and the sentences of each year -----------------------------------------


def series_html(result: Answer | None) -> str:
    """The panel of an answer over time, or "" for any other answer."""
    if result is None or not result.over_time:
        return ""
    uid = _uid(result)
    if result.comparisons:
        return _comparisons_panel(result, uid)
    assert result.mentions is not None
    return _mentions_panel(result, result.mentions, uid)


def _comparisons_panel(result: Answer, uid: str) -> str:
    blocks = []
    by_measure: dict[str, list[Comparison]] = {}
    for comparison in result.comparisons:
        by_measure.setdefault(comparison.label, []).append(comparison)
    for label, comparisons in by_measure.items():
        categories = [comparison.row_label for comparison in comparisons]
        targets, results = [], []
        for position, comparison in enumerate(comparisons):
            for side, points, name in ((comparison.target, targets, "目标"), (comparison.result, results, "实际")):
                if side is None:
                    continue
                value = side.figure.value
                low, high = value if isinstance(value, tuple) else (None, None)
                middle = (low + high) / 2 if low is not None and high is not None else float(value)  # type: ignore[arg-type]
                tip = f"{comparison.row_label} {name} {side.figure.text} [{side.marker}] {side.title}"
                points.append(Point(position, middle, low, high, tip))
        units = {side.figure.unit for comparison in comparisons for side in (comparison.target, comparison.result)
                 if side is not None}  # fmt: skip
        unit = " / ".join(sorted(units))
        series = [("目标 target", TARGET_COLOUR, targets), ("实际 result", RESULT_COLOUR, results)]
        blocks.append(f"<div class='qa-series-title'>{html.escape(label)} ({html.escape(unit)})</div>"
                      + svg_chart(categories, series, uid, [_key(c) for c in comparisons]))  # fmt: skip
    blocks.append(_comparison_table(result.comparisons, uid))
    blocks.append("".join(_comparison_year(result, comparison, uid) for comparison in result.comparisons))
    return f"<div class='qa-series' id='qa-series-{uid}'>{''.join(blocks)}</div>"


def _key(comparison: Comparison) -> str:
    return f"{comparison.measure}-{comparison.region}-{comparison.target_year}-{comparison.result_year}"


def _comparison_table(comparisons: Sequence[Comparison], uid: str) -> str:
    rows = []
    for comparison in comparisons:
        pairs = ((comparison.target, comparison.target_note), (comparison.result, comparison.result_note))
        cells = [html.escape(side.figure.text) if side else _missing(note) for side, note in pairs]
        verdict = comparison.verdict or "none"
        target = f"#qa-year-{uid}-{_key(comparison)}"
        link = f"<a class='qa-year-link' href='{target}'>{html.escape(comparison.row_label)}</a>"
        rows.append(
            f"<tr><td>{link}</td><td>{cells[0]}</td><td>{cells[1]}</td><td>{html.escape(difference_text(comparison))}"
            f"</td><td class='qa-verdict qa-{verdict}'>{html.escape(VERDICT_NAMES.get(verdict, '—'))}</td></tr>"
        )  # fmt: skip
    head = "<tr><th>行 Row</th><th>目标 Target</th><th>实际 Result</th><th>差 Diff.</th><th>判断 Verdict</th></tr>"
    return f"<table class='qa-series-table'>{head}{''.join(rows)}</table>"


def _missing(note: str | None) -> str:
    """A side's note, short (its Chinese words), the whole of it on hover."""
    return (
        f"<span class='qa-missing' title='{html.escape(note or '')}'>{html.escape((note or '').split(' ')[0])}</span>"
    )


def _comparison_year(result: Answer, comparison: Comparison, uid: str) -> str:
    parts = [f"<div class='qa-year-head'>{html.escape(comparison.row_label)} {html.escape(comparison.label)}："
             f"{html.escape(VERDICT_NAMES.get(comparison.verdict or '', '无判断 no verdict'))} · "
             f"{html.escape(comparison.reason)}</div>"]  # fmt: skip
    sides = (("目标 target", comparison.target, comparison.target_note, comparison.target_year),
             ("实际 result", comparison.result, comparison.result_note, comparison.result_year))  # fmt: skip
    for name, side, note, year in sides:
        if side is None:
            parts.append(f"<div class='qa-year-line'>{year} {name}：{html.escape(note or '')}</div>")
            continue
        chunk = result.hits[side.marker - 1].chunk_id
        said = (html.escape(side.sentence[: side.figure.start])
                + f"<mark class='qa-answer'>{html.escape(side.figure_span)}</mark>"
                + html.escape(side.sentence[side.figure.end :]))  # fmt: skip
        parts.append(f"<div class='qa-year-line'>{year} {name}：<a class='qa-open' href='#qa-source-{chunk}'>"
                     f"[{side.marker}] {html.escape(side.title)}</a> {said}</div>")  # fmt: skip
    return f"<div class='qa-year' id='qa-year-{uid}-{_key(comparison)}' style='display:none'>{''.join(parts)}</div>"


def _mentions_panel(result: Answer, mentions: Mentions, uid: str) -> str:
    reports = mentions.reports
    categories = [str(report.year) for report in reports]
    points = [Point(position, float(report.count), tip=f"{report.year}: {report.count} 次 · {report.title}")
              for position, report in enumerate(reports)]  # fmt: skip
    keys = [f"{report.year}-{position}" for position, report in enumerate(reports)]
    title = (f"「{mentions.term}」每份报告出现次数 mentions per report · {len(reports)} 份报告 reports checked · "
             f"共 {mentions.total} 次 in all")  # fmt: skip
    chart = svg_chart(categories, [("次数 mentions", COUNT_COLOUR, points)], uid, keys, every_label=False)
    years = []
    for position, report in enumerate(reports):
        head = f"{report.year} · {html.escape(report.title)} · {report.count} 次 times"
        lines = [f"<div class='qa-year-head'>{head}</div>"]
        for mention in report.mentions:
            marker = f"[{mention.marker}] " if mention.marker else ""
            where = html.escape(mention.section or "—")
            opens = f"<a class='qa-open' href='#qa-source-{mention.chunk_id}'>{marker}{where}</a>"
            lines.append(f"<div class='qa-year-line'>{opens} {_marked(mention.sentence, mention.form)}</div>")
        if not report.count:
            lines.append("<div class='qa-year-line qa-missing'>未提及 not mentioned</div>")
        panel = f"id='qa-year-{uid}-{keys[position]}' style='display:none'"
        years.append(f"<div class='qa-year' {panel}>{''.join(lines)}</div>")
    hint = "<div class='qa-hint'>点击年份查看原句 Click a year to read its sentences.</div>"
    return (f"<div class='qa-series' id='qa-series-{uid}'><div class='qa-series-title'>{html.escape(title)}</div>"
            f"{chart}{hint}{''.join(years)}</div>")  # fmt: skip


def _marked(sentence: str, form: str) -> str:
    """The sentence escaped, the form marked where it is written (either script, no white space inside)."""
    from qa.answer.mentions import compact_text

    compact = compact_text(sentence)
    found = compact.text.find(form)
    if found < 0:
        return html.escape(sentence)
    start, end = compact.offsets[found], compact.offsets[found + len(form) - 1] + 1
    return (html.escape(sentence[:start]) + f"<b class='qa-term'>{html.escape(sentence[start:end])}</b>"
            + html.escape(sentence[end:]))  # fmt: skip


# -- the chart ----------------------------------------------------------------------------------------


def svg_chart(categories: Sequence[str], series: Sequence[tuple[str, str, Sequence[Point]]], uid: str,
              keys: Sequence[str], *, every_label: bool = True) -> str:  # fmt: skip
    """A line chart as inline SVG: a category per column (years or regions), each series a line
    through its points (a range drawn as a bar), each point a link to its category's sentences."""
    values = [bound for _name, _colour, points in series for point in points
              for bound in (point.value, point.low, point.high) if bound is not None]  # fmt: skip
    if not categories:
        return ""
    bottom = min(0.0, min(values, default=0.0))
    ticks = nice_ticks(bottom, max(values, default=1.0))
    top = ticks[-1]
    crowded = every_label and len(categories) > CROWDED  # names slanted, each still there
    height = HEIGHT + (SLANT_ROOM if crowded else 0)
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT - 2 * INSET
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = plot_width / max(1, len(categories) - 1) if len(categories) > 1 else 0

    def x(position: int) -> float:
        return MARGIN_LEFT + INSET + (position * step if len(categories) > 1 else plot_width / 2)

    def y(value: float) -> float:
        return MARGIN_TOP + plot_height * (1 - (value - bottom) / (top - bottom))

    parts = [f"<svg class='qa-chart' viewBox='0 0 {WIDTH} {height}' role='img' xmlns='http://www.w3.org/2000/svg'>"]
    for value in ticks:
        parts.append(f"<line x1='{MARGIN_LEFT}' x2='{WIDTH - MARGIN_RIGHT}' y1='{y(value):.1f}' y2='{y(value):.1f}' "
                     f"stroke='#e5e7eb'/><text x='{MARGIN_LEFT - 4}' y='{y(value) + 4:.1f}' font-size='10' "
                     f"text-anchor='end' fill='#6b7280'>{value:g}</text>")  # fmt: skip
    stride = 1 if every_label or len(categories) <= 16 else max(1, len(categories) // 12)
    for position, label in enumerate(categories):
        if position % stride == 0 or position == len(categories) - 1:
            left, below = f"{x(position):.1f}", HEIGHT - MARGIN_BOTTOM + 14
            placed = (f"x='{left}' y='{below}' text-anchor='end' transform='rotate(-55 {left} {below})'" if crowded
                      else f"x='{left}' y='{HEIGHT - 12}' text-anchor='middle'")  # fmt: skip
            parts.append(f"<a href='#qa-year-{uid}-{html.escape(keys[position])}'><text {placed} font-size='10' "
                         f"fill='#374151'>{html.escape(label)}</text></a>")  # fmt: skip
    for number, (name, colour, points) in enumerate(series):
        path = _path(points, x, y)
        if path:
            parts.append(f"<path d='{path}' fill='none' stroke='{colour}' stroke-width='2'/>")
        for point in points:
            link = f"#qa-year-{uid}-{html.escape(keys[point.at])}"
            left, middle = f"{x(point.at):.1f}", f"{y(point.value):.1f}"
            bar = ""
            if point.low is not None and point.high is not None:
                bar = (f"<line x1='{left}' x2='{left}' y1='{y(point.low):.1f}' y2='{y(point.high):.1f}' "
                       f"stroke='{colour}' stroke-width='5' stroke-opacity='0.5'/>")  # fmt: skip
            parts.append(f"<a href='{link}' class='qa-point'>{bar}<circle cx='{left}' cy='{middle}' r='4' "
                         f"fill='{colour}'><title>{html.escape(point.tip)}</title></circle></a>")  # fmt: skip
        parts.append(f"<rect x='{MARGIN_LEFT + 110 * number}' y='2' width='10' height='10' fill='{colour}'/>"
                     f"<text x='{MARGIN_LEFT + 14 + 110 * number}' y='11' font-size='11' fill='#374151'>"
                     f"{html.escape(name)}</text>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values from ``low`` up past ``high``: steps of 1, 2, 2.5 or 5 times a power of ten."""
    span = max(high - low, 1e-9)
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(power * factor for factor in (1, 2, 2.5, 5, 10) if power * factor >= raw)
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks if len(ticks) > 1 else [first, first + step]


def _path(points: Sequence[Point], x, y) -> str:
    """A line through the points, broken where a category between them has none."""
    segments = []
    previous: Point | None = None
    for point in sorted(points, key=lambda item: item.at):
        command = "L" if previous is not None and point.at == previous.at + 1 else "M"
        segments.append(f"{command}{x(point.at):.1f},{y(point.value):.1f}")
        previous = point
    return " ".join(segments)


SERIES_CSS = """
.qa-series {border: 1px solid #d9dde3; border-radius: 8px; padding: 8px 12px; background: #fff; margin-bottom: 8px;}
.qa-series-title {font-weight: 600; font-size: 14px; color: #1f2937; margin: 4px 0;}
.qa-chart {width: 100%; height: auto;}
.qa-chart a {cursor: pointer;}
.qa-series-table {border-collapse: collapse; font-size: 13px; margin: 6px 0; width: 100%;}
.qa-series-table th, .qa-series-table td {border-bottom: 1px solid #e5e7eb; padding: 3px 6px; text-align: left;
  white-space: nowrap;}
.qa-verdict.qa-met {color: #166534;} .qa-verdict.qa-missed {color: #b91c1c;}
.qa-verdict.qa-not_comparable {color: #92400e;}
.qa-missing {color: #6b7280;}
.qa-year {border-top: 1px dashed #d9dde3; margin-top: 6px; padding-top: 6px; font-size: 14px; line-height: 1.7;}
.qa-year-head {font-weight: 600; color: #1f2937;}
.qa-hint {color: #6b7280; font-size: 12px;}
"""

# A click on a point, a year label or a row's year shows that year's sentences (and hides the others).
SERIES_JS = """
<script>
document.addEventListener('click', function (event) {
  const link = event.target.closest && event.target.closest('a[href^="#qa-year-"]');
  if (!link) { return; }
  event.preventDefault();
  event.stopPropagation();
  const id = link.getAttribute('href').slice(1);
  document.querySelectorAll('.qa-year').forEach(function (panel) {
    panel.style.display = panel.id === id ? 'block' : 'none';
  });
  const shown = document.getElementById(id);
  if (shown) { shown.scrollIntoView({block: 'nearest'}); }
}, true);
</script>
"""
