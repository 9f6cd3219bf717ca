"""vanban import: the real-world set of Word documents made without vanban
(tests/data/docx/, see tools/make-docx-testset.py) gives the expected
document.json, body.md and annex files, each of which renders; every example
(the joint document, the marks and the paper copy included) survives
render -> .docx -> import -> render with the same PDF text, and its issuers,
signatures, marks and copy come back as given; bad input (not a zip, a zip
without word/document.xml, malformed XML) gets a located message, exit 1 and
no output."""
import glob
import json
import os
import shutil
import zipfile

from e2e import all_examples, OUT, SOURCE, absent, check, finish, fresh, load_json, page_texts, run

DATA = os.path.join(SOURCE, "tests", "data", "docx")

# ---- the real-world set ------------------------------------------------------------
sets = sorted(glob.glob(os.path.join(DATA, "*.docx")))
check(len(sets) >= 5, f"at least five Word documents in tests/data/docx, found {len(sets)}")
for path in sets:
    name = os.path.basename(path)[:-5]
    expected = os.path.join(DATA, name)
    out = absent("import-" + name)
    r = run("import", path, "-o", out)
    check(r.returncode == 0, f"{name}: import exits 0 ({r.stderr.strip()})")
    want = sorted(os.listdir(expected))
    got = sorted(os.listdir(out)) if os.path.isdir(out) else []
    check(got == want, f"{name}: files {got}, expected {want}")
    for f in want:
        a = open(os.path.join(expected, f), encoding="utf-8").read()
        b = open(os.path.join(out, f), encoding="utf-8").read() if os.path.exists(os.path.join(out, f)) else ""
        check(a == b, f"{name}: {f} as expected")
    rr = run("render", os.path.join(out, "document.json"), "-o", os.path.join(out, "pdf"))
    check(rr.returncode == 0, f"{name}: the imported document renders ({rr.stderr.strip()})")
    joint = "issuers" in load_json(os.path.join(expected, "document.json"))
    for line in ("issuer:", "number:", "place and date:", "Nơi nhận:", "signatures (" if joint else "signature:"):
        check(line in r.stdout, f"{name}: the summary names what was recognised ({line})")

# Text that cannot be placed is kept, with a warning naming its paragraph.
qd = run("import", os.path.join(DATA, "quyet-dinh-draft.docx"), "-o", absent("import-qd-again"))
check("paragraph" in qd.stderr and "(Đã ký)" in qd.stderr and "put into the body" in qd.stderr,
      f"unplaced text is reported with its paragraph number: {qd.stderr.strip()}")

# The office-made joint draft and Công văn with marks: what was recognised is named.
lt = run("import", os.path.join(DATA, "ke-hoach-lien-tich.docx"), "-o", absent("import-lt-again"))
check("joint issuers (2)" in lt.stdout and "signatures (2" in lt.stdout and "draft mark: DỰ THẢO" in lt.stdout
      and lt.stderr.strip() == "",
      f"the joint draft's issuers, signatures and DỰ THẢO (above the header) are recognised, without warnings: "
      f"{lt.stdout.strip()} {lt.stderr.strip()}")
mk = run("import", os.path.join(DATA, "cong-van-mat-khan.docx"), "-o", absent("import-mk-again"))
for line in ("secrecy stamp (10a): MẬT", "urgency stamp (10b): HỎA TỐC", "circulation mark (11): LƯU HÀNH NỘI BỘ",
             "drafter and copies (12): TH, 15", "address footer (13): 3 lines"):
    check(line in mk.stdout, f"the Công văn's marks are recognised: {line!r} in {mk.stdout.strip()}")
check(mk.stderr.strip() == "", f"the Công văn with marks imports without warnings: {mk.stderr.strip()}")


def upper_signature(s):
    return {k: (v.upper() if k == "position" else v) for k, v in s.items() if k not in ("image", "seal")}


