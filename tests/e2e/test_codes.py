"""Every diagnostic has a stable code: check --json never answers "unclassified"
for the examples, and the messages of the areas below speak Vietnamese by
default (without VANBAN_LANG): JSON syntax, templates and data (bind), Word
import, table expressions, images, marks and copies, broken words, outputs;
--help keeps its descriptions in one column in Vietnamese."""
import glob
import json
import os
import re
import shutil
import subprocess
import unicodedata

from e2e import OUT, SOURCE, VANBAN, all_examples, check, finish, fresh


def vanban(*args, lang=None):
    """The binary without VANBAN_LANG (Vietnamese) unless `lang` is given."""
    env = {k: v for k, v in os.environ.items() if k not in ("VANBAN_LANG", "LANG", "LC_ALL", "LANGUAGE")}
    if lang:
        env["VANBAN_LANG"] = lang
    return subprocess.run([VANBAN, *args], capture_output=True, text=True, env=env)


def codes(*args, lang=None):
    """The diagnostics of `check --json`."""
    r = vanban("check", "--json", *args, lang=lang)
    try:
        return json.loads(r.stdout)["diagnostics"]
    except (ValueError, KeyError):
        check(False, f"check --json {args}: a JSON report, got {r.stdout[:300]} {r.stderr[:300]}")
        return []


def classified(diags, what):
    bad = [d for d in diags if not d.get("code") or d["code"] == "unclassified"]
    check(not bad, f"{what}: every diagnostic has a code: {bad}")


def copy_example(name, folder):
    d = fresh(folder)
    shutil.rmtree(d)
    shutil.copytree(os.path.join(SOURCE, "examples", name), d)
    return d


# ---- the examples: documents and templates ---------------------------------------------
for path in all_examples():
    for lang in ("en", None):
        classified(codes(path, lang=lang), f"{os.path.relpath(path, SOURCE)} ({lang or 'vi'})")
for tpl in sorted(glob.glob(os.path.join(SOURCE, "examples/*/template.json"))):
    data = glob.glob(os.path.join(os.path.dirname(tpl), "data.*"))
    if data:
        classified(codes(tpl, "--data", data[0], "--row", "1"), os.path.relpath(tpl, SOURCE))

GOOD = json.load(open(os.path.join(SOURCE, "examples/long-khanh/document.json"), encoding="utf-8"))


