"""Shared helpers for the end-to-end tests: run the real binary, read the real
outputs with poppler-utils and qpdf, and count checks so that a run prints the
plain closing line "N passed, M failed"."""
import json
import os
import shutil
import subprocess
import sys
import unicodedata

VANBAN, SOURCE, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
# The tests check the English texts of messages (the source language) unless
# they ask for Vietnamese themselves (tests/e2e/test_lang.py).
os.environ["VANBAN_LANG"] = "en"
_passed = 0
_failed = 0


def check(cond, what):
    global _passed, _failed
    if cond:
        _passed += 1
    else:
        _failed += 1
        print("FAIL:", what, flush=True)


def run(*args, **kw):
    return subprocess.run([VANBAN, *args], capture_output=True, text=True, **kw)


def tool(*args):
    r = subprocess.run(list(args), capture_output=True, text=True)
    return r.stdout + r.stderr, r.returncode


def fresh(name):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def render_to(path, name, *extra):
    """Renders `path` into a fresh folder `name`, checking the exit status;
    returns (the PDF written or None, the completed process)."""
    import glob
    out = fresh(name)
    r = run("render", path, "-o", out, *extra)
    check(r.returncode == 0, f"{name}: render exits 0 ({r.stderr.strip()})")
    pdfs = sorted(glob.glob(os.path.join(out, "*.pdf")))
    return (pdfs[0] if pdfs else None), r


def pdf_pages(pdf):
    """Text of each page (pdftotext -layout), NFC, form feed separated."""
    text, _ = tool("pdftotext", "-layout", pdf, "-")
    return [unicodedata.normalize("NFC", p) for p in text.split("\f")[:-1]]


def squash(s):
    return " ".join(s.split())


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def outline_examples():
    """The examples of the outline types (Kế hoạch, Báo cáo: sections I., II., …),
    which the generic example, Word and import tests read; the examples of the
    other types are checked by test_types.py, the joint document by test_marks.py."""
    import glob
    out = []
    for path in sorted(glob.glob(os.path.join(SOURCE, "examples/*/document.json"))):
        doc = load_json(path)
        # A joint document (văn bản liên tịch) is checked by test_marks.py.
        if doc["type"] in ("KH", "BC", "Kế hoạch", "Báo cáo") and "issuers" not in doc:
            out.append(path)
    return out


def all_examples():
    """Every example's document.json (the template folders hold none)."""
    import glob
    return sorted(glob.glob(os.path.join(SOURCE, "examples/*/document.json")))


def finish():
    print(f"{_passed} passed, {_failed} failed")
    sys.exit(1 if _failed else 0)


# ---- XLSX reading (zipfile + ElementTree; no spreadsheet library needed) ----

_XLSX_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_XLSX_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_XLSX_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Built-in number formats (ECMA-376 part 1, 18.8.30) that a writer may refer to by id only.
_XLSX_BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 49: "@"}


def xlsx_column_index(letters):
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n


