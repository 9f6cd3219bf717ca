"""Bad templates and bad data in a batch: every problem is reported with its
place (body.md:LINE:COL, a JSON pointer, data.csv:LINE:COL) and the data
record it concerns; the rows that are fine are still produced; a failing row
leaves no file (and no temporary file) behind; output names never leave the
output folder."""
import os
import re

from e2e import (OUT, SOURCE, absent, batch_counts, check, copy_example, finish, pdf_text, read_csv_rows, run,
                 snapshot, write_csv_rows)

PLAN = "-ke-hoach-giam-ngheo-2024"
SUMMARY = "tinh-gia-lai-giao-chi-tieu-giam-ngheo-2024"
MANIFEST = ".vanban-manifest.json"
HEADER, ROWS = read_csv_rows(os.path.join(SOURCE, "examples/gia-lai-huyen/data.csv"))
MA = [r["ma_huyen"] for r in ROWS]


def line_of(ma):
    """The data.csv line of a district's record (the header is line 1)."""
    return MA.index(ma) + 2


def setup(name):
    """A scratch copy of the districts example and an output folder that does not exist yet."""
    return copy_example("gia-lai-huyen", name + "-src"), absent(name + "-out")


def edit(path, old, new, count=1):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    check(old in text, f"{path} contains {old!r} to edit")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, count))
    return text.replace(old, new, count)


def batch(src, out, *args, summary=False):
    templates = [os.path.join(src, "template.json")] + ([os.path.join(src, "tong-hop.json")] if summary else [])
    return run("batch", *templates, "--data", os.path.join(src, "data.csv"), "-o", out, "-q", *args)


def position(text, needle, occurrence=0):
    """(line, column) of `needle` in `text`, 1-based, the column in code points."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.find(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return line, column


def data_ref(line):
    """A regex for "data.csv:<line>" not followed by another digit."""
    return rf"data\.csv:{line}(?!\d)"


def failure_block(log, stem):
    """The lines printed under "FAILED <stem> (…):" in a batch summary."""
    m = re.search(rf"^FAILED {re.escape(stem)} \(.*\n((?:  .*\n)*)", log, re.M)
    return m.group(1) if m else ""


def check_outputs(out, written, failed, what, judged_apart=()):
    """Exactly the documents `written` exist (PDF and workbook); nothing of the `failed`
    ones and no temporary file is left. Files of the stems `judged_apart` are left to
    the caller's own checks."""
    names = set(os.listdir(out)) if os.path.isdir(out) else set()
    want = {s + ext for s in written for ext in (".pdf", ".xlsx")}
    apart = {s + ext for s in judged_apart for ext in (".pdf", ".xlsx")}
    extra = names - want - apart - {MANIFEST}
    check(want <= names, f"{what}: the other documents were produced, missing {sorted(want - names)[:6]}")
    check(not extra, f"{what}: no other file in the output folder, found {sorted(extra)[:6]}")
    for s in failed:
        left = [n for n in names if n.startswith(s + ".") or n.startswith("." + s)]
        check(not left, f"{what}: nothing left for the failing {s}, found {left}")
    check(not [n for n in names if ".tmp" in n], f"{what}: no temporary file left")
    for s in written:
        pdf = os.path.join(out, s + ".pdf")
        if os.path.isfile(pdf):
            with open(pdf, "rb") as f:
                check(f.read(5) == b"%PDF-", f"{what}: {s}.pdf is a PDF")


def check_summary_refused(out, log, line, what):
    """The provincial summary is built from every record: with a record unreadable its
    "Tổng cộng toàn tỉnh" would be wrong, so it must fail naming the unreadable row (as
    `vanban render --data` refuses it) rather than be written from the other districts."""
    check(not os.path.exists(os.path.join(out, SUMMARY + ".pdf")) and not os.path.exists(os.path.join(out, SUMMARY + ".xlsx")),
          f"{what}: the provincial summary is not written from incomplete data")
    block = failure_block(log, SUMMARY)
    check(re.search(data_ref(line), block) is not None,
          f"{what}: the summary fails naming data.csv:{line}, got {block[:300]!r}")


