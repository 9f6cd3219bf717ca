"""Bad input: each case gives one clear, located message, exit status 1, and
leaves no output file behind. Bad usage exits 2."""
import json
import os
import shutil

from e2e import OUT, SOURCE, bbox_words, check, finish, fresh, pdf_text, run, text_lines, tool

BASE = os.path.join(SOURCE, "examples/long-khanh")
GOOD = json.load(open(os.path.join(BASE, "document.json"), encoding="utf-8"))


def write_case(folder, text=None, mutate=None, body=None):
    """The long-khanh document in a fresh folder, changed; returns (folder, document path)."""
    d = fresh(folder)
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
    return d, path


def case(name, text=None, mutate=None, body=None, expect=(), args=()):
    d, path = write_case("bad-" + name, text, mutate, body)
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
    left = [n for n in os.listdir(d) if n.startswith(".vanban-stage-") or ".tmp" in n]
    check(not left, f"{name}: no temporary file left behind: {left}")
    c = run("check", path, *args)
    check(c.returncode == 1 and c.stderr == r.stderr, f"{name}: 'vanban check' reports the same")
    j = json.loads(run("check", path, "--json", *args).stdout)
    check(j["diagnostics"] and all(x.get("code") and x["code"] != "unclassified" for x in j["diagnostics"]),
          f"{name}: check --json gives every diagnostic a code: {j['diagnostics']}")


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

# Nothing is ever drawn outside the text area. A word wider than its line is
# broken between letters, with a warning naming where it was written.
A4_W, MM = 595.28, 72 / 25.4


def outside_text_area(pdf):
    """Words of the PDF beyond the narrowest margins the decree allows (A4
    portrait: left 30 mm, right 15 mm, bottom 20 mm; a landscape annex sheet
    has them turned: left 20, right 20, bottom 15); only page numbers sit in
    the top margin."""
    import re
    text, _ = tool("pdftotext", "-bbox", pdf, "-")
    sizes = [(float(w), float(h)) for w, h in re.findall(r'<page width="([\d.]+)" height="([\d.]+)"', text)]
    out = []
    for w in bbox_words(pdf):
        pw, ph = sizes[w[0] - 1]
        left, right, bottom = (30, 15, 20) if pw < ph else (20, 20, 15)
        if w[1] < left * MM - 1 or w[3] > pw - right * MM + 1 or w[4] > ph - bottom * MM + 1:
            out.append(w)
    return out


def leftovers(folder):
    """Temporary files or staging folders left in (or under) `folder`."""
    found = []
    for root, dirs, files in os.walk(folder):
        found += [n for n in dirs + files if n.startswith(".vanban-stage-") or ".tmp" in n]
    return found


def fitted_case(name, mutate=None, body=None, expect=(), count=None):
    """A document that renders (exit 0) with a located warning for each
    place in `expect`, every word inside the text area, and the broken word's
    letters all printed: `count` = (letter, how many)."""
    d, path = write_case("fit-" + name, mutate=mutate, body=body)
    out = os.path.join(d, "out")
    r = run("render", path, "-o", out, "-q")
    check(r.returncode == 0, f"{name}: exit status 0, got {r.returncode} ({r.stderr.strip()[:400]})")
    warnings = [l for l in r.stderr.splitlines() if "warning:" in l]
    for e in expect:
        check(any(e in l and "wider than its line" in l and "broken" in l for l in warnings),
              f"{name}: a warning located at {e!r}: {r.stderr.strip()[:600]}")
    pdfs = [f for f in os.listdir(out) if f.endswith(".pdf")] if os.path.isdir(out) else []
    check(len(pdfs) == 1, f"{name}: the PDF is written")
    if pdfs:
        pdf = os.path.join(out, pdfs[0])
        bad = outside_text_area(pdf)
        check(not bad, f"{name}: nothing outside the text area, found {bad[:3]}")
        if count:
            text = "".join(w[5] for w in bbox_words(pdf))
            check(text.count(count[0]) >= count[1], f"{name}: all {count[1]} {count[0]!r} are printed, found {text.count(count[0])}")
    check(not leftovers(d), f"{name}: no temporary file left: {leftovers(d)}")
    c = run("check", path)
    check(c.returncode == 0 and all(e in c.stderr for e in expect), f"{name}: 'vanban check' warns the same ({c.stderr[:300]})")
    j = json.loads(run("check", path, "--json").stdout)
    check(all(x.get("code") and x["code"] != "unclassified" for x in j["diagnostics"]),
          f"{name}: check --json gives every warning a code: {j['diagnostics']}")


