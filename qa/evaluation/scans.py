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


def add_seal(image: Image.Image, centre: tuple[int, int], radius: int = 130) -> Image.Image:
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
    text = "湖北省网络文明办公室"
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