def read_xlsx(path):
    """The sheets of a workbook in tab order: a list of (name, cells), where
    cells maps a reference ("D8") to a dict with ref, row and col (1-based), formula
    (its text, or None), type ("n" number, "s" text, "str" text result of a
    formula, "e" error, "b" boolean, "" empty), value (the stored text: the
    number as written, the string, the error code; None when absent) and format
    (the number format code from styles.xml, e.g. "#,##0.00")."""
    import posixpath
    import re
    import xml.etree.ElementTree as ET
    import zipfile

    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(_XLSX_MAIN + "si"):
                shared.append("".join(t.text or "" for t in si.iter(_XLSX_MAIN + "t")))
        formats = []
        if "xl/styles.xml" in names:
            styles = ET.fromstring(z.read("xl/styles.xml"))
            custom = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(_XLSX_MAIN + "numFmt")}
            xfs = styles.find(_XLSX_MAIN + "cellXfs")
            for xf in (xfs if xfs is not None else []):
                fid = int(xf.get("numFmtId", "0"))
                formats.append(custom.get(fid, _XLSX_BUILTIN_FORMATS.get(fid, "General")))
        rels = {}
        for rel in ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).iter(_XLSX_PKG_REL + "Relationship"):
            target = rel.get("Target")
            rels[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        sheets = []
        for sheet in ET.fromstring(z.read("xl/workbook.xml")).iter(_XLSX_MAIN + "sheet"):
            cells = {}
            root = ET.fromstring(z.read(rels[sheet.get(_XLSX_REL_ID)]))
            for c in root.iter(_XLSX_MAIN + "c"):
                ref = c.get("r")
                m = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
                f, v = c.find(_XLSX_MAIN + "f"), c.find(_XLSX_MAIN + "v")
                t = c.get("t", "n")
                value = v.text if v is not None else None
                if t == "s" and value is not None:
                    value = shared[int(value)]
                elif t == "inlineStr":
                    t = "s"
                    value = "".join(x.text or "" for x in c.iter(_XLSX_MAIN + "t"))
                if value is None:
                    t = ""
                style = int(c.get("s", "0"))
                cells[ref] = {
                    "ref": ref, "row": int(m.group(2)), "col": xlsx_column_index(m.group(1)),
                    "formula": (f.text or "") if f is not None else None,
                    "type": t, "value": value,
                    "format": formats[style] if style < len(formats) else "General",
                }
            sheets.append((sheet.get("name"), cells))
        return sheets


# ---- what a document prints ----------------------------------------------------


def printed_recipients(doc):
    """The "Nơi nhận" lines vanban prints for the document `doc` (README, "The
    JSON file"): a dash or bullet in front and the final punctuation dropped,
    "Như trên" once and first, "Lưu" lines merged into the archive line, each
    unit once. Returns (the recipient lines, the archive line)."""
    import re

    def clean(s):
        s = s.strip()
        while s and s[0] in "-\u2010\u2013\u2014\u2212\u2022\u00b7+* ":
            s = s[1:]
        return s.rstrip(" ;.,")

    def archive_of(s):
        s, found = clean(s), False
        while True:
            m = re.match(r"(?i)lưu(\s*:|\s+(?=[A-Z0-9Đ])|$)(.*)$", s)
            if not m:
                break
            s, found = clean(m.group(2)), True
        return s if found else None

    lines, archive = [], []
    nhu_tren = bool(doc.get("kinh_gui"))
    for r in doc["recipients"]:
        c = clean(r)
        a = archive_of(c)
        if a is not None:
            archive.append(a)
        elif c.lower() == "như trên":
            if not nhu_tren:
                lines.insert(0, "Như trên")
            nhu_tren = True
        elif c:
            lines.append(c)
    if doc.get("kinh_gui"):
        lines.insert(0, "Như trên")
    if "archive" in doc:
        a = archive_of(doc["archive"])
        archive.insert(0, a if a is not None else clean(doc["archive"]))
    items = []
    for a in archive:
        for item in a.split(","):
            item = clean(item)
            if item and item.lower() not in [i.lower() for i in items]:
                items.append(item)
    return [f"- {l};" for l in lines], "- Lưu: " + ", ".join(items) + "."


# ---- batch and template helpers ---------------------------------------------


def copy_example(example, name):
    """A fresh scratch copy of examples/<example> in OUT/<name>; returns its path."""
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(OUT, exist_ok=True)
    shutil.copytree(os.path.join(SOURCE, "examples", example), d)
    return d


def snapshot(folder):
    """Every regular file directly in `folder`: name -> (inode, mtime_ns, size).
    A file replaced by a rename gets a new inode even when its bytes are the same."""
    out = {}
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False):
            st = entry.stat(follow_symlinks=False)
            out[entry.name] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


def file_bytes(folder):
    """Every regular file directly in `folder`: name -> content."""
    out = {}
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False):
            with open(entry.path, "rb") as f:
                out[entry.name] = f.read()
    return out


def batch_counts(log):
    """The counts of a `vanban batch` summary line ("18 documents (shard 1/3 of 18):
    6 written, 0 unchanged, 0 failed, 2 not started") as a dict with documents,
    shard ("1/3" or None), total, written, unchanged, failed, not_started; None when
    the log has no summary line."""
    import re
    m = re.search(r"^(\d+) documents?(?: \(shard (\d+/\d+) of (\d+)\))?: (\d+) written, (\d+) unchanged, "
                  r"(\d+) failed(?:, (\d+) not started)?$", log, re.M)
    if not m:
        return None
    return {"documents": int(m.group(1)), "shard": m.group(2),
            "total": int(m.group(3)) if m.group(3) else int(m.group(1)),
            "written": int(m.group(4)), "unchanged": int(m.group(5)), "failed": int(m.group(6)),
            "not_started": int(m.group(7) or 0)}


