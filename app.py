"""The web UI over data/: python app.py [--host H] [--port P] [--auth USER:PASSWORD].

Builds the index from data/ on first run, then serves the chat on http://127.0.0.1:7860.
"""

from __future__ import annotations

import argparse
import sys

from qa.store import IndexProblem
from qa.web import launch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="报告问答 Report QA: the web UI")
    parser.add_argument("--data", default="data", help="folder of reports (default: data)")
    parser.add_argument("--index", default="index", help="index folder (default: index)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--auth", help="require a login USER:PASSWORD (needed beyond 127.0.0.1)")
    args = parser.parse_args(argv)
    try:
        launch(data_dir=args.data, index_dir=args.index, host=args.host, port=args.port, auth=args.auth)
    except IndexProblem as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
