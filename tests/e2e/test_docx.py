"""Word export checked by real consumers: every example is rendered with
--format pdf,xlsx,docx; python3-docx opens each DOCX and checks its structure
(sections, orientation, page numbering, styles, tables, merged header cells,
repeated header rows); LibreOffice converts each DOCX to PDF, whose words must
come out in the order of vanban's own PDF, whose header, title, Nơi nhận and
signature sit where vanban puts them (pdftotext -bbox), and whose page count
is within one page of vanban's. Re-rendering gives the same DOCX bytes."""
import glob
import os
import zipfile
from collections import Counter

from e2e import all_examples, python_docx

docx = python_docx()
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm  # noqa: E402

from e2e import (OUT, SOURCE, bbox_words, check, finish, fresh, letters, load_json, page_texts, run, soffice_to_pdf,
                 tool)


def annex_files(path, doc):
    base = os.path.dirname(path)
    return [load_json(os.path.join(base, a["file"])) if "file" in a else a for a in doc.get("annexes", [])]


def nested(columns):
    return any("columns" in c for c in columns)


def check_structure(name, path, doc, docx_path, pdf):
    d = docx.Document(docx_path)
    annexes = annex_files(path, doc)
    secs = d.sections
    attached = doc.get("attached", [])  # texts a decision issues: each in its own section, with its own header table
    paper_copy = 1 if "copy" in doc and not doc["copy"].get("electronic") else 0  # the copy block: a section of its own
    check(len(secs) == 1 + len(attached) + len(annexes) + paper_copy,
          f"{name}: one section for the main text, one per attached text, one per annex and one for a paper copy's block, "
          f"got {len(secs)}")
    main = secs[0]
    lo = doc.get("layout", {})
    check(abs(main.page_width - Mm(210)) < Mm(0.5) and abs(main.page_height - Mm(297)) < Mm(0.5), f"{name}: A4 portrait")
    for attr, key, default in (("top_margin", "margin_top_mm", 20), ("bottom_margin", "margin_bottom_mm", 20),
                               ("left_margin", "margin_left_mm", 30), ("right_margin", "margin_right_mm", 15)):
        got = getattr(main, attr).mm
        check(abs(got - lo.get(key, default)) < 0.1, f"{name}: {attr} {got:.1f} mm = the document's {lo.get(key, default)}")
    for i, s in enumerate(secs):
        check(s.different_first_page_header_footer, f"{name}: section {i + 1} has a different first page (no number on it)")
        fields = "".join(t.text or "" for t in s.header._element.iter(qn("w:instrText")))
        check("PAGE" in fields, f"{name}: section {i + 1} header holds a PAGE field")
        if i:
            pg = s._sectPr.find(qn("w:pgNumType"))
            check(pg is not None and pg.get(qn("w:start")) == "1", f"{name}: annex {i} numbers its pages from 1")
    # Orientation as the PDF lays each annex out.
    sizes, _ = tool("pdfinfo", "-f", "1", "-l", "999", pdf)
    pdf_landscape = [("841.89 x 595.276" in l) for l in sizes.splitlines() if " size:" in l]
    outl, _ = tool("qpdf", "--json=2", "--json-key=outlines", pdf)
    import json as _json
    starts = [o["destpageposfrom1"] for o in _json.loads(outl).get("outlines", [])
              if o["title"].startswith("Phụ lục") or o["title"].startswith("BIỂU")]
    for k, (s, first) in enumerate(zip(secs[1 + len(attached):], starts)):
        land = s.page_width > s.page_height
        check(land == pdf_landscape[first - 1], f"{name}: annex {k + 1} orientation as in the PDF (landscape={land})")
    # Styles and font.
    names = {s.name for s in d.styles}
    for st in ("Body Text", "Heading 1", "Heading 2"):
        check(st in names, f"{name}: style {st!r} defined")
    check(d.styles["Normal"].font.name == "Times New Roman", f"{name}: Normal style in Times New Roman")
    fonts = d.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    check(all(fonts.get(qn(a)) == "Times New Roman" for a in ("w:ascii", "w:hAnsi", "w:cs")),
          f"{name}: document defaults name Times New Roman (ascii, hAnsi, cs)")
    body_paras = [p for p in d.paragraphs if p.style.name == "Body Text" or p.style.name.startswith("Heading")]
    blocks = 1
    if "file" in doc.get("body", {}):
        with open(os.path.join(os.path.dirname(path), doc["body"]["file"]), encoding="utf-8") as f:
            blocks = len([b for b in f.read().split("\n\n") if b.strip()])
    check(len(body_paras) >= min(10, blocks), f"{name}: body paragraphs in Body Text / Heading styles ({len(body_paras)})")
    # Tables: header, closing block, one per annex.
    tables = d.tables
    check(len(tables) == 2 + len(attached) + len(annexes) + 2 * paper_copy,
          f"{name}: header, closing, {len(attached)} attached texts' headers, {len(annexes)} annex tables "
          f"and {2 * paper_copy} of the copy block, got {len(tables)}")
    if paper_copy and len(tables) >= 2:
        cp = doc["copy"]
        heading, closing = tables[-2], tables[-1]
        form = {"SY": "SAO Y", "SL": "SAO LỤC", "TrS": "TRÍCH SAO"}[cp["kind"]]
        number = f"Số: {cp['number']:02d}/{cp['kind']}-{cp['issuer']['code']}"
        check(heading.cell(0, 1).text == form and number in heading.cell(1, 0).text and "ngày" in heading.cell(1, 1).text,
              f"{name}: the copy block's heading: {form} beside the organisation, {number} beside the place-date line "
              f"({[c.text for r in heading.rows for c in r.cells]})")
        check(closing.cell(0, 0).text.startswith("Nơi nhận:") and cp["signature"]["name"] in closing.cell(0, 1).text,
              f"{name}: the copy's Nơi nhận and signer in a closing table of their own")
        body = d.element.body
        check(body.index(secs[-1]._sectPr) > body.index(heading._tbl) > body.index(secs[-2]._sectPr.getparent().getparent()),
              f"{name}: the copy block is in the last section, after the copied document")
    if len(tables) >= 2:
        head = tables[0]
        check(len(head.columns) == 2 and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head.cell(0, 1).text,
              f"{name}: header is a two-column table with the national title on the right")
        borders = head._tbl.tblPr.find(qn("w:tblBorders"))
        check(borders is not None and all(b.get(qn("w:val")) == "nil" for b in borders), f"{name}: header table borderless")
        close = tables[1]
        if "signatures" in doc:  # a joint document: one block per issuer, the lead on the right, Nơi nhận under them
            cells = [c.text for row in close.rows for c in row.cells]
            check(all(any(sg["name"] in c for c in cells) for sg in doc["signatures"]) and
                  doc["signatures"][0]["name"] in close.rows[-1].cells[-1].text,
                  f"{name}: every issuer's signature in the closing table, the lead's in the right column ({cells})")
        elif doc["type"] in ("BB", "Biên bản"):  # the secretary signs on the left, Nơi nhận under the secretary
            left = close.cell(0, 0).text
            check(left.startswith(doc["secretary"]["position"].upper()) and doc["secretary"]["name"] in left
                  and left.index(doc["secretary"]["name"]) < left.index("Nơi nhận:"),
                  f"{name}: closing table's left cell: the secretary, then Nơi nhận ({left[:80]!r})")
        else:
            check(close.cell(0, 0).text.startswith("Nơi nhận:"), f"{name}: closing table starts with 'Nơi nhận:'")
        if "signatures" not in doc:
            check(doc["signature"]["name"] in close.cell(0, 1).text, f"{name}: signature in the closing table's right cell")
        tr = close.rows[0]._tr
        check(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None, f"{name}: closing block row never splits")
    for k, (a, t) in enumerate(zip(annexes, tables[2 + len(attached):])):
        first = t.rows[0]._tr
        check(first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None,
              f"{name}: annex {k + 1} header rows repeat on each page")
        xml = t._tbl.xml
        if nested(a["columns"]):
            check("w:gridSpan" in xml and "w:vMerge" in xml, f"{name}: annex {k + 1} header has merged cells")
        def group_rows(groups):
            return [r for g in groups for r in g.get("rows", []) + group_rows(g.get("groups", []))]
        rows = a.get("rows", []) + group_rows(a.get("groups", []))
        text = " ".join(c.text for row in t.rows for c in row.cells)
        first_text = next((v for v in rows[0].values() if isinstance(v, str) and v), None) if rows else None
        if first_text:
            check(first_text in text, f"{name}: annex {k + 1} table holds {first_text!r}")
    # Package: fixed timestamps, no random ids.
    with zipfile.ZipFile(docx_path) as z:
        check(len({i.date_time for i in z.infolist()}) == 1, f"{name}: one fixed timestamp on every zip entry")
        check(z.namelist()[0] == "[Content_Types].xml", f"{name}: [Content_Types].xml first")
        core = z.read("docProps/core.xml").decode()
        check(doc["date"][:4] in core, f"{name}: document properties dated from the document")


