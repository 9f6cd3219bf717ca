#!/usr/bin/env python3
"""Draws the example signature and seal images (PNG, transparent background)
used by examples/van-ban-dien-tu and examples/ban-sao: a blue handwritten-
looking signature and a round red seal with a star, both made of strokes
computed here (no fonts, no third-party modules), so that anyone can redraw
them byte for byte:  python3 tools/draw-signature-images.py OUTDIR
"""
import math
import struct
import sys
import zlib


def png(path, width, height, rgba, dpi=None):
    """Writes an 8-bit RGBA PNG; `dpi` adds a pHYs chunk (the printed size)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        raw += rgba[y * width * 4:(y + 1) * width * 4]
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
    if dpi:
        ppm = round(dpi / 0.0254)
        out += chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
    out += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(out)


class Canvas:
    def __init__(self, w, h, colour):
        self.w, self.h, self.colour = w, h, colour
        self.alpha = [0.0] * (w * h)

    def dot(self, cx, cy, r):
        """A filled, anti-aliased disc (coverage is kept as the maximum)."""
        for y in range(max(0, int(cy - r - 1)), min(self.h, int(cy + r + 2))):
            for x in range(max(0, int(cx - r - 1)), min(self.w, int(cx + r + 2))):
                d = math.hypot(x + 0.5 - cx, y + 0.5 - cy)
                a = min(1.0, max(0.0, r - d + 0.5))
                i = y * self.w + x
                if a > self.alpha[i]:
                    self.alpha[i] = a

    def stroke(self, points, r):
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            n = max(1, int(math.hypot(x1 - x0, y1 - y0) / (r * 0.5)))
            for k in range(n + 1):
                t = k / n
                self.dot(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, r)

    def rgba(self):
        out = bytearray()
        for a in self.alpha:
            out += bytes(self.colour) + bytes([round(a * 255)])
        return out


def signature(path):
    w, h = 600, 200
    c = Canvas(w, h, (0x10, 0x2A, 0xA8))  # blue ink
    pts = []
    for k in range(900):  # a looping flourish, left to right
        t = k / 899
        x = 40 + 470 * t + 38 * math.sin(t * 2 * math.pi * 5.5)
        y = 105 - 55 * math.sin(t * 2 * math.pi * 5.5 + 1.2) * (1 - 0.5 * t) - 20 * t
        pts.append((x, y))
    c.stroke(pts, 3.2)
    c.stroke([(70 + 5.0 * k, 160 - 0.35 * k + 6 * math.sin(k / 9)) for k in range(100)], 2.6)  # the underline
    png(path, w, h, c.rgba())


def seal(path, diameter_mm=36):
    size = 600
    c = Canvas(size, size, (0xE0, 0x10, 0x10))  # red seal ink
    m = size / 2

    def circle(r, width):
        c.stroke([(m + r * math.cos(a / 720 * 2 * math.pi), m + r * math.sin(a / 720 * 2 * math.pi)) for a in range(721)], width)

    circle(290, 7)
    circle(270, 3)
    circle(150, 4)
    for k in range(48):  # the band between the rings, where a real seal has its name
        a = k / 48 * 2 * math.pi
        c.stroke([(m + 190 * math.cos(a), m + 190 * math.sin(a)), (m + 235 * math.cos(a + 0.05), m + 235 * math.sin(a + 0.05))], 5)
    star = []
    for k in range(11):  # a five-pointed star in the centre
        a = -math.pi / 2 + k * math.pi / 5
        r = 120 if k % 2 == 0 else 48
        star.append((m + r * math.cos(a), m + r * math.sin(a)))
    c.stroke(star, 5)
    for r in range(0, 48, 4):  # its centre filled
        circle(r, 3)
    png(path, size, size, c.rgba(), dpi=size / (diameter_mm / 25.4))


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    signature(out + "/chu-ky.png")
    seal(out + "/con-dau.png")
