"""Starting and stopping `vanban serve` for tests and the benchmark: always on
a free loopback port (port 0, the address read from the server's first line),
always stopped (SIGTERM, then SIGKILL after a few seconds)."""
import http.client
import json
import os
import re
import signal
import subprocess
import time
import urllib.parse


class Server:
    def __init__(self, vanban, workspace, *args, env=None):
        self.proc = subprocess.Popen([vanban, "serve", "--listen", "127.0.0.1:0", "--workspace", workspace, "-q", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.stop()
            raise RuntimeError("vanban serve did not start: " + line + err)
        self.port = int(m.group(1))
        self.base = f"http://127.0.0.1:{self.port}"

    def request(self, method, path, body=None, headers=None, timeout=60):
        """(status, headers dict (lower-case names), body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if isinstance(body, str):
                body = body.encode("utf-8")
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def post_json(self, path, doc, headers=None):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return self.request("POST", path, json.dumps(doc, ensure_ascii=False), h)

    def post_multipart(self, path, parts, headers=None):
        """parts: list of (field, filename or None, bytes or str)."""
        boundary = "vanbanboundary7d93a1"
        out = b""
        for field, filename, content in parts:
            if isinstance(content, str):
                content = content.encode("utf-8")
            disp = f'form-data; name="{field}"' + (f'; filename="{filename}"' if filename else "")
            out += f"--{boundary}\r\nContent-Disposition: {disp}\r\n\r\n".encode("utf-8") + content + b"\r\n"
        out += f"--{boundary}--\r\n".encode()
        h = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        h.update(headers or {})
        return self.request("POST", path, out, h)

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for s in (self.proc.stdout, self.proc.stderr):
            if s:
                s.close()
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def inline_document(folder, name="document.json"):
    """A document JSON with its body and annex files inlined (as the page sends it)."""
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        doc = json.load(f)
    body = doc.get("body", {})
    if "file" in body:
        with open(os.path.join(folder, body["file"]), encoding="utf-8") as f:
            doc["body"] = {"text": f.read()}
    annexes = []
    for a in doc.get("annexes", []):
        if set(a) == {"file"}:
            with open(os.path.join(folder, a["file"]), encoding="utf-8") as f:
                a = json.load(f)
        annexes.append(a)
    if annexes:
        doc["annexes"] = annexes
    return doc


def query(path, **params):
    return path + "?" + urllib.parse.urlencode(params) if params else path
