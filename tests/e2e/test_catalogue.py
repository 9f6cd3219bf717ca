"""The message catalogue: extracting the messages from the sources (xgettext,
as tools/update-po.sh does) must give exactly the entries of po/vi.po, each
translated, none fuzzy, with the same placeholders; msgfmt accepts the file."""
import os
import re
import subprocess

from e2e import OUT, SOURCE, check, finish, fresh


def unquote(s):
    return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def parse_po(path):
    """{(context, msgid): (msgstr, fuzzy)} and the number of obsolete (#~) entries.
    Entries are separated by blank lines, as xgettext and msgmerge write them."""
    entries, obsolete = {}, 0
    for block in re.split(r"\n\s*\n", open(path, encoding="utf-8").read()):
        fields, key, fuzzy = {}, None, False
        for line in block.splitlines():
            if line.startswith("#~"):
                obsolete += 1
            elif line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and key:
                fields[key] += unquote(line)
            else:
                m = re.match(r'^(msgctxt|msgid|msgstr)\s+(".*")$', line)
                if m:
                    key = m.group(1)
                    fields[key] = unquote(m.group(2))
        if "msgid" in fields and fields["msgid"]:
            entries[(fields.get("msgctxt"), fields["msgid"])] = (fields.get("msgstr", ""), fuzzy)
    return entries, obsolete


def placeholders(text):
    """The argument indices a message uses: "{}" counts on, "{N}" names N."""
    used, nxt = [], 0
    for m in re.finditer(r"\{(\d*)\}", text):
        if m.group(1):
            used.append(int(m.group(1)))
        else:
            used.append(nxt)
            nxt += 1
    return sorted(used)


out = fresh("catalogue")
pot = os.path.join(out, "vanban.pot")
r = subprocess.run(["bash", os.path.join(SOURCE, "tools", "update-po.sh"), pot], capture_output=True, text=True)
check(r.returncode == 0 and os.path.exists(pot), "xgettext extracts the messages: " + r.stderr[-2000:])
template, _ = parse_po(pot)
check(len(template) > 200, f"the template holds the messages of the sources ({len(template)})")
vi, obsolete = parse_po(os.path.join(SOURCE, "po", "vi.po"))

missing = [k for k in template if k not in vi]
for ctx, msgid in missing:
    print(f"  no Vietnamese for [{ctx}] {msgid!r}")
check(not missing, f"every message has an entry in po/vi.po ({len(missing)} missing; run tools/update-po.sh and translate)")
empty = [k for k, (s, fuzzy) in vi.items() if k in template and (not s or fuzzy)]
for ctx, msgid in empty:
    print(f"  untranslated or fuzzy: [{ctx}] {msgid!r}")
check(not empty, f"every entry is translated and not fuzzy ({len(empty)})")
stale = [k for k in vi if k not in template]
for ctx, msgid in stale:
    print(f"  no longer in the sources: [{ctx}] {msgid!r}")
check(not stale and obsolete == 0, f"po/vi.po has no obsolete entries ({len(stale)} stale, {obsolete} #~ lines)")
bad = [(k, s) for k, (s, _) in vi.items() if s and placeholders(s) != placeholders(k[1])]
for (ctx, msgid), s in bad:
    print(f"  placeholders differ: {msgid!r} -> {s!r}")
check(not bad, f"every translation keeps the placeholders of its message ({len(bad)})")
same = [k for k, (s, _) in vi.items() if s and s == k[1] and re.search(r"[a-z]{3,} [a-z]{3,}", s)]
for ctx, msgid in same:
    print(f"  left in English: {msgid!r}")
check(not same, f"no sentence is left in English ({len(same)})")
r = subprocess.run(["msgfmt", "--check-header", "-o", os.devnull, os.path.join(SOURCE, "po", "vi.po")],
                   capture_output=True, text=True)
check(r.returncode == 0, "msgfmt accepts po/vi.po: " + r.stderr)

finish()
