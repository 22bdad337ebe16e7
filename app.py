"""The web UI over data/: python app.py [--data DATA] [--index INDEX] [--host H] [--port P]
[--auth USER:PASSWORD] [--no-mcp] (= qa serve).

Serves the chat on http://127.0.0.1:7860 at once and the MCP tools for AI assistants at
/gradio_api/mcp/ (unless --no-mcp), and indexes what data/ holds beyond the index in the
background, with the progress on the page.
"""

import sys

from qa.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
