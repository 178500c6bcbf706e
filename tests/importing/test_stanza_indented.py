"""`xclone import --stanza` reads an indented stanza file as xCAT's `mkdef -z` does.

xCAT's reader (`readFileInput`, perl-xCAT/xCAT/DBobjUtils.pm at tag 2.9.2_aix_release, lines
1675-1731) skips blank and `#` lines whatever their indent, takes any line ending in `:` as a
header and trims blanks around names, attributes and values; xCAT's documentation prints its
stanza examples indented, and users copy them from there.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from tests.importing.conftest import FIXTURES


def _import(cli: click.Group, path: Path) -> str:
    result = CliRunner().invoke(cli, ["import", "--stanza", str(path), "--cluster", "clustersite"])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_indented_stanza_file_imports_like_the_flush_one(xclone_cli: click.Group,
                                                           tmp_path: Path) -> None:
    flush = FIXTURES / "seed.stanza"
    lines = flush.read_text(encoding="utf-8").splitlines()
    indented = tmp_path / "seed.stanza"
    body = [("    " + line.strip() if line.endswith(":") else "        " + line.strip()) + "  "
            for line in lines]
    indented.write_text("\n".join(body) + "\n", encoding="utf-8")
    expected = _import(xclone_cli, flush).replace(str(flush), str(indented))
    assert _import(xclone_cli, indented) == expected
    assert "node01:" in expected and "node02:" in expected


def test_a_value_ending_in_a_colon_stays_a_value(xclone_cli: click.Group, tmp_path: Path) -> None:
    """lsdef -z prints `usercomment=see:` as is; it must not end the stanza or fail the file."""
    text = (FIXTURES / "seed.stanza").read_text(encoding="utf-8")
    path = tmp_path / "colon.stanza"
    path.write_text(text.replace("\thwtype=lpar\n", "\thwtype=lpar\n\tusercomment=see:\n", 1),
                    encoding="utf-8")
    output = _import(xclone_cli, path)
    assert "usercomment=see:" in output
    assert "node02:" in output


def test_rscan_verbose_trace_lines_are_not_stanza_text(xclone_cli: click.Group,
                                                       tmp_path: Path) -> None:
    """`rscan -V -z hmc01 > file` interleaves trace lines (time, pid, text: `trace` in
    xCAT-server/lib/perl/xCAT/PPC.pm, 2.9.2); the import reads the stanzas around them."""
    flush = FIXTURES / "seed.stanza"
    traced = tmp_path / "seed.stanza"
    traced.write_text("10:25:46 75596 hmc01: Connecting to hmc01\n"
                      + flush.read_text(encoding="utf-8")
                      + "10:25:46 75596 Total Elapsed Time: 0.376 sec\n", encoding="utf-8")
    expected = _import(xclone_cli, flush).replace(str(flush), str(traced))
    assert _import(xclone_cli, traced) == expected
