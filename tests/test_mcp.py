"""The MCP tools for AI assistants, through the real ``mcp`` client against a live server on 127.0.0.1
(streamable HTTP at /gradio_api/mcp/, and its SSE form), with and without a login."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from qa.web import Backend
from tests.conftest import GUIZHOU, HUBEI, copy_samples, free_port

pytest.importorskip("mcp", reason="the MCP tools need gradio's mcp extra: pip install 'gradio[mcp]>=6.0,<7'")

pytestmark = pytest.mark.slow  # the real model and real servers

HUBEI_QUESTION = "湖北处理了多少个违规直播间？"
HUBEI_TRADITIONAL = "湖北處理了多少個違規直播間？"
HUBEI_ENGLISH = "How many illegal live-streaming rooms did Hubei deal with?"
GUIZHOU_ENGLISH = "How many online civility activities did Guizhou hold in 2022?"
GUIZHOU_TRADITIONAL = "貴州2022年開展了多少次網絡文明建設活動？"
USER, PASSWORD = "analyst", "a-long-password"
TOOLS = {
    "search_reports": ({"question", "k", "region", "year", "source", "fields"}, ["question"]),
    "ask_reports": ({"question", "history", "k", "max_rows", "fields"}, ["question"]),
    "list_reports": (set(), []),
    "get_source": ({"chunk_id", "context"}, ["chunk_id"]),
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The two samples and their index, built once for the module."""
    root = tmp_path_factory.mktemp("mcp")
    data = copy_samples(root / "data")
    Backend(data, root / "index").ensure_index()
    return data, root / "index"


def _serve(folders: tuple[Path, Path], **options):
    from qa.web import launch

    port = free_port()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        app = launch(data_dir=folders[0], index_dir=folders[1], port=port, block=False, **options)
    return app, f"http://127.0.0.1:{port}", printed.getvalue()


@pytest.fixture(scope="module")
def server(folders: tuple[Path, Path]):
    app, url, printed = _serve(folders)
    yield url, printed
    app.close()


@pytest.fixture(scope="module")
def guarded(folders: tuple[Path, Path]):
    app, url, printed = _serve(folders, auth=f"{USER}:{PASSWORD}")
    yield url, printed
    app.close()


async def _session(url: str, calls, headers: dict[str, str] | None = None, transport: str = "http"):
    """Run ``calls(session)`` in an initialised MCP client session; returns what it returns."""
    from mcp import ClientSession

    if transport == "sse":
        from mcp.client.sse import sse_client

        connection = sse_client(f"{url}/gradio_api/mcp/sse", headers=headers, timeout=30)
        async with connection as streams, ClientSession(streams[0], streams[1]) as session:
            session.started = await session.initialize()  # the server's instructions and capabilities
            return await calls(session)
    import httpx
    from mcp.client.streamable_http import streamable_http_client

    http = httpx.AsyncClient(headers=headers, timeout=httpx.Timeout(60, read=300))
    async with (
        http,
        streamable_http_client(f"{url}/gradio_api/mcp/", http_client=http) as streams,
        ClientSession(streams[0], streams[1]) as session,
    ):
        session.started = await session.initialize()  # the server's instructions and capabilities
        return await calls(session)


def run(url: str, calls, **options):
    return asyncio.run(asyncio.wait_for(_session(url, calls, **options), timeout=120))


def call(url: str, name: str, arguments: dict, **options):
    async def one(session):
        return await session.call_tool(name, arguments)

    return run(url, one, **options)


def result(response) -> dict:
    assert not response.isError, response.content[0].text
    return json.loads(response.content[0].text)


