"""A real browser (Debian's headless Chromium, driven by Selenium) against the running UI."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT, copy_samples, free_port
from tests.corpus import write_corpus, write_long_names
from tests.fixtures import write_docx

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
    write_corpus(data)  # four provinces' 2025 reports and the national ones of 2010-2012
    write_long_names(data)
    write_docx(data / "2025年测试省政府工作报告.docx")
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
    wait_until_indexed(url)  # the page opens at once and indexes data/ in the background
    yield url, root
    process.terminate()
    process.wait(timeout=30)


def wait_until_indexed(url: str, seconds: float = 300) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    deadline = time.monotonic() + seconds
    while (status := client.predict(api_name="/indexing"))["running"] or not status["batches_done"]:
        assert time.monotonic() < deadline, f"the background indexing did not finish: {status['message']}"
        time.sleep(1)


DOWNLOADS = ROOT / "test-output" / "downloads"


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    options.add_experimental_option("prefs", {"download.default_directory": str(DOWNLOADS),
                                              "download.prompt_for_download": False})  # fmt: skip
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


def chat_text(browser) -> str:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.ID, "qa-chat").text


def ask_and_wait(browser, question: str, seconds: float = 120) -> str:
    """Ask, and wait for the reply to the question: the chat's new text after it."""
    before = chat_text(browser)
    ask(browser, question)
    wait_for(browser, lambda d: len(chat_text(d)) > len(before) + len(question) and
             ("[1]" in chat_text(d)[len(before):] or "没有找到" in chat_text(d)[len(before):]), seconds)  # fmt: skip
    time.sleep(0.5)
    return chat_text(browser)[len(before) :]


def open_citation(browser, css: str, text: str = "[1]") -> str:
    """Click the newest citation link reading ``text`` and return the highlighted passage once the
    source view shows it in view."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    def shown(driver) -> str:  # the source view is in the DOM once its tab has been opened
        views = driver.find_elements(By.ID, "qa-source")
        return views[0].get_attribute("innerHTML") if views else ""

    before = shown(browser)
    for _attempt in range(5):  # the page may re-render the reply just as it is clicked
        try:
            links = wait_for(browser, lambda d: [link for link in d.find_elements(By.CSS_SELECTOR, css)
                                                 if link.is_displayed() and link.text == text])  # fmt: skip
            links[-1].click()  # the newest reply's
            break
        except StaleElementReferenceException:
            time.sleep(0.5)
    wait_for(browser, lambda d: shown(d) not in ("", before))
    time.sleep(1)
    cited = wait_for(browser, lambda d: d.find_elements(By.ID, "qa-cited") and d.find_element(By.ID, "qa-cited"))
    visible = browser.execute_script(
        "const m = arguments[0].getBoundingClientRect(), b = document.getElementById('qa-source-text')"
        ".getBoundingClientRect(); return m.top >= b.top && m.top <= b.bottom;", cited)  # fmt: skip
    assert visible, "the cited passage is not scrolled into view"
    return cited.text


def test_a_conversation_a_table_its_csv_and_the_source_view(server, browser) -> None:
    from selenium.webdriver.common.by import By

    url, _root = server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(url)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#qa-question textarea"))
    reply = ask_and_wait(browser, "湖北处理了多少个违规直播间？")
    assert "5263" in reply
    cited = open_citation(browser, "#qa-chat a.qa-cite")
    assert "5263" in cited and "湖北" in browser.find_element(By.ID, "qa-source").text
    browser.save_screenshot(str(SCREENSHOTS / "source.png"))

    follow = ask_and_wait(browser, "那贵州呢？")
    assert "按此理解 Understood as: 贵州处理了多少个违规直播间？" in follow

    table = ask_and_wait(browser, "各省2025年经济增长目标分别是多少？")
    assert "北京" in table and "5%左右" in table and "more rows" in table  # the first rows; the rest below
    panel = wait_for(browser, lambda d: d.find_element(By.ID, "qa-table-panel").is_displayed() and
                     d.find_element(By.ID, "qa-table"))  # fmt: skip
    for region, figure in (("北京", "5%左右"), ("重庆", "6%左右"), ("四川", "5.5%以上"), ("内蒙古", "6%左右")):
        assert region in panel.text and figure in panel.text
    for old in DOWNLOADS.glob("table*.csv"):
        old.unlink()
    wait_for(browser, lambda d: d.find_element(By.ID, "qa-csv").is_displayed())
    browser.find_element(By.ID, "qa-csv").click()
    downloaded = wait_for(browser, lambda d: next(iter(DOWNLOADS.glob("table*.csv")), None), 30)
    rows = downloaded.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("行 Row,地区 Region") and any(row.startswith("重庆,重庆,2025") for row in rows[1:])
    assert browser.find_element(By.ID, "qa-bars").is_displayed()
    browser.save_screenshot(str(SCREENSHOTS / "table.png"))

    docx = ask_and_wait(browser, "测试省处理了多少个违规直播间？")
    assert "5263" in docx
    passage = open_citation(browser, "#qa-passages a.qa-marker")
    assert "5263" in passage and "测试省" in browser.find_element(By.ID, "qa-source").text
    browser.save_screenshot(str(SCREENSHOTS / "source-docx.png"))


# The lines an element's text takes: the height of its text's glyph boxes in font sizes (one line of
# CJK and Latin glyphs is about 1.2-1.5 font sizes tall, two lines at least 2.2).
ONE_LINE_JS = """
const lines = (element) => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const height = range.getBoundingClientRect().height, size = parseFloat(getComputedStyle(element).fontSize);
  return height < 1.9 * size ? 1 : Math.round(height / (1.4 * size));
};
const cells = Array.from(document.querySelectorAll(arguments[0]));
document.querySelectorAll(arguments[1] || '.none').forEach((row) => cells.push(...Array.from(
  row.querySelectorAll(':scope > .body-cell')).slice(0, 2).map((cell) => cell.querySelector('span') || cell)));
