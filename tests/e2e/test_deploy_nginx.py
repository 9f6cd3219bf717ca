"""deploy/nginx.conf in front of two `vanban serve` instances, all on
loopback: Debian's nginx started by hand on the configuration derived from
the shipped file (its upstream pointed at the instances, plain HTTP on a
loopback port instead of TLS, the rest as shipped). Requests are spread over
both instances; renders work through the proxy; a busy instance (503) passes
a render on to another; the proxy's body limit is the instances' own
(--max-request-mb, 16 MiB by default): a body of exactly the limit reaches
an instance, one byte more gets 413 from both."""
import http.client
import json
import os
import re
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from e2e import SOURCE, VANBAN, check, finish, fresh, tool
from serve import Server, inline_document

work = fresh("deploy_nginx")
ws = os.path.join(work, "workspace")
os.makedirs(ws)
LONG_KHANH = json.dumps(inline_document(os.path.join(SOURCE, "examples", "long-khanh")), ensure_ascii=False).encode()
LIMIT = 16 << 20  # the server's default --max-request-mb


class Busy(BaseHTTPRequestHandler):
    """An instance whose queue is full: every request gets 503 as vanban's
    own (Retry-After), after reading the body."""

    def answer(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"ok": false, "error": "busy"}'
        self.send_response(503)
        self.send_header("Retry-After", "1")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def derive(shipped, upstreams, port):
    """deploy/nginx.conf with its instances replaced and TLS replaced by a
    plain loopback listener; everything else as shipped."""
    out, in_upstream = [], False
    for line in shipped.splitlines():
        s = line.strip()
        if s.startswith("upstream "):
            in_upstream = True
            out.append(line)
            out += [f"    server {u};" for u in upstreams]
            continue
        if in_upstream and s.startswith("server "):
            continue
        if s == "}":
            in_upstream = False
        if s.startswith("ssl_"):
            continue
        if s.startswith("listen "):
            line = f"    listen 127.0.0.1:{port};"
        out.append(line)
    return "\n".join(out) + "\n"


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def log_lines(path):
    with open(path) as f:
        return [line.split() for line in f if line.strip()]


with open(os.path.join(SOURCE, "deploy", "nginx.conf")) as f:
    shipped = f.read()
check("client_max_body_size 16m;" in shipped, "deploy/nginx.conf: client_max_body_size is the server's 16 MiB")
m = re.search(r"proxy_next_upstream ([^;]*);", shipped)
check(m and "http_503" in m.group(1).split() and "non_idempotent" in m.group(1).split(),
      "deploy/nginx.conf: a 503 passes renders (POST) on to the next instance")

busy = ThreadingHTTPServer(("127.0.0.1", 0), Busy)
threading.Thread(target=busy.serve_forever, daemon=True).start()
a = Server(VANBAN, ws)
b = Server(VANBAN, ws)
port = free_port()
instances = {f"127.0.0.1:{a.port}": "a", f"127.0.0.1:{b.port}": "b", f"127.0.0.1:{busy.server_address[1]}": "busy"}
conf = os.path.join(work, "vanban.conf")
with open(conf, "w") as f:
    f.write(derive(shipped, list(instances), port))
