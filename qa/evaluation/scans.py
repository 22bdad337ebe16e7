"""Rendered scans: a report's text typeset onto page images with a real CJK font (Debian's
fonts-noto-cjk), as a scanner or a phone would give them, and PDFs made of them. The OCR tests
and the evaluation on rendered scans (:mod:`qa.evaluation.rendered`) both draw their pages here.

reportlab's CID fonts are not embedded (a renderer shows no glyphs), so a page to be OCR'd is
always drawn with Pillow.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)


def cjk_font_file() -> Path | None:
    for name in FONT_FILES:
        if Path(name).exists():
            return Path(name)
    return None


@lru_cache(maxsize=8)
def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    path = cjk_font_file()
    if path is None:
        raise FileNotFoundError("no CJK font: apt-get install fonts-noto-cjk")
    for index in range(10):  # the collection's simplified-Chinese face
        try:
            font = ImageFont.truetype(str(path), size, index=index)
        except OSError:
            break
        if "SC" in " ".join(font.getname()):
            return font
    return ImageFont.truetype(str(path), size)


@dataclass(frozen=True)
class PageStyle:
    """An A4 page at 150 dpi with 16-point type, as a government report is printed."""

    width: int = 1240
    height: int = 1754
    font_size: int = 26
    margin: int = 130
    line_height: float = 1.6
    header: str | None = None
    page_numbers: bool = True


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, indent: float) -> list[str]:
    lines: list[str] = []
    current = ""
    limit = width - indent
    for char in text:
        if font.getlength(current + char) > limit and current:
            lines.append(current)
            current, limit = "", width
        current += char
    if current:
        lines.append(current)
    return lines


def is_heading(text: str) -> bool:
    return len(text) <= 24 and not text.endswith(tuple("。，,；;：:！？!?"))


def typeset(paragraphs: list[str], style: PageStyle = PageStyle()) -> list[list[tuple[int, int, str]]]:
    """Paragraphs laid out on pages: for each page, (x, y, text) of its lines. A paragraph's first
    line is indented two characters; a heading is not."""
    font = cjk_font(style.font_size)
    width = style.width - 2 * style.margin
    step = int(style.font_size * style.line_height)
    top = style.margin + (step if style.header else 0)
    bottom = style.height - style.margin
    pages: list[list[tuple[int, int, str]]] = [[]]
    y = top
    for paragraph in paragraphs:
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        indent = 0 if is_heading(paragraph) else 2 * style.font_size
        for number, line in enumerate(_wrap(paragraph, font, width, indent)):
            if y + step > bottom:
                pages.append([])
                y = top
            x = style.margin + (indent if number == 0 else 0)
            pages[-1].append((x, y, line))
            y += step
    return pages


def draw_page(lines: list[tuple[int, int, str]], number: int, style: PageStyle = PageStyle()) -> Image.Image:
    image = Image.new("RGB", (style.width, style.height), "white")
    draw = ImageDraw.Draw(image)
    font = cjk_font(style.font_size)
    for x, y, text in lines:
        draw.text((x, y), text, font=font, fill=(20, 20, 20))
    small = cjk_font(int(style.font_size * 0.8))
    if style.header:
        draw.text((style.margin, style.margin - style.font_size), style.header, font=small, fill=(40, 40, 40))
    if style.page_numbers:
        label = f"— {number} —"
        draw.text(
            ((style.width - small.getlength(label)) / 2, style.height - style.margin / 2),
            label,
            font=small,
            fill=(40, 40, 40),
        )
    return image


def render_report_pages(paragraphs: list[str], style: PageStyle = PageStyle()) -> list[Image.Image]:
    """A report's paragraphs as page images (one PIL image a page)."""
    return [draw_page(lines, number, style) for number, lines in enumerate(typeset(paragraphs, style), start=1)]


