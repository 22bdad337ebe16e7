"""The ``qa`` command: chunk, index, ask, stats, eval, serve."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from qa.readers import DocumentError

DEFAULT_DATA = Path("data")
DEFAULT_INDEX = Path("index")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return int(args.handler(args) or 0)
    except DocumentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except _UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code


class _UserError(Exception):
    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Question answering over Chinese reports.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", required=True)

    chunk = commands.add_parser("chunk", help="show how one file is read and chunked")
    chunk.add_argument("path", type=Path)
    chunk.add_argument("--json", action="store_true", help="print one JSON object")
    chunk.set_defaults(handler=_chunk)

    return parser


def _chunk(args: argparse.Namespace) -> int:
    from qa.chunking import chunk_document
    from qa.documents import load_document

    if not args.path.exists():
        raise _UserError(f"{args.path}: no such file")
    if args.path.is_dir():
        raise _UserError(f"{args.path}: is a folder; give one file (qa index reads folders)")
    document = load_document(args.path)
    chunks = chunk_document(document)
    if args.json:
        payload = {
            "document": document.metadata(),
            "chunks": [
                {
                    "id": f"{args.path.name}#{chunk.index}",
                    "section": list(chunk.section),
                    "start": chunk.start,
                    "end": chunk.end,
                    "text": chunk.text,
                }
                for chunk in chunks
            ],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    _print_document(document, chunks)
    return 0


def _print_document(document, chunks) -> None:
    metadata = document.metadata()
    for key in ("title", "date", "source", "region", "path", "sha256"):
        print(f"{key:>8}: {metadata[key] or '-'}")
    for key in ("subtitle", "speaker"):
        if metadata.get(key):
            print(f"{key:>8}: {metadata[key]}")
    if document.credits:
        print(f" credits: {'; '.join(document.credits)}")
    if document.removed:
        print(f" removed: {len(document.removed)} lines of page furniture and captions")
        for line in document.removed:
            print(f"          - {line[:60]}")
    print(f"  chunks: {len(chunks)}\n")
    for chunk in chunks:
        print(f"[{chunk.index}] {' > '.join(chunk.section[1:]) or '(before the first heading)'}")
        print(f"    {chunk.start}-{chunk.end}")
        for line in chunk.text.split("\n"):
            print(f"    {line}")
        print()


if __name__ == "__main__":
    sys.exit(main())
