"""Limits, each in one place (every part that enforces one imports it from here)."""

from __future__ import annotations

# A provincial report is tens of kilobytes to a few megabytes. The default encoder embeds a
# 200-token chunk in roughly 0.1-0.3 s on two CPU cores, so 20 MB of plain Chinese text (~50,000
# chunks) already takes hours; a larger file is refused up front, before it is read, so that one
# stray dump cannot stall (or bloat) an update. Uploads through the UI have the same limit.
MAX_FILE_BYTES = 20 * 1024 * 1024

# Longer questions are cut here: the encoder reads 512 tokens at most.
MAX_QUESTION_CHARS = 2000

# Passages one question may ask for (the UI offers 1-20; the API refuses more than this).
MAX_K = 100

# Pixels of one page image (an image file's page, or an image inside a scanned PDF page) before
# it is decoded for OCR: a 600-dpi A3 scan is 70 megapixels, a phone photo 12-50. A larger one
# (a 200-megapixel image, a decompression bomb) is refused with this reason.
MAX_PAGE_PIXELS = 100_000_000
