#!/usr/bin/env python3
"""Draws the Teams app icons into manifest/: color.png (192x192) and outline.png (32x32).

The symbol is a check mark inside an open ring whose end is an arrowhead: work moving round to "done".
Teams' rules (apps-package.md): the color icon carries a ~96x96 symbol centered on a solid background; the
outline icon is white (255,255,255) on a fully transparent background, with no padding. Shapes are signed
distance functions, anti-aliased by coverage at each pixel, so the output is deterministic and needs no PIL.
Run: python3 scripts/draw-icons.py
"""
import math
import os
import struct
import zlib

ACCENT = (0x0F, 0x6C, 0xBD)  # keep in sync with accentColor in manifest/manifest.json
WHITE = (255, 255, 255)


def segment(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def triangle(px, py, a, b, c):
    """Signed distance to a triangle (negative inside)."""
    d = min(segment(px, py, *a, *b), segment(px, py, *b, *c), segment(px, py, *c, *a))

    def side(p, q):
        return (q[0] - p[0]) * (py - p[1]) - (q[1] - p[1]) * (px - p[0])

    s1, s2, s3 = side(a, b), side(b, c), side(c, a)
    inside = (s1 >= 0 and s2 >= 0 and s3 >= 0) or (s1 <= 0 and s2 <= 0 and s3 <= 0)
    return -d if inside else d


def symbol(size, ring_width, check_width):
    """The symbol's signed distance function in a size x size box (y grows downwards)."""
    c = size / 2
    head = ring_width * 1.3
    radius = c - head - 0.5  # the arrowhead reaches furthest out; it touches the edge of the symbol's box
    # The ring is open between -75 and -20 degrees (upper right); its end there is an arrowhead pointing clockwise.
    gap_from, gap_to = math.radians(-78), math.radians(-22)
    tip_angle = gap_from + math.radians(14)
    end = (c + radius * math.cos(gap_from), c + radius * math.sin(gap_from))
    tangent = (-math.sin(gap_from), math.cos(gap_from))  # clockwise direction at the end of the arc, y down
    normal = (math.cos(gap_from), math.sin(gap_from))
    tip = (c + radius * math.cos(tip_angle), c + radius * math.sin(tip_angle))
    base_a = (end[0] + normal[0] * head - tangent[0] * 0.5, end[1] + normal[1] * head - tangent[1] * 0.5)
    base_b = (end[0] - normal[0] * head - tangent[0] * 0.5, end[1] - normal[1] * head - tangent[1] * 0.5)
    start = (c + radius * math.cos(gap_to), c + radius * math.sin(gap_to))
    check = [(0.29 * size, 0.52 * size), (0.44 * size, 0.67 * size), (0.72 * size, 0.37 * size)]

    def sd(x, y):
        angle = math.atan2(y - c, x - c)
        if gap_from < angle < gap_to:
            ring = min(math.hypot(x - start[0], y - start[1]), math.hypot(x - end[0], y - end[1])) - ring_width / 2
        else:
            ring = abs(math.hypot(x - c, y - c) - radius) - ring_width / 2
        arrow = triangle(x, y, tip, base_a, base_b)
        tick = min(segment(x, y, *check[0], *check[1]), segment(x, y, *check[1], *check[2])) - check_width / 2
        return min(ring, arrow, tick)

    return sd


def coverage(sd):
    return max(0.0, min(1.0, 0.5 - sd))


def render(size, offset, symbol_size, ring_width, check_width, background):
    sd = symbol(symbol_size, ring_width, check_width)
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            a = coverage(sd(x + 0.5 - offset, y + 0.5 - offset))
            if background is None:
                # Transparent pixels stay white too, so every pixel is white; only alpha varies.
                row += bytes((*WHITE, round(255 * a)))
            else:
                row += bytes(round(bg * (1 - a) + fg * a) for bg, fg in zip(background, WHITE)) + b"\xff"
        rows.append(bytes(row))
    return rows


def png(rows, size):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "manifest")
    icons = {
        "color.png": (192, png(render(192, 48, 96, 9, 11, ACCENT), 192)),
        "outline.png": (32, png(render(32, 0, 32, 3, 3.4, None), 32)),
    }
    for name, (_, data) in icons.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"wrote manifest/{name}")


if __name__ == "__main__":
    main()
