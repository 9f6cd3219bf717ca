"""The language of messages: Vietnamese by default, English with --lang en or
VANBAN_LANG=en, never taken from the machine's locale (LANG, LC_ALL). Checks
representative texts in both languages: a missing field, a bad date, a table
total that does not match, the batch summary, --help, a usage error, check
--json (stable codes) and the server (?lang=, Accept-Language)."""
import json
import re
import os
import shutil

from e2e import OUT, SOURCE, VANBAN, check, finish, fresh
import subprocess

BASE = os.path.join(SOURCE, "examples/long-khanh")
GOOD = json.load(open(os.path.join(BASE, "document.json"), encoding="utf-8"))


def vanban(*args, env=None, lang=None):
    """Runs the binary with no VANBAN_LANG unless `lang` is given, plus `env`."""
    e = {k: v for k, v in os.environ.items() if k not in ("VANBAN_LANG", "LANG", "LC_ALL", "LANGUAGE", "LC_MESSAGES")}
    if lang is not None:
        e["VANBAN_LANG"] = lang
    e.update(env or {})
    return subprocess.run([VANBAN, *args], capture_output=True, text=True, env=e)


def document(name, mutate):
    d = fresh("lang-" + name)
    doc = json.loads(json.dumps(GOOD))
    doc["body"] = {"file": "body.md"}
    shutil.copy(os.path.join(BASE, "body.md"), os.path.join(d, "body.md"))
    mutate(doc)
    path = os.path.join(d, "document.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
    return path


# ---- a missing field ------------------------------------------------------------
path = document("missing", lambda d: d.pop("summary"))
r = vanban("check", path)
check(r.returncode == 1, f"missing field: exit 1, got {r.returncode}")
check(f'{path}:/summary: lỗi: thiếu trường bắt buộc "summary"' in r.stderr,
      f"missing field: Vietnamese by default: {r.stderr.strip()}")
en = vanban("check", path, "--lang", "en")
check(f'{path}:/summary: error: missing required field "summary"' in en.stderr, f"missing field: --lang en: {en.stderr.strip()}")
check(vanban("check", "--lang=en", path).stderr == en.stderr, "missing field: --lang=en before the input gives the same")
check(vanban("check", path, lang="en").stderr == en.stderr, "missing field: VANBAN_LANG=en gives English")
check(vanban("check", path, "--lang", "vi", lang="en").stderr == r.stderr, "--lang vi wins over VANBAN_LANG=en")
check(vanban("check", path, "--lang", "en", lang="vi").stderr == en.stderr, "--lang en wins over VANBAN_LANG=vi")
for loc in ("en_US.UTF-8", "C", "C.UTF-8", "vi_VN.UTF-8"):
    same = vanban("check", path, env={"LANG": loc, "LC_ALL": loc, "LC_MESSAGES": loc, "LANGUAGE": loc.split(".")[0]})
    check(same.stderr == r.stderr, f"LANG/LC_ALL={loc} have no effect on the language: {same.stderr.strip()}")
    same = vanban("check", path, lang="en", env={"LANG": "vi_VN.UTF-8", "LC_ALL": "vi_VN.UTF-8"})
    check(same.stderr == en.stderr, "a Vietnamese locale does not override VANBAN_LANG=en")

# ---- check --json: stable codes, the message in the chosen language -----------------
j = json.loads(vanban("check", path, "--json").stdout)
items = [x for x in j["diagnostics"] if x.get("pointer") == "/summary"]
check(len(items) == 1 and items[0]["code"] == "missing-field" and items[0]["severity"] == "error"
      and items[0]["message"] == 'thiếu trường bắt buộc "summary"' and items[0]["file"] == path,
      f"check --json: code, severity, file and the Vietnamese message: {items}")
j_en = json.loads(vanban("check", path, "--json", "--lang", "en").stdout)
items_en = [x for x in j_en["diagnostics"] if x.get("pointer") == "/summary"]
check(len(items_en) == 1 and items_en[0]["code"] == "missing-field" and items_en[0]["message"] == 'missing required field "summary"',
      f"check --json --lang en: the same code, the English message: {items_en}")
check(all(x.get("code") and x["code"] != "unclassified" for x in j["diagnostics"]), f"every diagnostic has a code: {j}")

# ---- a bad date -------------------------------------------------------------------
path = document("date", lambda d: d.update(date="2024-02-30"))
r = vanban("check", path)
check(f'{path}:/date: lỗi: ngày "2024-02-30" không có thật: tháng 02 năm 2024 không có ngày 30' in r.stderr,
      f"bad date: the Vietnamese message reorders its placeholders: {r.stderr.strip()}")
en = vanban("check", path, "--lang", "en")
check('error: impossible date "2024-02-30": 2024-02 has no day 30' in en.stderr, f"bad date: English: {en.stderr.strip()}")
path = document("date-shape", lambda d: d.update(date="05/02/2024"))
r = vanban("check", path)
check('ngày phải viết theo dạng ISO "YYYY-MM-DD"' in r.stderr and '"05/02/2024"' in r.stderr, f"date shape: {r.stderr.strip()}")

# The hints that end a message are Vietnamese too: no English word is left in the line.
ENGLISH = re.compile(r"\b(write|did you mean|year|month|day|read with|there is no|is not|calendar|expected)\b", re.I)
def vietnamese_hint(name, mutate, wanted):
    path = document(name, mutate)
    r = vanban("check", path)
    line = next((l for l in r.stderr.splitlines() if ": lỗi: " in l), "")
    check(r.returncode == 1 and wanted in line and not ENGLISH.search(line.split(": lỗi: ", 1)[1]),
          f"{name}: the whole message is Vietnamese, with {wanted!r}: {r.stderr.strip()}")
vietnamese_hint("date-dmy", lambda d: d.update(date="05/02/2024"),
                'hãy viết "2024-02-05" (năm-tháng-ngày, đã đọc với ngày đứng trước)')
vietnamese_hint("date-ymd", lambda d: d.update(date="2024/02/05"), 'hãy viết "2024-02-05" (năm-tháng-ngày)')
vietnamese_hint("date-month", lambda d: d.update(date="05/13/2024"),
                'không có tháng 13 (ngày đứng trước: 13/05/2024); nếu là ngày đó, hãy viết "2024-05-13"')
vietnamese_hint("date-none", lambda d: d.update(date="31/02/2024"), "31/02/2024 không phải là một ngày có trong lịch")
vietnamese_hint("type-hint", lambda d: d.update(type="Ke hoach"), 'có phải ý là "KH" (Kế hoạch)?')
vietnamese_hint("authority-hint", lambda d: d["signature"].update(authority=["KT CHỦ TỊCH"]), 'hãy viết "KT. CHỦ TỊCH"')

# ---- a table total that does not match ---------------------------------------------
ANNEX = {
    "title": "Biểu thử",
    "columns": [
        {"key": "ten", "header": "Đơn vị", "format": "text"},
        {"key": "c1", "header": "Tổng số hộ", "label": "1"},
    ],
    "total": {"position": "bottom", "cells": {"c1": 301}},
    "rows": [{"ten": "Xã A", "c1": 100}, {"ten": "Xã B", "c1": 200}],
}
path = document("total", lambda d: d.update(annexes=[ANNEX]))
r = vanban("check", path)
check(r.returncode == 1, f"table total: exit 1, got {r.returncode}")
check(f'{path}:/annexes/0/total/cells/c1: lỗi: trong bảng "Biểu thử", dòng tổng cộng "Tổng cộng", cột c1 "Tổng số hộ" (1): '
      'đầu vào ghi 301 nhưng bảng tính ra 300 (tổng của 2 dòng)' in r.stderr, f"table total: Vietnamese: {r.stderr.strip()}")
en = vanban("check", path, "--lang", "en")
check('the input states 301 but the table computes 300 (the sum of 2 row(s))' in en.stderr, f"table total: English: {en.stderr.strip()}")
j = json.loads(vanban("check", path, "--json").stdout)
check(any(x["code"] == "stated-mismatch" and x["pointer"] == "/annexes/0/total/cells/c1" for x in j["diagnostics"]),
      f"table total: code stated-mismatch: {j['diagnostics']}")

# ---- the batch summary and progress lines --------------------------------------------
src = os.path.join(SOURCE, "examples/gia-lai-huyen")
out = fresh("lang-batch")
args = ("batch", os.path.join(src, "template.json"), "--data", os.path.join(src, "data.csv"), "-o", out, "--format", "pdf")
r = vanban(*args)
check(r.returncode == 0, f"batch: exit 0, got {r.returncode}: {r.stderr[-1000:]}")
check("17 văn bản: đã ghi 17, không đổi 0, lỗi 0" in r.stderr, f"batch: the Vietnamese summary line: {r.stderr[-500:]}")
check("đã ghi " in r.stderr.splitlines()[0], f"batch: the Vietnamese progress line: {r.stderr.splitlines()[:1]}")
r = vanban(*args, "--lang", "en")
check("17 documents: 0 written, 17 unchanged, 0 failed" in r.stderr, f"batch: the English summary line: {r.stderr[-500:]}")

# ---- --help and usage errors ------------------------------------------------------
h = vanban("--help")
check(h.returncode == 0, "--help: exit 0")
for phrase in ("Cách dùng:", "TÙY CHỌN", "Xuất một văn bản ra PDF", "Kiểm tra văn bản và báo mọi lỗi", "--lang",
               "In hướng dẫn này rồi thoát", "Nghị định 30/2020/NĐ-CP"):
    check(phrase in h.stdout, f"--help: Vietnamese {phrase!r}: {h.stdout[:600]}")
check("Usage" not in h.stdout and "Render a document" not in h.stdout and "Options" not in h.stdout
      and "Subcommands" not in h.stdout and "Lệnh:" in h.stdout,
      f"--help: no English left: {h.stdout}")
h = vanban("render", "--help")
for phrase in ("tệp JSON của văn bản", "thư mục kết quả (tự tạo nếu chưa có)", "Tùy chọn:", "BẮT BUỘC"):
    check(phrase in h.stdout, f"render --help: Vietnamese {phrase!r}: {h.stdout[:800]}")
check("Options" not in h.stdout and h.stdout.count("Tùy chọn:") == 1, f"render --help: one group of options: {h.stdout[:800]}")
h = vanban("render", "--help", "--lang", "en")
check("Usage:" in h.stdout and "document JSON file" in h.stdout, f"render --help --lang en: English: {h.stdout[:300]}")
u = vanban("render")
check(u.returncode == 2 and "thiếu" in u.stderr and "Chạy với --help để xem hướng dẫn." in u.stderr,
      f"usage error: exit 2, in Vietnamese: {u.returncode} {u.stderr}")
u = vanban("render", os.path.join(OUT, "khong-co.json"), "-o", OUT)
check(u.returncode == 2 and "không có tệp" in u.stderr, f"usage error: a missing file, in Vietnamese: {u.stderr}")
u = vanban("check", "--lang", "fr", path)
check(u.returncode == 2 and '--lang cần vi hoặc en; nhận được "fr"' in u.stderr, f"--lang fr is refused: {u.stderr}")

# ---- the server answers in the language of the request ------------------------------
from serve import Server  # noqa: E402

doc = json.loads(json.dumps(GOOD))
doc.pop("summary")
doc["body"] = {"text": "Nội dung."}
env = {k: v for k, v in os.environ.items() if k != "VANBAN_LANG"}
srv = Server(VANBAN, fresh("lang-serve"), env=env)
try:
    def messages(status_body):
        status, _, body = status_body
        return [x["message"] for x in json.loads(body)["diagnostics"] if x.get("pointer") == "/summary"]

    check(messages(srv.post_json("/api/check", doc)) == ['thiếu trường bắt buộc "summary"'], "serve: Vietnamese by default")
    check(messages(srv.post_json("/api/check?lang=en", doc)) == ['missing required field "summary"'], "serve: ?lang=en")
    check(messages(srv.post_json("/api/check", doc, {"Accept-Language": "en-US,en;q=0.9"})) == ['missing required field "summary"'],
          "serve: Accept-Language: en-US")
    check(messages(srv.post_json("/api/check?lang=vi", doc, {"Accept-Language": "en"})) == ['thiếu trường bắt buộc "summary"'],
          "serve: ?lang= wins over Accept-Language")
    status, _, body = srv.request("GET", "/khong-co-trang-nay")
    check(status == 404 and "không có trang này" in body.decode("utf-8"), f"serve: a 404 in Vietnamese: {body[:200]}")
finally:
    srv.stop()

finish()
