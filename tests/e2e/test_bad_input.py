"""Bad input: each case gives one clear, located message, exit status 1, and
leaves no output file behind. Bad usage exits 2."""
import json
import os
import shutil

from e2e import OUT, SOURCE, check, finish, fresh, run

BASE = os.path.join(SOURCE, "examples/long-khanh")
GOOD = json.load(open(os.path.join(BASE, "document.json"), encoding="utf-8"))


def case(name, text=None, mutate=None, body=None, expect=(), args=()):
    d = fresh("bad-" + name)
    doc = json.loads(json.dumps(GOOD))
    doc["body"] = {"file": "body.md"}
    shutil.copy(os.path.join(BASE, "body.md"), os.path.join(d, "body.md"))
    if body is not None:
        with open(os.path.join(d, "body.md"), "wb") as f:
            f.write(body)
    if mutate:
        mutate(doc)
    path = os.path.join(d, "document.json")
    data = text if text is not None else json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    out = os.path.join(d, "out")
    r = run("render", path, "-o", out, *args)
    check(r.returncode == 1, f"{name}: exit status 1, got {r.returncode} ({r.stderr.strip()})")
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    check(len(lines) >= 1, f"{name}: a message is printed")
    msg = r.stderr
    for e in expect:
        check(e in msg, f"{name}: message contains {e!r}: {msg.strip()}")
    check(path in msg or "body.md" in msg, f"{name}: message names the file: {msg.strip()}")
    check(not os.path.exists(out), f"{name}: no output folder or file left behind")
    c = run("check", path, *args)
    check(c.returncode == 1 and c.stderr == r.stderr, f"{name}: 'vanban check' reports the same")


case("malformed-json", text=b'{\n  "type": "KH",\n  "number": 498,,\n}\n', expect=["3:17", "malformed JSON"])
case("missing-field", mutate=lambda d: d.pop("summary"), expect=["/summary", "missing required field"])
case("mistyped-field", mutate=lambda d: d.update(number="số 498"), expect=["/number", "expected a positive integer", "the text"])
case("mistyped-nested", mutate=lambda d: d["signature"].update(name=42), expect=["/signature/name", "expected a string"])
case("unknown-field", mutate=lambda d: d.update(recipents=[]), expect=["/recipents", "unknown field"])
case("impossible-date", mutate=lambda d: d.update(date="2024-02-30"), expect=["/date", "impossible date", "2024-02"])
case("bad-date-shape", mutate=lambda d: d.update(date="01/04/2024"), expect=["/date", "YYYY-MM-DD"])
case("number-zero", mutate=lambda d: d.update(number=0), expect=["/number", "1 or more"])
case("number-negative", mutate=lambda d: d.update(number=-5), expect=["/number", "1 or more"])
case("margin-out-of-range", mutate=lambda d: d.update(layout={"margin_left_mm": 25}),
     expect=["/layout/margin_left_mm", "30–35", "--no-strict"])
case("size-out-of-range", mutate=lambda d: d.update(layout={"body_size_pt": 12}), expect=["/layout/body_size_pt", "13–14"])
case("invalid-utf8-json", text=b'{"type": "KH", "place": "Long Kh\xe1nh"}', expect=["1:33", "invalid UTF-8"])
case("invalid-utf8-body", body=b"# M\xe1c ti\xeau\n", expect=["body.md", "1:4", "invalid UTF-8"])
case("glyph-missing", mutate=lambda d: d.update(summary="Kế hoạch 漢字 ★"),
     expect=["/summary", "U+6F22", "U+2605", "cannot draw"])
case("glyph-missing-body", body="# Mục tiêu\n\nĐoạn văn có ký tự ☃ không vẽ được.\n".encode(),
     expect=["body.md:3", "U+2603"])
case("several-errors", mutate=lambda d: (d.pop("place"), d.update(number=-1)), expect=["/place", "/number"])
case("authority-prefix", mutate=lambda d: d["signature"].update(authority=["CHỦ TỊCH"]),
     expect=["/signature/authority/0", "TM., KT., Q., TL. or TUQ."])