def read_csv_rows(path):
    """(header, rows) of a CSV file, each row a dict keyed by the header."""
    import csv
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def write_csv_rows(path, header, rows):
    import csv
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def pdf_text(pdf):
    """The whole text of a PDF, NFC, all whitespace runs squashed to one space."""
    return squash(" ".join(pdf_pages(pdf)))


def absent(name):
    """The path OUT/<name>, removed if an earlier run left it (the command under test creates it)."""
    path = os.path.join(OUT, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(OUT, exist_ok=True)
    return path


# ---- Word documents -------------------------------------------------------------


def soffice_to_pdf(files, outdir, workdir, timeout=600):
    """Converts Word files to PDF with ONE headless LibreOffice process in a
    private profile. Times New Roman is not installed on a bare machine:
    fontconfig is pointed at the shipped Liberation Serif (metric-compatible,
    the fallback the README names). Returns (output text, exit code or None)."""
    import pathlib
    import signal
    os.makedirs(workdir, exist_ok=True)
    conf = os.path.join(workdir, "fonts.conf")
    with open(conf, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                f'  <dir>{os.path.join(SOURCE, "fonts")}</dir>\n'
                f'  <cachedir>{os.path.join(workdir, "fc-cache")}</cachedir>\n</fontconfig>\n')
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env["HOME"] = workdir
    env["FONTCONFIG_FILE"] = conf
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return "soffice not found", 127
    profile = os.path.join(workdir, "profile")
    cmd = [soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
           "-env:UserInstallation=" + pathlib.Path(profile).as_uri(),
           "--convert-to", "pdf", "--outdir", outdir, *files]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                         cwd=workdir, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return out, p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        return out, None


def page_texts(pdf):
    """Text of each page (pdftotext, reading order), NFC, without the page
    number printed at the top of pages 2, 3, …"""
    text, _ = tool("pdftotext", pdf, "-")
    pages = [unicodedata.normalize("NFC", p) for p in text.split("\f")[:-1]]
    out = []
    for p in pages:
        lines = p.splitlines()
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines and lines[0].strip().isdigit():
            lines.pop(0)
        out.append("\n".join(lines))
    return out


def letters(text):
    """The text without whitespace and hyphens: the same letters in the same
    order, whatever the line breaks (pdftotext joins a word hyphenated at a
    line end)."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-–\u00ad")


def bbox_words(pdf):
    """Every word of a PDF with its page (1-based) and box: a list of
    (page, xmin, ymin, xmax, ymax, word), NFC."""
    import re
    text, _ = tool("pdftotext", "-bbox", pdf, "-")
    out = []
    page = 0
    for line in text.splitlines():
        if "<page " in line:
            page += 1
            continue
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            import html
            out.append((page, float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)),
                        unicodedata.normalize("NFC", html.unescape(m.group(5)))))
    return out


def python_docx():
    """The python3-docx module (Debian's package), also when the interpreter
    running the tests is not Debian's python3."""
    try:
        import docx
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        import docx
    return docx


# ---- geometry read back from the PDF ---------------------------------------------


def pdf_rules(pdf):
    """Every stroked line segment of a PDF (uncompressed with qpdf): a list of
    (page, x1, y1, x2, y2, width, colour) in points, y from the top of the page;
    colour is the stroke colour "r g b" ("0 0 0" for black)."""
    import re
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "plain.pdf")
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, plain], capture_output=True)
        data = open(plain, "rb").read().decode("latin-1")
    out = []
    heights = [float(h) for h in re.findall(r"/MediaBox \[ ?0 0 [\d.]+ ([\d.]+) ?\]", data)]
    page = 0
    for m in re.finditer(r"%% Contents for page (\d+)\n.*?stream\n(.*?)endstream", data, re.S):
        page = int(m.group(1))
        h = heights[page - 1] if page - 1 < len(heights) else 841.89
        width, colour = 1.0, "0 0 0"
        for op in re.finditer(r"([-\d.]+) w\b|([-\d.]+) ([-\d.]+) ([-\d.]+) RG|0 G\b|([-\d.]+) ([-\d.]+) m ([-\d.]+) ([-\d.]+) l S"
                              r"|([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re S", m.group(2)):
            g = op.groups()
            if g[0] is not None:
                width = float(g[0])
            elif g[1] is not None:
                colour = f"{float(g[1]):g} {float(g[2]):g} {float(g[3]):g}"
            elif op.group(0) == "0 G":
                colour = "0 0 0"
            elif g[4] is not None:
                x1, y1, x2, y2 = map(float, g[4:8])
                out.append((page, x1, h - y1, x2, h - y2, width, colour))
            else:
                x, y, w, hh = map(float, g[8:12])
                for a, b, c, d in ((x, y, x + w, y), (x, y + hh, x + w, y + hh), (x, y, x, y + hh), (x + w, y, x + w, y + hh)):
                    out.append((page, a, h - b, c, h - d, width, colour))
    return out


