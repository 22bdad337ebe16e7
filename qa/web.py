"""The Gradio web UI: chat over the reports with cited passages, and a documents tab.

This is the UI layer: it imports the library, never the reverse. :class:`Backend` holds
everything the page does (ask, list, upload, remove, update) as plain Python so that it can be
tested without a browser; :func:`build_app` lays it out with Gradio.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path

from qa.answer import Answer, answer, question_terms
from qa.indexing import UpdateSummary, content_hash, update_index
from qa.retrieval import Filters, QuestionError, Retriever
from qa.store import IndexFolder, IndexProblem
from qa.text import to_simplified

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
EXAMPLES = [
    "湖北处理了多少个违规直播间？",
    "貴州2022年開展了多少次網絡文明建設活動？",
    "How many online civility activities did Guizhou hold in 2022?",
    "湖北如何建立网络文明建设评估指标体系？",
]
ALL = "全部 All"


class Backend:
    """What the page can do, independent of Gradio."""

    def __init__(self, data_dir: Path | str = "data", index_dir: Path | str = "index") -> None:
        self.data_dir = Path(data_dir)
        self.index_dir = Path(index_dir)
        self._update_lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._retriever_lock = threading.Lock()

    # -- index -----------------------------------------------------------------------------
    def ensure_index(self, progress: Callable[[str, int, int], None] | None = None) -> UpdateSummary | None:
        """Build the index from ``data_dir`` if there is none yet."""
        if IndexFolder(self.index_dir).exists():
            return None
        return self.update(progress)

    def update(self, progress: Callable[[str, int, int], None] | None = None) -> UpdateSummary:
        """Bring the index up to date with ``data_dir``; questions keep using the old one meanwhile."""
        with self._update_lock:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            summary = update_index(self.data_dir, self.index_dir, progress=progress, lock_timeout=600)
        if self._retriever is not None:
            self._retriever.refresh()
        return summary

    @property
    def retriever(self) -> Retriever:
        with self._retriever_lock:
            if self._retriever is None:
                self._retriever = Retriever(self.index_dir)
            else:
                self._retriever.refresh()
            return self._retriever

    # -- questions -------------------------------------------------------------------------
    def ask(self, question: str, k: int = 5, region: str = "", year: str = "", source: str = "") -> Answer:
        filters = Filters(region=_chosen(region), year=_chosen(year), source=_chosen(source))
        return answer(question, retriever=self.retriever, k=max(1, min(int(k or 5), 20)), filters=filters)

    def filter_choices(self) -> dict[str, list[str]]:
        try:
            values = self.retriever.filter_values()
        except IndexProblem:
            values = {"region": [], "year": [], "source": []}
        return {name: [ALL, *options] for name, options in values.items()}

    # -- documents -------------------------------------------------------------------------
    def documents(self) -> list[list[object]]:
        try:
            documents = self.retriever.documents
        except IndexProblem:
            return []
        return [
            [entry["title"], entry.get("date") or "", entry.get("source") or "", entry.get("region") or "",
             len(entry["chunk_ids"]), name]
            for name, entry in sorted(documents.items(), key=lambda item: item[1].get("date") or "", reverse=True)
        ]  # fmt: skip

    def upload(self, paths: list[str | Path]) -> list[str]:
        """Copy uploaded files into ``data_dir``; returns one message per file. Call :meth:`update` after."""
        return [self._store_upload(Path(path)) for path in paths]

    def _store_upload(self, path: Path) -> str:
        name = safe_file_name(path.name)
        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            return f"{path.name}: 不支持的文件类型 unsupported type '{suffix}' (use {', '.join(UPLOAD_SUFFIXES)})"
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            return f"{path.name}: 文件过大 too large ({size >> 20} MB; the limit is {MAX_UPLOAD_BYTES >> 20} MB)"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        digest = content_hash(path)
        target = self.data_dir / name
        for existing in self.data_dir.iterdir():
            if existing.is_file() and existing.stat().st_size == size and content_hash(existing) == digest:
                return f"{name}: 已存在 already in the library as {existing.name}"
        target = _free_name(target)
        temporary = target.with_name(f".{target.name}.uploading")
        shutil.copyfile(path, temporary)
        temporary.replace(target)
        return f"{target.name}: 已上传 uploaded"

    def remove(self, file_name: str) -> str:
        """Delete a report from ``data_dir`` (only a file that is there) and update the index."""
        if not file_name:
            return "请选择要删除的报告 Choose a report to remove"
        target = (self.data_dir / file_name).resolve()
        if self.data_dir.resolve() not in target.parents or not target.is_file():
            return f"{file_name}: 不在资料库中 not in the library"
        target.unlink()
        summary = self.update()
        return f"{file_name}: 已删除 removed ({len(summary.removed)} report removed from the index)"


def _chosen(value: str | None) -> str | None:
    return None if not value or value == ALL else value


def safe_file_name(name: str) -> str:
    """A file name that stays inside the data folder: no folders, no control characters, no
    leading dots; letters of any script (Chinese included), digits, spaces and ``-_.()`` are kept."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1])
    name = "".join(char for char in name if unicodedata.category(char)[0] not in "C")
    name = re.sub(r"[^\w\s\-.()（）【】]", "_", name).strip(" .")
    return name[:120] or "upload"


