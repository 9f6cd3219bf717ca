"""Nothing a clerk writes may silently become a wrong document: the real binary
on the two examples made for it (a district budget with nested projects,
unknown cells and a sources table cross-checked against the allocation; the
Long Khánh plan with its numbering as published) and on copies of the examples
with one slip each. Every slip is either reported (located, exit 1, or a
warning) or merged into what the decree prints; what the documents print is
read back from the PDF, the workbook and the Word file."""
import json
import os
import re
import shutil

from e2e import OUT, SOURCE, check, copy_example, finish, fresh, load_json, pdf_pages, python_docx, read_xlsx, run, squash


def render(path, *args):
    out = os.path.join(os.path.dirname(path), "out")
    shutil.rmtree(out, ignore_errors=True)
    r = run("render", path, "-o", out, "-q", *args)
    pdfs = [os.path.join(out, f) for f in sorted(os.listdir(out))] if os.path.isdir(out) else []
    return r, out, pdfs


def text_of(pdf):
    return "\n".join(pdf_pages(pdf))


def lines_of(pdf):
    return [squash(l) for p in pdf_pages(pdf) for l in p.splitlines() if l.strip()]


def edit(path, fn):
    with open(path, encoding="utf-8") as f:
        s = f.read()
    s2 = fn(s)
    assert s2 != s, f"the edit changed nothing in {path}"
    with open(path, "w", encoding="utf-8") as f:
        f.write(s2)


