#!/usr/bin/env bash
# Extracts every translatable message from src/ (xgettext) and merges them into
# po/vi.po (msgmerge): new messages appear with an empty msgstr to translate,
# messages gone from the sources are dropped. Run from anywhere.
# With an argument, only writes the template (.pot) there (tests/e2e/test_catalogue.py).
set -euo pipefail
export LC_ALL=C.UTF-8  # the sources are UTF-8; only for reading them, not for choosing a language
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
pot="${1:-}"
if [[ -z "$pot" ]]; then
  pot="$(mktemp --suffix=.pot)"
  trap 'rm -f "$pot"' EXIT
fi
# The keywords: tr(code, text, …) with the code as the gettext context,
# tx(text, …), and N_(text) for texts translated later.
git ls-files -co --exclude-standard 'src/*.cpp' 'src/*.hpp' | LC_ALL=C sort |
  xgettext --language=C++ --from-code=UTF-8 --keyword= --keyword=tr:1c,2 --keyword=tx:1 --keyword=N_:1 \
           --package-name=vanban --no-wrap --sort-by-file --add-location=file --files-from=- -o "$pot" 2>"$pot.log" ||
  { cat "$pot.log" >&2; rm -f "$pot.log"; exit 1; }
# The English texts name Vietnamese terms (Công văn, Nghị định): not a problem.
grep -v -e 'contains non-ASCII characters' -e 'This will cause problems' -e 'different from yours' -e '^ ' "$pot.log" >&2 || true
rm -f "$pot.log"
if [[ "${1:-}" == "" ]]; then
  msgmerge --quiet --update --backup=none --no-fuzzy-matching --no-wrap po/vi.po "$pot"
  msgattrib --no-obsolete --no-wrap -o po/vi.po po/vi.po
fi
