"""The web UI over data/: python app.py [--data DATA] [--index INDEX] [--host H] [--port P]
[--auth USER:PASSWORD] [--no-mcp] (= qa serve).

Builds the index from data/ on first run, then serves the chat on http://127.0.0.1:7860 and the
MCP tools for AI assistants at /gradio_api/mcp/ (unless --no-mcp).
"""

import sys

from qa.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