# ---- an unknown placeholder in the shared body: every row fails, each with its record ----
src, out = setup("unknown-name")
body = edit(os.path.join(src, "body.md"), "toàn {{cap}} có", "toàn {{cap}} {{ten_huyn}} có")
line, col = position(body, "{{ten_huyn}}")
r = batch(src, out)
check(r.returncode == 1, f"unknown name: exit 1, got {r.returncode}")
c = batch_counts(r.stderr)
check(c and c["documents"] == 17 and c["failed"] == 17 and c["written"] == 0, f"unknown name: all 17 rows fail, got {c}")
where = f"body.md:{line}:{col}: error: "
lines = [l for l in r.stderr.splitlines() if where in l and "ten_huyn" in l]
check(len(lines) == 17, f"unknown name: one message at {where!r} per row, got {len(lines)}: {r.stderr[:600]}")
for ma in MA:
    ok = any(re.search(data_ref(line_of(ma)), l) for l in lines)
    check(ok, f"unknown name: the message for {ma} names data.csv:{line_of(ma)}")
check(all("no value named 'ten_huyn'" in l for l in lines), "unknown name: the message says the name has no value")
check_outputs(out, [], [m + PLAN for m in MA], "unknown name")

# ---- a name whose value is empty in one row only: that row fails, the others are produced ----
src, out = setup("empty-cell")
rows = [dict(r) for r in ROWS]
rows[MA.index("pleiku")]["ten"] = ""
write_csv_rows(os.path.join(src, "data.csv"), HEADER, rows)
r = batch(src, out, summary=True)
check(r.returncode == 1, f"empty cell: exit 1, got {r.returncode}")
c = batch_counts(r.stderr)
check(c and c["documents"] == 18 and c["written"] == 17 and c["failed"] == 1, f"empty cell: 17 written, 1 failed, got {c}")
block = failure_block(r.stderr, "pleiku" + PLAN)
check(re.search(data_ref(line_of("pleiku")), block) and "'ten'" in block and "is empty" in block,
      f"empty cell: the failure names data.csv:{line_of('pleiku')} and the empty 'ten': {block[:400]}")
check("template.json:/issuer/name/1: error: " in block and "template.json:/summary: error: " in block,
      "empty cell: located at the JSON pointers of the strings that need it")
with open(os.path.join(src, "body.md"), encoding="utf-8") as f:
    body = f.read()
l1, c1 = position(body, "{{ten}}")
check(f"body.md:{l1}:{c1}: error: " in block, f"empty cell: located in body.md at {l1}:{c1}")
check_outputs(out, [m + PLAN for m in MA if m != "pleiku"] + [SUMMARY], ["pleiku" + PLAN], "empty cell")
# Filled in: only that row's document is written; the summary does not read `ten`, so it is unchanged.
before = snapshot(out)
write_csv_rows(os.path.join(src, "data.csv"), HEADER, ROWS)
r = batch(src, out, summary=True)
c = batch_counts(r.stderr)
check(r.returncode == 0 and c and c["written"] == 1 and c["unchanged"] == 17,
      f"empty cell filled in: exit 0, '1 written, 17 unchanged', got {r.returncode} {c}")
after = snapshot(out)
check({n for n in after if after[n] != before.get(n)} - {MANIFEST} == {"pleiku" + PLAN + ".pdf", "pleiku" + PLAN + ".xlsx"},
      "empty cell filled in: only Pleiku's files written")
if os.path.isfile(os.path.join(out, "pleiku" + PLAN + ".pdf")):
    check("trên địa bàn thành phố Pleiku" in pdf_text(os.path.join(out, "pleiku" + PLAN + ".pdf")),
          "empty cell filled in: Pleiku's plan names the city")