fitted_case("word-too-long-body", body="# Mục tiêu\n\nĐoạn văn có một từ " .encode() + b"x" * 3000 + " rất dài.\n".encode(),
            expect=["body.md:3"], count=("x", 3000))
fitted_case("word-too-long-summary", mutate=lambda d: d.update(summary="Kế hoạch " + "y" * 2000),
            expect=["document.json:/summary"], count=("y", 2000))
fitted_case("word-too-long-recipient", mutate=lambda d: d.update(recipients=["Sở " + "Ẩ" * 400]),
            expect=["document.json:/recipients/0"], count=("Ẩ", 400))
fitted_case("word-too-long-signature", mutate=lambda d: d["signature"].update(name="Nguyễn " + "Ừ" * 300),
            expect=["document.json:/signature/name"], count=("Ừ", 300))
# Combining marks stay with their letter: "e" + U+0323 + U+0302 is one character, never split.
fitted_case("word-too-long-graphemes", body=("# Mục tiêu\n\nTừ " + "Vie\u0323\u0302t" * 300 + " dài.\n").encode(),
            expect=["body.md:3"], count=("Việt", 300))


def annex_with_long_cell(d):
    a = json.loads(json.dumps(ANNEX))
    a["rows"][1]["ten"] = "Xã " + "Q" * 600
    d["annexes"] = [a]


fitted_case("word-too-long-table-cell", mutate=annex_with_long_cell,
            body=MENTION.encode(), expect=["/rows/1"], count=("Q", 600))

# An issuer or header line that cannot fit is refused, naming the field to shorten and by how much.
case("issuer-word-too-long", mutate=lambda d: d["issuer"].update(name=["Ủy ban nhân dân", "Y" * 5000]),
     expect=["/issuer/name/1", "too wide", "pt", "shorten it"])
case("issuer-line-too-wide", mutate=lambda d: d["issuer"].update(name=["Ủy ban nhân dân " + "huyện " * 3 + "Kbangkbangkbangkbangkbang"]),
     expect=["/issuer/name", "too wide", "shorten it"])
case("parent-word-too-long", mutate=lambda d: d.update(parent="Đ" * 400),
     expect=["/parent", "too wide", "shorten it"])
case("place-too-long", mutate=lambda d: d.update(place="Thành phố " + "Long Khánh " * 12),
     expect=["/place", "too wide", "shorten the place name"])

# A Nơi nhận list too long for the page continues on the next page; the
# signature stays with the start of the list.
d = fresh("recipients-too-many")
many = [f"Phòng số {i} của Ủy ban nhân dân" for i in range(80)]
doc = dict(GOOD, body={"file": "body.md"}, recipients=many)
shutil.copy(os.path.join(BASE, "body.md"), os.path.join(d, "body.md"))
path = os.path.join(d, "document.json")
json.dump(doc, open(path, "w", encoding="utf-8"), ensure_ascii=False)
out = os.path.join(d, "out")
r = run("render", path, "-o", out, "-q")
check(r.returncode == 0 and not r.stderr.strip(), f"recipients-too-many: rendered without complaint ({r.returncode} {r.stderr[:300]})")
pdfs = [os.path.join(out, f) for f in os.listdir(out) if f.endswith(".pdf")] if os.path.isdir(out) else []
check(len(pdfs) == 1, "recipients-too-many: the PDF is written")
if pdfs:
    words = bbox_words(pdfs[0])
    check(not outside_text_area(pdfs[0]), f"recipients-too-many: nothing below the bottom margin: {outside_text_area(pdfs[0])[:3]}")
    def page_of(text):
        return [w[0] for w in words if w[5] == text]
    heading = page_of("Nơi")
    name = [w[0] for w in words if w[5] == GOOD["signature"]["name"].split()[-1] and w[1] > A4_W / 2]
    lines = text_lines(pdfs[0])
    first = [l["page"] for l in lines if "Phòng số 0 của" in l["text"]]
    last = [l["page"] for l in lines if "Phòng số 79 của" in l["text"]]
    luu = [l["page"] for l in lines if l["text"].startswith("- Lưu:")]
    check(heading and name and heading[-1] == name[-1], f"recipients-too-many: 'Nơi nhận' on the signer's page {heading} {name}")
    check(first and first[0] == heading[-1], f"recipients-too-many: the list starts beside the signature: {first}")
    check(last and luu and last[0] > heading[-1] and luu[0] == last[0],
          f"recipients-too-many: the list continues on the next pages, 'Lưu' last: {last} {luu}")
    pages = sorted({l["page"] for l in lines if l["text"].startswith("- Phòng số")})
    check(pages == list(range(heading[-1], last[0] + 1)), f"recipients-too-many: the list runs on from page to page: {pages}")
    got = [int(l["text"].split()[3]) for l in lines if l["text"].startswith("- Phòng số")]
    check(got == list(range(80)), f"recipients-too-many: every recipient once, in order: {got[:5]}…{got[-5:]}")
