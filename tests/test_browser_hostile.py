"""Issue 32 in a real browser (headless Chromium) against the running app: a link planted in a report
shows as text, a new page lists the reports indexed since start-up, a file that cannot be read is
listed with its reason and removable, and thirty answers with their source clicks leave the
temporary directory (the app's own and Gradio's) no bigger."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_samples, free_port
from tests.test_browser import (
    CHROMEDRIVER,
    CHROMIUM,
    ask_and_wait,
    browser,
    open_citation,
    open_tab,
    wait_for,
    wait_until_indexed,
)

__all__ = ["browser"]  # the fixture, shared with tests/test_browser.py

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="Debian chromium and chromium-driver are not installed"),
]
EVIL = "http://evil.example.com"
PLANTED = (
    "2025年网络谣言治理通报\n一、总体情况\n"
    f"2025年，全省处理网络谣言线索3721条，详见[官方通报]({EVIL}/notice)和![图]({EVIL}/p.png)，"
    "举报网址 www.evil-example.com 或 report@evil-example.com 。\n"
)
SICHUAN = "四川省2025年网络文明建设报告\n一、总体情况\n2025年，四川省开展网络文明宣传活动6401次。\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """The app over the samples and the planted report, its temporary directory (and so Gradio's
    cache) inside the test's folder, where it can be counted."""
    root = tmp_path_factory.mktemp("hostile")
    data = copy_samples(root / "data")
    (data / "谣言治理通报.txt").write_text(PLANTED, encoding="utf-8")
    temporary = root / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary), "GRADIO_TEMP_DIR": str(temporary / "gradio")}
    port = free_port()
    log = (root / "app.log").open("w")
    command = [sys.executable, str(ROOT / "app.py"), "--data", str(data), "--index", str(root / "index")]
    process = subprocess.Popen([*command, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                               env=environment)  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError((root / "app.log").read_text()) from None
            time.sleep(1)
    wait_until_indexed(url)  # the page opens at once and indexes data/ in the background
    yield url, root, data
    process.terminate()
    process.wait(timeout=30)


def open_page(browser, url: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(url)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#qa-question textarea"))


def test_a_link_planted_in_a_report_shows_as_text(server, browser) -> None:
    from selenium.webdriver.common.by import By

    url, _root, _data = server
    open_page(browser, url)
    reply = ask_and_wait(browser, "全省处理了多少条网络谣言线索？")
    assert "3721" in reply
    assert f"[官方通报]({EVIL}/notice)" in reply and f"![图]({EVIL}/p.png)" in reply  # as written, as text
    assert "www.evil-example.com" in reply and "report@evil-example.com" in reply
    for where in ("qa-chat", "qa-passages"):
        links = browser.find_element(By.ID, where).find_elements(By.TAG_NAME, "a")
        planted = [link.get_attribute("href") for link in links if "evil" in (link.get_attribute("href") or "")]
        assert planted == [], (where, planted)
        assert not browser.find_element(By.ID, where).find_elements(By.TAG_NAME, "img")


def test_a_new_page_lists_the_reports_indexed_since_start_up(server, browser) -> None:
    """Issue 32: a page showed the documents and filters of start-up (28 uploads later, 2 reports)."""
    from gradio_client import Client
    from selenium.webdriver.common.by import By

    url, _root, data = server
    (data / "四川网络文明.txt").write_text(SICHUAN, encoding="utf-8")
    summary = Client(url, verbose=False).predict(api_name="/update")  # as another page's upload would
    assert summary["added"] == ["四川网络文明.txt"]
    open_page(browser, url)
    open_tab(browser, "文档 Documents")
    wait_for(browser, lambda d: "四川网络文明.txt" in d.find_element(By.ID, "qa-documents").text)
    open_tab(browser, "问答 Ask")
    browser.find_element(By.CSS_SELECTOR, "#qa-filters button").click()  # the filters fold under their title
    region = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#qa-region input"))
    region.click()  # the region filter offers it too
    options = "ul[role=listbox] li"
    wait_for(browser, lambda d: any("四川" in option.text for option in d.find_elements(By.CSS_SELECTOR, options)))


def test_a_file_that_cannot_be_read_is_listed_and_removed_from_the_page(server, browser) -> None:
    from selenium.webdriver.common.by import By

    url, root, data = server
    open_page(browser, url)
    open_tab(browser, "文档 Documents")
    broken = root / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a Word file")
    file_input = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#qa-upload input[type=file]"))
    browser.execute_script("arguments[0].style.display = 'block'; arguments[0].hidden = false;", file_input)
    file_input.send_keys(str(broken))
    wait_for(browser, lambda d: "broken" in d.find_element(By.ID, "qa-upload").text)
    browser.find_element(By.ID, "qa-upload-go").click()
    wait_for(browser, lambda d: "Index updated" in d.find_element(By.ID, "qa-status").text, 120)
    status = browser.find_element(By.ID, "qa-status").text
    assert "broken.docx" in status and "cannot be read" in status
    failed = wait_for(browser, lambda d: d.find_element(By.ID, "qa-failed"))
    assert "broken.docx" in failed.text and "truncated or corrupt .docx" in failed.text

    open_page(browser, url)  # a new page lists it too
    open_tab(browser, "文档 Documents")
    wait_for(browser, lambda d: "broken.docx" in d.find_element(By.ID, "qa-failed").text)
    browser.find_element(By.CSS_SELECTOR, "#qa-remove input").click()
    choice = wait_for(browser, lambda d: [item for item in d.find_elements(By.CSS_SELECTOR, "ul[role=listbox] li")
                                          if item.text.strip() == "broken.docx"])  # fmt: skip
    choice[0].click()
    browser.find_element(By.XPATH, "//button[contains(., '删除 Remove')]").click()
    wait_for(browser, lambda d: "removed" in d.find_element(By.ID, "qa-status").text, 120)
    assert not (data / "broken.docx").exists()
    assert all("broken.docx" not in table.text for table in browser.find_elements(By.ID, "qa-failed"))


def count_files(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*"))


def test_thirty_answers_and_source_clicks_leave_the_temporary_directory_no_bigger(server, browser) -> None:
    """Issue 32: each answer (its conversation's export) and each source click (the original to
    download) left a new folder or copy in the temporary directory that nothing deleted."""
    url, root, _data = server
    open_page(browser, url)
    questions = ["湖北处理了多少个违规直播间？", "贵州2022年开展了多少次网络文明建设活动？"]
    counts = []
    for number in range(32):
        reply = ask_and_wait(browser, questions[number % 2])
        assert "[1]" in reply
        open_citation(browser, "#qa-chat a.qa-cite")
        counts.append(count_files(root / "tmp"))
    assert counts[-1] <= counts[1], counts  # after each report was opened once, nothing more