# ---- rows with a wrong number of fields: those rows are reported, the others produced ----
src, out = setup("field-count")
text = edit(os.path.join(src, "data.csv"), "ia-pa,Huyện Ia Pa,Ia Pa,", "ia-pa,Huyện Ia Pa,Ia Pa,thừa,")
edit(os.path.join(src, "data.csv"), "dak-po,Huyện Đak Pơ,Đak Pơ,huyện,11650,", "dak-po,Huyện Đak Pơ,Đak Pơ,huyện,")
with open(os.path.join(src, "data.csv"), encoding="utf-8") as f:
    text = f.read()
ia_line = text.splitlines()[line_of("ia-pa") - 1]
dp_line = text.splitlines()[line_of("dak-po") - 1]
ia_col = ia_line.rfind(",") + 2           # the ninth field
dp_col = len(dp_line) + 1                 # the end of the line, where the eighth field is missing
r = batch(src, out, summary=True)
check(r.returncode == 1, f"field count: exit 1, got {r.returncode}")
check(re.search(rf"data\.csv:{line_of('ia-pa')}:{ia_col}: error: .*expected 8, found 9", r.stderr),
      f"field count: data.csv:{line_of('ia-pa')}:{ia_col} with 'expected 8, found 9': {r.stderr[-800:]}")
check(re.search(rf"data\.csv:{line_of('dak-po')}:{dp_col}: error: .*expected 8, found 7", r.stderr),
      f"field count: data.csv:{line_of('dak-po')}:{dp_col} with 'expected 8, found 7'")
# The unreadable rows count as failed documents in the summary, each with its location.
check(len(re.findall(r"^FAILED [^\n]*data\.csv:\d+:\d+", r.stderr, re.M)) >= 2,
      f"field count: both unreadable rows are listed as failed documents: {r.stderr[-800:]}")
bad = ["ia-pa", "dak-po"]
plans_ok = [m + PLAN for m in MA if m not in bad]
check(all(os.path.isfile(os.path.join(out, s + ".pdf")) for s in plans_ok), "field count: the 15 other plans are produced")
check_outputs(out, plans_ok, [m + PLAN for m in bad], "field count", judged_apart=[SUMMARY])
check_summary_refused(out, r.stderr, line_of("ia-pa"), "field count")

# ---- an unterminated quote: reading stops there; the records before it are produced ----
src, out = setup("open-quote")
text = edit(os.path.join(src, "data.csv"), "ia-pa,Huyện Ia Pa,", 'ia-pa,"Huyện Ia Pa,')
q_line, q_col = line_of("ia-pa"), len("ia-pa,") + 1
r = batch(src, out, summary=True)
check(r.returncode == 1, f"open quote: exit 1, got {r.returncode}")
check(re.search(rf"data\.csv:{q_line}:{q_col}: error: unterminated quoted field", r.stderr),
      f"open quote: data.csv:{q_line}:{q_col} 'unterminated quoted field': {r.stderr[-600:]}")
check("never closed" in r.stderr and "not read" in r.stderr, "open quote: says the records from there on are not read")
before_quote = MA[:MA.index("ia-pa")]
check(all(os.path.isfile(os.path.join(out, m + PLAN + ".pdf")) for m in before_quote),
      f"open quote: the {len(before_quote)} plans before the quote are produced")
check_outputs(out, [m + PLAN for m in before_quote], [m + PLAN for m in MA[len(before_quote):]], "open quote",
              judged_apart=[SUMMARY])
check_summary_refused(out, r.stderr, q_line, "open quote")

