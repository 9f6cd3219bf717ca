"""The page of `vanban serve` in a real browser: headless Chromium driven by
Selenium (Debian's chromium, chromium-driver and python3-selenium). Fills the
form of a Công văn, types a body and sees the PDF preview update; makes
mistakes and sees the Vietnamese message at the field and at the body line;
opens the Gia Lai plan from the workspace and measures the preview's delay
after an edit; pastes tab-separated figures into the annex grid and sees the
computed column and total follow; downloads the PDF and reads it with
pdftotext; saves screenshots of the main screens (OUT/screens/)."""
import json
import os
import shutil
import statistics
import tempfile
import time

import sys

from e2e import OUT, SOURCE, VANBAN, check, finish, fresh, tool
from serve import Server

try:
    import selenium  # noqa: F401
except ImportError:  # an interpreter other than Debian's: use Debian's python3-selenium
    sys.path.append("/usr/lib/python3/dist-packages")
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

work = fresh("serve_browser")
ws = os.path.join(work, "workspace")
shutil.copytree(os.path.join(SOURCE, "examples"), os.path.join(ws, "examples"))
downloads = os.path.join(work, "downloads")
screens = os.path.join(work, "screens")
os.makedirs(downloads)
os.makedirs(screens)
profile = tempfile.mkdtemp(prefix="vanban-chromium-")

opts = Options()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--window-size=1500,1000", "--lang=vi", f"--user-data-dir={profile}"):
    opts.add_argument(a)
opts.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})


def wait(driver, cond, what, timeout=20):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.02).until(lambda d: cond(d))
    except Exception:
        check(False, "timed out waiting for: " + what)
        return None


def status(d):
    return d.find_element(By.ID, "status").text


def updates(d):
    return int(d.find_element(By.ID, "preview").get_attribute("data-updates") or 0)


def shot(d, name):
    path = os.path.join(screens, name + ".png")
    d.save_screenshot(path)
    return path


def field(d, ptr):
    return d.find_element(By.CSS_SELECTOR, f'[data-pointer="{ptr}"]:is(input, textarea, select)')


def fill(d, ptr, text):
    e = field(d, ptr)
    e.send_keys(Keys.CONTROL + "a")
    e.send_keys(Keys.DELETE)  # an input event, unlike clear()
    if text:
        e.send_keys(text)


def field_msg(d, ptr):
    return d.find_element(By.CSS_SELECTOR, f'.field[data-pointer="{ptr}"] .field-msg').text


def type_body(d, text, end=True):
    """Types into the body editor (CodeMirror), at the end of the text by default."""
    if end:
        d.execute_script("const cm = window.vanbanState.cm; cm.focus(); cm.setCursor(cm.lineCount(), 0);")
    ActionChains(d).send_keys(text).perform()


def preview_text(d):
    """The text of every page of the PDF the preview shows, read with pdf.js."""
    return d.execute_async_script("""
        const done = arguments[arguments.length - 1], doc = window.vanbanState.pdf.doc;
        (async () => {
          const out = [];
          for (let n = 1; n <= doc.numPages; n++) out.push((await (await doc.getPage(n)).getTextContent()).items.map(i => i.str).join(" "));
          return out.join("\\n");
        })().then(done, e => done("ERROR " + e));""")


