"""How the ``qa`` command prints documents, index summaries, answers, passages and the index."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections import Counter

BOLD = ("\033[1m", "\033[0m")  # the figure asked for, on a terminal


def print_json(payload: object) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1))


def chunked_json(name: str, document, chunks, described: dict[str, object]) -> dict[str, object]:
    return {
        "document": {**document.metadata(), **described},
        "chunks": [
            {
                "id": f"{name}#{chunk.index}",
                "section": list(chunk.section),
                "start": chunk.start,
                "end": chunk.end,
                "page": chunk.page,
                "page_end": chunk.page_end,
                "text": chunk.text,
            }
            for chunk in chunks
        ],
    }


def print_document(document, chunks, described: dict[str, object]) -> None:
    metadata = {**document.metadata(), **described}
    for key in ("title", "year", "level", "issuer", "region", "date", "source", "path", "sha256"):
        print(f"{key:>8}: {metadata.get(key) or '-'}")
    for key in ("subtitle", "speaker"):
        if metadata.get(key):
            print(f"{key:>8}: {metadata[key]}")
    if document.credits:
        print(f" credits: {'; '.join(document.credits)}")
    if document.retention is not None:
        print(f"    kept: {document.retention.summary()}")
    if document.removed:
        print(f" removed: {len(document.removed)} lines, each with why it is not body text")
        for line in document.removed:
            page = f"p. {line.page}: " if line.page is not None else ""
            print(f"          - {page}{line.text[:60]}  ({line.reason})")
    print(f"  chunks: {len(chunks)}\n")
    for chunk in chunks:
        pages = "" if chunk.page is None else f"  p. {chunk.page}" + (f"-{chunk.page_end}" if chunk.page_end else "")
        print(f"[{chunk.index}] {' > '.join(chunk.section[1:]) or '(before the first heading)'}")
        print(f"    {chunk.start}-{chunk.end}{pages}")
        for line in chunk.text.split("\n"):
            print(f"    {line}")
        print()


def width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for a wide (CJK) character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def padded(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns (CJK characters count two)."""
    return text + " " * max(0, columns - width(text))


def print_summary(summary) -> None:
    embedded, seconds = summary.chunks_embedded, summary.seconds
    rate = f" ({embedded / seconds:.1f} chunks/s)" if embedded and seconds else ""
    print(
        f"added {len(summary.added)}, changed {len(summary.changed)}, removed {len(summary.removed)}, "
        f"unchanged {len(summary.unchanged)} documents; {summary.chunks_embedded} chunks embedded, "
        f"{summary.chunks_total} in the index; {summary.seconds:.1f} s{rate}"
    )
    for kind in ("added", "changed", "removed"):
        for name in getattr(summary, kind):
            print(f"  {kind}: {name}")
    low = {name: kept for name, kept in summary.retention.items() if kept["low"]}
    if low:
        print(f"{len(low)} files keep under 95% of the characters read (qa chunk FILE lists what was removed):")
        for name, kept in sorted(low.items()):
            reasons = ", ".join(f"{reason} {count}" for reason, count in kept["removed_by_reason"].items())
            removed = f"{kept['chars_removed']:,} of {kept['chars_read']:,} characters removed, in lines of {reasons}"
            print(f"  kept {kept['kept_share']:.1%}: {name} ({removed})")
    if summary.skipped:
        print(f"{len(summary.skipped)} files could not be indexed:")
        for item in summary.skipped:
            print(f"  skipped: {item['file']}: {item['reason']}")


def print_hit(number: int, hit) -> None:
    citation = hit.citation
    print(f"[{number}] {citation.title}")
    print(f"    section: {' > '.join(citation.section[1:]) or '-'}")
    ocr = f"OCR 识别 {citation.ocr_confidence:.2f}" if citation.ocr else ""  # read from a scan: check the original
    parts = (citation.pages(), citation.date, citation.source, citation.region, ocr)
    where = " · ".join(part for part in parts if part)
    print(f"    {where or '-'} · {citation.file} [{citation.start}:{citation.end}]")
    for line in hit.text.split("\n"):
        print(f"    {line}")
    print()


def print_hits(hits, filtered: bool = False) -> None:
    if not hits:
        print("No passage found" + (" (check the filters)." if filtered else "."))
    for number, hit in enumerate(hits, start=1):
        print_hit(number, hit)


def print_answer(result) -> None:
    if result.resolved_question and result.resolved_question != result.question:
        print(f"按此理解 Understood as: {result.resolved_question}")
    if result.over_time:
        print_over_time(result)
        return
    if result.rows:  # the summary, then the rows (each sentence once), then the citations one a line
        print(result.text.split("\n", 1)[0])
        print()
        print_rows(result.rows)
        for number, hit in enumerate(result.hits, start=1):
            print(f"[{number}] {hit.citation.label()}")
        return
    from qa.compact import quoted_answer

    print(quoted_answer(result, BOLD if sys.stdout.isatty() else ("", "")) if result.found else result.text)
    print()
    if not result.hits and not result.sentences:  # started over, or a follow-up with nothing before it
        return
    cited = {sentence.marker for sentence in result.sentences}
    for number, hit in enumerate(result.hits, start=1):
        if number in cited:
            print_hit(number, hit)
    others = len(result.hits) - len(cited)
    if result.found and others:
        print(f"({others} more passages: qa search shows them all)")
    elif not result.found and not result.rows and result.hits:  # rows that say "not stated" have said it
        from qa.compact import nearest_note

        print(nearest_note(result))
        print()
        print_hits(result.hits)