# ---- two rows with the same output name: both fail, naming each other; unique names are written ----
src, out = setup("collision")
r = batch(src, out, "--name", "{{cap}}")
check(r.returncode == 1, f"collision: exit 1, got {r.returncode}")
c = batch_counts(r.stderr)
check(c and c["written"] == 1 and c["failed"] == 16, f"collision: 1 written, 16 failed, got {c}")
tx = [m for m in MA if ROWS[MA.index(m)]["cap"] == "thị xã"]
check(len(tx) == 2, "collision: the data has two thị xã")
for a, b in ((tx[0], tx[1]), (tx[1], tx[0])):
    m = re.search(rf"^  \S*data\.csv:{line_of(a)}: error: the output name \"thị xã\" is also the output name of "
                  rf"\S*data\.csv:{line_of(b)} \(\"thị xã\"\)", r.stderr, re.M)
    check(m is not None, f"collision: data.csv:{line_of(a)} names data.csv:{line_of(b)} as the other source")
huyen = [m for m in MA if ROWS[MA.index(m)]["cap"] == "huyện"]
first = failure_block(r.stderr, "huyện")
check(all(re.search(data_ref(line_of(m)), first) for m in huyen),
      "collision: the first 'huyện' failure names every other row named 'huyện'")
check_outputs(out, ["thành phố"], ["huyện", "thị xã"], "collision")
if os.path.isfile(os.path.join(out, "thành phố.pdf")):
    check("trên địa bàn thành phố Pleiku" in pdf_text(os.path.join(out, "thành phố.pdf")),
          "collision: 'thành phố.pdf' is Pleiku's plan")

# ---- a value that is not a number where the template computes: that row fails ----
src, out = setup("not-a-number")
rows = [dict(r) for r in ROWS]
rows[MA.index("ia-pa")]["tong_ho"] = "mười nghìn"
write_csv_rows(os.path.join(src, "data.csv"), HEADER, rows)
r = batch(src, out, summary=True)
check(r.returncode == 1, f"not a number: exit 1, got {r.returncode}")
c = batch_counts(r.stderr)
check(c and c["written"] == 16 and c["failed"] == 2, f"not a number: 16 plans written, the row and the summary fail, got {c}")
block = failure_block(r.stderr, "ia-pa" + PLAN)
check("template.json:/template/let/ty_le_ngheo: error: " in block and '"mười nghìn", not a number' in block
      and re.search(data_ref(line_of("ia-pa")), block),
      f"not a number: the let value's message names the field, the value and data.csv:{line_of('ia-pa')}: {block[:500]}")
check("template.json:/annexes/0/rows/0/c3: error: " in block, "not a number: the annex cell that needs it is located")
summary_block = failure_block(r.stderr, SUMMARY)
check("mười nghìn" in summary_block, f"not a number: the summary's failure shows the value: {summary_block[:300]}")
check(re.search(data_ref(line_of("ia-pa")), summary_block) is not None,
      f"not a number: the summary's failure names the record data.csv:{line_of('ia-pa')}: {summary_block[:300]}")
check_outputs(out, [m + PLAN for m in MA if m != "ia-pa"], ["ia-pa" + PLAN, SUMMARY], "not a number")

# ---- a NUL byte in the data: the whole file is refused, located ----
src, out = setup("nul-byte")
with open(os.path.join(src, "data.csv"), "rb") as f:
    raw = f.read()
line2 = raw.index(b"\n") + 1
with open(os.path.join(src, "data.csv"), "wb") as f:
    f.write(raw[:line2 + 3] + b"\x00" + raw[line2 + 3:])
r = batch(src, out)
check(r.returncode == 1 and "data.csv:2:4: error: the data holds the control character U+0000" in r.stderr,
      f"NUL byte: exit 1, located at data.csv:2:4: {r.stderr[-300:]}")
check(not os.path.exists(out), "NUL byte: nothing written")

