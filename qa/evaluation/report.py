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
    if public:
        lines.append("")
        lines.extend(_public_lines(public))
    sections = (
        _answer_lines(results),
        _national_lines(results.get("national")),
        _conversation_lines(results.get("conversations")),
        _table_lines(results.get("tables")),
        _pdf_lines(results.get("pdf")),
        _scan_lines(results.get("scans")),
    )
    for section in sections:
        if section:
            lines.append("")
            lines.extend(section)
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
    if not gold:
        return ["Gold set: not run (--sets)"]
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


def _answer_lines(results: dict) -> list[str]:
    """The composed answers: the share whose sentences hold the gold string and cite its report."""
    rows = [
        (label, results[name][key])
        for name, key, label in (("gold", "answers", "gold"), ("gold", "answers_sentence_vectors", "gold, embedded"),
                                 ("national", "answers", "national"))  # fmt: skip
        if key in results.get(name, {})
    ]
    if not rows:
        return []
    lines = ["Answers (the composed answer holds the gold string and cites its report; answered = not 'not found')"]
    lines.append(f"{'set / kind':<24}{'n':>5}{'holds gold':>12}{'answered':>10}")
    for name, answers in rows:
        lines.append(f"{name + ': all':<24}{answers['all']['n']:>5}{answers['all']['contains_gold']:>12.3f}"
                     f"{answers['all']['answered']:>10.3f}")  # fmt: skip
        for kind, entry in answers["by_kind"].items():
            lines.append(f"{'  ' + kind:<24}{entry['n']:>5}{entry['contains_gold']:>12.3f}{entry['answered']:>10.3f}")
    return lines


def _national_lines(national: dict | None) -> list[str]:
    if not national:
        return []
    if "skipped" in national:
        return [f"National set: skipped: {national['skipped']}"]
    index = national["index"]
    widths = (13, 8)
    lines = [f"National set: {national['questions']} questions over {index['documents']} reports "
             f"(national, provincial and samples), {index['chunks']} chunks", "",
             _header(("kind", "mode"), widths)]  # fmt: skip
    for kind in ["all", *sorted(national["modes"]["hybrid"]["by_kind"])]:
        for mode in MODES:
            entry = national["modes"][mode]
            summary = entry["all"] if kind == "all" else entry["by_kind"][kind]
            lines.append(_row((kind if mode == MODES[0] else "", mode), summary, widths))
    return lines


def _conversation_lines(conversations: dict | None) -> list[str]:
    if not conversations:
        return []
    if "skipped" in conversations:
        return [f"Conversations: skipped: {conversations['skipped']}"]
    widths = (16,)
    lines = [f"Follow-ups: {conversations['conversations']} conversations, the last turn's answer passage in the "
             "answer's passages", "", _header(("kind",), widths)]  # fmt: skip
    lines.append(_row(("all",), conversations["all"], widths))
    for kind, summary in conversations["by_kind"].items():
        lines.append(_row((kind,), summary, widths))
    stated = conversations["not_stated"]
    lines.append(f"not stated: {stated['right']} of {stated['n']} answered without a passage of another report")
    return lines


def _table_lines(tables: dict | None) -> list[str]:
    if not tables:
        return []
    if "skipped" in tables:
        return [f"Questions across reports: skipped: {tables['skipped']}"]
    lines = [f"Questions across reports: {tables['questions']} questions, rows checked one by one "
             f"(median {tables['median_seconds']} s, slowest {tables['max_seconds']} s)",
             f"{'kind':<12}{'n':>4}{'rows':>7}{'recall':>9}{'precision':>11}{'values':>9}"]  # fmt: skip
    for kind, entry in [("all", tables["all"]), *tables["by_kind"].items()]:
        lines.append(f"{kind:<12}{entry['n']:>4}{entry['expected']:>7}{entry['recall']:>9.3f}{entry['precision']:>11.3f}"
                     f"{entry['values']:>9.3f}")  # fmt: skip
    return lines


def _pdf_lines(pdf: dict | None) -> list[str]:
    if not pdf:
        return []
    if "skipped" in pdf:
        return [f"Real PDFs: skipped: {pdf['skipped']}"]
    index = pdf["index"]
    widths = (13, 8)
    lines = [f"Real PDFs: {pdf['questions']} questions over {index['documents']} PDFs ({index['chunks']} chunks), "
             "the passage on the gold page", _header(("set", "mode"), widths)]  # fmt: skip
    for mode in MODES:
        lines.append(_row(("pdf" if mode == MODES[0] else "", mode), pdf["modes"][mode]["all"], widths))
    lines.append(_row(("  any page", "hybrid"), pdf["hybrid_any_page"], widths))
    return lines


def _scan_lines(scans: dict | None) -> list[str]:
    if not scans:
        return []
    if "skipped" in scans:
        return [f"Rendered scans: skipped: {scans['skipped']}"]
    text = scans["from_text"]["hybrid"]
    lines = [f"Rendered scans: {len(scans['reports'])} reports typeset in each layout and read by OCR; retention of "
             f"their body, body lines removed, and their {scans['questions']} gold questions (hybrid, on the page "
             f"the answer is typeset on) beside the same over their text (R@5 {text['recall@5']:.3f})"]  # fmt: skip
    for key, entry in scans["layouts"].items():
        kept, hybrid = entry["retention"], entry["modes"]["hybrid"]
        lines.append(f"  {key:<13} {entry['pages']:>4} pages  retention lowest {kept['lowest']:.4f} mean "
                     f"{kept['mean']:.4f}  body lines removed {kept['body_lines_removed']}  R@5 "
                     f"{hybrid['recall@5']:.3f} ({hybrid['recall@5'] - text['recall@5']:+.3f})")  # fmt: skip
    for key, entry in scans.get("decision", {}).items():
        lines.append(f"  decision {key}: last page (of {entry['pages']}) found {entry['last_page_found']}, "
                     f"its question answered at rank {entry['answer_rank']}")  # fmt: skip
    accuracy = scans["ocr_accuracy"]
    lines.append(f"OCR character accuracy on {accuracy['pages']} pages ({accuracy['pages_per_minute']} pages/min): "
                 + "; ".join(f"{name} {entry['mean']} (lowest {entry['min']})"
                             for name, entry in accuracy["by_variant"].items()))  # fmt: skip
    return lines
