"""Read report files of every supported format into plain lines, one module per format family.

Each reader returns a :class:`RawDocument`: the file's lines in reading order, with a heading
level where the file's own markup says so and a page number where the format has pages, plus
whatever title and date the file's metadata carries. Cleaning and heading detection from the
text itself happen later, in :mod:`qa.documents`. :data:`READERS` is the one list of supported
suffixes: discovery, uploads and ``qa chunk`` all use it. Readers of paged formats (PDF, images)
take :class:`ReadOptions` (the OCR cache, progress per page).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qa.errors import DocumentError
from qa.readers import images, office, pdf, text, web
from qa.readers.base import RawDocument, RawLine, ReadOptions
from qa.readers.text import decode_text

Reader = Callable[[bytes, Path], RawDocument]

READERS: dict[str, Reader] = {**text.READERS, **web.READERS, **office.READERS, **pdf.READERS, **images.READERS}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)
# Readers that OCR page images and so take ReadOptions as a third argument.
_PAGED = frozenset({pdf.read_pdf, images.read_image})

__all__ = [
    "READERS",
    "SUPPORTED_SUFFIXES",
    "DocumentError",
    "RawDocument",
    "RawLine",
    "ReadOptions",
    "decode_text",
    "read_file",
]


def is_supported(path: Path | str) -> bool:
    return Path(path).suffix.lower() in READERS


def read_file(path: Path, options: ReadOptions | None = None) -> RawDocument:
    """Read ``path`` with the reader for its suffix; raise :class:`DocumentError` if it can't."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise DocumentError(path, f"unsupported file type '{suffix or '(none)'}' (supported: {supported})")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(path, f"cannot be read ({error.strerror or error})") from error
    if not data.strip():
        raise DocumentError(path, "the file is empty")
    try:
        document = reader(data, path, options) if reader in _PAGED else reader(data, path)
    except DocumentError:
        raise
    except MemoryError as error:
        raise DocumentError(path, f"too large to read in memory ({suffix[1:]} file)") from error
    except Exception as error:  # a parser's own exception: report it, never a traceback
        raise DocumentError(path, f"not a readable {suffix[1:]} file ({type(error).__name__}: {error})") from error
    if not any(line.text.strip() for line in document.lines):
        raise DocumentError(path, "no text found in the file")
    return document
