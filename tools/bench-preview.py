#!/usr/bin/env python3
"""Benchmark of the live preview of `vanban serve` (not a test): how long the
page takes, after a pause in typing, to show the new PDF page — on the 13-page
Gia Lai plan, in headless Chromium (Debian's chromium, chromium-driver and
python3-selenium), as a clerk types into the body.

Each edit is one real keystroke in the body editor, followed by a pause; the
page records, with the Performance API clock, when the keystroke reached the
editor, when the request was sent, when the server's answer was read, when
pdf.js had opened the new PDF, when the page in view was drawn, and the next
animation frame after that (the page on screen). The script prints every
edit and the median and 95th percentile of each part.

Loopback only (the server listens on 127.0.0.1, a free port); bounded (the
edits given, each waited for at most 20 s); the server and the browser are
stopped at the end.

    python3 tools/bench-preview.py [--vanban build/vanban] [--edits 20] [--pause 0.4]
                                   [--line N] [--base URL] [--query ?nofontface]
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from serve import Server  # noqa: E402

try:
    import selenium  # noqa: F401
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

PARTS = [
    ("pause", "edit", "send", "the page's pause after the keystroke"),
    ("server", "send", "answer", "request sent → the server's answer read (check, layout, PDF, transfer)"),
    ("open", "answer", "opened", "pdf.js opens the new PDF"),
    ("draw", "opened", "drawn", "the page in view drawn"),
    ("frame", "drawn", "painted", "to the next frame"),
    ("total", "edit", "painted", "keystroke → new page on screen"),
]


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vanban", default=os.path.join(ROOT, "build", "vanban"))
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--pause", type=float, default=0.4, help="seconds between edits")
    ap.add_argument("--line", type=int, default=9, help="body line typed into (1-based; line 9 is on page 1)")
    ap.add_argument("--base", help="an already running server (for trying the page out), instead of starting one")
    ap.add_argument("--query", default="", help="added to the page's address, e.g. \"?nofontface\" (pdf.js draws glyph outlines instead of loading the fonts)")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="vanban-bench-preview-")
    ws = os.path.join(work, "workspace")
    shutil.copytree(os.path.join(ROOT, "examples"), os.path.join(ws, "examples"))
    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1500,1000",
              "--lang=vi", f"--user-data-dir={os.path.join(work, 'profile')}"):
        opts.add_argument(a)
    server = None if args.base else Server(args.vanban, ws)
    base = args.base or server.base
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    rows = []
    try:
        wait = WebDriverWait(driver, 40, poll_frequency=0.01)
        driver.get(base + "/" + args.query)
        wait.until(lambda d: d.execute_script("return !!(window.vanbanState && window.vanbanState.doc)"))
        Select(driver.find_element(By.ID, "ws-files")).select_by_value("examples/gia-lai/document.json")
        wait.until(lambda d: "13 trang" in d.find_element(By.ID, "status").text
                   and len(d.find_elements(By.CSS_SELECTOR, "#preview canvas.page")) >= 1)
        time.sleep(1.0)
        driver.find_element(By.ID, "tab-btn-body").click()
        driver.execute_script("const cm = window.vanbanState.cm; cm.focus(); cm.setCursor(arguments[0] - 1, cm.getLine(arguments[0] - 1).length);",
                              args.line)
        time.sleep(0.5)
        load = os.getloadavg()[0]
        for i in range(args.edits):
            n = driver.execute_script("return window.vanbanState.timings.length")
            ActionChains(driver).send_keys("x" if i % 2 == 0 else " ").perform()
            # (the page records its own times: polling seldom leaves the browser's main thread to the page)
            WebDriverWait(driver, 20, poll_frequency=0.1).until(
                lambda d: d.execute_script("const t = window.vanbanState.timings; return t.length > arguments[0] && t[t.length - 1].painted !== undefined", n))
            t = driver.execute_script("return window.vanbanState.timings[window.vanbanState.timings.length - 1]")
            rows.append(t)
            print(f"edit {i + 1:2d}: " + "  ".join(f"{name} {t[b] - t[a]:6.1f}" for name, a, b, _ in PARTS), flush=True)
            time.sleep(args.pause)
        load = (load + os.getloadavg()[0]) / 2
    finally:
        driver.quit()
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nGia Lai plan (13 pages), {len(rows)} edits, machine load average ≈ {load:.1f} ({os.cpu_count()} cores):")
    print(f"{'part':<8} {'median':>8} {'p95':>8}   ")
    for name, a, b, what in PARTS:
        v = [t[b] - t[a] for t in rows]
        print(f"{name:<8} {statistics.median(v):7.1f}ms {pct(v, 95):7.1f}ms   {what}")
    print(json.dumps({"edits": len(rows), "load": round(load, 1),
                      "median_ms": round(statistics.median([t['painted'] - t['edit'] for t in rows]), 1),
                      "p95_ms": round(pct([t['painted'] - t['edit'] for t in rows], 95), 1)}))


if __name__ == "__main__":
    main()
