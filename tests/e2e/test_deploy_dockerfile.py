"""deploy/Dockerfile against the binary and the build (without Docker; the
whole build and run is tools/check-dockerfile.sh): the image installs the
Debian package of every shared library the binary needs (readelf's NEEDED,
each library's package found with dpkg -S), the build stage installs the
packages of tools/deps.sh, .dockerignore keeps build folders out of COPY . .,
the workspace volume belongs to the image's user, the ENTRYPOINT and CMD
options are those of `vanban serve`, and the HEALTHCHECK asks /healthz on
the port the CMD listens on."""
import os
import re
import sys

from e2e import SOURCE, VANBAN, check, finish, fresh, tool
from serve import Server

sys.path.insert(0, os.path.join(SOURCE, "tools"))
import dockerfile  # noqa: E402

with open(os.path.join(SOURCE, "deploy", "Dockerfile"), encoding="utf-8") as f:
    stages = dockerfile.stages(f.read())
check([s["image"] for s in stages] == ["debian:12", "debian:12-slim"], f"two stages on Debian 12 ({[s['image'] for s in stages]})")
build, image = stages
runs = lambda st: [s["shell"] for s in st["steps"] if s["op"] == "RUN"]

# The build stage: tools/deps.sh, then cmake.
copies = [(s["src"], s["dest"]) for s in build["steps"] if s["op"] == "COPY"]
check((["tools/deps.sh"], "/tmp/deps.sh") in copies and any("bash /tmp/deps.sh" in r for r in runs(build)),
      "the build stage installs the packages of tools/deps.sh")
with open(os.path.join(SOURCE, ".dockerignore")) as f:
    ignored = {line.strip() for line in f if line.strip() and not line.startswith("#")}
check({"build", "build-*", ".git"} <= ignored, f".dockerignore leaves build folders and .git out of the context ({sorted(ignored)})")

# The image: a package for every library the binary needs.
installed = set()
for r in runs(image):
    m = re.search(r"apt-get install ((?:[^&]|&(?!&))*)", r)
    if m:
        installed |= {w for w in m.group(1).split() if not w.startswith("-")}
# Both programs: `vanban serve` (the ENTRYPOINT) starts vanban-serve from the same folder.
SERVE = os.path.join(os.path.dirname(VANBAN), "vanban-serve")
check(any(re.search(r"install -D build/vanban-serve /opt/vanban/bin/vanban-serve\b", r) for r in runs(build)),
      "the build stage installs vanban-serve beside vanban")
libs, paths = [], {}
for program in (VANBAN, SERVE):
    needed, _ = tool("readelf", "-d", program)
    libs += [l for l in re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", needed) if l not in libs]
    ldd, _ = tool("ldd", program)
    paths.update(re.findall(r"^\s*(\S+) => (\S+)", ldd, re.M))
check(len(libs) >= 10 and any(l.startswith("libcpp-httplib") for l in libs),
      f"readelf finds the programs' libraries, the server's among them ({libs})")
# In every Debian image: the C library, and the C++ run time apt itself needs.
base = {"libc6", "libgcc-s1", "libstdc++6"}
for lib in libs:
    path = os.path.realpath(paths.get(lib, lib))
    owner, rc = tool("dpkg", "-S", path)
    if rc != 0:
        owner, rc = tool("dpkg", "-S", paths.get(lib, lib))
    pkg = owner.split(":")[0].strip() if rc == 0 else None
    check(pkg in installed or pkg in base, f"{lib} ({pkg}) is installed in the image")
for js in ("libjs-pdf", "libjs-codemirror"):
    check(js in installed, f"the image installs {js}")

# The user, the volume, the entry point, the health check.
user = [s["arg"] for s in image["steps"] if s["op"] == "USER"]
check(user == ["vanban"], f"the image runs as vanban ({user})")
check(any(re.search(r"install -d -o vanban -g vanban( -m \d+)? /workspace\b", r) for r in runs(image))
      and any(s["op"] == "VOLUME" and s["arg"] == "/workspace" for s in image["steps"]),
      "/workspace belongs to vanban before it is declared a volume")
entry = next(s["exec"] for s in image["steps"] if s["op"] == "ENTRYPOINT")
cmd = next(s["exec"] for s in image["steps"] if s["op"] == "CMD")
argv = entry + cmd
help_text, _ = tool(VANBAN, "serve", "--help")
known = set(re.findall(r"--[a-z][a-z-]*", help_text))
check(argv[:2] == ["/opt/vanban/bin/vanban", "serve"] and all(a in known for a in argv if a.startswith("--")),
      f"ENTRYPOINT + CMD is vanban serve with its own options ({argv})")
listen = argv[argv.index("--listen") + 1]
check("--token-file" in argv and "--workspace" in argv and argv[argv.index("--workspace") + 1] == "/workspace",
      "the server is given the volume and a token file")
health = next(s["exec"] for s in image["steps"] if s["op"] == "HEALTHCHECK")
port = listen.rsplit(":", 1)[1]
check(f"/dev/tcp/127.0.0.1/{port}" in health[-1] and "/healthz" in health[-1] and '"ok":true' in health[-1],
      f"HEALTHCHECK asks /healthz on port {port} for \"ok\":true")
# What the HEALTHCHECK greps for is what /healthz answers.
with Server(VANBAN, fresh("deploy_dockerfile")) as srv:
    status, _, body = srv.request("GET", "/healthz")
check(status == 200 and b'"ok":true' in body, f"/healthz answers \"ok\":true as the HEALTHCHECK expects ({status} {body[:80]})")
finish()