def positions(words, page_filter=None):
    return words


def find_word(words, text, page=None, after=None):
    for w in words:
        if w[5] == text and (page is None or w[0] == page) and (after is None or (w[0], w[2]) > after):
            return w
    return None


def check_places(name, doc, pdf, lo_pdf):
    """The header, title, Nơi nhận and signature sit in the decree's places, as in vanban's PDF."""
    a, b = bbox_words(pdf), bbox_words(lo_pdf)
    issuer = (doc.get("issuer") or doc["issuers"][0])["name"]
    first_issuer = (issuer if isinstance(issuer, str) else issuer[0]).split()[0].upper()
    keys = [(first_issuer, 1, "issuer"), ("CỘNG", 1, "national title"), ("Số:", 1, "number")]
    if doc["type"] not in ("CV", "Công văn"):
        keys.append(("KẾ" if doc["type"] == "KH" else "BÁO" if doc["type"] == "BC" else "", 1, "type name"))
    for word, page, what in keys:
        if not word:
            continue
        wa, wb = find_word(a, word, page), find_word(b, word, page)
        check(wa is not None and wb is not None, f"{name}: {what} ({word!r}) on page {page} of both PDFs")
        if wa and wb:
            check(abs(wa[1] - wb[1]) <= 12 and abs(wa[2] - wb[2]) <= 15,
                  f"{name}: {what} at ({wb[1]:.0f}, {wb[2]:.0f}) in Word, ({wa[1]:.0f}, {wa[2]:.0f}) in vanban's PDF")
    # The closing block: Nơi nhận at the left margin, the signer centred in the right half, below it.
    na, nb = find_word(a, "Nơi"), find_word(b, "Nơi")
    nm = (doc.get("signature") or doc["signatures"][0])["name"].split()[0]
    # A Biên bản's Nơi nhận stands under the secretary, a joint document's under the signatures: below the names.
    minutes = doc["type"] in ("BB", "Biên bản") or "signatures" in doc
    if minutes:  # the signer's name: its last occurrence (the body may name the signer too)
        sa = next((w for w in reversed(a) if w[5] == nm), None)
        sb = next((w for w in reversed(b) if w[5] == nm), None)
    else:
        sa = find_word(a, nm, after=(na[0], na[2]) if na else None)
        sb = find_word(b, nm, after=(nb[0], nb[2]) if nb else None)
    check(all([na, nb, sa, sb]), f"{name}: Nơi nhận and the signer's name found in both PDFs")
    if all([na, nb, sa, sb]):
        check(abs(na[1] - nb[1]) <= 12, f"{name}: Nơi nhận at x={nb[1]:.0f} in Word, {na[1]:.0f} in vanban's PDF")
        check(nb[0] == sb[0] and sb[1] > 300, f"{name}: signer's name on the Nơi nhận page, in the right half (x={sb[1]:.0f})")
        check(abs(sa[1] - sb[1]) <= 12 and abs((sa[2] - na[2]) - (sb[2] - nb[2])) <= 20,
              f"{name}: signer's name placed under the signature as in vanban's PDF")