# Annex tables: each mistake is located in the table and nothing is written.
ANNEX = {"title": "Biểu tổng hợp hộ nghèo", "columns": [
    {"key": "tt", "header": "TT", "numbering": True}, {"key": "ten", "header": "Đơn vị", "format": "text"},
    {"key": "a", "header": "Số hộ"}, {"key": "b", "header": "Hộ nghèo"},
    {"key": "r", "header": "Tỷ lệ (%)", "format": "percent", "decimals": 2, "expr": "b / a * 100"}],
    "total": {"cells": {"ten": "Tổng cộng"}},
    "rows": [{"ten": "Xã A", "a": 100, "b": 10}, {"ten": "Xã B", "a": 200, "b": 30}]}
MENTION = "# Mục tiêu\n\nSố hộ nghèo của từng xã theo Biểu tổng hợp hộ nghèo kèm theo.\n"


def annex_case(name, change, expect, body=MENTION):
    def mutate(d):
        a = json.loads(json.dumps(ANNEX))
        change(a)
        d["annexes"] = [a]
    case(name, mutate=mutate, body=body.encode(), expect=expect)


annex_case("annex-unknown-column", lambda a: a["columns"][4].update(expr="b / aa * 100"),
           ["/annexes/0/columns/4/expr", 'unknown column "aa"', "tt, ten, a, b, r"])
annex_case("annex-cycle", lambda a: a["columns"][2].update(expr="r + 1"),
           ["/annexes/0/columns/2/expr", "cycle", "a -> r -> a"])
annex_case("annex-wrong-type", lambda a: a["rows"][1].update(a="hai trăm"),
           ["/annexes/0/rows/1/a", "expects a number", '"hai trăm"'])
annex_case("annex-missing-cell", lambda a: a["rows"][1].pop("b"),
           ["/annexes/0/rows/1", '"Xã B" has no value for column b'])
annex_case("annex-total-mismatch", lambda a: a["total"]["cells"].update(b=41),
           ["/annexes/0/total/cells/b", "states 41", "computes 40"])
annex_case("annex-rate-mismatch", lambda a: a["rows"][0].update(r=11),
           ["/annexes/0/rows/0/r", "states 11,00", "computes 10,00"])
annex_case("annex-body-figure-mismatch", lambda a: None,
           ["body.md:3", "[[I:total:b = 41]]", "states 41", "computes 40"],
           body=MENTION.replace("kèm theo.", "kèm theo; toàn xã có [[I:total:b = 41]] hộ nghèo."))
annex_case("annex-body-reference-unknown", lambda a: None,
           ["body.md:3", "no column \"c\"", "its columns are tt, ten, a, b, r"],
           body=MENTION.replace("kèm theo.", "kèm theo ([[I:total:c]] hộ)."))
# Glyph coverage reaches every text of the input, not a list of fields: an annex cell, a table heading.
annex_case("glyph-missing-annex-cell", lambda a: a["rows"][1].update(ten="Xã ☃"), ["/annexes/0/rows/1/ten", "U+2603", "cannot draw"])
annex_case("glyph-missing-annex-header", lambda a: a["columns"][2].update(header="Số hộ ★"),
           ["/annexes/0/columns/2/header", "U+2605", "cannot draw"])
annex_case("annex-not-mentioned", lambda a: None,
           ["/annexes/0", "does not mention the annex", "Biểu tổng"], body="# Mục tiêu\n\nKhông nhắc đến biểu.\n")

# Strict mode off: the same margin is accepted with a warning.
d = fresh("no-strict")
doc = json.loads(json.dumps(GOOD))
doc["body"] = {"file": os.path.join(BASE, "body.md")}
doc["layout"] = {"margin_left_mm": 25}
p = os.path.join(d, "document.json")
json.dump(doc, open(p, "w", encoding="utf-8"), ensure_ascii=False)
r = run("render", p, "-o", os.path.join(d, "out"), "--no-strict", "--allow-paths", BASE)
check(r.returncode == 0 and "warning" in r.stderr and "margin_left_mm" in r.stderr, f"no-strict: warning and exit 0 ({r.stderr})")

