"""Templates filled from data, end to end: `vanban batch` on the Gia Lai
districts example (one plan per district and the provincial summary), read
back from the PDFs and workbooks; incremental re-runs that rebuild exactly the
documents whose inputs changed; identical outputs whatever the parallelism;
shards sharing one folder; an interrupted run that leaves a truthful manifest;
and `vanban render --data` for a single document."""
import hashlib
import json
import os
import signal
import subprocess
import time
from decimal import ROUND_HALF_UP, Decimal

from e2e import (SOURCE, VANBAN, absent, batch_counts, check, copy_example, file_bytes, finish, fresh, load_json,
                 pdf_pages, pdf_text, read_csv_rows, read_xlsx, run, snapshot, squash, write_csv_rows)

PLAN_SUFFIX = "-ke-hoach-giam-ngheo-2024"
SUMMARY_STEM = "tinh-gia-lai-giao-chi-tieu-giam-ngheo-2024"
MANIFEST = ".vanban-manifest.json"


def vn(value, decimals=0):
    """Vietnamese notation as the documents print it: 18286 -> "18.286", 11.26 -> "11,26"."""
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


def figures(row):
    """What a district plan states, computed from its data row as the template's `let` values do."""
    tong, ngheo, giam = Decimal(row["tong_ho"]), Decimal(row["ho_ngheo"]), Decimal(row["giam_ho"])
    return {
        "tong_ho": vn(tong), "ho_ngheo": vn(ngheo), "ty_le": vn(ngheo / tong * 100, 2),
        "chi_tieu": vn(row["chi_tieu"], 2), "giam_ho": vn(giam), "con_lai": vn(ngheo - giam),
        "ty_le_cuoi": vn((ngheo - giam) / tong * 100, 2),
    }


def batch(src, out, *args, data=None):
    return run("batch", os.path.join(src, "template.json"), os.path.join(src, "tong-hop.json"),
               "--data", data or os.path.join(src, "data.csv"), "-o", out, *args)


def expected_names(rows):
    return [r["ma_huyen"] + PLAN_SUFFIX for r in rows] + [SUMMARY_STEM]


def outputs_of(stems):
    return {s + ext for s in stems for ext in (".pdf", ".xlsx")}


def main_and_annex(pdf):
    """(main text, annex pages text), each squashed; the annex starts at its upper-case title."""
    pages = pdf_pages(pdf)
    text = squash(" ".join(pages))
    for marker in ("BIỂU CHỈ TIÊU GIẢM NGHÈO", "BIỂU TỔNG HỢP CHỈ TIÊU GIẢM NGHÈO"):
        at = text.find(marker)
        if at >= 0:
            return text[:at], text[at:]
    return text, ""


def sheet_row(path, label):
    """The cells of the first sheet's row whose column B is `label`: column letter -> cell."""
    sheets = read_xlsx(path)
    if not sheets:
        return None
    cells = sheets[0][1]
    rows = [c["row"] for c in cells.values() if c["col"] == 2 and c["value"] == label]
    if len(rows) != 1:
        return None
    return {ref.rstrip("0123456789"): c for ref, c in cells.items() if c["row"] == rows[0]}


