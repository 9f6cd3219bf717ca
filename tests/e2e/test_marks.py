"""Joint documents (văn bản liên tịch) and the marks and boxes of Nghị định
30/2020/NĐ-CP, Phụ lục I (§III–§V), checked on
the real PDF: examples/lien-tich and examples/hoa-toc-mat are rendered and
their page 1 and last page read back with pdftohtml -xml (text, position,
size, bold, italic, colour), the content stream's stroked rules and frames
(with their stroke colour), and a rendered pixel inside the red urgency box;
the DOCX is checked for the same elements in Word's own constructs; small
documents made here check DỰ THẢO, the recall stamp and the located errors
for bad values."""
import glob
import json
import os
import re
import zipfile

from e2e import OUT, SOURCE, check, finish, fresh, load_json, pdf_pages, pdf_rules, run, squash, styled, styled_lines, tool

MM = 72 / 25.4
PAGE_H = 841.8898
LEFT, RIGHT = 30 * MM, 595.2756 - 15 * MM
TOP, BOTTOM = 20 * MM, PAGE_H - 20 * MM
CENTRE = (LEFT + RIGHT) / 2
RED = "1 0 0"


def render(path, name, *extra):
    out = fresh(name)
    r = run("render", path, "-o", out, *extra)
    check(r.returncode == 0, f"{name}: render exits 0 ({r.stderr.strip()})")
    pdfs = sorted(glob.glob(os.path.join(out, "*.pdf")))
    return (pdfs[0] if pdfs else None), r


def render_docx(path, name):
    out = fresh(name + "-docx")
    r = run("render", path, "-o", out, "--format", "docx")
    files = glob.glob(os.path.join(out, "*.docx"))
    check(r.returncode == 0 and len(files) == 1, f"{name}: DOCX written ({r.stderr.strip()})")
    return zipfile.ZipFile(files[0]) if files else None


