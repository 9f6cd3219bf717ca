"""Mistakes a clerk makes, run through the real binary: each gets exit status
1, no output, and one message located where it is fixed that says what to
write. Then the encodings: UTF-16 and BOMs are read, legacy Vietnamese files
(made here from UTF-8 with iconv, and a VNI encoder written here) are named
when not declared and converted with --input-encoding, and legacy text pasted
into a UTF-8 file is found."""
import json
import os
import re
import shutil
import subprocess
import unicodedata

from e2e import SOURCE, check, finish, fresh, pdf_pages, run, squash

BASE = os.path.join(SOURCE, "examples/long-khanh")
GOOD = json.load(open(os.path.join(BASE, "document.json"), encoding="utf-8"))
BODY = open(os.path.join(BASE, "body.md"), encoding="utf-8").read()


def good_text():
    doc = json.loads(json.dumps(GOOD))
    doc["body"] = {"file": "body.md"}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def where(text, needle, nth=0):
    """line:column (1-based, column in characters) of the nth occurrence of needle."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return position(text, at)


def position(text, offset):
    """line:column of a character offset."""
    before = text[:offset]
    return f"{before.count(chr(10)) + 1}:{offset - (before.rfind(chr(10)) + 1) + 1}"


def setup(name, doc_bytes, body_bytes=None, extra=None):
    d = fresh("friendly-" + name)
    with open(os.path.join(d, "document.json"), "wb") as f:
        f.write(doc_bytes)
    with open(os.path.join(d, "body.md"), "wb") as f:
        f.write(body_bytes if body_bytes is not None else BODY.encode("utf-8"))
    for fname, data in (extra or {}).items():
        with open(os.path.join(d, fname), "wb") as f:
            f.write(data)
    return d


def refused(name, doc_bytes, expect, at, body_bytes=None, extra=None, args=()):
    """The document is refused with one message at `at` holding every `expect`; nothing is written."""
    d = setup(name, doc_bytes, body_bytes, extra)
    path = os.path.join(d, "document.json")
    out = os.path.join(d, "out")
    r = run("render", path, "-o", out, *args)
    msg = r.stderr.strip()
    check(r.returncode == 1, f"{name}: exit status 1, got {r.returncode} ({msg})")
    check(re.search(re.escape(at) + r"(:\d+)?: error: ", msg), f"{name}: located at {at}: {msg}")
    for e in expect:
        check(e in msg, f"{name}: message contains {e!r}: {msg}")
    check("\ufffd" not in msg, f"{name}: no broken character in the message: {msg}")
    check(not os.path.exists(out), f"{name}: nothing written")
    j = json.loads(run("check", path, "--json", *args).stdout)
    check(j["diagnostics"] and all(x.get("code") and x["code"] != "unclassified" for x in j["diagnostics"]),
          f"{name}: check --json gives every diagnostic a code: {j['diagnostics']}")
    return msg


def rendered(name, doc_bytes, body_bytes=None, extra=None, args=(), expect_text=()):
    """The document renders; the PDF's text holds every `expect_text`."""
    d = setup(name, doc_bytes, body_bytes, extra)
    out = os.path.join(d, "out")
    r = run("render", os.path.join(d, "document.json"), "-o", out, "-q", *args)
    check(r.returncode == 0, f"{name}: renders ({r.stderr.strip()})")
    pdfs = [f for f in os.listdir(out) if f.endswith(".pdf")] if os.path.isdir(out) else []
    check(len(pdfs) == 1, f"{name}: one PDF written: {pdfs}")
    if pdfs:
        text = squash(" ".join(pdf_pages(os.path.join(out, pdfs[0]))))
        for e in expect_text:
            check(e in text, f"{name}: the PDF reads {e!r}")
    return out


# ---- JSON syntax --------------------------------------------------------------

t = good_text()
last = t.rindex("\n}")  # the end of the last member
trailing = t[:last] + "," + t[last:]
refused("trailing-comma", trailing.encode(), ["comma after the last field", "remove this comma"], position(trailing, last))

t = good_text()
cut = t.index('"place": "Long Khánh",') + len('"place": "Long Khánh"')
missing = t[:cut] + t[cut + 1:]
refused("missing-comma", missing.encode(), ["a comma is missing after this value", 'add ","'], position(missing, cut))

