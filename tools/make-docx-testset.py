#!/usr/bin/env python3
"""Makes the real-world import test set in tests/data/docx/: administrative
documents built the way offices build them in a word processor (not by vanban):
tab-aligned or table headers, typed numbers, a Word numbered list, tables for
the signature, an annex table with merged header cells, a joint plan with its
signatures side by side in a table, a Công văn with the secrecy and urgency
stamps as framed paragraphs, box 11 in the first page's own page header and
the address in its own page footer. Each file is written with python3-docx,
then opened and saved again by LibreOffice Writer (soffice --convert-to docx),
so the files are LibreOffice's own DOCX.

    python3 tools/make-docx-testset.py            # rewrites tests/data/docx/*.docx
    python3 tools/make-docx-testset.py NAME ...   # only these (e.g. ke-hoach-lien-tich)
"""
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import docx
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "data", "docx")
C, J, L = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


def new_doc():
    d = docx.Document()
    st = d.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(14)
    s = d.sections[0]
    s.page_width, s.page_height = Cm(21), Cm(29.7)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Cm(2), Cm(2), Cm(3), Cm(1.5)
    return d


def para(d, text="", align=J, bold=False, italic=False, size=None, indent=True, runs=None, style=None):
    p = d.add_paragraph(style=style) if d is not None else None
    p.alignment = align
    if indent and align == J:
        p.paragraph_format.first_line_indent = Cm(1)
    for t, b, i in (runs or [(text, bold, italic)]):
        r = p.add_run(t)
        r.bold, r.italic = b, i
        if size:
            r.font.size = Pt(size)
    return p


def cell_para(cell, text, bold=False, italic=False, size=13, align=C, first=False):
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    r = p.add_run(text)
    r.bold, r.italic, r.font.size = bold, italic, Pt(size)
    return p


def no_borders(table):
    tbl = table._tbl
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "nil")
        borders.append(b)
    tbl.tblPr.append(borders)


def header_table(d, left, right):
    t = d.add_table(rows=1, cols=2)
    no_borders(t)
    for k, (text, b, i, sz) in enumerate(left):
        cell_para(t.cell(0, 0), text, b, i, sz, first=k == 0)
    for k, (text, b, i, sz) in enumerate(right):
        cell_para(t.cell(0, 1), text, b, i, sz, first=k == 0)
    return t


def tab_header(d, lines):
    """Tab-aligned header: centre tabs at 4 cm and 11.5 cm; each line "\\tleft\\tright"."""
    for left, right, lb, rb, ri in lines:
        p = d.add_paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(Cm(4), WD_TAB_ALIGNMENT.CENTER)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(11.5), WD_TAB_ALIGNMENT.CENTER)
        p.add_run("\t")
        r = p.add_run(left)
        r.bold, r.font.size = lb, Pt(13)
        p.add_run("\t")
        r = p.add_run(right)
        r.bold, r.italic, r.font.size = rb, ri, Pt(13)


def signature_table(d, recipients, sig):
    t = d.add_table(rows=1, cols=2)
    no_borders(t)
    cell_para(t.cell(0, 0), "Nơi nhận:", True, True, 12, L, first=True)
    for r in recipients:
        cell_para(t.cell(0, 0), r, size=11, align=L)
    for k, (text, b) in enumerate(sig):
        cell_para(t.cell(0, 1), text, b, False, 14, C, first=k == 0)


def numbered(d, text, level=0):
    """A paragraph of Word's own numbered list (the template's "List Number")."""
    p = d.add_paragraph(text, style="List Number" if level == 0 else "List Number 2")
    p.alignment = J
    return p


