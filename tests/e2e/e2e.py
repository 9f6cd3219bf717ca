"""Shared helpers for the end-to-end tests: run the real binary, read the real
outputs with poppler-utils and qpdf, and count checks so that a run prints the
plain closing line "N passed, M failed"."""
import json
import os
import shutil
import subprocess
import sys
import unicodedata

VANBAN, SOURCE, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
_passed = 0
_failed = 0


def check(cond, what):
    global _passed, _failed
    if cond:
        _passed += 1
    else:
        _failed += 1
        print("FAIL:", what, flush=True)


def run(*args, **kw):
    return subprocess.run([VANBAN, *args], capture_output=True, text=True, **kw)


def tool(*args):
    r = subprocess.run(list(args), capture_output=True, text=True)
    return r.stdout + r.stderr, r.returncode


def fresh(name):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def pdf_pages(pdf):
    """Text of each page (pdftotext -layout), NFC, form feed separated."""
    text, _ = tool("pdftotext", "-layout", pdf, "-")
    return [unicodedata.normalize("NFC", p) for p in text.split("\f")[:-1]]


def squash(s):
    return " ".join(s.split())


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def finish():
    print(f"{_passed} passed, {_failed} failed")
    sys.exit(1 if _failed else 0)
