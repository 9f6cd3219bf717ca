"""Signature and seal images, and the electronic document's digital-signature
appearance, checked on the real PDF and DOCX: where each image is drawn (read
from the page's content stream, decompressed by qpdf), at what size, embedded
once (pdfimages -list), the empty signature fields a signing tool fills, the
file structure (qpdf --check), byte-identical runs, and located errors for
PNG files that are broken, of another type, absurdly large or outside the
document's folder."""
import glob
import json
import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib

from e2e import render_to, drawn_images, qdf, OUT, SOURCE, check, finish, fresh, run, styled, styled_lines, tool

MM = 72 / 25.4
EXAMPLE = os.path.join(SOURCE, "examples", "van-ban-dien-tu")
SIG_PNG = os.path.join(EXAMPLE, "chu-ky.png")
SEAL_PNG = os.path.join(EXAMPLE, "con-dau.png")


def render(path, name, *extra):
    return render_to(path, name, *extra)


def image_list(pdf):
    """pdfimages -list rows: (type, width, height, object id)."""
    text, _ = tool("pdfimages", "-list", pdf)
    rows = []
    for line in text.splitlines()[2:]:
        f = line.split()
        if len(f) > 10:
            rows.append((f[2], int(f[3]), int(f[4]), int(f[10])))
    return rows


def signature_fields(pdf):
    """The signature fields: (name, [x1, y1, x2, y2]) from the uncompressed file."""
    out = []
    for obj in qdf(pdf).split("endobj"):
        if "/FT /Sig" in obj:
            name = re.search(r"/T \((.*?)\)|/T <([0-9a-fA-F]+)>", obj)
            rect = re.search(r"/Rect \[\s*([\d.\s-]+)\]", obj)
            if name and name.group(2):
                raw = bytes.fromhex(name.group(2))
                title = raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
            else:
                title = name.group(1) if name else None
            out.append((title, [float(v) for v in rect.group(1).split()] if rect else None))
    return out


