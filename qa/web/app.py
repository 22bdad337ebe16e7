"""The Gradio page: an Ask tab (chat with cited passages), a Documents tab, and named API endpoints.

One builder per tab; each builder wires its components to :class:`~qa.web.backend.Backend`.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
from collections.abc import Callable
from pathlib import Path

from qa.errors import IndexProblem, QuestionError
from qa.limits import MAX_FILE_BYTES
from qa.progress import Progress, ProgressEvent, ProgressTracker
from qa.questions import StartOver, Years
from qa.readers import SUPPORTED_SUFFIXES
from qa.web import login
from qa.web.backend import ALL, Backend
from qa.web.render import (
    CSS,
    OPEN_SOURCE_JS,
    SCROLL_TO_CITED_JS,
    SCROLL_TO_QUESTION_JS,
    TABLE_COLUMNS,
    TABLE_WIDTHS,
    answer_markdown,
    chart_rows,
    not_stated_html,
    passages_html,
    source_html,
    table_columns,
    table_records,
    unanswered_rows,
    update_message,
)
from qa.web.series import SERIES_CSS, SERIES_JS, series_html

EXAMPLES = [  # the README's: data/ ships the reports that answer them
    "各省2025年经济增长目标分别是多少？",
    "哪些省份提到了人形机器人？",
    "湖南2025年地区生产总值增长目标是多少？",
    "2015年到2024年国内生产总值增长目标分别是多少？",
    "2015年到2023年国内生产总值增长目标和实际增长分别是多少？",
    "湖北处理了多少个违规直播间？",
    "When did a government work report first mention artificial intelligence?",
]
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
DOCUMENT_COLUMNS = [
    "标题 Title", "年份 Year", "级别 Level", "发布机关 Issuer", "地区 Region", "来源 Source", "日期 Date",
    "段落 Chunks", "保留 Kept", "文件 File",
]  # fmt: skip
# Shares of the tab's width (at 1400 px every column fits, long titles and names wrapping in their
# cell); a column without a share here gets DEFAULT_WIDTH.
DOCUMENT_WIDTHS = {
    "标题 Title": "17%", "年份 Year": "5%", "级别 Level": "11%", "发布机关 Issuer": "12%", "地区 Region": "6%",
    "来源 Source": "10%", "日期 Date": "9%", "段落 Chunks": "6%", "保留 Kept": "6%", "文件 File": "18%",
}  # fmt: skip
DEFAULT_WIDTH = "8%"
FAILED_COLUMNS = ["文件 File", "原因 Reason"]


def build_app(backend: Backend):
    import gradio as gr

    with gr.Blocks(title="报告问答 Report QA") as app:
        gr.Markdown("# 报告问答 Report QA\n用中文或英文提问，答案中的每句话都标注来源段落。"
                    "Ask in Chinese or English; every sentence of the answer cites its passage.")  # fmt: skip
        indexing = gr.Markdown(backend.count_index().describe(), elem_id="qa-indexing")
        filters = _ask_tab(gr, backend)
        refresh_lists, lists = _documents_tab(gr, backend, filters)
        _indexing_status(gr, backend, indexing, refresh_lists, lists)
        _api(gr, backend)
        app.load(refresh_lists, None, lists, api_visibility="private")  # a new page shows the index as it is now
    return app


STATUS_EVERY = 2.0  # seconds between two looks at the background indexing while it runs


def _indexing_status(gr, backend: Backend, line, refresh_lists: Callable[[], tuple], lists: list) -> None:
    """The status line under the title: the background indexing's progress (reports indexed, the
    stage with its moving rate, the time left), and once a batch of reports is in, the documents
    table and the filters refreshed; the timer stops when the indexing has finished."""
    timer = gr.Timer(STATUS_EVERY)
    seen = gr.State(-1)  # the batches this page has refreshed its lists after

    def tick(batches_seen: int):
        status = backend.indexing_status()
        fresh = status.batches_done != batches_seen
        keep_polling = gr.Timer(active=status.running)
        return (status.describe(), status.batches_done, keep_polling,
                *(refresh_lists() if fresh else [gr.skip()] * len(lists)))  # fmt: skip

    timer.tick(tick, [seen], [line, seen, timer, *lists], api_visibility="private", show_progress="hidden")


def _ask_tab(gr, backend: Backend) -> list:
    """The chat and the cited passages side by side; under them, for a question across reports, the
    whole table at full width beside its chart and CSV. Returns the filter dropdowns (region, year,
    year to, source, level), which the documents tab refreshes."""
    choices = backend.filter_choices()
    with gr.Tab("问答 Ask"):
        with gr.Row():
            with gr.Column(scale=5):
                chat = gr.Chatbot(show_label=False, height=460, elem_id="qa-chat", autoscroll=False)
                with gr.Row():
                    question = gr.Textbox(
                        label="问题 Question", placeholder="例如：湖北处理了多少个违规直播间？ 追问：那贵州呢？",
                        scale=5, elem_id="qa-question", max_length=2000,
                    )  # fmt: skip
                    send = gr.Button("提问 Ask", variant="primary", scale=1, elem_id="qa-send")
                with gr.Row():
                    new_conversation = gr.Button("新对话 New conversation", size="sm", elem_id="qa-new")
                    export = gr.DownloadButton("导出对话 Export (Markdown)", size="sm", visible=False,
                                               elem_id="qa-export")  # fmt: skip
                with gr.Accordion("筛选 Filters: 地区、级别、年份、来源、段落数 region, level, years, source, passages",
                                  open=False, elem_id="qa-filters"):  # fmt: skip
                    with gr.Row():
                        k = gr.Slider(1, 10, value=5, step=1, label="段落数 Passages")
                        region = gr.Dropdown(choices["region"], value=ALL, label="地区 Region", elem_id="qa-region")
                        level = gr.Dropdown(choices["level"], value=ALL, label="级别 Level")
                    with gr.Row():
                        year = gr.Dropdown(choices["year"], value=ALL, label="年份 Year (from)")
                        year_to = gr.Dropdown(choices["year"], value=ALL, label="至 to")
                        filters_source = gr.Dropdown(choices["source"], value=ALL, label="来源 Source")
                gr.Examples(EXAMPLES, inputs=question, label="示例问题 Example questions")
            with gr.Column(scale=5), gr.Tabs(elem_id="qa-right") as right:
                with gr.Tab("引用段落 Passages", id="passages"):
                    passages = gr.HTML(passages_html(None), elem_id="qa-passages")
                with gr.Tab("原文 Source", id="source"):
                    source = gr.HTML(source_html(None), elem_id="qa-source")
                    original = gr.DownloadButton("下载原文件 Download the original", size="sm", visible=False,
                                                 elem_id="qa-original")  # fmt: skip
        with gr.Row(visible=False, elem_id="qa-table-panel") as table_panel:
            with gr.Column(scale=6):
                series = gr.HTML("", visible=False, elem_id="qa-series-panel")  # over the years (qa.web.series)
                table = gr.Dataframe(
                    headers=TABLE_COLUMNS, interactive=False, wrap=True, elem_id="qa-table", max_height=1200,
                    column_widths=list(TABLE_WIDTHS.values()), show_search="search",
                    label="表 Table: 点击一行查看原文 click a row to open its passage in the report",
                )  # fmt: skip
                unstated = gr.HTML("", elem_id="qa-table-unstated")
            with gr.Column(scale=4):
                table_csv = gr.DownloadButton("下载 CSV / Download CSV", size="sm", elem_id="qa-csv")
                bars = gr.BarPlot(x="label", y="value", sort="-y", tooltip=["label", "figure", "cite"], visible=False,
                                  x_title="", y_title="", height=520, x_label_angle=-60, elem_id="qa-bars",
                                  label="图 Chart")  # fmt: skip
                line = gr.LinePlot(x="label", y="value", tooltip=["label", "figure", "cite"], visible=False,
                                   x_title="年份 Year", y_title="", height=360, elem_id="qa-line",
                                   label="图 Chart")  # fmt: skip
        open_chunk = gr.Textbox(elem_id="qa-open-chunk", show_label=False, container=False)
        open_go = gr.Button("open", elem_id="qa-open-go")
    questions = gr.State([])  # the questions asked so far, which a follow-up is understood against
    answers = gr.State([])  # the answers, for the export; the last one's rows are the table's
    table_outputs = [table_panel, series, table, unstated, table_csv, bars, line]

    def table_updates(result, owner: str = ""):
        """The table panel for an answer across reports (its rows, the unstated ones, the CSV and the
        chart) or over the years (the chart of a target question or a term's mentions, and the CSV),
        hidden for any other answer."""
        if result is None or not (result.rows or result.over_time):
            return gr.update(visible=False), _series(None), gr.skip(), gr.skip(), gr.skip(), *_charts(None)
        csv = gr.update(value=str(backend.export_csv(result, owner)))
        if result.over_time:
            return (gr.update(visible=True), _series(result), gr.update(visible=False), "", csv,
                    *_charts(None))  # fmt: skip
        missing = unanswered_rows(result)
        import pandas as pd  # Gradio's own dependency

        headers, widths = table_columns(result)
        rows = pd.DataFrame(table_records(result), columns=headers)
        return (gr.update(visible=True), _series(None), gr.update(value=rows, column_widths=widths, visible=True),
                not_stated_html(missing) if missing else "", csv, *_charts(result))  # fmt: skip

    def respond(message, history, asked, answered, k_value, region_value, year_value, source_value, level_value,
                to_value, request=None):  # fmt: skip
        owner = getattr(request, "session_hash", None) or ""  # this page's exports replace its last ones
        history, asked, answered = list(history or []), list(asked or []), list(answered or [])
        message = (message or "").strip()
        if not message:
            return history, gr.skip(), "", asked, answered, gr.skip(), gr.skip(), *[gr.skip()] * len(table_outputs)
        user = {"role": "user", "content": html.escape(message)}
        shown = gr.Tabs(selected="passages")  # a new answer shows its passages
        try:
            result = backend.ask(message, k_value, region_value, year_value, source_value, history=asked,
                                 level=level_value, year_to=to_value)  # fmt: skip
        except (QuestionError, IndexProblem) as error:
            said = str(error)
            if isinstance(error, IndexProblem) and backend.indexing_status().running:  # the first reports are coming
                said = f"{said}\n\n{backend.indexing_status().describe()}"
            history += [user, {"role": "assistant", "content": html.escape(said)}]
            return history, passages_html(None), "", asked, answered, gr.skip(), shown, *table_updates(None)
        history += [user, {"role": "assistant", "content": answer_markdown(result)}]
        if isinstance(result.kind, StartOver):
            return history, passages_html(None), "", [], [], gr.update(visible=False), shown, *table_updates(None)
        asked, answered = [*asked, message], [*answered, result]
        export_button = gr.update(value=str(backend.export_conversation(answered, owner)), visible=True)
        return history, passages_html(result), "", asked, answered, export_button, shown, *table_updates(result, owner)

    def _series(result):
        """The chart over the years of a target question or a term's mentions, else hidden."""
        panel = series_html(result) if result is not None else ""
        return gr.update(value=panel, visible=bool(panel))

    respond.__annotations__["request"] = gr.Request  # resolved here: gradio is imported inside build_app

    def _charts(result):
        """The bar chart (regions) or line chart (years) beside a table of figures, else neither."""
        points = chart_rows(result) if result is not None and not result.over_time else []
        if not points:
            return gr.update(visible=False), gr.update(visible=False)
        import pandas as pd  # Gradio's own dependency, which its plots take

        frame = pd.DataFrame(points)
        title = points[0]["unit"]
        limits = [0, max(point["value"] for point in points) * 1.1]  # bars from zero, or small gaps look large
        if isinstance(result.kind, Years):
            return gr.update(visible=False), gr.update(value=frame, visible=True, y_title=title, y_lim=limits)
        return gr.update(value=frame, visible=True, y_title=title, y_lim=limits), gr.update(visible=False)

    def start_over():
        return [], passages_html(None), "", [], [], gr.update(visible=False), gr.Tabs(selected="passages"), *(
            table_updates(None))  # fmt: skip

    ask_inputs = [question, chat, questions, answers, k, region, year, filters_source, level, year_to]
    ask_outputs = [chat, passages, question, questions, answers, export, right, *table_outputs]
    for asked_by in (send.click, question.submit):
        asked_by(respond, ask_inputs, ask_outputs, api_visibility="private").then(
            None, None, None, js=SCROLL_TO_QUESTION_JS
        )
    new_conversation.click(start_over, None, ask_outputs, api_visibility="private")

    def open_source(chunk_id):
        try:
            found = backend.source(chunk_id)
        except (QuestionError, IndexProblem) as error:
            return source_html(None, str(error)), gr.Tabs(selected="source"), gr.update(visible=False)
        download = gr.update(visible=False)
        with contextlib.suppress(QuestionError):  # the report was indexed from elsewhere, or removed since
            download = gr.update(value=str(backend.original(found.citation.file)), visible=True)
        return source_html(found), gr.Tabs(selected="source"), download

    def open_row(answered, event=None):
        """A click on a row of the table opens its passage: the whole sentence, in its report."""
        result = answered[-1] if answered else None
        marker = _marker_of(getattr(event, "row_value", None))
        if result is None or marker is None or not 1 <= marker <= len(result.hits):
            return gr.skip(), gr.skip(), gr.skip()
        return open_source(result.hits[marker - 1].chunk_id)

    open_row.__annotations__["event"] = gr.SelectData  # resolved here, as respond's request

    open_go.click(open_source, [open_chunk], [source, right, original], api_visibility="private").then(
        None, None, None, js=SCROLL_TO_CITED_JS
    )
    table.select(open_row, [answers], [source, right, original], api_visibility="private").then(
        None, None, None, js=SCROLL_TO_CITED_JS
    )
    return [region, year, year_to, filters_source, level]


def _marker_of(row: list | None) -> int | None:
    """The citation marker of a table row as shown ("[12]" in its cite column)."""
    for cell in row or []:
        match = re.fullmatch(r"\[(\d+)\]", str(cell).strip())
        if match:
            return int(match.group(1))
    return None


def _documents_tab(gr, backend: Backend, filters: list) -> tuple[Callable[[], tuple], list]:
    """The documents, the files that failed, uploads and removal; returns what refreshes its lists
    and the filters (after an update, on a page load: the index as it is then), and those components."""
    with gr.Tab("文档 Documents"):
        status = gr.Markdown("", elem_id="qa-status")
        table = gr.Dataframe(
            headers=DOCUMENT_COLUMNS,
            value=backend.documents(), interactive=False, wrap=True, elem_id="qa-documents",
            column_widths=[DOCUMENT_WIDTHS.get(header, DEFAULT_WIDTH) for header in DOCUMENT_COLUMNS],
        )  # fmt: skip
        failed = gr.Dataframe(
            headers=FAILED_COLUMNS, value=backend.failed_files(), interactive=False, wrap=True,
            label="未能读取的文件 Files that could not be read (not indexed; remove or replace them)",
            elem_id="qa-failed", visible=bool(backend.failed_files()),
        )  # fmt: skip
        with gr.Row():
            uploads = gr.File(
                label=f"上传报告 Upload reports ({' '.join(SUPPORTED_SUFFIXES)})", file_count="multiple",
                file_types=list(SUPPORTED_SUFFIXES), elem_id="qa-upload",
            )  # fmt: skip
            with gr.Column():
                upload_button = gr.Button("上传并更新索引 Upload and index", variant="primary", elem_id="qa-upload-go")
                refresh_button = gr.Button("同步 data/ 更新索引 Update index from data/", elem_id="qa-refresh")
                remove_choice = gr.Dropdown(backend.removable(), label="删除报告 Remove a report", elem_id="qa-remove")
                remove_button = gr.Button("删除 Remove", variant="stop")

    def after_update(message: str | None):
        rows = backend.documents()
        fresh = backend.filter_choices()
        broken = backend.failed_files()
        return (
            gr.skip() if message is None else message,
            gr.update(value=rows),
            gr.update(value=broken, visible=bool(broken)),
            gr.update(choices=backend.removable(), value=None),
            gr.update(choices=fresh["region"]),
            gr.update(choices=fresh["year"]),
            gr.update(choices=fresh["year"]),
            gr.update(choices=fresh["source"]),
            gr.update(choices=fresh["level"]),
        )

    def refresh_lists() -> tuple:
        return after_update(None)[1:]

    refreshed = [status, table, failed, remove_choice, *filters]

    def do_upload(files, progress=gr.Progress()):  # noqa: B008 (how Gradio injects progress)
        if not files:
            return after_update("请先选择文件 Choose files first")
        summary, messages = backend.upload_and_update([getattr(f, "name", f) for f in files], gradio_progress(progress))
        return after_update(update_message(summary, messages))

    def do_refresh(progress=gr.Progress()):  # noqa: B008
        return after_update(update_message(backend.update(gradio_progress(progress)), []))

    def do_remove(name):
        return after_update(backend.remove(name))

    upload_button.click(do_upload, [uploads], refreshed, api_visibility="private")
    refresh_button.click(do_refresh, None, refreshed, api_visibility="private")
    remove_button.click(do_remove, [remove_choice], refreshed, api_visibility="private")
    return refresh_lists, refreshed[1:]


def _api(gr, backend: Backend) -> None:
    def ask_api(
        question: str, k: int = 5, region: str = "", year: str = "", source: str = "", history: list | None = None,
        level: str = "",
    ) -> dict:  # fmt: skip
        """Answer a question: the answer with [n] markers, the cited passages, and for a question
        across reports the rows; ``history`` holds the previous questions of the conversation, and
        ``resolved_question`` says how a follow-up was understood."""
        try:
            if history is not None and not isinstance(history, list):
                raise QuestionError("history: give the earlier questions as a list of strings, oldest first")
            return backend.ask(question, k, region, year, source, history=list(history or []), level=level).to_dict()
        except (QuestionError, IndexProblem) as error:
            return {"question": question, "resolved_question": question, "kind": "single", "found": False,
                    "answer": str(error), "sentences": [], "rows": [], "hits": [], "error": str(error)}  # fmt: skip

    def documents_api() -> list[dict]:
        """The indexed reports."""
        keys = ["title", "year", "level", "issuer", "region", "source", "date", "chunks", "kept", "file"]
        return [dict(zip(keys, row, strict=True)) for row in backend.documents()]

    def update_api() -> dict:
        """Bring the index up to date with the data folder."""
        return backend.update().to_dict()

    def indexing_api() -> dict:
        """How far the background indexing is: reports indexed of those in the data folder, the stage
        under way with its rate and time left, and the time left for all of them."""
        return backend.indexing_status().to_dict()

    def source_api(chunk_id: int | None = None, file: str = "") -> dict:
        """A cited passage in its report: the whole cleaned text, the passage's span (start, end),
        section path, pages and metadata. Give the chunk_id of a hit, or the file of an indexed
        report; any other file, or a path with '..', is refused."""
        try:
            found = backend.source(chunk_id) if chunk_id is not None else backend.source_of_file(file)
        except (QuestionError, IndexProblem) as error:
            return {"error": str(error)}
        return found.to_dict()

    from qa.web import mcp

    gr.api(_briefly(ask_api), api_name="ask")
    gr.api(_briefly(source_api), api_name="source")
    gr.api(_briefly(documents_api), api_name="documents")
    gr.api(_briefly(update_api), api_name="update", concurrency_limit=1)
    gr.api(_briefly(indexing_api), api_name="indexing", queue=False)
    mcp.register(gr, backend)  # the assistants' tools; launch() keeps the MCP server to these four


def _briefly(function: Callable) -> Callable:
    """An endpoint whose failures reach the caller as a message: its own (a bad argument, an index
    to update), or "internal error (...)" with the details in the server log; never {"error": null}."""
    import functools

    from qa.web.mcp import _tool_errors

    @functools.wraps(function)
    def endpoint(*args, **kwargs):
        with _tool_errors():
            return function(*args, **kwargs)

    return endpoint


def gradio_progress(progress) -> Progress:
    """Index progress on Gradio's bar, with the rate and the time left."""

    def render(event: ProgressEvent) -> None:
        progress((event.done, event.total), desc=event.describe())

    tracker = ProgressTracker(render)

    def report(stage: str, done: int, total: int) -> None:
        if total:
            tracker(stage, done, total)

    return report


def launch(
    *,
    data_dir: Path | str = "data",
    index_dir: Path | str = "index",
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: str | None = None,
    mcp: bool = True,
    block: bool = True,
):
    """Serve the UI at once and, unless ``mcp`` is False, the MCP endpoint for AI assistants beside it
    (behind the same login when there is one); the reports of ``data_dir`` the index does not hold
    yet are indexed in the background, a few at a time, with the progress on the page."""
    from qa.runtime import tune_for_questions

    tune_for_questions()
    credentials = login.credentials(auth, os.environ)  # from --auth, $QA_PASSWORD, a file or $QA_AUTH
    if host not in LOCAL_HOSTS and credentials is None:
        raise IndexProblem(
            f"refusing to listen on {host} without a login: add --auth USER:PASSWORD (see README, 'Sharing the UI')"
        )
    import gradio as gr
    from gradio.utils import get_upload_folder

    # Files to download go where Gradio serves them without copying each one again (bounded there);
    # the index is built in the background once the page is up (Backend.index_in_background).
    backend = Backend(data_dir, index_dir, downloads=Path(get_upload_folder()) / f"report-qa-{os.getpid()}")
    app = build_app(backend)
    app.queue(default_concurrency_limit=8)

    mcp = mcp and _mcp_installed()
    # show_error: a bad argument over plain HTTP (k="abc", a missing one) gets its message, not
    # {"error": null}; every handler turns what is not the caller's doing into a brief message.
    app.launch(
        server_name=host, server_port=port, auth=credentials, prevent_thread_lock=True, css=CSS + SERIES_CSS,
        theme=gr.themes.Soft(), max_file_size=MAX_FILE_BYTES, show_error=True, head=OPEN_SOURCE_JS + SERIES_JS,
        mcp_server=mcp, app_kwargs=_login_guards(credentials, mcp),
    )  # fmt: skip
    if mcp:
        from qa.web.mcp import only_tools

        only_tools(app)
        print(_mcp_banner(app.local_url, host, credentials), flush=True)
    backend.index_in_background()
    print(f"索引 Index: {index_dir}; 新报告在后台建立索引，进度见页面 reports of {data_dir} not indexed yet are "
          "indexed in the background, with the progress on the page", flush=True)  # fmt: skip
    if block:
        app.block_thread()
    return app


def _mcp_installed() -> bool:
    import importlib.util

    if importlib.util.find_spec("mcp") is None:
        print("MCP 工具未启用 MCP tools off: the mcp package is missing (.venv/bin/pip install 'gradio[mcp]>=6.0,<7')")
        return False
    return True


def _login_guards(credentials: tuple[str, str] | None, mcp: bool) -> dict | None:
    """Failed logins throttled per address on the login form and the MCP endpoint, one count for
    both; and, since Gradio leaves its MCP endpoint open even when the app has a login, the same
    login asked for there."""
    if credentials is None:
        return None
    from starlette.middleware import Middleware

    throttle = login.LoginThrottle()
    guards = [Middleware(login.ThrottledLogin, throttle=throttle)]
    if mcp:
        from qa.web.mcp import McpLogin

        guards.append(Middleware(McpLogin, username=credentials[0], password=credentials[1], throttle=throttle))
    return {"middleware": guards}


def _mcp_banner(local_url: str, host: str, credentials: tuple[str, str] | None) -> str:
    from qa.web.mcp import MCP_PATH, TOOL_NAMES

    base = local_url.rstrip("/")
    if host not in LOCAL_HOSTS:  # local_url names localhost; colleagues use this machine's address
        base = re.sub(r"://[^:/]+", "://<this machine's address>", base, count=1)
    login = ("; login: HTTP Basic with the --auth user and password (header 'Authorization: Basic ...')"
             if credentials else "")  # fmt: skip
    return (f"MCP 工具 tools for AI assistants ({', '.join(TOOL_NAMES)}): {base}{MCP_PATH}/ (streamable HTTP; "
            f"SSE: {base}{MCP_PATH}/sse){login}; --no-mcp turns it off")  # fmt: skip