def test_the_tool_list_names_the_four_tools_with_their_parameters(server) -> None:
    url, printed = server
    assert f"{url}/gradio_api/mcp/ (streamable HTTP; SSE: {url}/gradio_api/mcp/sse)" in printed

    async def listing(session):
        return (await session.list_tools()).tools

    tools = {tool.name: tool for tool in run(url, listing)}
    assert set(tools) == set(TOOLS)  # not /ask, /source, /documents, /update, nor any UI handler
    for name, (parameters, required) in TOOLS.items():
        schema = tools[name].inputSchema
        assert set(schema["properties"]) == parameters, name
        assert schema.get("required", []) == required, name
        assert all(schema["properties"][parameter]["description"] for parameter in parameters), name
        description = tools[name].description
        assert any("\u4e00" <= char <= "\u9fff" for char in description) and "Returns: JSON" in description
    search = tools["search_reports"].inputSchema["properties"]
    assert search["k"]["type"] == "integer" and search["k"]["default"] == 5
    assert {option["type"] for option in search["year"]["anyOf"]} == {"integer", "string"}
    assert tools["get_source"].inputSchema["properties"]["chunk_id"]["type"] == "integer"
    assert {tool.name for tool in run(url, listing, transport="sse")} == set(TOOLS)
    for hidden in ("update_api", "ask_api", "respond"):
        response = call(url, hidden, {})
        assert response.isError and "Unknown tool" in response.content[0].text


def test_every_tool_is_marked_read_only_and_the_server_says_how_to_use_them(server) -> None:
    url, _ = server

    async def listing(session):
        return session.started.instructions, (await session.list_tools()).tools

    for transport in ("http", "sse"):
        instructions, tools = run(url, listing, transport=transport)
        assert "ask_reports" in instructions and "found is false" in instructions and "only read" in instructions
        for tool in tools:
            hints = tool.annotations
            assert hints is not None and hints.readOnlyHint is True and hints.destructiveHint is False, tool.name
            assert hints.idempotentHint is True and hints.openWorldHint is False and hints.title, tool.name


def test_search_reports_finds_the_passage_with_its_citation_in_either_script_and_english(server) -> None:
    url, _ = server
    for question in (HUBEI_QUESTION, HUBEI_TRADITIONAL, HUBEI_ENGLISH):
        found = result(call(url, "search_reports", {"question": question}))  # the question alone: every report
        assert len(found["passages"]) == 5, question
        first = found["passages"][0]
        assert "處理違規直播間5263個" in first["text"], question
        assert "湖北日報" in first["cite"] and "2024-05-28" in first["cite"] and first["n"] == 1
        assert set(first) == {"n", "chunk_id", "cite", "score", "text"}  # the citation object on request
    cited = result(call(url, "search_reports", {"question": HUBEI_QUESTION, "fields": ["text", "citation"]}))
    first = cited["passages"][0]
    citation = first["citation"]
    assert citation["source"] == "湖北日報" and citation["region"] == "湖北" and citation["file"] == HUBEI.name
    assert citation["date"] == "2024-05-28" and citation["section"][-1] == "網絡空間愈發天朗氣清——"
    assert citation["end"] - citation["start"] == len(first["text"]) and "page" in citation and "score" not in first
    english = result(call(url, "search_reports", {"question": GUIZHOU_ENGLISH, "fields": ["text", "citation"]}))
    assert any("1.9万余次" in passage["text"] for passage in english["passages"])
    assert all(passage["citation"]["file"] == GUIZHOU.name for passage in english["passages"][:3])
    narrowed = result(call(url, "search_reports", {"question": "违规直播间", "region": "Hubei", "year": 2024, "k": 2,
                                                   "fields": ["citation"]}))  # fmt: skip
    assert [passage["citation"]["region"] for passage in narrowed["passages"]] == ["湖北", "湖北"]
    sourced = result(call(url, "search_reports", {"question": "网络文明", "source": "湖北日报", "year": "2015-2024",
                                                  "fields": ["citation"]}))  # fmt: skip
    assert {passage["citation"]["source"] for passage in sourced["passages"]} == {"湖北日報"}