def cong_van(path):
    d = new_doc()
    tab_header(d, [
        ("UBND TỈNH ĐỒNG NAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", False, True, False),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH", "Độc lập - Tự do - Hạnh phúc", True, True, False),
        ("VÀ XÃ HỘI", "", True, False, False),
        ("Số: 1205/SLĐTBXH-GDNN", "Đồng Nai, ngày 08 tháng 5 năm 2024", False, False, True),
        ("V/v báo cáo kết quả tuyển sinh", "", False, False, False),
        ("giáo dục nghề nghiệp năm 2024", "", False, False, False),
    ])
    para(d, "Kính gửi: Ủy ban nhân dân các huyện, thành phố.", align=C)
    para(d, "Thực hiện Kế hoạch số 45/KH-UBND ngày 20 tháng 02 năm 2024 của Ủy ban nhân dân tỉnh về đào tạo nghề cho lao động nông thôn năm 2024, Sở Lao động - Thương binh và Xã hội đề nghị Ủy ban nhân dân các huyện, thành phố thực hiện một số nội dung sau:")
    para(d, "1. Chỉ đạo Phòng Lao động - Thương binh và Xã hội tổng hợp kết quả tuyển sinh, đào tạo nghề 6 tháng đầu năm 2024.")
    para(d, "2. Gửi báo cáo về Sở Lao động - Thương binh và Xã hội (qua Phòng Giáo dục nghề nghiệp) trước ngày 15/6/2024.")
    para(d, runs=[("Đề nghị Ủy ban nhân dân các huyện, thành phố quan tâm, chỉ đạo thực hiện ", False, False),
                  ("đúng thời gian quy định", True, False), ("./.", False, False)])
    for line in ["Nơi nhận:\tKT. GIÁM ĐỐC", "- Như trên;\tPHÓ GIÁM ĐỐC", "- Giám đốc Sở (để b/c);", "- Lưu: VT, GDNN.",
                 "", "", "\tTrần Văn Minh"]:
        p = d.add_paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(Cm(12.5), WD_TAB_ALIGNMENT.CENTER)
        left, _, right = line.partition("\t")
        if left:
            r = p.add_run(left)
            r.font.size = Pt(12 if left.startswith("Nơi") else 11)
            r.bold = r.italic = left.startswith("Nơi")
        if "\t" in line:
            p.add_run("\t")
            r = p.add_run(right)
            r.bold = True
    d.save(path)


def bao_cao(path):
    d = new_doc()
    header_table(d, [("ỦY BAN NHÂN DÂN", True, False, 13), ("HUYỆN ĐĂK ĐOA", True, False, 13), ("", False, False, 13),
                     ("Số: 87/BC-UBND", False, False, 13)],
                 [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 13), ("Độc lập - Tự do - Hạnh phúc", True, False, 14),
                  ("", False, False, 13), ("Đăk Đoa, ngày 03 tháng 7 năm 2024", False, True, 14)])
    para(d, "BÁO CÁO", align=C, bold=True)
    para(d, "Công tác giảm nghèo 6 tháng đầu năm 2024", align=C, bold=True)
    para(d, "Kính gửi:", align=L, indent=False).paragraph_format.left_indent = Cm(3)
    for t in ["- Ủy ban nhân dân tỉnh Gia Lai;", "- Sở Lao động - Thương binh và Xã hội."]:
        para(d, t, align=L, indent=False).paragraph_format.left_indent = Cm(5)
    para(d, "Ủy ban nhân dân huyện Đăk Đoa báo cáo kết quả công tác giảm nghèo 6 tháng đầu năm 2024 như sau:")
    para(d, "I. KẾT QUẢ THỰC HIỆN", bold=True)
    para(d, "1. Công tác chỉ đạo", bold=True)
    para(d, "- Ban hành Kế hoạch giảm nghèo năm 2024 và giao chỉ tiêu cho từng xã, thị trấn.")
    para(d, "+ Các xã đã xây dựng kế hoạch của địa phương.")
    para(d, "2. Kết quả cụ thể", bold=True)
    para(d, "a) Hỗ trợ sản xuất: cấp 120 con bò giống cho 120 hộ nghèo.")
    para(d, "b) Tín dụng: giải ngân 12.500 triệu đồng cho 310 hộ.")
    para(d, runs=[("II. PHƯƠNG HƯỚNG ", True, False), ("6 THÁNG CUỐI NĂM", True, False)])
    para(d, runs=[("Tiếp tục rà soát hộ nghèo theo ", False, False), ("chuẩn nghèo đa chiều", False, True),
                  (" giai đoạn 2022 - 2025./.", False, False)])
    signature_table(d, ["- Như trên;", "- TT. Huyện ủy;", "- Lưu: VT, LĐTBXH."],
                    [("TM. ỦY BAN NHÂN DÂN", True), ("CHỦ TỊCH", True), ("", False), ("", False), ("", False), ("Nguyễn Văn Nam", True)])
    d.save(path)


