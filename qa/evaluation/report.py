"""The printed report of ``qa eval``: one table per evaluation, then the comparisons and the misses.

Every figure is printed for all the questions of a set, then for its tuning and test halves (rows
"all", "tune", "test"; the halves are drawn in :func:`qa.evaluation.datasets.split_halves`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from qa.evaluation.datasets import HALVES
from qa.evaluation.runner import MODES

COLUMNS = ("n", "recall@1", "recall@5", "recall@10", "mrr@10")
HEADERS = ("n", "R@1", "R@5", "R@10", "MRR@10")
HALF = 4  # width of the half column ("all", "tune", "test")


def _row(labels: Sequence[str], summary: dict, widths: Sequence[int]) -> str:
    cells = [label.ljust(width) for label, width in zip(labels, widths, strict=True)]
    cells.append(str(summary["n"]).rjust(5))
    cells.extend((f"{summary[column]:.3f}" if summary["n"] else "-").rjust(7) for column in COLUMNS[1:])
    return "  ".join(cells)


def _pick(source: dict, kind: str | None, key: str = "by_kind") -> dict | None:
    return source.get("all") if kind is None else (source.get(key) or {}).get(kind)


def _halves(entry: dict, kind: str | None = None, key: str = "by_kind") -> list[tuple[str, dict]]:
    """("all", figures), then ("tune", ...) and ("test", ...) of an entry with "all", "by_kind" and
    "halves" (only "all" from results written before the split; a kind absent from a half: n 0)."""
    rows = [("all", _pick(entry, kind, key) or {})]
    for half in HALVES if "halves" in entry else ():
        rows.append((half, _pick(entry["halves"].get(half, {}), kind, key) or _EMPTY))
    return rows


def _summary_halves(summary: dict) -> list[tuple[str, dict]]:
    """The same of a summary holding its halves' under "halves" (the public sets' comparisons)."""
    return [("all", summary)] + [(half, summary["halves"][half]["all"]) for half in HALVES if "halves" in summary]


_EMPTY = {"n": 0, **{column: 0.0 for column in COLUMNS[1:]}}


def _kind_mode_rows(modes: dict, widths: Sequence[int]) -> list[str]:
    """One row per kind, mode and half of {mode: {"all", "by_kind", "halves"}}."""
    lines = [_header(("kind", "mode", "half"), widths)]
    for kind in ["all", *sorted(modes["hybrid"]["by_kind"])]:
        for mode_number, mode in enumerate(MODES):
            for half_number, (half, summary) in enumerate(_halves(modes[mode], None if kind == "all" else kind)):
                first = half_number == 0
                labels = (kind if mode_number == 0 and first else "", mode if first else "", half)
                lines.append(_row(labels, summary, widths))
    return lines


def _header(labels: Sequence[str], widths: Sequence[int]) -> str:
    cells = [label.ljust(width) for label, width in zip(labels, widths, strict=True)]
    cells.append(HEADERS[0].rjust(5))
    cells.extend(header.rjust(7) for header in HEADERS[1:])
    line = "  ".join(cells)
    return f"{line}\n{'-' * len(line)}"


def archive_lines(archive: dict | None) -> list[str]:
    from qa.evaluation.archive import archive_lines as lines

    return lines(archive)


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
        _meaning_lines(results.get("meaning")),
        archive_lines(results.get("archive")),
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
    lines.append("")
    lines.extend(_kind_mode_rows(gold["modes"], (13, 8, HALF)))
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
    widths = (9, 8, HALF)
    lines.append("")
    lines.append(_header(("set", "mode", "half"), widths))
    for name, entry in public["sets"].items():
        for mode in MODES:
            for number, (half, summary) in enumerate(_halves(entry["modes"][mode])):
                labels = (name if mode == MODES[0] and number == 0 else "", mode if number == 0 else "", half)
                lines.append(_row(labels, summary, widths))
    return lines


COMPARISON_WIDTHS = (20, 9, HALF)


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
        lines.extend([title, _header(("questions", variant, "half"), COMPARISON_WIDTHS)])
        for label, variants in rows:
            for number, (name, halves) in enumerate(variants.items()):
                for half_number, (half, summary) in enumerate(halves):
                    first = half_number == 0
                    labels = (label if number == 0 and first else "", name if first else "", half)
                    lines.append(_row(labels, summary, COMPARISON_WIDTHS))
    return lines


Variants = dict[str, list[tuple[str, dict]]]  # variant -> [("all", figures), ("tune", ...), ("test", ...)]


def _by_kind_rows(
    entries: dict[str, dict], kinds: str = "by_kind", first: Sequence[str] = ()
) -> list[tuple[str, Variants]]:
    """Rows 'gold: all' and 'gold: KIND' from {variant: {"all": ..., "by_kind": {...}, "halves": ...}}
    (``first``: keys of the entries printed before "all", as "cross_script")."""
    if not entries:
        return []
    rows = [(f"gold: {key}", {name: [(half, summary[key]) for half, summary in _halves_whole(entry)]
                              for name, entry in entries.items()}) for key in first]  # fmt: skip
    rows.append(("gold: all", {name: _halves(entry, None, kinds) for name, entry in entries.items()}))
    for kind in sorted(next(iter(entries.values()))[kinds]):
        rows.append((f"gold: {kind}", {name: _halves(entry, kind, kinds) for name, entry in entries.items()}))
    return rows


def _halves_whole(entry: dict) -> list[tuple[str, dict]]:
    """("all", entry), ("tune", entry's tune half), ...: for keys other than "all" and the kinds."""
    return [("all", entry)] + [(half, entry["halves"][half]) for half in HALVES if "halves" in entry]


def _public_rows(entries: dict[str, dict]) -> list[tuple[str, Variants]]:
    return [(name, {variant: _summary_halves(summary) for variant, summary in variants.items()})
            for name, variants in entries.items()]  # fmt: skip


def _tokenizer_rows(gold: dict, public: dict) -> list[tuple[str, Variants]]:
    return _by_kind_rows(gold.get("tokenizer_lexical") or {}) + _public_rows(public.get("tokenizer_lexical") or {})


def _fusion_rows(gold: dict, public: dict) -> list[tuple[str, Variants]]:
    return _by_kind_rows(gold.get("fusion_hybrid") or {}) + _public_rows(public.get("fusion_hybrid") or {})


def _simplify_rows(gold: dict, public: dict) -> list[tuple[str, Variants]]:
    rows = _by_kind_rows(gold.get("simplify_dense") or {}, "by_lang", first=("cross_script",))
    return rows + _public_rows(public.get("simplify_dense") or {})


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
    lines.append(f"{'set / kind':<24}{'half':<6}{'n':>5}{'holds gold':>12}{'answered':>10}")
    for name, answers in rows:
        for kind in [None, *answers["by_kind"]]:
            for number, (half, entry) in enumerate(_halves(answers, kind)):
                label = (f"{name}: all" if kind is None else f"  {kind}") if number == 0 else ""
                lines.append(f"{label:<24}{half:<6}{entry.get('n', 0):>5}"
                             + _shares(entry, ("contains_gold", 12), ("answered", 10)))  # fmt: skip
    return lines


def _shares(entry: dict, *columns: tuple[str, int]) -> str:
    """The shares of an entry, right-aligned; "-" for none of its questions."""
    return "".join((f"{entry[name]:.3f}" if entry.get("n") else "-").rjust(width) for name, width in columns)


def _national_lines(national: dict | None) -> list[str]:
    if not national:
        return []
    if "skipped" in national:
        return [f"National set: skipped: {national['skipped']}"]
    index = national["index"]
    lines = [f"National set: {national['questions']} questions over {index['documents']} reports "
             f"(national, provincial and samples), {index['chunks']} chunks", ""]  # fmt: skip
    return lines + _kind_mode_rows(national["modes"], (13, 8, HALF))


def _conversation_lines(conversations: dict | None) -> list[str]:
    if not conversations:
        return []
    if "skipped" in conversations:
        return [f"Conversations: skipped: {conversations['skipped']}"]
    widths = (16, HALF)
    lines = [f"Follow-ups: {conversations['conversations']} conversations, the last turn's answer passage in the "
             "answer's passages", "", _header(("kind", "half"), widths)]  # fmt: skip
    for kind in [None, *conversations["by_kind"]]:
        for number, (half, summary) in enumerate(_halves(conversations, kind)):
            lines.append(_row(((kind or "all") if number == 0 else "", half), summary, widths))
    halves = conversations.get("halves", {})
    for half, stated in [("all", conversations["not_stated"])] + [(h, halves[h]["not_stated"]) for h in halves]:
        lines.append(f"not stated ({half}): {stated['right']} of {stated['n']} answered without a passage of "
                     "another report")  # fmt: skip
    return lines


def _table_lines(tables: dict | None) -> list[str]:
    if not tables:
        return []
    if "skipped" in tables:
        return [f"Questions across reports: skipped: {tables['skipped']}"]
    lines = [f"Questions across reports: {tables['questions']} questions, rows checked one by one "
             f"(median {tables['median_seconds']} s, slowest {tables['max_seconds']} s)",
             _table_header()]  # fmt: skip
    return lines + _table_rows(tables)


def _table_header(label: str = "kind") -> str:
    return f"{label:<16}{'half':<6}{'n':>4}{'rows':>7}{'recall':>9}{'precision':>11}{'values':>9}"


def _table_rows(tables: dict, kinds: str = "by_kind") -> list[str]:
    """One row per kind and half of the row-by-row totals (:func:`qa.evaluation.tables.totals_by_kind`)."""
    lines = []
    for kind in [None, *tables[kinds]]:
        for number, (half, entry) in enumerate(_halves(tables, kind, kinds)):
            label = (kind or "all") if number == 0 else ""
            if not entry.get("n"):
                lines.append(f"{label:<16}{half:<6}{0:>4}{'-':>7}{'-':>9}{'-':>11}{'-':>9}")
                continue
            values = f"{entry['values']:.3f}" if entry.get("values_expected", 1) else "-"  # no figure to check
            lines.append(f"{label:<16}{half:<6}{entry['n']:>4}{entry['expected']:>7}{entry['recall']:>9.3f}"
                         f"{entry['precision']:>11.3f}{values:>9}")  # fmt: skip
    return lines


def _pdf_lines(pdf: dict | None) -> list[str]:
    if not pdf:
        return []
    if "skipped" in pdf:
        return [f"Real PDFs: skipped: {pdf['skipped']}"]
    index = pdf["index"]
    widths = (13, 8, HALF)
    lines = [f"Real PDFs: {pdf['questions']} questions over {index['documents']} PDFs ({index['chunks']} chunks), "
             "the passage on the gold page", _header(("set", "mode", "half"), widths)]  # fmt: skip
    any_page = {"all": pdf["hybrid_any_page"], **({"halves": pdf["hybrid_any_page_halves"]}
                                                  if "hybrid_any_page_halves" in pdf else {})}  # fmt: skip
    for label, mode, entry in [*(("pdf" if mode == MODES[0] else "", mode, pdf["modes"][mode]) for mode in MODES),
                               ("  any page", "hybrid", any_page)]:  # fmt: skip
        for number, (half, summary) in enumerate(_halves(entry)):
            lines.append(_row((label if number == 0 else "", mode if number == 0 else "", half), summary, widths))
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


MEANING_COLUMNS = (("answerable", "n", 5), ("recall@1", "R@1", 7), ("recall@5", "R@5", 7),
                   ("holds_gold", "holds", 7), ("answered", "answered", 9))  # fmt: skip


def _meaning_lines(meaning: dict | None) -> list[str]:
    if not meaning:
        return []
    if "skipped" in meaning:
        return [f"Questions in other words: skipped: {meaning['skipped']}"]
    single = meaning["single"]
    lines = [f"Questions in other words: {meaning['questions']} single questions and {meaning['table_questions']} "
             "across reports, over the national, provincial and sample reports",
             "  n: answerable questions; R@k: a passage of the gold report holding the gold string in the hybrid "
             "search's top k; holds: the answer holds it and cites its report;",
             "  false 'not stated': no answer while a gold passage is among the answer's 5 passages; "
             "unanswerable: questions the reports do not answer, and how many got an answer", "",
             f"{'':<16}{'half':<6}" + "".join(header.rjust(width) for _, header, width in MEANING_COLUMNS)
             + f"{'false not stated':>18}{'unanswerable answered':>23}"]  # fmt: skip
    sections = [(None, "by_kind")] + [(key, key) for key in ("by_kind", "by_lang", "by_corpus")]
    for section, key in sections:
        names = [None] if section is None else list(single[key])
        if section is not None:
            lines.append(f"{key.removeprefix('by_')}:")
        for name in names:
            for number, (half, entry) in enumerate(_halves(single, name, key)):
                label = ("all" if name is None else f"  {name}") if number == 0 else ""
                cells = "".join(
                    (str(entry.get(column, 0)) if column == "answerable" else
                     (f"{entry[column]:.3f}" if entry.get("answerable") else "-")).rjust(width)
                    for column, _, width in MEANING_COLUMNS
                )  # fmt: skip
                stated = (f"{entry['false_not_stated']} of {entry['gold_in_answer_passages']}"
                          if entry.get("answerable") else "-")  # fmt: skip
                wrong = (f"{entry['answered_unanswerable']} of {entry['unanswerable']}"
                         if entry.get("unanswerable") else "-")  # fmt: skip
                lines.append(f"{label:<16}{half:<6}{cells}{stated:>18}{wrong:>23}")
    tables = meaning["tables"]
    lines += ["", "Across reports (rows checked one by one, as for the tables set)", _table_header("group")]
    lines += _table_rows(tables)
    lines.append("language:")
    lines += _table_rows(tables, "by_lang")[len(_halves(tables)) :]  # the languages, not "all" again
    return lines
