"""AIX `df -k`: every mounted file system of the master, in 1024-byte blocks.

Source: AIX `df` prints a header then one line per file system: `Filesystem`, `1024-blocks`
(with -k; 512-blocks without), `Free`, `%Used`, `Iused`, `%Iused`, `Mounted on` (IBM AIX 7.2,
"df Command").
The lab's master has a fixed set of file systems with room for a few mksysb images under
/install and /export; the space its own mksysb files take is not counted. A test that needs
a fuller disk replaces the answer with a fault (`command: df`, `stdout: ...`).
"""

from __future__ import annotations

from typing import Any

from xclone.sim.world import Out, World

HEADER = "Filesystem    1024-blocks      Free %Used    Iused %Iused Mounted on"
DEFAULT: dict[str, dict[str, Any]] = {
    "/": {"device": "/dev/hd4", "size_gb": 2, "free_gb": 1.2},
    "/usr": {"device": "/dev/hd2", "size_gb": 6, "free_gb": 2.5},
    "/var": {"device": "/dev/hd9var", "size_gb": 2, "free_gb": 1.5},
    "/tmp": {"device": "/dev/hd3", "size_gb": 2, "free_gb": 1.8},
    "/home": {"device": "/dev/hd1", "size_gb": 1, "free_gb": 0.9},
    "/install": {"device": "/dev/fslv00", "size_gb": 60, "free_gb": 40},
    "/export": {"device": "/dev/fslv01", "size_gb": 60, "free_gb": 40},
}
_GB = 1024 * 1024  # 1024-byte blocks in a GB


def df(world: World, args: list[str]) -> Out:
    if args != ["-k"]:
        return Out().err("Usage: df [-P] | [-IMitv] [-k] [-m] [-g] [-s] [FileSystem ...| File "
                         "...]").fail()
    out = Out().out(HEADER)
    for i, (mount, fs) in enumerate(sorted(DEFAULT.items())):
        size, free = int(float(fs["size_gb"]) * _GB), int(float(fs["free_gb"]) * _GB)
        used = 0 if size == 0 else round(100 * (size - free) / size)
        device = fs.get("device") or f"/dev/lv{i:02d}"
        out.out(f"{device:<13} {size:>11} {free:>9} {used:>4}%  {1000 + i * 37:>7}     1% {mount}")
    return out