def document(name, mutate=None, text=None):
    d = fresh("codes-" + name)
    doc = json.loads(json.dumps(GOOD))
    doc["body"] = {"file": "body.md"}
    shutil.copy(os.path.join(SOURCE, "examples/long-khanh/body.md"), os.path.join(d, "body.md"))
    if mutate:
        mutate(doc)
    path = os.path.join(d, "document.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text if text is not None else json.dumps(doc, ensure_ascii=False, indent=2))
    return path


def vietnamese(what, args, code, phrase):
    """`check` prints `phrase` in Vietnamese with the error shape, and check --json gives `code`."""
    r = vanban("check", *args)
    check(r.returncode != 0 and phrase in r.stderr and ": lỗi: " in r.stderr and "error:" not in r.stderr,
          f"{what}: Vietnamese {phrase!r}: {r.stderr.strip()}")
    diags = codes(*args)
    check(any(d["code"] == code and phrase in d["message"] for d in diags), f"{what}: code {code}: {diags}")
    classified(diags, what)


# ---- JSON syntax -------------------------------------------------------------------------
path = document("trailing-comma", text='{\n  "type": "KH",\n  "number": 498,\n}\n')
vietnamese("a trailing comma", [path], "json-trailing-comma", "có dấu phẩy sau trường cuối cùng")
r = vanban("check", path)
check(f"{path}:3:16: lỗi: JSON sai cú pháp: có dấu phẩy sau trường cuối cùng" in r.stderr, f"the shape file:line:column: lỗi: {r.stderr}")

# ---- templates and data (bind) -----------------------------------------------------------
d = copy_example("gia-lai-huyen", "codes-template")
tpl = os.path.join(d, "template.json")
text = open(tpl, encoding="utf-8").read().replace('"place": "{{ten}}"', '"place": "{{ten | nubmer}}"', 1)
open(tpl, "w", encoding="utf-8").write(text)
vietnamese("an unknown filter", [tpl, "--data", os.path.join(d, "data.csv"), "--row", "1"], "template-filter",
           "không có bộ lọc 'nubmer' (có phải là 'number'?)")

# ---- table expressions and the cross-table check ------------------------------------------
ANNEX = {"title": "Biểu tổng hợp hộ nghèo", "columns": [
    {"key": "ten", "header": "Đơn vị", "format": "text"}, {"key": "a", "header": "Số hộ"},
    {"key": "b", "header": "Hộ nghèo"}, {"key": "r", "header": "Tỷ lệ (%)", "format": "percent", "decimals": 2, "expr": "b / / a"}],
    "rows": [{"ten": "Xã A", "a": 100, "b": 10}]}
path = document("expr", lambda doc: doc.update(annexes=[ANNEX]))
vietnamese("an expression's syntax", [path], "expr-syntax", 'biểu thức "b / / a" của cột r: cần một số, một tên cột hoặc')

# ---- images, marks, copies -----------------------------------------------------------------
d = copy_example("van-ban-dien-tu", "codes-image")
with open(os.path.join(d, "chu-ky.png"), "wb") as f:
    f.write(b"GIF89a not a png")
vietnamese("a signature image that is not a PNG", [os.path.join(d, "document.json")], "image-invalid",
           'hình ảnh "chu-ky.png" không phải tệp PNG')
path = document("urgency", lambda doc: doc.update(marks={"urgency": "KHẨN CẤP"}))
vietnamese("an urgency mark", [path], "mark-urgency", 'cần "KHẨN", "THƯỢNG KHẨN" hoặc "HỎA TỐC"')
copy_doc = json.load(open(os.path.join(SOURCE, "examples/ban-sao/document.json"), encoding="utf-8"))
d = copy_example("ban-sao", "codes-copy")
copy_doc["copy"]["kind"] = "sao chụp"
with open(os.path.join(d, "document.json"), "w", encoding="utf-8") as f:
    json.dump(copy_doc, f, ensure_ascii=False)
vietnamese("a copy's form", [os.path.join(d, "document.json")], "copy-kind", 'cần "SY" (sao y), "SL" (sao lục) hoặc "TrS" (trích sao)')

# ---- a broken word (a warning) and an output that cannot be placed ---------------------------
long_word = "Kếhoạch" * 12
path = document("broken-word", lambda doc: doc.update(summary="Thực hiện " + long_word))
out = fresh("codes-broken-word-out")
r = vanban("render", path, "-o", out, "-q")
check(r.returncode == 0 and "cảnh báo: từ \"" in r.stderr and "đã bị ngắt giữa các chữ cái" in r.stderr,
      f"a broken word: a Vietnamese warning: {r.returncode} {r.stderr.strip()}")
check(any(d["code"] == "word-broken" and d["severity"] == "warning" for d in codes(path)), "a broken word: code word-broken")
path = document("output-folder")
out = fresh("codes-output-folder-out")
stem = json.loads(vanban("check", "--json", path).stdout)["stem"]
os.makedirs(os.path.join(out, stem + ".pdf"))
r = vanban("render", path, "-o", out, "-q")
check(r.returncode == 4 and "lỗi: có một thư mục trùng tên tệp kết quả này" in r.stderr,
      f"a folder in the way of the PDF: {r.returncode} {r.stderr.strip()}")

# ---- Word import: its warnings and summary ---------------------------------------------------
DATA = os.path.join(SOURCE, "tests", "data", "docx")
out = os.path.join(fresh("codes-import"), "out")
r = vanban("import", os.path.join(DATA, "quyet-dinh-draft.docx"), "-o", out)
check(r.returncode == 0, f"import: exit 0: {r.stderr}")
for line in ("cơ quan ban hành:", "số, ký hiệu:", "địa danh và thời gian:", "Nơi nhận:", "chữ ký:", "đã ghi "):
    check(line in r.stdout, f"import: the summary in Vietnamese ({line}): {r.stdout}")
check("cảnh báo: đoạn " in r.stderr and "đã đưa vào nội dung" in r.stderr and "could not be placed" not in r.stderr,
      f"import: an unplaced paragraph, in Vietnamese: {r.stderr.strip()}")
bad = os.path.join(fresh("codes-import-bad"), "not-a-docx.docx")
open(bad, "wb").write(b"plain text, not a zip")
r = vanban("import", bad, "-o", os.path.join(os.path.dirname(bad), "out"))
check(r.returncode == 1 and f"{bad}: lỗi: không phải tệp DOCX: không phải gói ZIP" in r.stderr, f"import: not a docx: {r.stderr.strip()}")

# ---- --help: the descriptions in one column, whatever the bytes of the names -----------------
def description_columns(text):
    """Display column where each option's description starts (lines "  name   description")."""
    cols = []
    for line in text.splitlines():
        m = re.match(r"^(  \S.*?\S)( {2,})(\S.*)$", line)
        if m and not line.startswith("   "):
            cols.append(len(unicodedata.normalize("NFC", m.group(1) + m.group(2))))
    return cols


for cmd in (["--help"], ["bench", "--help"], ["render", "--help"], ["batch", "--help"], ["check", "--help"]):
    for lang in (None, "en"):
        h = vanban(*cmd, lang=lang)
        cols = description_columns(h.stdout)
        check(h.returncode == 0 and len(cols) >= 2 and len(set(cols)) == 1,
              f"{' '.join(cmd)} ({lang or 'vi'}): the descriptions start in one column: {sorted(set(cols))}\n{h.stdout}")

finish()