return cells.filter((e) => e.offsetParent !== null && e.textContent.trim())
  .map((e) => [e.textContent.trim(), lines(e)]);
"""
CUT_JS = """
return Array.from(document.querySelectorAll(arguments[0] + ' *')).filter((e) => {
  const style = getComputedStyle(e);
  return e.offsetParent !== null && ['auto', 'scroll'].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 2;
}).length;
"""
# The cells whose text runs past their edge, hidden (a quote kept on one line in a narrow column).
CLIPPED_JS = """
return Array.from(document.querySelectorAll(arguments[0])).filter((cell) => cell.offsetParent !== null
  && [cell, ...cell.querySelectorAll('*')].some((e) => e.scrollWidth > e.clientWidth + 2
    && ['hidden', 'clip'].includes(getComputedStyle(e).overflowX)))
  .map((cell) => cell.textContent.trim().slice(0, 24));
"""


def test_tables_have_room_names_never_wrap_and_the_unstated_are_folded(server, browser) -> None:
    """At 1400 px: a table answer's names and figures stay on one line in the chat and in its own
    full-width panel, which nothing cuts; a which-answer lists the reports that say it and folds the
    others under their count; the documents tab shows every column."""
    from selenium.webdriver.common.by import By

    url, _root = server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(1400, 1100)
    browser.get(url)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#qa-question textarea"))
    ask_and_wait(browser, "各省2025年经济增长目标分别是多少？")
    wait_for(browser, lambda d: d.find_element(By.ID, "qa-table-panel").is_displayed())
    time.sleep(1)
    in_chat = browser.execute_script(ONE_LINE_JS, "#qa-chat td.qa-label, #qa-chat td.qa-figure", None)
    in_panel = browser.execute_script(ONE_LINE_JS, ".none", "#qa-table .virtual-row")  # its rows are divs
    assert {"内蒙古", "黑龙江", "6%左右"} <= {text for text, _lines in in_chat}
    assert {"内蒙古", "黑龙江", "四川", "5.5%以上"} <= {text for text, _lines in in_panel}
    wrapped = [item for item in in_chat + in_panel if item[1] != 1]
    assert not wrapped, wrapped
    assert browser.execute_script(CUT_JS, "#qa-table-panel") == 0
    assert "数值 Figure" in browser.find_element(By.ID, "qa-table").text
    panel = browser.find_element(By.ID, "qa-table-panel").rect
    assert panel["width"] > 1000  # the page's width, not the chat bubble's
    browser.execute_script("document.getElementById('qa-table-panel').scrollIntoView()")
    browser.save_screenshot(str(SCREENSHOTS / "table-panel.png"))

    which = ask_and_wait(browser, "哪些省份提到了人形机器人？")
    assert "2 of 9 reports mention" in which or "of" in which
    folded = browser.find_elements(By.CSS_SELECTOR, "#qa-chat details.qa-unstated")
    assert folded and "未提及 not stated" in folded[-1].text and not folded[-1].get_attribute("open")
    rows = wait_for(browser, lambda d: "数值 Figure" not in d.find_element(By.ID, "qa-table").text and
                    d.find_element(By.ID, "qa-table").text)  # fmt: skip  # no empty figure column
    assert "北京" in rows and "上海" in rows and "重庆" not in rows  # the unstated are under the table, folded
    assert browser.execute_script(CLIPPED_JS, "#qa-table .virtual-row > .body-cell") == []  # quotes wrap
    assert "重庆" in browser.find_element(By.ID, "qa-table-unstated").get_attribute("innerHTML")
    browser.save_screenshot(str(SCREENSHOTS / "which.png"))

    passage = browser.find_element(By.CSS_SELECTOR, "#passage-1 .qa-text")
    passage.click()  # the passage's body, not its marker or title
    cited = wait_for(browser, lambda d: d.find_elements(By.ID, "qa-cited") and d.find_element(By.ID, "qa-cited"))
    assert "人形机器人" in cited.text

    open_tab(browser, "文档 Documents")
    wait_for(browser, lambda d: "2025年内蒙古自治区政府工作报告" in d.find_element(By.ID, "qa-documents").text)
    assert browser.execute_script(CUT_JS, "#qa-documents") == 0
    browser.save_screenshot(str(SCREENSHOTS / "documents-1400.png"))


def test_targets_against_results_and_a_timeline_with_their_charts(server, browser) -> None:
    """The archive over time on the page: a target question's table and chart, a click on a year
    showing its sentences, one of them opened in the report; a term's count per report."""
    from selenium.webdriver.common.by import By

    url, _root = server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(url)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#qa-question textarea"))
    reply = ask_and_wait(browser, "2010年到2011年国内生产总值增长目标和实际分别是多少？")
    assert "达成 met" in reply and "8%左右" in reply and "10.3%" in reply
    panel = wait_for(browser, lambda d: d.find_element(By.ID, "qa-series-panel").is_displayed()
                     and d.find_element(By.ID, "qa-series-panel"))  # fmt: skip
    assert panel.find_elements(By.CSS_SELECTOR, "svg.qa-chart circle")
    panel.find_element(By.XPATH, ".//a[contains(@class, 'qa-year-link') and text()='2011']").click()
    shown = wait_for(browser, lambda d: [year for year in d.find_elements(By.CSS_SELECTOR, ".qa-year")
                                         if year.is_displayed()])  # fmt: skip
    assert len(shown) == 1 and "9.2%" in shown[0].text and "2012年国务院政府工作报告" in shown[0].text
    browser.save_screenshot(str(SCREENSHOTS / "archive-targets.png"))
    cited = open_citation(browser, ".qa-year a.qa-open", shown[0].find_elements(By.CSS_SELECTOR, "a.qa-open")[-1].text)
    assert "9.2%" in cited

    reply = ask_and_wait(browser, "城镇登记失业率在历年政府工作报告中出现了多少次？")
    assert "3 次" in reply
    panel = wait_for(browser, lambda d: "共 3 次" in d.find_element(By.ID, "qa-series-panel").text
                     and d.find_element(By.ID, "qa-series-panel"))  # fmt: skip
    panel.find_elements(By.CSS_SELECTOR, "a.qa-point")[0].click()
    shown = wait_for(browser, lambda d: [year for year in d.find_elements(By.CSS_SELECTOR, ".qa-year")
                                         if year.is_displayed()])  # fmt: skip
    assert "2010" in shown[0].text and "城镇登记失业率" in shown[0].text
    browser.save_screenshot(str(SCREENSHOTS / "archive-timeline.png"))
