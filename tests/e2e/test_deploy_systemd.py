"""deploy/vanban.service: `systemd-analyze verify` accepts it (in a root laid
out as the README's install commands lay it: the binary in /usr/local/bin,
the fonts in /usr/local/share/vanban/fonts, the workspace /srv/vanban), its
hardening is rated by `systemd-analyze security`, and each of its ExecStart
command lines (the one in force and the commented one for an office network)
runs: every option is one of `vanban serve`, the workspace is the unit's
WorkingDirectory and its only ReadWritePaths, and the server started with
those arguments (loopback port 0 for its port) answers /healthz and renders."""
import json
import os
import re
import shlex
import shutil
import subprocess

from e2e import SOURCE, VANBAN, check, finish, fresh, tool
from serve import inline_document

work = fresh("deploy_systemd")
UNIT = os.path.join(SOURCE, "deploy", "vanban.service")


def parse_unit(path):
    """{section: [(key, value)]} and the commented-out ExecStart lines."""
    sections, alternatives, cur = {}, [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = line.strip()
            m = re.match(r"#\s*ExecStart=(.*)", s)
            if m:
                alternatives.append(m.group(1))
            if not s or s[0] in "#;":
                continue
            if s.startswith("["):
                cur = sections.setdefault(s.strip("[]"), [])
                continue
            k, _, v = s.partition("=")
            cur.append((k.strip(), v.strip()))
    return sections, alternatives


unit, alternatives = parse_unit(UNIT)
service = unit.get("Service", [])
get = lambda key: [v for k, v in service if k == key]
exec_start = get("ExecStart")
check(len(exec_start) == 1 and len(alternatives) == 1, f"one ExecStart and one commented alternative ({exec_start}, {alternatives})")
workdir = get("WorkingDirectory")[0]
check(get("ReadWritePaths") == [workdir] and get("ProtectSystem") == ["strict"],
      f"the unit may write only its workspace ({get('ReadWritePaths')}, ProtectSystem={get('ProtectSystem')})")
check(get("User") == ["vanban"] and get("Group") == ["vanban"], "the unit runs as the user vanban")

# The README's install commands are those the unit expects.
with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as f:
    readme = f.read()
for cmd in ("install -m755 build/vanban build/vanban-serve /usr/local/bin/", "install -d /usr/local/share/vanban/fonts",
            f"useradd --system --home-dir {workdir} vanban", f"install -d -o vanban -g vanban {workdir}",
            "cp deploy/vanban.service /etc/systemd/system/"):
    check(cmd in readme, f"README gives the install step: {cmd}")

# A root laid out as the README installs it.
root = os.path.join(work, "root")
shutil.copytree("/usr/lib/systemd/system", os.path.join(root, "usr/lib/systemd/system"), symlinks=True)
os.makedirs(os.path.join(root, "usr/local/bin"))
binary = os.path.join(root, "usr/local/bin/vanban")
shutil.copy2(VANBAN, binary)
shutil.copy2(os.path.join(os.path.dirname(VANBAN), "vanban-serve"), os.path.join(root, "usr/local/bin/vanban-serve"))
fonts = os.path.join(root, "usr/local/share/vanban/fonts")
os.makedirs(fonts)
for f in os.listdir(os.path.join(SOURCE, "fonts")):
    shutil.copy2(os.path.join(SOURCE, "fonts", f), fonts)
ws = os.path.join(root, workdir.lstrip("/"))
os.makedirs(ws)
os.makedirs(os.path.join(root, "etc/systemd/system"))
shutil.copy2(UNIT, os.path.join(root, "etc/systemd/system/vanban.service"))

out, rc = tool("systemd-analyze", "verify", f"--root={root}", "vanban.service")
check(rc == 0 and out.strip() == "", f"systemd-analyze verify: no complaint (exit {rc}: {out.strip()})")
out, rc = tool("systemd-analyze", "security", "--offline=true", f"--root={root}", "vanban.service")
m = re.search(r"Overall exposure level for vanban.service: ([0-9.]+) (\w+)", out)
print("systemd-analyze security:", m.group(0) if m else out[-300:])
check(m and m.group(2) == "OK", "systemd-analyze security rates the unit's hardening OK")

# Every option of every ExecStart is one of `vanban serve`.
help_text, _ = tool(VANBAN, "serve", "--help")
known = set(re.findall(r"--[a-z][a-z-]*", help_text))
token = os.path.join(work, "token")
with open(token, "w") as f:
    f.write("a3f9c2d17b8e4a6f90c1d2e3f4a5b6c7\n")
os.chmod(token, 0o600)
doc = json.dumps(inline_document(os.path.join(SOURCE, "examples", "cong-van")), ensure_ascii=False).encode()

for line in exec_start + alternatives:
    argv = shlex.split(line)
    check(argv[:2] == ["/usr/local/bin/vanban", "serve"], f"ExecStart runs /usr/local/bin/vanban serve: {line}")
    opts = [a for a in argv if a.startswith("--")]
    check(all(o in known for o in opts), f"every option is one of `vanban serve --help`: {opts}")
    args = dict(zip(argv, argv[1:]))
    check(args.get("--workspace") == workdir, f"--workspace is the WorkingDirectory {workdir}: {line}")
    # Run it: the installed binary, the root's workspace, a free loopback port.
    run_argv = [binary] + argv[1:]
    for i, a in enumerate(run_argv):
        if a == workdir:
            run_argv[i] = ws
        elif run_argv[i - 1] == "--listen":
            host = a.rsplit(":", 1)[0]
            run_argv[i] = "127.0.0.1:0"
        elif run_argv[i - 1] == "--token-file":
            run_argv[i] = token
    if host != "127.0.0.1":
        # Not on loopback: without its token file the server refuses to start.
        bare = [a for a in argv[1:] if a not in ("--token-file", args.get("--token-file"))]
        bare = [ws if a == workdir else a for a in bare]
        bare[bare.index("--listen") + 1] = host + ":0"
        r = subprocess.run([binary] + bare, cwd=ws, capture_output=True, text=True, timeout=30)
        check(r.returncode != 0 and "--token-file" in r.stderr,
              f"listening on {host} without the token file is refused ({r.returncode}: {r.stderr.strip()[:200]})")
    proc = subprocess.Popen(run_argv, cwd=ws, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        check(m is not None, f"the server starts with the unit's arguments ({first.strip()} {'' if m else proc.stderr.read()})")
        if m:
            import http.client
            auth = {"Authorization": "Bearer " + open(token).read().strip()} if "--token-file" in argv else {}
            conn = http.client.HTTPConnection("127.0.0.1", int(m.group(1)), timeout=60)
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            check(r.status == 200 and json.loads(r.read())["ok"] is True, f"/healthz answers ({line})")
            conn.request("POST", "/api/render?format=pdf", body=doc, headers={"Content-Type": "application/json", **auth})
            r = conn.getresponse()
            body = r.read()
            pdf = os.path.join(work, "cong-van.pdf")
            with open(pdf, "wb") as f:
                f.write(body)
            text, _ = tool("pdftotext", "-layout", pdf, "-")
            check(r.status == 200 and "312/SNV-VTLT" in text, f"a render through the unit's server: {r.status}")
            conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    left = [n for n in os.listdir(ws)]
    check(left == [], f"nothing left in the workspace after the server stops ({left})")
finish()