# A whole file of junk is quoted by its start only: the message stays short.
t = good_text()
junk_at = t.index('"Long Khánh"')
junk = t[:junk_at] + "Ab" * 200000 + t[junk_at + len('"Long Khánh"'):]
msg = refused("junk-unquoted", junk.encode(), ["is not in quotes", "…"], position(junk, junk_at))
check(len(msg) < 1000, f"junk-unquoted: the message quotes the text's start only ({len(msg)} characters)")
junk = t[:junk_at] + "1" * 300000 + "." + t[junk_at + len('"Long Khánh"'):]
msg = refused("junk-number", junk.encode(), ["is not a number", "…"], position(junk, junk_at))
check(len(msg) < 1000, f"junk-number: the message quotes the number's start only ({len(msg)} characters)")

t = good_text()
curly = t.replace('"place": "Long Khánh"', '"place": \u201cLong Khánh\u201d')
refused("curly-quotes", curly.encode(), ["\u201cLong Khánh\u201d is in curly quotes \u201c \u201d",
                                         'write "Long Khánh"'], where(curly, "\u201c"))

t = good_text()
bare = t.replace('"place": "Long Khánh"', '"place": Long Khánh')
refused("unquoted-text", bare.encode(), ["the text Long Khánh is not in quotes", '"Long Khánh"'],
        where(bare, "Long Khánh,"))

t = good_text()
zero = t.replace('"number": 498', '"number": 07')
refused("leading-zero", zero.encode(), ["the number 07 starts with a zero", "write 7", '"07"'], where(zero, "07"))

# "07" as text means the number: printed "Số: 07/KH-UBND", named 07-kh-ubnd.pdf.
out = rendered("number-as-text", good_text().replace('"number": 498', '"number": "07"').encode(),
               expect_text=["Số: 07/KH-UBND"])
check(os.path.exists(os.path.join(out, "07-kh-ubnd.pdf")), "number-as-text: named from the number")

# ---- fields -------------------------------------------------------------------


def mutated(change):
    doc = json.loads(good_text())
    change(doc)
    return json.dumps(doc, ensure_ascii=False, indent=2).encode()


def rename(doc, old, new):
    doc[new] = doc.pop(old)


refused("misspelt-field", mutated(lambda d: rename(d, "recipients", "reciepients")),
        ['unknown field "reciepients"; did you mean "recipients"?'], "/reciepients")
refused("misspelt-nested", mutated(lambda d: rename(d["signature"], "position", "postion")),
        ['did you mean "position"?'], "/signature/postion")
refused("misspelt-layout", mutated(lambda d: d.update(layout={"body_size": 14})),
        ['did you mean "body_size_pt"?'], "/layout/body_size")

ANNEX = {"title": "Biểu tổng hợp", "colums": [{"key": "ten", "header": "Đơn vị", "format": "text"}],
         "rows": [{"ten": "Xã A"}]}
msg = refused("misspelt-annex", mutated(lambda d: d.update(annexes=[{"file": "phu-luc.json"}])),
              ['did you mean "columns"?'], "/colums",
              extra={"phu-luc.json": json.dumps(ANNEX, ensure_ascii=False).encode()})
check("phu-luc.json:/colums" in msg, f"misspelt-annex: names the annex file: {msg}")

refused("date-dmy", mutated(lambda d: d.update(date="05/02/2024")), ['write "2024-02-05"'], "/date")
refused("date-d-m", mutated(lambda d: d.update(date="5/2/2024")), ['write "2024-02-05"'], "/date")
refused("date-unpadded", mutated(lambda d: d.update(date="2024-2-5")), ['write "2024-02-05"'], "/date")
refused("type-no-diacritics", mutated(lambda d: d.update(type="Ke hoach")),
        ['did you mean "KH" (Kế hoạch)?'], "/type")
refused("type-case", mutated(lambda d: d.update(type="qđ")), ['did you mean "QĐ" (Quyết định)?'], "/type")
refused("authority-no-dot", mutated(lambda d: d["signature"].update(authority=["KT CHỦ TỊCH"])),
        ['write "KT. CHỦ TỊCH"'], "/signature/authority/0")
refused("authority-spelt-out", mutated(lambda d: d["signature"].update(authority=["Thừa lệnh Chủ tịch"])),
        ['write "TL. CHỦ TỊCH"'], "/signature/authority/0")

# A template's own fields: "did you mean" too.
d = fresh("friendly-template-spec")
tpl = os.path.join(SOURCE, "examples/gia-lai-huyen")
for f in ("body.md", "data.csv"):
    shutil.copy(os.path.join(tpl, f), d)
