"""The process entry point (`xclone`, `python -m xclone`): `xclone --version` is answered here,
before click and the command group are imported, which are most of that command's start-up."""

from __future__ import annotations

import sys

from xclone import __version__

# what click's version_option prints for prog_name="xclone" (xclone.cli.main)
VERSION_LINE = f"xclone, version {__version__}\n"


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(VERSION_LINE)
        return
    from xclone.cli.main import main as run

    run()
