"""The Gradio page: an Ask tab (chat with cited passages), a Documents tab, and named API endpoints.

One builder per tab; each builder wires its components to :class:`~qa.web.backend.Backend`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from qa.errors import IndexProblem, QuestionError
from qa.limits import MAX_FILE_BYTES
from qa.progress import ProgressEvent, ProgressTracker
from qa.readers import SUPPORTED_SUFFIXES
from qa.store import index_exists
from qa.web.backend import ALL, Backend
from qa.web.render import CSS, answer_markdown, passages_html, update_message

EXAMPLES = [
    "湖北处理了多少个违规直播间？",
    "貴州2022年開展了多少次網絡文明建設活動？",
    "How many online civility activities did Guizhou hold in 2022?",
    "湖北如何建立网络文明建设评估指标体系？",
]
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def build_app(backend: Backend):
    import gradio as gr

    with gr.Blocks(title="报告问答 Report QA") as app:
        gr.Markdown("# 报告问答 Report QA\n用中文或英文提问，答案中的每句话都标注来源段落。"
                    "Ask in Chinese or English; every sentence of the answer cites its passage.")  # fmt: skip
        filters = _ask_tab(gr, backend)
        _documents_tab(gr, backend, filters)
        _api(gr, backend)
    return app


def _ask_tab(gr, backend: Backend) -> list:
    """The chat, the filters and the cited passages; returns the filter dropdowns (region, year,
    source), which the documents tab refreshes after an update."""
    choices = backend.filter_choices()
    with gr.Tab("问答 Ask"), gr.Row():
        with gr.Column(scale=5):
            chat = gr.Chatbot(label="对话 Conversation", height=420, elem_id="qa-chat")
            with gr.Row():
                question = gr.Textbox(
                    label="问题 Question", placeholder="例如：湖北处理了多少个违规直播间？",
                    scale=5, elem_id="qa-question", max_length=2000,
                )  # fmt: skip
                send = gr.Button("提问 Ask", variant="primary", scale=1, elem_id="qa-send")
            with gr.Row():
                k = gr.Slider(1, 10, value=5, step=1, label="段落数 Passages")
                region = gr.Dropdown(choices["region"], value=ALL, label="地区 Region")
                year = gr.Dropdown(choices["year"], value=ALL, label="年份 Year")
                source = gr.Dropdown(choices["source"], value=ALL, label="来源 Source")
            gr.Examples(EXAMPLES, inputs=question, label="示例问题 Example questions")
        with gr.Column(scale=5):
            gr.Markdown("### 引用段落 Cited passages")
            passages = gr.HTML(passages_html(None), elem_id="qa-passages")

    def respond(message, history, k_value, region_value, year_value, source_value):
        history = list(history or [])
        message = (message or "").strip()
        if not message:
            return history, gr.skip(), ""
        try:
            result = backend.ask(message, k_value, region_value, year_value, source_value)
        except (QuestionError, IndexProblem) as error:
            history += [{"role": "user", "content": html.escape(message)},
                        {"role": "assistant", "content": html.escape(str(error))}]  # fmt: skip
            return history, passages_html(None), ""
        history += [{"role": "user", "content": html.escape(message)},
                    {"role": "assistant", "content": answer_markdown(result)}]  # fmt: skip
        return history, passages_html(result), ""

    ask_inputs = [question, chat, k, region, year, source]
    send.click(respond, ask_inputs, [chat, passages, question], api_visibility="private")
    question.submit(respond, ask_inputs, [chat, passages, question], api_visibility="private")
    return [region, year, source]


def _documents_tab(gr, backend: Backend, filters: list) -> None:
    with gr.Tab("文档 Documents"):
        status = gr.Markdown("", elem_id="qa-status")
        table = gr.Dataframe(
            headers=["标题 Title", "日期 Date", "来源 Source", "地区 Region", "段落 Chunks", "文件 File"],
            value=backend.documents(), interactive=False, wrap=True, elem_id="qa-documents",
        )  # fmt: skip
        with gr.Row():
            uploads = gr.File(
                label=f"上传报告 Upload reports ({' '.join(SUPPORTED_SUFFIXES)})", file_count="multiple",
                file_types=list(SUPPORTED_SUFFIXES), elem_id="qa-upload",
            )  # fmt: skip
            with gr.Column():
                upload_button = gr.Button("上传并更新索引 Upload and index", variant="primary", elem_id="qa-upload-go")
                refresh_button = gr.Button("同步 data/ 更新索引 Update index from data/", elem_id="qa-refresh")
                remove_choice = gr.Dropdown([row[5] for row in backend.documents()], label="删除报告 Remove a report")
                remove_button = gr.Button("删除 Remove", variant="stop")

    def after_update(message: str):
        rows = backend.documents()
        fresh = backend.filter_choices()
        return (
            message,
            gr.update(value=rows),
            gr.update(choices=[row[5] for row in rows], value=None),
            gr.update(choices=fresh["region"]),
            gr.update(choices=fresh["year"]),
            gr.update(choices=fresh["source"]),
        )

    refreshed = [status, table, remove_choice, *filters]

    def do_upload(files, progress=gr.Progress()):  # noqa: B008 (how Gradio injects progress)
        if not files:
            return after_update("请先选择文件 Choose files first")
        messages = backend.upload([getattr(f, "name", f) for f in files])
        summary = backend.update(gradio_progress(progress))
        return after_update(update_message(summary, messages))

    def do_refresh(progress=gr.Progress()):  # noqa: B008
        return after_update(update_message(backend.update(gradio_progress(progress)), []))

    def do_remove(name):
        return after_update(backend.remove(name))

    upload_button.click(do_upload, [uploads], refreshed, api_visibility="private")
    refresh_button.click(do_refresh, None, refreshed, api_visibility="private")
    remove_button.click(do_remove, [remove_choice], refreshed, api_visibility="private")


def _api(gr, backend: Backend) -> None:
    def ask_api(question: str, k: int = 5, region: str = "", year: str = "", source: str = "") -> dict:
        """Answer a question: the answer with [n] markers and the cited passages as data."""
        try:
            return backend.ask(question, k, region, year, source).to_dict()
        except (QuestionError, IndexProblem) as error:
            return {"question": question, "found": False, "answer": str(error), "sentences": [], "hits": [],
                    "error": str(error)}  # fmt: skip

    def documents_api() -> list[dict]:
        """The indexed reports."""
        keys = ["title", "date", "source", "region", "chunks", "file"]
        return [dict(zip(keys, row, strict=True)) for row in backend.documents()]

    def update_api() -> dict:
        """Bring the index up to date with the data folder."""
        return backend.update().to_dict()

    gr.api(ask_api, api_name="ask")
    gr.api(documents_api, api_name="documents")
    gr.api(update_api, api_name="update", concurrency_limit=1)


def gradio_progress(progress) -> Callable[[str, int, int], None]:
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
    block: bool = True,
):
    """Build the index on first run (progress in the terminal), then serve the UI."""
    from qa.runtime import tune_for_questions

    tune_for_questions()
    credentials = None
    if auth:
        user, _, password = auth.partition(":")
        if not user or not password:
            raise IndexProblem("--auth needs USER:PASSWORD")
        credentials = (user, password)
    if host not in LOCAL_HOSTS and credentials is None:
        raise IndexProblem(
            f"refusing to listen on {host} without a login: add --auth USER:PASSWORD (see README, 'Sharing the UI')"
        )
    backend = Backend(data_dir, index_dir)
    if not index_exists(index_dir):
        print(f"首次运行：正在从 {data_dir} 建立索引 First run: building the index from {data_dir} ...", flush=True)
        summary = backend.ensure_index(_terminal_progress())
        if summary is not None:
            print(update_message(summary, []).replace("- ", "  "), flush=True)
    app = build_app(backend)
    app.queue(default_concurrency_limit=8)
    import gradio as gr

    app.launch(
        server_name=host, server_port=port, auth=credentials, prevent_thread_lock=not block, css=CSS,
        theme=gr.themes.Soft(), max_file_size=MAX_FILE_BYTES, show_error=False,
    )  # fmt: skip
    return app


def _terminal_progress() -> Callable[[str, int, int], None]:
    from qa.cli.show import TerminalProgress

    return TerminalProgress(enabled=True)
