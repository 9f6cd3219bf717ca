"""`vanban serve`, its HTTP API and `vanban check --json`: renders in every
format, 422 with the same diagnostics as `check --json`, the request size and
time limits, bad input that never takes the server down, the token, the strict
path policy (posted documents are served from memory; /api/open reads only
inside the workspace), 20 concurrent renders, and batches (a template and CSV
or XLSX data -> a ZIP with the summary; one record previewed)."""
import csv
import copy
import io
import zipfile
import json
import os
import shutil
import subprocess
import threading
import time

from e2e import OUT, SOURCE, VANBAN, check, finish, fresh, run, tool
from serve import Server, inline_document
from xlsx_data import write_xlsx

EX = os.path.join(SOURCE, "examples")
work = fresh("serve_api")
ws = os.path.join(work, "workspace")
shutil.copytree(EX, os.path.join(ws, "examples"))
GIA_LAI = inline_document(os.path.join(EX, "gia-lai"))
LONG_KHANH = inline_document(os.path.join(EX, "long-khanh"))


def pdf_text(data, name):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(data)
    text, _ = tool("pdftotext", "-layout", path, "-")
    return " ".join(text.split())


def diag_shape(d):
    """A diagnostic with only the file's base name (the CLI names the path it was given)."""
    d = dict(d)
    d["file"] = os.path.basename(d["file"].split("#")[0]) + ("#" + d["file"].split("#", 1)[1] if "#" in d["file"] else "")
    return d


# ---- check --json (the CLI) ------------------------------------------------
r = run("check", "--json", os.path.join(EX, "gia-lai", "document.json"))
rep = json.loads(r.stdout)
# the province total is kept as published (7.449 where the rows add up to 7.450): one warning, no error
check(r.returncode == 0 and rep["ok"] is True and rep["pages"] == 13
      and [(d["severity"], d.get("pointer")) for d in rep["diagnostics"]] == [("warning", "/total/cells/c5")]
      and "7.450" in rep["diagnostics"][0]["message"],
      f"check --json on Gia Lai: ok, 13 pages, the as-published total's warning ({r.returncode} {r.stdout[:200]})")
bad = copy.deepcopy(LONG_KHANH)
bad["date"] = "2024-13-01"
del bad["signature"]["name"]
bad["body"]["text"] = "# Mục tiêu\n\n####### quá sâu\n"
bad_dir = os.path.join(work, "bad")
os.makedirs(bad_dir)
with open(os.path.join(bad_dir, "document.json"), "w", encoding="utf-8") as f:
    json.dump(bad, f, ensure_ascii=False)
r = run("check", "--json", os.path.join(bad_dir, "document.json"))
cli = json.loads(r.stdout)
check(r.returncode == 1 and cli["ok"] is False, f"check --json on a bad document: exit 1, ok false ({r.returncode})")
pointers = {d.get("pointer") for d in cli["diagnostics"]}
check("/date" in pointers and "/signature/name" in pointers or "/signature" in pointers,
      f"check --json names /date and the signature: {pointers}")
check(all(set(d) >= {"file", "at", "severity", "message"} for d in cli["diagnostics"]), "every diagnostic has file, at, severity, message")
check(all(("pointer" in d) != ("line" in d) for d in cli["diagnostics"] if d["at"]), "a location is a pointer or a line, not both")
r_text = run("check", os.path.join(bad_dir, "document.json"))
check(r_text.returncode == 1 and len(r_text.stderr.strip().splitlines()) == len(cli["diagnostics"]),
      "check --json reports as many problems as check")