def signature_lines(doc):
    """The signature lines as printed: UPPER authority and position, the name as given."""
    sigs = [doc["signature"]] if "signature" in doc else list(doc.get("signatures", []))
    if "copy" in doc and "signature" in doc["copy"]:
        sigs.append(doc["copy"]["signature"])
    for sg in sigs:
        for a in sg.get("authority", []):
            yield a.upper()
        yield sg["position"].upper()
        yield sg["name"]


def line_split(words, text):
    """How the words of `text` fall on lines where they stand one after another
    in `words` (pdftotext's reading order), as a list of lines; None if absent."""
    want = text.split()
    for i in range(len(words) - len(want) + 1):
        if [w[5] for w in words[i:i + len(want)]] != want or len({w[0] for w in words[i:i + len(want)]}) != 1:
            continue
        lines, last_y = [], None
        for w in words[i:i + len(want)]:
            if last_y is None or abs(w[2] - last_y) > 3:
                lines.append([])
            lines[-1].append(w[5])
            last_y = w[2]
        return [" ".join(l) for l in lines]
    return None


def check_signature_breaks(name, doc, pdf, lo_pdf):
    """A signature line that vanban's PDF sets on several lines breaks at the same words in Word."""
    ours, theirs = bbox_words(pdf), bbox_words(lo_pdf)
    for text in signature_lines(doc):
        a = line_split(ours, text)
        if not a or len(a) < 2:
            continue
        b = line_split(theirs, text)
        check(a == b, f"{name}: \"{text}\" is broken as in the PDF ({a}) in Word's layout ({b})")
        print(f"{name}: \"{text}\" on {len(a)} lines in both: {a}")