with open(os.path.join(work, "nginx.conf"), "w") as f:
    f.write(f"""daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 256; }}
http {{
    log_format up '$request_method $status $upstream_addr $upstream_status';
    access_log {work}/access.log up;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {conf};
}}
""")
out, rc = tool("nginx", "-t", "-p", work, "-e", f"{work}/error.log", "-c", f"{work}/nginx.conf")
check(rc == 0, f"nginx -t accepts the derived configuration ({out.strip()})")
nginx = subprocess.Popen(["nginx", "-p", work, "-e", f"{work}/error.log", "-c", f"{work}/nginx.conf"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
try:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    access = os.path.join(work, "access.log")

    # Spread: renders one after another and together, then health checks.
    # (The busy instance is first met by a render: after its 503 nginx leaves
    # it out for fail_timeout, 10 s.)
    pdfs = [request(port, "POST", "/api/render?format=pdf", LONG_KHANH, {"Content-Type": "application/json"})
            for _ in range(6)]
    check([s for s, _ in pdfs] == [200] * 6, f"6 renders through nginx: 200 ({[s for s, _ in pdfs]})")
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        request(port, "POST", "/api/render?format=pdf", LONG_KHANH, {"Content-Type": "application/json"})))
        for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(sorted(s for s, _ in results) == [200] * 10, f"10 concurrent renders through nginx: 200 ({[s for s, _ in results]})")
    st = [request(port, "GET", "/healthz")[0] for _ in range(6)]
    check(st == [200] * 6, f"GET /healthz through nginx: 200 every time ({st})")
    pdf = os.path.join(work, "through-nginx.pdf")
    with open(pdf, "wb") as f:
        f.write(pdfs[0][1])
    text, _ = tool("pdftotext", "-layout", pdf, "-")
    check("498/KH-UBND" in text and "KẾ HOẠCH" in text, "the PDF rendered through nginx is the Long Khánh plan")
    identical = all(body == pdfs[0][1] for _, body in pdfs + results)
    check(identical, "every instance renders the same bytes (no state in an instance)")

    log = log_lines(access)
    served = {}
    for method, status, *ups in log:
        # $upstream_addr: the instances tried, in order ("a, b" after a 503 from a)
        tried = [instances.get(u.rstrip(","), u) for u in ups[: (len(ups) + 1) // 2]]
        served.setdefault(method, []).append(tried)
    finals = [t[-1] for t in served.get("POST", [])]
    check(finals.count("a") >= 3 and finals.count("b") >= 3,
          f"renders are spread over both instances (a: {finals.count('a')}, b: {finals.count('b')} of {len(finals)})")
    passed_on = [t for t in served.get("POST", []) if t[0] == "busy"]
    check(passed_on and all(t[-1] in ("a", "b") for t in passed_on),
          f"a render that met the busy instance (503) was passed on and answered ({len(passed_on)} times)")
    gets = [t[-1] for t in served.get("GET", [])]
    check("a" in gets and "b" in gets, f"health checks reached both instances ({gets})")

    # The body limit: nginx's equals the instances' own.
    # An empty JSON array padded with spaces: /api/check reads it all and
    # reports that a document is an object (code expected-type).
    def body(size):
        return b"[" + b" " * (size - 2) + b"]"

    at, over = body(LIMIT), body(LIMIT + 1)
    hdr = {"Content-Type": "application/json"}
    direct_at = request(a.port, "POST", "/api/check", at, hdr)
    direct_over = request(a.port, "POST", "/api/check", over, hdr)[0]
    proxied_at = request(port, "POST", "/api/check", at, hdr)
    proxied_over = request(port, "POST", "/api/check", over, hdr)[0]
    codes = [[d["code"] for d in json.loads(r[1])["diagnostics"]] if r[0] == 200 else r[0] for r in (direct_at, proxied_at)]
    check(codes == [["expected-type"]] * 2,
          f"a body of exactly 16 MiB reaches the instance and is read, directly and through nginx ({codes})")
    check(direct_over == 413 and proxied_over == 413,
          f"16 MiB + 1 byte: 413 from the instance and from nginx ({direct_over}, {proxied_over})")
    with open(os.path.join(work, "error.log")) as f:
        refused = f"client intended to send too large body: {LIMIT + 1} bytes" in f.read()
    check(refused, "the over-size body is refused by nginx itself, not passed on (error.log)")
    check(a.alive() and b.alive(), "both instances still run")
finally:
    nginx.terminate()
    try:
        nginx.wait(timeout=10)
    except subprocess.TimeoutExpired:
        nginx.kill()
        nginx.wait()
    a.stop()
    b.stop()
    busy.shutdown()
    busy.server_close()
finish()