def test_ask_reports_answers_with_markers_and_follow_ups(server) -> None:
    url, _ = server
    answered = result(call(url, "ask_reports", {"question": GUIZHOU_ENGLISH}))
    assert answered["found"] and "1.9万余次" in answered["answer"] and "[1]" in answered["answer"]
    assert "1.9万余次" in answered["passages"][0]["text"] and "贵州" in answered["passages"][0]["cite"]
    assert "sentences" not in answered and "understood_as" not in answered and "rows" not in answered
    traditional = result(call(url, "ask_reports", {"question": GUIZHOU_TRADITIONAL, "k": 2,
                                                   "fields": ["sentences", "citation"]}))  # fmt: skip
    assert "1.9万余次" in traditional["answer"] and len(traditional["passages"]) == 2
    sentence = traditional["sentences"][0]
    assert traditional["passages"][0]["citation"]["region"] == "贵州" and "text" not in traditional["passages"][0]
    assert f"{sentence['text']}[{sentence['marker']}]" in traditional["answer"]
    follow = result(call(url, "ask_reports", {"question": "那贵州呢？", "history": [HUBEI_QUESTION]}))
    assert follow["understood_as"] == "贵州处理了多少个违规直播间？" and "rows" not in follow
    across = result(call(url, "ask_reports", {"question": "各省开展了多少次网络文明建设活动？"}))
    labels = {row["label"] for row in across["rows"]} | set(across.get("not_stated", []))
    assert across["kind"] == "each" and labels == {"湖北", "贵州"}
    assert all(row["quote"] and row["cite"] and "text" not in row for row in across["rows"])  # quote, not passage
    listed = result(call(url, "list_reports", {}))
    assert listed["count"] == 2 and {report["file"] for report in listed["reports"]} == {GUIZHOU.name, HUBEI.name}
    hubei = next(report for report in listed["reports"] if report["file"] == HUBEI.name)
    assert hubei["title"] == "湖北:網聚文明力量 締造美好生活" and hubei["region"] == "湖北" and hubei["year"] == 2024
    assert hubei["source"] == "湖北日報" and hubei["chunks"] > 0 and "level" in hubei
    assert listed["filters"]["region"] == ["湖北", "贵州"]


def test_get_source_returns_the_span_in_a_window_of_its_report(server) -> None:
    url, _ = server
    hit = result(call(url, "search_reports", {"question": HUBEI_QUESTION, "k": 1, "fields": ["text", "citation"]}))
    hit = hit["passages"][0]

    async def sources(session):
        return [await session.call_tool("get_source", {"chunk_id": hit["chunk_id"], **extra})
                for extra in ({}, {"context": 0}, {"context": 20_000})]  # fmt: skip

    default, bare, whole = (result(response) for response in run(url, sources))
    assert default["passage"] == hit["text"] and (default["start"], default["end"]) == (
        hit["citation"]["start"], hit["citation"]["end"])  # fmt: skip
    assert default["citation"]["source"] == "湖北日報" and default["citation"]["title"] in hit["cite"]
    assert set(default["report"]) == {"year", "level", "issuer", "doc_number"} and default["report"]["year"] == 2024
    assert 0 < len(default["before"]) <= 800 and 0 < len(default["after"]) <= 800
    assert default["window_start"] == default["start"] - len(default["before"])
    assert default["window_end"] == default["end"] + len(default["after"])
    assert bare["before"] == bare["after"] == "" and bare["passage"] == hit["text"]
    assert not whole["more_before"] and not whole["more_after"]
    text = whole["before"] + whole["passage"] + whole["after"]
    assert len(text) == whole["report_chars"] and text[default["window_start"] : default["window_end"]] == (
        default["before"] + default["passage"] + default["after"])  # fmt: skip


