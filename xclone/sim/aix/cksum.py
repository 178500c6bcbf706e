"""`cksum FILE...` on a lab host: each file's POSIX checksum, byte count and name.

What xclone reads to tell whether an install server's copy of a postscript still matches the
primary's file (issue 17). The checksum is POSIX cksum's (IEEE Std 1003.1 "cksum": CRC-32 of
polynomial 0x04C11DB7 over the bytes then the length in as few bytes as it takes, least
significant first, complemented); AIX prints `CHECKSUM SIZE FILE` one line per file, and a
file it cannot open as `cksum: 0652-050 Cannot open FILE.` on stderr, going on with the
others, exit 1 (the message as AIX's other file commands word it, fs.py).
"""

from __future__ import annotations

import posixpath

from xclone.sim.world import Out, World

_POLY = 0x04C11DB7


def _table() -> list[int]:
    rows = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ _POLY) if crc & 0x80000000 else crc << 1
        rows.append(crc & 0xFFFFFFFF)
    return rows


_TABLE = _table()


def posix_cksum(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _TABLE[(crc >> 24) ^ byte]
    length = len(data)
    while length:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _TABLE[(crc >> 24) ^ (length & 0xFF)]
        length >>= 8
    return ~crc & 0xFFFFFFFF


def cksum(world: World, args: list[str]) -> Out:
    out = Out()
    failed = False
    for raw in args:
        body = world.file(posixpath.normpath("/" + raw.lstrip("/")))
        if body is None or body["type"] != "file":
            out.err(f"cksum: 0652-050 Cannot open {raw}.")
            failed = True
            continue
        data = str(body["content"]).encode("utf-8")
        out.stdout.append(f"{posix_cksum(data)} {len(data)} {raw}\n")
    return out.fail(1) if failed else out