def text_paragraphs(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def add_seal(image: Image.Image, centre: tuple[int, int], radius: int = 130, text: str | None = None) -> Image.Image:
    """A red round seal (ring, star and text around it) over the page, as on a stamped copy."""
    sealed = image.copy()
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    x, y = centre
    red = (220, 30, 30, 210)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=red, width=9)
    star = [
        (x + 0.35 * radius * math.cos(math.radians(-90 + 72 * k / 2)) * (1 if k % 2 == 0 else 0.4),
         y + 0.35 * radius * math.sin(math.radians(-90 + 72 * k / 2)) * (1 if k % 2 == 0 else 0.4))
        for k in range(10)
    ]  # fmt: skip
    draw.polygon(star, fill=red)
    font = cjk_font(int(radius * 0.28))
    text = text or "湖北省网络文明办公室"
    for position, char in enumerate(text):
        angle = math.radians(200 + 140 * position / (len(text) - 1))
        cx, cy = x + 0.72 * radius * math.cos(angle), y + 0.72 * radius * math.sin(angle)
        glyph = Image.new("RGBA", (font.size * 2, font.size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((font.size / 2, font.size / 2), char, font=font, fill=red)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        layer.alpha_composite(glyph, (int(cx - font.size), int(cy - font.size)))
    # Seal ink is translucent: the print under it stays dark (multiply, as on paper).
    ink = Image.new("RGB", image.size, "white")
    ink.paste(layer, (0, 0), layer)
    return ImageChops.multiply(sealed, ink)


def degrade(image: Image.Image, *, noise: float = 12.0, blur: float = 0.8, seed: int = 0) -> Image.Image:
    """Mild scanner noise and blur."""
    import numpy as np

    rng = np.random.default_rng(seed)
    blurred = image.filter(ImageFilter.GaussianBlur(blur)) if blur else image
    pixels = np.asarray(blurred).astype(np.float32)
    pixels += rng.normal(0, noise, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def save_image_pdf(images: list[Image.Image], path: Path, dpi: int = 150) -> Path:
    """An image-only PDF (a scan): one page image a page, no text layer."""
    first, *rest = [image.convert("RGB") for image in images]
    first.save(path, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return path


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# --- Realistic layouts: a 公文 page, a news column, two columns; at any resolution -----------------

SERIF_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSerifCJK-Regular.ttc",
)
BOLD_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
RED = (205, 20, 20)
INK = (25, 25, 25)


@lru_cache(maxsize=64)
def face(kind: str, size: int) -> ImageFont.FreeTypeFont:
    """A simplified-Chinese face of Noto CJK: "serif" (the 仿宋/宋体 of a printed report; Noto has no
    仿宋), "bold" (黑体, headings) or "sans"."""
    files = {"serif": SERIF_FILES, "bold": BOLD_FILES}.get(kind, FONT_FILES)
    path = next((Path(name) for name in files if Path(name).exists()), None) or cjk_font_file()
    if path is None:
        raise FileNotFoundError("no CJK font: apt-get install fonts-noto-cjk")
    for index in range(10):
        try:
            font = ImageFont.truetype(str(path), size, index=index)
        except OSError:
            break
        if "SC" in " ".join(font.getname()):
            return font
    return ImageFont.truetype(str(path), size)


@dataclass(frozen=True)
class Block:
    """One paragraph of a document to typeset. ``kind``: title, subtitle, heading, body, address
    (主送), signature, date, copy_to (抄送), printed (印发)."""

    text: str
    kind: str = "body"


@dataclass(frozen=True)
class Placed:
    """A line on a page: where (pixels), what, and what it is (``role``: the block's kind, or
    furniture: masthead, doc_number, header, page_number)."""

    x: float
    y: float
    text: str
    role: str
    font: str = "serif"
    size: int = 26
    color: tuple[int, int, int] = INK
    width: float | None = None  # justified to this width (None: as set)


@dataclass(frozen=True)
class Layout:
    """A page design, in points and millimetres so that any resolution draws the same page.

    ``official``: GB/T 9704 公文, A4, text area 156 × 225 mm, 3号 (16 pt) serif, 28 characters by
    22 lines, paragraphs and headings indented two characters, red masthead and rule, title in
    2号, page numbers "— N —" at the outer foot, signature and date with a red seal over them,
    抄送 and 印发 at the foot of the last page. ``news``: the issue's scan, 36 characters to a
    line by count (a ragged right edge where digits and Latin punctuation are half width), a blank
    line between paragraphs, no indent, a running header and a page number. ``columns``: two
    justified columns of 五号 (10.5 pt) type, indented paragraphs, bold headings, a running header
    and "第 N 页" at the foot."""

    name: str
    dpi: int = 150
    font_pt: float = 16.0
    pitch_pt: float = 29.0
    left_mm: float = 28.0
    right_mm: float = 26.0
    top_mm: float = 37.0
    bottom_mm: float = 35.0
    columns: int = 1
    gutter_mm: float = 8.0
    chars_per_line: int | None = None  # a fixed count (ragged right) instead of justified lines
    indent: int = 2
    blank_between: bool = False
    header: str | None = None
    page_number: str = "— {n} —"
    official: bool = False

    def px(self, mm: float) -> float:
        return mm / 25.4 * self.dpi

    def pt(self, points: float) -> int:
        return round(points / 72 * self.dpi)

    @property
    def size(self) -> tuple[int, int]:
        return round(self.px(210)), round(self.px(297))

    def with_dpi(self, dpi: int) -> Layout:
        from dataclasses import replace

        return replace(self, dpi=dpi)


LAYOUTS: dict[str, Layout] = {
    "official": Layout("official", font_pt=15.8, pitch_pt=29.0, official=True),
    "news": Layout("news", font_pt=12.5, pitch_pt=20.0, left_mm=25, right_mm=25, top_mm=25, bottom_mm=25,
                   chars_per_line=36, indent=0, blank_between=True, header="湖北日报 · 2024年5月28日 星期二",
                   page_number="{n}"),
    "columns": Layout("columns", font_pt=10.5, pitch_pt=17.0, left_mm=20, right_mm=20, top_mm=25, bottom_mm=22,
                      columns=2, header="{title}", page_number="第 {n} 页"),
}  # fmt: skip
DPIS = (150, 200)


@dataclass(frozen=True)
class Rendered:
    """A typeset document: its pages' lines and images (one PIL image a page)."""

    layout: Layout
    pages: list[list[Placed]]

    def images(self, seal: str | None = None) -> list[Image.Image]:
        images = [draw_placed(lines, self.layout) for lines in self.pages]
        if self.layout.official and images:
            images[-1] = _seal_over_signature(images[-1], self.pages[-1], self.layout, seal)
        return images

    def page_of(self, fragment: str) -> int | None:
        """The page (from 1) whose lines hold ``fragment`` (spaces ignored), or None."""
        wanted = "".join(fragment.split())
        for number, lines in enumerate(self.pages, start=1):
            if wanted in "".join("".join(line.text for line in lines).split()):
                return number
        return None


_NO_LINE_START = "，。、；：？！”’）》〕」』,.;:!?)"


def _wrap_width(text: str, font: ImageFont.FreeTypeFont, width: float, first_indent: float) -> list[str]:
    lines: list[str] = []
    current, used, limit = "", 0.0, width - first_indent
    for char in text:
        advance = _advance(font, char)
        if current and used + advance > limit:
            while char[0] in _NO_LINE_START and len(current) > 1:  # 避头: punctuation never starts a line
                current, char = current[:-1], current[-1] + char
            lines.append(current)
            current, used, limit = "", sum(_advance(font, item) for item in char[:-1]), width
        current += char
        used += advance
    if current:
        lines.append(current)
    return lines


@lru_cache(maxsize=50_000)
def _advance(font: ImageFont.FreeTypeFont, char: str) -> float:
    return font.getlength(char)


def _wrap_count(text: str, count: int) -> list[str]:
    return [text[start : start + count] for start in range(0, len(text), count)] or [""]


def typeset_document(blocks: list[Block], layout: Layout, title: str = "") -> Rendered:
    """Lay ``blocks`` out on pages of ``layout``."""
    width, height = layout.size
    size = layout.pt(layout.font_pt)
    pitch = layout.pt(layout.pitch_pt)
    left, right = layout.px(layout.left_mm), width - layout.px(layout.right_mm)
    top, bottom = layout.px(layout.top_mm), height - layout.px(layout.bottom_mm)
    gutter = layout.px(layout.gutter_mm)
    column_width = (right - left - gutter * (layout.columns - 1)) / layout.columns
    body_font = face("serif", size)
    pages: list[list[Placed]] = [[]]
    state = {"y": top, "column": 0, "top": top}  # "top": where columns start on this page (below a title)

    def new_column() -> None:
        if state["column"] + 1 < layout.columns:
            state["column"] += 1
        else:
            pages.append([])
            state["column"], state["top"] = 0, top
        state["y"] = state["top"]

    def room(lines: int = 1) -> None:
        if state["y"] + pitch * lines > bottom + 0.3 * pitch:
            new_column()

    def place(text: str, role: str, *, x: float | None = None, font: str = "serif", font_size: int = size,
              color=INK, justify: float | None = None, centre: bool = False, align_right: float | None = None,
              full_width: bool = False, step: float | None = None) -> None:  # fmt: skip
        room()
        column_left = left if full_width else left + state["column"] * (column_width + gutter)
        span = (right - left) if full_width else column_width
        drawn = face(font, font_size)
        if centre:
            x = column_left + (span - drawn.getlength(text)) / 2
        elif align_right is not None:
            x = column_left + span - align_right - drawn.getlength(text)
        pages[-1].append(
            Placed(column_left if x is None else x, state["y"], text, role, font, font_size, color, justify)
        )
        state["y"] += step or pitch
        if full_width and state["column"] == 0:
            state["top"] = state["y"]

    if layout.official:
        _official_head(blocks, layout, place, size, pitch, state)
    for block in blocks:
        kind = block.kind
        if kind in ("title", "subtitle") and layout.official:
            continue  # already in the head
        if kind == "title":
            title_font = face("bold", round(size * 1.45))
            for line in _wrap_width(block.text, title_font, column_width * layout.columns, 0):
                place(line, "title", font="bold", font_size=round(size * 1.45), centre=True, full_width=True,
                      step=round(pitch * 1.5))  # fmt: skip
            continue
        if kind == "subtitle":
            for line in _wrap_width(block.text, body_font, column_width * 0.9, 0):
                place(line, "subtitle", centre=True, full_width=layout.columns > 1)
            state["y"] += pitch * 0.5
            continue
        if kind in ("signature", "date"):
            if kind == "signature":
                state["y"] += pitch * 2
                room(3)
            place(block.text, kind, align_right=4 * size if kind == "signature" else 2 * size)
            continue
        if kind in ("copy_to", "printed", "issuer", "doc_number"):
            continue  # the head and the foot of a 公文 are placed on their own
        heading = kind == "heading"
        font = "bold" if heading else "serif"
        drawn = face(font, size)
        indent = 0 if kind == "address" or (heading and not layout.official) else layout.indent * size
        if layout.chars_per_line:
            lines = _wrap_count(block.text, layout.chars_per_line)
        else:
            lines = _wrap_width(block.text, drawn, column_width, indent)
        if heading:
            room(2)  # a heading never ends a column
        column_left = lambda: left + state["column"] * (column_width + gutter)  # noqa: E731
        for number, line in enumerate(lines):
            room()
            x = column_left() + (indent if number == 0 else 0)
            last = number == len(lines) - 1
            justify = None if last or layout.chars_per_line else column_width - (indent if number == 0 else 0)
            role = kind if kind in ("heading", "address") else "body"
            place(line, role, x=x, font=font, justify=justify)
        if layout.blank_between:
            state["y"] += pitch
    if layout.official:
        _official_foot(blocks, layout, pages, size, pitch, left, right, bottom)
    _furniture(pages, layout, title, size, top, left, right, width, height)
    return Rendered(layout, pages)


def _official_head(blocks, layout: Layout, place, size: int, pitch: int, state) -> None:
    """Masthead (red), document number, red rule, title in 2号, as on the first page of a 公文."""
    issuer = next((block.text for block in blocks if block.kind == "issuer"), "")
    number = next((block.text for block in blocks if block.kind == "doc_number"), "")
    if issuer:
        place(issuer, "masthead", font="bold", font_size=round(size * 2.1), color=RED, centre=True,
              step=round(pitch * 2.2))  # fmt: skip
    if number:
        place(number, "doc_number", centre=True, step=round(pitch * 1.6))
    state["y"] += pitch * 0.4
    title_size = round(size * 1.4)
    title_font = face("bold", title_size)
    for block in blocks:
        if block.kind == "title":
            for line in _wrap_width(block.text, title_font, layout.px(156) * 0.92, 0):
                place(line, "title", font="bold", font_size=title_size, centre=True, step=round(pitch * 1.3))
    state["y"] += pitch * 0.6


def _official_foot(blocks, layout: Layout, pages, size: int, pitch: int, left: float, right: float, bottom: float):
    """抄送 and 印发 between rules at the foot of the last page (版记)."""
    foot = [block for block in blocks if block.kind in ("copy_to", "printed")]
    if not foot:
        return
    small = round(size * 14 / 16)
    font = face("serif", small)
    rows = [(block.kind, line) for block in foot for line in _wrap_width(block.text, font, right - left - 2 * size, 0)]
    lines = pages[-1]
    y = bottom - pitch * len(rows)
    if lines and max(line.y for line in lines) + pitch * 1.5 > y:
        pages.append([])
    for offset, (kind, text) in enumerate(rows):
        pages[-1].append(Placed(left + size, y + offset * pitch, text, kind, "serif", small))


def _furniture(pages, layout: Layout, title: str, size: int, top: float, left: float, right: float,
               width: int, height: int) -> None:  # fmt: skip
    small = round(size * 0.85)
    total = len(pages)
    for number, lines in enumerate(pages, start=1):
        if layout.header:
            text = layout.header.format(title=title, n=number, total=total)
            x = left + (right - left - face("serif", small).getlength(text)) / 2
            lines.append(Placed(x, top - 2.2 * small, text, "header", "serif", small))
        label = layout.page_number.format(n=number, total=total)
        label_width = face("serif", small).getlength(label)
        if layout.official:  # outer side: odd pages right, even pages left, one character in
            x = right - size - label_width if number % 2 else left + size
        else:
            x = (width - label_width) / 2
        lines.append(
            Placed(x, height - layout.px(layout.bottom_mm) + 1.6 * small, label, "page_number", "serif", small)
        )


def draw_placed(lines: list[Placed], layout: Layout) -> Image.Image:
    image = Image.new("RGB", layout.size, "white")
    draw = ImageDraw.Draw(image)
    width = layout.size[0]
    for line in lines:
        font = face(line.font, line.size)
        if line.width is not None and len(line.text) > 1:  # justified: the slack spread between characters
            natural = font.getlength(line.text)
            gap = max(0.0, (line.width - natural) / (len(line.text) - 1))
            x = line.x
            for char in line.text:
                draw.text((x, line.y), char, font=font, fill=line.color)
                x += font.getlength(char) + gap
        else:
            draw.text((line.x, line.y), line.text, font=font, fill=line.color)
        if line.role == "doc_number":  # the red rule under the document number
            y = line.y + 1.6 * line.size
            draw.line((layout.px(26), y, width - layout.px(26), y), fill=RED, width=max(2, layout.dpi // 60))
        if line.role in ("copy_to", "printed"):
            y = line.y - 0.25 * line.size
            draw.line((layout.px(28), y, width - layout.px(26), y), fill=INK, width=1)
        if line.role == "header":
            y = line.y + 1.5 * line.size
            draw.line((layout.px(20), y, width - layout.px(20), y), fill=INK, width=1)
    return image


def _seal_over_signature(image: Image.Image, lines: list[Placed], layout: Layout, text: str | None) -> Image.Image:
    """The issuing office's red seal over its signature and date (over the text, as stamped)."""
    signature = [line for line in lines if line.role in ("signature", "date")]
    if not signature:
        return image
    font = face(signature[0].font, signature[0].size)
    x = max(line.x + font.getlength(line.text) / 2 for line in signature)
    y = sum(line.y for line in signature) / len(signature) + signature[0].size / 2
    return add_seal(image, (round(x), round(y)), radius=round(layout.px(21)), text=text)


def document_blocks(path: Path) -> tuple[list[Block], str]:
    """A report as the blocks its scan shows, and the body its text version keeps: the title
    (and subtitle) as read from the text, then every line of the cleaned text, headings as
    headings. Returns (blocks, body): ``body`` is what the scan must keep (the cleaned text)."""
    from qa.documents import load_document

    document = load_document(path)
    blocks = [Block(document.title, "title")]
    if document.extra.get("subtitle"):
        blocks.append(Block(document.extra["subtitle"], "subtitle"))
    for line in document.lines:
        text = document.text[line.start : line.end]
        if line.title is not None and not line.is_body:
            blocks.append(Block(text, "heading"))
        elif text.strip():
            blocks.append(Block(text, "body"))
    return blocks, document.text


DECISION_SEAL = "中国网络视听行业协会"  # the text round the seal of eval/decision.tsv


def load_blocks(path: Path) -> list[Block]:
    """Blocks from a file of ``kind<TAB>text`` lines (# comments), such as eval/decision.tsv."""
    blocks = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, text = line.split("\t", 1)
            blocks.append(Block(text.strip(), kind.strip()))
    return blocks


def as_raw_lines(rendered: Rendered) -> list:
    """The rendered pages as a perfect reader would give them: each line's text and box, page by
    page (what OCR gives, without its errors). Tests and the evaluation's layout figures use it to
    measure paragraph joining and cleaning apart from OCR."""
    from qa.readers.base import Box, RawLine

    width, height = rendered.layout.size
    lines = []
    for number, page in enumerate(rendered.pages, start=1):
        for line in sorted(page, key=lambda placed: (placed.y, placed.x)) if rendered.layout.columns == 1 else page:
            font = face(line.font, line.size)
            right = line.x + (line.width if line.width is not None else font.getlength(line.text))
            box = Box(line.x / width, line.y / height, right / width, (line.y + 1.3 * line.size) / height,
                      line.size / width)  # fmt: skip
            lines.append(RawLine(line.text, page=number, box=box))
    return lines
