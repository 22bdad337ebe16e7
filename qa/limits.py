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

# -- bounds checked before a file is unpacked, parsed or OCR'd (docs/security.md lists them all) ---

# Word (.docx) files are ZIP packages: a 1 MB file can unpack to 1 GB of spaces, and 8 KB of
# empty paragraphs to 400,000 elements. Both are refused from the ZIP's own directory and a
# streaming count of the XML elements, before Word's parser builds anything. The 31 provincial
# 2025 reports (../shared/corpora/gwr2025) unpack to 108-325 KB in 11-22 parts of at most 5,167
# elements; these bounds are 300-100x that, and an accepted file reads in well under a minute.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all parts together, as the ZIP directory declares them
MAX_PACKAGE_PARTS = 5_000  # files inside one package (pictures included)
MAX_XML_ELEMENTS = 500_000  # elements of all its XML parts together

# Pages of one PDF: the four real PDFs of ../shared/corpora/pdf have 8-181 pages; a 2,000-page
# file (a noise scan, a whole archive) is refused when it is opened, before any page is read.
MAX_PDF_PAGES = 1_000

# OCR time per file. bench/results/ocr.json measured 11 pages a minute (clean pages, two cores),
# so a file whose pages needing OCR would take longer than this is refused before OCR starts,
# with the estimate in its reason (split the scan, or OCR it elsewhere).
MAX_OCR_MINUTES_PER_FILE = 30
OCR_PAGES_PER_MINUTE = 11
MAX_OCR_PAGES = MAX_OCR_MINUTES_PER_FILE * OCR_PAGES_PER_MINUTE  # 330 pages

# Files offered for download (a conversation's export, a table's CSV, a report's original): every
# answer and every source click offers one. The newest are kept, the same content is the same
# file, and the oldest go past this many, so that a server running for weeks never fills its
# temporary folder (docs/security.md).
MAX_DOWNLOADS = 64

# The login of a shared app (qa serve --auth; qa/web/login.py): the shortest password accepted,
# and failed logins allowed per client address within the window before it is refused (429)
# until the oldest failure is that old: 5 guesses per 10 minutes is 720 a day, not millions.
MIN_PASSWORD_CHARS = 12
LOGIN_FAILURES = 5
LOGIN_WINDOW_SECONDS = 600
