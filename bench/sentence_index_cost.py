"""What sentence vectors cost at index time: one folder indexed from nothing with and without them.

``python -m bench.sentence_index_cost DATA [--out bench/results/sentence-index-cost.json]``: each
setting in a fresh process (the default encoder, a new temporary index), one after the other;
seconds, chunks/s, sentences, sentences/s (the time over the index without them), size on disk and
peak RSS of each.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
CHILD = """
import json, resource, sys, time
from pathlib import Path
from qa.indexing import update_index
from qa.store import IndexConfig
data, index, sentences = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "on"
started = time.perf_counter()
summary = update_index(data, index, config=IndexConfig(sentences=sentences))
seconds = time.perf_counter() - started
size = sum(path.stat().st_size for path in index.rglob("*") if path.is_file())
print(json.dumps({"seconds": round(seconds, 1), "chunks": summary.chunks_total, "sentences": summary.sentences_total,
                  "chunks_per_s": round(summary.chunks_total / seconds, 2), "size_mb": round(size / 1e6, 2),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sentence_index_cost", description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--out", type=Path, default=RESULTS / "sentence-index-cost.json")
    args = parser.parse_args(argv)
    from bench.machine import load

    result: dict[str, object] = {"data": str(args.data), "load_start": load()}
    with tempfile.TemporaryDirectory() as folder:
        for setting in ("off", "on"):
            index = Path(folder) / f"index-{setting}"
            done = subprocess.run([sys.executable, "-c", CHILD, str(args.data), str(index), setting],
                                  check=True, capture_output=True, text=True)  # fmt: skip
            result[f"sentences_{setting}"] = json.loads(done.stdout.strip().splitlines()[-1])
    off, on = result["sentences_off"], result["sentences_on"]
    extra = on["seconds"] - off["seconds"]  # type: ignore[index]
    result["sentences_per_s"] = round(on["sentences"] / extra, 1) if extra > 0 else None  # type: ignore[index]
    result["load_end"] = load()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