def ke_hoach(path):
    d = new_doc()
    header_table(d, [("UBND TỈNH NINH THUẬN", False, False, 13), ("SỞ Y TẾ", True, False, 13), ("Số: 310/KH-SYT", False, False, 13)],
                 [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 13), ("Độc lập - Tự do - Hạnh phúc", True, False, 14),
                  ("Ninh Thuận, ngày 12 tháng 3 năm 2024", False, True, 14)])
    para(d, "KẾ HOẠCH", align=C, bold=True)
    para(d, "Tiêm chủng mở rộng năm 2024", align=C, bold=True)
    para(d, "Căn cứ chỉ tiêu được giao, Sở Y tế xây dựng Kế hoạch như sau:")
    para(d, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    numbered(d, "Bảo đảm tỷ lệ tiêm chủng đầy đủ cho trẻ em dưới 1 tuổi đạt trên 95%.")
    numbered(d, "Không để xảy ra dịch bệnh trong chương trình tiêm chủng mở rộng.")
    para(d, "II. NỘI DUNG", bold=True)
    para(d, "1. Tổ chức tiêm chủng thường xuyên tại 65 trạm y tế xã, phường, thị trấn.")
    para(d, "2. Truyền thông về lợi ích của tiêm chủng trên các phương tiện thông tin đại chúng./.")
    signature_table(d, ["- UBND tỉnh (b/c);", "- Các đơn vị y tế;", "- Lưu: VT, NVY."],
                    [("KT. GIÁM ĐỐC", True), ("PHÓ GIÁM ĐỐC", True), ("", False), ("", False), ("Phạm Thị Lan", True)])
    d.save(path)


def quyet_dinh(path):
    d = new_doc()
    header_table(d, [("ỦY BAN NHÂN DÂN", True, False, 13), ("XÃ IA BĂNG", True, False, 13), ("Số:      /QĐ-UBND", False, False, 13)],
                 [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 13), ("Độc lập - Tự do - Hạnh phúc", True, False, 14),
                  ("Ia Băng, ngày      tháng      năm 2024", False, True, 14)])
    para(d, "QUYẾT ĐỊNH", align=C, bold=True)
    para(d, "Về việc thành lập Tổ rà soát hộ nghèo, hộ cận nghèo năm 2024", align=C, bold=True)
    para(d, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", italic=True)
    para(d, "Theo đề nghị của công chức Văn hóa - Xã hội.", italic=True)
    para(d, "QUYẾT ĐỊNH:", align=C, bold=True)
    para(d, runs=[("Điều 1. ", True, False), ("Thành lập Tổ rà soát hộ nghèo, hộ cận nghèo năm 2024 gồm các ông (bà) có tên trong danh sách kèm theo.", False, False)])
    para(d, runs=[("Điều 2. ", True, False), ("Tổ rà soát có nhiệm vụ rà soát, tổng hợp, báo cáo kết quả trước ngày 30/11/2024.", False, False)])
    para(d, runs=[("Điều 3. ", True, False), ("Văn phòng Ủy ban nhân dân xã và các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.", False, False)])
    signature_table(d, ["- Như Điều 3;", "- Lưu: VT."],
                    [("TM. ỦY BAN NHÂN DÂN", True), ("CHỦ TỊCH", True), ("", False), ("(Đã ký)", False), ("", False), ("Rơ Châm Hyin", True)])
    d.save(path)


def framed(p, color="FF0000"):
    """A single-line box around a paragraph, as a stamp typed in Word."""
    pPr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), "6")
        b.set(qn("w:space"), "1")
        b.set(qn("w:color"), color)
        bdr.append(b)
    pPr.append(bdr)