def write_doc(name, doc, files=None):
    d = fresh(name + "-src")
    with open(os.path.join(d, "document.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
    for fn, data in (files or {}).items():
        with open(os.path.join(d, fn), "wb") as f:
            f.write(data)
    return os.path.join(d, "document.json")


def read(path):
    with open(path, "rb") as f:
        return f.read()


BASE = {
    "type": "CV", "issuer": {"name": "Sở Nội vụ", "code": "SNV"}, "number": 7, "date": "2024-06-12", "place": "Gia Lai",
    "summary": "thử hình ảnh chữ ký", "kinh_gui": ["Các sở, ngành"], "body": {"text": "Nội dung công văn./."},
    "recipients": ["Lãnh đạo Sở"], "archive": "VT",
    "signature": {"authority": ["KT. GIÁM ĐỐC"], "position": "Phó Giám đốc", "name": "Võ Thị Mai"},
}


def with_sig(**sig):
    d = json.loads(json.dumps(BASE))
    d["signature"].update(sig)
    return d


# ---- the example: an electronic document -------------------------------------------------


def electronic_example():
    pdf, _ = render(os.path.join(EXAMPLE, "document.json"), "dien-tu")
    if not pdf:
        return
    out, rc = tool("qpdf", "--check", pdf)
    check(rc == 0 and "No syntax or stream encoding errors" in out, f"van-ban-dien-tu: qpdf --check ({out.strip()})")
    # Each picture embedded once, compressed, with its alpha channel as an SMask.
    rows = image_list(pdf)
    check([(t, w, h) for t, w, h, _ in rows] == [("image", 600, 200), ("smask", 600, 200), ("image", 600, 600), ("smask", 600, 600)],
          f"van-ban-dien-tu: the signature and the seal, each with its SMask: {rows}")
    text = qdf(pdf)
    check(text.count("/Subtype /Image") == 4, "van-ban-dien-tu: four image objects (two pictures, two masks)")
    raw_samples = 600 * 200 * 4 + 600 * 600 * 4
    check(len(read(pdf)) < raw_samples / 10 and read(pdf).count(b"/Subtype/Image") + read(pdf).count(b"/Subtype /Image") == 4
          and len(re.findall(rb"/Filter\s*/FlateDecode", read(pdf))) >= 4,
          f"van-ban-dien-tu: the pictures are stored deflated ({len(read(pdf))} bytes for {raw_samples} bytes of samples)")
    L = styled_lines(pdf)
    last = max(p["page"] for p in L)
    check(last == 1, "van-ban-dien-tu: one page")
    pos = styled(L, "PHÓ GIÁM ĐỐC", last)
    name = styled(L, "Võ Thị Mai", last)
    imgs = drawn_images(pdf)
    check(len(imgs) == 2, f"van-ban-dien-tu: two images drawn: {imgs}")
    if len(imgs) == 2 and pos and name:
        (_, sx, st, sw, sh), (_, kx, kt, kw, kh) = imgs
        # The signature: 18 mm high, its natural proportions, centred under the position, between it and the name.
        check(abs(sh - 18 * MM) < 0.05 and abs(sw / sh - 3.0) < 0.01, f"signature 18 mm high, 3:1 ({sw:.2f} × {sh:.2f} pt)")
        check(abs((sx + sw / 2) - (pos["left"] + pos["width"] / 2)) < 2, "signature centred under the position")
        check(st > pos["top"] + pos["height"] - 1 and st + sh < name["top"] + 1,
              f"signature between the position (bottom {pos['top'] + pos['height']:.1f}) and the name (top {name['top']:.1f}): "
              f"{st:.1f}–{st + sh:.1f}")
        # The seal: its real size (36 mm, as the PNG declares), drawn after (over) the signature,
        # its right edge a third of the signature's width in from its left edge, centred on the same line.
        check(abs(kw - 36 * MM) < 0.05 and abs(kh - 36 * MM) < 0.05, f"seal at its real size, 36 mm ({kw:.2f} pt)")
        check(abs((kx + kw) - (sx + sw / 3)) < 0.05, f"seal covers the signature's left third ({kx + kw:.2f} vs {sx + sw / 3:.2f})")
        check(abs((kt + kh / 2) - (st + sh / 2)) < 0.05, "seal and signature centred on the same line")
        # The empty digital-signature fields over both, for a signing tool.
        fields = dict(signature_fields(pdf))
        check(set(fields) == {"ChuKyNguoiKy", "ChuKyCoQuan"}, f"two signature fields: {sorted(fields)}")
        H = 841.8898
        for fname, (x, t, w, h) in (("ChuKyNguoiKy", (sx, st, sw, sh)), ("ChuKyCoQuan", (kx, kt, kw, kh))):
            r = fields.get(fname)
            check(r is not None and all(abs(a - b) < 0.05 for a, b in zip(r, [x, H - t - h, x + w, H - t])),
                  f"field {fname} lies over its image: {r}")
        check("/AcroForm" in text and "/V " not in text.split("/AcroForm")[1][:200], "the fields are in the AcroForm and unsigned")
    # Byte-identical across runs.
    pdf2, _ = render(os.path.join(EXAMPLE, "document.json"), "dien-tu-2")
    check(pdf2 is not None and read(pdf) == read(pdf2), "van-ban-dien-tu: byte-identical PDF on a second run")
    # DOCX: the PNG files stored as they are, the signature inline, the seal floating over it.
    out = fresh("dien-tu-docx")
    r = run("render", os.path.join(EXAMPLE, "document.json"), "-o", out, "--format", "docx")
    files = glob.glob(os.path.join(out, "*.docx"))
    check(r.returncode == 0 and len(files) == 1, f"van-ban-dien-tu: DOCX written ({r.stderr.strip()})")
    if files:
        z = zipfile.ZipFile(files[0])
        check(z.read("word/media/image1.png") == read(SIG_PNG) and z.read("word/media/image2.png") == read(SEAL_PNG),
              "DOCX: the signature and seal PNGs stored as they are")
        doc = z.read("word/document.xml").decode()
        check(doc.count("<wp:inline") == 1 and doc.count("<wp:anchor") == 1, "DOCX: signature inline, seal anchored")
        check('Extension="png"' in z.read("[Content_Types].xml").decode(), "DOCX: the png content type")
        rels = z.read("word/_rels/document.xml.rels").decode()
        check('Target="media/image1.png"' in rels and 'Target="media/image2.png"' in rels, "DOCX: the pictures' relationships")
        i_sig, i_pos, i_name = doc.find("<wp:inline"), doc.find("PHÓ GIÁM ĐỐC"), doc.find("Võ Thị Mai")
        check(0 < i_pos < i_sig < i_name, "DOCX: the signature between the position and the name")


# ---- paper documents ---------------------------------------------------------------------


def paper():
    # No images: nothing drawn, no image resources, no signature fields.
    pdf, _ = render(write_doc("plain", BASE), "plain")
    if pdf:
        check(image_list(pdf) == [] and "/XObject" not in qdf(pdf) and "/AcroForm" not in qdf(pdf),
              "a document without images has no image and no signature field")
    # The same file used twice is embedded once and drawn twice; a paper document has no signature field.
    doc = with_sig(image={"file": "k.png", "height_mm": 15}, seal={"file": "k.png", "width_mm": 40})
    pdf, _ = render(write_doc("twice", doc, {"k.png": read(SIG_PNG)}), "twice")
    if pdf:
        rows = image_list(pdf)
        check(len({oid for *_, oid in rows}) == 1 and len(rows) == 4, f"one picture (and its mask) drawn twice: {rows}")
        imgs = drawn_images(pdf)
        check(len(imgs) == 2 and imgs[0][0] == imgs[1][0], f"both draws use one XObject: {imgs}")
        if len(imgs) == 2:
            check(abs(imgs[0][4] - 15 * MM) < 0.05 and abs(imgs[1][3] - 40 * MM) < 0.05, "heights and widths as given")
        check(signature_fields(pdf) == [], "a paper document has no signature field")


# ---- refused input --------------------------------------------------------------------------


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def tiny_png(w, h, alpha=True, phys=None):
    colour = 6 if alpha else 2
    row = b"\x00" + b"\x10\x20\xa0\x80" * w if alpha else b"\x00" + b"\x10\x20\xa0" * w
    out = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0))
    if phys:
        out += png_chunk(b"pHYs", struct.pack(">IIB", phys, phys, 1))
    return out + png_chunk(b"IDAT", zlib.compress(row * h)) + png_chunk(b"IEND", b"")