def _free_name(target: Path) -> Path:
    """``target`` or, if a different file has that name, ``name (2).ext`` and so on: never overwrite."""
    candidate, number = target, 2
    while candidate.exists():
        candidate = target.with_name(f"{target.stem} ({number}){target.suffix}")
        number += 1
    return candidate


# -- rendering (all text escaped) -------------------------------------------------------------


def answer_markdown(result: Answer) -> str:
    """The chat reply: the answer with its markers, then one source line per cited passage."""
    if not result.found:
        return html.escape(result.text)
    lines = [html.escape(result.text), ""]
    cited = sorted({sentence.marker for sentence in result.sentences})
    for marker in cited:
        citation = result.hits[marker - 1].citation
        details = " · ".join(
            html.escape(part)
            for part in (citation.title, " › ".join(citation.section[1:]), citation.date, citation.source)
            if part
        )
        lines.append(f"[{marker}] {details}")
    return "\n\n".join(lines)


def passages_html(result: Answer | None) -> str:
    if result is None:
        return "<div class='qa-empty'>提问后，这里显示引用的原文段落。Cited passages appear here.</div>"
    if not result.hits:
        return "<div class='qa-empty'>没有找到段落（请检查筛选条件）。No passages (check the filters).</div>"
    blocks = []
    for number, hit in enumerate(result.hits, start=1):
        spans = [(s.start, s.end) for s in result.sentences if s.marker == number]
        citation = hit.citation
        section = " › ".join(citation.section[1:]) or "—"
        meta = " · ".join(html.escape(part) for part in (citation.date, citation.source, citation.region) if part)
        cited = " qa-cited" if spans else ""
        blocks.append(
            f"<div class='qa-passage{cited}' id='passage-{number}'>"
            f"<div class='qa-head'><span class='qa-marker'>[{number}]</span> "
            f"<span class='qa-title'>{html.escape(citation.title)}</span></div>"
            f"<div class='qa-section'>{html.escape(section)}</div>"
            f"<div class='qa-meta'>{meta} · <span class='qa-file'>{html.escape(citation.file)}</span></div>"
            f"<div class='qa-text'>{highlight(hit.text, spans, result.question)}</div></div>"
        )
    return "\n".join(blocks)


def highlight(text: str, answer_spans: list[tuple[int, int]], question: str) -> str:
    """Escaped ``text`` with the answering sentences and the question's key terms marked."""
    term_mask = _term_mask(text, question)
    answer_mask = [False] * len(text)
    for start, end in answer_spans:
        for position in range(start, min(end, len(text))):
            answer_mask[position] = True
    out: list[str] = []
    state = (False, False)
    for position, char in enumerate(text):
        new_state = (answer_mask[position], term_mask[position])
        if new_state != state:
            out.append(_close(state) + _open(new_state))
            state = new_state
        out.append("<br>" if char == "\n" else html.escape(char))
    out.append(_close(state))
    return "".join(out)


def _open(state: tuple[bool, bool]) -> str:
    return ("<mark class='qa-answer'>" if state[0] else "") + ("<b class='qa-term'>" if state[1] else "")


def _close(state: tuple[bool, bool]) -> str:
    return ("</b>" if state[1] else "") + ("</mark>" if state[0] else "")


def _term_mask(text: str, question: str) -> list[bool]:
    mask = [False] * len(text)
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        simplified = text
    terms = {term for term in question_terms(question) if len(term) >= 2}
    lowered = simplified.lower()
    for term in terms:
        start = lowered.find(term)
        while start >= 0:
            for position in range(start, start + len(term)):
                mask[position] = True
            start = lowered.find(term, start + 1)
    return mask


CSS = """
.qa-passage {border: 1px solid #d9dde3; border-radius: 8px; padding: 10px 14px; margin-bottom: 10px; background: #fff;}
.qa-passage.qa-cited {border-left: 4px solid #c0392b;}
.qa-head {font-weight: 600; font-size: 15px;}
.qa-marker {color: #c0392b; margin-right: 4px;}
.qa-section {color: #34495e; font-size: 13px; margin-top: 2px;}
.qa-meta {color: #6b7280; font-size: 12px; margin: 2px 0 6px;}
.qa-file {font-family: monospace;}
.qa-text {line-height: 1.75; font-size: 15px; color: #1f2937;}
mark.qa-answer {background: #fff3b0; padding: 1px 0;}
b.qa-term {color: #b03a2e;}
.qa-empty {color: #6b7280; padding: 12px;}
"""


