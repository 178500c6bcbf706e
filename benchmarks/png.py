"""Line charts as PNG files with nothing but zlib and struct (matplotlib is not a dependency).

Log-log axes with decade ticks labelled in a 3x5 pixel font of digits; series names and colours
are given in the report's caption, since the font has no letters.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass

Colour = tuple[int, int, int]

WHITE: Colour = (255, 255, 255)
GREY: Colour = (200, 200, 200)
BLACK: Colour = (0, 0, 0)

# 3x5 glyphs, one row of three bits per entry, top to bottom.
FONT: dict[str, tuple[int, ...]] = {
    "0": (7, 5, 5, 5, 7), "1": (2, 6, 2, 2, 7), "2": (7, 1, 7, 4, 7), "3": (7, 1, 3, 1, 7),
    "4": (5, 5, 7, 1, 1), "5": (7, 4, 7, 1, 7), "6": (7, 4, 7, 5, 7), "7": (7, 1, 1, 2, 2),
    "8": (7, 5, 7, 5, 7), "9": (7, 5, 7, 1, 7), ".": (0, 0, 0, 0, 2), "-": (0, 0, 7, 0, 0),
    "e": (0, 7, 7, 4, 7),
}


@dataclass(frozen=True)
class Series:
    name: str
    colour: Colour
    points: tuple[tuple[float, float], ...]
    dashed: bool = False


class Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(WHITE * (width * height))

    def dot(self, x: int, y: int, colour: Colour, size: int = 1) -> None:
        for dx in range(size):
            for dy in range(size):
                px, py = x + dx - size // 2, y + dy - size // 2
                if 0 <= px < self.width and 0 <= py < self.height:
                    at = 3 * (py * self.width + px)
                    self.pixels[at:at + 3] = bytes(colour)

    def line(self, a: tuple[int, int], b: tuple[int, int], colour: Colour, size: int = 1,
             dashed: bool = False) -> None:
        steps = max(abs(b[0] - a[0]), abs(b[1] - a[1]), 1)
        for i in range(steps + 1):
            if dashed and (i // 6) % 2:
                continue
            x = round(a[0] + (b[0] - a[0]) * i / steps)
            y = round(a[1] + (b[1] - a[1]) * i / steps)
            self.dot(x, y, colour, size)

    def text(self, x: int, y: int, text: str, colour: Colour = BLACK, zoom: int = 2) -> None:
        """Draw `text` centred on x, kept inside the canvas."""
        width = (4 * len(text) - 1) * zoom
        x = min(max(x - width // 2, 0), self.width - width)
        for index, char in enumerate(text):
            rows = FONT.get(char, (0, 0, 0, 0, 0))
            for r, bits in enumerate(rows):
                for c in range(3):
                    if bits & (4 >> c):
                        for zx in range(zoom):
                            for zy in range(zoom):
                                self.dot(x + (index * 4 + c) * zoom + zx, y + r * zoom + zy,
                                         colour)

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(self.pixels[3 * y * self.width:3 * (y + 1) * self.width])
                       for y in range(self.height))

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + \
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _label(value: float) -> str:
    if value >= 1:
        return f"{value:g}"
    return f"{value:.3g}".lstrip("0") if value >= 0.001 else f"{value:.0e}"


def chart(series: list[Series], width: int = 640, height: int = 400) -> bytes:
    """A log-log chart of every series, with decade grid lines labelled on both axes."""
    points = [p for s in series for p in s.points if p[0] > 0 and p[1] > 0]
    canvas = Canvas(width, height)
    if not points:
        return canvas.png()
    left, right, top, bottom = 70, width - 20, 20, height - 40
    x_lo, x_hi = _decades(min(p[0] for p in points), max(p[0] for p in points))
    y_lo, y_hi = _decades(min(p[1] for p in points), max(p[1] for p in points))

    def at(x: float, y: float) -> tuple[int, int]:
        fx = (math.log10(x) - x_lo) / (x_hi - x_lo)
        fy = (math.log10(y) - y_lo) / (y_hi - y_lo)
        return round(left + fx * (right - left)), round(bottom - fy * (bottom - top))

    for d in range(x_lo, x_hi + 1):
        x, _ = at(10.0 ** d, 10.0 ** y_lo)
        canvas.line((x, top), (x, bottom), GREY)
        canvas.text(x, bottom + 10, _label(10.0 ** d))
    for d in range(y_lo, y_hi + 1):
        _, y = at(10.0 ** x_lo, 10.0 ** d)
        canvas.line((left, y), (right, y), GREY)
        canvas.text(left // 2, y - 5, _label(10.0 ** d))
    canvas.line((left, top), (left, bottom), BLACK, 2)
    canvas.line((left, bottom), (right, bottom), BLACK, 2)
    for s in series:
        pixels = [at(x, y) for x, y in s.points if x > 0 and y > 0]
        for a, b in zip(pixels, pixels[1:], strict=False):
            canvas.line(a, b, s.colour, 3, s.dashed)
        for p in pixels:
            canvas.dot(p[0], p[1], s.colour, 9)
    return canvas.png()


def _decades(lo: float, hi: float) -> tuple[int, int]:
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    return first, max(last, first + 1)
