"""Pure-Python PNG writing and a tiny RGBA canvas (standard library only).

Used by the map generators to paint tilesets and map previews without Pillow.
"""

import random
import struct
import zlib


def write_png(path, width, height, rgba):
    """Writes an 8-bit RGBA PNG. `rgba` is a bytearray of width*height*4 bytes."""
    raw = bytearray()
    stride = width * 4
    for y in range(height):
        raw.append(0)  # filter: none
        raw.extend(rgba[y * stride:(y + 1) * stride])

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as handle:
        handle.write(png)


def hex_color(text, alpha=255):
    text = text.lstrip("#")
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16), alpha)


def shade(color, amount):
    """Lightens (amount > 0) or darkens (amount < 0) a colour by a fraction."""
    r, g, b, a = color
    if amount >= 0:
        return (int(r + (255 - r) * amount), int(g + (255 - g) * amount), int(b + (255 - b) * amount), a)
    return (int(r * (1 + amount)), int(g * (1 + amount)), int(b * (1 + amount)), a)


class Canvas:
    """An RGBA pixel buffer with a few drawing primitives, clipped to an optional box."""

    def __init__(self, width, height):
        self.width = width
        self.height = height
        self.pixels = bytearray(width * height * 4)
        self.clip = (0, 0, width, height)

    def set_clip(self, x, y, w, h):
        self.clip = (x, y, x + w, y + h)

    def put(self, x, y, color):
        x0, y0, x1, y1 = self.clip
        if not (x0 <= x < x1 and y0 <= y < y1):
            return
        i = (y * self.width + x) * 4
        r, g, b, a = color
        if a == 255:
            self.pixels[i:i + 4] = bytes((r, g, b, 255))
            return
        if a == 0:
            return
        # Source-over blending.
        dr, dg, db, da = self.pixels[i:i + 4]
        sa = a / 255
        out_a = sa + (da / 255) * (1 - sa)
        if out_a == 0:
            return

        def mix(s, d):
            return int(round((s * sa + d * (da / 255) * (1 - sa)) / out_a))

        self.pixels[i:i + 4] = bytes((mix(r, dr), mix(g, dg), mix(b, db), int(round(out_a * 255))))

    def get(self, x, y):
        i = (y * self.width + x) * 4
        return tuple(self.pixels[i:i + 4])

    def rect(self, x, y, w, h, color):
        for yy in range(y, y + h):
            for xx in range(x, x + w):
                self.put(xx, yy, color)

    def frame(self, x, y, w, h, color, thickness=1):
        self.rect(x, y, w, thickness, color)
        self.rect(x, y + h - thickness, w, thickness, color)
        self.rect(x, y, thickness, h, color)
        self.rect(x + w - thickness, y, thickness, h, color)

    def disc(self, cx, cy, r, color):
        for yy in range(int(cy - r - 1), int(cy + r + 2)):
            for xx in range(int(cx - r - 1), int(cx + r + 2)):
                if (xx + 0.5 - cx) ** 2 + (yy + 0.5 - cy) ** 2 <= r * r:
                    self.put(xx, yy, color)

    def ring(self, cx, cy, r_outer, r_inner, color):
        for yy in range(int(cy - r_outer - 1), int(cy + r_outer + 2)):
            for xx in range(int(cx - r_outer - 1), int(cx + r_outer + 2)):
                d = (xx + 0.5 - cx) ** 2 + (yy + 0.5 - cy) ** 2
                if r_inner * r_inner <= d <= r_outer * r_outer:
                    self.put(xx, yy, color)

    def line(self, x0, y0, x1, y1, color, width=1):
        steps = int(max(abs(x1 - x0), abs(y1 - y0)) * 2) + 1
        for i in range(steps + 1):
            t = i / steps
            x = x0 + (x1 - x0) * t
            y = y0 + (y1 - y0) * t
            if width <= 1:
                self.put(int(x), int(y), color)
            else:
                self.disc(x, y, width / 2, color)

    def noise(self, x, y, w, h, base, spread, seed):
        rng = random.Random(seed)
        for yy in range(y, y + h):
            for xx in range(x, x + w):
                self.put(xx, yy, shade(base, rng.uniform(-spread, spread)))

    def blit_scaled(self, source, sx, sy, sw, sh, dx, dy, dw, dh):
        """Nearest-neighbour copy of a region of another canvas (for previews)."""
        for yy in range(dh):
            for xx in range(dw):
                px = sx + xx * sw // dw
                py = sy + yy * sh // dh
                self.put(dx + xx, dy + yy, source.get(px, py))

    def save(self, path):
        write_png(path, self.width, self.height, self.pixels)