def write_doc(name, doc, body):
    d = fresh(name + "-src")
    with open(os.path.join(d, "document.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
    with open(os.path.join(d, "body.md"), "w", encoding="utf-8") as f:
        f.write(body)
    return os.path.join(d, "document.json")


def exact(L, text, page):
    return next((p for p in L if p["page"] == page and p["text"] == text), None)


def mid(p):
    return p["left"] + p["width"] / 2


def frames(pdf, page):
    """Rectangles stroked with "re S" on `page`: (x, top, w, h, colour), read back from the four edges pdf_rules gives."""
    edges = [r for r in pdf_rules(pdf) if r[0] == page]
    out = []
    for i in range(0, len(edges) - 3):
        a, b, c, d = edges[i:i + 4]
        # re S gives bottom, top, left, right edges in that order (pdf_rules).
        if abs(a[2] - a[4]) < 0.01 and abs(c[1] - c[3]) < 0.01 and abs(a[1] - c[1]) < 0.01 and abs(d[1] - a[3]) < 0.01 \
                and abs(b[2] - min(c[2], c[4])) < 0.01 and a[6] == b[6] == c[6] == d[6] and a[2] > b[2]:
            out.append((a[1], b[2], a[3] - a[1], a[2] - b[2], a[6]))
    return out


def inside(piece, fr, tol=1.0):
    x, top, w, h, _ = fr
    return (piece["left"] >= x - tol and piece["left"] + piece["width"] <= x + w + tol
            and piece["top"] >= top - tol and piece["top"] + piece["height"] <= top + h + tol)


def pixel(pdf, page, x_pt, y_pt, dpi=72):
    """The RGB of the rendered pixel at (x_pt, y_pt) on `page` (pdftoppm, PPM)."""
    d = fresh("pixel")
    tool("pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-x", str(int(x_pt * dpi / 72)),
         "-y", str(int(y_pt * dpi / 72)), "-W", "1", "-H", "1", pdf, os.path.join(d, "p"))
    files = glob.glob(os.path.join(d, "p*.ppm"))
    if not files:
        return None
    data = open(files[0], "rb").read()
    return tuple(data[-3:])


# ---- joint document ------------------------------------------------------------------


def joint():
    path = os.path.join(SOURCE, "examples", "lien-tich", "document.json")
    pdf, r = render(path, "lien-tich")
    check("not regulated" in r.stderr and "/issuers" in r.stderr,
          f"lien-tich: flagged as not regulated by Nghị định 30 ({r.stderr.strip()})")
    if not pdf:
        return
    L = styled_lines(pdf)
    # Header: the parent, then the issuers joined by " - ", broken where the names are broken, bold, centred on one axis.
    parent = exact(L, "UBND TỈNH GIA LAI", 1)
    l1, l2 = exact(L, "SỞ TƯ PHÁP - SỞ GIÁO DỤC", 1), exact(L, "VÀ ĐÀO TẠO", 1)
    check(parent is not None and not parent["bold"], "lien-tich: parent line, not bold")
    check(l1 is not None and l2 is not None, "lien-tich: both issuers in the header, joined by ' - '")
    if parent and l1 and l2:
        check(l1["bold"] and l2["bold"] and 12 <= l1["size"] <= 13, f"lien-tich: issuers bold, 12–13 pt ({l1['size']})")
        check(abs(mid(l1) - mid(l2)) < 2 and abs(mid(l1) - mid(parent)) < 2 and mid(l1) < CENTRE,
              "lien-tich: issuer lines centred in the left column")
        check(parent["top"] < l1["top"] < l2["top"], "lien-tich: parent, then the lead issuer, then the other")
        rule = [x for x in pdf_rules(pdf) if x[0] == 1][0]
        length = rule[3] - rule[1]
        check(l2["width"] / 3 - 1 <= length <= l2["width"] / 2 + 1 and rule[2] > l2["top"] + l2["height"] - 3,
              f"lien-tich: the issuer rule under the last issuer line, 1/3–1/2 of it ({length:.0f} pt)")
    so = exact(L, "Số: 02/KHLT-STP-SGDĐT", 1)
    check(so is not None and not so["bold"] and mid(so) < CENTRE, "lien-tich: joint number code 'Số: 02/KHLT-STP-SGDĐT'")
    kh = exact(L, "KẾ HOẠCH LIÊN TỊCH", 1)
    check(kh is not None and kh["bold"] and abs(mid(kh) - CENTRE) < 3, "lien-tich: 'KẾ HOẠCH LIÊN TỊCH' bold, centred")
    # Last page: the lead issuer's block on the right, the other's on the left; headings level, names level.
    last = max(p["page"] for p in L)
    lead_pos, other_auth = exact(L, "GIÁM ĐỐC", last), exact(L, "KT. GIÁM ĐỐC", last)
    other_pos = exact(L, "PHÓ GIÁM ĐỐC", last)
    lead_name, other_name = exact(L, "Nguyễn Thị Hồng Nhung", last), exact(L, "Trần Văn Hùng", last)
    check(all([lead_pos, other_auth, other_pos, lead_name, other_name]), "lien-tich: both signature blocks on the last page")
    if all([lead_pos, other_auth, other_pos, lead_name, other_name]):
        check(all(p["bold"] and p["size"] == 14 for p in (lead_pos, other_auth, other_pos, lead_name, other_name)),
              "lien-tich: signature lines bold, 14 pt")
        check(mid(lead_pos) > CENTRE and mid(other_auth) < CENTRE, "lien-tich: the lead issuer signs on the right, the other on the left")
        check(abs(mid(lead_pos) - (CENTRE + RIGHT) / 2) < 3 and abs(mid(other_auth) - (LEFT + CENTRE) / 2) < 3,
              "lien-tich: each block centred in its half")
        check(abs(lead_pos["top"] - other_auth["top"]) < 1, "lien-tich: headings on one line")
        check(abs(lead_name["top"] - other_name["top"]) < 1, "lien-tich: names on one row")
        check(abs(mid(lead_name) - mid(lead_pos)) < 2 and abs(mid(other_name) - mid(other_auth)) < 2,
              "lien-tich: names centred under their headings")
        check(lead_name["top"] - other_pos["top"] > 50, "lien-tich: room for the signatures and seals")
        nn = exact(L, "Nơi nhận:", last)
        check(nn is not None and nn["top"] > lead_name["top"] and abs(nn["left"] - LEFT) < 2 and nn["bold"] and nn["italic"],
              "lien-tich: Nơi nhận under the signatures, flush left, bold italic")
        luu = styled(L, "- Lưu: VT STP, VT SGDĐT.", last)
        check(luu is not None and luu["size"] == 11, "lien-tich: Lưu line, 11 pt")
    # DOCX: the same header, code and signatures side by side in a borderless table.
    z = render_docx(path, "lien-tich")
    if z:
        xml = z.read("word/document.xml").decode("utf-8")
        order = ["SỞ TƯ PHÁP - SỞ GIÁO DỤC", "VÀ ĐÀO TẠO", "Số: 02/KHLT-STP-SGDĐT", "KẾ HOẠCH LIÊN TỊCH", "KT. GIÁM ĐỐC",
                 "PHÓ GIÁM ĐỐC", "GIÁM ĐỐC", "Trần Văn Hùng", "Nguyễn Thị Hồng Nhung", "Nơi nhận:"]
        pos = [xml.find(">" + t + "<") for t in order]
        check(all(p >= 0 for p in pos) and pos == sorted(pos), f"lien-tich DOCX: {list(zip(order, pos))}")
        sig_tbl = xml[xml.rfind("<w:tbl>", 0, pos[4]):pos[-1]]
        check(sig_tbl.count("<w:tc>") == 4 and sig_tbl.count('<w:gridCol w:w=') == 2,
              "lien-tich DOCX: signatures in a two-column table, headings row and names row")
    # Located errors.
    bad = load_json(path)
    bad["issuers"] = bad["issuers"][:1]
    r = run("check", write_doc("joint-one", bad, "Nội dung.\n"))
    check(r.returncode == 1 and "/issuers" in r.stderr and "two or more" in r.stderr, f"one joint issuer refused, located: {r.stderr.strip()}")
    bad = load_json(path)
    bad["signatures"] = bad["signatures"][:1]
    r = run("check", write_doc("joint-sigs", bad, "Nội dung.\n"))
    check(r.returncode == 1 and "/signatures" in r.stderr and "one signature per issuer" in r.stderr,
          f"signature count refused, located: {r.stderr.strip()}")
    bad = load_json(path)
    bad["issuers"][1]["code"] = "STP"
    r = run("check", write_doc("joint-code", bad, "Nội dung.\n"))
    check(r.returncode == 1 and "/issuers/1/code" in r.stderr, f"a repeated issuer code refused, located: {r.stderr.strip()}")
    bad = load_json(path)
    bad["issuer"] = {"name": "Sở Tư pháp", "code": "STP"}
    r = run("check", write_doc("joint-both", bad, "Nội dung.\n"))
    check(r.returncode == 1 and "/issuer" in r.stderr and "not both" in r.stderr, f"issuer and issuers together refused: {r.stderr.strip()}")


# ---- marks and boxes ------------------------------------------------------------------


def marks():
    path = os.path.join(SOURCE, "examples", "hoa-toc-mat", "document.json")
    pdf, _ = render(path, "hoa-toc-mat")
    if not pdf:
        return
    L = styled_lines(pdf)
    F = frames(pdf, 1)
    so = styled(L, "Số: 85/UBND-NC", 1)
    vv = styled(L, "V/v triển khai", 1)
    vv_lines = [p for p in L if p["page"] == 1 and vv and p["top"] >= vv["top"] and mid(p) < CENTRE and p["top"] < vv["top"] + 50
                and not p["bold"]]
    vv_bottom = max(p["top"] + p["height"] for p in vv_lines) if vv_lines else 0
    # [10a] secrecy, [10b] urgency: red, bold, in red single-line frames of their sizes, flush with the left
    # column's edge, 10a under the V/v lines, 10b directly under 10a.
    mat, hoa = exact(L, "MẬT", 1), exact(L, "HỎA TỐC", 1)
    check(mat is not None and hoa is not None, "hoa-toc-mat: MẬT and HỎA TỐC on page 1")
    boxes = {}
    for piece, w_mm, name in ((mat, 20, "MẬT"), (hoa, 30, "HỎA TỐC")):
        if not piece:
            continue
        check(piece["bold"] and piece["colour"].lower() == "#ff0000" and 13 <= piece["size"] <= 14,
              f"hoa-toc-mat: {name} bold, bright red, 13–14 pt ({piece['colour']}, {piece['size']})")
        fr = next((f for f in F if inside(piece, f)), None)
        check(fr is not None, f"hoa-toc-mat: {name} inside a frame")
        if fr:
            boxes[name] = fr
            check(abs(fr[2] - w_mm * MM) < 0.5 and abs(fr[3] - 8 * MM) < 0.5, f"hoa-toc-mat: {name} frame {w_mm} × 8 mm "
                                                                              f"({fr[2] / MM:.1f} × {fr[3] / MM:.1f})")
            check(fr[4] == RED, f"hoa-toc-mat: {name} frame stroked bright red ({fr[4]})")
            check(abs(fr[0] - LEFT) < 0.5, f"hoa-toc-mat: {name} flush with the left column's edge ({fr[0]:.1f})")
            check(abs(mid(piece) - (fr[0] + fr[2] / 2)) < 1.5, f"hoa-toc-mat: {name} centred in its frame")
    if "MẬT" in boxes and "HỎA TỐC" in boxes and so:
        m, h = boxes["MẬT"], boxes["HỎA TỐC"]
        check(m[1] > max(so["top"] + so["height"], vv_bottom), "hoa-toc-mat: 10a under the number and the V/v lines")
        check(0 <= h[1] - (m[1] + m[3]) < 4 * MM, "hoa-toc-mat: 10b directly under 10a")
        # A rendered pixel on the urgency box's bottom border, away from the text, is red.
        px = pixel(pdf, 1, h[0] + h[2] / 2, h[1] + h[3], dpi=288)
        check(px is not None and px[0] > 200 and px[1] < 80 and px[2] < 80, f"hoa-toc-mat: HỎA TỐC box border rendered red {px}")
        kh = styled(L, "Kính gửi:", 1)
        check(kh is not None and kh["top"] > h[1] + h[3], "hoa-toc-mat: Kính gửi below the stamps")
    # [11] circulation: in the top margin band, above box 1, on the right half; bold, upright, framed, black.
    xx = exact(L, "XEM XONG TRẢ LẠI", 1)
    nat = styled(L, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1)
    check(xx is not None and xx["bold"] and not xx["italic"] and xx["colour"].lower() == "#000000",
          "hoa-toc-mat: XEM XONG TRẢ LẠI bold, upright, black")
    box11 = None
    if xx and nat:
        fr = box11 = next((f for f in F if inside(xx, f)), None)
        check(fr is not None and fr[1] + fr[3] < TOP and fr[0] >= CENTRE and fr[0] + fr[2] <= RIGHT + 0.5,
              f"hoa-toc-mat: box 11 framed, in the top margin, on the right half ({fr})")
        check(xx["top"] + xx["height"] < nat["top"], "hoa-toc-mat: box 11 above the national title")
        if fr:
            check(abs(fr[3] - 8 * MM) < 0.5 and fr[4] == "0 0 0", "hoa-toc-mat: box 11 frame 8 mm high, black")
    # Kính gửi (PLIII M1.5): 3.5 cm from the text area's left edge; dashes aligned under the colon.
    kg = exact(L, "Kính gửi:", 1)
    check(kg is not None and abs(kg["left"] - (LEFT + 35 * MM)) < 1.5 and not kg["bold"] and kg["size"] == 14,
          f"hoa-toc-mat: 'Kính gửi:' 3.5 cm in, 14 pt upright ({kg and kg['left'] - LEFT:.1f} pt)")
    dashes = [p for p in L if p["page"] == 1 and p["text"].startswith("- ") and kg and 0 < p["top"] - kg["top"] < 60]
    check(len(dashes) == 3, f"hoa-toc-mat: three addressee lines under Kính gửi ({[d['text'] for d in dashes]})")
    if kg and dashes:
        colon = kg["left"] + kg["width"] - 4.5
        check(all(abs(d["left"] - colon) < 2.5 for d in dashes), f"hoa-toc-mat: dashes under the colon "
                                                                  f"({[round(d['left'], 1) for d in dashes]} vs {colon:.1f})")
        check(dashes[-1]["text"].endswith(".") and dashes[0]["text"].endswith(";"), "hoa-toc-mat: ';' then '.' at the end")
    # [13] address footer: page 1 bottom, 11 pt, upright, under a rule across the text width.
    foot = [exact(L, t, 1) for t in ("Số 02 Trần Phú, phường Tây Sơn, thành phố Pleiku, tỉnh Gia Lai",
                                     "ĐT: 0269.3824000, Fax: 0269.3824111",
                                     "E-Mail: ubnd@gialai.gov.vn, Website: www.gialai.gov.vn")]
    check(all(foot), "hoa-toc-mat: the three footer lines on page 1")
    if all(foot):
        check(all(p["size"] == 11 and not p["bold"] and not p["italic"] for p in foot), "hoa-toc-mat: footer 11 pt upright")
        check(foot[0]["top"] < foot[1]["top"] < foot[2]["top"] and foot[2]["top"] + foot[2]["height"] <= BOTTOM + 1.5,
              "hoa-toc-mat: footer at the bottom of the text area")
        check(all(abs(p["left"] - LEFT) < 1 for p in foot), "hoa-toc-mat: footer lines flush left")
        full = [x for x in pdf_rules(pdf) if x[0] == 1 and abs(x[1] - LEFT) < 0.5 and abs(x[3] - RIGHT) < 0.5 and x[2] == x[4]]
        check(full and foot[0]["top"] - 12 < full[-1][2] < foot[0]["top"], "hoa-toc-mat: a full-width rule right above the footer")
        body = [p for p in L if p["page"] == 1 and p not in foot and p["top"] > (full[-1][2] if full else BOTTOM) - 2]
        check(not body, f"hoa-toc-mat: nothing else under the footer rule ({[p['text'] for p in body]})")
    # The footer is on page 1 only.
    pages = max(p["page"] for p in L)
    check(pages == 1 or not any("Trần Phú" in p["text"] for p in L if p["page"] > 1), "hoa-toc-mat: footer on page 1 only")
    # [12] on the Lưu line: "- Lưu: VT, NC (2). HT.(12)." 11 pt, upright.
    luu = styled(L, "- Lưu: VT, NC (2). HT.(12).")
    check(luu is not None and luu["size"] == 11 and not luu["bold"], f"hoa-toc-mat: box 12 on the Lưu line ({luu})")
    # DOCX: the stamps as one-cell tables of their sizes with red borders and red text, box 11 in page 1's own
    # header, the footer in page 1's own footer with a top border, Kính gửi indented 3.5 cm.
    z = render_docx(path, "hoa-toc-mat")
    if z:
        names = z.namelist()
        doc = z.read("word/document.xml").decode("utf-8")
        m = re.search(r'<w:tbl>(?:(?!</w:tbl>).)*?HỎA TỐC', doc, re.S)
        check(m is not None and 'w:w="1701"' in m.group(0) and 'w:color="FF0000"' in m.group(0)
              and 'w:hRule="exact"' in m.group(0), "hoa-toc-mat DOCX: HỎA TỐC a 30 mm table cell, red border, exact height")
        check(re.search(r'<w:color w:val="FF0000"/>.*?<w:t[^>]*>MẬT<', doc, re.S) is not None, "hoa-toc-mat DOCX: MẬT in red")
        head = z.read("word/header3.xml").decode("utf-8") if "word/header3.xml" in names else ""
        check("XEM XONG TRẢ LẠI" in head, "hoa-toc-mat DOCX: box 11 in the first page's own header")
        if box11:
            cols = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', head)]
            check(len(cols) == 2 and abs(cols[0] - (box11[0] - LEFT) * 20) <= 2 and abs(cols[1] - box11[2] * 20) <= 2,
                  f"hoa-toc-mat DOCX: box 11 where the PDF has it ({cols}, frame at {box11[0] - LEFT:.1f}, {box11[2]:.1f} pt)")
        check('w:type="first" r:id="rIdHeaderMain"' in doc and 'w:type="first" r:id="rIdFooterMain"' in doc,
              "hoa-toc-mat DOCX: the main section names page 1's header and footer")
        foot_xml = z.read("word/footer1.xml").decode("utf-8") if "word/footer1.xml" in names else ""
        check("Số 02 Trần Phú" in foot_xml and "<w:top " in foot_xml and 'w:val="22"' in foot_xml,
              "hoa-toc-mat DOCX: address footer, 11 pt, under a top border")
        kgp = re.search(r'<w:p>(?:(?!</w:p>).)*?>Kính gửi:<', doc, re.S)
        check(kgp is not None and 'w:left="1984"' in kgp.group(0), "hoa-toc-mat DOCX: 'Kính gửi:' 3.5 cm in")
        check("HT.(12)." in doc, "hoa-toc-mat DOCX: box 12 on the Lưu line")

    # DỰ THẢO (not regulated; generator default) and the recall stamp.
    doc = load_json(path)
    doc.pop("number")
    doc["marks"] = {"draft": "Dự thảo lần 2", "recall": True, "urgency": "Thượng khẩn"}
    doc["body"] = {"file": "body.md"}
    pdf, _ = render(write_doc("draft", doc, "Nội dung dự thảo.\n"), "draft")
    if pdf:
        L = styled_lines(pdf)
        F = frames(pdf, 1)
        dt = exact(L, "DỰ THẢO LẦN 2", 1)
        check(dt is not None and dt["bold"], "draft: 'DỰ THẢO LẦN 2' bold")
        if dt:
            fr = next((f for f in F if inside(dt, f)), None)
            check(fr is not None and fr[1] + fr[3] < TOP and abs(fr[0] - LEFT) < 0.5 and fr[4] == "0 0 0",
                  f"draft: DỰ THẢO framed in the top margin, flush left, black ({fr})")
        th = exact(L, "TÀI LIỆU THU HỒI", 1)
        check(th is not None and th["colour"].lower() == "#ff0000", "draft: recall stamp in red")
        if th:
            fr = next((f for f in F if inside(th, f)), None)
            check(fr is not None and fr[0] >= CENTRE and fr[1] + fr[3] < TOP, "draft: recall stamp in box 11")
        tk = exact(L, "THƯỢNG KHẨN", 1)
        fr = next((f for f in F if tk and inside(tk, f)), None)
        check(fr is not None and abs(fr[2] - 40 * MM) < 0.5, "draft: THƯỢNG KHẨN box 40 mm wide, any case accepted")

    # Located errors for bad values.
    def bad(marks_value, ptr, words):
        d = load_json(path)
        d["marks"] = marks_value
        r = run("check", write_doc("bad-marks", d, "Nội dung.\n"))
        check(r.returncode == 1 and ptr in r.stderr and all(w in r.stderr for w in words),
              f"bad marks {marks_value} refused at {ptr}: {r.stderr.strip()}")
    bad({"urgency": "HỎA TỐC HẸN GIỜ"}, "/marks/urgency", ["not an urgency level"])
    bad({"urgency": "gấp"}, "/marks/urgency", ["KHẨN"])
    bad({"secrecy": "bí mật"}, "/marks/secrecy", ["TỐI MẬT"])
    bad({"copies": 300}, "/marks/copies", ["drafter"])
    bad({"drafter": "PL", "copies": 0}, "/marks/copies", [])
    bad({"drafter": "P.L"}, "/marks/drafter", ["initials"])
    bad({"footer": ["a", "b", "c", "d", "e"]}, "/marks/footer", ["at most 4"])
    bad({"draft": "Bản nháp"}, "/marks/draft", ["Dự thảo"])
    bad({"colour": "red"}, "/marks/colour", [])
    bad("KHẨN", "/marks", [])


joint()
marks()
finish()
