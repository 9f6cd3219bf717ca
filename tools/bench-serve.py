#!/usr/bin/env python3
"""Load and soak benchmark of `vanban serve` (not a test): renders per second
and p50/p95 latency of POST /api/render?format=pdf of the 13-page Gia Lai plan
for 1, 10 and 50 concurrent clients, then the server's resident memory over a
soak of 10,000 renders. Loopback only (the server listens on 127.0.0.1, a free
port), every phase bounded in requests and time; the server is stopped at the
end.

    python3 tools/bench-serve.py [--vanban build/vanban] [--soak 10000] [--jobs N]
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from serve import Server, inline_document  # noqa: E402


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def phase(server, body, clients, requests, time_limit):
    """Sends `requests` renders from `clients` threads (or stops at `time_limit` s)."""
    lat, errors = [], []
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + time_limit

    def client():
        while time.monotonic() < deadline:
            with lock:
                if next(counter, None) is None:
                    return
            t0 = time.perf_counter()
            st, _, data = server.request("POST", "/api/render?format=pdf", body, {"Content-Type": "application/json"})
            dt = (time.perf_counter() - t0) * 1000
            with lock:
                if st == 200 and data[:5] == b"%PDF-":
                    lat.append(dt)
                else:
                    errors.append(st)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    cpu0 = cpu_seconds(server.proc.pid)
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    cpu = cpu_seconds(server.proc.pid) - cpu0
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] if lat else float("nan")
    return {"clients": clients, "done": len(lat), "errors": len(errors), "seconds": wall,
            "rps": len(lat) / wall if wall else 0, "p50": pct(50), "p95": pct(95),
            "cpu_ms": cpu * 1000 / len(lat) if lat else float("nan")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vanban", default=os.path.join(ROOT, "build", "vanban"))
    ap.add_argument("--soak", type=int, default=10000, help="renders in the soak (0: skip)")
    ap.add_argument("--jobs", default="0", help="the server's --jobs (0: all cores)")
    ap.add_argument("--time-limit", type=float, default=600, help="seconds allowed for each phase")
    a = ap.parse_args()
    body = json.dumps(inline_document(os.path.join(ROOT, "examples", "gia-lai")), ensure_ascii=False).encode()
    ws = tempfile.mkdtemp(prefix="vanban-bench-serve-")
    try:
        with Server(a.vanban, ws, "--jobs", a.jobs) as s:
            print(f"vanban serve on {s.base}, {os.cpu_count()} cores; Gia Lai plan: 13 pages, request {len(body)} bytes")
            phase(s, body, 4, 40, 60)  # warm-up: fonts, caches
            with open("/proc/loadavg") as f:
                print("load average before:", " ".join(f.read().split()[:3]))
            print("| clients | renders | errors | renders/s | p50 ms | p95 ms | server CPU ms/render |")
            print("|---:|---:|---:|---:|---:|---:|---:|")
            for clients, n in ((1, 200), (10, 1000), (50, 2000)):
                r = phase(s, body, clients, n, a.time_limit)
                print(f"| {clients} | {r['done']} | {r['errors']} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} "
                      f"| {r['cpu_ms']:.1f} |", flush=True)
            if a.soak:
                print(f"\nsoak: {a.soak} renders from 10 clients; resident memory of the server (VmRSS):")
                print("| renders | RSS MB |")
                print("|---:|---:|")
                step = max(1, a.soak // 10)
                done = 0
                samples = []
                t0 = time.monotonic()
                while done < a.soak and time.monotonic() - t0 < a.time_limit * 3:
                    r = phase(s, body, 10, step, a.time_limit)
                    done += r["done"] + r["errors"]
                    samples.append((done, s.rss_kb() / 1024))
                    print(f"| {done} | {samples[-1][1]:.1f} |", flush=True)
                if len(samples) >= 2:
                    first, last = samples[0][1], samples[-1][1]
                    growth = (last - first) / first * 100
                    print(f"\nRSS after {samples[0][0]} renders {first:.1f} MB, after {samples[-1][0]} renders {last:.1f} MB "
                          f"({growth:+.1f} %): {'flat' if abs(growth) < 10 else 'NOT flat'}")
                    print(f"soak rate: {done / (time.monotonic() - t0):.1f} renders/s")
    finally:
        shutil.rmtree(ws, ignore_errors=True)


if __name__ == "__main__":
    main()
