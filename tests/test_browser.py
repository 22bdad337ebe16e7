"""A real browser (Debian's headless Chromium, driven by Selenium) against the running UI."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT, copy_samples, free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="Debian chromium and chromium-driver are not installed"),
]
SCREENSHOTS = ROOT / "test-output" / "browser"
NEW_REPORT = "2025年数字乡村建设报告\n一、总体情况\n全省建成数字乡村示范点417个，培育农村电商带头人8236名。\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("ui")
    data = copy_samples(root / "data")
    port = free_port()
    log = (root / "app.log").open("w")
    command = [sys.executable, str(ROOT / "app.py"), "--data", str(data), "--index", str(root / "index")]
    process = subprocess.Popen([*command, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError((root / "app.log").read_text()) from None
            time.sleep(1)
    yield url, root
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--window-size=1400,1100", "--lang=zh-CN"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def ask(browser, question: str) -> None:
    from selenium.webdriver.common.by import By

    box = browser.find_element(By.CSS_SELECTOR, "#qa-question textarea")
    box.clear()
    box.send_keys(question)
    browser.find_element(By.ID, "qa-send").click()


def open_tab(browser, label: str) -> None:
    from selenium.webdriver.common.by import By

    tabs = browser.find_elements(By.XPATH, f"//button[@role='tab' and contains(., '{label}')]")
    next(tab for tab in tabs if tab.is_displayed()).click()


def wait_for(browser, condition, seconds: float = 60):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds).until(lambda driver: condition(driver))


def test_ask_see_answer_and_citation_then_upload_and_find(server, browser) -> None:
    from selenium.webdriver.common.by import By

    url, root = server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(url)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#qa-question textarea"))
    ask(browser, "湖北处理了多少个违规直播间？")
    passages = wait_for(browser, lambda d: "5263" in d.find_element(By.ID, "qa-passages").text and
                        d.find_element(By.ID, "qa-passages"))  # fmt: skip
    chat = browser.find_element(By.ID, "qa-chat").text
    assert "5263" in chat and "[1]" in chat and "湖北日報" in chat
    first = passages.find_element(By.ID, "passage-1").text
    for expected in ("[1]", "湖北:網聚文明力量 締造美好生活", "網絡空間愈發天朗氣清", "2024-05-28", "湖北日報", "5263"):
        assert expected in first
    assert "<mark" not in passages.text and "{" not in first  # no raw markup or JSON on screen
    browser.save_screenshot(str(SCREENSHOTS / "answer.png"))

    open_tab(browser, "文档 Documents")
    report = root / "数字乡村.txt"
    report.write_text(NEW_REPORT, encoding="utf-8")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#qa-upload input[type=file]"))
    file_input = browser.find_element(By.CSS_SELECTOR, "#qa-upload input[type=file]")
    # Gradio hides the native input behind its drop zone; a user's file dialog reaches the same input.
    browser.execute_script("arguments[0].style.display = 'block'; arguments[0].hidden = false;", file_input)
    file_input.send_keys(str(report))
    wait_for(browser, lambda d: "数字乡村" in d.find_element(By.ID, "qa-upload").text)
    browser.find_element(By.ID, "qa-upload-go").click()
    wait_for(browser, lambda d: "Index updated" in d.find_element(By.ID, "qa-status").text, 120)
    assert "数字乡村.txt" in browser.find_element(By.ID, "qa-documents").text
    browser.save_screenshot(str(SCREENSHOTS / "documents.png"))

    open_tab(browser, "问答 Ask")
    ask(browser, "培育了多少名农村电商带头人？")
    wait_for(browser, lambda d: "8236" in d.find_element(By.ID, "qa-passages").text)
    assert "数字乡村.txt" in browser.find_element(By.ID, "qa-passages").text
    browser.save_screenshot(str(SCREENSHOTS / "uploaded-answer.png"))