def test_bad_arguments_are_tool_errors_and_the_server_keeps_serving(server) -> None:
    url, _ = server
    bad = [
        ("search_reports", {"question": ""}, "the question is empty"),
        ("search_reports", {"question": "   "}, "the question is empty"),
        ("ask_reports", {"question": ""}, "the question is empty"),
        ("search_reports", {"question": HUBEI_QUESTION, "k": 0}, "give 1 to 100 passages"),
        ("search_reports", {"question": HUBEI_QUESTION, "k": 10**6}, "give 1 to 100 passages"),
        ("search_reports", {"question": HUBEI_QUESTION, "region": "Atlantis"}, "the regions are 湖北, 贵州"),
        ("search_reports", {"question": HUBEI_QUESTION, "year": 1999}, "the years are 2024, 2022"),
        ("search_reports", {"question": HUBEI_QUESTION, "year": "last year"}, "give a year such as 2019"),
        ("search_reports", {"question": HUBEI_QUESTION, "source": "人民日报"}, "the sources are"),
        ("search_reports", {"question": HUBEI_QUESTION, "k": "five"}, "'five' is not of type 'integer'"),
        ("search_reports", {"question": HUBEI_QUESTION, "fields": ["everything"]}, "choose among text, citation"),
        ("ask_reports", {"question": HUBEI_QUESTION, "max_rows": 0}, "give 1 to 500 rows"),
        ("ask_reports", {"question": HUBEI_QUESTION, "k": 0}, "give 1 to 100 passages"),
        ("search_reports", {"k": 3}, "'question' is a required property"),
        ("get_source", {"chunk_id": 999_999}, "no passage 999999 in the index"),
        ("get_source", {"chunk_id": 1, "context": 10**6}, "give 0 to 20000 characters"),
    ]

    async def calls(session):
        return [await session.call_tool(name, arguments) for name, arguments, _ in bad]

    for (name, arguments, message), response in zip(bad, run(url, calls), strict=True):
        assert response.isError, (name, arguments)
        assert message in response.content[0].text, (name, arguments, response.content[0].text)
    assert "5263" in result(call(url, "search_reports", {"question": HUBEI_QUESTION}))["passages"][0]["text"]


def plain_http(url: str, api: str, body: str) -> tuple[str, object]:
    """Call a named endpoint over plain HTTP as curl would (the JSON written by hand): the event
    ("complete" or "error") and its data."""
    import httpx

    started = httpx.post(f"{url}/gradio_api/call/{api}", content=body.encode(),
                         headers={"content-type": "application/json"}, timeout=60)  # fmt: skip
    assert started.status_code == 200, started.text
    stream = httpx.get(f"{url}/gradio_api/call/{api}/{started.json()['event_id']}", timeout=120).text
    event = stream.split("event: ")[-1].split("\n", 1)[0]
    return event, json.loads(stream.rsplit("data: ", 1)[-1])


def test_bad_arguments_over_plain_http_get_a_clear_message(server) -> None:
    """Issue 32: k="abc" or a lone surrogate over plain HTTP gave {"error": null}."""
    url, _ = server
    refused = [
        ("search_reports", '["湖北", "abc", "", "", "", null]', "k='abc': give 1 to 100 passages"),
        (
            "search_reports",
            '["湖北", 3, "\\ud800", "", "", null]',
            "region '\ufffd': no report of the index is about it",
        ),
        ("search_reports", '["湖北", 3]', "didn't receive enough input values (needed: 6, got: 2)"),
        ("get_source", '["abc", 800]', "'abc' is not a passage id"),
        ("ask_reports", '["湖北", "not a list", 5, 40, null]', "history: give the earlier questions as a list"),
    ]
    for api, data, message in refused:
        event, payload = plain_http(url, api, f'{{"data": {data}}}')
        assert event == "error" and message in str(payload["error"]), (api, data, payload)
    answered = [  # /ask answers with found false and the reason in "error"
        ('["湖北", "abc", "", "", "", [], ""]', "k='abc': give a number of passages"),
        ('["湖北", 3, "", "\\udc00", "", [], ""]', "year '\ufffd': give a year such as 2019"),
        ('["湖北", 3, "", "", "", "not a list", ""]', "history: give the earlier questions as a list"),
    ]
    for data, message in answered:
        event, payload = plain_http(url, "ask", f'{{"data": {data}}}')
        assert event == "complete" and payload[0]["found"] is False and message in payload[0]["error"], payload
    event, payload = plain_http(
        url, "search_reports", '{"data": ["\\ud800湖北处理了多少个违规直播间？", 1, "", "", "", null]}'
    )
    assert event == "complete" and "5263" in json.loads(payload[0])["passages"][0]["text"]


