"""Renders every example with the real binary and inspects the PDF with
pdftotext, pdffonts, pdfinfo and qpdf: header, number, date, type name,
summary, Kính gửi, recipients and their punctuation, signature, page numbers,
fonts, structure, bookmarks, annex pages and determinism."""
import glob
import json
import os
import unicodedata

from e2e import outline_examples, SOURCE, check, finish, fresh, load_json, pdf_pages, printed_recipients, run, squash, tool

TYPE_NAMES = {e["code"]: e["name"] for e in load_json(os.path.join(SOURCE, "templates/doc-types.json")) if e["code"]}


def expected_number(doc, code):
    n = doc.get("number")
    if n is None:
        return None
    return f"Số: {n:02d}/{code}"


def expected_date(doc):
    parts = doc["date"].split("-")
    y = parts[0]
    m = int(parts[1]) if len(parts) > 1 else None
    d = int(parts[2]) if len(parts) > 2 else None
    day = f"{d:02d}" if d else None
    month = (f"{m:02d}" if m <= 2 else str(m)) if m else None
    return doc["place"], day, month, y


def check_example(path):
    name = os.path.basename(os.path.dirname(path))
    doc = load_json(path)
    out = fresh(name)
    r = run("render", path, "-o", out)
    check(r.returncode == 0, f"{name}: render exits 0 ({r.stderr.strip()})")
    pdfs = glob.glob(os.path.join(out, "*.pdf"))
    check(len(pdfs) == 1, f"{name}: exactly one PDF written, found {pdfs}")
    if not pdfs:
        return
    pdf = pdfs[0]
    code = doc.get("symbol") or f'{doc["type"]}-{doc["issuer"]["code"]}'
    if doc.get("number"):
        check(os.path.basename(pdf) == f'{doc["number"]}-{code.lower()}.pdf'.replace("đ", "d"),
              f"{name}: file named from the number, got {os.path.basename(pdf)}")
    all_pages = pdf_pages(pdf)
    outl, _ = tool("qpdf", "--json=2", "--json-key=outlines", pdf)
    outlines = json.loads(outl).get("outlines", [])
    annex_marks = [o for o in outlines if o["title"].startswith("Phụ lục") or o["title"].startswith("BIỂU")]
    check(len(annex_marks) == len(doc.get("annexes", [])),
          f"{name}: one bookmark per annex, got {[o['title'] for o in annex_marks]}")
    main_end = annex_marks[0]["destpageposfrom1"] - 1 if annex_marks else len(all_pages)
    pages = all_pages[:main_end]
    check(len(pages) >= 1, f"{name}: has pages")
    p1 = squash(pages[0])
    issuer = doc["issuer"]["name"]
    for line in ([issuer] if isinstance(issuer, str) else issuer):
        check(line.upper() in p1, f"{name}: issuer line {line.upper()!r} on page 1")
    if doc.get("parent"):
        check(doc["parent"].upper() in p1, f"{name}: parent organisation on page 1")
    check("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in p1, f"{name}: national title")
    check("Độc lập - Tự do - Hạnh phúc" in p1, f"{name}: motto")
    num = expected_number(doc, code)
    if num:
        check(num in p1, f"{name}: {num!r} on page 1")
    else:
        check(f"Số: /{code}" in p1, f"{name}: draft number with a blank before /{code}")
    place, day, month, year = expected_date(doc)
    if day:
        date = f"{place}, ngày {day} tháng {month} năm {year}"
        check(date in p1, f"{name}: date line {date!r}")
    else:
        check(f"{place}, ngày" in p1 and f"năm {year}" in p1, f"{name}: draft date line")
    # "Số" and the date line on one baseline: the same text line of pdftotext -layout.
    first_lines = pages[0].splitlines()
    same = [l for l in first_lines if "Số:" in l and f"{place}, ngày" in l]
    check(len(same) == 1, f"{name}: 'Số:' and the date share a line")
    tname = TYPE_NAMES[doc["type"]].upper()
    check(tname in p1, f"{name}: type name {tname!r}")
    check(squash(doc["summary"]) in p1, f"{name}: summary on page 1")
    whole = squash(" ".join(pages))
    if doc.get("kinh_gui"):
        check("Kính gửi:" in p1, f"{name}: 'Kính gửi:' on page 1")
        for i, k in enumerate(doc["kinh_gui"]):
            end = "." if i == len(doc["kinh_gui"]) - 1 else ";"
            text = k if len(doc["kinh_gui"]) == 1 else f"- {k}{end}"
            check(squash(text) in p1, f"{name}: addressee {text!r}")
    last = squash(pages[-1])
    check("Nơi nhận:" in last, f"{name}: 'Nơi nhận:' on the last page")
    if doc.get("kinh_gui"):
        check("- Như trên;" in last, f"{name}: recipients start with '- Như trên;'")
    recipients, archive = printed_recipients(doc)
    for rc in recipients:
        check(squash(rc) in last, f"{name}: recipient {rc!r}")
    check(archive in last and last.count("Lưu:") == 1, f"{name}: one archive line {archive!r}, ending with '.'")
    for a in doc["signature"].get("authority", []):
        check(a.upper() in last, f"{name}: authority {a.upper()!r}")
    check(doc["signature"]["position"].upper() in last, f"{name}: position")
    check(doc["signature"]["name"] in last, f"{name}: signer's name")
    check("./." in last, f"{name}: body closes with './.'")
    check(whole.count("./.") == 1, f"{name}: './.' appears once")
    # Section numbering
    check(" I. " in " " + whole and " II. " in whole, f"{name}: sections numbered I., II.")
    # Page numbers: none on page 1, then 2, 3, ... at the top.
    top1 = [l.strip() for l in pages[0].splitlines() if l.strip()][0]
    check(top1 != "1", f"{name}: no page number on page 1")
    for i, pg in enumerate(pages[1:], start=2):
        lines = [l.strip() for l in pg.splitlines() if l.strip()]
        check(lines and lines[0] == str(i), f"{name}: page {i} starts with its number, got {lines[:1]}")
    # Fonts: all embedded subsets.
    fonts, _ = tool("pdffonts", pdf)
    rows = [l for l in fonts.splitlines()[2:] if l.strip()]
    check(len(rows) >= 3, f"{name}: fonts listed ({len(rows)})")
    for row in rows:
        cols = row.split()
        check("+" in cols[0] and "LiberationSerif" in cols[0], f"{name}: subset tag in {cols[0]}")
        check(row.count("yes") >= 2, f"{name}: font embedded and subset: {row}")
    q, rc = tool("qpdf", "--check", pdf)
    check(rc == 0 and "No syntax or stream encoding errors found" in q, f"{name}: qpdf --check clean")
    info, _ = tool("pdfinfo", pdf)
    issuer_lines = [issuer] if isinstance(issuer, str) else issuer
    author = doc["issuer"].get("full_name") or " ".join(issuer_lines)
    check(f"Author:          {author}\n" in info, f"{name}: Author = issuer ({author})")
    check(f'Subject:         {squash(doc["summary"])}' in squash(info) or squash(doc["summary"])[1:] in info, f"{name}: Subject = summary")
    if num:
        check(f"Keywords:        {num[4:]}" in info, f"{name}: Keywords = number")
    sizes, _ = tool("pdfinfo", "-f", "1", "-l", str(main_end), pdf)
    check(sizes.count("size:  595.276 x 841.89 pts (A4)") == main_end, f"{name}: main text on A4 portrait pages")
    titles = [o["title"] for o in outlines]
    check(len(titles) >= 2 and titles[0].startswith("I. "), f"{name}: bookmarks for sections, got {titles[:3]}")
    # Determinism: a second render is byte-identical.
    out2 = fresh(name + "-again")
    run("render", path, "-o", out2)
    other = os.path.join(out2, os.path.basename(pdf))
    check(os.path.exists(other) and open(other, "rb").read() == open(pdf, "rb").read(), f"{name}: byte-identical re-render")
    if annex_marks:
        check_annexes(name, path, doc, code, pdf, all_pages, [o["destpageposfrom1"] for o in annex_marks])
    return pdf


def vn(value, decimals=0, trim=False):
    """Vietnamese notation: 388231 -> "388.231", 8.11 -> "8,11"."""
    text = f"{abs(value):,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    return ("-" if value < 0 else "") + text


def is_subsequence(items, words):
    it = iter(words)
    return all(any(w == x for w in it) for x in items)


def column_leaves(columns):
    for c in columns:
        if "columns" in c:
            yield from column_leaves(c["columns"])
        else:
            yield c


def check_annexes(name, path, doc, code, pdf, pages, starts):
    """Annex pages: label, title, caption from the parent document, the column-label
    row repeated on every page, the annex's own page numbers, orientation, and the
    rows' figures on one line each."""
    base = os.path.dirname(path)
    annexes = [load_json(os.path.join(base, a["file"])) if "file" in a else a for a in doc["annexes"]]
    ends = starts[1:] + [len(pages) + 1]
    number = f'{doc["number"]:02d}/{code}' if doc.get("number") else None
    for k, (a, first, end) in enumerate(zip(annexes, starts, ends)):
        tag = f"{name}: annex {k + 1}"
        own = pages[first - 1:end - 1]
        head = squash(own[0])
        if len(annexes) > 1:
            label = "Phụ lục " + ["I", "II", "III", "IV", "V"][k]
            check(head.startswith(label + " "), f"{tag}: starts with {label!r}: {head[:40]!r}")
        check(squash(a["title"]).upper() in head, f"{tag}: title in upper case on its first page")
        tname = TYPE_NAMES[doc["type"]]
        if number:
            place, day, month, year = expected_date(doc)
            iss = doc["issuer"]
            full = iss.get("full_name") or " ".join([iss["name"]] if isinstance(iss["name"], str) else iss["name"])
            cap = f'(Kèm theo {tname} số {number} ngày {day} tháng {month} năm {year} của {full})'
            check(cap in head, f"{tag}: caption {cap!r}")
        else:
            check(f"(Kèm theo {tname} số" in head and f'/{code} ngày' in head.replace("\u00a0", " "),
                  f"{tag}: draft caption with blank number")
        # Every page of the annex repeats the header's column-label row.
        labels = [c.get("label") for c in column_leaves(a["columns"])]
        label_line = " ".join(l for l in labels if l)
        for i, pg in enumerate(own, start=1):
            check(label_line in squash(pg), f"{tag}, page {i}: column labels {label_line!r} repeated")
            lines = [l.strip() for l in pg.splitlines() if l.strip()]
            if i == 1:
                check(lines[0] != "1", f"{tag}: no page number on its first page")
            else:
                check(lines[0] == str(i), f"{tag}: page {i} numbered {i} (own numbering), got {lines[:1]}")
        sizes, _ = tool("pdfinfo", "-f", str(first), "-l", str(end - 1), pdf)
        want = "841.89 x 595.276" if a.get("orientation") == "landscape" else "595.276 x 841.89"
        check(sizes.count(f"size:  {want} pts") == end - first, f"{tag}: pages {want}")
        # Each data row's given figures appear in column order on one line of the annex pages.
        leaves = list(column_leaves(a["columns"]))
        lines = [squash(l) for pg in own for l in pg.splitlines()]
        def group_rows(groups):
            """Rows of (nested) groups, and the figures of groups that carry their own (titled)."""
            out = []
            for g in groups:
                if "rows" not in g and "groups" not in g:
                    text_key = next((c["key"] for c in leaves if c.get("format") == "text" and not c.get("numbering")), None)
                    out.append(dict(g.get("cells", {}), **({text_key: g["title"]} if text_key else {})))
                out += g.get("rows", []) + group_rows(g.get("groups", []))
            return out
        rows = a.get("rows", []) + group_rows(a.get("groups", []))
        if a.get("total", {}).get("cells"):
            rows.append(a["total"]["cells"])  # stated totals, e.g. the published 388.231 … 8,11
        for r in rows:
            figures = []
            for c in leaves:
                v = r.get(c.get("key"))
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    fmt = c.get("format", "integer")
                    figures.append(vn(v, c.get("decimals", 0), trim=fmt == "money"))
            text_cell = next((r[c["key"]] for c in leaves if c.get("format") == "text" and c.get("key") in r), "")
            first_word = text_cell.split()[0] if text_cell else None
            found = any(first_word in l.split() and is_subsequence(figures, l.split()) for l in lines)
            check(found, f"{tag}: row {text_cell!r} shows {' '.join(figures)!r} on one line")
    # The annex pages are the PDF's last pages; each annex's XLSX sheet sits beside it.
    xlsx = pdf[:-4] + ".xlsx"
    check(os.path.exists(xlsx), f"{name}: workbook {os.path.basename(xlsx)} beside the PDF")


def check_nfd(path):
    """A decomposed (NFD) copy of the input renders byte-identically."""
    src = os.path.dirname(path)
    out = fresh("nfd-input")
    for f in os.listdir(src):
        if f.endswith(".json") or f.endswith(".md"):
            text = open(os.path.join(src, f), encoding="utf-8").read()
            open(os.path.join(out, f), "w", encoding="utf-8").write(unicodedata.normalize("NFD", text))
    a, b = fresh("nfd-a"), fresh("nfd-b")
    r1 = run("render", path, "-o", a)
    r2 = run("render", os.path.join(out, "document.json"), "-o", b)
    check(r1.returncode == 0 and r2.returncode == 0, "nfd: both render")
    fa = sorted(glob.glob(os.path.join(a, "*.pdf")))
    fb = sorted(glob.glob(os.path.join(b, "*.pdf")))
    check(len(fa) == 1 and len(fb) == 1 and open(fa[0], "rb").read() == open(fb[0], "rb").read(),
          "nfd: decomposed input gives the same PDF bytes")


examples = outline_examples()
check(len(examples) >= 4, f"at least four examples, found {len(examples)}")
for ex in examples:
    check_example(ex)
check_nfd(os.path.join(SOURCE, "examples/long-khanh/document.json"))
finish()