# Hostile and broken files (each: one located message, exit 1, no output).
def raw_case(name, text, expect):
    case(name, text=text.encode() if isinstance(text, str) else text, expect=expect)

good_text = json.dumps(dict(GOOD, body={"file": "body.md"}), ensure_ascii=False, indent=2)
raw_case("json-nested-deep", good_text[:-1] + ', "x": ' + "[" * 20000 + "]" * 20000 + "}",
         ["/x/0/0", "nested more than 64 levels", "--max-json-depth"])
raw_case("json-duplicate-key", good_text.replace('"place":', '"place": "Đồng Nai",\n  "place":', 1),
         ["/place", "given twice", " and "])
raw_case("json-number-overflow", good_text.replace('"number": 498', '"number": 1e400'), ["too large", "1e400"])
raw_case("json-integer-too-large", good_text.replace('"number": 498', '"number": 9223372036854775808'),
         ["/number", "9223372036854775808 is too large"])
raw_case("json-integer-huge", good_text.replace('"number": 498', '"number": 99999999999999999999999'),
         ["/number", "99999999999999999999999 is too large"])
raw_case("json-control-character", good_text.replace('"Long Khánh"', '"Long\\u000cKhánh"', 1),
         ["/place", "U+000C"])
case("body-is-a-device", mutate=lambda d: d.update(body={"file": "/dev/zero"}), args=("--allow-paths", "/dev"),
     expect=["/body/file", "a device or a pipe"])
case("body-is-a-folder", mutate=lambda d: d.update(body={"file": "."}), expect=["/body/file", "a folder"])
case("path-outside-absolute", mutate=lambda d: d.update(body={"file": "/etc/passwd"}),
     expect=["/body/file", "outside the document's folder", "--allow-paths"])
case("path-outside-parent", mutate=lambda d: d.update(body={"file": "../../body.md"}),
     expect=["/body/file", "outside the document's folder"])
case("file-too-large", body="# Mục tiêu\n\n".encode() + b"x " * (1 << 20), args=("--max-file-mb", "1"),
     expect=["/body/file", "larger than the limit of 1 MB", "--max-file-mb"])

case("body-control-character", body="# Mục tiêu\n\nĐoạn\x0cvăn.\n".encode(), expect=["body.md:3:5", "U+000C"])
case("body-cr-line-ends", body="# Mục tiêu\r\rĐoạn văn.\r".encode(), expect=["body.md:1:11", "carriage return"])
# A byte-order mark, tabs and CR LF line ends are fine in a body.
d = fresh("body-bom-tabs")
doc = dict(GOOD, body={"file": "body.md"})
with open(os.path.join(d, "body.md"), "wb") as f:
    f.write(b"\xef\xbb\xbf" + "# Mục\ttiêu\r\n\r\nĐoạn\tvăn bản.\r\n".encode())
json.dump(doc, open(os.path.join(d, "document.json"), "w", encoding="utf-8"), ensure_ascii=False)
r = run("dump", os.path.join(d, "document.json"))
check(r.returncode == 0 and "I. MỤC TIÊU" in r.stdout and "Đoạn văn bản./." in r.stdout, f"BOM, tabs, CR LF: {r.stderr}")

# Nothing is ever drawn outside the text area: what cannot fit is refused, saying what.
case("word-too-long", mutate=lambda d: d.update(summary="x" * 10000), expect=["does not fit the page", "shorten it"])
case("issuer-word-too-long", mutate=lambda d: d["issuer"].update(name=["Ủy ban nhân dân", "Y" * 5000]),
     expect=["does not fit the page", "YYYY"])
case("recipients-too-many", mutate=lambda d: d.update(recipients=[f"Phòng số {i} của Ủy ban nhân dân" for i in range(80)]),
     expect=["does not fit the page", "bottom margin"])
d = fresh("headings-in-a-row")
with open(os.path.join(d, "body.md"), "w", encoding="utf-8") as f:
    f.write("\n\n".join(f"#### Tiêu đề {i}" for i in range(100)) + "\n\nĐoạn cuối.\n")
