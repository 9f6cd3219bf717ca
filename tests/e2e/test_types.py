"""Document types, marks and layout rules of Nghị định 30/2020/NĐ-CP (see
shared spec nd30-types.md), checked on the real PDF: each example of a type
under examples/ is rendered and its page 1 and last page read back with
pdftohtml -xml (text, position, size, bold, italic, colour) and the PDF's own
stroked rules; small documents made here check the layout rules."""
import glob
import json
import os

from e2e import (OUT, SOURCE, check, finish, fresh, load_json, pdf_pages, pdf_rules, run, squash, styled,
                 styled_lines)

MM = 72 / 25.4
LEFT, RIGHT = 30 * MM, 595.2756 - 15 * MM
CENTRE = (LEFT + RIGHT) / 2


def render(path, name, *extra):
    out = fresh(name)
    r = run("render", path, "-o", out, *extra)
    check(r.returncode == 0, f"{name}: render exits 0 ({r.stderr.strip()})")
    pdfs = sorted(glob.glob(os.path.join(out, "*.pdf")))
    return (pdfs[0] if pdfs else None), r


def write_doc(name, doc, body, files=None):
    d = fresh(name + "-src")
    with open(os.path.join(d, "document.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
    with open(os.path.join(d, "body.md"), "w", encoding="utf-8") as f:
        f.write(body)
    for fn, text in (files or {}).items():
        with open(os.path.join(d, fn), "w", encoding="utf-8") as f:
            f.write(text)
    return os.path.join(d, "document.json")


def centred(piece, within=(LEFT, RIGHT), tol=3.0):
    mid = piece["left"] + piece["width"] / 2
    return abs(mid - (within[0] + within[1]) / 2) <= tol


BASE = {
    "type": "KH", "issuer": {"name": ["Ủy ban nhân dân", "tỉnh Gia Lai"], "code": "UBND"}, "number": 5,
    "date": "2024-02-05", "place": "Gia Lai", "summary": "Triển khai công tác năm 2024",
    "body": {"file": "body.md"}, "recipients": ["Sở Nội vụ"], "archive": "VT, NC",
    "signature": {"authority": ["KT. CHỦ TỊCH"], "position": "Phó Chủ tịch", "name": "Nguyễn Văn An"},
}

# ---- 1. layout corrections -----------------------------------------------------------


def layout_corrections():
    # Header lines given as arrays are kept as given (the parent too), shrunk before re-wrapping.
    doc = dict(BASE)
    doc["parent"] = ["Bộ Lao động - Thương binh", "và Xã hội"]
    doc["issuer"] = {"name": ["Ban Chỉ đạo các chương trình", "mục tiêu quốc gia"], "code": "BCĐ"}
    doc["recipients"] = ["Các sở, ban, ngành, đoàn thể cấp tỉnh và Ủy ban nhân dân các huyện, thị xã, thành phố"]
    path = write_doc("lines", doc, "# Mục đích\n\nTriển khai thực hiện.\n")
    pdf, _ = render(path, "lines")
    if not pdf:
        return
    L = styled_lines(pdf)
    for text, bold in (("BỘ LAO ĐỘNG - THƯƠNG BINH", False), ("VÀ XÃ HỘI", False), ("MỤC TIÊU QUỐC GIA", True)):
        p = styled(L, text, 1)
        check(p is not None and p["text"] == text, f"header line {text!r} printed as given: {p and p['text']!r}")
        if p:
            check(p["bold"] == bold and 12 <= p["size"] <= 13, f"{text!r}: bold={bold}, 12–13 pt ({p['size']})")
    # A given line too wide for the column even at 12 pt is wrapped on its own, between words, balanced.
    left_col = [p["text"] for p in L if p["page"] == 1 and p["left"] + p["width"] < 290 and p["top"] < 140 and p["bold"] + (p["text"][:3] != "Số:") > 0]
    check(left_col == ["BỘ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI", "BAN CHỈ ĐẠO CÁC", "CHƯƠNG TRÌNH", "MỤC TIÊU QUỐC GIA"],
          f"organisation column: {left_col}")
    # The rule under the issuer: 1/3–1/2 of the line directly above it, centred under it.
    last = styled(L, "MỤC TIÊU QUỐC GIA", 1)
    rules = [r for r in pdf_rules(pdf) if r[0] == 1]
    if last and rules:
        r = rules[0]
        length = r[3] - r[1]
        check(last["width"] / 3 - 1 <= length <= last["width"] / 2 + 1,
              f"issuer rule {length:.0f} pt is 1/3–1/2 of the line above ({last['width']:.0f} pt)")
        check(abs((r[1] + r[3]) / 2 - (last["left"] + last["width"] / 2)) < 3, "issuer rule centred under it")
        check(r[2] > last["top"] + last["height"] - 3, "issuer rule under the line")
    # A wrapped Nơi nhận entry continues under its text, not under the dash.
    first = styled(L, "- Các sở, ban, ngành")
    cont = [p for p in L if p["page"] == first["page"] and 0 < p["top"] - first["top"] < 20] if first else []
    check(first is not None and len(cont) == 1, "the long recipient wraps once")
    if first and cont:
        check(cont[0]["left"] >= first["left"] + 4, f"continuation at x={cont[0]['left']} starts under the text "
                                                     f"(dash at {first['left']})")
    # Công văn: V/v printed as written.
    cv = dict(BASE, type="CV", summary="đôn đốc rà soát hồ sơ", kinh_gui=["Các sở, ngành"])
    cv.pop("number")
    pdf, _ = render(write_doc("vv", cv, "Đề nghị các sở rà soát hồ sơ.\n"), "vv")
    if pdf:
        check("V/v đôn đốc rà soát hồ sơ" in squash(pdf_pages(pdf)[0]), "V/v text printed as written")


layout_corrections()
finish()
