"""Golden layout tests: the `vanban dump` of every example (for a template
folder: of each template, bound with the first record) must equal
tests/golden/<example>/<template>.layout.txt. After an intended layout
change, regenerate them with `bash tools/update-golden.sh` and review the diff."""
import difflib
import glob
import os

from e2e import OUT, SOURCE, check, finish, fresh, run

UPDATE = os.environ.get("VANBAN_UPDATE_GOLDEN") == "1"


def cases():
    """(example, golden file name, vanban arguments) for every example."""
    out = []
    for doc in sorted(glob.glob(os.path.join(SOURCE, "examples", "*", "document.json"))):
        out.append((os.path.basename(os.path.dirname(doc)), "layout.txt", ["render", doc]))
    for tpl_dir in sorted({os.path.dirname(p) for p in glob.glob(os.path.join(SOURCE, "examples", "*", "template.json"))}):
        data = os.path.join(tpl_dir, "data.csv")
        if not os.path.exists(data):
            data = os.path.join(tpl_dir, "data.json")
        for tpl in sorted(glob.glob(os.path.join(tpl_dir, "*.json"))):
            with open(tpl, encoding="utf-8") as f:
                if '\n  "template"' not in f.read():
                    continue
            stem = os.path.splitext(os.path.basename(tpl))[0]
            name = "layout.txt" if stem == "template" else stem + ".layout.txt"
            out.append((os.path.basename(tpl_dir), name, ["render", tpl, "--data", data, "--row", "1"]))
    return out


for example, name, args in cases():
    work = fresh(example + "-" + name)
    dump = os.path.join(work, "layout.txt")
    r = run(*args, "-o", work, "--dump", dump, "-q")
    check(r.returncode == 0, f"{example}/{name}: render failed: {r.stderr}")
    if r.returncode != 0:
        continue
    with open(dump, encoding="utf-8") as f:
        got = f.read()
    golden = os.path.join(SOURCE, "tests", "golden", example, name)
    if UPDATE:
        os.makedirs(os.path.dirname(golden), exist_ok=True)
        with open(golden, "w", encoding="utf-8") as f:
            f.write(got)
        print("updated", os.path.relpath(golden, SOURCE))
        continue
    check(os.path.exists(golden), f"{example}/{name}: no golden file {golden} (run tools/update-golden.sh)")
    if not os.path.exists(golden):
        continue
    with open(golden, encoding="utf-8") as f:
        want = f.read()
    same = got == want
    check(same, f"{example}/{name}: layout differs from tests/golden/{example}/{name}")
    if not same:
        diff = difflib.unified_diff(want.splitlines(), got.splitlines(), "golden", "now", lineterm="", n=1)
        for i, line in enumerate(diff):
            if i >= 40:
                print("  …")
                break
            print("  " + line)

finish()
