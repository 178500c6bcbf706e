"""The lab's `cksum` (what the several-masters script check reads, drivers/nim/scriptsums.py):
IEEE Std 1003.1 "cksum" (the CRC with polynomial 0x04C11DB7 over the bytes, then the length)
and IBM AIX "cksum Command" (`CHECKSUM BYTES FILE` per file; a file it cannot open reported on
stderr while the others are still listed, exit 1). The checksums are checked against the host's
own POSIX cksum (GNU coreutils implements the same algorithm)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario

MASTER = "nimmaster"


@pytest.mark.skipif(shutil.which("cksum") is None, reason="no cksum on this machine")
def test_cksum_matches_posix_and_reports_an_unreadable_file_after_the_others(
        tmp_path: Path) -> None:
    seed = Scenario(tmp_path, lab_name="nim-lab.yaml", spec_name="nim-cluster.yaml")
    texts = {"/tmp/a": "#!/usr/bin/ksh\nexit 0\n", "/tmp/b": ""}
    for path, text in texts.items():
        assert seed.lab.execute(MASTER, f"tee {path}", text).exit_status == 0
    result = seed.lab.execute(MASTER, "cksum /tmp/a /tmp/missing /tmp/b")
    assert result.exit_status == 1
    assert result.stderr == "cksum: 0652-050 Cannot open /tmp/missing.\n"
    expected = [subprocess.run(["cksum"], input=text.encode(), capture_output=True,
                               check=True).stdout.decode().split() + [path]
                for path, text in texts.items()]
    assert [line.split() for line in result.stdout.splitlines()] == expected