# ---- unsafe names: a pattern or data that try to leave the output folder ----
base = absent("unsafe")
os.makedirs(base)
src = copy_example("gia-lai-huyen", "unsafe/src")
out = os.path.join(base, "out")
rows = [dict(r) for r in ROWS]
rows[0]["ma_huyen"] = "../../" + rows[0]["ma_huyen"]
rows[1]["ma_huyen"] = "/etc/" + rows[1]["ma_huyen"]
write_csv_rows(os.path.join(src, "data.csv"), HEADER, rows)
outside = {d: set(os.listdir(d)) for d in (OUT, base, src)}
r = batch(src, out, "--name", "../{{ma_huyen}}")
check(r.returncode == 0, f"unsafe names: exit 0, got {r.returncode}: {r.stderr[-500:]}")
outside[base].add("out")
for d, names in outside.items():
    check(set(os.listdir(d)) == names, f"unsafe names: nothing created in {d} but the output folder")
check(not os.path.exists("/etc/" + MA[1] + ".pdf") and not os.path.exists(os.path.join(OUT, "..", MA[0] + ".pdf")),
      "unsafe names: nothing written at the paths the names point to")
expected = [MA[0], "etc-" + MA[1]] + MA[2:]
check_outputs(out, expected, [], "unsafe names")
names = os.listdir(out) if os.path.isdir(out) else []
check(all(not n.startswith(".") or n == MANIFEST for n in names), "unsafe names: no hidden file")
r = run("render", os.path.join(src, "template.json"), "--data", os.path.join(src, "data.csv"), "--row", "1",
        "--name", "../{{ma_huyen}}", "-o", os.path.join(base, "single"))
check(r.returncode == 0 and sorted(os.listdir(os.path.join(base, "single"))) == [MA[0] + ".pdf", MA[0] + ".xlsx"],
      f"unsafe names: render --name writes the sanitised name inside -o, got {r.returncode} {r.stderr[-300:]}")
check(set(os.listdir(base)) == {"src", "out", "single"} and set(os.listdir(OUT)) == outside[OUT],
      "unsafe names: render writes nothing outside -o")

# ---- invalid UTF-8 in the data: the whole file is refused with line:column ----
src, out = setup("bad-utf8")
path = os.path.join(src, "data.csv")
with open(path, "rb") as f:
    raw = f.read()
prefix = "ia-pa,Huyện Ia P"
raw = raw.replace(prefix.encode() + b"a", prefix.encode() + b"\xe1", 1)
with open(path, "wb") as f:
    f.write(raw)
where = f"data.csv:{line_of('ia-pa')}:{len(prefix) + 1}: error: invalid UTF-8"
for cmd in (["batch", os.path.join(src, "template.json"), "--data", path, "-o", out],
            ["render", os.path.join(src, "template.json"), "--data", path, "--row", "1", "-o", out]):
    r = run(*cmd)
    check(r.returncode == 1, f"invalid UTF-8 ({cmd[0]}): exit 1, got {r.returncode}")
    check(where in r.stderr and "0xE1" in r.stderr, f"invalid UTF-8 ({cmd[0]}): {where!r} and the byte: {r.stderr.strip()}")
    check(not os.path.exists(out) or not os.listdir(out), f"invalid UTF-8 ({cmd[0]}): nothing written")

# ---- a template error (unknown filter): nothing of the batch is rendered ----
src, out = setup("bad-filter")
body = edit(os.path.join(src, "body.md"), "{{tong_ho | number}}", "{{tong_ho | numbr}}")
line, col = position(body, "{{tong_ho | numbr}}")
r = batch(src, out, summary=True)
check(r.returncode == 1, f"unknown filter: exit 1, got {r.returncode}")
check(f"body.md:{line}:{col}: error: " in r.stderr and "numbr" in r.stderr and "'number'" in r.stderr,
      f"unknown filter: located at body.md:{line}:{col} with a suggestion: {r.stderr.strip()}")
check(r.stderr.count("error:") == 1, "unknown filter: reported once, not once per row")
check(not os.path.exists(out) or not os.listdir(out), "unknown filter: nothing rendered")

finish()