def build_app(backend: Backend):
    import gradio as gr

    choices = backend.filter_choices()
    with gr.Blocks(title="报告问答 Report QA") as app:
        gr.Markdown("# 报告问答 Report QA\n用中文或英文提问，答案中的每句话都标注来源段落。"
                    "Ask in Chinese or English; every sentence of the answer cites its passage.")  # fmt: skip
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

        with gr.Tab("文档 Documents"):
            status = gr.Markdown("", elem_id="qa-status")
            table = gr.Dataframe(
                headers=["标题 Title", "日期 Date", "来源 Source", "地区 Region", "段落 Chunks", "文件 File"],
                value=backend.documents(), interactive=False, wrap=True, elem_id="qa-documents",
            )  # fmt: skip
            with gr.Row():
                uploads = gr.File(
                    label="上传报告 Upload reports (.txt .md .html .docx .pdf)", file_count="multiple",
                    file_types=list(UPLOAD_SUFFIXES), elem_id="qa-upload",
                )  # fmt: skip
                with gr.Column():
                    upload_button = gr.Button(
                        "上传并更新索引 Upload and index", variant="primary", elem_id="qa-upload-go"
                    )
                    refresh_button = gr.Button("同步 data/ 更新索引 Update index from data/", elem_id="qa-refresh")
                    remove_choice = gr.Dropdown(
                        [row[5] for row in backend.documents()], label="删除报告 Remove a report"
                    )
                    remove_button = gr.Button("删除 Remove", variant="stop")

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

        refreshed = [status, table, remove_choice, region, year, source]

        def do_upload(files, progress=gr.Progress()):  # noqa: B008 (how Gradio injects progress)
            if not files:
                return after_update("请先选择文件 Choose files first")
            messages = backend.upload([getattr(f, "name", f) for f in files])
            summary = backend.update(_gradio_progress(progress))
            return after_update(_update_message(summary, messages))

        def do_refresh(progress=gr.Progress()):  # noqa: B008
            return after_update(_update_message(backend.update(_gradio_progress(progress)), []))

        def do_remove(name):
            return after_update(backend.remove(name))

        upload_button.click(do_upload, [uploads], refreshed, api_visibility="private")
        refresh_button.click(do_refresh, None, refreshed, api_visibility="private")
        remove_button.click(do_remove, [remove_choice], refreshed, api_visibility="private")

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
    return app


def _gradio_progress(progress) -> Callable[[str, int, int], None]:
    labels = {"reading": "读取 Reading", "embedding": "向量化 Embedding", "lexical index": "词索引 Lexical index"}

    def report(stage: str, done: int, total: int) -> None:
        if total:
            progress((done, total), desc=labels.get(stage, stage))

    return report


def _update_message(summary: UpdateSummary, upload_messages: list[str]) -> str:
    lines = [f"- {html.escape(message)}" for message in upload_messages]
    lines.append(
        f"索引已更新 Index updated: 新增 added {len(summary.added)}, 更改 changed {len(summary.changed)}, "
        f"删除 removed {len(summary.removed)}, 未变 unchanged {len(summary.unchanged)}; "
        f"{summary.chunks_embedded} 段落向量化 chunks embedded ({summary.seconds:.1f} s)"
    )
    for item in summary.skipped:
        lines.append(f"- 无法读取 skipped {html.escape(item['file'])}: {html.escape(item['reason'])}")
    return "\n\n".join(lines)


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
    credentials = None
    if auth:
        user, _, password = auth.partition(":")
        if not user or not password:
            raise IndexProblem("--auth needs USER:PASSWORD")
        credentials = (user, password)
    if host not in ("127.0.0.1", "localhost", "::1") and credentials is None:
        raise IndexProblem(
            f"refusing to listen on {host} without a login: add --auth USER:PASSWORD (see README, 'Sharing the UI')"
        )
    backend = Backend(data_dir, index_dir)
    if not IndexFolder(index_dir).exists():
        print(f"首次运行：正在从 {data_dir} 建立索引 First run: building the index from {data_dir} ...", flush=True)
        summary = backend.ensure_index(_terminal_progress())
        if summary is not None:
            print(_update_message(summary, []).replace("- ", "  "), flush=True)
    app = build_app(backend)
    app.queue(default_concurrency_limit=8)
    import gradio as gr

    app.launch(
        server_name=host, server_port=port, auth=credentials, prevent_thread_lock=not block, css=CSS,
        theme=gr.themes.Soft(), max_file_size=MAX_UPLOAD_BYTES, show_error=False,
    )  # fmt: skip
    return app


def _terminal_progress() -> Callable[[str, int, int], None]:
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def report(stage: str, done: int, total: int) -> None:
        if not total:
            return
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return report