def ke_hoach_lien_tich(path):
    """A joint plan of two departments: both names in the header joined by " - ",
    the joint code, "KẾ HOẠCH LIÊN TỊCH", the two signatures side by side in a
    borderless table (the lead department's on the right), Nơi nhận under them;
    a draft: "DỰ THẢO" typed in a framed paragraph above the header table."""
    d = new_doc()
    mark = para(d, "DỰ THẢO", align=L, bold=True, indent=False)
    framed(mark, "000000")
    header_table(d, [("UBND TỈNH KON TUM", False, False, 13), ("SỞ NỘI VỤ - SỞ TÀI CHÍNH", True, False, 13),
                     ("Số: 15/KHLT-SNV-STC", False, False, 13)],
                 [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 13), ("Độc lập - Tự do - Hạnh phúc", True, False, 14),
                  ("Kon Tum, ngày 10 tháng 4 năm 2024", False, True, 14)])
    para(d, "KẾ HOẠCH LIÊN TỊCH", align=C, bold=True)
    para(d, "Kiểm tra công tác quản lý biên chế và quỹ lương năm 2024", align=C, bold=True)
    para(d, "Sở Nội vụ và Sở Tài chính thống nhất ban hành Kế hoạch liên tịch kiểm tra công tác quản lý biên chế và quỹ lương năm 2024 như sau:")
    para(d, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    para(d, "1. Đánh giá việc sử dụng biên chế và quỹ lương được giao của các cơ quan, đơn vị.")
    para(d, "2. Kịp thời chấn chỉnh những sai sót trong quản lý biên chế.")
    para(d, "II. NỘI DUNG", bold=True)
    para(d, "1. Kiểm tra tại 12 cơ quan, đơn vị trong quý II và quý III năm 2024.")
    para(d, "2. Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/10/2024./.")
    t = d.add_table(rows=1, cols=2)
    no_borders(t)
    for k, (text, b) in enumerate([("KT. GIÁM ĐỐC SỞ TÀI CHÍNH", True), ("PHÓ GIÁM ĐỐC", True), ("", False), ("", False),
                                   ("Lê Văn Bình", True)]):
        cell_para(t.cell(0, 0), text, b, False, 14, C, first=k == 0)
    for k, (text, b) in enumerate([("GIÁM ĐỐC SỞ NỘI VỤ", True), ("", False), ("", False), ("Nguyễn Thị Thu", True)]):
        cell_para(t.cell(0, 1), text, b, False, 14, C, first=k == 0)
    para(d, "Nơi nhận:", align=L, bold=True, italic=True, size=12, indent=False)
    for r in ["- UBND tỉnh (b/c);", "- Các cơ quan, đơn vị được kiểm tra;", "- Lưu: VT SNV, VT STC."]:
        para(d, r, align=L, size=11, indent=False)
    d.save(path)


def cong_van_mat_khan(path):
    """A Công văn with the marks: MẬT and HỎA TỐC as red framed paragraphs under
    V/v, "LƯU HÀNH NỘI BỘ" framed in the first page's own page header (box 11),
    the drafter and copies on the Lưu line (box 12), the address in the first
    page's own page footer (box 13)."""
    d = new_doc()
    sec = d.sections[0]
    sec.different_first_page_header_footer = True
    hp = sec.first_page_header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    r = hp.add_run("LƯU HÀNH NỘI BỘ")
    r.bold, r.font.size = True, Pt(13)
    framed(hp, "000000")
    for k, line in enumerate(["Số 01 Trần Phú, thành phố Kon Tum, tỉnh Kon Tum", "ĐT: 0260.3862000; Fax: 0260.3862001",
                              "E-Mail: syt@kontum.gov.vn"]):
        fp = sec.first_page_footer.paragraphs[0] if k == 0 else sec.first_page_footer.add_paragraph()
        fp.alignment = L
        r = fp.add_run(line)
        r.font.size = Pt(11)
    t = header_table(d, [("UBND TỈNH KON TUM", False, False, 13), ("SỞ Y TẾ", True, False, 13), ("Số: 512/SYT-NVY", False, False, 13),
                         ("V/v phòng, chống dịch sốt xuất huyết", False, False, 12)],
                     [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 13), ("Độc lập - Tự do - Hạnh phúc", True, False, 14),
                      ("Kon Tum, ngày 05 tháng 8 năm 2024", False, True, 14)])
    for text in ("MẬT", "HỎA TỐC"):
        p = cell_para(t.cell(0, 0), text, True, False, 13)
        p.runs[0].font.color.rgb = docx.shared.RGBColor(0xFF, 0, 0)
        framed(p)
    para(d, "Kính gửi: Trung tâm Kiểm soát bệnh tật tỉnh.", align=C)
    para(d, "Trước tình hình số ca mắc sốt xuất huyết tăng cao tại các huyện phía Nam của tỉnh, Sở Y tế đề nghị Trung tâm Kiểm soát bệnh tật tỉnh khẩn trương thực hiện các nội dung sau:")
    para(d, "1. Tổ chức phun hóa chất diệt muỗi tại các ổ dịch trong vòng 48 giờ.")
    para(d, "2. Báo cáo tình hình dịch hằng ngày về Sở Y tế (qua Phòng Nghiệp vụ Y) trước 16 giờ./.")
    signature_table(d, ["- Như trên;", "- Giám đốc Sở (b/c);", "- Lưu: VT, NVY. TH.(15)."],
                    [("KT. GIÁM ĐỐC", True), ("PHÓ GIÁM ĐỐC", True), ("", False), ("", False), ("Trần Quang Hải", True)])
    d.save(path)


def merged(table, r0, c0, r1, c1, text, bold=True, italic=False, size=11):
    cell = table.cell(r0, c0).merge(table.cell(r1, c1))
    cell.paragraphs[0].text = ""
    p = cell.paragraphs[0]
    p.alignment = C
    r = p.add_run(text)
    r.bold, r.italic, r.font.size = bold, italic, Pt(size)


