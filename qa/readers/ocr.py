"""OCR of page images: rapidocr (PP-OCRv6 detection and recognition, ONNX models inside the wheel,
run by onnxruntime), with the page's orientation found first, seals taken out, lines in reading
order and a confidence for each.

Only pages that need it come here (scanned PDF pages, pages whose text layer is garbage, image
files). The engine is imported and loaded on the first page that needs it; if it cannot load,
:class:`OcrUnavailable` says why and the reader skips the file with that reason. A page's result
is cached by the hash of its pixels (``<index>/ocr-cache/``), so a rebuild never recognises an
unchanged page twice.

What happens to one page (:func:`recognise_page`):

1. A blank page (almost no ink) is not sent to the engine at all.
2. Red seals (a red ring, round or oval, and what is inside it) are painted white, so they give
   no text; the red masthead of an official document, even one red character of it, is kept.
3. Text detection; if most text boxes stand upright, the page is on its side: the page and its
   boxes are turned 90° (no second detection).
4. The direction classifier votes on the widest text boxes; if most read upside down, the page
   and its boxes are turned 180°. So a page turned 90°, 180° or 270° is read the right way up, at
   the cost of an upright one. Lines are never turned one by one (rapidocr's way): the classifier
   turns lines holding quotation marks upside down, and they came back as garbage.
5. Recognition of each box as it stands, with its confidence; :func:`page_lines` orders the boxes (two
   columns column by column), joins the boxes of one line, and drops lines under
   :data:`MIN_CONFIDENCE` (counted). A lead-in dash "——" that the recognizer left out of a box
   (it reads a long thin stroke as nothing) is read from the image (:func:`with_dashes`).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.errors import DocumentError
from qa.limits import MAX_OCR_MINUTES_PER_FILE, MAX_OCR_PAGES, OCR_PAGES_PER_MINUTE
from qa.readers.base import Box, RawLine

# Recognition confidence under which a text box is dropped (and counted). Measured by
# bench/ocr.py on pages rendered from three of the 31 reports, clean, turned 90° and with noise and
# blur (bench/results/ocr.json): the boxes under 0.6 were all stray fragments ("3", "O", "4c"),
# every box of real text scored 0.9-1.0, and page accuracy was the same (±0.0005) for any
# threshold from 0 to 0.8; 0.6 drops the fragments and keeps the real lines of worse scans.
MIN_CONFIDENCE = 0.6
# Pages are rendered at this resolution for OCR (a PDF page) and images are reduced so that their
# long side is at most OCR_MAX_SIDE: the detector works on at most 2000 pixels a side anyway.
OCR_DPI = 150
OCR_MAX_SIDE = 2000
# rapidocr's defaults but three: every box is returned (the threshold is applied here, and
# counted); boxes down to a detection score of 0.3 are kept (at the default 0.5 the detector drops
# a lone "一、" at the start of a heading); and detection runs on the page scaled to 1280 pixels on
# its long side (recognition still reads the full-resolution crops): measured by bench/ocr.py,
# 29 % more pages a minute than detection at full size, with character accuracy 0.993 vs 0.990.
ENGINE_PARAMS = {
    "Global.log_level": "error",
    "Global.text_score": 0.0,
    "Det.box_thresh": 0.3,
    "Det.limit_type": "max",
    "Det.limit_side_len": 1280,
}
# Bumped whenever what is cached (the engine, its settings, this pipeline) changes.
CACHE_VERSION = "rapidocr-3.10-ppocrv6-small/box0.3-det1280/6"


class OcrUnavailable(RuntimeError):
    """The OCR engine cannot be imported or loaded here; the message says why."""


@dataclass(frozen=True)
class OcrItem:
    """One recognised text box: pixel coordinates in the upright page."""

    text: str
    confidence: float
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class OcrPage:
    width: int
    height: int
    rotation: int  # degrees the page was turned (counter-clockwise) to read it upright
    items: tuple[OcrItem, ...]
    blank: bool = False
    cached: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": CACHE_VERSION,
                "width": self.width,
                "height": self.height,
                "rotation": self.rotation,
                "blank": self.blank,
                "items": [
                    [item.text, round(item.confidence, 4), item.left, item.top, item.right, item.bottom]
                    for item in self.items
                ],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> OcrPage | None:
        record = json.loads(text)
        if record.get("version") != CACHE_VERSION:
            return None
        items = tuple(
            OcrItem(str(t), float(c), float(a), float(b), float(r), float(d)) for t, c, a, b, r, d in record["items"]
        )
        return cls(
            int(record["width"]), int(record["height"]), int(record["rotation"]), items, bool(record["blank"]), True
        )


class _Stats:
    """How many pages the engine actually ran on in this process (the cache test reads it)."""

    recognised = 0


stats = _Stats()

_engine = None
_engine_error: str | None = None
_engine_lock = threading.Lock()
_run_lock = threading.Lock()


def engine():
    """The loaded rapidocr engine (once per process), or :class:`OcrUnavailable`."""
    global _engine, _engine_error
    with _engine_lock:
        if _engine is not None:
            return _engine
        if _engine_error is not None:
            raise OcrUnavailable(_engine_error)
        if os.environ.get("QA_DISABLE_OCR"):
            _engine_error = "OCR is switched off (QA_DISABLE_OCR is set)"
            raise OcrUnavailable(_engine_error)
        try:
            import logging

            from rapidocr import RapidOCR

            loaded = RapidOCR(params=ENGINE_PARAMS)
            for name in ("RapidOCR", "rapidocr"):
                logging.getLogger(name).setLevel(logging.ERROR)
            # Load the three models now, so that a broken install fails here with its reason.
            loaded._load_det_model()
            loaded._load_cls_model()
            loaded._load_rec_model()
        except Exception as error:  # ImportError, a missing model file, an onnxruntime failure
            _engine_error = f"the OCR engine (rapidocr, onnxruntime) cannot load: {type(error).__name__}: {error}"
            raise OcrUnavailable(_engine_error) from error
        _engine = loaded
        return _engine


def check_budget(pages: int, path: Path | str) -> None:
    """Refuse a file whose pages needing OCR would take longer than the OCR time a file may take
    (:data:`~qa.limits.MAX_OCR_MINUTES_PER_FILE`), before the first page is recognised."""
    if pages > MAX_OCR_PAGES:
        minutes = pages / OCR_PAGES_PER_MINUTE
        raise DocumentError(
            path,
            f"{pages:,} pages need OCR (about {minutes:,.0f} minutes at {OCR_PAGES_PER_MINUTE} pages a minute), "
            f"more than the {MAX_OCR_MINUTES_PER_FILE} minutes of OCR allowed a file ({MAX_OCR_PAGES} pages): "
            "split the scan",
        )


def reset_engine() -> None:
    """Forget the engine (and a failure to load it): the next page loads it again."""
    global _engine, _engine_error
    with _engine_lock:
        _engine, _engine_error = None, None


def page_hash(image: np.ndarray) -> str:
    digest = hashlib.sha256(CACHE_VERSION.encode())
    digest.update(repr(image.shape).encode())
    digest.update(np.ascontiguousarray(image).data)
    return digest.hexdigest()


def ocr_image(image: np.ndarray, cache: Path | None = None) -> OcrPage:
    """OCR of one page image (RGB, uint8), through the cache when there is one."""
    key = page_hash(image) if cache is not None else None
    if cache is not None and key is not None:
        cached = _read_cache(cache, key)
        if cached is not None:
            return cached
    page = recognise_page(image)
    if cache is not None and key is not None:
        _write_cache(cache, key, page)
    return page


def _cache_file(cache: Path, key: str) -> Path:
    return cache / key[:2] / f"{key}.json"


def _read_cache(cache: Path, key: str) -> OcrPage | None:
    try:
        return OcrPage.from_json(_cache_file(cache, key).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(cache: Path, key: str, page: OcrPage) -> None:
    path = _cache_file(cache, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(page.to_json(), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only or full disk costs a re-OCR next time, nothing else


def is_blank(image: np.ndarray) -> bool:
    """Almost no ink: fewer than 0.05 % of the pixels clearly darker than the paper."""
    gray = _gray(image[::4, ::4])
    paper = np.percentile(gray, 90)
    dark = gray < paper - 80
    return float(dark.mean()) < 0.0005


def _gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image.astype(np.int16)
    return (image[..., 0].astype(np.int16) * 3 + image[..., 1].astype(np.int16) * 6 + image[..., 2]) // 10


# A seal is a ring: its outermost red ink lies on the ellipse of its bounding box in at least this
# share of the directions from its centre. A red character of a masthead does not ("中": its
# outermost ink is its box and its stroke, well inside the ellipse in most directions; "国": its
# corners, well outside); the rendered seals of qa.evaluation.scans reach 36 of 36 sectors, the
# characters of the rendered masthead at most 21 (tests/test_ocr.py).
SEAL_RING_SHARE = 0.8
_SEAL_SECTORS = 36


def remove_seals(image: np.ndarray) -> np.ndarray:
    """Paint white the red ink of round or oval seals (a red ring, and the star and text inside
    it), so they give no text. What is red but not a ring (a masthead, a red rule, a red heading,
    any one red character of them) stays, and so does the black print under a seal."""
    import cv2

    if image.ndim != 3:
        return image
    red = image[..., 0].astype(np.int16)
    green = image[..., 1].astype(np.int16)
    blue = image[..., 2].astype(np.int16)
    mask = ((red > 120) & (red - green > 50) & (red - blue > 40)).astype(np.uint8)
    if mask.sum() < 50:
        return image
    height, width = mask.shape
    join = max(3, round(0.006 * min(width, height)))  # 7 pixels at 150 dpi: a ring broken by print
    joined = cv2.dilate(mask, np.ones((join, join), np.uint8))
    count, labels, boxes, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    cleaned = None
    for label in range(1, count):
        x, y, w, h, _area = boxes[label]
        if max(w, h) < 0.06 * min(width, height) or not 0.6 <= w / max(h, 1) <= 1.7:
            continue
        ys, xs = np.nonzero((labels[y : y + h, x : x + w] == label) & (mask[y : y + h, x : x + w] > 0))
        if ys.size == 0 or ys.size / (w * h) > 0.6:  # a filled red block is a picture, not a seal
            continue
        ring = _ring(xs, ys)
        if ring is None:
            continue
        centre_x, centre_y, half_w, half_h = ring
        if cleaned is None:
            cleaned = image.copy()
        grid_y, grid_x = np.mgrid[y : y + h, x : x + w]
        inside = ((grid_x - x - centre_x) / half_w) ** 2 + ((grid_y - y - centre_y) / half_h) ** 2 <= 1.1**2
        part_red, part_green = red[y : y + h, x : x + w], green[y : y + h, x : x + w]
        # the seal's ink and its anti-aliased rim; the black print under it is dark, not red, and stays
        reddish = (part_red - part_green > 10) & (part_red > 110)
        cleaned[y : y + h, x : x + w][inside & reddish] = 255
    return image if cleaned is None else cleaned


def _ring(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float, float, float] | None:
    """(centre x, centre y, half width, half height) of the ellipse the red pixels at ``xs, ys``
    (one mark) form the ring of, or None when they are not a ring."""
    left, right, top, bottom = xs.min(), xs.max(), ys.min(), ys.max()
    half_w, half_h = max((right - left) / 2, 1.0), max((bottom - top) / 2, 1.0)
    centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
    dx, dy = (xs - centre_x) / half_w, (ys - centre_y) / half_h
    radius = np.hypot(dx, dy)
    sector = ((np.arctan2(dy, dx) + np.pi) / (2 * np.pi) * _SEAL_SECTORS).astype(int) % _SEAL_SECTORS
    outermost = np.zeros(_SEAL_SECTORS)
    np.maximum.at(outermost, sector, radius)
    on_ring = int(np.sum((outermost >= 0.85) & (outermost <= 1.1)))
    return (centre_x, centre_y, half_w, half_h) if on_ring >= SEAL_RING_SHARE * _SEAL_SECTORS else None


def recognise_page(image: np.ndarray, *, using=None, per_line_direction: bool = False) -> OcrPage:
    """Recognise one upright-or-turned page image (RGB uint8): see the module's description.
    ``using``: another rapidocr engine than :func:`engine` (bench/ocr.py compares settings);
    ``per_line_direction=True`` reads each box as the direction classifier turned it, as rapidocr
    does (and as this did before the classifier was found turning lines that hold quotation marks)."""
    height, width = image.shape[:2]
    if is_blank(image):
        return OcrPage(width, height, 0, (), blank=True)
    ocr = using if using is not None else engine()
    upright = remove_seals(image)
    bgr = np.ascontiguousarray(upright[..., ::-1]) if upright.ndim == 3 else upright
    with _run_lock:
        stats.recognised += 1
        rotation = 0
        detected = _detect(ocr, bgr)
        if detected is not None and _mostly_upright(detected[1]):  # on its side: turn the page and its boxes
            width = bgr.shape[1]
            bgr, rotation = np.ascontiguousarray(np.rot90(bgr, 1)), 90
            boxes = _turned_90(detected[1], width)
            detected = ([_crop(bgr, box) for box in boxes], boxes)
        if detected is None:
            return OcrPage(bgr.shape[1], bgr.shape[0], rotation, ())
        crops, boxes = detected
        if _upside_down(ocr, crops, boxes):  # turn the page and its boxes (no second detection)
            bgr, rotation = np.ascontiguousarray(np.rot90(bgr, 2)), (rotation + 180) % 360
            boxes = _turned_180(boxes, bgr.shape[1], bgr.shape[0])
            crops = [_crop(bgr, box) for box in boxes]
        if per_line_direction:
            crops, _classes = ocr.cls_and_rotate(crops)
        recognised = ocr.recognize_txt(crops)
    items = []
    gray = _gray(bgr[..., ::-1]) if bgr.ndim == 3 else bgr.astype(np.int16)
    for box, text, score in zip(boxes, recognised.txts, recognised.scores, strict=True):
        text = text.strip()
        if text:
            xs, ys = box[:, 0], box[:, 1]
            item = OcrItem(text, float(score), float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
            items.append(with_dashes(item, gray))
    return OcrPage(bgr.shape[1], bgr.shape[0], rotation, tuple(items))


# A dash ("——") the recognizer left out: a run of ink in one thin band at mid-height, at least
# this many characters long (one "—" of Noto CJK is 0.8 of a character, two 1.6), beside the text.
DASH_MIN_CHARS = 1.3
_DASH_LIKE = tuple("—－-–一")


def with_dashes(item: OcrItem, gray: np.ndarray) -> OcrItem:
    """``item`` with the lead-in dash "——" that ends it ("堅持思想引領——") or opens it ("——经济运行持续
    向好。") when the image has one there and the recognizer dropped it. The detector's box holds
    the dash, but PP-OCR's recognizer reads a long thin stroke as nothing: two characters of every
    lead-in heading were lost, and the heading read as another kind."""
    height = item.bottom - item.top
    char = 0.85 * height  # a detected box is about 1.18 characters tall
    if height < 8 or len(item.text) < 2:
        return item
    top, bottom = int(item.top), int(np.ceil(item.bottom))
    reach = int(2.6 * char)
    left = max(int(item.left) - reach, 0)
    right = min(int(np.ceil(item.right)) + reach, gray.shape[1])
    window = gray[top:bottom, left:right]
    if window.size == 0:
        return item
    paper = float(np.percentile(window, 90))
    ink = window < paper - 80
    kinds = _column_kinds(ink, height)
    box_left, box_right = int(item.left) - left, int(np.ceil(item.right)) - left
    text, new_left, new_right = item.text, item.left, item.right
    if not text.endswith(_DASH_LIKE):
        run = _dash_run(kinds, box_left, box_right, char, forward=True)
        if run is not None:
            text, new_right = text + "——", max(item.right, float(left + run))
    if not item.text.startswith(_DASH_LIKE):
        run = _dash_run(kinds, box_left, box_right, char, forward=False)
        if run is not None:
            text, new_left = "——" + text, min(item.left, float(left + run))
    if text == item.text:
        return item
    return OcrItem(text, item.confidence, new_left, item.top, new_right, item.bottom)


_EMPTY, _STROKE, _OTHER = 0, 1, 2


def _column_kinds(ink: np.ndarray, height: float) -> np.ndarray:
    """Each column of a line's window: empty, a thin stroke at mid-height (a dash), or other ink."""
    inked = ink.any(axis=0)
    low = ink.argmax(axis=0)  # the first inked row of each column
    high = ink.shape[0] - 1 - ink[::-1].argmax(axis=0)  # the last
    thin = high - low <= 0.2 * height
    middle = (low >= 0.25 * height) & (high <= 0.8 * height)
    kinds = np.where(thin & middle, _STROKE, _OTHER).astype(np.int8)
    kinds[~inked] = _EMPTY
    return kinds


def _dash_run(kinds: np.ndarray, box_left: int, box_right: int, char: float, *, forward: bool) -> int | None:
    """Where a dash beside the text ends (forward: after the text's last character, the column
    just past the dash; backward: before its first, the dash's first column), or None."""
    step = 1 if forward else -1
    others = np.flatnonzero(kinds[max(box_left, 0) : box_right] == _OTHER) + max(box_left, 0)
    if others.size == 0:
        return None
    position = int(others[-1] if forward else others[0]) + step
    limit = len(kinds) if forward else -1
    gap, start, end, blank = 0, None, None, 0
    while position != limit:
        kind = kinds[position]
        if kind == _OTHER:
            if start is None or blank <= 0.6 * char:
                return None  # more text follows: not a dash that ends (or opens) the line
            break
        if kind == _STROKE:
            if start is None:
                if gap > 0.6 * char:
                    return None  # the stroke is not beside the text
                start = position
            elif blank > 0.25 * char:
                return None  # two strokes apart: not one dash
            end, blank = position, 0
        elif start is None:
            gap += 1
        else:
            blank += 1
            if blank > 0.6 * char:
                break
        position += step
    if start is None or end is None or abs(end - start) + 1 < DASH_MIN_CHARS * char:
        return None
    return end + 1 if forward else end


# Text boxes (the widest) the direction classifier votes with on a page's orientation.
_VOTERS = 16


def _upside_down(ocr, crops: list, boxes: np.ndarray) -> bool:
    """Whether the page reads upside down, by the direction classifier's vote on its widest boxes.
    The page is turned as a whole, never one line: the classifier turns lines that hold quotation
    marks ("“根”“魂”“夢”》") upside down, and a line read upside down is garbage ("图一")."""
    widths = np.linalg.norm(boxes[:, 1] - boxes[:, 0], axis=1)
    voters = [crops[index] for index in np.argsort(-widths)[:_VOTERS]]
    _turned, classes = ocr.cls_and_rotate(voters)
    return _mostly_upside_down(classes.cls_res)


def _detect(ocr, bgr: np.ndarray):
    """(crops, boxes in the image's pixels) of the text boxes, or None when there is none."""
    from rapidocr.main import RapidOCRError
    from rapidocr.utils.process_img import map_boxes_to_original

    processed, record = ocr.preprocess_img(bgr)
    try:
        crops, result = ocr.detect_and_crop(processed, record)
    except RapidOCRError:
        return None
    if result.boxes is None or len(result.boxes) == 0:
        return None
    boxes = map_boxes_to_original(np.array(result.boxes, dtype=np.float32), record, bgr.shape[0], bgr.shape[1])
    return crops, boxes


def _turned_90(boxes: np.ndarray, width: int) -> np.ndarray:
    """Boxes of a page turned 90° counter-clockwise (np.rot90), corners again from the top left."""
    turned = np.empty_like(boxes)
    turned[..., 0] = boxes[..., 1]
    turned[..., 1] = width - boxes[..., 0]
    return turned[:, [1, 2, 3, 0]]


def _turned_180(boxes: np.ndarray, width: int, height: int) -> np.ndarray:
    """Boxes (top-left, top-right, bottom-right, bottom-left) of a page turned 180°."""
    turned = np.empty_like(boxes)
    turned[..., 0] = width - boxes[..., 0]
    turned[..., 1] = height - boxes[..., 1]
    return turned[:, [2, 3, 0, 1]]


def _crop(image: np.ndarray, box: np.ndarray) -> np.ndarray:
    from rapidocr.utils.process_img import get_rotate_crop_image

    return get_rotate_crop_image(image, box.astype(np.float32).copy())


def _mostly_upright(boxes: np.ndarray) -> bool:
    """Most long text boxes are taller than wide: the page lies on its side."""
    widths = np.linalg.norm(boxes[:, 1] - boxes[:, 0], axis=1)
    heights = np.linalg.norm(boxes[:, 3] - boxes[:, 0], axis=1)
    tall = int(np.sum(heights > 2 * widths))
    wide = int(np.sum(widths > 2 * heights))
    return tall >= 2 and tall > wide


def _mostly_upside_down(classes) -> bool:
    upside_down = sum(score for label, score in classes if "180" in str(label))
    right_way = sum(score for label, score in classes if "180" not in str(label))
    return upside_down > right_way * 1.5


def page_lines(page: OcrPage, number: int, threshold: float = MIN_CONFIDENCE) -> tuple[list[RawLine], int]:
    """The page's lines in reading order, each with its mean confidence, and how many text boxes
    were dropped under ``threshold``."""
    kept = [item for item in page.items if item.confidence >= threshold and _has_text(item.text)]
    dropped = len(page.items) - len(kept)
    lines: list[RawLine] = []
    for column in _columns(kept, page.width):
        for row in _rows(column):
            lines.append(_line(row, page, number))
    return lines, dropped


def low_confidence(page: OcrPage, number: int, threshold: float = MIN_CONFIDENCE) -> list[tuple[str, int]]:
    """(text, page) of the boxes :func:`page_lines` drops under ``threshold``: listed, not lost."""
    return [(item.text, number) for item in page.items if item.confidence < threshold and _has_text(item.text)]


def _has_text(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _columns(items: list[OcrItem], width: int) -> list[list[OcrItem]]:
    """Blocks in reading order: a page of two columns (a clear gutter near the middle, text lines
    on both sides) is read left column then right column between full-width lines."""
    if len(items) < 8:
        return [items]
    gutter = _gutter(items, width)
    if gutter is None:
        return [items]
    blocks: list[list[OcrItem]] = []
    left: list[OcrItem] = []
    right: list[OcrItem] = []
    for item in sorted(items, key=lambda item: item.top):
        if item.right <= gutter:
            left.append(item)
        elif item.left >= gutter:
            right.append(item)
        else:  # spans both columns (a title): ends the column block above it
            blocks.extend(block for block in (left, right) if block)
            blocks.append([item])
            left, right = [], []
    blocks.extend(block for block in (left, right) if block)
    return blocks


# Lines that may cross a gutter, as a share of the lines beside it: a centred title, a running
# header and a page number cross it on a page of two columns of ~40 lines (bench: the rendered
# two-column pages of qa.evaluation.scans, 3 of 41).
_GUTTER_CROSSINGS = 0.15


def _gutter(items: list[OcrItem], width: int) -> float | None:
    """A vertical gap near the middle that no text line crosses, with four lines on one side and
    two on the other at least. Lines wider than 60 % of the page (a title, a running header over both columns) are left
    out of the count: they cross every gutter."""
    bins = 100
    coverage = np.zeros(bins)
    narrow = [item for item in items if item.right - item.left < 0.6 * width]
    for item in narrow:
        first, last = int(item.left / width * bins), int(item.right / width * bins)
        coverage[max(first, 0) : min(last + 1, bins)] += 1
    middle = coverage[30:70]
    lowest = int(np.argmin(middle))
    if middle[lowest] > _GUTTER_CROSSINGS * coverage.max():
        return None
    gutter = (30 + lowest + 0.5) / bins * width
    lines_left = sum(
        1 for item in narrow if item.right <= gutter and item.right - item.left > 4 * (item.bottom - item.top)
    )
    lines_right = sum(
        1 for item in narrow if item.left >= gutter and item.right - item.left > 4 * (item.bottom - item.top)
    )
    # a column may end a few lines down the last page
    return gutter if min(lines_left, lines_right) >= 2 and max(lines_left, lines_right) >= 4 else None


def _rows(items: list[OcrItem]) -> list[list[OcrItem]]:
    """Boxes of one line side by side (the detector splits a line at wide gaps), top to bottom."""
    rows: list[list[OcrItem]] = []
    for item in sorted(items, key=lambda item: (item.top + item.bottom) / 2):
        if rows:
            row = rows[-1]
            top = min(other.top for other in row)
            bottom = max(other.bottom for other in row)
            overlap = min(bottom, item.bottom) - max(top, item.top)
            if overlap > 0.5 * min(bottom - top, item.bottom - item.top):
                row.append(item)
                continue
        rows.append([item])
    return [sorted(row, key=lambda item: item.left) for row in rows]


def _line(row: list[OcrItem], page: OcrPage, number: int) -> RawLine:
    parts = [row[0].text]
    for previous, item in zip(row, row[1:], strict=False):
        height = max(item.bottom - item.top, 1.0)
        parts.append((" " if item.left - previous.right > 0.8 * height else "") + item.text)
    text = "".join(parts)
    chars = sum(len(item.text) for item in row)
    confidence = sum(item.confidence * len(item.text) for item in row) / max(chars, 1)
    heights = sorted(item.bottom - item.top for item in row)
    box = Box(
        left=min(item.left for item in row) / page.width,
        top=min(item.top for item in row) / page.height,
        right=max(item.right for item in row) / page.width,
        bottom=max(item.bottom for item in row) / page.height,
        size=heights[len(heights) // 2] * 0.8 / page.width,  # a box is about 1.25 characters tall
    )
    return RawLine(text, page=number, box=box, confidence=round(confidence, 4))


def fit_for_ocr(image):
    """A PIL image as the RGB array OCR reads: its long side reduced to :data:`OCR_MAX_SIDE`."""
    from PIL import Image

    if image.mode not in ("RGB", "L"):
        if image.mode in ("RGBA", "LA", "P", "PA") or "A" in image.getbands():
            rgba = image.convert("RGBA")
            background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            image = Image.alpha_composite(background, rgba)
        image = image.convert("RGB")
    if max(image.size) > OCR_MAX_SIDE:
        scale = OCR_MAX_SIDE / max(image.size)
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.LANCZOS)
    if image.mode == "L":
        image = image.convert("RGB")
    return np.asarray(image)
