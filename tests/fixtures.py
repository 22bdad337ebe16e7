"""Small report files in every supported format, made by the tests themselves."""

from __future__ import annotations

from pathlib import Path

REPORT_LINES = [
    "一、总体情况",
    "2024年，全省网络文明建设取得新进展，处理违规直播间5263个。",
    "（一）主要做法",
    "坚持思想引领，开展网络文明宣传活动1.9万余次。",
]


def write_text(path: Path, encoding: str, lines: list[str] | None = None) -> Path:
    path.write_bytes("\n".join(lines or REPORT_LINES).encode(encoding))
    return path


def write_docx(path: Path, *, heading_styles: bool = True) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "测试报告"
    document.add_paragraph("2025年测试省政府工作报告", style="Title" if heading_styles else None)
    if heading_styles:
        document.add_heading("总体情况", level=1)
        document.add_paragraph("2024年，全省网络文明建设取得新进展，处理违规直播间5263个。")
        document.add_heading("主要做法", level=2)
    else:
        for line in REPORT_LINES[:3]:
            document.add_paragraph(line)
    document.add_paragraph("坚持思想引领，开展网络文明宣传活动1.9万余次。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "数值"
    table.cell(1, 0).text = "处置账号"
    table.cell(1, 1).text = "6169个"
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: list[str] | None = None, *, password: str | None = None) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), encrypt=password)
    pdf.setFont("STSong-Light", 12)
    for number, line in enumerate(lines or REPORT_LINES):
        pdf.drawString(50, 800 - 20 * number, line)
    pdf.save()
    return path


def write_html(path: Path) -> Path:
    path.write_text(
        """<!doctype html><html><head><meta charset="utf-8"><title>湖北网络文明建设综述</title></head>
<body><nav><a href="/">首页</a> 返回顶部</nav>
<h1>湖北网络文明建设综述</h1>
<p>2024年05月28日08:54 | 来源：湖北日报</p>
<h2>推动共建共治</h2>
<p>开展清朗系列专项行动，处理违规直播间5263个，处置账号6169个。</p>
<p>（责编：周雯）</p>
<footer>版权所有</footer><script>alert(1)</script></body></html>""",
        encoding="utf-8",
    )
    return path


def write_markdown(path: Path) -> Path:
    path.write_text(
        "# 测试省网络文明报告\n\n## 总体情况\n\n处理违规直播间5263个。\n\n### 主要做法\n\n开展活动1.9万余次。\n",
        encoding="utf-8",
    )
    return path
