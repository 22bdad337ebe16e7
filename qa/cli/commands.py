"""What each ``qa`` subcommand does: parse nothing, call the library, print with :mod:`qa.cli.show`."""

from __future__ import annotations

import argparse
import json
import os
import sys

from qa.cli import show
from qa.errors import QaError
from qa.progress import TerminalProgress


class UsageError(QaError):
    """A command line that names something that is not there."""


def chunk(args: argparse.Namespace) -> int:
    from qa.chunking import chunk_document
    from qa.documents import load_document

    if not args.path.exists():
        raise UsageError(f"{args.path}: no such file")
    if args.path.is_dir():
        raise UsageError(f"{args.path}: is a folder; give one file (qa index reads folders)")
    from qa.documents.metadata import read_sidecar
    from qa.indexing import document_entry

    document = load_document(args.path)
    chunks = chunk_document(document)
    entry = document_entry(document, read_sidecar(args.path), None)  # what the index records of it
    described = {"year": entry.year, "level": entry.level, "issuer": entry.issuer, "region": entry.region}
    if args.json:
        show.print_json(show.chunked_json(args.path.name, document, chunks, described))
    else:
        show.print_document(document, chunks, described)
    return 0


def index(args: argparse.Namespace) -> int:
    from qa.indexing import update_index
    from qa.store import IndexConfig

    config = IndexConfig(model=args.model) if args.model else None
    progress = TerminalProgress(sys.stderr, enabled=not args.json and sys.stderr.isatty())
    try:
        summary = update_index(
            args.data, args.index, config=config, rebuild=args.rebuild, progress=progress, lock_timeout=args.wait
        )
    finally:
        progress.close()
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        show.print_summary(summary)
    return 1 if summary.failed else 0


def _filters(args: argparse.Namespace):
    from qa.retrieval import Filters

    region, year, source, file = (from_argv(value) for value in (args.region, args.year, args.source, args.file))
    return Filters(region=region, year=year, source=source, file=file, level=args.level)


def ask(args: argparse.Namespace) -> int:
    from qa.answer import answer
    from qa.retrieval import Retriever

    retriever = Retriever(args.index)
    result = answer(from_argv(args.question), retriever=retriever, k=args.k, filters=_filters(args))
    if args.json:
        show.print_json(_answer_json(args, result))
    else:
        show.print_answer(result)
    return 0


def _answer_json(args: argparse.Namespace, result) -> dict[str, object]:
    from qa.compact import answer_record, checked_fields, checked_max_rows

    return answer_record(result, fields=checked_fields(args.fields), max_rows=checked_max_rows(args.max_rows))


def chat(args: argparse.Namespace) -> int:
    """Questions from standard input, one per line, each understood after the ones before it."""
    from qa.answer import answer
    from qa.questions import Conversation
    from qa.retrieval import Retriever

    retriever = Retriever(args.index)
    interactive = sys.stdin.isatty() and not args.json
    if interactive:
        print("问答 Ask: one question per line; /new starts over; Ctrl-D ends.")
    conversation = Conversation()  # the questions so far as understood, turn by turn
    status = 0
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            return status
        question = from_argv(line.strip()) or ""
        if not question:
            continue
        try:
            result = answer(question, retriever=retriever, k=args.k, conversation=conversation)
        except QaError as error:  # one bad line is reported; the conversation goes on
            print(json.dumps({"question": question, "error": str(error)}, ensure_ascii=False) if args.json else
                  f"error: {error}", file=sys.stdout if args.json else sys.stderr)  # fmt: skip
            status = error.exit_code
            continue
        conversation = conversation.after(result.plan) if result.plan else conversation
        if args.json:
            print(json.dumps(_answer_json(args, result), ensure_ascii=False), flush=True)
        else:
            show.print_answer(result)


def search(args: argparse.Namespace) -> int:
    from qa.compact import checked_fields, search_record
    from qa.retrieval import Retriever

    retriever = Retriever(args.index)
    question = from_argv(args.question) or ""
    fields = checked_fields(args.fields)
    hits = retriever.search(question, k=args.k, filters=_filters(args), mode=args.mode)
    if args.json:
        show.print_json(search_record(question, hits, fields))
    else:
        show.print_hits(hits)
    return 0


def from_argv(text: str | None) -> str | None:
    """An argument with the bytes that are not UTF-8 (which Python keeps as lone surrogates, and
    which the encoder cannot take) replaced by U+FFFD."""
    if text is None:
        return None
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def stats(args: argparse.Namespace) -> int:
    from qa.store import open_store

    store = open_store(args.index)
    if args.json:
        show.print_json(store.manifest.to_json())
    else:
        show.print_stats(store.location, store.version, store.manifest)
    return 0


DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def serve_address(host: str | None, port: int | None) -> tuple[str, int]:
    """Explicit options win, then Gradio's own GRADIO_SERVER_NAME / GRADIO_SERVER_PORT (set in
    containers and hosting), then 127.0.0.1:7860."""
    host = host or os.environ.get("GRADIO_SERVER_NAME") or DEFAULT_HOST
    if port is None:
        value = os.environ.get("GRADIO_SERVER_PORT")
        try:
            port = int(value) if value else DEFAULT_PORT
        except ValueError:
            raise UsageError(f"GRADIO_SERVER_PORT={value!r} is not a port number") from None
    return host, port


def serve(args: argparse.Namespace) -> int:
    from qa.web import launch

    host, port = serve_address(args.host, args.port)
    launch(data_dir=args.data, index_dir=args.index, host=host, port=port, auth=args.auth, mcp=args.mcp)
    return 0