def readme_block(example, first_line):
    """The lines of the code block of examples/<example>/README.md that starts with `first_line`."""
    with open(os.path.join(SOURCE, "examples", example, "README.md"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = lines.index(first_line)
    j = lines.index("```", i)
    return lines[i + 1:j]


# ---- the budget example ------------------------------------------------------------

BUDGET = os.path.join(SOURCE, "examples", "kinh-phi-huyen", "document.json")
b = fresh("budget")
r = run("render", BUDGET, "-o", b, "-q", "--format", "pdf,xlsx,docx")
check(r.returncode == 0, f"kinh-phi-huyen renders ({r.stderr.strip()})")
pdf, xlsx, word = (os.path.join(b, "87-kh-ubnd." + e) for e in ("pdf", "xlsx", "docx"))
lines = lines_of(pdf)
body = squash(" ".join(pdf_pages(pdf)[:2]))
# Figures bound by path: each "Tiểu dự án 1" its own.
for figure in ("Tiểu dự án 1 4.020 triệu đồng", "Tiểu dự án 1 3.310 triệu đồng", "Tiểu dự án 1 620 triệu đồng",
               "Tiểu dự án 1 977,3 triệu đồng", "Dự án 3: 4.548 triệu đồng", "Dự án 2: 9.558 triệu đồng",
               "Tiểu dự án 2 385,1345 triệu đồng", "tổng kinh phí sự nghiệp năm 2024 là 20.856,9345 triệu đồng"):
    check(figure in body or figure.replace("tổng", "Tổng") in body, f"budget: the body prints {figure!r}")
check("[[" not in text_of(pdf), "budget: no reference left in the PDF")
# Nested groups: I, 1, a; subtotals at every level; unknown cells print "-".
# A row's first line: its label and name (the name wraps inside its cell), then its figures.
want_rows = [("Tổng cộng", "20.856,9345 10.966,9345 9.890", "the total states the published sums"),
             ("I Dự án 2: Đa dạng hóa sinh kế,", "9.558 4.800 4.758", "a project with its own figures"),
             ("II Dự án 3: Hỗ trợ phát triển", "4.548 2.600 1.948", "a project's subtotals"),
             ("1 Tiểu dự án 1: Hỗ trợ phát triển sản", "4.020 2.300 1.720", "a sub-project's subtotals"),
             ("a Hỗ trợ phát triển sản xuất cộng đồng", "2.750 1.600 1.150", "a row of a sub-project"),
             ("IV Dự án 6: Truyền thông và", "1.005,1345 - -", "a project over unknown cells"),
             ("2 Tiểu dự án 2: Truyền thông", "385,1345 - -", "a sub-project whose split is unknown")]


def row_line(lines, start, figures):
    """The line that starts a table row with `start` and ends with its `figures`, or None."""
    for l in lines:
        if l.startswith(start + " ") and l.endswith(" " + figures) and not any(c.isdigit() for c in l[len(start):-len(figures)]):
            return l
    return None


for start, figures, what in want_rows:
    check(row_line(lines, start, figures) is not None, f"budget PDF: {what}: {start!r} … {figures!r}")
check("Ghi chú: dấu \"-\" là số liệu chưa phân chia theo nguồn vốn; tổng số của Tiểu dự án 2 thuộc Dự" in lines,
      "budget PDF: the note of Phụ lục I")
check("án 6 (385,1345 triệu đồng) và Tiểu dự án 1 thuộc Dự án 7 (977,3 triệu đồng) đã được giao." in lines,
      "budget PDF: references in an annex note are resolved")
check("Tổng nguồn vốn bằng tổng kinh phí phân bổ tại Phụ lục I: 20.856,9345 triệu đồng." in lines,
      "budget PDF: the note of Phụ lục II")
# Recipients pasted with en dashes, the archive written "Lưu: …".
check("- Sở Tài chính;" in text_of(pdf) and "- –" not in text_of(pdf), "budget PDF: en dashes of pasted recipients stripped")
check(text_of(pdf).count("Lưu:") == 1 and "- Lưu: VT, LĐTBXH, TC-KH." in text_of(pdf), "budget PDF: one archive line")

# The workbook: unknown cells are empty, formulas over them give "", subtotals at every level.
sheets = dict(read_xlsx(xlsx))
alloc = sheets.get("Phân bổ kinh phí", {})
by_label = {}
for c in alloc.values():
    if c["col"] == 2 and c["type"] == "s" and c["value"]:
        by_label[c["value"]] = c["row"]


def cell(label, col):
    row = by_label.get(label)
    return alloc.get(f"{col}{row}", {"type": "", "value": None, "formula": None}) if row else None


tda2 = "Tiểu dự án 2: Truyền thông về giảm nghèo đa chiều"
check(tda2 in by_label, f"budget XLSX: the row {tda2!r}")
if tda2 in by_label:
    for col in "DE":
        c = cell(tda2, col)
        check(c["value"] is None and c["formula"] is None, f"budget XLSX: unknown {col} of {tda2!r} is empty, got {c}")
    c = cell(tda2, "C")
    check(c["formula"].startswith("IF(COUNT(") and c["value"] == "385.1345",
          f"budget XLSX: the stated total over unknown cells: {c}")
da6 = "Dự án 6: Truyền thông và giảm nghèo về thông tin"
if da6 in by_label:
    c = cell(da6, "D")
    check(c["formula"] and c["formula"].startswith("IF(COUNT(") and c["value"] in (None, ""),
          f"budget XLSX: a subtotal over unknown cells gives \"\": {c}")
    check(cell(da6, "C")["formula"].endswith("SUM(C{0}:C{1}))".format(by_label[da6] + 1, by_label[da6] + 2)),
          f"budget XLSX: the project sums its sub-projects: {cell(da6, 'C')}")
da3, tda1 = "Dự án 3: Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng", \
    "Tiểu dự án 1: Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp"
if da3 in by_label and tda1 in by_label:
    r3, r1 = by_label[da3], by_label[tda1]
    # Column D holds unknown cells elsewhere, so its sums are guarded: "" while a cell below is empty.
    check(cell(da3, "D")["formula"] == f'IF(COUNT(D{r1},D{r1 + 3})<2,"",SUM(D{r1},D{r1 + 3}))',
          f"budget XLSX: a project sums its sub-projects' rows: {cell(da3, 'D')}")
    check(cell(tda1, "D")["formula"] == f'IF(COUNT(D{r1 + 1}:D{r1 + 2})<2,"",SUM(D{r1 + 1}:D{r1 + 2}))',
          f"budget XLSX: a sub-project sums its rows: {cell(tda1, 'D')}")
src = sheets.get("Nguồn vốn", {})
check(any(c["value"] == "10966.9345" for c in src.values()), "budget XLSX: the sources sheet")

# The Word file prints the resolved cells: "-" for unknown cells, nested group rows bold.
docx = python_docx()
d = docx.Document(word)
rows = {}
for t in d.tables:
    for row in t.rows:
        texts = [squash(c.text) for c in row.cells]
        if len(texts) >= 5:
            rows[texts[1]] = (texts, all(r.bold for c in row.cells[1:2] for p in c.paragraphs for r in p.runs if r.text.strip()))
check(rows.get(tda2, ([],))[0] == ["2", tda2, "385,1345", "-", "-"], f"budget DOCX: {rows.get(tda2)}")
check(rows.get(tda1, ([], False))[1], "budget DOCX: a sub-project's row is bold")
check(rows.get("Hỗ trợ phát triển sản xuất cộng đồng", ([], True))[0] == ["a", "Hỗ trợ phát triển sản xuất cộng đồng", "2.750",
                                                                            "1.600", "1.150"]
      and not rows["Hỗ trợ phát triển sản xuất cộng đồng"][1], "budget DOCX: a row of a sub-project, not bold")

# `check` says exactly what the README shows.
c = run("check", "examples/kinh-phi-huyen/document.json", cwd=SOURCE)
check(c.returncode == 0, f"budget: check exits 0 ({c.stderr.strip()})")
shown = readme_block("kinh-phi-huyen", "$ vanban check examples/kinh-phi-huyen/document.json")
check((c.stdout + c.stderr).splitlines() == shown, f"budget: check prints what its README shows:\n{c.stdout}{c.stderr}")

# ---- slips in copies of the budget ---------------------------------------------------


def budget_copy(name):
    return copy_example("kinh-phi-huyen", "slip-" + name)


# A changed budget part: the table, the body and the cross-table check in one run, ordered.
d1 = budget_copy("part")
edit(os.path.join(d1, "annex-phan-bo.json"),
     lambda s: s.replace('"Hỗ trợ phát triển sản xuất cộng đồng", "tw": 1600, "dp": 1150}',
                         '"Hỗ trợ phát triển sản xuất cộng đồng", "tw": 1600, "dp": 1050}'))
c = run("check", "slip-part/document.json", cwd=OUT)
check(c.returncode == 1, "changed part: check exits 1")
errors = [l for l in c.stderr.splitlines() if ": error: " in l]
places = [l.split(": error: ")[0] for l in errors]
check(places == ["slip-part/body.md:21", "slip-part/annex-phan-bo.json:/total/cells/tong",
                 "slip-part/annex-phan-bo.json:/groups/1/cells/tong", "slip-part/annex-nguon-von.json:/total/cells/so_tien"],
      f"changed part: body, table and cross-table errors in one run, by file and place: {places}")
check(len(errors) == 4 and "computes 3.920" in errors[0] and "computes 20.756,9345" in errors[1] and
      "20.856,9345 must equal Phụ lục I" in errors[3] and "slip-part/annex-phan-bo.json:/total" in errors[3] and
      "which is 20.756,9345" in errors[3], f"changed part: the messages name the figures and both places: {errors}")
readme = readme_block("kinh-phi-huyen", "$ vanban check kinh-phi-huyen/document.json")
check([l.replace("slip-part/", "kinh-phi-huyen/") for l in errors] == readme,
      "changed part: the errors are those the README shows")

# A name several rows carry: an error listing them, even with a stated value that matches one.
d2 = budget_copy("ambiguous")
edit(os.path.join(d2, "body.md"), lambda s: s.replace("[[I:Dự án 4/Tiểu dự án 1:tong = 3.310]]", "[[I:Tiểu dự án 1:tong = 3.310]]"))
r, _, _ = render(os.path.join(d2, "document.json"))
check(r.returncode == 1, "ambiguous name: exit 1")
check('"Tiểu dự án 1" names 4 rows' in r.stderr and '"Dự án 4: Phát triển giáo dục nghề nghiệp, việc làm bền vững/Tiểu dự án 1: '
      in r.stderr and "computes" not in r.stderr and "body.md:23" in r.stderr,
      f"ambiguous name: the candidates with their paths: {r.stderr.strip()}")

# A full published name with ":" is a name like any other.
d3 = budget_copy("colon")
edit(os.path.join(d3, "body.md"), lambda s: s.replace(
    "[[I:Dự án 4/Tiểu dự án 1:tong = 3.310]]",
    "[[I:Tiểu dự án 1: Phát triển giáo dục nghề nghiệp vùng nghèo, vùng khó khăn:tong = 3.310]]"))
r, _, pdfs = render(os.path.join(d3, "document.json"))
check(r.returncode == 0 and "Tiểu dự án 1 3.310 triệu đồng" in squash(text_of(pdfs[0])),
      f"name with ':': resolved ({r.stderr.strip()})")

# A key given twice in an annex file names both places.
d4 = budget_copy("dup-key")
edit(os.path.join(d4, "annex-nguon-von.json"), lambda s: s.replace('"unit": "triệu đồng",', '"unit": "triệu đồng",\n  "unit": "đồng",'))
r, _, _ = render(os.path.join(d4, "document.json"))
check(r.returncode == 1 and "annex-nguon-von.json:/unit" in r.stderr and "given twice" in r.stderr and
      re.search(r"\(at \d+:\d+ and \d+:\d+\)", r.stderr), f"duplicate key in an annex file: {r.stderr.strip()}")

# A cross-table check that names no cell.
d5 = budget_copy("bad-equals")
edit(os.path.join(d5, "annex-nguon-von.json"), lambda s: s.replace('"equals": "I:total:tw"', '"equals": "I:total:trung_uong"'))
r, _, _ = render(os.path.join(d5, "document.json"))
check(r.returncode == 1 and "annex-nguon-von.json:/rows/0/so_tien" in r.stderr and 'no column "trung_uong"' in r.stderr,
      f"an equals reference to nothing: {r.stderr.strip()}")

# Unknown cells printed blank when the column says so; null refused where a value is computed.
d6 = budget_copy("blank-mark")
edit(os.path.join(d6, "annex-phan-bo.json"), lambda s: s.replace(
    '"label": "2", "format": "money", "decimals": 4, "width": 1.6}',
    '"label": "2", "format": "money", "decimals": 4, "width": 1.6, "unknown_mark": ""}'))
r, _, pdfs = render(os.path.join(d6, "document.json"))
check(r.returncode == 0 and row_line(lines_of(pdfs[0]), "2 Tiểu dự án 2: Truyền thông", "385,1345 -") is not None,
      f"unknown mark \"\": column 2 blank, column 3 \"-\" ({r.stderr.strip()})")
d7 = budget_copy("missing-value")
edit(os.path.join(d7, "annex-phan-bo.json"), lambda s: s.replace('"cells": {"tw": 400, "dp": 596}', '"cells": {"tw": 400}'))
r, _, _ = render(os.path.join(d7, "document.json"))
check(r.returncode == 1 and "/groups/4/groups/1" in r.stderr and "or null when it is not known" in r.stderr,
      f"a missing value is still an error, and says how to mark it unknown: {r.stderr.strip()}")

# ---- Gia Lai: the published total kept as published, reported -------------------------

c = run("check", "examples/gia-lai/document.json", cwd=SOURCE)
shown = readme_block("gia-lai", "$ vanban check examples/gia-lai/document.json")
check(c.returncode == 0 and (c.stdout + c.stderr).splitlines() == shown,
      f"gia-lai: check prints what its README shows:\n{c.stdout}{c.stderr}")
g = fresh("gia-lai")
run("render", os.path.join(SOURCE, "examples/gia-lai/document.json"), "-o", g, "-q")
gl = dict(read_xlsx(os.path.join(g, "du-thao-kh-ubnd.xlsx")))
total = [c for c in next(iter(gl.values())).values() if c["value"] == "7449"]
check(len(total) == 1 and total[0]["formula"] is None, f"gia-lai XLSX: 7.449 kept as a figure, not a SUM: {total}")
check("I Tổng cộng toàn tỉnh 388.231 31.502 8,11 2,00 7.449" in lines_of(os.path.join(g, "du-thao-kh-ubnd.pdf")),
      "gia-lai PDF: the province row as published")

# ---- the Long Khánh plan with its numbering as published ----------------------------------

lk = fresh("long-khanh-ban-goc")
r = run("render", os.path.join(SOURCE, "examples/long-khanh-ban-goc/document.json"), "-o", lk, "-q")
check(r.returncode == 0 and r.stderr == "", f"long-khanh-ban-goc renders without a word ({r.stderr.strip()})")
ll = lines_of(os.path.join(lk, "498-kh-ubnd.pdf"))
sections = [l for l in ll if re.match(r"^(I|II|III|IV|V)\. [A-ZĐ]", l)]
check(sections == ["I. MỤC TIÊU:", "II. NỘI DUNG THỰC HIỆN:", "IV. TỔ CHỨC THỰC HIỆN"], f"long-khanh-ban-goc: sections as published: {sections}")
points = [l.split(" ")[0] for l in ll if re.match(r"^[a-zđ][.)] [A-ZĐƯ]", l)]
check(points == ["a)", "b)", "a.", "b.", "c.", "d.", "đ.", "a.", "b."], f"long-khanh-ban-goc: points as published: {points}")
check("1. Phòng Lao động - Thương binh và Xã hội" in ll, "long-khanh-ban-goc: clauses restart under the kept IV.")
t = text_of(os.path.join(lk, "498-kh-ubnd.pdf"))
check(t.count("Lưu:") == 1 and "- Lưu: VT, TH (VX)." in t and "- - " not in t, "long-khanh-ban-goc: one archive line, no doubled dashes")

# ---- typed numbers, recipients, signature, summary, references without annexes -------------

LK = os.path.join(SOURCE, "examples", "long-khanh")


def lk_copy(name, doc_edit=None, body_edit=None):
    d = copy_example("long-khanh", "lk-" + name)
    if doc_edit:
        path = os.path.join(d, "document.json")
        doc = load_json(path)
        doc_edit(doc)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
    if body_edit:
        edit(os.path.join(d, "body.md"), body_edit)
    return os.path.join(d, "document.json")


p = lk_copy("typed", body_edit=lambda s: s.replace("# Mục tiêu:", "# I. Mục tiêu:").replace("## Mục tiêu chung:", "## 3. Mục tiêu chung:"))
r, _, _ = render(p)
check(r.returncode == 1 and 'body.md:7:1: error: the heading starts with the number "I."' in r.stderr and
      'remove "I.": numbers are computed (it would print "I. I. …")' in r.stderr and
      'body.md:9:1: error: the heading starts with the number "3."' in r.stderr and 'it would print "1. 3. …"' in r.stderr,
      f"typed numbers: errors with the fix: {r.stderr.strip()}")
r, _, pdfs = render(p, "--no-strict")
check(r.returncode == 0 and 'body.md:7:1: warning: the heading starts with the number "I."' in r.stderr,
      f"typed numbers with --no-strict: warnings ({r.stderr.strip()})")

p = lk_copy("recipients", doc_edit=lambda d: d.update(
    type="BC", kinh_gui=["Ủy ban nhân dân tỉnh Đồng Nai"],
    recipients=["Như trên;", "– Sở LĐ-TB&XH tỉnh;", "— TT. Thành ủy", "• TT. HĐND thành phố", "- Lưu: VT, TH (VX)."],
    archive="Lưu VT.", summary="Báo cáo kết quả thực hiện Chương trình năm 2024",
    signature={"authority": ["KT. CHỦ TỊCH"], "position": "Phó Chủ tịch", "name": "tăng quốc lập"}))
r, out, pdfs = render(p)
check(r.returncode == 0, f"recipients: renders ({r.stderr.strip()})")
t = text_of(pdfs[0]) if pdfs else ""
raw = t.splitlines()
start = next((i for i, l in enumerate(raw) if "Nơi nhận:" in l), len(raw))
rec = [p for p in (re.split(r"\s{2,}", l.strip())[0] for l in raw[start + 1:]) if p.startswith("- ")]
check(rec[:5] == ["- Như trên;", "- Sở LĐ-TB&XH tỉnh;", "- TT. Thành ủy;", "- TT. HĐND thành phố;", "- Lưu: VT, TH (VX)."],
      f"recipients: one \"Như trên\", dashes and bullets stripped, one merged archive line: {rec}")
check(t.count("Như trên") == 1 and t.count("Lưu:") == 1, "recipients: nothing printed twice")
check('/signature/name: warning: the signer\'s name "tăng quốc lập" has no capital letter' in r.stderr and
      'did you mean "Tăng Quốc Lập"?' in r.stderr, f"signature: a warning with the likely form: {r.stderr.strip()}")
check('/summary: warning: the summary starts with the type name "Báo cáo"' in r.stderr and
      '"Kết quả thực hiện Chương trình năm 2024"' in r.stderr, f"summary: a warning: {r.stderr.strip()}")

p = lk_copy("no-annex", body_edit=lambda s: s.replace("(Có bảng giao chỉ tiêu", "Có [[I:total:c9]] hộ (Có bảng giao chỉ tiêu"))
r, out, _ = render(p)
check(r.returncode == 1 and "table reference [[I:total:c9]]: the document has no annex tables" in r.stderr and
      not os.path.exists(out), f"a reference without annexes: an error, nothing written ({r.stderr.strip()})")

p = lk_copy("placeholder", doc_edit=lambda d: d.update(place="{{noi_ban_hanh}}"))
r, _, _ = render(p)
check(r.returncode == 1 and "/place: error:" in r.stderr and "template placeholder" in r.stderr,
      f"a placeholder in a document that is not a template: {r.stderr.strip()}")

# ---- import keeps what the documents print ---------------------------------------------------

imp = os.path.join(OUT, "import-budget")
shutil.rmtree(imp, ignore_errors=True)
r = run("import", word, "-o", imp)
check(r.returncode == 0 and r.stderr == "", f"budget DOCX imports without a word ({r.stderr.strip()})")
if r.returncode == 0:
    a1 = load_json(os.path.join(imp, "annex-1.json"))
    g = a1.get("groups", [])
    check(len(g) == 5 and "rows" not in g[0] and g[0]["cells"].get("c3") == 9558,
          f"import: Dự án 2 carries its own figures: {g[:1]}")
    check(len(g) > 1 and [s["title"][:14] for s in g[1].get("groups", [])] == ["Tiểu dự án 1: ", "Tiểu dự án 2: "] and
          len(g[1]["groups"][0].get("rows", [])) == 2, "import: Dự án 3 holds its sub-projects, the first with its rows")
    check(len(g) > 3 and g[3]["groups"][1]["cells"].get("c4", 0) is None, "import: \"-\" in a number column is an unknown cell")
lk_word = fresh("import-lk")
run("render", os.path.join(SOURCE, "examples/long-khanh-ban-goc/document.json"), "-o", lk_word, "-q", "--format", "docx")
r = run("import", os.path.join(lk_word, "498-kh-ubnd.docx"), "-o", os.path.join(lk_word, "imported"))
body_md = open(os.path.join(lk_word, "imported", "body.md"), encoding="utf-8").read() if r.returncode == 0 else ""
check("\n# [IV.] TỔ CHỨC THỰC HIỆN\n" in body_md and r.stderr == "",
      f"import: a published number that differs from the outline's is kept as typed ({r.stderr.strip()})")

# ---- the schemas accept the examples' new fields -------------------------------------------

try:
    import jsonschema
except ImportError:
    import sys
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import jsonschema
    except ImportError:
        jsonschema = None
check(jsonschema is not None, "jsonschema is available to check the examples against the schemas")
if jsonschema is not None:
    annex_schema = load_json(os.path.join(SOURCE, "templates/annex.schema.json"))
    doc_schema = load_json(os.path.join(SOURCE, "templates/document.schema.json"))
    for sch in (annex_schema, doc_schema):
        jsonschema.Draft202012Validator.check_schema(sch)
    try:
        from referencing import Registry, Resource
        registry = Registry().with_resource(annex_schema["$id"], Resource.from_contents(annex_schema))
        doc_validator = jsonschema.Draft202012Validator(doc_schema, registry=registry)
    except ImportError:  # jsonschema before 4.18
        resolver = jsonschema.RefResolver.from_schema(doc_schema, store={annex_schema["$id"]: annex_schema})
        doc_validator = jsonschema.Draft202012Validator(doc_schema, resolver=resolver)
    annex_validator = jsonschema.Draft202012Validator(annex_schema)
    for example in ("kinh-phi-huyen", "long-khanh-ban-goc", "gia-lai"):
        folder = os.path.join(SOURCE, "examples", example)
        doc = load_json(os.path.join(folder, "document.json"))
        errs = [e.message for e in doc_validator.iter_errors(doc)]
        check(not errs, f"{example}/document.json follows templates/document.schema.json: {errs[:3]}")
        for a in doc.get("annexes", []):
            errs = [e.message for e in annex_validator.iter_errors(load_json(os.path.join(folder, a["file"])))]
            check(not errs, f"{example}/{a['file']} follows templates/annex.schema.json: {errs[:3]}")
    bad = {"title": "T", "columns": [{"key": "a", "unknown_mark": "?"}],
           "groups": [{"title": "G", "rows": [], "groups": [{"title": "H", "cells": {"a": {"as_published": True}}}]}]}
    check(len(list(annex_validator.iter_errors(bad))) >= 2, "the annex schema refuses a bad mark, rows and groups together")

finish()