json.dump(dict(GOOD, body={"file": "body.md"}), open(os.path.join(d, "document.json"), "w", encoding="utf-8"), ensure_ascii=False)
r = run("check", os.path.join(d, "document.json"))
pages = int(r.stdout.split(", ")[-1].split()[0]) if r.returncode == 0 else -1
check(r.returncode == 0 and 0 < pages <= 6, f"100 headings in a row fill pages, not one per page: {pages} pages ({r.stderr})")

# -o naming an existing file: an I/O problem (exit 4), nothing written.
d = fresh("out-is-a-file")
target = os.path.join(d, "taken")
open(target, "w").write("keep me")
r = run("render", os.path.join(BASE, "document.json"), "-o", target)
check(r.returncode == 4 and "existing file" in r.stderr, f"-o naming a file: exit 4 with a message ({r.returncode} {r.stderr})")
check(open(target).read() == "keep me", "-o naming a file: the file is untouched")
# A document's outputs are replaced together: when the workbook cannot be
# written, the previous PDF stays (exit 4, and the message says so).
d = fresh("outputs-together")
gia_lai = os.path.join(SOURCE, "examples/gia-lai/document.json")
r = run("render", gia_lai, "-o", d, "-q")
check(r.returncode == 0, f"outputs-together: first render ({r.stderr})")
pdf = os.path.join(d, "du-thao-kh-ubnd.pdf")
before = open(pdf, "rb").read()
os.remove(os.path.join(d, "du-thao-kh-ubnd.xlsx"))
os.makedirs(os.path.join(d, "du-thao-kh-ubnd.xlsx"))
r = run("render", gia_lai, "-o", d, "-q")
check(r.returncode == 4 and "left as they were" in r.stderr, f"outputs-together: exit 4 with a message ({r.returncode} {r.stderr})")
check(open(pdf, "rb").read() == before, "outputs-together: the previous PDF is intact")
check(sorted(os.listdir(d)) == ["du-thao-kh-ubnd.pdf", "du-thao-kh-ubnd.xlsx"], f"outputs-together: nothing else left ({os.listdir(d)})")
# A symbolic link planted at an output's name is replaced, its target untouched.
d = fresh("symlink-output")
victim = os.path.join(d, "victim.txt")
open(victim, "w").write("keep me")
os.makedirs(os.path.join(d, "out"))
os.symlink(victim, os.path.join(d, "out", "498-kh-ubnd.pdf"))
r = run("render", os.path.join(BASE, "document.json"), "-o", os.path.join(d, "out"), "-q")
check(r.returncode == 0 and open(victim).read() == "keep me", f"symlink-output: target untouched ({r.stderr})")
check(not os.path.islink(os.path.join(d, "out", "498-kh-ubnd.pdf")), "symlink-output: the link is replaced by the PDF")

# Out-of-range flags say what they expect.
r = run("batch", os.path.join(SOURCE, "examples/gia-lai-huyen/template.json"), "--data",
        os.path.join(SOURCE, "examples/gia-lai-huyen/data.csv"), "-o", d, "-j", "-3")
check(r.returncode == 2 and "-j expects a whole number from 0 to 1024" in r.stderr, f"-j -3: {r.stderr}")

# Usage errors exit 2; a missing file is reported by the command line.
check(run().returncode == 2, "no subcommand: exit 2")
check(run("render", os.path.join(BASE, "document.json")).returncode == 2, "render without -o: exit 2")
check(run("frobnicate").returncode == 2, "unknown subcommand: exit 2")
check(run("render", "/nonexistent.json", "-o", OUT).returncode == 2, "missing input file: exit 2")
v = run("--version")
check(v.returncode == 0 and v.stdout.startswith("vanban "), "--version")
s = run("schema")
check(s.returncode == 0 and json.loads(s.stdout)["title"] == "vanban document", "schema prints the JSON Schema")
check(s.stdout == open(os.path.join(SOURCE, "templates/document.schema.json"), encoding="utf-8").read(),
      "schema equals templates/document.schema.json")
a = run("schema", "--annex")
check(a.returncode == 0 and a.stdout == open(os.path.join(SOURCE, "templates/annex.schema.json"), encoding="utf-8").read(),
      "schema --annex equals templates/annex.schema.json")
finish()
