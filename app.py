"""The web UI over data/: python app.py [--host H] [--port P] [--auth USER:PASSWORD] (= qa serve).

Builds the index from data/ on first run, then serves the chat on http://127.0.0.1:7860.
"""

import sys

from qa.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
