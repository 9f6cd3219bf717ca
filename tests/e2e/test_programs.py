"""The two programs: `vanban` does not load the web server's libraries
(cpp-httplib, libssl: readelf's NEEDED), `vanban-serve` beside it does, and
`vanban serve` without vanban-serve in its folder exits 4 with a message
that names the missing program (in Vietnamese by default, English on
request) instead of a crash."""
import os
import re
import shutil
import subprocess

from e2e import VANBAN, check, finish, fresh, tool

SERVE = os.path.join(os.path.dirname(VANBAN), "vanban-serve")


def needed(program):
    out, _ = tool("readelf", "-d", program)
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


main_libs, serve_libs = needed(VANBAN), needed(SERVE)
check(any(l.startswith("libpodofo") for l in main_libs), f"readelf reads vanban's libraries: {main_libs}")
check(not any(l.startswith(("libcpp-httplib", "libssl")) for l in main_libs),
      f"vanban loads neither cpp-httplib nor libssl: {main_libs}")
check(any(l.startswith("libcpp-httplib") for l in serve_libs), f"vanban-serve links cpp-httplib: {serve_libs}")

# `serve --help` is answered by vanban itself.
out, rc = tool(VANBAN, "serve", "--help")
check(rc == 0 and "--listen" in out and "--workspace" in out, f"vanban serve --help: exit {rc}: {out[:300]}")

# vanban alone in a folder.
alone = fresh("programs")
copy = os.path.join(alone, "vanban")
shutil.copy2(VANBAN, copy)
env = {k: v for k, v in os.environ.items() if k != "VANBAN_LANG"}
r = subprocess.run([copy, "serve", "--listen", "127.0.0.1:0", "--workspace", alone], capture_output=True, text=True,
                   env=env, timeout=60)
check(r.returncode == 4, f"serve without vanban-serve: exit 4, got {r.returncode}: {r.stderr.strip()}")
check(os.path.join(alone, "vanban-serve") in r.stderr and "lỗi: không khởi động được chương trình máy chủ web" in r.stderr
      and "hãy cài vanban-serve vào cùng thư mục với vanban" in r.stderr, f"the message, in Vietnamese: {r.stderr.strip()}")
r = subprocess.run([copy, "serve", "--lang", "en"], capture_output=True, text=True, env=env, timeout=60)
check(r.returncode == 4 and "install vanban-serve in the same folder as vanban" in r.stderr,
      f"the message in English: {r.returncode}: {r.stderr.strip()}")
check(sorted(os.listdir(alone)) == ["vanban"], f"nothing written beside it: {os.listdir(alone)}")

finish()