spec = json.load(open(os.path.join(tpl, "template.json"), encoding="utf-8"))
spec["template"]["pre"] = spec["template"].pop("per")
with open(os.path.join(d, "template.json"), "w", encoding="utf-8") as f:
    json.dump(spec, f, ensure_ascii=False, indent=2)
r = run("render", os.path.join(d, "template.json"), "--data", os.path.join(d, "data.csv"), "--row", "1",
        "-o", os.path.join(d, "out"))
check(r.returncode == 1 and "/template/pre" in r.stderr and 'did you mean "per"?' in r.stderr,
      f"template spec: did you mean: {r.stderr.strip()}")

# ---- encodings ------------------------------------------------------------------


def iconv(text, charset):
    r = subprocess.run(["iconv", "-f", "UTF-8", "-t", charset], input=text.encode("utf-8"), capture_output=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


# VNI, written here from the keyboard layout (a base letter, then a byte for its marks).
VNI_TONE = {"\u0301": 0xF9, "\u0300": 0xF8, "\u0309": 0xFB, "\u0303": 0xF5, "\u0323": 0xEF}
VNI_CIRC = {None: 0xE2, "\u0301": 0xE1, "\u0300": 0xE0, "\u0309": 0xE5, "\u0303": 0xE3, "\u0323": 0xE4}
VNI_BREVE = {None: 0xEA, "\u0301": 0xE9, "\u0300": 0xE8, "\u0309": 0xFA, "\u0303": 0xFC, "\u0323": 0xEB}
VNI_I = {"\u0301": 0xED, "\u0300": 0xEC, "\u0309": 0xE6, "\u0303": 0xF3, "\u0323": 0xF2}


def vni(text):
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ord(ch))
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        up = base.isupper()
        low = 0 if up else 0x20  # upper-case bytes are the lower-case ones minus 0x20
        shape = next((m for m in marks if m in "\u0302\u0306\u031b"), None)
        tone = next((m for m in marks if m in VNI_TONE), None)
        if ch in "đĐ":
            out.append(0xD1 + low)
        elif base in "iI" and tone:
            out.append(VNI_I[tone] - 0x20 + low)
        elif base in "yY" and tone == "\u0323":
            out.append(0xCE + low)
        elif shape == "\u031b":  # ơ ư are single letters; the tone follows
            out.append((0xD4 if base in "oO" else 0xD6) + low)
            if tone:
                out.append(VNI_TONE[tone] - 0x20 + low)
        else:
            out.append(ord(base))
            if shape == "\u0302":
                out.append(VNI_CIRC[tone] - 0x20 + low)
            elif shape == "\u0306":
                out.append(VNI_BREVE[tone] - 0x20 + low)
            elif tone:
                out.append(VNI_TONE[tone] - 0x20 + low)
    return bytes(out)


SIGNER = "Tăng Quốc Lập"
# TCVN3 and VNI have no curly quotes or en dash: a body typed with their fonts has plain ones.
PLAIN_BODY = BODY.replace("\u201c", '"').replace("\u201d", '"').replace("\u2013", "-")
t = good_text()

# UTF-16 (Notepad's "Unicode") and BOMs are read as they are.
rendered("utf16le", b"\xff\xfe" + t.encode("utf-16-le"), expect_text=["Long Khánh", SIGNER])
rendered("utf16be-body", b"\xfe\xff" + t.encode("utf-16-be"),
         body_bytes=b"\xfe\xff" + BODY.encode("utf-16-be"), expect_text=["MỤC TIÊU"])
rendered("utf8-bom", b"\xef\xbb\xbf" + t.encode(), body_bytes=b"\xef\xbb\xbf" + BODY.encode(),
         expect_text=["Long Khánh"])

