"""Screenshots of the analyst's screen at 1400 px over the 31 provincial reports (the issue-30 set: a
31-row table, a which-answer, a single-figure answer, a not-found answer and the documents tab), with
the checks of test_browser on the real table: no name or figure on two lines, nothing cut.

Opt-in, since it needs an index of what data/ ships (the 31 reports and the national ones: about
ten minutes of embedding on two cores, or seconds from the evaluation's vector cache):
``QA_SCREENS_INDEX=<an index of data/> QA_SCREENS_DATA=data pytest tests/test_screens.py``; the
pictures go to test-output/screens/ (docs/screen-*.png are copies).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port
from tests.test_browser import (
    CHROMEDRIVER,
    CHROMIUM,
    CLIPPED_JS,
    CUT_JS,
    ONE_LINE_JS,
    ask_and_wait,
    open_tab,
    wait_for,
)

INDEX = os.environ.get("QA_SCREENS_INDEX")
DATA = os.environ.get("QA_SCREENS_DATA")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="Debian chromium and chromium-driver are not installed"),
    pytest.mark.skipif(
        not (INDEX and DATA),
        reason="set QA_SCREENS_INDEX and QA_SCREENS_DATA to an index of the "
        "31 provincial reports and its data folder (10 min to build)",
    ),  # fmt: skip
]
SHOTS = ROOT / "test-output" / "screens"


@pytest.fixture(scope="module")
def page():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    port = free_port()
    log = (SHOTS.parent / "screens-app.log").open("w") if SHOTS.parent.mkdir(exist_ok=True) is None else None
    command = [sys.executable, str(ROOT / "app.py"), "--data", str(DATA), "--index", str(INDEX), "--port", str(port)]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    for _attempt in range(120):
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(1)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--window-size=1400,1100", "--lang=zh-CN"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.get(url)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    server.terminate()
    server.wait(timeout=30)


def whole_page(driver, name: str) -> Path:
    """The page at 1400 px wide and as tall as it is."""
    height, chrome = driver.execute_script(
        "return [document.documentElement.scrollHeight, window.outerHeight - window.innerHeight]"
    )  # the window's size counts its frame, the screenshot only the page
    driver.set_window_size(1400, max(1100, height + chrome + 20))
    time.sleep(1.5)
    path = SHOTS / name
    driver.save_screenshot(str(path))
    driver.set_window_size(1400, 1100)
    time.sleep(0.5)
    return path


def test_the_five_screens(page) -> None:
    from selenium.webdriver.common.by import By

    wait_for(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#qa-question textarea"))
    reply = ask_and_wait(page, "各省2025年经济增长目标分别是多少？")
    assert "31 of 31 reports answer it" in reply
    wait_for(page, lambda d: d.find_element(By.ID, "qa-table-panel").is_displayed())
    time.sleep(1)
    cells = page.execute_script(ONE_LINE_JS, "#qa-chat td.qa-label, #qa-chat td.qa-figure", "#qa-table .virtual-row")
    assert {"内蒙古", "黑龙江", "5%左右"} <= {text for text, _lines in cells}
    assert [cell for cell in cells if cell[1] != 1] == []
    assert page.execute_script(CUT_JS, "#qa-table-panel") == 0
    assert page.execute_script(CLIPPED_JS, "#qa-table .virtual-row > .body-cell") == []
    whole_page(page, "table-31.png")

    ask_and_wait(page, "哪些省份提到了人形机器人？")
    assert "8 of 31 reports mention" in page.find_element(By.ID, "qa-chat").text
    wait_for(page, lambda d: "数值 Figure" not in d.find_element(By.ID, "qa-table").text)
    time.sleep(1)
    assert page.execute_script(CLIPPED_JS, "#qa-table .virtual-row > .body-cell") == []  # the quotes wrap
    page.save_screenshot(str(SHOTS / "which.png"))
    whole_page(page, "which-full.png")

    ask_and_wait(page, "湖南2025年地区生产总值增长目标是多少？")
    figure = ask_and_wait(page, "固定资产投资呢？")
    assert "固定资产投资增长4.5%" in figure and "社会消费品零售总额" not in figure.split("[1]")[0]
    page.save_screenshot(str(SHOTS / "single-figure.png"))

    ask_and_wait(page, "湖北处理了多少个违规直播间？")
    # Tibet's report says nothing of live-streaming rooms (Guizhou's review is now taken as an
    # answer by meaning, wrongly: docs/meaning.md)
    ask_and_wait(page, "那西藏呢？")
    passages = page.find_element(By.ID, "qa-passages").text
    assert "nearest passages, not answers" in passages and "湖北" not in passages.split("[2]")[0]
    page.save_screenshot(str(SHOTS / "not-found.png"))

    open_tab(page, "文档 Documents")
    listed = wait_for(page, lambda d: "provinces-2025/" in (text := d.find_element(By.ID, "qa-documents").text)
                      and text)  # fmt: skip  # the newest first: the provinces' of 2025
    assert "provinces-2025/" in listed and "保留 Kept" in listed
    time.sleep(1)
    assert page.execute_script(CUT_JS, "#qa-documents") == 0
    page.save_screenshot(str(SHOTS / "documents.png"))


# Issue 28: a question of every kind asked in other words than the report's, each on a fresh
# conversation (docs/meaning-*.png are copies). Not the issue's own examples: questions written for
# the screens, each checked against what its report says.
MEANING_SCREENS = (
    ("meaning-paraphrase.png", "四川去年給多少老舊小區做了改造？", "8523"),
    ("meaning-english.png", "How much did Guangdong's foreign trade total last year?", "9万亿元"),
    ("meaning-verb-which.png", "哪些省份打算发展银发经济？", "of 31 reports mention 银发经济"),
    ("meaning-traditional-which.png", "哪些省份提到要發展低空經濟？", "of 31 reports mention 低空经济"),
    ("meaning-english-which.png", "Which provinces mention brain-computer interfaces?",
     "of 31 reports mention 脑机接口"),
    ("meaning-relative-time.png", "近五年的城镇调查失业率目标分别是多少？", "5 of 5 years answered (2021–2025)"),
    ("meaning-relative-one.png", "近几年甘肃的粮食产量每年是多少？", "粮食产量259.2亿斤"),  # one report: no table
    ("meaning-indicator-names.png", "2016年到2021年每年新增地方政府专项债券多少？", "安排地方专项债券4000亿元"),
    ("meaning-english-table.png", "How many new urban jobs does each province aim to create in 2025?",
     "of 31 reports answer it"),
)  # fmt: skip


def test_a_question_of_every_kind_in_other_words(page) -> None:
    from selenium.webdriver.common.by import By

    wait_for(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#qa-question textarea"))
    for name, question, expected in MEANING_SCREENS:
        page.find_element(By.ID, "qa-new").click()
        wait_for(page, lambda d, asked=question: asked not in d.find_element(By.ID, "qa-chat").text)
        reply = ask_and_wait(page, question)
        assert expected in reply, (question, reply[:400])
        assert "没有找到" not in reply and "not stated" not in reply.split("\n")[0], question
        time.sleep(1)
        whole_page(page, name)
