"""How the ``qa`` command prints documents, index summaries, answers, passages and the index."""

from __future__ import annotations

import json


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


def print_summary(summary) -> None:
    print(
        f"added {len(summary.added)}, changed {len(summary.changed)}, removed {len(summary.removed)}, "
        f"unchanged {len(summary.unchanged)} documents; {summary.chunks_embedded} chunks embedded, "
        f"{summary.chunks_total} in the index; {summary.seconds:.1f} s"
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


def print_hits(hits) -> None:
    if not hits:
        print("No passage found (check the filters).")
    for number, hit in enumerate(hits, start=1):
        print_hit(number, hit)


def print_answer(result) -> None:
    if result.resolved_question and result.resolved_question != result.question:
        print(f"按此理解 Understood as: {result.resolved_question}")
    if result.over_time:
        print_over_time(result)
        return
    print(result.text)
    print()
    if result.rows:
        print_rows(result.rows)
    cited = {sentence.marker for sentence in result.sentences}
    for number, hit in enumerate(result.hits, start=1):
        if number in cited:
            print_hit(number, hit)
    others = len(result.hits) - len(cited)
    if result.found and others:
        print(f"({others} more passages: qa search shows them all)")
    elif not result.found and not result.rows:  # rows that say "not stated" have said it
        print_hits(result.hits)


def print_rows(rows) -> None:
    """A cross-report answer's rows: label, figure, [n] and the report; "not stated" rows too."""
    for row in rows:
        figure = row.figure.text if row.figure else ""
        where = row.title or row.file or ""
        if row.found:
            print(f"  {row.label:<8} {figure:<14} [{row.marker}] {where}")
        else:
            print(f"  {row.label:<8} {row.note or ''}")
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
    for name, entry in manifest.documents.items():
        print(
            f"  {name}: {entry.title} · {entry.shown_year or '-'} · {entry.level or '-'} · {entry.issuer or '-'} · "
            f"{entry.region or '-'} · {entry.source or '-'} · {len(entry.chunk_ids)} chunks"
        )