def test_failed_logins_are_throttled_on_the_form_and_the_mcp_endpoint(folders: tuple[Path, Path]) -> None:
    """Issue 32: failed logins were not throttled. Past LOGIN_FAILURES failures from one address,
    it is refused (429, Retry-After) even with the right password, on both ways in."""
    import httpx

    from qa.limits import LOGIN_FAILURES
    from qa.web.mcp import basic_auth_header

    app, url, _ = _serve(folders, auth=f"{USER}:{PASSWORD}")
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.post("/login", data={"username": USER, "password": PASSWORD}).status_code == 200
            for _ in range(LOGIN_FAILURES - 1):
                assert client.post("/login", data={"username": USER, "password": "wrong"}).status_code == 400
            wrong = {"Authorization": basic_auth_header(USER, "wrong")}
            assert client.post("/gradio_api/mcp/", json={}, headers=wrong).status_code == 401  # the last allowed
            refused = client.post("/login", data={"username": USER, "password": PASSWORD})
            assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
            assert "too many failed logins" in refused.text
            right = {"Authorization": basic_auth_header(USER, PASSWORD)}
            assert client.post("/gradio_api/mcp/", json={}, headers=right).status_code == 429
    finally:
        app.close()


def test_ten_concurrent_tool_calls_all_answer(server) -> None:
    url, _ = server
    questions = [
        HUBEI_QUESTION,
        GUIZHOU_ENGLISH,
        HUBEI_TRADITIONAL,
        GUIZHOU_TRADITIONAL,
        "湖北如何建立网络文明建设评估指标体系？",
    ]

    async def calls(session):
        searches = [session.call_tool("search_reports", {"question": question, "k": 3}) for question in questions]
        answers = [session.call_tool("ask_reports", {"question": question}) for question in questions[:4]]
        return await asyncio.gather(*searches, *answers, session.call_tool("list_reports", {}))

    responses = run(url, calls)
    assert len(responses) == 10 and not any(response.isError for response in responses)
    assert "5263" in json.loads(responses[0].content[0].text)["passages"][0]["text"]
    assert "1.9万余次" in json.loads(responses[6].content[0].text)["answer"]


def test_a_shared_app_asks_for_its_login_on_the_mcp_endpoint(guarded) -> None:
    import httpx

    url, printed = guarded
    assert "login: HTTP Basic" in printed
    from qa.web.mcp import basic_auth_header

    for headers in (None, {"Authorization": basic_auth_header(USER, "wrong")}, {"Authorization": "Bearer x"}):
        assert "401 Unauthorized" in _refusal(url, headers), headers
    plain = httpx.post(f"{url}/gradio_api/mcp/", json={}, timeout=30)
    assert plain.status_code == 401 and "Authorization: Basic" in plain.text
    assert httpx.get(f"{url}/gradio_api/mcp/schema", timeout=30).status_code == 401
    login = {"Authorization": basic_auth_header(USER, PASSWORD)}
    found = result(call(url, "search_reports", {"question": HUBEI_QUESTION, "k": 1}, headers=login))
    assert "5263" in found["passages"][0]["text"]
    assert {tool.name for tool in run(url, _tools, headers=login, transport="sse")} == set(TOOLS)
    with httpx.Client(base_url=url, timeout=30) as browser:  # the UI and Gradio's API keep their login
        assert browser.get("/gradio_api/login_check").status_code == 401
        assert browser.post("/gradio_api/call/search_reports", json={"data": [HUBEI_QUESTION]}).status_code == 401
        assert browser.post("/login", data={"username": USER, "password": PASSWORD}).status_code == 200
        assert browser.get("/gradio_api/login_check").status_code == 200
        assert browser.post("/gradio_api/mcp/", json={}).status_code == 401  # the UI's cookie is not the MCP login