def number_is(cell, expected):
    if cell is None or cell["type"] != "n" or cell["value"] is None:
        return False
    return Decimal(cell["value"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal(str(expected))


def check_plan(out, row, what):
    """A district plan states its own figures in the text, in its one-row annex and in its workbook."""
    stem = row["ma_huyen"] + PLAN_SUFFIX
    pdf, xlsx = os.path.join(out, stem + ".pdf"), os.path.join(out, stem + ".xlsx")
    if not (os.path.isfile(pdf) and os.path.isfile(xlsx)):
        check(False, f"{what}: {stem}.pdf and .xlsx exist")
        return
    f = figures(row)
    main, annex = main_and_annex(pdf)
    place = f'{row["cap"]} {row["ten"]}'
    for phrase in (f"HUYỆN {row['ten']}".upper() if row["cap"] == "huyện" else place.upper(),
                   f"trên địa bàn {place}",
                   f'toàn {row["cap"]} có {f["tong_ho"]} hộ dân cư',
                   f'trong đó có {f["ho_ngheo"]} hộ nghèo, chiếm tỷ lệ {f["ty_le"]}%',
                   f'Giảm tỷ lệ hộ nghèo {f["chi_tieu"]}%, tương ứng {f["giam_ho"]} hộ thoát nghèo',
                   f'còn {f["con_lai"]} hộ, tỷ lệ hộ nghèo còn khoảng {f["ty_le_cuoi"]}%'):
        check(phrase in main, f"{what}: {stem} states {phrase!r}")
    annex_row = (f'1 {row["don_vi"]} {f["tong_ho"]} {f["ho_ngheo"]} {f["ty_le"]} {f["chi_tieu"]} '
                 f'{f["giam_ho"]} {f["con_lai"]}')
    check(annex_row in annex, f"{what}: {stem} annex row {annex_row!r}")
    check(f'CỦA {row["don_vi"].upper()}' in annex, f"{what}: {stem} annex title names {row['don_vi']}")
    cells = sheet_row(xlsx, row["don_vi"])
    check(cells is not None, f"{what}: {stem}.xlsx has a row for {row['don_vi']}")
    if cells:
        tong, ngheo, giam = Decimal(row["tong_ho"]), Decimal(row["ho_ngheo"]), Decimal(row["giam_ho"])
        for col, value in (("C", tong), ("D", ngheo), ("E", (ngheo / tong * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)),
                           ("F", Decimal(row["chi_tieu"])), ("G", giam), ("H", ngheo - giam)):
            check(number_is(cells.get(col), value), f"{what}: {stem}.xlsx {col}: {value}, got {cells.get(col)}")
        check((cells.get("E") or {}).get("formula") and (cells.get("H") or {}).get("formula"),
              f"{what}: {stem}.xlsx computed cells are formulas")


def check_summary(out, rows, what):
    """The provincial Công văn lists every district and the province's total."""
    pdf, xlsx = os.path.join(out, SUMMARY_STEM + ".pdf"), os.path.join(out, SUMMARY_STEM + ".xlsx")
    if not (os.path.isfile(pdf) and os.path.isfile(xlsx)):
        check(False, f"{what}: {SUMMARY_STEM}.pdf and .xlsx exist")
        return
    main, annex = main_and_annex(pdf)
    tong = sum(Decimal(r["tong_ho"]) for r in rows)
    ngheo = sum(Decimal(r["ho_ngheo"]) for r in rows)
    giam = sum(Decimal(r["giam_ho"]) for r in rows)
    rate = vn(ngheo / tong * 100, 2)
    phrase = f"toàn tỉnh phấn đấu giảm {vn(giam)} hộ nghèo trên tổng số {vn(ngheo)} hộ nghèo cuối năm 2023 (tỷ lệ hộ nghèo {rate}%)"
    check(phrase in main, f"{what}: summary body states {phrase!r}")
    total = f"I Tổng cộng toàn tỉnh {vn(tong)} {vn(ngheo)} {rate} 2,00 {vn(giam)}"
    check(total in annex, f"{what}: summary total row {total!r}")
    for i, r in enumerate(rows, 1):
        f = figures(r)
        line = f'{i} {r["don_vi"]} {f["tong_ho"]} {f["ho_ngheo"]} {f["ty_le"]} {f["chi_tieu"]} {f["giam_ho"]}'
        check(line in annex, f"{what}: summary lists {line!r}")
    cells = sheet_row(xlsx, "Tổng cộng toàn tỉnh")
    check(cells is not None, f"{what}: summary workbook has the total row")
    if cells:
        check(number_is(cells.get("C"), tong) and (cells["C"]["formula"] or "").startswith("SUM("),
              f"{what}: workbook total of households {tong} as a SUM, got {cells.get('C')}")
        check(number_is(cells.get("G"), giam) and (cells["G"]["formula"] or "").startswith("SUM("),
              f"{what}: workbook total target {giam} as a SUM, got {cells.get('G')}")
        check(number_is(cells.get("E"), (ngheo / tong * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)),
              f"{what}: workbook total rate recomputed, got {cells.get('E')}")


def same_bytes(a, b, files):
    """Every one of `files` exists in both contents maps with the same bytes."""
    return all(a.get(n) is not None and a.get(n) == b.get(n) for n in files)


def changed(before, after):
    """Names whose inode, mtime or size differ, plus names that appeared or vanished."""
    return {n for n in set(before) | set(after) if before.get(n) != after.get(n)}


# ---- 1. the provincial scenario --------------------------------------------------
src = copy_example("gia-lai-huyen", "huyen-src")
out = absent("huyen-out")
header, rows = read_csv_rows(os.path.join(src, "data.csv"))
check(len(rows) == 17, f"the example has 17 districts, found {len(rows)}")
names = expected_names(rows)

r = batch(src, out)
check(r.returncode == 0, f"batch: exit 0, got {r.returncode}: {r.stderr.strip()[-2000:]}")
c = batch_counts(r.stderr)
check(c == {"documents": 18, "shard": None, "total": 18, "written": 18, "unchanged": 0, "failed": 0, "not_started": 0},
      f"batch: summary '18 documents: 18 written, 0 unchanged, 0 failed', got {c}")
on_disk = set(os.listdir(out))
check(on_disk == outputs_of(names) | {MANIFEST},
      f"batch: exactly 18 PDFs + 18 workbooks + the manifest, extra {sorted(on_disk - outputs_of(names))}, "
      f"missing {sorted(outputs_of(names) - on_disk)}")
for row in rows:
    check_plan(out, row, "batch")
check_summary(out, rows, "batch")
kbang_text = pdf_text(os.path.join(out, "kbang" + PLAN_SUFFIX + ".pdf"))
for phrase in ("18.286 hộ dân cư", "2.059 hộ nghèo", "11,26%", "2,68%", "493 hộ thoát nghèo"):
    check(phrase in kbang_text, f"batch: the Kbang plan states {phrase!r}")
check("31.740" not in kbang_text and "Đak Đoa" not in kbang_text, "batch: the Kbang plan has no other district's figures")
summary_text = pdf_text(os.path.join(out, SUMMARY_STEM + ".pdf"))
for phrase in ("388.231", "31.502", "8,11", "7.450"):
    check(phrase in summary_text, f"batch: the provincial summary states the total {phrase!r}")
manifest = load_json(os.path.join(out, MANIFEST))
check(sorted(manifest.get("outputs", {})) == sorted(names) and
      all(e["input"] for e in manifest["outputs"].values()),
      "batch: the manifest has one valid entry per document")

# ---- 2. incremental re-runs --------------------------------------------------------
before = snapshot(out)
before_bytes = file_bytes(out)
r = batch(src, out)
c = batch_counts(r.stderr)
check(r.returncode == 0 and c and c["written"] == 0 and c["unchanged"] == 18 and c["failed"] == 0,
      f"re-run: exit 0 and '0 written, 18 unchanged', got {r.returncode} {c}")
check("18 unchanged" in r.stderr, "re-run: the summary says '18 unchanged'")
check(changed(before, snapshot(out)) == set(), f"re-run: no file rewritten, changed {sorted(changed(before, snapshot(out)))}")

# One district's target changes: its plan and the provincial summary are rebuilt, nothing else.
for row in rows:
    if row["ma_huyen"] == "kbang":
        row["giam_ho"], row["chi_tieu"] = "520", "2.84"
write_csv_rows(os.path.join(src, "data.csv"), header, rows)
before = snapshot(out)
r = batch(src, out)
c = batch_counts(r.stderr)
check(r.returncode == 0, f"one row changed: exit 0, got {r.returncode}: {r.stderr.strip()[-2000:]}")
check(c and c["written"] == 2 and c["unchanged"] == 16 and c["failed"] == 0,
      f"one row changed: '2 written, 16 unchanged', got {c}")
check("2 written, 16 unchanged" in r.stderr, "one row changed: the summary says '2 written, 16 unchanged'")
rebuilt = outputs_of(["kbang" + PLAN_SUFFIX, SUMMARY_STEM])
diff = changed(before, snapshot(out))
check(diff - {MANIFEST} == rebuilt, f"one row changed: exactly Kbang's plan and the summary rewritten, got {sorted(diff)}")
kbang_text = pdf_text(os.path.join(out, "kbang" + PLAN_SUFFIX + ".pdf"))
check("520 hộ thoát nghèo" in kbang_text and "2,84%" in kbang_text and "493 hộ thoát nghèo" not in kbang_text,
      "one row changed: the Kbang plan states the new target (520 hộ, 2,84%)")
summary_text = pdf_text(os.path.join(out, SUMMARY_STEM + ".pdf"))
check("giảm 7.477 hộ nghèo" in summary_text and "7.450" not in summary_text,
      "one row changed: the summary total becomes 7.477")
check_plan(out, next(x for x in rows if x["ma_huyen"] == "kbang"), "one row changed")
check_summary(out, rows, "one row changed")
after_change = file_bytes(out)
check(same_bytes(after_change, before_bytes, outputs_of(names) - rebuilt),
      "one row changed: the other documents keep their bytes")

# --force rebuilds everything, and gives the same bytes.
before = snapshot(out)
r = batch(src, out, "--force")
c = batch_counts(r.stderr)
check(r.returncode == 0 and c and c["written"] == 18 and c["unchanged"] == 0,
      f"--force: exit 0 and '18 written', got {r.returncode} {c}")
check(changed(before, snapshot(out)) >= outputs_of(names), "--force: every output file replaced")
forced = file_bytes(out)
check(same_bytes(forced, after_change, outputs_of(names)), "--force: the same bytes as before")

# The shared body of the district plans changes: the 17 plans are rebuilt, not the summary.
body_path = os.path.join(src, "body.md")
with open(body_path, encoding="utf-8") as f:
    body = f.read()
old = "nghiêm túc triển khai thực hiện."
check(old in body, "body.md has the closing sentence to edit")
with open(body_path, "w", encoding="utf-8") as f:
    f.write(body.replace(old, "nghiêm túc, khẩn trương triển khai thực hiện."))
before = snapshot(out)
r = batch(src, out)
c = batch_counts(r.stderr)
check(r.returncode == 0 and c and c["written"] == 17 and c["unchanged"] == 1 and c["failed"] == 0,
      f"body.md edited: exit 0 and '17 written, 1 unchanged', got {r.returncode} {c}")
diff = changed(before, snapshot(out)) - {MANIFEST}
check(diff == outputs_of(names[:-1]), f"body.md edited: exactly the 17 plans rewritten, got {sorted(diff ^ outputs_of(names[:-1]))} off")
check("nghiêm túc, khẩn trương triển khai" in pdf_text(os.path.join(out, "kbang" + PLAN_SUFFIX + ".pdf")),
      "body.md edited: the plans show the new sentence")

# ---- 3. determinism: -j 1 and -j 2 give the same bytes ----------------------------------
det_src = copy_example("gia-lai-huyen", "det-src")
det_names = expected_names(read_csv_rows(os.path.join(det_src, "data.csv"))[1])
out1, out2 = absent("det-j1"), absent("det-j2")
r1 = batch(det_src, out1, "-j", "1")
r2 = batch(det_src, out2, "-j", "2")
check(r1.returncode == 0 and r2.returncode == 0, f"-j 1 / -j 2: exit 0, got {r1.returncode} {r2.returncode}")
b1, b2 = file_bytes(out1), file_bytes(out2)
check(len(b1) == 37 and set(b1) == set(b2), f"-j 1 / -j 2: the same 37 files, got {len(b1)} and {len(b2)}")
check(same_bytes(b1, b2, outputs_of(det_names)), "-j 1 / -j 2: byte-identical PDFs and workbooks")
def without_times(raw):
    """The manifest with the files' modification times (the only thing two runs may differ in) left out."""
    m = json.loads(raw)
    for entry in m["outputs"].values():
        for rec in entry["files"].values():
            rec.pop("mtime_ns", None)
    return m


check(b1.get(MANIFEST) is not None and without_times(b1[MANIFEST]) == without_times(b2[MANIFEST]),
      "-j 1 / -j 2: identical manifests (but for the files' times)")

# ---- 4. shards sharing one folder --------------------------------------------------------
sh_out = absent("shards")
seen = {}
for i in (1, 2, 3):
    before = snapshot(sh_out) if os.path.isdir(sh_out) else {}
    r = batch(det_src, sh_out, "--shard", f"{i}/3")
    c = batch_counts(r.stderr)
    mine = outputs_of([n for k, n in enumerate(det_names) if k % 3 == i - 1])
    check(r.returncode == 0, f"shard {i}/3: exit 0, got {r.returncode}: {r.stderr.strip()[-1000:]}")
    check(c and c["shard"] == f"{i}/3" and c["total"] == 18 and c["documents"] == 6 and c["written"] == 6
          and c["unchanged"] == 0 and c["failed"] == 0,
          f"shard {i}/3: '6 documents (shard {i}/3 of 18): 6 written', got {c}")
    after = snapshot(sh_out)
    diff = changed(before, after) - {MANIFEST}
    check(diff == mine, f"shard {i}/3: wrote exactly its slice, got extra {sorted(diff - mine)} missing {sorted(mine - diff)}")
    check(all(after[n] == before[n] for n in before if n != MANIFEST), f"shard {i}/3: earlier shards' files untouched")
    for n in diff:
        check(n not in seen, f"shard {i}/3: {n} not written twice")
        seen[n] = i
check(set(seen) == outputs_of(det_names), f"shards: the union is all 18 documents, got {len(seen)} files")
sh_bytes = file_bytes(sh_out)
check(same_bytes(sh_bytes, b1, outputs_of(det_names)), "shards: the same bytes as one whole run")
sh_manifest = load_json(os.path.join(sh_out, MANIFEST))
check(sorted(sh_manifest["outputs"]) == sorted(det_names) and all(e["input"] for e in sh_manifest["outputs"].values()),
      "shards: the shared manifest has all 18 valid entries")
before = snapshot(sh_out)
r = batch(det_src, sh_out)
c = batch_counts(r.stderr)
check(r.returncode == 0 and c and c["unchanged"] == 18 and changed(before, snapshot(sh_out)) == set(),
      f"shards: a whole run afterwards finds all 18 unchanged, got {c}")

# ---- 5. interrupt: a truthful manifest, no temporary files, and a re-run completes ----------
big_src = copy_example("gia-lai-huyen", "big-src")
big_rows = []
for k in range(300):
    row = dict(rows[k % len(rows)])
    row["ma_huyen"] = f'{row["ma_huyen"]}-{k + 1:03d}'
    big_rows.append(row)
write_csv_rows(os.path.join(big_src, "data.csv"), header, big_rows)
big_out = absent("big-out")
proc = subprocess.Popen([VANBAN, "batch", os.path.join(big_src, "template.json"), "--data",
                         os.path.join(big_src, "data.csv"), "-o", big_out, "-j", "1"],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
time.sleep(0.3)
deadline = time.monotonic() + 20
while proc.poll() is None and time.monotonic() < deadline and not (
        os.path.isdir(big_out) and any(n.endswith(".pdf") for n in os.listdir(big_out))):
    time.sleep(0.01)
running = proc.poll() is None
check(running, "interrupt: the 300-document batch is still running when SIGINT is sent")
if running:
    proc.send_signal(signal.SIGINT)
_, err = proc.communicate(timeout=60)
check(proc.returncode == 130, f"interrupt: exit 130, got {proc.returncode}: {err.strip()[-1000:]}")
c = batch_counts(err)
check(c is not None and c["not_started"] > 0 and c["failed"] == 0 and c["written"] + c["not_started"] == 300,
      f"interrupt: summary counts written + not started = 300, got {c}")
check("interrupted:" in err, "interrupt: the summary says the run was interrupted")
big_manifest = load_json(os.path.join(big_out, MANIFEST))
valid = {n: e for n, e in big_manifest["outputs"].items() if e["input"]}
check(c is not None and len(valid) == c["written"], f"interrupt: every written document is recorded, {len(valid)} entries vs {c}")
bad = []
for name, e in valid.items():
    for file, rec in e["files"].items():
        p = os.path.join(big_out, file)
        if not os.path.isfile(p) or os.path.getsize(p) != rec["size"]:
            bad.append(file)
        else:
            with open(p, "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() != rec["sha256"]:
                    bad.append(file)
check(not bad and valid, f"interrupt: recorded files exist with their sizes and digests, bad {bad[:5]}")
listed = {f for e in big_manifest["outputs"].values() for f in e["files"]}
check({n for n in os.listdir(big_out) if n != MANIFEST} <= listed,
      "interrupt: every file in the folder is listed in the manifest")
leftovers = [n for n in os.listdir(big_out) if ".tmp" in n]
check(not leftovers, f"interrupt: no temporary file left, found {leftovers[:5]}")
r = run("batch", os.path.join(big_src, "template.json"), "--data", os.path.join(big_src, "data.csv"), "-o", big_out)
c2 = batch_counts(r.stderr)
check(r.returncode == 0, f"after interrupt: re-run exits 0, got {r.returncode}: {r.stderr.strip()[-1000:]}")
check(c2 is not None and c2["unchanged"] == len(valid) and c2["written"] == 300 - len(valid) and c2["failed"] == 0,
      f"after interrupt: re-run keeps the {len(valid)} finished documents and writes the rest, got {c2}")
final = load_json(os.path.join(big_out, MANIFEST))["outputs"]
check(len(final) == 300 and all(e["input"] for e in final.values()), "after interrupt: 300 valid manifest entries")
check(len([n for n in os.listdir(big_out) if n.endswith(".pdf")]) == 300, "after interrupt: 300 PDFs")

# ---- 6. render --data: one document from a template -------------------------------------------
bc = os.path.join(SOURCE, "examples/bao-cao-dinh-ky")
rd = fresh("render-data")
r = run("render", os.path.join(bc, "template.json"), "--data", os.path.join(bc, "data.json"), "-o", rd)
check(r.returncode == 0, f"render --data: exit 0, got {r.returncode}: {r.stderr.strip()}")
stem = "152-bc-ubnd-6-thang-dau-nam-2024"
check(sorted(os.listdir(rd)) == [stem + ".pdf", stem + ".xlsx"], f"render --data: named from the template, got {os.listdir(rd)}")
if os.path.isfile(os.path.join(rd, stem + ".pdf")):
    text = pdf_text(os.path.join(rd, stem + ".pdf"))
    at = text.find("KẾT QUẢ THỰC HIỆN CHỈ TIÊU GIẢM NGHÈO")
    check(at > 0, "render --data: the annex title in upper case")
    main, annex = text[:at], text[at:]
    data = load_json(os.path.join(bc, "data.json"))
    for phrase in ("Số: 152/BC-UBND", "Kbang, ngày 14 tháng 6 năm 2024", "6 tháng đầu năm 2024",
                   "toàn huyện có 18.286 hộ dân cư", "có 207 hộ nghèo đủ điều kiện thoát nghèo, đạt 41,99%",
                   "tỷ lệ hộ nghèo toàn huyện còn 8,58%", "rà soát cuối năm 2023"):
        check(phrase in main, f"render --data: the report states {phrase!r}")
    check("(Số liệu ước đến ngày 30/6/2024)" in annex, "render --data: annex subtitle from data")
    check("Toàn huyện 18.286 2.059 11,26 493 207 41,99 1.852" in annex, "render --data: annex total row")
    for i, x in enumerate(data["cac_xa"], 1):
        line = f'{i} {x["don_vi"]} {vn(x["ho"])} {vn(x["ngheo"])} {vn(Decimal(x["ngheo"]) / Decimal(x["ho"]) * 100, 2)}'
        check(line in annex, f"render --data: annex row {line!r}")
    check("1 Thị trấn Kbang 4.108 45 1,10" in annex, "render --data: the town's row")

huyen = os.path.join(SOURCE, "examples/gia-lai-huyen")
rn = absent("render-norow")
r = run("render", os.path.join(huyen, "template.json"), "--data", os.path.join(huyen, "data.csv"), "-o", rn)
check(r.returncode == 1, f"render, per-row template, 17 records, no --row: exit 1, got {r.returncode}")
check("data.csv" in r.stderr and "--row" in r.stderr and "vanban batch" in r.stderr and "17 records" in r.stderr,
      f"render without --row: the message tells to use --row N or vanban batch: {r.stderr.strip()}")
check(not os.path.exists(rn), "render without --row: nothing written")
r = run("render", os.path.join(huyen, "template.json"), "--data", os.path.join(huyen, "data.csv"), "-o", rn, "--row", "2")
check(r.returncode == 0, f"render --row 2: exit 0, got {r.returncode}: {r.stderr.strip()}")
written = sorted(os.listdir(rn)) if os.path.isdir(rn) else []
check(written == ["dak-doa" + PLAN_SUFFIX + ".pdf", "dak-doa" + PLAN_SUFFIX + ".xlsx"],
      f"render --row 2: the second record's document, got {written}")
if os.path.isdir(rn):
    check_plan(rn, read_csv_rows(os.path.join(huyen, "data.csv"))[1][1], "render --row 2")
r = run("render", os.path.join(huyen, "template.json"), "--data", os.path.join(huyen, "data.csv"), "-o", rn, "--row", "18")
check(r.returncode == 1 and "--row 18" in r.stderr and "17" in r.stderr,
      f"render --row 18 of 17: exit 1 with a message, got {r.returncode}: {r.stderr.strip()}")

# ---- 7. a template rendered without --data ------------------------------------------------------
nd = absent("render-nodata")
r = run("render", os.path.join(huyen, "template.json"), "-o", nd)
check(r.returncode == 1, f"template without --data: exit 1, got {r.returncode}")
check("template.json:/template:" in r.stderr and "--data" in r.stderr,
      f"template without --data: the message names /template and says to give --data: {r.stderr.strip()}")
check(not os.path.exists(nd), "template without --data: no output")

# ---- 7. integrity: one run at a time, outputs changed by hand, --verify, safe --prune --------
import hashlib
import subprocess
import time

def manifest_matches(out):
    """Every output listed in the manifest is on disk with its size and digest, and every file is listed."""
    m = json.load(open(os.path.join(out, MANIFEST), encoding="utf-8"))
    listed = set()
    for entry in m["outputs"].values():
        for f, rec in entry["files"].items():
            listed.add(f)
            p = os.path.join(out, f)
            if not os.path.isfile(p) or os.path.getsize(p) != rec["size"]:
                return False
            if hashlib.sha256(open(p, "rb").read()).hexdigest() != rec["sha256"]:
                return False
    return listed == {f for f in os.listdir(out) if f != MANIFEST}

conc_src = copy_example("gia-lai-huyen", "conc-src")
conc = absent("conc-out")
args = [VANBAN, "batch", os.path.join(conc_src, "template.json"), os.path.join(conc_src, "tong-hop.json"),
        "--data", os.path.join(conc_src, "data.csv"), "-o", conc, "-j", "1"]
# A run finding the folder held by another waits for it (the test holds the lock itself).
import fcntl
os.makedirs(conc)
held = os.open(conc, os.O_RDONLY)
fcntl.flock(held, fcntl.LOCK_EX)
waiter = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
time.sleep(1.0)
still_waiting = waiter.poll() is None
fcntl.flock(held, fcntl.LOCK_UN)
os.close(held)
ow, ew = waiter.communicate(timeout=300)
check(still_waiting and waiter.returncode == 0 and "waiting: another vanban batch is writing into" in ew,
      f"a second run waits for the folder and then completes ({waiter.returncode} {ew[-300:]})")
# Two runs started together leave a folder that matches its manifest.
first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
second = subprocess.Popen(args + ["--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
o1, e1 = first.communicate(timeout=300)
o2, e2 = second.communicate(timeout=300)
check(first.returncode == 0 and second.returncode == 0, f"two runs at once: both succeed ({e1[-300:]} {e2[-300:]})")
check(manifest_matches(conc), "two runs at once: every file matches the manifest")
r = batch(conc_src, conc)
check(r.returncode == 0 and "18 unchanged" in r.stderr, f"two runs at once: a third run finds everything unchanged ({r.stderr[-200:]})")

# An output replaced by hand with a file of the same size is noticed and rebuilt.
victim = os.path.join(conc, SUMMARY_STEM + ".pdf")
good = open(victim, "rb").read()
open(victim, "wb").write(b"x" * len(good))
r = batch(conc_src, conc)
check(r.returncode == 0 and "1 written" in r.stderr and open(victim, "rb").read() == good,
      f"same-size replacement: rebuilt ({r.stderr[-200:]})")
# The same with its time put back is found only by --verify.
st = os.stat(victim)
open(victim, "wb").write(b"y" * len(good))
os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns))
r = batch(conc_src, conc)
check(r.returncode == 0 and "18 unchanged" in r.stderr, "same size and time: trusted without --verify")
r = batch(conc_src, conc, "--verify")
check(r.returncode == 0 and "1 written" in r.stderr and open(victim, "rb").read() == good,
      f"--verify: re-hashes and rebuilds ({r.stderr[-200:]})")

# --prune never deletes a file that an edited manifest names but vanban did not write.
notes = os.path.join(conc, "notes.txt")
open(notes, "w").write("ghi chú của văn thư")
m = json.load(open(os.path.join(conc, MANIFEST), encoding="utf-8"))
m["outputs"]["ghi-chu"] = {"input": "", "tool": "x", "files": {"notes.txt": {"size": 5, "sha256": "0" * 64}}}
json.dump(m, open(os.path.join(conc, MANIFEST), "w", encoding="utf-8"))
r = batch(conc_src, conc, "--prune")
check(r.returncode == 0 and os.path.exists(notes), f"--prune: a user's file named in an edited manifest survives ({r.stderr[-300:]})")

finish()
