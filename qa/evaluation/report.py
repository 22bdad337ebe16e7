"""The printed report of ``qa eval``: one table per evaluation, then the comparisons and the misses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from qa.evaluation.runner import MODES

COLUMNS = ("n", "recall@1", "recall@5", "recall@10", "mrr@10")
HEADERS = ("n", "R@1", "R@5", "R@10", "MRR@10")


def _row(labels: Sequence[str], summary: dict, widths: Sequence[int]) -> str:
    cells = [label.ljust(width) for label, width in zip(labels, widths, strict=True)]
    cells.append(str(summary["n"]).rjust(5))
    cells.extend(f"{summary[column]:.3f}".rjust(7) for column in COLUMNS[1:])
    return "  ".join(cells)


def _header(labels: Sequence[str], widths: Sequence[int]) -> str:
    cells = [label.ljust(width) for label, width in zip(labels, widths, strict=True)]
    cells.append(HEADERS[0].rjust(5))
    cells.extend(header.rjust(7) for header in HEADERS[1:])
    line = "  ".join(cells)
    return f"{line}\n{'-' * len(line)}"


def format_results(results: dict) -> str:
    """The printed report: one table per evaluation, then the comparisons, the failures and the time."""
    lines: list[str] = []
    gold, public = results.get("gold", {}), results.get("public", {})
    settings = results["settings"]
    lines.append(
        f"encoder {settings['model']} (simplify={str(settings['simplify']).lower()}), "
        f"lexical tokeniser {settings['tokenizer']}, scored on the top {settings['depth']} passages"
    )
    lines.append("")
    lines.extend(_gold_lines(gold))
    lines.append("")
    lines.extend(_public_lines(public))
    comparisons = _comparison_lines(gold, public)
    if comparisons:
        lines.append("")
        lines.extend(comparisons)
    failures = _failure_lines(gold)
    if failures:
        lines.append("")
        lines.extend(failures)
    seconds = results.get("seconds", {})
    if seconds:
        lines.append("")
        parts = [f"{name} {value:.0f} s" for name, value in seconds.items() if name != "total"]
        lines.append(f"time: {seconds.get('total', 0):.0f} s in all" + (f" ({', '.join(parts)})" if parts else ""))
    return "\n".join(lines)


def _gold_lines(gold: dict) -> list[str]:
    if "skipped" in gold:
        return [f"Gold set: skipped: {gold['skipped']}"]
    index = gold["index"]
    lines = [
        f"Gold set: {gold['questions']} questions over {index['documents']} reports, {index['chunks']} chunks",
    ]
    counts = gold["answer_locations"]["counts"]
    lines.append(
        f"  gold answers inside one chunk: {counts.get('chunk', 0)}; split between chunks or in a heading: "
        f"{counts.get('split', 0)}; removed by the cleaner: {counts.get('cleaned_away', 0)}; "
        f"report not indexed: {counts.get('no_document', 0)}"
    )
    for item in gold["answer_locations"]["not_in_one_chunk"]:
        lines.append(f"    {item['id']} ({item['location']}): {item['file']}: {item['answer']}")
    if index["skipped_files"]:
        lines.append(f"  files skipped by the indexer: {index['skipped_files']}")
    widths = (13, 8)
    lines.append("")
    lines.append(_header(("kind", "mode"), widths))
    kinds = ["all", *sorted(gold["modes"]["hybrid"]["by_kind"])]
    for kind in kinds:
        for mode in MODES:
            entry = gold["modes"][mode]
            summary = entry["all"] if kind == "all" else entry["by_kind"][kind]
            lines.append(_row((kind if mode == MODES[0] else "", mode), summary, widths))
    return lines


def _public_lines(public: dict) -> list[str]:
    if "skipped" in public:
        return [f"Public sets: skipped: {public['skipped']}"]
    index = public["index"]
    paragraphs = index["paragraphs"]
    lines = [
        "Public sets: one pool of "
        + ", ".join(f"{count} {name} paragraphs" for name, count in paragraphs.items())
        + f" and the reports: {index['documents']} documents, {index['chunks']} chunks",
        "  a passage is correct when it comes from the question's own paragraph",
    ]
    if index["paragraphs_not_indexed"]:
        missing = index["paragraphs_not_indexed"]
        reasons = Counter(item["reason"] for item in index["skipped_files"] if item["file"] in set(missing))
        why = "; ".join(f"{reason}: {count}" for reason, count in reasons.most_common())
        lines.append(f"  {len(missing)} paragraphs could not be indexed ({why}): {', '.join(missing)}")
    for name, entry in public["sets"].items():
        if entry.get("empty_questions_left_out"):
            left_out = entry["empty_questions_left_out"]
            lines.append(f"  {name}: {len(left_out)} questions without text left out ({', '.join(left_out)})")
    widths = (9, 8)
    lines.append("")
    lines.append(_header(("set", "mode"), widths))
    for name, entry in public["sets"].items():
        for mode in MODES:
            lines.append(_row((name if mode == MODES[0] else "", mode), entry["modes"][mode]["all"], widths))
    return lines


COMPARISON_WIDTHS = (20, 9)


def _comparison_lines(gold: dict, public: dict) -> list[str]:
    gold_comparisons = gold.get("comparisons") or {}
    public_comparisons = public.get("comparisons") or {}
    if not gold_comparisons and not public_comparisons:
        return []
    sections = [
        ("Lexical mode by tokeniser", "tokeniser", _tokenizer_rows(gold_comparisons, public_comparisons)),
        ("Dense mode by encoder simplify setting", "simplify", _simplify_rows(gold_comparisons, public_comparisons)),
        (
            "Hybrid mode by fusion (scores: weighted normalised scores, the default; rrf: reciprocal rank)",
            "fusion",
            _fusion_rows(gold_comparisons, public_comparisons),
        ),
    ]
    lines: list[str] = []
    for title, variant, rows in sections:
        if lines:
            lines.append("")
        lines.extend([title, _header(("questions", variant), COMPARISON_WIDTHS)])
        for label, summaries in rows:
            for number, (name, summary) in enumerate(summaries.items()):
                lines.append(_row((label if number == 0 else "", name), summary, COMPARISON_WIDTHS))
    return lines


def _by_kind_rows(entries: dict[str, dict]) -> list[tuple[str, dict]]:
    """'gold: all' and one 'gold: KIND' row from {variant: {"all": ..., "by_kind": {...}}}."""
    if not entries:
        return []
    rows = [("gold: all", {name: entry["all"] for name, entry in entries.items()})]
    for kind in sorted(next(iter(entries.values()))["by_kind"]):
        rows.append((f"gold: {kind}", {name: entry["by_kind"][kind] for name, entry in entries.items()}))
    return rows


def _tokenizer_rows(gold: dict, public: dict) -> list[tuple[str, dict]]:
    return _by_kind_rows(gold.get("tokenizer_lexical") or {}) + list((public.get("tokenizer_lexical") or {}).items())


def _fusion_rows(gold: dict, public: dict) -> list[tuple[str, dict]]:
    return _by_kind_rows(gold.get("fusion_hybrid") or {}) + list((public.get("fusion_hybrid") or {}).items())


def _simplify_rows(gold: dict, public: dict) -> list[tuple[str, dict]]:
    rows: list[tuple[str, dict]] = []
    simplify = gold.get("simplify_dense") or {}
    if simplify:
        rows.append(("gold: cross_script", {flag: entry["cross_script"] for flag, entry in simplify.items()}))
        rows.append(("gold: all", {flag: entry["all"] for flag, entry in simplify.items()}))
        for lang in sorted(next(iter(simplify.values()))["by_lang"]):
            rows.append((f"gold: {lang}", {flag: entry["by_lang"][lang] for flag, entry in simplify.items()}))
    return rows + list((public.get("simplify_dense") or {}).items())


def _failure_lines(gold: dict) -> list[str]:
    failures = gold.get("failed_in_all_modes") or []
    if not failures:
        return []
    lines = [f"Gold questions with no correct passage in the top 10 in any mode: {len(failures)}"]
    for failure in failures:
        lines.append(
            f"  {failure['id']} [{failure['group']}, answer {failure['answer_location']}] {failure['question']}"
        )
        lines.append(f"      gold: {failure['file']}: {failure['answer']}")
        top = failure["top_hits"].get("hybrid")
        if top:
            lines.append(f"      hybrid top hit: {top['file']} [{top['section']}] {top['text']}")
    return lines