check(not leftovers(d), f"recipients-too-many: no temporary file left: {leftovers(d)}")
# --row N of a CSV reads the file only as far as record N: the file-size
# limit (here 1 MB) applies to the part read, not to the whole file.
d = fresh("row-of-big-csv")
src = os.path.join(SOURCE, "examples/gia-lai-huyen")
for f in ("template.json", "body.md"):
    shutil.copy(os.path.join(src, f), os.path.join(d, f))
csv_lines = open(os.path.join(src, "data.csv"), encoding="utf-8").read().splitlines()
filler = "ma-{0},Huyện {0},Huyện {0},huyện,1000,100,1.00,10"
with open(os.path.join(d, "data.csv"), "w", encoding="utf-8") as f:
    f.write("\n".join(csv_lines) + "\n")
    f.write("\n".join(filler.format(i) for i in range(120000)) + "\n")  # about 7 MB in all
    f.write("bad,\x00,,,,,,\n")  # a NUL far down: an error for whoever reads this far
big = os.path.getsize(os.path.join(d, "data.csv"))
check(6 << 20 < big < 8 << 20, f"row-of-big-csv: the data file has 6 to 8 MB ({big})")
out = os.path.join(d, "out")
tmpl, data = os.path.join(d, "template.json"), os.path.join(d, "data.csv")
r = run("render", tmpl, "--data", data, "--row", "2", "-o", out, "-q", "--max-file-mb", "1")
check(r.returncode == 0 and sorted(os.listdir(out)) == ["dak-doa-ke-hoach-giam-ngheo-2024.pdf", "dak-doa-ke-hoach-giam-ngheo-2024.xlsx"],
      f"row-of-big-csv: --row 2 renders from the start of a file over the limit ({r.returncode} {r.stderr[:300]})")
check("Đak Đoa" in pdf_text(os.path.join(out, "dak-doa-ke-hoach-giam-ngheo-2024.pdf")), "row-of-big-csv: the record's text is printed")
shutil.rmtree(out)
r = run("render", tmpl, "--data", data, "--row", "50000", "-o", out, "-q", "--max-file-mb", "1")
check(r.returncode == 1 and f"{data}: error:" in r.stderr and "50000 record(s)" in r.stderr and "--max-file-mb" in r.stderr,
      f"row-of-big-csv: a record beyond the limit is refused, naming the file and the flag ({r.returncode} {r.stderr[:300]})")
check(not os.path.exists(out) and not leftovers(d), "row-of-big-csv: nothing written, no temporary file")
r = run("render", tmpl, "--data", data, "--row", "50000", "-o", out, "-q", "--max-file-mb", "8")
check(r.returncode == 0 and "ma-49982-ke-hoach-giam-ngheo-2024.pdf" in os.listdir(out),
      f"row-of-big-csv: with the limit raised, record 50000 is rendered ({r.returncode} {r.stderr[:300]})")
shutil.rmtree(out)
r = run("render", tmpl, "--data", data, "--row", "130000", "-o", out, "-q", "--max-file-mb", "8")
check(r.returncode == 1 and f"{data}:{len(csv_lines) + 120001}:" in r.stderr and "U+0000" in r.stderr,
      f"row-of-big-csv: reading past the NUL reports it at its line ({r.returncode} {r.stderr[:300]})")
check(not os.path.exists(out) and not leftovers(d), "row-of-big-csv: nothing written after the error, no temporary file")

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