for enc, charset, title in (("cp1258", "CP1258", "Windows-1258"), ("tcvn3", "TCVN5712-1", "TCVN3 (ABC)"),
                            ("vni", None, "VNI")):
    legacy = (lambda s: vni(s)) if charset is None else (lambda s, c=charset: iconv(s, c))
    doc = legacy(t)
    first_bad = next(i for i, b in enumerate(doc) if b >= 0x80)
    line = doc[:first_bad].count(b"\n") + 1
    msg = refused(f"{enc}-undeclared", doc, [f"legacy Vietnamese encoding {title}", f"--input-encoding {enc}"],
                  f"document.json:{line}")
    # the converted line is shown, so the clerk sees the file is theirs
    shown = t.splitlines()[line - 1].strip()[:60]
    check(shown in msg, f"{enc}: the message shows the line converted ({shown!r}): {msg}")
    rendered(f"{enc}-declared", doc, body_bytes=legacy(PLAIN_BODY), args=("--input-encoding", enc),
             expect_text=["Long Khánh", SIGNER, "MỤC TIÊU", "ỦY BAN NHÂN DÂN", "tỉnh Đồng Nai"])
    # a body in the legacy encoding beside a UTF-8 document: located in the body
    body = legacy(PLAIN_BODY)
    first_bad = next(i for i, b in enumerate(body) if b >= 0x80)
    body_line = body[:first_bad].count(b"\n") + 1
    refused(f"{enc}-body", t.encode(), [title, f"--input-encoding {enc}"], f"body.md:{body_line}", body_bytes=body)

# A batch reads its CSV data in the declared encoding too.
d = fresh("friendly-csv-vni")
for f in ("template.json", "body.md"):
    shutil.copy(os.path.join(tpl, f), d)
csv = open(os.path.join(tpl, "data.csv"), encoding="utf-8").read()
with open(os.path.join(d, "template.json"), "rb") as f:
    tpl_text = f.read().decode("utf-8")
with open(os.path.join(d, "template.json"), "wb") as f:
    f.write(vni(tpl_text))
with open(os.path.join(d, "body.md"), "wb") as f:
    f.write(vni(open(os.path.join(tpl, "body.md"), encoding="utf-8").read()))
with open(os.path.join(d, "data.csv"), "wb") as f:
    f.write(vni(csv))
r = run("batch", os.path.join(d, "template.json"), "--data", os.path.join(d, "data.csv"), "-o",
        os.path.join(d, "out"), "-q", "--input-encoding", "vni")
check(r.returncode == 0, f"VNI batch renders: {r.stderr.strip()}")
pdf = os.path.join(d, "out", "dak-doa-ke-hoach-giam-ngheo-2024.pdf")
check(os.path.exists(pdf) and "ĐAK ĐOA" in squash(" ".join(pdf_pages(pdf))), "VNI batch: Đak Đoa's plan reads ĐAK ĐOA")
r = run("batch", os.path.join(d, "template.json"), "--data", os.path.join(d, "data.csv"), "-o", os.path.join(d, "out2"))
check(r.returncode == 1 and "VNI" in r.stderr and "--input-encoding vni" in r.stderr,
      f"VNI batch without the flag names VNI: {r.stderr.strip()}")

# UTF-16 CSV data.
d = fresh("friendly-csv-utf16")
for f in ("template.json", "body.md"):
    shutil.copy(os.path.join(tpl, f), d)
with open(os.path.join(d, "data.csv"), "wb") as f:
    f.write(b"\xff\xfe" + csv.encode("utf-16-le"))
r = run("render", os.path.join(d, "template.json"), "--data", os.path.join(d, "data.csv"), "--row", "2",
        "-o", os.path.join(d, "out"), "-q")
check(r.returncode == 0 and os.path.exists(os.path.join(d, "out", "dak-doa-ke-hoach-giam-ngheo-2024.pdf")),
      f"UTF-16 CSV data: {r.stderr.strip()}")

# TCVN3 or VNI text pasted into a UTF-8 file: the words as they show in Word once
# the legacy bytes are taken for Windows-1252, found and shown converted.
pasted_tcvn3 = iconv("Nguyễn Thị Hoa", "TCVN5712-1").decode("cp1252")
check(pasted_tcvn3 == "NguyÔn ThÞ Hoa", f"TCVN3 seen as Western text: {pasted_tcvn3}")
doc = mutated(lambda d: d["signature"].update(name=pasted_tcvn3)).decode()
refused("pasted-tcvn3", doc.encode(), ['"NguyÔn ThÞ" is TCVN3 (ABC) text pasted into a UTF-8 file',
                                       'it reads "Nguyễn Thị"'], where(doc, "NguyÔn"))
pasted_vni = vni("Tăng cường công tác giảm nghèo").decode("cp1252")
body = BODY.replace("\n\n", "\n\n" + pasted_vni + ".\n\n", 1)
first_word = pasted_vni.split()[0]
msg = refused("pasted-vni", t.encode(), ["VNI text pasted into a UTF-8 file", "cường công tác giảm nghèo"],
              "body.md:" + where(body, first_word), body_bytes=body.encode())
finish()
