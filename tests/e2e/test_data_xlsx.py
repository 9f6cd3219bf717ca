"""Data from Excel: `--data FILE.xlsx` (first sheet, or `--sheet NAME`) read
with libzip and pugixml — shared and inline strings, numbers as Excel stores
them (6.1100000000000003 is 6.11), empty cells, sheets in any order — gives the
same documents as the CSV it was made from; a workbook saved by LibreOffice
Calc too; a missing sheet or a file that is not a workbook is refused with a
message."""
import csv
import os
import shutil
import subprocess

from e2e import SOURCE, VANBAN, check, finish, fresh, pdf_pages, run, tool
from xlsx_data import write_xlsx

src = os.path.join(SOURCE, "examples", "gia-lai-huyen")
work = fresh("data_xlsx")
with open(os.path.join(src, "data.csv"), encoding="utf-8") as f:
    rows = list(csv.reader(f))


def texts(folder):
    return {n: pdf_pages(os.path.join(folder, n)) for n in sorted(os.listdir(folder)) if n.endswith(".pdf")}


tpl = os.path.join(src, "template.json")
csv_out = os.path.join(work, "csv")
r = run("batch", tpl, "--data", os.path.join(src, "data.csv"), "-o", csv_out, "-q", "--format", "pdf")
check(r.returncode == 0, "batch from the CSV: " + r.stderr)
want = texts(csv_out)
check(len(want) == 17, f"17 plans from the CSV ({len(want)})")

notes = [["ghi_chu"], ["Số liệu rà soát cuối năm 2023"]]
book = os.path.join(work, "so-lieu.xlsx")
write_xlsx(book, [("Số liệu", rows), ("Ghi chú", notes)])
out = os.path.join(work, "xlsx-first")
r = run("batch", tpl, "--data", book, "-o", out, "-q", "--format", "pdf")
check(r.returncode == 0, "batch from the first sheet of an XLSX: " + r.stderr)
check(texts(out) == want, "the XLSX gives the same documents as the CSV")

book2 = os.path.join(work, "hai-trang.xlsx")
write_xlsx(book2, [("Ghi chú", notes), ("Số liệu", rows)])
out = os.path.join(work, "xlsx-named")
r = run("batch", tpl, "--data", book2, "--sheet", "Số liệu", "-o", out, "-q", "--format", "pdf")
check(r.returncode == 0 and texts(out) == want, "--sheet NAME reads the named sheet: " + r.stderr)
r = run("batch", tpl, "--data", book2, "-o", os.path.join(work, "xlsx-default"), "-q", "--format", "pdf")
check(r.returncode == 1 and "ghi_chu" in r.stderr, "without --sheet the first sheet is read: " + r.stderr[:300])
r = run("batch", tpl, "--data", book2, "--sheet", "Không có", "-o", os.path.join(work, "x"), "-q")
check(r.returncode == 1 and 'no sheet named "Không có"' in r.stderr and '"Ghi chú", "Số liệu"' in r.stderr,
      "a missing sheet is refused, naming the sheets: " + r.stderr)
r = run("batch", tpl, "--data", os.path.join(src, "data.csv"), "--sheet", "A", "-o", os.path.join(work, "x"), "-q")
check(r.returncode == 1 and "only in an .xlsx" in r.stderr, "--sheet with a CSV is refused: " + r.stderr)
fake = os.path.join(work, "fake.xlsx")
with open(fake, "w") as f:
    f.write("ma_huyen,ten\n")
r = run("batch", tpl, "--data", fake, "-o", os.path.join(work, "x"), "-q")
check(r.returncode == 1 and "not an XLSX workbook" in r.stderr, "a CSV named .xlsx is refused: " + r.stderr)

r = run("render", tpl, "--data", book, "--row", "3", "-o", os.path.join(work, "one"), "-q", "--format", "pdf")
check(r.returncode == 0 and pdf_pages(os.path.join(work, "one", "ayun-pa-ke-hoach-giam-ngheo-2024.pdf"))
      == want["ayun-pa-ke-hoach-giam-ngheo-2024.pdf"], "render --data FILE.xlsx --row 3: " + r.stderr)
r = run("check", tpl, "--data", book, "--row", "2")
check(r.returncode == 0, "check --data FILE.xlsx: " + r.stderr)

# A workbook saved by LibreOffice Calc from the CSV.
lo = os.path.join(work, "lo")
os.makedirs(lo)
shutil.copy(os.path.join(src, "data.csv"), os.path.join(lo, "data.csv"))
profile = os.path.join(work, "lo-profile")
p = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--infilter=CSV:44,34,76,1", "--outdir", lo, os.path.join(lo, "data.csv")],
                   capture_output=True, text=True, timeout=180)
lo_book = os.path.join(lo, "data.xlsx")
check(os.path.exists(lo_book), "LibreOffice saved the CSV as XLSX: " + p.stderr[-300:])
if os.path.exists(lo_book):
    out = os.path.join(work, "xlsx-lo")
    r = run("batch", tpl, "--data", lo_book, "-o", out, "-q", "--format", "pdf")
    got = texts(out)
    check(r.returncode == 0 and got == want, "a workbook saved by LibreOffice gives the same documents: " + r.stderr[:500]
          + str([n for n in want if got.get(n) != want[n]][:3]))
finish()