def thong_bao(path):
    d = new_doc()
    header_table(d, [("UBND HUYỆN CHƯ SÊ", False, False, 13), ("PHÒNG LAO ĐỘNG - THƯƠNG BINH", True, False, 13), ("VÀ XÃ HỘI", True, False, 13),
                     ("Số: 42/TB-LĐTBXH", False, False, 13)],
                 [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 13), ("Độc lập - Tự do - Hạnh phúc", True, False, 14),
                  ("Chư Sê, ngày 20 tháng 12 năm 2023", False, True, 14)])
    para(d, "THÔNG BÁO", align=C, bold=True)
    para(d, "Kết quả rà soát hộ nghèo, hộ cận nghèo năm 2023", align=C, bold=True)
    para(d, "Phòng Lao động - Thương binh và Xã hội thông báo kết quả rà soát hộ nghèo, hộ cận nghèo năm 2023 trên địa bàn huyện tại Phụ lục kèm theo./.")
    signature_table(d, ["- UBND huyện (b/c);", "- Lưu: VT."],
                    [("TRƯỞNG PHÒNG", True), ("", False), ("", False), ("Ksor H'Bia", True)])
    sec = d.add_section()
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21)
    para(d, "Phụ lục", align=C, bold=True, indent=False)
    para(d, "KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2023", align=C, bold=True, indent=False)
    para(d, "(Kèm theo Thông báo số 42/TB-LĐTBXH ngày 20 tháng 12 năm 2023 của Phòng Lao động - Thương binh và Xã hội huyện Chư Sê)",
         align=C, italic=True, indent=False)
    rows = [["", "Toàn huyện", "25.310", "1.802", "7,12", "1.240"],
            ["1", "Thị trấn Chư Sê", "6.105", "120", "1,97", "95"],
            ["2", "Xã Ia Blang", "2.310", "402", "17,40", "230"],
            ["3", "Xã Dun", "1.995", "380", "19,05", "301"],
            ["4", "Các xã còn lại", "14.900", "900", "6,04", "614"]]
    t = d.add_table(rows=3 + len(rows), cols=6)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    merged(t, 0, 0, 1, 0, "STT")
    merged(t, 0, 1, 1, 1, "Đơn vị")
    merged(t, 0, 2, 1, 2, "Tổng số hộ")
    merged(t, 0, 3, 0, 4, "Hộ nghèo")
    merged(t, 1, 3, 1, 3, "Số hộ")
    merged(t, 1, 4, 1, 4, "Tỷ lệ (%)")
    merged(t, 0, 5, 1, 5, "Hộ cận nghèo")
    for c, lab in enumerate(["A", "B", "1", "2", "3=2/1", "4"]):
        merged(t, 2, c, 2, c, lab, bold=False, italic=True)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            cell = t.cell(3 + r, c)
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if c >= 2 else (C if c == 0 else L)
            run = p.add_run(v)
            run.font.size = Pt(11)
            run.bold = r == 0
    for r in (0, 1, 2):  # header rows repeat on every page
        trPr = t.rows[r]._tr.get_or_add_trPr()
        h = OxmlElement("w:tblHeader")
        trPr.append(h)
    para(d, "Ghi chú: số liệu theo kết quả rà soát đến ngày 15/12/2023.", align=L, italic=True, indent=False)
    d.save(path)


def main():
    makers = {"cong-van-tab-header": cong_van, "bao-cao-table-header": bao_cao, "ke-hoach-word-list": ke_hoach,
              "quyet-dinh-draft": quyet_dinh, "thong-bao-annex": thong_bao, "ke-hoach-lien-tich": ke_hoach_lien_tich,
              "cong-van-mat-khan": cong_van_mat_khan}
    wanted = sys.argv[1:] or list(makers)
    for name in wanted:
        if name not in makers:
            sys.exit(f"unknown test document {name!r}; known: {', '.join(makers)}")
    makers = {name: makers[name] for name in wanted}
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="vanban-testset-")
    try:
        made = []
        for name, make in makers.items():
            path = os.path.join(work, name + ".docx")
            make(path)
            made.append(path)
        # LibreOffice Writer opens each file and saves it again as its own DOCX.
        lo = os.path.join(work, "lo")
        env = dict(os.environ, HOME=work)
        subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{work}/profile",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", lo, *made], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for path in made:
            shutil.copy(os.path.join(lo, os.path.basename(path)), os.path.join(OUT, os.path.basename(path)))
            print("wrote", os.path.join("tests/data/docx", os.path.basename(path)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
