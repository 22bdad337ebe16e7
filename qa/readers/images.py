"""Scans and photos (.png .jpg .jpeg .tif .tiff .bmp .webp): each page OCR'd, a multi-page TIFF as
its pages. The pixel count of every page is checked before it is decoded (a decompression bomb
or a 200-megapixel image is refused); one page image is in memory at a time."""

from __future__ import annotations

import io
from pathlib import Path

from qa.errors import DocumentError
from qa.limits import MAX_PAGE_PIXELS
from qa.readers.base import RawDocument, ReadOptions


def read_image(data: bytes, path: Path, options: ReadOptions | None = None) -> RawDocument:
    from PIL import Image, ImageOps, UnidentifiedImageError

    from qa.readers import ocr

    options = options or ReadOptions()
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as error:
        limit = MAX_PAGE_PIXELS // 1_000_000
        raise DocumentError(path, f"too large an image, at most {limit} megapixels a page ({error})") from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise DocumentError(path, f"not a readable image ({type(error).__name__}: {error})") from error
    pages = getattr(image, "n_frames", 1) or 1
    ocr.check_budget(pages, path)  # a TIFF of more frames than OCR may take is refused before the first
    lines = []
    low: list[tuple[str, int | None]] = []
    dropped = 0
    blank = 0
    for index in range(pages):
        options.report("ocr", index, pages)
        try:
            image.seek(index)
        except EOFError:
            break
        width, height = image.size
        if width * height > MAX_PAGE_PIXELS:
            where = f"page {index + 1} is" if pages > 1 else "it is"
            raise DocumentError(
                path,
                f"{where} {width}×{height} pixels ({width * height / 1e6:.0f} megapixels), more than the "
                f"{MAX_PAGE_PIXELS // 1_000_000} megapixels allowed a page (a decompression bomb?): scan it smaller",
            )
        try:
            if image.format == "JPEG":
                image.draft("RGB", (ocr.OCR_MAX_SIDE, ocr.OCR_MAX_SIDE))  # decode at a reduced size
            frame = ImageOps.exif_transpose(image) if index == 0 else image.copy()
            array = ocr.fit_for_ocr(frame)
            del frame
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
            raise DocumentError(path, f"corrupt or truncated image ({type(error).__name__}: {error})") from error
        try:
            result = ocr.ocr_image(array, options.ocr_cache)
        except ocr.OcrUnavailable as error:
            raise DocumentError(path, f"an image needs OCR, but {error}") from error
        del array
        page_lines, lost = ocr.page_lines(result, index + 1)
        dropped += lost
        low.extend(ocr.low_confidence(result, index + 1))
        blank += result.blank
        lines.extend(page_lines)
    options.report("ocr", pages, pages)
    if not lines:
        if blank == pages:
            raise DocumentError(
                path,
                "no text found: the image is blank" if pages == 1 else f"no text found: all {pages} pages are blank",
            )
        raise DocumentError(path, "no text found in the image (OCR recognised nothing legible)")
    return RawDocument(lines, ocr_dropped=dropped, ocr_pages=pages - blank, dropped=tuple(low))


READERS = {suffix: read_image for suffix in (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")}