# ---- the server ------------------------------------------------------------
with Server(VANBAN, ws) as s:
    st, h, body = s.request("GET", "/healthz")
    check(st == 200 and json.loads(body)["ok"] is True, f"/healthz ({st})")
    st, h, body = s.request("GET", "/api/schema")
    schema = json.loads(body)
    check(st == 200 and "signature" in schema["properties"], "/api/schema is the document schema")
    st, h, body = s.request("GET", "/api/schema?annex=1")
    check(st == 200 and "columns" in json.loads(body)["properties"], "/api/schema?annex=1 is the annex schema")
    st, h, body = s.request("GET", "/")
    check(st == 200 and b"<html" in body and h["content-type"].startswith("text/html"), "/ serves the page")

    # render, every format
    st, h, body = s.post_json("/api/render?format=pdf", GIA_LAI)
    check(st == 200 and h["content-type"] == "application/pdf" and body[:5] == b"%PDF-", f"render pdf ({st})")
    check('filename="du-thao-kh-ubnd.pdf"' in h.get("content-disposition", ""), f"PDF named from the number: {h.get('content-disposition')}")
    text = pdf_text(body, "gia-lai.pdf")
    check("BIỂU TỔNG HỢP CHỈ TIÊU GIẢM NGHÈO NĂM 2024" in text and "Nguyễn Thị Thanh Lịch" in text, "the PDF's text is the plan")
    gia_lai_pdf = body
    cli_out = os.path.join(work, "cli")
    run("render", os.path.join(EX, "gia-lai", "document.json"), "-o", cli_out, "-q")
    with open(os.path.join(cli_out, "du-thao-kh-ubnd.pdf"), "rb") as f:
        check(f.read() == body, "the server's PDF is byte-identical to the CLI's")
    for fmt in ("xlsx", "docx"):
        st, h, body = s.post_json(f"/api/render?format={fmt}", GIA_LAI)
        check(st == 200 and body[:2] == b"PK" and f'du-thao-kh-ubnd.{fmt}' in h.get("content-disposition", ""), f"render {fmt} ({st})")
    st, h, body = s.post_json("/api/render?format=xlsx", LONG_KHANH)
    check(st == 422 and json.loads(body)["diagnostics"][0]["pointer"] == "/annexes", f"xlsx of a document without annexes: 422 ({st})")
    st, h, body = s.post_json("/api/render?format=odt", GIA_LAI)
    check(st == 400 and "pdf, xlsx and docx" in json.loads(body)["error"], f"unknown format: 400 ({st})")

    # 422 with the check --json diagnostics
    st, h, body = s.post_json("/api/render?format=pdf", bad)
    api = json.loads(body)
    check(st == 422 and api["ok"] is False, f"bad document: 422 ({st})")
    check([diag_shape(d) for d in api["diagnostics"]] == [diag_shape(d) for d in cli["diagnostics"]],
          f"422 diagnostics are those of check --json:\n{api['diagnostics']}\n{cli['diagnostics']}")
    body_diag = [d for d in api["diagnostics"] if d["file"].endswith("#/body/text")]
    check(body_diag and body_diag[0]["line"] == 3, f"a body problem is at its line: {body_diag}")
    st, h, body = s.post_json("/api/check", bad)
    check(st == 200 and json.loads(body)["diagnostics"] == api["diagnostics"], "/api/check reports the same problems")
    st, h, body = s.post_json("/api/check", GIA_LAI)
    rep = json.loads(body)
    check(st == 200 and rep["ok"] and rep["pages"] == 13 and rep["tables"][0]["rows"][0]["kind"] == "total",
          "/api/check of Gia Lai: ok, 13 pages, the resolved table with its total row")
    st, h, body = s.post_json("/api/preview", GIA_LAI)
    rep = json.loads(body)
    check(st == 200 and rep["ok"] and rep["pdf"].startswith("JVBERi0"), "/api/preview returns the PDF as base64")
    # a document with errors outside its tables: each table computed on its own, for the page's grid
    krong_pa = inline_document(os.path.join(EX, "kinh-phi-huyen"))
    krong_pa["annexes"][0]["groups"][0]["cells"]["tw"] = 5000  # Dự án 2's own figure: Phụ lục II and the text no longer agree
    del krong_pa["annexes"][0]["total"]["cells"]["tong"]  # (the stated total, computed again)
    for path in ("/api/check", "/api/preview"):
        st, h, body = s.post_json(path, krong_pa)
        rep = json.loads(body)
        codes = sorted({d["code"] for d in rep["diagnostics"] if d["severity"] == "error"})
        rows = {r["pointer"]: r["cells"] for r in (rep["tables"][0] or {}).get("rows", [])}
        check(st == 200 and not rep["ok"] and "pdf" not in rep, f"{path} of a document with errors: 200, not ok, no PDF ({st}, {codes})")
        check(rows.get("/annexes/0/groups/0", [None] * 3)[2] == "9.758" and rows.get("/annexes/0/total", [None] * 3)[2] == "21.056,9345",
              f"{path}: the table computed on its own follows the new figure: {rows.get('/annexes/0/groups/0')} {rows.get('/annexes/0/total')}")

    # multipart: the document and its files, as on disk
    with open(os.path.join(EX, "long-khanh", "document.json"), "rb") as f:
        lk_json = f.read()
    with open(os.path.join(EX, "long-khanh", "body.md"), "rb") as f:
        lk_body = f.read()
    st, h, body = s.post_multipart("/api/render?format=pdf", [("document", "document.json", lk_json), ("files", "body.md", lk_body)])
    check(st == 200 and body[:5] == b"%PDF-", f"multipart document + body.md renders ({st})")

    # the strict path policy: a posted document reads nothing from disk
    for name in ("/etc/hostname", "../../../../etc/hostname", os.path.join(SOURCE, "examples", "long-khanh", "body.md")):
        d = copy.deepcopy(LONG_KHANH)
        d["body"] = {"file": name}
        st, h, body = s.post_json("/api/render?format=pdf", d)
        msg = json.loads(body)["diagnostics"][0]["message"] if st == 422 else ""
        check(st == 422 and ("no such file" in msg or "outside" in msg), f"body file {name} is not read: {st} {msg}")
    st, h, body = s.request("GET", "/api/open?path=examples/gia-lai/document.json")
    opened = json.loads(body)
    check(st == 200 and "text" in opened["body"] and opened["annexes"][0]["title"].startswith("BIỂU"),
          "/api/open inlines the body and annex of a workspace document")
    os.symlink("/etc", os.path.join(ws, "etc-link"))
    for p, want in (("../x.json", 403), ("/etc/passwd", 400), ("etc-link/hostname", 403), (".vanban-tmp/x.json", 403)):
        st, h, body = s.request("GET", "/api/open?path=" + p)
        check(st == want, f"/api/open?path={p}: {want} ({st} {body[:100]})")
    evil = os.path.join(ws, "evil")
    os.makedirs(evil)
    with open(os.path.join(evil, "document.json"), "w", encoding="utf-8") as f:
        d = copy.deepcopy(LONG_KHANH)
        d["body"] = {"file": "../../../../../../etc/hostname"}
        json.dump(d, f, ensure_ascii=False)
    st, h, body = s.request("GET", "/api/open?path=evil/document.json")
    check(st == 422 and "outside" in body.decode(), f"a workspace document naming a file outside is refused ({st})")
    st, h, body = s.request("GET", "/api/files")
    files = json.loads(body)["files"]
    check("examples/gia-lai/document.json" in files and not any("annex" in f for f in files), f"/api/files lists documents: {files}")

    # bad input never takes the server down
    junk = [b"", b"{", b"\xff\xfe\x00garbage", b"[" * 100000 + b"]" * 100000, b'{"type": 1e999999}',
            json.dumps({"type": "KH"}).encode(), b"null", json.dumps({**GIA_LAI, "template": {"per": "row"}}).encode()]
    statuses = []
    for j in junk:
        st, h, body = s.request("POST", "/api/render?format=pdf", j, {"Content-Type": "application/json"})
        statuses.append(st)
        check(st in (400, 422) and json.loads(body)["ok"] is False, f"junk {j[:20]!r}: 400/422 with a JSON answer ({st})")
    st, h, body = s.request("GET", "/healthz")
    check(st == 200 and s.alive(), "the server is still up after bad input")

    # 20 concurrent renders
    results = [None] * 20

    def worker(i):
        results[i] = s.post_json("/api/render?format=pdf", GIA_LAI)

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    elapsed = time.monotonic() - t0
    check(all(r is not None and r[0] == 200 and r[2] == gia_lai_pdf for r in results),
          "20 concurrent renders of the Gia Lai plan all give the same PDF")
    print(f"20 concurrent renders of the 13-page plan: {elapsed:.2f} s")
    # batches: the Gia Lai districts example
    hu = os.path.join(EX, "gia-lai-huyen")
    raw = lambda n: open(os.path.join(hu, n), "rb").read()
    parts = [("template", "template.json", raw("template.json")), ("files", "body.md", raw("body.md")),
             ("data", "data.csv", raw("data.csv"))]
    st, h, body = s.post_multipart("/api/batch", parts)
    check(st == 200 and h["content-type"] == "application/zip", f"batch: a ZIP ({st} {body[:200]})")
    if st == 200:
        z = zipfile.ZipFile(io.BytesIO(body))
        names = z.namelist()
        summary = json.loads(z.read("summary.json"))
        check(sum(n.endswith(".pdf") for n in names) == 17 and sum(n.endswith(".xlsx") for n in names) == 17,
              f"17 plans, PDF and XLSX: {names}")
        check("summary.txt" in names and "17 documents: 17 written" in z.read("summary.txt").decode(),
              "the ZIP has the summary: " + z.read("summary.txt").decode()[:200])
        check(summary["written"] == 17 and summary["failed"] == 0, f"summary.json: {summary['written']} written")
        check(not any(n.startswith(".") for n in names), "no manifest in the ZIP")
        kbang = pdf_text(z.read("kbang-ke-hoach-giam-ngheo-2024.pdf"), "kbang.pdf")
        check("HUYỆN KBANG" in kbang and "18.286" in kbang, "the Kbang plan has its figures")
    with open(os.path.join(hu, "data.csv"), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    book = os.path.join(work, "so-lieu.xlsx")
    write_xlsx(book, [("Ghi chú", [["ghi_chu"], ["x"]]), ("Số liệu", rows)])
    xparts = parts[:2] + [("data", "so-lieu.xlsx", open(book, "rb").read()), ("sheet", None, "Số liệu")]
    st, h, body = s.post_multipart("/api/batch?format=pdf", xparts)
    check(st == 200 and sum(n.endswith(".pdf") for n in zipfile.ZipFile(io.BytesIO(body)).namelist()) == 17
          and not any(n.endswith(".xlsx") for n in zipfile.ZipFile(io.BytesIO(body)).namelist()),
          f"batch from an XLSX sheet, PDF only ({st})")
    bad_rows = raw("data.csv").decode().splitlines()
    bad_rows[3] = bad_rows[3].rsplit(",", 1)[0]  # a row with a field missing
    st, h, body = s.post_multipart("/api/batch?format=pdf", parts[:2] + [("data", "data.csv", "\n".join(bad_rows) + "\n")])
    if st == 200:
        z = zipfile.ZipFile(io.BytesIO(body))
        summary = json.loads(z.read("summary.json"))
        check(sum(n.endswith(".pdf") for n in z.namelist()) == 16 and summary["failed"] == 1
              and summary["failures"][0]["source"].startswith("data.csv:4"),
              f"a bad row fails alone and is named in the summary: {summary['failures']}")
    else:
        check(False, f"batch with a bad row: {st}")
    st, h, body = s.post_multipart("/api/batch/preview?row=3&format=pdf", parts)
    check(st == 200 and "Ayun Pa" in pdf_text(body, "row3.pdf") and "ayun-pa" in h.get("content-disposition", ""),
          f"batch preview of record 3 ({st})")
    st, h, body = s.post_multipart("/api/data", [parts[2]])
    d = json.loads(body)
    check(st == 200 and d["count"] == 17 and d["fields"][0] == "ma_huyen" and d["records"][2]["source"] == "data.csv:4",
          f"/api/data lists the records ({st})")
    st, h, body = s.post_multipart("/api/batch", [parts[2]])
    check(st == 400 and "template" in json.loads(body)["error"], f"batch without a template: 400 ({st})")
    broken = raw("template.json").replace(b'"{{ten}}"', b'"{{ten"', 1)
    st, h, body = s.post_multipart("/api/batch", [("template", "template.json", broken)] + parts[1:])
    check(st == 422 and json.loads(body)["diagnostics"][0]["file"] == "template.json",
          f"a broken template: 422 naming template.json ({st} {body[:300]})")

    st, h, body = s.request("GET", "/api/nothing")
    check(st == 404, f"unknown path: 404 ({st})")
check(not os.path.exists(os.path.join(ws, ".vanban-tmp")), "the server leaves nothing in the workspace")

# ---- limits ------------------------------------------------------------------
with Server(VANBAN, ws, "--max-request-mb", "1", "--timeout-ms", "1", "--jobs", "1") as s:
    big = copy.deepcopy(LONG_KHANH)
    big["body"]["text"] = "Đoạn văn. " * 200000
    st, h, body = s.post_json("/api/render?format=pdf", big)
    check(st == 413 and "larger" in json.loads(body)["error"], f"a request over --max-request-mb: 413 ({st})")
    st, h, body = s.post_json("/api/render?format=pdf", GIA_LAI)
    check(st == 504 and "time limit" in json.loads(body)["error"], f"a render over --timeout-ms: 504 ({st})")
    time.sleep(0.5)
    st, h, body = s.request("GET", "/healthz")
    check(st == 200, "still up after a timeout")

# ---- the token ---------------------------------------------------------------
r = subprocess.run([VANBAN, "serve", "--listen", "0.0.0.0:0", "--workspace", ws], capture_output=True, text=True, timeout=30)
check(r.returncode == 2 and "refusing to listen on 0.0.0.0" in r.stderr and "--token-file" in r.stderr,
      f"a non-loopback address without a token is refused: {r.returncode} {r.stderr}")
short = os.path.join(work, "short-token")
with open(short, "w") as f:
    f.write("abc\n")
r = subprocess.run([VANBAN, "serve", "--listen", "0.0.0.0:0", "--workspace", ws, "--token-file", short],
                   capture_output=True, text=True, timeout=30)
check(r.returncode == 2 and "at least 16 characters" in r.stderr, f"a short token is refused: {r.stderr}")
r = subprocess.run([VANBAN, "serve", "--listen", "127.0.0.1:99999"], capture_output=True, text=True, timeout=30)
check(r.returncode == 2 and "--listen" in r.stderr, f"a bad port is refused: {r.stderr}")
token_file = os.path.join(work, "token")
token = "s3cret-token-0123456789abcdef"
with open(token_file, "w") as f:
    f.write(token + "\n")
with Server(VANBAN, ws, "--token-file", token_file) as s:
    st, h, body = s.post_json("/api/check", GIA_LAI)
    check(st == 401 and "Bearer" in h.get("www-authenticate", ""), f"no token: 401 ({st})")
    st, h, body = s.post_json("/api/check", GIA_LAI, {"Authorization": "Bearer wrong-token-0123456789abcdef"})
    check(st == 401, f"a wrong token: 401 ({st})")
    st, h, body = s.post_json("/api/check", GIA_LAI, {"Authorization": "Bearer " + token})
    check(st == 200 and json.loads(body)["ok"], f"the token: 200 ({st})")
    st, h, body = s.request("GET", "/healthz")
    check(st == 200, "/healthz needs no token")
finish()