def main_and_annex(pages, n_annex_pages):
    cut = len(pages) - n_annex_pages
    return pages[:cut], pages[cut:]


# Every example, the paper copy (ban-sao) included; e2e_test_copies checks an electronic copy's DOCX.
examples = all_examples()
check(len(examples) >= 4, f"at least four examples, found {len(examples)}")
rendered = []
for path in examples:
    name = os.path.basename(os.path.dirname(path))
    doc = load_json(path)
    out = fresh(name)
    r = run("render", path, "-o", out, "--format", "pdf,xlsx,docx")
    check(r.returncode == 0, f"{name}: render --format pdf,xlsx,docx exits 0 ({r.stderr.strip()})")
    docs = glob.glob(os.path.join(out, "*.docx"))
    pdfs = glob.glob(os.path.join(out, "*.pdf"))
    check(len(docs) == 1 and len(pdfs) == 1, f"{name}: one DOCX beside the PDF, found {docs}")
    if len(docs) != 1 or len(pdfs) != 1:
        continue
    check(os.path.splitext(docs[0])[0] == os.path.splitext(pdfs[0])[0], f"{name}: DOCX named like the PDF")
    again = fresh(name + "-again")
    run("render", path, "-o", again, "--format", "docx")
    other = os.path.join(again, os.path.basename(docs[0]))
    check(os.path.exists(other) and open(other, "rb").read() == open(docs[0], "rb").read(),
          f"{name}: byte-identical DOCX on re-rendering")
    check(not glob.glob(os.path.join(again, "*.pdf")), f"{name}: --format docx writes no PDF")
    check_structure(name, path, doc, docs[0], pdfs[0])
    rendered.append((name, path, doc, docs[0], pdfs[0]))

# The default stays pdf,xlsx.
plain = fresh("default-formats")
run("render", os.path.join(SOURCE, "examples/long-khanh/document.json"), "-o", plain)
check(not glob.glob(os.path.join(plain, "*.docx")), "render without --format writes no DOCX")
bad = run("render", os.path.join(SOURCE, "examples/long-khanh/document.json"), "-o", plain, "--format", "pdf,odt")
check(bad.returncode == 2 and "unknown format \"odt\"" in bad.stderr, f"--format pdf,odt is a usage error: {bad.stderr.strip()}")

