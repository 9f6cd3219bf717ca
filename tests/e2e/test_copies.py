"""Copies (bản sao: sao y, sao lục, trích sao; NĐ Đ25, PLI-2), checked on the
real PDF: the paper copy block on a new page after the copied document (a
full-width rule, the copying organisation with its rule, the copy number in
its own series, "SAO Y" level with the organisation, the place-date line
level with the number, Nơi nhận and the copy's signer), the electronic copy
line at the top right of page 1, a "Bản sao" type refused, and determinism.
In Word: the paper copy's block in a section of its own (e2e_test_docx
converts it with LibreOffice like every example), the electronic copy's line
in page 1's own page header, at the top right of the page LibreOffice makes."""
import glob
import json
import os
import shutil

import zipfile

from e2e import (render_to, drawn_images, qdf, OUT, SOURCE, check, finish, fresh, pdf_pages, pdf_rules, run, soffice_to_pdf, squash,
                 styled, styled_lines, tool)

MM = 72 / 25.4
LEFT, RIGHT = 30 * MM, 595.2756 - 15 * MM
EXAMPLE = os.path.join(SOURCE, "examples", "ban-sao", "document.json")


def render(path, name, *extra):
    return render_to(path, name, *extra)


def variant(name, change):
    with open(EXAMPLE, encoding="utf-8") as f:
        doc = json.load(f)
    change(doc)
    d = fresh(name + "-src")
    with open(os.path.join(d, "document.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    for fn in os.listdir(os.path.dirname(EXAMPLE)):  # the body and the pictures
        if fn != "document.json":
            shutil.copy(os.path.join(os.path.dirname(EXAMPLE), fn), d)
    return os.path.join(d, "document.json")


def paper():
    pdf, _ = render(EXAMPLE, "ban-sao")
    if not pdf:
        return
    check(os.path.basename(pdf) == "312-snv-vtlt-sy-05.pdf", f"the copy is named after the original and its copy number: {pdf}")
    out, rc = tool("qpdf", "--check", pdf)
    check(rc == 0, f"ban-sao: qpdf --check ({out.strip()})")
    pages = pdf_pages(pdf)
    check(len(pages) == 2, f"ban-sao: the document, then the copy block on a new page ({len(pages)} pages)")
    L = styled_lines(pdf)
    # Page 1: the copied document as issued, with no copy mark.
    check(styled(L, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1) is not None and styled(L, "Số: 312/SNV-VTLT", 1) is not None,
          "ban-sao: page 1 is the copied document")
    check("SAO Y" not in squash(pages[0]) and "BẢN SAO" not in squash(pages[0]), "ban-sao: page 1 carries no copy mark")
    # Last page: the copy block.
    last = len(pages)
    check("CỘNG HÒA" not in pages[-1], "copy block: no national title")
    rules = sorted([r for r in pdf_rules(pdf) if r[0] == last], key=lambda r: r[2])
    check(len(rules) >= 2 and abs(rules[0][1] - LEFT) < 1 and abs(rules[0][3] - RIGHT) < 1,
          f"copy block: a solid rule across the text width first: {rules[:1]}")
    form = styled(L, "SAO Y", last)
    org = styled(L, "VĂN PHÒNG", last)
    org2 = styled(L, "ỦY BAN NHÂN DÂN HUYỆN CHƯ SÊ", last)
    num = styled(L, "Số: 05/SY-VP", last)
    pd = styled(L, "Chư Sê, ngày 13 tháng 5 năm 2024", last)
    check(form is not None and form["bold"] and form["text"] == "SAO Y" and 13 <= form["size"] <= 14, "copy block: SAO Y, bold, 13–14 pt")
    check(org is not None and org2 is not None and org["bold"] and org2["bold"], "copy block: the copying organisation in bold, its lines as given")
    if form and org:
        check(abs(form["top"] - org["top"]) < 1.5 and form["left"] > org["left"] + org["width"],
              "copy block: SAO Y in the right column, level with the organisation")
    if org2 and len(rules) >= 2:
        r = rules[1]
        check(r[2] > org2["top"] + org2["height"] - 3 and r[2] - (org2["top"] + org2["height"]) < 8,
              "copy block: a short rule under the organisation")
        check(org2["width"] / 3 - 1 <= r[3] - r[1] <= org2["width"] / 2 + 1, "copy block: the rule is 1/3–1/2 of the line above it")
    check(num is not None and not num["bold"] and not num["italic"], "copy block: Số: 05/SY-VP, upright (the copy's own series)")
    check(pd is not None and pd["italic"], "copy block: place and date of copying, italic")
    if num and pd:
        check(abs(num["top"] - pd["top"]) < 2 and pd["left"] > num["left"] + num["width"], "copy block: number and place-date on one line")
    label = styled(L, "Nơi nhận:", last)
    check(label is not None and label["bold"] and label["italic"] and label["size"] == 12, "copy block: Nơi nhận: 12 pt bold italic")
    check(styled(L, "- Lưu: VT.", last) is not None, "copy block: - Lưu: VT.")
    sig = styled(L, "TL. CHÁNH VĂN PHÒNG", last)
    name = styled(L, "Rơ Châm Hyun", last)
    check(sig is not None and sig["bold"] and name is not None and name["bold"] and name["top"] - sig["top"] > 60,
          "copy block: the copy's signer, room for the signature, the name in bold")
    if num and sig:
        check(sig["top"] > num["top"], "copy block: the signer under the heading")
    # The copy's signature and the copying organisation's seal, on the copy page only, the seal over the signature's left third.
    imgs = drawn_images(pdf)
    check(len(imgs) == 2, f"copy block: the signature and the seal drawn: {imgs}")
    if len(imgs) == 2 and sig and name:
        (_, sx, st, sw, sh), (_, kx, kt, kw, kh) = imgs
        check(abs(sh - 16 * MM) < 0.05 and st > sig["top"] and st + sh < name["top"] + 1, "copy block: the signature between position and name")
        check(abs(kw - 36 * MM) < 0.05 and abs((kx + kw) - (sx + sw / 3)) < 0.05, "copy block: the seal at 36 mm over the signature's left third")
        check("/AcroForm" not in qdf(pdf), "a paper copy has no signature field")
        text_p1 = qdf(pdf).split("%% Page 2")[0]
        check(" Do Q" not in text_p1, "page 1 (the copied document) has no image")
    # Determinism.
    pdf2, _ = render(EXAMPLE, "ban-sao-2")
    with open(pdf, "rb") as a, open(pdf2, "rb") as b:
        check(a.read() == b.read(), "ban-sao: byte-identical on a second run")
    # Sao lục and trích sao share the copy series: only the code changes.
    for kind, form_text, code in (("SL", "SAO LỤC", "SL"), ("trích sao", "TRÍCH SAO", "TrS")):
        path = variant("kind-" + code, lambda d: d["copy"].update(kind=kind))
        p, _ = render(path, "kind-" + code)
        if p:
            L2 = styled_lines(p)
            check(styled(L2, form_text, 2) is not None and styled(L2, f"Số: 05/{code}-VP", 2) is not None,
                  f"{kind}: {form_text} and Số: 05/{code}-VP")


def electronic():
    def to_electronic(d):
        for k in ("recipients", "archive", "signature"):
            d["copy"].pop(k)
        d["copy"].update(electronic=True, time="10:22:33", issuer={"name": ["Văn phòng", "Ủy ban nhân dân huyện Chư Sê"], "code": "VP",
                                                                   "full_name": "Văn phòng UBND huyện Chư Sê"})
    pdf, _ = render(variant("e-copy", to_electronic), "e-copy")
    if not pdf:
        return
    pages = pdf_pages(pdf)
    check(len(pages) == 1, "electronic copy: the copied document's pages only, no copy block")
    L = styled_lines(pdf)
    line = styled(L, "SAO Y; Văn phòng UBND huyện Chư Sê; 13/05/2024; 10:22:33 +07:00", 1)
    check(line is not None, "electronic copy: the copy line (form; organisation; dd/mm/yyyy; hh:mm:ss +07:00)")
    head = styled(L, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1)
    if line and head:
        check(line["size"] == 10 and not line["bold"] and not line["italic"] and line["colour"] == "#000000",
              "electronic copy line: 10 pt, upright, black")
        check(abs(line["left"] + line["width"] - RIGHT) < 1.5, "electronic copy line: flush with the right margin")
        check(line["top"] + line["height"] < head["top"] and line["top"] < 20 * MM, "electronic copy line: above the header, in the top margin")
    # In Word: the line in page 1's own page header, right-aligned, 10 pt; LibreOffice draws it at the top right.
    out = fresh("e-copy-docx")
    r = run("render", variant("e-copy-w", to_electronic), "-o", out, "--format", "docx")
    docs = glob.glob(os.path.join(out, "*.docx"))
    check(r.returncode == 0 and len(docs) == 1, f"electronic copy: written as DOCX ({r.stderr.strip()})")
    if not docs:
        return
    with zipfile.ZipFile(docs[0]) as z:
        first = z.read("word/header3.xml").decode()
        document = z.read("word/document.xml").decode()
    check("SAO Y; Văn phòng UBND huyện Chư Sê; 13/05/2024; 10:22:33 +07:00" in first and '<w:jc w:val="right"/>' in first
          and '<w:sz w:val="20"/>' in first, "electronic copy DOCX: the copy line in page 1's own header, right-aligned, 10 pt")
    check('w:type="first" r:id="rIdHeaderMain"' in document and "SAO Y" not in document,
          "electronic copy DOCX: page 1 names that header; no copy block in the text")
    lo = fresh("e-copy-lo")
    log, rc = soffice_to_pdf(docs, lo, os.path.join(OUT, "lo-work-copies"))
    lo_pdf = os.path.join(lo, os.path.basename(docs[0])[:-5] + ".pdf")
    check(rc == 0 and os.path.exists(lo_pdf), f"electronic copy DOCX: LibreOffice converts it ({log.strip()[-200:]})")
    if os.path.exists(lo_pdf):
        L = styled_lines(lo_pdf)
        line = styled(L, "SAO Y; Văn phòng UBND huyện Chư Sê; 13/05/2024; 10:22:33 +07:00", 1)
        head = styled(L, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1)
        check(line is not None and head is not None, "electronic copy in Word: the copy line and the header on page 1")
        if line and head:
            check(abs(line["left"] + line["width"] - RIGHT) < 3 and line["top"] + line["height"] < head["top"] and line["top"] < 20 * MM
                  and abs(line["size"] - 10) < 0.6, f"electronic copy in Word: 10 pt, top right, above the header ({line})")
        check(len(pdf_pages(lo_pdf)) == 1, "electronic copy in Word: the copied document's page only")


def refused():
    def bad(name, change, where, *words):
        path = variant(name, change)
        r = run("check", path)
        msg = r.stderr.strip()
        check(r.returncode == 1 and where in msg and all(w in msg for w in words), f"{name}: refused at {where} ({msg})")
    # A "Bản sao" is no longer printed as a new document titled "BẢN SAO Y".
    bad("type-sy", lambda d: (d.update(type="SY"), d.pop("copy")), "document.json:/type", "copy")
    bad("type-sl", lambda d: (d.update(type="Bản sao lục"), d.pop("copy")), "/type", "copy")
    bad("kind", lambda d: d["copy"].update(kind="photo"), "/copy/kind", "SY", "SL", "TrS")
    bad("date", lambda d: d["copy"].update(date="13/05/2024"), "/copy/date", "YYYY-MM-DD")
    bad("number", lambda d: d["copy"].pop("number"), "/copy", "number")
    bad("e-time", lambda d: d["copy"].update(electronic=True), "/copy", "time")
    bad("e-block", lambda d: d["copy"].update(electronic=True, time="10:22:33"), "/copy/signature", "electronic")
    out = fresh("docx-out")
    r = run("render", EXAMPLE, "-o", out, "--format", "docx")
    check(r.returncode == 0 and os.listdir(out) == ["312-snv-vtlt-sy-05.docx"],
          f"a paper copy as DOCX: named like its PDF ({r.stderr.strip()} {os.listdir(out)})")
    if os.path.exists(os.path.join(out, "312-snv-vtlt-sy-05.docx")):
        with zipfile.ZipFile(os.path.join(out, "312-snv-vtlt-sy-05.docx")) as z:
            names = z.namelist()
            document = z.read("word/document.xml").decode()
        check(sum(n.startswith("word/media/") for n in names) == 2 and 'name="Chữ ký"' in document and 'name="Dấu"' in document,
              "paper copy DOCX: the copy signer's signature and the copying organisation's seal, each stored once")


paper()
electronic()
refused()
finish()