def print_rows(rows) -> None:
    """A cross-report answer's rows: label, figure, [n] and the quoted sentence or clause, in columns
    aligned by their display width; then the rows that do not state it, by their reason."""
    found = [row for row in rows if row.found]
    labels = max((width(row.label) for row in found), default=0) + 2
    figures = max((width(row.figure.text) + 2 for row in found if row.figure), default=0)  # none: no column
    markers = max((width(f"[{row.marker}]") for row in found), default=0) + 2
    for row in found:
        figure = row.figure.text if row.figure else ""
        print(f"  {padded(row.label, labels)}{padded(figure, figures)}{padded(f'[{row.marker}]', markers)}"
              f"{row.sentence or ''}")  # fmt: skip
    unstated: dict[str, list[str]] = {}
    for row in rows:
        if not row.found:
            unstated.setdefault(row.note or "未提及 not stated", []).append(row.label)
    for note, labels_of in unstated.items():
        print(f"  {note} ({len(labels_of)}): {'、'.join(labels_of)}")
    print()


def print_over_time(result) -> None:
    """A target against its result (a table: year, target, result, difference, verdict, markers) or
    a term's mentions (the answer, then a line per report that says it), then each citation once."""
    from qa.answer.targets import difference_text
    from qa.answer.verdict import VERDICT_NAMES

    if result.comparisons:
        print(result.text.split("\n", 1)[0])
        print()
        print(f"  {'':<10} {'目标 target':<16} {'实际 result':<16} {'差 diff':<14} 判断 verdict")
        for comparison in result.comparisons:
            pairs = ((comparison.target, comparison.target_note), (comparison.result, comparison.result_note))
            sides = [f"{side.figure.text} [{side.marker}]" if side else (note or "").split(" ")[0]
                     for side, note in pairs]  # fmt: skip
            verdict = VERDICT_NAMES.get(comparison.verdict or "", "-")
            difference = difference_text(comparison)
            print(f"  {comparison.row_label:<10} {sides[0]:<16} {sides[1]:<16} {difference:<14} {verdict}")
    else:
        print(result.text)
        mentions = result.mentions
        if mentions is not None and mentions.mentioning:
            print()
            for report in mentions.mentioning:
                cited = report.mentions[0]
                marker = f"[{cited.marker}]" if cited.marker else ""
                print(f"  {report.year} {report.count:>3} 次 {marker} {cited.sentence[:60]}")
    print()
    quoted: dict[int, list[str]] = {}
    for sentence in result.sentences:
        quoted.setdefault(sentence.marker, []).append(sentence.text)
    for number, hit in enumerate(result.hits, start=1):
        citation = hit.citation
        print(f"[{number}] {citation.title} › {' › '.join(citation.section[1:]) or '-'} · {citation.file}")
        for said in dict.fromkeys(quoted.get(number, [])):
            print(f"    {said}")


def print_stats(location: str, version: str, manifest) -> None:
    encoder = manifest.encoder
    print(f"index: {location} ({version})")
    print(f"format {manifest.format_version}, updated {manifest.updated}")
    print(f"encoder: {encoder.name} ({encoder.dimension} dimensions, {encoder.normalisation}-normalised)")
    print(f"dense: {manifest.dense_type}; lexical: BM25 over {manifest.lexical.tokenizer} tokens")
    chunking = manifest.chunking
    print(f"chunking: at most {chunking.max_tokens} tokens, merged up to {chunking.target_tokens}")
    print(
        f"{len(manifest.documents)} documents, {manifest.chunk_count} chunks "
        f"(dense {manifest.dense_count}, lexical {manifest.lexical_count})"
    )
    print_groups(manifest.documents)


def print_groups(documents) -> None:
    """How many reports of each year, level and region, then the reports by year (newest first), level
    and region, in columns aligned by their display width."""
    entries = list(documents.items())
    years = Counter(entry.shown_year for _name, entry in entries)
    levels = Counter(entry.level or "other" for _name, entry in entries)
    regions = Counter(entry.region or "-" for _name, entry in entries)
    print()
    print("by year:   " + ", ".join(f"{year or '-'} ({count})" for year, count in
                                    sorted(years.items(), key=lambda item: -(item[0] or 0))))  # fmt: skip
    print("by level:  " + ", ".join(f"{level} ({count})" for level, count in levels.most_common()))
    print("by region: " + ", ".join(f"{region} ({count})" for region, count in regions.most_common()))
    order = sorted(entries, key=lambda item: (-(item[1].shown_year or 0), item[1].level or "~", item[1].region or "~",
                                              item[0]))  # fmt: skip
    regions_width = max((width(entry.region or "-") for _name, entry in entries), default=1) + 2
    levels_width = max((width(entry.level or "-") for _name, entry in entries), default=1) + 2
    year = object()
    for name, entry in order:
        if entry.shown_year != year:
            year = entry.shown_year
            print(f"\n{year or 'no year'}")
        said = " · ".join([entry.title, entry.issuer or "-", entry.source or "-", f"{len(entry.chunk_ids)} chunks",
                           name])  # fmt: skip
        print(f"  {padded(entry.level or '-', levels_width)}{padded(entry.region or '-', regions_width)}{said}")
