"""Document types, marks and layout rules of Nghị định 30/2020/NĐ-CP (see
Phụ lục III), checked on the real PDF: each example of a type
under examples/ is rendered and its page 1 and last page read back with
pdftohtml -xml (text, position, size, bold, italic, colour) and the PDF's own
stroked rules; small documents made here check the layout rules."""
import glob
import json
import os

from e2e import (render_to, OUT, SOURCE, check, finish, fresh, load_json, pdf_pages, pdf_rules, run, squash, styled,
                 styled_lines)

MM = 72 / 25.4
LEFT, RIGHT = 30 * MM, 595.2756 - 15 * MM
CENTRE = (LEFT + RIGHT) / 2


def render(path, name, *extra):
    return render_to(path, name, *extra)


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


# ---- 2. decisions and resolutions -------------------------------------------------------


def last_page(L):
    return max(p["page"] for p in L)


def check_docx(name, path, texts, sections=1):
    """The Word document holds `texts` in this order and `sections` sections."""
    from e2e import python_docx
    docx = python_docx()
    out = fresh(name + "-docx")
    r = run("render", path, "-o", out, "--format", "docx")
    files = glob.glob(os.path.join(out, "*.docx"))
    check(r.returncode == 0 and len(files) == 1, f"{name}: DOCX written ({r.stderr.strip()})")
    if not files:
        return None
    d = docx.Document(files[0])
    paras = [p for p in d.element.body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")]
    text = [squash("".join(t.text or "" for t in p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")))
            for p in paras]
    pos = 0
    for t in texts:
        found = next((i for i in range(pos, len(text)) if t in text[i]), None)
        check(found is not None, f"{name}: DOCX holds {t!r} in order")
        if found is not None:
            pos = found
    check(len(d.sections) == sections, f"{name}: DOCX has {sections} section(s), got {len(d.sections)}")
    return d


def decision(name, word):
    path = os.path.join(SOURCE, "examples", name, "document.json")
    doc = load_json(path)
    pdf, _ = render(path, name)
    if not pdf:
        return None, None, None
    L = styled_lines(pdf)
    head = " ".join(doc["authority"].upper().split()[:3])
    auth = next((p for p in L if p["page"] == 1 and p["top"] > 120 and p["text"].startswith(head)), None)
    check(auth is not None and auth["bold"] and centred(auth), f"{name}: authority line bold, centred: {auth}")
    summary_rule = [r for r in pdf_rules(pdf) if r[0] == 1][2]
    if auth:
        check(auth["top"] - summary_rule[2] > 14, f"{name}: a blank line between the summary rule and the authority line")
    bases = doc["bases"] + ([doc["proposal"]] if doc.get("proposal") else [])
    for i, b in enumerate(bases):
        head = styled(L, b[:25], 1)
        check(head is not None and head["italic"] and not head["bold"], f"{name}: basis {b[:25]!r} italic, not bold")
        if head:
            check(abs(head["left"] - (LEFT + 10 * MM)) < 2, f"{name}: basis first line indented 1 cm ({head['left']})")
    text = squash(" ".join(pdf_pages(pdf)))
    for i, b in enumerate(bases):
        end = "." if i == len(bases) - 1 else ";"
        check(squash(b) + end in text, f"{name}: basis {i + 1} ends with {end!r}")
    op = styled(L, word)
    check(op is not None and op["text"] == word and op["bold"] and centred(op), f"{name}: {word!r} bold, centred on its own line")
    art = styled(L, "Điều 1.")
    check(art is not None and art["bold"] and abs(art["left"] - (LEFT + 10 * MM)) < 2,
          f"{name}: 'Điều 1.' bold, indented 1 cm")
    if art:
        rest = [p for p in L if p["page"] == art["page"] and abs(p["top"] - art["top"]) < 2 and p["left"] > art["left"]]
        check(rest and not rest[0]["bold"], f"{name}: the article's text upright, not bold, on the same line")
    return doc, pdf, L


def decisions():
    doc, pdf, L = decision("quyet-dinh", "QUYẾT ĐỊNH:")
    if pdf:
        # Clauses restart in each article: Điều 2 starts again at "1.".
        pages = squash(" ".join(pdf_pages(pdf)))
        d2 = pages.index("Điều 2.")
        check(" 1. Rà soát" in pages[d2:], "quyet-dinh: clauses numbered again from 1 in Điều 2")
        check(" a) Công bố" in pages and " b) Kiến nghị" in pages, "quyet-dinh: points a), b)")
        last = last_page(L)
        first = [p for p in L if p["page"] == last and p["text"].startswith("- ")]
        check(first and first[0]["text"] == "- Như Điều 3;", f"quyet-dinh: Nơi nhận starts with '- Như Điều 3;' ({first[:1]})")
        check("quyết định này./." in pages.lower(), "quyet-dinh: the last article ends with './.'")
        check_docx("quyet-dinh", os.path.join(SOURCE, "examples/quyet-dinh/document.json"),
                   ["CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH GIA LAI", "Căn cứ Luật Tổ chức", "Theo đề nghị", "QUYẾT ĐỊNH:",
                    "Điều 1.", "Điều 2.", "Điều 3.", "- Như Điều 3;"])

    doc, pdf, L = decision("nghi-quyet", "QUYẾT NGHỊ:")
    if pdf:
        last = last_page(L)
        tm = styled(L, "TM. HỘI ĐỒNG NHÂN DÂN", last)
        check(tm is not None and tm["bold"] and tm["left"] > CENTRE - 40, f"nghi-quyet: 'TM. HỘI ĐỒNG NHÂN DÂN' signs, right half")
        check(styled(L, "- Như Điều 2;", last) is not None, "nghi-quyet: Nơi nhận names the article given (Như Điều 2)")

    doc, pdf, L = decision("quyet-dinh-quy-che", "QUYẾT ĐỊNH:")
    if pdf:
        qc = styled(L, "QUY CHẾ")
        check(qc is not None and qc["page"] > 1 and qc["bold"] and centred(qc), "quy-che: 'QUY CHẾ' bold, centred, on a new page")
        if qc:
            pg = qc["page"]
            own = [p for p in L if p["page"] == pg]
            check(not any(p["text"].startswith("Số:") for p in own), "quy-che: no number line on the attached text")
            check(not any("ngày 12 tháng 3 năm 2024" in p["text"] and p["top"] < qc["top"] for p in own),
                  "quy-che: no place-date line")
            check(styled(L, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", pg) is not None, "quy-che: national title in its header")
            note = [p for p in own if p["text"].startswith("(Kèm theo Quyết định số 42/QĐ-STTTT")]
            check(note and note[0]["italic"] and centred(note[0], tol=6), f"quy-che: italic, centred issuance note {note[:1]}")
            ch = styled(L, "Chương I", pg)
            check(ch is not None and ch["text"] == "Chương I" and ch["bold"] and centred(ch), "quy-che: 'Chương I' bold, centred")
            title = styled(L, "QUY ĐỊNH CHUNG", pg)
            check(title is not None and title["bold"] and centred(title), "quy-che: chapter title UPPER, bold, centred")
            a1 = styled(L, "Điều 1. Phạm vi điều chỉnh", pg)
            check(a1 is not None and a1["bold"], "quy-che: 'Điều 1. Phạm vi …' all bold")
            rules = [r for r in pdf_rules(pdf) if r[0] == pg]
            if note and rules:
                check(rules[-1][2] > note[-1]["top"] + note[-1]["height"] - 2, "quy-che: the short rule under the note")
            m = styled(L, "Mục 1")
            check(m is not None and m["bold"] and centred(m), "quy-che: 'Mục 1' bold, centred")
            later = [p for p in L if p["page"] > pg]
            check(later and later[0]["text"] == "2", f"quy-che: its pages numbered from 1 again ({later[:1]})")
            check(not any("Nơi nhận" in p["text"] for p in L if p["page"] >= pg), "quy-che: no Nơi nhận on the attached text")
            texts = squash(" ".join(pdf_pages(pdf)[pg - 1:]))
            check(texts.endswith("cho phù hợp./."), "quy-che: ends with './.'")
            check("Điều 6. Trách nhiệm thi hành" in texts, "quy-che: articles numbered through the chapters")
        check_docx("quyet-dinh-quy-che", os.path.join(SOURCE, "examples/quyet-dinh-quy-che/document.json"),
                   ["GIÁM ĐỐC SỞ THÔNG TIN", "QUYẾT ĐỊNH:", "- Như Điều 3;", "QUY CHẾ", "(Kèm theo Quyết định số 42/QĐ-STTTT",
                    "Chương I", "QUY ĐỊNH CHUNG", "Điều 1. Phạm vi", "Mục 1"], sections=2)

    # Located errors: a unit without a title, "Như Điều" naming an article that does not exist.
    bad = dict(BASE, type="QĐ", authority="Chủ tịch Ủy ban nhân dân tỉnh", nhu_dieu=4)
    r = run("check", write_doc("bad-qd", bad, "Điều: \n\nĐiều. Quyết định này có hiệu lực.\n"))
    check(r.returncode == 1 and "/nhu_dieu" in r.stderr and "no Điều 4" in r.stderr, f"nhu_dieu out of range located: {r.stderr}")
    check("body.md:1:1" in r.stderr and "has no title" in r.stderr, f"untitled Điều located: {r.stderr}")


# ---- 3. other types with a model -------------------------------------------------------


def other_types():
    ex = lambda n: os.path.join(SOURCE, "examples", n, "document.json")
    # Biên bản: no place-date line; the secretary on the left, the chair on the right, names on one row;
    # Nơi nhận under the secretary, after the names.
    pdf, _ = render(ex("bien-ban"), "bien-ban")
    if pdf:
        L = styled_lines(pdf)
        check(not any(p["italic"] and "ngày" in p["text"] for p in L if p["page"] == 1 and p["top"] < 140),
              "bien-ban: no place-date line in the header")
        check(styled(L, "Số: 03/BB-PNV", 1) is not None, "bien-ban: number line")
        last = last_page(L)
        exact = lambda t: next((p for p in L if p["page"] == last and p["text"] == t), None)
        tk, ct, n1, n2 = exact("THƯ KÝ"), exact("CHỦ TỌA"), exact("Lê Thị Hoa"), exact("Đinh Văn Tâm")
        check(all([tk, ct, n1, n2]), "bien-ban: both signature blocks on the last page")
        if all([tk, ct, n1, n2]):
            check(tk["bold"] and ct["bold"] and n1["bold"] and n2["bold"], "bien-ban: headings and names bold")
            check(abs(tk["top"] - ct["top"]) < 2 and abs(n1["top"] - n2["top"]) < 2, "bien-ban: headings and names level")
            check(tk["left"] + tk["width"] < CENTRE < ct["left"], "bien-ban: secretary left, chair right")
            nn = styled(L, "Nơi nhận:", last)
            check(nn is not None and nn["top"] > n1["top"] and nn["left"] < LEFT + 2, "bien-ban: Nơi nhận under the secretary")
        check_docx("bien-ban", ex("bien-ban"), ["Số: 03/BB-PNV", "BIÊN BẢN", "THƯ KÝ", "Lê Thị Hoa", "Nơi nhận:", "CHỦ TỌA"])
    # Giấy mời: the structured lines, in the model's order, body size, indented.
    pdf, _ = render(ex("giay-moi"), "giay-moi")
    if pdf:
        L = styled_lines(pdf)
        gm = styled(L, "GIẤY MỜI", 1)
        check(gm is not None and gm["bold"] and centred(gm), "giay-moi: 'GIẤY MỜI' bold, centred")
        order = ["Ủy ban nhân dân huyện Đak Đoa trân trọng kính mời:", "Tới dự Hội nghị", "Chủ trì: Đồng chí",
                 "Thời gian: 08 giờ 00", "Địa điểm: Hội trường", "Đề nghị Ủy ban nhân dân"]
        tops = [styled(L, t, 1) for t in order]
        check(all(tops), f"giay-moi: every structured line on page 1 ({[t for t, p in zip(order, tops) if not p]})")
        if all(tops):
            check([p["top"] for p in tops] == sorted(p["top"] for p in tops), "giay-moi: lines in the model's order")
            check(all(abs(p["left"] - (LEFT + 10 * MM)) < 2 and p["size"] == 14 for p in tops),
                  "giay-moi: each line a 14 pt paragraph indented 1 cm")
        check(styled(L, "ngày 20 tháng 02 năm 2024./.") is not None, "giay-moi: notes end with './.'")
    # Công văn: V/v as written, in the left column; Kính gửi; Nơi nhận from "- Như trên;".
    pdf, _ = render(ex("cong-van"), "cong-van")
    if pdf:
        L = styled_lines(pdf)
        vv = styled(L, "V/v đôn đốc nộp lưu", 1)
        check(vv is not None and vv["left"] + vv["width"] < CENTRE and not vv["bold"], "cong-van: V/v as written, left column")
        check(styled(L, "Kính gửi:", 1) is not None, "cong-van: Kính gửi")
        nn = styled(L, "Nơi nhận:")
        first = [p for p in L if nn and p["page"] == nn["page"] and p["top"] > nn["top"] and p["text"].startswith("- ")]
        check(first and first[0]["text"] == "- Như trên;", "cong-van: Nơi nhận starts with '- Như trên;'")
    # Tờ trình to a superior: Kính gửi under the summary rule, "- Như trên;".
    pdf, _ = render(ex("to-trinh"), "to-trinh")
    if pdf:
        L = styled_lines(pdf)
        tt, kg = styled(L, "TỜ TRÌNH", 1), styled(L, "Kính gửi:", 1)
        check(tt is not None and kg is not None and kg["top"] > tt["top"] and centred(tt), "to-trinh: Kính gửi under the title")
        check(styled(L, "- Như trên;") is not None, "to-trinh: Nơi nhận starts with '- Như trên;'")
    # Thông báo: no Kính gửi, recipients only under Nơi nhận.
    pdf, _ = render(ex("thong-bao"), "thong-bao")
    if pdf:
        L = styled_lines(pdf)
        check(styled(L, "Kính gửi") is None and styled(L, "- Như trên;") is None, "thong-bao: no Kính gửi, no 'Như trên'")
        tb = styled(L, "THÔNG BÁO", 1)
        check(tb is not None and tb["bold"] and centred(tb), "thong-bao: 'THÔNG BÁO' bold, centred")
    # Giấy giới thiệu: no summary, the rule under the type name, a centred introduction line, "- Như trên;".
    pdf, _ = render(ex("giay-gioi-thieu"), "giay-gioi-thieu")
    if pdf:
        L = styled_lines(pdf)
        gt = styled(L, "GIẤY GIỚI THIỆU", 1)
        check(gt is not None and gt["bold"] and centred(gt), "giay-gioi-thieu: type name bold, centred")
        rule = [r for r in pdf_rules(pdf) if r[0] == 1][2]
        check(gt is not None and 0 < rule[2] - (gt["top"] + gt["height"]) < 8, "giay-gioi-thieu: the rule right under the type name")
        intro = styled(L, "Sở Tài chính tỉnh Gia Lai trân trọng giới thiệu:", 1)
        check(intro is not None and centred(intro, tol=4) and not intro["bold"], "giay-gioi-thieu: centred introduction line")
        for t in ("Ông (bà): Nguyễn Thị Thu Hằng", "Chức vụ: Chuyên viên", "Được cử đến: Ủy ban nhân dân huyện Chư Sê",
                  "Về việc: Làm việc", "Giấy này có giá trị đến hết ngày 30 tháng 4 năm 2024./."):
            p = styled(L, t, 1)
            check(p is not None and abs(p["left"] - (LEFT + 10 * MM)) < 2, f"giay-gioi-thieu: {t!r} indented 1 cm")
        check(styled(L, "- Như trên;", 1) is not None and styled(L, "- Lưu: VT.", 1) is not None,
              "giay-gioi-thieu: Nơi nhận '- Như trên;' and '- Lưu: VT.'")
        check_docx("giay-gioi-thieu", ex("giay-gioi-thieu"), ["GIẤY GIỚI THIỆU", "trân trọng giới thiệu:", "Ông (bà):", "- Như trên;"])
    # Located errors.
    bb = dict(BASE, type="BB")
    r = run("check", write_doc("bad-bb", bb, "Nội dung.\n"))
    check(r.returncode == 1 and "secretary" in r.stderr, f"a Biên bản without a secretary is refused: {r.stderr.strip()}")
    gm = dict(BASE, type="GM", invitation={"invitee": "Ông A", "time": "8 giờ"})
    gm.pop("body")
    r = run("check", write_doc("bad-gm", gm, ""))
    check(r.returncode == 1 and "/invitation" in r.stderr and "event" in r.stderr and "place" in r.stderr,
          f"an invitation without event and place is refused, located: {r.stderr.strip()}")


layout_corrections()
decisions()
other_types()
finish()