lo_dir = fresh("libreoffice")
log, rc = soffice_to_pdf([d for _, _, _, d, _ in rendered], lo_dir, os.path.join(OUT, "lo-work"))
check(rc == 0, f"soffice converts the DOCX files (exit {rc}): {log.strip()[-300:]}")
for name, path, doc, docx_path, pdf in rendered:
    lo_pdf = os.path.join(lo_dir, os.path.basename(docx_path)[:-5] + ".pdf")
    if not os.path.exists(lo_pdf):
        check(False, f"{name}: LibreOffice made {lo_pdf}")
        continue
    ours, theirs = page_texts(pdf), page_texts(lo_pdf)
    check(abs(len(ours) - len(theirs)) <= 1, f"{name}: {len(theirs)} pages from Word, {len(ours)} from vanban")
    # Main text: the same letters in the same order. Annex tables: the same words
    # (a table's reading order depends on how each program wraps header cells).
    n_annex = 0
    sizes, _ = tool("pdfinfo", "-f", "1", "-l", "999", pdf)
    outl, _ = tool("qpdf", "--json=2", "--json-key=outlines", pdf)
    import json as _json
    starts = [o["destpageposfrom1"] for o in _json.loads(outl).get("outlines", [])
              if o["title"].startswith("Phụ lục") or o["title"].startswith("BIỂU")]
    cut_ours = starts[0] - 1 if starts else len(ours)
    lo_cut = next((i for i, p in enumerate(theirs) if i > 0 and doc.get("annexes") and
                   (p.lstrip().startswith("Phụ lục") or p.lstrip().startswith("BIỂU"))), len(theirs))
    # The words, hyphens split off (pdftotext joins a word hyphenated at a line
    # end), compared as sequences: nearly all of them in one common order.
    import difflib
    ta = " ".join(ours[:cut_ours]).replace("-", " ").replace("–", " ").split()
    tb = " ".join(theirs[:lo_cut]).replace("-", " ").replace("–", " ").split()

    # The closing block (Nơi nhận beside the signatures) is two columns side by
    # side: its reading order depends on a point of baseline, so its words are
    # compared as a multiset, the text before it as a sequence.
    heads = [((sg.get("authority") or [sg["position"]])[0]).upper().replace("-", " ").split()
             for sg in ([doc["signature"]] if "signature" in doc else doc["signatures"])]

    def closing_at(words):
        """Where the closing block starts: "Nơi nhận:" or the first line of a signature, whichever comes first."""
        at = next((i for i in range(len(words) - 1) if words[i] == "Nơi" and words[i + 1] == "nhận:"), len(words))
        for h in heads:
            last = max((i for i in range(len(words) - len(h) + 1) if words[i:i + len(h)] == h), default=len(words))
            at = min(at, last)
        return at

    ca, cb = closing_at(ta), closing_at(tb)
    close_a, close_b = Counter(ta[ca:]), Counter(tb[cb:])
    check(sum((close_a & close_b).values()) >= 0.99 * sum(close_a.values()),
          f"{name}: the closing block from Word holds vanban's words ({list((close_a - close_b).items())[:5]} / "
          f"{list((close_b - close_a).items())[:5]})")
    ta, tb = ta[:ca], tb[:cb]
    sm = difflib.SequenceMatcher(a=ta, b=tb, autojunk=False)
    common = sum(m.size for m in sm.get_matching_blocks())
    diffs = [(" ".join(ta[i1:i2]), " ".join(tb[j1:j2])) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"]
    check(common >= 0.995 * len(ta) and abs(len(ta) - len(tb)) <= 0.005 * len(ta),
          f"{name}: main text from Word has vanban's words in vanban's order ({common} of {len(ta)} words in "
          f"sequence; differences: {diffs[:4]})")
    print(f"{name}: {common} of {len(ta)} words of the main text in vanban's order; differences: {diffs[:6]}")
    wa = Counter(letters(w) for p in ours[cut_ours:] for w in p.split())
    wb = Counter(letters(w) for p in theirs[lo_cut:] for w in p.split())
    wa.pop("", None)
    wb.pop("", None)
    check(wa == wb, f"{name}: annex pages from Word hold vanban's words ({sum(wa.values())} words; differ: "
                    f"{list((wa - wb).items())[:5]} / {list((wb - wa).items())[:5]})")
    check_places(name, doc, pdf, lo_pdf)
    check_signature_breaks(name, doc, pdf, lo_pdf)
finish()
