"""The running UI under load, and while its index is being updated (real model, real server)."""

from __future__ import annotations

import ssl
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ROOT, copy_samples, free_port

pytestmark = pytest.mark.slow
CLIENTS = 20
QUESTIONS_PER_CLIENT = 20
QUESTIONS = [
    "湖北处理了多少个违规直播间？",
    "貴州2022年開展了多少次網絡文明建設活動？",
    "How many online civility activities did Guizhou hold in 2022?",
    "湖北评定了多少家网络素养教育示范基地？",
    "<script>alert(1)</script>",
    "'; DROP TABLE chunks; --",
]


# httpx reads the whole CA bundle into a new SSL context for every request gradio_client makes (two
# a question), a third of this machine's CPU during the test (py-spy): the clients share one
# context, unused on http://127.0.0.1, so that the figures measure the server, not the clients.
SHARED_TLS = ssl.create_default_context()  # gradio_client passes ssl_verify on as httpx's verify


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    from qa.web import Backend, launch

    root = tmp_path_factory.mktemp("load")
    data = copy_samples(root / "data")
    Backend(data, root / "index").ensure_index()  # the page indexes in the background: measure questions only
    port = free_port()
    app = launch(data_dir=data, index_dir=root / "index", port=port, block=False)
    yield f"http://127.0.0.1:{port}/", data
    app.close()


def test_twenty_clients_times_twenty_questions_all_answered(server) -> None:
    from gradio_client import Client

    url, _ = server
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client_session(number: int) -> None:
        client = Client(url, verbose=False, ssl_verify=SHARED_TLS)
        for index in range(QUESTIONS_PER_CLIENT):
            question = QUESTIONS[(number + index) % len(QUESTIONS)]
            started = time.perf_counter()
            try:
                result = client.predict(question, 3, "", "", "", api_name="/ask")
                assert "error" not in result and result["hits"], result
            except Exception as error:  # collected and reported below
                with lock:
                    errors.append(f"{question}: {error}")
                continue
            with lock:
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client_session, range(CLIENTS), timeout=600))
    wall = time.perf_counter() - started
    assert not errors, errors[:3]
    assert len(latencies) == CLIENTS * QUESTIONS_PER_CLIENT
    p50 = statistics.median(latencies)
    p95 = statistics.quantiles(latencies, n=20)[18]
    report = f"load: {len(latencies)} questions, {CLIENTS} clients, p50 {p50:.3f} s, p95 {p95:.3f} s, wall {wall:.1f} s"
    print(report)
    (ROOT / "test-output").mkdir(exist_ok=True)
    (ROOT / "test-output" / "load.txt").write_text(report + "\n", encoding="utf-8")


def test_answers_keep_coming_during_an_update_and_use_the_new_index_after(server) -> None:
    from gradio_client import Client

    url, data = server
    client = Client(url, verbose=False)
    paragraphs = [
        f"第{n}项工作：全省新建{n * 7 + 3}个社区网络文明实践站，覆盖{n * 13 + 5}个乡镇街道。" for n in range(400)
    ]
    report = (
        "2025年某省网络文明实践站建设报告\n一、总体情况\n"
        + "\n".join(paragraphs)
        + "\n二、特别说明\n全省评选出网络文明示范县区九十九个半。\n"
    )
    (data / "实践站.txt").write_text(report, encoding="utf-8")

    updated: dict[str, object] = {}
    updater = threading.Thread(target=lambda: updated.update(client.predict(api_name="/update")))
    updater.start()
    answered_during = 0
    while updater.is_alive():
        result = Client(url, verbose=False).predict("湖北处理了多少个违规直播间？", 3, "", "", "", api_name="/ask")
        assert "5263" in result["answer"]
        answered_during += 1
    updater.join()
    assert answered_during >= 1
    assert updated["added"] == ["实践站.txt"]
    after = client.predict("评选出多少个网络文明示范县区？", 3, "", "", "", api_name="/ask")
    assert after["hits"][0]["citation"]["file"] == "实践站.txt"