def refused(name, doc, files, where, *words):
    r = run("check", write_doc(name, doc, files))
    msg = r.stderr.strip()
    check(r.returncode == 1 and where in msg and all(w in msg for w in words), f"{name}: refused at {where} ({msg})")
    out = fresh(name + "-out")
    r = run("render", os.path.join(OUT, name + "-src", "document.json"), "-o", out)
    check(r.returncode == 1 and os.listdir(out) == [], f"{name}: render writes nothing")


def bad_input():
    good = read(SIG_PNG)
    img = with_sig(image={"file": "k.png"})
    refused("truncated", img, {"k.png": good[: len(good) // 2]}, "document.json:/signature/image/file", "truncated")
    refused("not-png", img, {"k.png": b"\xff\xd8\xff\xe0 JFIF this is a JPEG"}, "/signature/image/file", "not a PNG file")
    corrupt = bytearray(good)
    corrupt[40] ^= 0xFF  # inside the first chunk after IHDR: its CRC no longer matches
    refused("corrupt", img, {"k.png": bytes(corrupt)}, "/signature/image/file", "not a valid PNG")
    refused("huge", img, {"k.png": tiny_png(9000, 1)}, "/signature/image/file", "too large")
    refused("missing", img, {}, "/signature/image/file", "cannot read")
    outside = fresh("outside-dir")
    with open(os.path.join(outside, "k.png"), "wb") as f:
        f.write(good)
    refused("outside", with_sig(image={"file": "../outside-dir/k.png"}), {}, "/signature/image/file", "outside the document's folder")
    refused("height", with_sig(image={"file": "k.png", "height_mm": 80}), {"k.png": good}, "/signature/image/height_mm", "8", "30")
    refused("no-size", with_sig(image={"file": "k.png"}, seal={"file": "d.png"}), {"k.png": good, "d.png": tiny_png(10, 10)},
            "/signature/seal", "width_mm")
    refused("seal-alone", with_sig(seal={"file": "d.png", "width_mm": 36}), {"d.png": read(SEAL_PNG)}, "/signature/seal", "image")
    e = with_sig()
    e["electronic"] = True
    refused("electronic-bare", e, {}, "/signature", "image", "seal")
    # A seal whose file declares its size is printed at it; one that declares an absurd size needs width_mm.
    refused("seal-tiny", with_sig(image={"file": "k.png"}, seal={"file": "d.png"}), {"k.png": good, "d.png": tiny_png(10, 10, phys=40000)},
            "/signature/seal", "width_mm")
    # An opaque picture is accepted with a warning (its background would hide the text under it).
    r = run("check", write_doc("opaque", img, {"k.png": tiny_png(30, 10, alpha=False)}))
    check(r.returncode == 0 and "/signature/image/file" in r.stderr and "transparency" in r.stderr,
          f"an opaque image is accepted with a warning: {r.stderr.strip()}")


electronic_example()
paper()
bad_input()
finish()