async def _tools(session):
    return (await session.list_tools()).tools


def _refusal(url: str, headers: dict[str, str] | None) -> str:
    """What the client raised when the server refused it (it raises an exception group), or ""."""
    try:
        run(url, _tools, headers=headers)
    except Exception as error:  # noqa: BLE001
        return repr(error) + repr(getattr(error, "exceptions", ""))
    return ""


def test_no_mcp_serves_the_ui_without_the_endpoint(folders: tuple[Path, Path]) -> None:
    import httpx

    from qa.cli import build_parser

    assert build_parser().parse_args(["serve"]).mcp is True
    assert build_parser().parse_args(["serve", "--no-mcp"]).mcp is False
    app, url, printed = _serve(folders, mcp=False)
    try:
        assert "gradio_api/mcp" not in printed
        assert httpx.get(f"{url}/", timeout=30).status_code == 200
        streams = {"Accept": "application/json, text/event-stream"}
        response = httpx.post(f"{url}/gradio_api/mcp/", json={}, headers=streams, timeout=30)
        assert response.status_code in (404, 405)
    finally:
        app.close()


@pytest.fixture(scope="module")
def provinces(tmp_path_factory: pytest.TempPathFactory):
    """Six provinces' 2025 reports (three-character names among them) and three national ones."""
    from tests.corpus import write_corpus, write_long_names

    root = tmp_path_factory.mktemp("mcp-provinces")
    data = write_long_names(write_corpus(root / "data"))
    Backend(data, root / "index").ensure_index()
    app, url, _printed = _serve((data, root / "index"))
    yield url
    app.close()


def test_a_table_answer_fits_an_assistant_31_rows_in_8_kb(provinces) -> None:
    """Measured through the mcp client: each answering row says its figure once (value, unit,
    qualifier, the quoted clause, its citation line) and nothing repeats it, so that a row takes at most
    8 KB / 31 and the issue's 31-province table stays under 8 KB (bench.mcp_size: 7,503 bytes)."""
    response = call(provinces, "ask_reports", {"question": "各省2025年经济增长目标分别是多少？"})
    text = response.content[0].text
    table = result(response)
    assert [row["label"] for row in table["rows"]] == ["北京", "内蒙古", "黑龙江", "上海", "重庆", "四川"]
    assert len(text.encode("utf-8")) <= 8 * 1024 * len(table["rows"]) / 31
    quotes = Counter(row["quote"] for row in table["rows"])
    for row in table["rows"]:  # each quote as often as rows say it (two reports word their target alike)
        assert text.count(row["quote"]) == quotes[row["quote"]]
        assert row["unit"] == "%" and row["cite"].startswith("2025年")
    sichuan = next(row for row in table["rows"] if row["label"] == "四川")
    assert (sichuan["value"], sichuan["qualifier"]) == (5.5, "以上")
    fewer = result(call(provinces, "ask_reports", {"question": "各省2025年经济增长目标分别是多少？", "max_rows": 2}))
    assert len(fewer["rows"]) == 2 and fewer["more_rows"] == 4
    fuller = result(call(provinces, "ask_reports", {"question": "各省2025年经济增长目标分别是多少？",
                                                    "fields": ["text"]}))  # fmt: skip
    assert all(row["quote"] in row["text"] for row in fuller["rows"])
