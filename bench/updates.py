"""Section 3: the time of an update with nothing changed, and with one ``.txt`` or one ``.docx`` changed."""

from __future__ import annotations

import shutil
import statistics
from pathlib import Path

from bench.corpus import Corpus
from bench.indexing import timed_update
from bench.machine import load, say
from qa.embedding import Encoder

TXT_PARAGRAPH = "\n\n2025年以來，全省持續深化網絡文明建設，新增網絡文明志願者一萬餘名，開展主題活動三百餘場。\n"
DOCX_PARAGRAPH = "2025年，全省新增高新技术企业一千二百家，技术合同成交额增长百分之十五。"


def fresh_copy(pristine: Path, index: Path) -> None:
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(pristine, index)


def changed_copy(changed: Path, target: Path) -> None:
    """``changed`` with one paragraph added, written to ``target`` (which replaces a link to it)."""
    target.unlink()
    if changed.suffix == ".txt":
        target.write_text(changed.read_text(encoding="utf-8") + TXT_PARAGRAPH, encoding="utf-8")
        return
    import docx

    document = docx.Document(str(changed))
    document.add_paragraph(DOCX_PARAGRAPH)
    document.save(str(target))


def nothing_changed(corpus: Corpus, index: Path, work: Path, encoder: Encoder, repeats: int) -> dict[str, object]:
    data = work / "data-unchanged"
    corpus.link_into(data)
    times = []
    for _ in range(repeats):
        summary, figures = timed_update(data, index, encoder, rebuild=False)
        times.append(figures["seconds"])
        assert summary.chunks_embedded == 0, summary.to_dict()
    say(f"  nothing changed: median {statistics.median(times):.3f} s over {repeats} runs")
    return {"median_s": round(statistics.median(times), 3), "runs_s": times, "chunks_embedded": 0}


def one_changed(
    corpus: Corpus, changed: Path, label: str, pristine: Path, index: Path, work: Path, encoder: Encoder, repeats: int
) -> dict[str, object]:
    """An update of a copy of the pristine index after ``changed`` got one paragraph more."""
    variant = work / f"data-{label}"
    corpus.link_into(variant)
    changed_copy(changed, variant / changed.name)
    runs = []
    for _ in range(repeats):
        fresh_copy(pristine, index)
        _summary, figures = timed_update(variant, index, encoder, rebuild=False)
        runs.append(figures)
    seconds = [run["seconds"] for run in runs]
    last = runs[-1]
    say(
        f"  {label} ({changed.name}): median {statistics.median(seconds):.2f} s over {repeats} runs, "
        f"{last['chunks_embedded']} chunks re-embedded of {last['chunks_total']}; stages {last['stages_s']}"
    )
    return {
        "file": changed.name,
        "median_s": round(statistics.median(seconds), 3),
        "runs_s": seconds,
        "chunks_embedded": last["chunks_embedded"],
        "chunks_total": last["chunks_total"],
        "stages_s_last_run": last["stages_s"],
    }


def bench_updates(corpus: Corpus, pristine: Path, work: Path, encoder: Encoder, repeats: int) -> dict[str, object]:
    """Updates of copies of the index at ``pristine`` (made from ``corpus``), in ``work``."""
    say(f"\n== 3. Updates on the {len(corpus.sources())} reports and samples ==")
    result: dict[str, object] = {"load_average_before": load()}
    index = pristine.parent / "update"
    fresh_copy(pristine, index)
    result["nothing_changed"] = nothing_changed(corpus, index, work, encoder, repeats)
    sources = corpus.sources()
    txt = next(path for path in sources if path.suffix == ".txt")
    docx = next(path for path in sources if path.suffix == ".docx")
    for label, changed in (("one_txt_changed", txt), ("one_docx_changed", docx)):
        result[label] = one_changed(corpus, changed, label, pristine, index, work, encoder, repeats)
    result["load_average_after"] = load()
    shutil.rmtree(index, ignore_errors=True)
    return result