def text_lines(pdf):
    """The words of a PDF grouped into lines: a list of dicts with page, y (the
    words' top), x0, x1 and text (words joined by one space), in reading order."""
    lines = []
    for page, x0, y0, x1, y1, word in bbox_words(pdf):
        for l in lines:
            if l["page"] == page and abs(l["y"] - y0) < 2.5 and x0 - l["x1"] < 30:
                l["x1"] = max(l["x1"], x1)
                l["text"] += " " + word
                l["h"] = max(l["h"], y1 - y0)
                break
        else:
            lines.append({"page": page, "y": y0, "x0": x0, "x1": x1, "h": y1 - y0, "text": word})
    return lines


def find_line(lines, text, page=None):
    """The first line holding `text`, or None."""
    for l in lines:
        if text in l["text"] and (page is None or l["page"] == page):
            return l
    return None


def styled_lines(pdf):
    """Text pieces of a PDF as pdftohtml -xml sees them: a list of dicts with
    page, top, left, width, height (points), size (pt), bold, italic, colour
    ("#rrggbb") and text (NFC)."""
    import html
    import re
    import xml.etree.ElementTree as ET
    out_xml, _ = tool("pdftohtml", "-xml", "-i", "-stdout", "-q", "-zoom", "1", pdf)
    root = ET.fromstring(out_xml.encode("utf-8"))
    fonts, out = {}, []
    for page in root.iter("page"):
        for f in page.iter("fontspec"):
            fonts[f.get("id")] = (float(f.get("size")), f.get("family", ""), f.get("color", "#000000"))
        for t in page.iter("text"):
            text = unicodedata.normalize("NFC", "".join(t.itertext()))
            if not text.strip():
                continue
            size, family, colour = fonts.get(t.get("font"), (0, "", "#000000"))
            bold = t.find(".//b") is not None or "Bold" in family
            italic = t.find(".//i") is not None or "Italic" in family
            out.append({"page": int(page.get("number")), "top": float(t.get("top")), "left": float(t.get("left")),
                        "width": float(t.get("width")), "height": float(t.get("height")), "size": size,
                        "bold": bold, "italic": italic, "colour": colour, "text": text.strip()})
    return out


def styled(lines, text, page=None):
    """The first styled piece holding `text` (on `page`), or None."""
    for l in lines:
        if text in l["text"] and (page is None or l["page"] == page):
            return l
    return None


def qdf(pdf):
    """The PDF uncompressed, one object per block (qpdf --qdf), as text."""
    out = pdf + ".qdf"
    import subprocess
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf, out], check=True)
    with open(out, "rb") as f:
        return f.read().decode("latin-1")


def drawn_images(pdf, page_height=841.8898):
    """The images drawn, in order: (name, x, top, width, height) in points, top-left origin."""
    import re
    out = []
    for m in re.finditer(r"q ([\d.]+) 0 0 ([\d.]+) ([\d.-]+) ([\d.-]+) cm /(Im\d+) Do Q", qdf(pdf)):
        w, h, x, y = map(float, m.groups()[:4])
        out.append((m.group(5), x, page_height - y - h, w, h))
    return out
