"""How much an assistant reads: the size of the MCP tools' answers, measured through the real ``mcp``
client against the app (streamable HTTP), for the README's questions.

    .venv/bin/python -m bench.mcp_size --data DATA --index INDEX [--out bench/results/mcp_size.json]

INDEX must already hold the reports of DATA (the app would index the rest in the background);
for the issue's figure, the 31 provincial reports and the samples. Each answer's text is counted
in characters and in UTF-8 bytes (a Chinese character is three), by default and with the options
that ask for less (``max_rows``, ``fields``) or more.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import socket
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALLS = [
    ("ask_reports", {"question": "各省2025年经济增长目标分别是多少？"}),
    ("ask_reports", {"question": "各省2025年经济增长目标分别是多少？", "max_rows": 10}),
    ("ask_reports", {"question": "各省2025年经济增长目标分别是多少？", "fields": ["text", "citation"]}),
    ("ask_reports", {"question": "哪些省份提到了人形机器人？"}),
    ("ask_reports", {"question": "比较广东、江苏、浙江三省的研发投入强度"}),
    ("ask_reports", {"question": "湖南2025年地区生产总值增长目标是多少？"}),
    ("ask_reports", {"question": "湖南2025年地区生产总值增长目标是多少？", "k": 1, "fields": []}),
    ("ask_reports", {"question": "湖北处理了多少个违规直播间？"}),
    ("search_reports", {"question": "湖北处理了多少个违规直播间？"}),
    ("list_reports", {}),
]
LIMIT = 8 * 1024  # the bar for the 31-province table, in bytes


async def measure(url: str) -> list[dict[str, object]]:
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    rows = []
    async with streamable_http_client(f"{url}/gradio_api/mcp/") as streams, ClientSession(*streams[:2]) as session:
        await session.initialize()
        for name, arguments in CALLS:
            started = time.perf_counter()
            reply = await session.call_tool(name, arguments)
            text = reply.content[0].text
            seconds = round(time.perf_counter() - started, 3)
            rows.append({"tool": name, "arguments": arguments, "error": reply.isError, "characters": len(text),
                         "bytes": len(text.encode("utf-8")), "seconds": seconds})  # fmt: skip
            asked = json.dumps(arguments, ensure_ascii=False)
            print(f"{rows[-1]['bytes']:>7,} bytes {rows[-1]['characters']:>7,} chars  {name} {asked}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "mcp_size.json")
    args = parser.parse_args(argv)
    from qa.web import launch

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with contextlib.redirect_stdout(io.StringIO()):
        app = launch(data_dir=args.data, index_dir=args.index, port=port, block=False)
    try:
        rows = asyncio.run(measure(f"http://127.0.0.1:{port}"))
    finally:
        app.close()
    table = rows[0]
    result = {"index": str(args.index), "calls": rows, "table_bytes": table["bytes"], "limit_bytes": LIMIT,
              "table_within_limit": table["bytes"] <= LIMIT,
              "measured": time.strftime("%Y-%m-%dT%H:%M:%S%z")}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"the 31-province table: {table['bytes']:,} bytes ({table['characters']:,} characters); written {args.out}")
    return 0 if result["table_within_limit"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