latencies = []
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
try:
    with Server(VANBAN, ws) as s:
        driver.get(s.base + "/")
        wait(driver, lambda d: "lỗi" in status(d) or "Hợp lệ" in status(d), "the first check")
        check(driver.execute_script("return !!window.pdfjsLib && !!window.CodeMirror"), "pdf.js and CodeMirror are loaded from /usr/share/javascript")
        check(Select(driver.find_element(By.ID, "doc-type")).first_selected_option.text == "Công văn", "a Công văn is chosen by default")
        labels = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#form .field > label")]
        for want in ("Tên cơ quan ban hành", "Số văn bản", "Ngày ban hành", "Trích yếu nội dung", "Kính gửi", "Nơi nhận", "Họ và tên người ký"):
            check(any(l.startswith(want) for l in labels), f"the form has the field {want}: {labels}")
        helps = driver.find_elements(By.CSS_SELECTOR, '.field[data-pointer="/date"] .help')
        check(helps and "NĂM-THÁNG-NGÀY" in helps[0].text, "each field has its Vietnamese help")

        # fill the form of a Công văn
        fill(driver, "/issuer/name", "Ủy ban nhân dân\nhuyện Kbang")
        fill(driver, "/number", "215")
        fill(driver, "/unit", "VP")
        fill(driver, "/date", "2024-05-06")
        fill(driver, "/place", "Kbang")
        fill(driver, "/summary", "Báo cáo kết quả giảm nghèo 6 tháng đầu năm 2024")
        fill(driver, "/kinh_gui", "Ủy ban nhân dân tỉnh Gia Lai\nSở Lao động - Thương binh và Xã hội")
        fill(driver, "/recipients", "Sở Tài chính\nSở Kế hoạch và Đầu tư")
        fill(driver, "/archive", "VT, VP")
        fill(driver, "/signature/name", "Nguyễn Văn Bình")
        wait(driver, lambda d: "Hợp lệ" in status(d) and updates(d) > 0, "a valid Công văn and its preview")
        check("Hợp lệ" in status(driver), f"the filled form is valid: {status(driver)}")
        shot(driver, "1-form-cong-van")

        # type a body and see the preview update
        driver.find_element(By.ID, "tab-btn-body").click()
        before = updates(driver)
        type_body(driver, "\nUBND huyện Kbang đã hoàn thành chỉ tiêu giảm 250 hộ nghèo trong 6 tháng đầu năm.\n")
        wait(driver, lambda d: updates(d) > before and "Hợp lệ" in status(d), "the preview after typing the body")
        check(updates(driver) > before, "the preview updates after typing")
        print("preview latency after typing (Công văn, 1 page):", driver.find_element(By.ID, "preview").get_attribute("data-latency"), "ms")
        shot(driver, "2-body-preview")

        # a mistake in the body, shown at its line in Vietnamese
        type_body(driver, "\n###### Quá nhiều cấp\n")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".vb-line-msg"), "the message at the body line")
        msgs = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".vb-line-msg")]
        check(any(m.startswith("Dàn ý có nhiều nhất 4 cấp (#, ##, ###, ####)") for m in msgs), f"the body line's message is Vietnamese: {msgs}")
        check(driver.find_elements(By.CSS_SELECTOR, ".vb-error-line"), "the body line is marked")
        check(driver.find_element(By.ID, "tab-btn-body").get_attribute("data-count") == "1", "the Nội dung tab counts its problem")
        shot(driver, "3-body-error")
        type_body(driver, Keys.BACKSPACE * 22)
        wait(driver, lambda d: "Hợp lệ" in status(d), "the body fixed")

        # a mistake in a field, shown at the field in Vietnamese
        driver.find_element(By.ID, "tab-btn-form").click()
        fill(driver, "/date", "2024-13-06")
        wait(driver, lambda d: "không có thật" in field_msg(d, "/date"), "the message at the date field")
        msg = field_msg(driver, "/date")
        check("không có thật" in msg and "tháng 13" in msg, f"the date's message is Vietnamese: {msg}")
        check("invalid" in driver.find_element(By.CSS_SELECTOR, '.field[data-pointer="/date"]').get_attribute("class"), "the date field is marked")
        check("lỗi cần sửa" in status(driver), f"the status counts the problem: {status(driver)}")
        fill(driver, "/signature/name", "")
        wait(driver, lambda d: "để trống" in field_msg(d, "/signature/name") or "Chưa nhập" in field_msg(d, "/signature/name"),
             "the message at the signer's name")
        check("Không được để trống" in field_msg(driver, "/signature/name") or "Chưa nhập" in field_msg(driver, "/signature/name"),
              f"an empty name: {field_msg(driver, '/signature/name')}")
        driver.execute_script("document.querySelector('.field[data-pointer=\"/date\"]').scrollIntoView({block: 'center'})")
        shot(driver, "4-field-error")
        fill(driver, "/date", "2024-05-06")
        fill(driver, "/signature/name", "Nguyễn Văn Bình")
        wait(driver, lambda d: "Hợp lệ" in status(d) and field_msg(d, "/date") == "", "the fixed form")

        # download the PDF and read it
        driver.find_element(By.ID, "dl-pdf").click()
        pdf = os.path.join(downloads, "215-ubnd-vp.pdf")
        wait(driver, lambda d: os.path.exists(pdf) and os.path.getsize(pdf) > 1000, "the downloaded PDF")
        time.sleep(0.3)
        text, _ = tool("pdftotext", "-layout", pdf, "-")
        flat = " ".join(text.split())
        for want in ("ỦY BAN NHÂN DÂN", "HUYỆN KBANG", "Số: 215/UBND-VP", "Kbang, ngày 06 tháng 5 năm 2024",
                     "Báo cáo kết quả giảm nghèo 6 tháng đầu năm 2024", "Kính gửi", "hoàn thành chỉ tiêu giảm 250 hộ nghèo",
                     "Nguyễn Văn Bình"):
            check(want in flat, f"the downloaded PDF has \"{want}\"")

        # save the JSON input
        driver.find_element(By.ID, "btn-save").click()
        saved = os.path.join(downloads, "215-ubnd-vp.json")
        wait(driver, lambda d: os.path.exists(saved), "the saved JSON")
        time.sleep(0.2)
        with open(saved, encoding="utf-8") as f:
            j = json.load(f)
        check(j["number"] == 215 and j["signature"]["name"] == "Nguyễn Văn Bình" and "250 hộ nghèo" in j["body"]["text"],
              "the saved JSON holds the form and the body")

        # the Gia Lai plan from the workspace: preview delay after an edit, 13 pages
        Select(driver.find_element(By.ID, "ws-files")).select_by_value("examples/gia-lai/document.json")
        wait(driver, lambda d: "13 trang" in status(d) and len(d.find_elements(By.CSS_SELECTOR, "#preview .page")) == 13,
             "the Gia Lai plan's 13 pages", timeout=40)
        check("13 trang" in status(driver), f"the Gia Lai plan: {status(driver)}")
        driver.execute_script("const p = document.getElementById('preview'); p.scrollTop = p.scrollHeight;")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#preview canvas.page[data-page="13"]'), "the last page drawn when scrolled to")
        check(driver.find_elements(By.CSS_SELECTOR, '#preview canvas.page[data-page="13"]'), "a page is drawn when it is scrolled into view")
        shot(driver, "5-gia-lai-annex-page")
        driver.execute_script("document.getElementById('preview').scrollTop = 0;")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#preview canvas.page[data-page="1"]'), "the first page")
        time.sleep(0.5)
        shot(driver, "5-gia-lai-preview")
        driver.find_element(By.ID, "tab-btn-body").click()
        type_body(driver, "\n\nNội dung bổ sung ")
        time.sleep(0.5)
        for i in range(8):
            before = updates(driver)
            type_body(driver, "x", end=False)
            wait(driver, lambda d: updates(d) > before, "the preview after a keystroke")
            latencies.append(int(driver.find_element(By.ID, "preview").get_attribute("data-latency")))
            print("  keystroke -> preview:", latencies[-1], "ms", driver.find_element(By.ID, "preview").get_attribute("data-timing"))
            time.sleep(0.3)
        p50 = statistics.median(latencies)
        print(f"Gia Lai (13 pages): preview delay after a keystroke, median {p50} ms, max {max(latencies)} ms "
              f"(of which 25 ms is the pause the page waits for): {latencies}")
        check(p50 < 1500, f"the preview follows typing on the 13-page plan (median {p50} ms)")

        # paste a table into the annex grid
        driver.find_element(By.ID, "tab-btn-annex").click()
        first = driver.find_element(By.CSS_SELECTOR, '#grid-table td[data-row="0"][data-key="c1"]')
        total_before = driver.find_element(By.CSS_SELECTOR, "#grid-table tfoot tr").text
        first.click()
        pasted = "20000\t2.500\n10000\t1000"
        driver.execute_script("""
            const dt = new DataTransfer(); dt.setData('text/plain', arguments[1]);
            arguments[0].dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));""",
                              first, pasted)
        def cell(d, r, k):
            return d.find_element(By.CSS_SELECTOR, f'#grid-table td[data-row="{r}"][data-key="{k}"]').text
        wait(driver, lambda d: cell(d, 0, "c3") == "12,50" and cell(d, 1, "c3") == "10,00", "the computed column after the paste")
        check(cell(driver, 0, "c1") == "20.000" and cell(driver, 0, "c2") == "2.500" and cell(driver, 1, "c2") == "1.000",
              f"the pasted figures fill two rows from the cell: {cell(driver, 0, 'c1')} {cell(driver, 0, 'c2')} {cell(driver, 1, 'c2')}")
        check(cell(driver, 0, "c3") == "12,50", f"the computed rate follows (2.500 / 20.000): {cell(driver, 0, 'c3')}")
        heads = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#grid-table thead th")]
        check("Kết quả rà soát cuối năm 2023" in heads and "3=2/1" in heads, f"the grid's header has the merged groups and labels: {heads}")
        shot(driver, "6-annex-grid")
        total_after = driver.find_element(By.CSS_SELECTOR, "#grid-table tfoot tr").text
        check(total_after != total_before, f"the total row follows: {total_before} -> {total_after}")

        # an annex with nested groups (Dự án → Tiểu dự án → rows): the group rows
        # carry their subtotals, a figure typed or pasted moves every level above it
        before = updates(driver)
        Select(driver.find_element(By.ID, "ws-files")).select_by_value("examples/kinh-phi-huyen/document.json")
        wait(driver, lambda d: updates(d) > before and "Hợp lệ" in status(d), "the Krông Pa plan", timeout=40)
        driver.find_element(By.ID, "tab-btn-annex").click()
        groups = driver.find_elements(By.CSS_SELECTOR, "#grid-table tbody tr.group")
        data_rows = driver.find_elements(By.CSS_SELECTOR, "#grid-table tbody tr.data")
        check(len(groups) == 13 and len(data_rows) == 2, f"the grid shows the 13 groups and 2 rows of Phụ lục I ({len(groups)}, {len(data_rows)})")

        def row_of(d, text):
            for tr in d.find_elements(By.CSS_SELECTOR, "#grid-table tbody tr[data-row]"):
                if text in tr.find_element(By.CSS_SELECTOR, 'td[data-key="noi_dung"]').text:
                    return tr
            return None

        def at(d, text, key):
            tr = row_of(d, text)
            return tr.find_element(By.CSS_SELECTOR, f'td[data-key="{key}"]').text if tr else None

        def total(d, key):
            return d.find_element(By.CSS_SELECTOR, f'#grid-table tfoot tr.total td[data-key="{key}"]').text

        check(at(driver, "Tiểu dự án 1: Hỗ trợ phát triển sản xuất", "tw") == "2.300" and at(driver, "Dự án 3:", "tw") == "2.600",
              "the group rows show the subtotals of every level")
        check(at(driver, "Dự án 3:", "tt") == "II" and at(driver, "Tiểu dự án 1: Hỗ trợ phát triển sản xuất", "tt") == "1"
              and at(driver, "sản xuất cộng đồng", "tt") == "a", "the TT column numbers groups I, II, then 1, 2, then rows a, b")
        check(row_of(driver, "Dự án 3:").find_element(By.CSS_SELECTOR, 'td[data-key="tw"]').get_attribute("contenteditable") is None,
              "a group's subtotal is computed, not typed")
        check(row_of(driver, "Tiểu dự án 2: Cải thiện").find_element(By.CSS_SELECTOR, 'td[data-key="tw"]').get_attribute("contenteditable") == "true",
              "a group without rows carries its own figures, typed in its row")
        # a figure typed in a row: the row's computed column, both group levels above and the total follow
        cell_tw = row_of(driver, "sản xuất cộng đồng").find_element(By.CSS_SELECTOR, 'td[data-key="tw"]')
        before = updates(driver)
        cell_tw.click()
        cell_tw.send_keys(Keys.CONTROL + "a")
        cell_tw.send_keys("2000")
        wait(driver, lambda d: at(d, "sản xuất cộng đồng", "tong") == "3.150" and at(d, "Dự án 3:", "tw") == "3.000",
             "the computed column and the subtotals after typing a figure")
        check(at(driver, "Tiểu dự án 1: Hỗ trợ phát triển sản xuất", "tw") == "2.700", "the sub-project's subtotal follows")
        check(at(driver, "Dự án 3:", "tong") == "4.948", f"the project's stated total is computed again: {at(driver, 'Dự án 3:', 'tong')}")
        wait(driver, lambda d: total(d, "tong") == "21.256,9345", "the total row after typing a figure")
        check(total(driver, "tw") == "10.966,9345", f"a total stated over unknown cells stays as published: {total(driver, 'tw')}")
        # pasted from a spreadsheet: three lines, over the two rows and the group without rows below them
        cell_tw = row_of(driver, "sản xuất cộng đồng").find_element(By.CSS_SELECTOR, 'td[data-key="tw"]')
        driver.execute_script("""
            const dt = new DataTransfer(); dt.setData('text/plain', arguments[1]);
            arguments[0].dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));""",
                              cell_tw, "1.000\t500\r\n800\t400\r\n350\t250\r\n")
        wait(driver, lambda d: at(d, "Tiểu dự án 1: Hỗ trợ phát triển sản xuất", "tong") == "2.700" and at(d, "Dự án 3:", "tw") == "2.150",
             "the subtotals after pasting over rows and a group")
        check(at(driver, "theo chuỗi giá trị", "dp") == "400" and at(driver, "Tiểu dự án 2: Cải thiện", "tong") == "600",
              f"the paste filled both rows and the group's own figures: {at(driver, 'theo chuỗi giá trị', 'dp')} {at(driver, 'Tiểu dự án 2: Cải thiện', 'tong')}")
        check(at(driver, "Dự án 3:", "dp") == "1.150", f"the project's subtotal follows the paste: {at(driver, 'Dự án 3:', 'dp')}")
        # a row added to a sub-project: its missing figures are marked at the row, then filled
        row_of(driver, "theo chuỗi giá trị").find_element(By.CSS_SELECTOR, "td.rownum").click()
        driver.find_element(By.ID, "annex-add-row").click()
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#grid-table tbody tr.data td.invalid"), "the new row's missing figures marked")
        check(len(driver.find_elements(By.CSS_SELECTOR, "#grid-table tbody tr.data")) == 3, "a row was added to the sub-project")
        new_row = driver.find_elements(By.CSS_SELECTOR, "#grid-table tbody tr.data")[2]
        problems = driver.find_element(By.ID, "annex-problems").text
        check("Tiểu dự án 1" in problems, f"the problem names the row's group: {problems[:200]}")
        for key, text in (("noi_dung", "Hỗ trợ giống cây trồng"), ("tw", "100"), ("dp", "50")):
            c = new_row.find_element(By.CSS_SELECTOR, f'td[data-key="{key}"]')
            c.click()
            c.send_keys(text)
        wait(driver, lambda d: at(d, "Tiểu dự án 1: Hỗ trợ phát triển sản xuất", "tong") == "2.850"
             and not d.find_elements(By.CSS_SELECTOR, "#grid-table tbody td.invalid"), "the sub-project's subtotal with the new row")
        check(at(driver, "Hỗ trợ giống cây trồng", "tt") == "c", "the new row is numbered c")
        # the new figures no longer match what Phụ lục II and the text state: said, while the grid keeps computing
        said = driver.find_element(By.ID, "annex-problems").text
        check("Phụ lục II" in said and "19.758,9345" in said, f"the cross-table check names the new total: {said[:300]}")
        check(driver.find_element(By.ID, "tab-btn-body").get_attribute("data-count") == "1", "the figure the text states is marked in the body")
        driver.execute_script("document.querySelector('#annex-grid').scrollTop = 0")
        shot(driver, "7-annex-nested-groups")

        # a joint document: the issuers and signatures edited in the form
        before = updates(driver)
        Select(driver.find_element(By.ID, "ws-files")).select_by_value("examples/lien-tich/document.json")
        wait(driver, lambda d: updates(d) > before and "Hợp lệ" in status(d), "the joint plan", timeout=40)
        driver.find_element(By.ID, "tab-btn-form").click()
        check(driver.find_element(By.ID, "toggle-joint").is_selected(), "the form knows the document is a joint one")
        check(field(driver, "/issuers/1/code").get_attribute("value") == "SGDĐT"
              and field(driver, "/issuers/1/name").get_attribute("value") == "Sở Giáo dục\nvà Đào tạo",
              "each issuer's fields hold its name (one line per printed line) and code")
        check(field(driver, "/signatures/0/name").get_attribute("value") == "Nguyễn Thị Hồng Nhung", "each signature's fields")
        titles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".item-title")]
        check("Cơ quan thứ 1 (chủ trì)" in titles and "Chữ ký thứ 2 — Sở Giáo dục và Đào tạo" in titles, f"the items are named: {titles}")
        labels = [e.text for e in driver.find_elements(By.CSS_SELECTOR, '.item[data-pointer="/signatures/1"] .field > label')]
        check(labels[:3] == ["Quyền hạn ký", "Chức vụ người ký *", "Họ và tên người ký *"], f"the signature's fields have Vietnamese labels: {labels}")
        helps = driver.find_elements(By.CSS_SELECTOR, '.field[data-pointer="/issuers/0/code"] .help')
        check(helps and "ký hiệu liên tịch" in helps[0].text, "and the schema's help")
        before = updates(driver)
        fill(driver, "/signatures/1/name", "Lê Văn Tâm")
        wait(driver, lambda d: updates(d) > before and "Hợp lệ" in status(d), "the preview after changing a signer")
        text = preview_text(driver)
        check("Lê Văn Tâm" in text and "Trần Văn Hùng" not in text, f"the preview's PDF has the new signer: {text[-300:]}")
        fill(driver, "/signatures/1/name", "")
        wait(driver, lambda d: field_msg(d, "/signatures/1/name") != "", "the message at the second signer's name")
        check("Không được để trống" in field_msg(driver, "/signatures/1/name") or "Chưa nhập" in field_msg(driver, "/signatures/1/name"),
              f"an empty signer's name: {field_msg(driver, '/signatures/1/name')}")
        links = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#problems li a")]
        check(any(l.startswith("Chữ ký thứ 2") for l in links), f"the list names the signature: {links}")
        driver.execute_script("document.querySelector('[data-pointer=\"/signatures/1/name\"]').scrollIntoView({block: 'center'})")
        shot(driver, "9-joint-signature-error")
        fill(driver, "/signatures/1/name", "Lê Văn Tâm")
        # a third issuer brings its signature; removed again
        driver.find_element(By.CSS_SELECTOR, 'button[data-add="/issuers"]').click()
        wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, '.item[data-pointer^="/signatures/"]')) == 3, "a third signature with the third issuer")
        wait(driver, lambda d: field_msg(d, "/issuers/2/code") != "", "the message at the new issuer's code")
        check(field_msg(driver, "/issuers/2/code") != "", "the new issuer's empty code is marked at its field")
        driver.find_element(By.CSS_SELECTOR, '.item[data-pointer="/issuers/2"] .item-tools button:last-child').click()
        wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, '.item[data-pointer^="/signatures/"]')) == 2 and "Hợp lệ" in status(d),
             "the third issuer and its signature removed")
        driver.execute_script("document.querySelector('.item[data-pointer=\"/signatures/0\"]').scrollIntoView({block: 'start'})")
        shot(driver, "8-joint-form")
        driver.find_element(By.ID, "dl-pdf").click()
        stem = driver.execute_script("return window.vanbanState.report.stem")
        pdf = os.path.join(downloads, stem + ".pdf")
        wait(driver, lambda d: os.path.exists(pdf) and os.path.getsize(pdf) > 1000, "the joint plan's PDF")
        time.sleep(0.3)
        text, _ = tool("pdftotext", "-layout", pdf, "-")
        check("Lê Văn Tâm" in text and "Nguyễn Thị Hồng Nhung" in text, "the downloaded joint plan has both signers")

        # a copy (sao y): the copy block's fields in the form
        before = updates(driver)
        Select(driver.find_element(By.ID, "ws-files")).select_by_value("examples/ban-sao/document.json")
        wait(driver, lambda d: "lỗi" in status(d), "the copied Công văn")
        driver.find_element(By.CSS_SELECTOR, 'details[data-key="copy"] > summary').click()
        check(driver.find_element(By.ID, "toggle-copy").is_selected(), "the form knows the document is a copy")
        kind = Select(field(driver, "/copy/kind"))
        check(kind.first_selected_option.text == "Sao y (SY)" and "Trích sao (TrS)" in [o.text for o in kind.options],
              "the kind of copy is chosen in words")
        msg = field_msg(driver, "/copy/signature/image/file")
        check("Không có tệp hình ảnh" in msg, f"the signature image that the page cannot send is explained at its field: {msg}")
        driver.find_element(By.ID, "toggle-copy-signature-image").click()
        driver.find_element(By.ID, "toggle-copy-signature-seal").click()
        wait(driver, lambda d: updates(d) > before and "Hợp lệ" in status(d), "the copy without its images")
        before = updates(driver)
        fill(driver, "/copy/number", "7")
        wait(driver, lambda d: updates(d) > before, "the preview after changing the copy's number")
        text = " ".join(preview_text(driver).split())
        check("07/SY-VP" in text and "SAO Y" in text, f"the preview's copy block has the new number: {text[-400:]}")
        driver.execute_script("document.querySelector('[data-pointer=\"/copy/number\"]').scrollIntoView({block: 'center'})")
        shot(driver, "10-copy-form")

        # a decision: its authority, bases and proposal in the form, only for the types that have them
        before = updates(driver)
        Select(driver.find_element(By.ID, "ws-files")).select_by_value("examples/quyet-dinh/document.json")
        wait(driver, lambda d: updates(d) > before and "Hợp lệ" in status(d), "the decision", timeout=40)
        driver.find_element(By.ID, "tab-btn-form").click()
        legends = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#form fieldset > legend")]
        check("Thẩm quyền và căn cứ ban hành" in legends, f"a decision's form has its bases: {legends}")
        bases = field(driver, "/bases").get_attribute("value").split("\n")
        check(len(bases) >= 2 and bases[0].startswith("Căn cứ Luật Tổ chức chính quyền địa phương"), f"one base per line: {bases[:2]}")
        check(field(driver, "/authority").get_attribute("value") == "Chủ tịch Ủy ban nhân dân tỉnh Gia Lai", "the authority line")
        before = updates(driver)
        fill(driver, "/proposal", "Theo đề nghị của Giám đốc Sở Tư pháp")
        wait(driver, lambda d: updates(d) > before and "Theo đề nghị của Giám đốc Sở Tư pháp." in " ".join(preview_text(d).split()),
             "the preview with the new proposal")
        text = " ".join(preview_text(driver).split())
        check("Chánh Văn phòng Ủy ban nhân dân tỉnh." not in text, "the old proposal is gone from the preview")
        driver.execute_script("document.querySelector('[data-pointer=\"/bases\"]').scrollIntoView({block: 'center'})")
        shot(driver, "11-decision-form")
        Select(driver.find_element(By.ID, "doc-type")).select_by_value("BB")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-pointer="/secretary/name"]'), "the secretary's fields for a Biên bản")
        Select(driver.find_element(By.ID, "doc-type")).select_by_value("GM")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-pointer="/invitation/event"]'), "the invitation's fields for a Giấy mời")
        check(field(driver, "/bases") is not None, "the decision's bases stay shown while the document holds them")
        before = updates(driver)
        Select(driver.find_element(By.ID, "ws-files")).select_by_value("examples/cong-van/document.json")
        wait(driver, lambda d: updates(d) > before, "the Công văn")
        check(not driver.find_elements(By.CSS_SELECTOR, '[data-pointer="/bases"], [data-pointer="/secretary"], [data-pointer="/invitation"]'),
              "a Công văn's form has no bases, secretary or invitation")

        # the batch tab, with the Gia Lai districts
        driver.find_element(By.ID, "tab-btn-batch").click()
        src = os.path.abspath(os.path.join(SOURCE, "examples", "gia-lai-huyen"))
        driver.find_element(By.ID, "batch-template").send_keys(os.path.join(src, "template.json") + "\n" + os.path.join(src, "body.md"))
        driver.find_element(By.ID, "batch-data").send_keys(os.path.join(src, "data.csv"))
        wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#batch-records tbody tr")) == 17, "the 17 records")
        rows = driver.find_elements(By.CSS_SELECTOR, "#batch-records tbody tr")
        check(len(rows) == 17, f"the data's 17 records are listed ({len(rows)})")
        before = updates(driver)
        rows[1].find_element(By.TAG_NAME, "button").click()
        wait(driver, lambda d: updates(d) > before and "bản ghi thứ 2" in status(d), "the preview of record 2")
        check("bản ghi thứ 2 (dòng 3 của bảng số liệu)" in status(driver) and "dak-doa" in status(driver),
              f"record 2 (line 3 of the data) previewed: {status(driver)}")
        shot(driver, "11-batch")
        driver.find_element(By.ID, "batch-zip").click()
        zipf = os.path.join(downloads, "vanban-batch.zip")
        wait(driver, lambda d: os.path.exists(zipf) and os.path.getsize(zipf) > 1000, "the batch ZIP", timeout=60)
        time.sleep(0.3)
        out, _ = tool("unzip", "-l", zipf)
        check("summary.txt" in out and out.count(".pdf") == 17, f"the ZIP holds 17 PDFs and the summary")
    # without Debian's front-end libraries: a plain text box and the browser's PDF view, with a message
    empty = os.path.join(work, "no-assets")
    os.makedirs(empty)
    with Server(VANBAN, ws, "--assets-dir", empty) as s:
        driver.get(s.base + "/")
        wait(driver, lambda d: "lỗi" in status(d) or "Hợp lệ" in status(d), "the first check without the libraries")
        fill(driver, "/signature/name", "Nguyễn Văn Bình")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#preview iframe.pdf-frame"), "the browser's own PDF view")
        check("libjs-pdf" in driver.find_element(By.ID, "pdf-note").text, "the page says pdf.js is missing")
        driver.find_element(By.ID, "tab-btn-body").click()
        note = driver.find_element(By.ID, "editor-note")
        check(note.is_displayed() and "libjs-codemirror" in note.text, f"the page says CodeMirror is missing: {note.text}")
        body = driver.find_element(By.ID, "body")
        before = updates(driver)
        body.send_keys("\n###### sai\n")
        wait(driver, lambda d: "Dàn ý có nhiều nhất 4 cấp" in d.find_element(By.ID, "body-problems").text,
             "the body problem beside the plain text box")
        check("Dòng 3" in driver.find_element(By.ID, "body-problems").text, "the plain text box's problem names its line")
        shot(driver, "12-without-libraries")
finally:
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
print("screenshots:", screens)
finish()