# ---- round trip: render -> .docx -> import -> render ---------------------------------
def round_trip(name, path, given):
    first = fresh("rt-" + name)
    r = run("render", path, "-o", first, "--format", "pdf,docx")
    docs = glob.glob(os.path.join(first, "*.docx"))
    pdfs = glob.glob(os.path.join(first, "*.pdf"))
    check(r.returncode == 0 and len(docs) == 1 and len(pdfs) == 1, f"{name}: render to PDF and DOCX")
    if not docs:
        return
    imported = absent("rt-" + name + "-imported")
    ri = run("import", docs[0], "-o", imported)
    check(ri.returncode == 0, f"{name}: import of vanban's own DOCX exits 0 ({ri.stderr.strip()})")
    check(ri.stderr.strip() == "", f"{name}: vanban's own DOCX imports without warnings: {ri.stderr.strip()}")
    got = load_json(os.path.join(imported, "document.json")) if ri.returncode == 0 else {}
    # What the text alone cannot tell apart is compared as well: the joint
    # issuers and their signatures, the marks, the copy.
    if "issuers" in given:
        check([i["code"] for i in got.get("issuers", [])] == [i["code"] for i in given["issuers"]],
              f"{name}: the joint issuers' codes come back in order ({got.get('issuers')})")
        check([upper_signature(s) for s in got.get("signatures", [])] == [upper_signature(s) for s in given["signatures"]],
              f"{name}: the joint signatures come back in the issuers' order ({got.get('signatures')})")
    if "marks" in given:
        # A draft mark is printed in capitals, as vanban reads it ("Dự thảo lần 2" is "DỰ THẢO LẦN 2").
        def printed(m):
            return {k: (v.upper() if k == "draft" and isinstance(v, str) else v) for k, v in (m or {}).items()}
        check(printed(got.get("marks")) == printed(given["marks"]), f"{name}: the marks come back as given ({got.get('marks')})")
    if "copy" in given:
        want = {k: given["copy"][k] for k in ("kind", "number", "date", "place", "recipients", "archive")}
        check({k: got.get("copy", {}).get(k) for k in want} == want and
              got.get("copy", {}).get("issuer", {}).get("code") == given["copy"]["issuer"]["code"] and
              upper_signature(got.get("copy", {}).get("signature", {})) == upper_signature(given["copy"]["signature"]),
              f"{name}: the copy block comes back as given ({got.get('copy')})")
    second = fresh("rt-" + name + "-again")
    rr = run("render", os.path.join(imported, "document.json"), "-o", second)
    check(rr.returncode == 0, f"{name}: the imported document renders ({rr.stderr.strip()})")
    again = glob.glob(os.path.join(second, "*.pdf"))
    check(len(again) == 1 and os.path.basename(again[0]) == os.path.basename(pdfs[0]),
          f"{name}: the same file name after the round trip")
    if again:
        a, b = page_texts(pdfs[0]), page_texts(again[0])
        check(a == b, f"{name}: the same PDF text after render -> .docx -> import -> render")


def variant(name, example, change):
    """An example changed by the test, written beside its other files."""
    given = load_json(os.path.join(SOURCE, "examples", example, "document.json"))
    change(given)
    d = fresh(name + "-src")
    for f in os.listdir(os.path.join(SOURCE, "examples", example)):
        if f != "document.json":
            shutil.copy(os.path.join(SOURCE, "examples", example, f), d)
    with open(os.path.join(d, "document.json"), "w", encoding="utf-8") as f:
        json.dump(given, f, ensure_ascii=False)
    return os.path.join(d, "document.json"), given


for path in all_examples():
    round_trip(os.path.basename(os.path.dirname(path)), path, load_json(path))

# Three and five joint issuers (one row of three; two to a row), a name that
# holds " - " itself ("Sở Lao động - Thương binh"), header lines broken after
# a joining dash; a draft with DỰ THẢO and the recall stamp beside box 11.
MORE = [({"name": "Sở Tài chính", "code": "TC"}, {"position": "Giám đốc", "name": "Lê Văn Tài"}),
        ({"name": ["Sở Lao động - Thương binh", "và Xã hội"], "code": "LĐ"},
         {"authority": ["KT. GIÁM ĐỐC"], "position": "Phó Giám đốc", "name": "Đỗ Thị Lan"}),
        ({"name": "Công an tỉnh", "code": "CA"}, {"position": "Giám đốc", "name": "Rơ Mah Tuấn"})]


def joint(n):
    def change(d):
        for i, c in zip(d["issuers"], ("TP", "GD")):
            i["code"] = c  # short codes: five must fit on the number line
        for issuer, signature in MORE[:n - 2]:
            d["issuers"].append(issuer)
            d["signatures"].append(signature)
    return change


def draft(d):
    d["marks"].update(draft="Dự thảo lần 2", recall=True)
    d.pop("number")
    d["date"] = "2024-02"


for name, example, change in (("joint-3", "lien-tich", joint(3)), ("joint-5", "lien-tich", joint(5)),
                              ("draft-recall", "hoa-toc-mat", draft)):
    path, given = variant("rt-" + name, example, change)
    round_trip(name, path, given)

# ---- bad input ---------------------------------------------------------------------------
bad = fresh("bad-import")


def refused(what, data, expect):
    path = os.path.join(bad, what + ".docx")
    with open(path, "wb") as f:
        f.write(data)
    out = os.path.join(bad, what + "-out")
    r = run("import", path, "-o", out)
    check(r.returncode == 1, f"{what}: exit 1, got {r.returncode}")
    check(r.stderr.startswith(path) and expect in r.stderr, f"{what}: located message with {expect!r}: {r.stderr.strip()}")
    check(not os.path.exists(out), f"{what}: no output left behind")


refused("not-a-zip", b"This is plain text, not a Word file.\n", "not a ZIP archive")
import io
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("hello.txt", "hi")
refused("no-document", buf.getvalue(), "no word/document.xml")
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("word/document.xml", '<?xml version="1.0"?>\n<w:document xmlns:w="x">\n<w:body><w:p></w:body>')
refused("bad-xml", buf.getvalue(), "word/document.xml:3:")
finish()
