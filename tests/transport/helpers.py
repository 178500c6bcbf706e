"""Keys for the SSH transport tests: a fresh key pair, and a known_hosts file that pins a
loopback sshd's port to a key that is not its own (what a changed or spoofed host looks like)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def new_key(path: Path) -> Path:
    """An ed25519 key pair without passphrase at `path` and `path`.pub (ssh-keygen)."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path


def foreign_known_hosts(where: Path, port: int) -> Path:
    """`where`/known_hosts naming 127.0.0.1:`port` with a key of its own making."""
    key = new_key(where / "foreign_key")
    kind, data = Path(f"{key}.pub").read_text(encoding="utf-8").split()[:2]
    known = where / "known_hosts"
    known.write_text(f"[127.0.0.1]:{port} {kind} {data}\n", encoding="utf-8")
    return known
