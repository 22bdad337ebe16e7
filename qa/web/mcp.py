"""The reports as tools for AI assistants: four Gradio API endpoints that Gradio also serves as MCP
tools (streamable HTTP at ``/gradio_api/mcp/``, SSE at ``/gradio_api/mcp/sse``).

Gradio names a tool after its function and describes it, and each parameter, from the docstring
and the type hints; the docstrings are assembled here (:func:`_describe`) so that the Chinese and
English text stays within the line length. Each tool returns one JSON object as text. A bad
argument raises :class:`ToolError`, which an MCP client receives as an error result
(``isError``) with the message, and a ``gradio_client`` caller as the error's message; the
server keeps serving.

The tools run outside Gradio's queue (``queue=False``): Gradio's MCP server then calls them
directly instead of through an HTTP loopback client, which cannot log in to an app with a login.
Gradio does not apply the app's login to the MCP endpoint at all (an app launched with ``auth=``
lists the tools to anyone, and runs the unqueued ones for anyone), so :class:`McpLogin` asks for
the same user and password there, as HTTP Basic authentication.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import json
import logging
import re
from collections.abc import Iterator

import gradio as gr

from qa.compact import (
    DEFAULT_MAX_ROWS,
    FIELDS,
    MAX_ROWS,
    answer_record,
    checked_fields,
    checked_max_rows,
    search_record,
)
from qa.errors import QaError, QuestionError
from qa.limits import MAX_K
from qa.regions import PROVINCES_EN, provinces_named
from qa.retrieval import Filters
from qa.retrieval.filters import year_range
from qa.text import scrub_surrogates, to_simplified
from qa.web.backend import ALL, Backend
from qa.web.login import LoginThrottle, client_address, refuse_for

MCP_PATH = "/gradio_api/mcp"
TOOL_NAMES = ("search_reports", "ask_reports", "list_reports", "get_source")
DEFAULT_CONTEXT = 800  # characters each side of a passage that get_source shows: about its paragraph's neighbours
MAX_CONTEXT = 20_000  # a whole report is 5k-60k characters; more than this each side is a report, not a context
EMPTY_QUESTION = "the question is empty: type a question, e.g. 湖北处理了多少个违规直播间？"
_SENTENCE_END = re.compile(r"[。！？；!?;]")

log = logging.getLogger(__name__)


class ToolError(gr.Error):
    """A tool call that cannot be answered as asked; the message says why and what to give instead."""

    def __str__(self) -> str:  # gr.Error shows repr(message); an assistant reads the message itself
        return str(self.message)


@contextlib.contextmanager
def _tool_errors() -> Iterator[None]:
    """Errors a caller can act on keep their message; anything else is logged and reported briefly."""
    try:
        yield
    except ToolError:
        raise
    except QaError as error:
        raise ToolError(str(error)) from None
    except Exception as error:
        log.exception("MCP tool failed")
        raise ToolError(f"internal error ({type(error).__name__}); the server log has the details") from None


def register(gr_module, backend: Backend) -> None:
    """Add the four tools as named API endpoints (and so, with ``mcp_server=True``, as MCP tools)."""
    for tool in make_tools(backend):
        gr_module.api(tool, api_name=tool.__name__, queue=False)


INSTRUCTIONS = (
    "report-qa answers questions from the Chinese reports indexed here (government work reports of the provinces "
    "and of the State Council, reviews of 网络文明建设 work, notices) with the reports' own sentences. "
    "Ask in Chinese or English. ask_reports answers a question: quote its answer with the [n] markers and the "
    "cite of passage n; for a question across reports (各省…分别是多少, 哪些省份提到…, 2015年到2024年…) it "
    "returns rows (label, value, unit, qualifier, quote, cite) and names the reports that do not state it "
    "in not_stated. "
    "When found is false, say the reports do not state it; never add a figure no passage states. "
    "For a follow-up (那贵州呢？) pass the earlier questions as history. search_reports returns ranked "
    "passages; list_reports shows the reports, regions and years there are (the values the filters take); "
    "get_source(chunk_id) shows a passage in its report. Ask for less with k, max_rows and fields. "
    "All four tools only read: none changes the index."
)
TITLES = {
    "search_reports": "Search the reports 检索报告",
    "ask_reports": "Answer from the reports 用报告回答",
    "list_reports": "List the reports 报告列表",
    "get_source": "Open a passage in its report 查看原文",
}


def only_tools(app) -> None:
    """Keep Gradio's MCP server to the four tools, marked read-only, with the server's instructions.
    Gradio makes every public API endpoint a tool, and the other named endpoints (/ask, /source,
    /documents, /update, /indexing) stay public for ``gradio_client`` (hidden as "undocumented",
    gradio_client no longer fills in their defaults); updating the index is for the UI, not for an
    assistant."""
    server = getattr(app, "mcp_server_obj", None)
    if server is None:
        return
    prefix = getattr(server, "tool_prefix", "")  # prefixed on a HF Space
    wanted = {prefix + name for name in TOOL_NAMES}
    kept = {name: endpoint for name, endpoint in server.tool_to_endpoint.items() if name in wanted}
    if set(kept) != wanted:
        app.close()
        raise RuntimeError(f"Gradio's MCP server lacks the tools {sorted(wanted - set(kept))}")
    server.tool_to_endpoint = kept
    _annotate(server.mcp_server, prefix)


def _annotate(low_level, prefix: str) -> None:
    """Instructions in the server's answer to ``initialize`` and read-only annotations on every tool.
    Gradio 6 (up to 6.31) has neither a way to set a tool's annotations nor the server's instructions,
    so both are set on the ``mcp`` server object it wraps: its ``instructions`` attribute, and its
    handler of ``tools/list``, whose tools get ``ToolAnnotations``."""
    from mcp import types

    low_level.instructions = INSTRUCTIONS
    listing = low_level.request_handlers[types.ListToolsRequest]

    async def annotated(request):
        result = await listing(request)
        for tool in result.root.tools:
            name = tool.name.removeprefix(prefix)
            tool.annotations = types.ToolAnnotations(title=TITLES.get(name), readOnlyHint=True,
                                                     destructiveHint=False, idempotentHint=True,
                                                     openWorldHint=False)  # fmt: skip
        return result

    low_level.request_handlers[types.ListToolsRequest] = annotated


def make_tools(backend: Backend) -> list:
    def search_reports(
        question: str, k: int = 5, region: str = "", year: int | str = "", source: str = "",
        fields: list[str] | None = None,
    ) -> str:  # fmt: skip
        with _tool_errors():
            _check_question(question)
            chosen = checked_fields(fields)
            retriever = backend.retriever
            filters = _filters(backend, region, year, source)
            hits = retriever.search(question, k=_passages(k), filters=filters)
            result = search_record(question, hits, chosen)
            if not hits:
                result["note"] = "no passage of the reports these filters keep matches the question"
            return _json(result)

    def ask_reports(
        question: str, history: list[str] | None = None, k: int = 5, max_rows: int = DEFAULT_MAX_ROWS,
        fields: list[str] | None = None,
    ) -> str:  # fmt: skip
        with _tool_errors():
            _check_question(question)
            if history is not None and not isinstance(history, list):
                raise ToolError("history: give the earlier questions as a list of strings, oldest first")
            chosen, rows = checked_fields(fields), checked_max_rows(max_rows)
            result = backend.ask(question, k=_passages(k),
                                 history=[item for item in history or [] if isinstance(item, str)])  # fmt: skip
            return _json(answer_record(result, fields=chosen, max_rows=rows))

    def list_reports() -> str:
        with _tool_errors():
            retriever = backend.retriever
            documents = retriever.documents
            reports = [
                {"title": entry.title, "region": entry.region, "year": entry.shown_year, "level": entry.level,
                 "issuer": entry.issuer, "source": entry.source, "date": entry.date, "chunks": len(entry.chunk_ids),
                 "file": name}
                for name, entry in sorted(documents.items(), key=lambda item: (-(item[1].shown_year or 0), item[0]))
            ]  # fmt: skip
            return _json({"count": len(reports), "chunks": sum(report["chunks"] for report in reports),
                          "reports": reports, "filters": retriever.filter_values()})  # fmt: skip

    def get_source(chunk_id: int, context: int = DEFAULT_CONTEXT) -> str:
        with _tool_errors():
            if isinstance(context, bool) or not isinstance(context, int) or not 0 <= context <= MAX_CONTEXT:
                raise ToolError(f"context={context!r}: give 0 to {MAX_CONTEXT} characters each side of the passage")
            found = backend.source(chunk_id)
            text, start, end = found.text, found.start, found.end
            low, high = context_window(text, start, end, context)
            keys = ("year", "level", "issuer", "doc_number")  # title, region, date and source: in the citation
            return _json({
                "chunk_id": found.chunk_id, "citation": found.citation.to_dict(), "cite": found.citation.label(),
                "report": {key: found.metadata.get(key) for key in keys},
                "passage": text[start:end], "before": text[low:start], "after": text[end:high],
                "start": start, "end": end, "window_start": low, "window_end": high, "report_chars": len(text),
                "more_before": low > 0, "more_after": high < len(text),
            })  # fmt: skip

    fields_help = (
        f"可选内容 Optional parts to add to each passage or answer, any of {', '.join(FIELDS)}: text (the "
        "passage as the report has it), citation (title, file, section, date, source, region, page, "
        "start, end, ocr as an object), sentences (the answer's sentences with their offsets), score."
    )
    _describe(
        search_reports,
        "Search the indexed Chinese government reports (government work reports, reviews of 网络文明建设 work) "
        "for the passages that answer a question asked in Chinese (simplified or traditional) or English. "
        "检索已索引的政府报告，返回回答问题的原文段落，每段附可核查的出处。 "
        "Quote a passage with its citation line (cite: title, section, page, date, source); "
        "list_reports shows which regions, years and sources there are; get_source(chunk_id) shows a passage "
        "in its report.",
        {
            "question": "问题 The question, in Chinese or English, e.g. 湖北处理了多少个违规直播间？",
            "k": f"段落数 How many passages to return, 1 to {MAX_K} (default 5).",
            "region": "地区 Only reports about this province, e.g. 湖北 or Hubei (default: every region).",
            "year": "年份 Only reports of this year or range of years, e.g. 2024 or 2015-2024 (default: every year).",
            "source": "来源 Only reports from this publisher, e.g. 湖北日报 (default: every source).",
            "fields": fields_help + " Default: text, score.",
        },
        "JSON {question, passages: [{n (the rank), chunk_id, cite, score, text}]}; text is the passage exactly "
        "as the report has it; cite ends with OCR 识别 when it was read from a scan (check it against the "
        "original).",
    )
    _describe(
        ask_reports,
        "Answer a question from the reports with a short extractive answer: every sentence is quoted from a "
        "report and ends with a marker [n], the passage whose n it is. "
        "用报告原文回答问题，每句话后的 [n] 指向编号为 n 的引用段落。 "
        "A question across reports (哪些省份, 各省, 2019-2024年) gets rows instead, one per report, region or "
        "year that states it, each with its figure, the quoted clause and its citation; not_stated names the others. "
        "A target against its result (2015年到2023年GDP增长目标和实际, 2023年目标完成了吗？) gets comparisons, "
        "each with both sides cited and a verdict; when a term first appeared or how often it came back "
        "(首次出现, 出现了多少次) gets mentions, every report checked with its count. "
        "For a follow-up (那贵州呢？) pass the earlier questions as history. "
        "When found is false the reports do not state the answer: say so instead of guessing.",
        {
            "question": "问题 The question, in Chinese or English, e.g. 湖北处理了多少个违规直播间？",
            "history": "之前的问题 The earlier questions of the conversation, oldest first (default: none).",
            "k": f"段落数 Passages a one-answer question is answered from, 1 to {MAX_K} (default 5).",
            "max_rows": f"行数 Rows of a table to return, 1 to {MAX_ROWS} (default {DEFAULT_MAX_ROWS}); "
            "more_rows counts the ones left out.",
            "fields": fields_help + " Default: text for a one-answer question, none for a table.",
        },
        "JSON {question, understood_as (a follow-up as understood, when it differs), kind (single, which, each, "
        "compare, years, target_result, first_mention, timeline), found, answer, rows: [{label, value, unit, "
        "qualifier, quote, chunk_id, cite}], more_rows, not_stated: [label], passages: [{n, chunk_id, cite, text}] "
        "(the passages of a one-answer question; a table's rows carry their own)}; a target_result also has "
        "comparisons: [{measure, region, year, target, result (each {value, unit, qualifier, text, sentence, "
        "marker, file, year}), difference, verdict (met, missed, not_comparable or null), reason}]; a "
        "first_mention or timeline has mentions: {term, forms, reports_checked, earlier_reports_checked, first, "
        "last, total, counts, reports}.",
    )
    _describe(
        list_reports,
        "List the reports the index holds, newest first: title, region, year, level, issuer, source, date, "
        "number of passages (chunks) and file. 列出已索引的报告：标题、地区、年份、级别、来源、段落数和文件名。 "
        "The region, year and source values are the filters search_reports takes.",
        {},
        "JSON {count, chunks, reports: [{title, region, year, level, issuer, source, date, chunks, file}], "
        "filters: {region, year, source, level}}.",
    )
    _describe(
        get_source,
        "Show a cited passage in its report, to check it or read around it: the passage with the text before "
        "and after it (by default about 800 characters each side, cut at a line or sentence end). "
        "查看引用段落在原报告中的位置和上下文。 "
        f"Ask for more with a larger context (up to {MAX_CONTEXT}); more_before and more_after say whether "
        "the report goes on.",
        {
            "chunk_id": "段落编号 The chunk_id of a passage from search_reports or ask_reports.",
            "context": f"上下文 Characters to show before and after the passage, 0 to {MAX_CONTEXT} "
            f"(default {DEFAULT_CONTEXT}).",
        },
        "JSON {chunk_id, cite, citation, report, passage, before, after, start, end, window_start, window_end, "
        "report_chars, more_before, more_after}; before + passage + after is the report's cleaned text from "
        "window_start to window_end, and the passage is text[start:end].",
    )
    return [search_reports, ask_reports, list_reports, get_source]


def _describe(function, summary: str, parameters: dict[str, str], returns: str) -> None:
    """The docstring Gradio reads: a description, then "Args:" with one line per parameter, then "Returns:"."""
    lines = [summary, ""]
    if parameters:
        lines += ["Args:", *(f"    {name}: {text}" for name, text in parameters.items()), ""]
    function.__doc__ = "\n".join([*lines, "Returns:", f"    {returns}"])


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # no padding: an assistant's context is dear


def _check_question(question: object) -> None:
    if not isinstance(question, str) or not question.strip():
        raise ToolError(EMPTY_QUESTION)


def _passages(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise ToolError(f"k={k!r}: give 1 to {MAX_K} passages")
    return k


def _filters(backend: Backend, region: str, year: int | str, source: str) -> Filters:
    """Filters from the tool's arguments, each checked against what the index holds: a region, year
    or source no report has is an error that lists the values there are, not an empty result."""
    values = backend.retriever.filter_values()
    region, source = (scrub_surrogates(value) if isinstance(value, str) else value for value in (region, source))
    years = _year(scrub_surrogates(year) if isinstance(year, str) else year, values["year"])
    return Filters(region=_region(region, values["region"]), year=years, source=_source(source, values["source"]))


def _region(value: object, known: list[str]) -> str | None:
    text = str(value or "").strip()
    if not text or text == ALL:
        return None
    candidates = [to_simplified(text), PROVINCES_EN.get(text.lower().removesuffix("province").strip()),
                  *provinces_named(text)]  # fmt: skip
    for candidate in candidates:
        for region in known:
            if candidate and (candidate == to_simplified(region) or to_simplified(region) in candidate):
                return region
    raise ToolError(f"region {text!r}: no report of the index is about it; the regions are {_listed(known)}")


def _year(value: object, known: list[str]) -> str | None:
    text = str(value if value is not None else "").strip()
    if not text or text == ALL:
        return None
    try:
        first, last = year_range(text)  # type: ignore[misc]
    except QuestionError as error:
        raise ToolError(str(error)) from None
    if not any(first <= int(year) <= last for year in known):
        raise ToolError(f"year {text}: no report of the index is of that year; the years are {_listed(known)}")
    return text


def _source(value: object, known: list[str]) -> str | None:
    text = str(value or "").strip()
    if not text or text == ALL:
        return None
    if not any(to_simplified(text) in to_simplified(source) for source in known):
        raise ToolError(f"source {text!r}: no report of the index is from it; the sources are {_listed(known)}")
    return text


def _listed(values: list[str]) -> str:
    return ", ".join(values) or "none"


def context_window(text: str, start: int, end: int, context: int) -> tuple[int, int]:
    """``(low, high)`` around ``text[start:end]``, ``context`` characters each side at most, moved in
    to a line break (else a sentence end) in the outer half of each side, so that the window neither
    starts nor ends in the middle of a sentence when it need not."""
    low, high = max(0, start - context), min(len(text), end + context)
    if low > 0:
        outer = text[low : low + (start - low) // 2]
        cut = outer.find("\n")
        if cut == -1:
            match = _SENTENCE_END.search(outer)
            cut = match.start() if match else -1
        if cut != -1:
            low += cut + 1
    if high < len(text):
        offset = end + (high - end + 1) // 2
        outer = text[offset:high]
        cut = outer.rfind("\n")
        if cut == -1:
            ends = list(_SENTENCE_END.finditer(outer))
            cut = ends[-1].end() if ends else -1
        if cut != -1:
            high = offset + cut
    return low, high


class McpLogin:
    """ASGI middleware: requests under ``/gradio_api/mcp`` need the app's login as HTTP Basic
    authentication (``Authorization: Basic base64(user:password)``); without it, a 401 that says so."""

    def __init__(self, app, username: str, password: str, throttle: LoginThrottle | None = None) -> None:
        self.app = app
        self._expected = f"{username}:{password}".encode()
        self._throttle = throttle or LoginThrottle()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith(MCP_PATH):
            client = client_address(scope)
            seconds = self._throttle.wait(client)
            if seconds:  # too many wrong logins from this address: refused even with the right one
                await refuse_for(send, seconds)
                return
            if self._allowed(scope):
                await self.app(scope, receive, send)
                return
            if any(key.lower() == b"authorization" for key, _ in scope.get("headers", [])):
                self._throttle.failed(client)  # a wrong login (a request without one guesses nothing)
            body = (
                b"401: the MCP endpoint needs the app's login (--auth USER:PASSWORD) as HTTP Basic authentication: "
                b"send the header 'Authorization: Basic <base64 of USER:PASSWORD>'.\n"
            )
            await send({"type": "http.response.start", "status": 401, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", b'Basic realm="report-qa MCP", charset="UTF-8"'),
            ]})  # fmt: skip
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)

    def _allowed(self, scope) -> bool:
        values = [value for key, value in scope.get("headers", []) if key.lower() == b"authorization"]
        if len(values) != 1:
            return False
        scheme, _, token = values[0].decode("latin-1").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            given = base64.b64decode(token.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        return hmac.compare_digest(given, self._expected)


def basic_auth_header(username: str, password: str) -> str:
    """The Authorization header value an MCP client sends to an app shared with a login."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
