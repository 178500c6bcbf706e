"""`xclone diff`: the resolved difference between two spec revisions, no system contacted."""

from __future__ import annotations

import json
from pathlib import Path

import click
import markdown
from click.testing import CliRunner

from tests.ci.conftest import SEED
from xclone.spec import load_spec
from xclone.spec.semantic_diff import diff_specs

RANGED = """\
version: 1
cluster: c1
management_node: {host: mn}
hmcs: {hmc01: {host: hmc01}}
networks: {net1: {net: 10.0.0.0, mask: 255.255.255.0}}
osimages: {img: {source_node: gold, spot: spot1}}
lpar_defaults: {hmc: hmc01, cec: cec1, osimage: img, profile: p}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _edited(tmp_path: Path) -> Path:
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("mac: fef9dfb7c602}", "mac: fef9dfb7c602, state: absent}\n"
                        "  node03: {id: 11, profile: lpar11, ip: 9.114.113.233}")
    text = text.replace("spot: 610spot", "spot: 710spot")
    text = text.replace("ip: 9.114.113.230", "ip: 9.114.113.240")
    return _write(tmp_path, "new.yaml", text)


def test_rewriting_lpars_as_a_range_is_no_change(tmp_path: Path) -> None:
    listed = RANGED + "lpars:\n" + "".join(
        f"  n{i:02d}: {{id: {i}, ip: 10.0.0.{i}}}\n" for i in range(1, 6))
    ranged = RANGED + "lpar_ranges:\n  - {names: 'n[01-05]', first_id: 1, first_ip: 10.0.0.1}\n"
    old = load_spec(_write(tmp_path, "a.yaml", listed))
    new = load_spec(_write(tmp_path, "b.yaml", ranged))
    assert diff_specs(old, new) == ()
    moved = load_spec(_write(tmp_path, "c.yaml", ranged.replace("first_ip: 10.0.0.1",
                                                                "first_ip: 10.0.0.11")))
    changes = diff_specs(old, moved)
    assert [c.address for c in changes] == [f"lpar.n{i:02d}" for i in range(1, 6)]
    assert changes[0].attributes[0].before == "10.0.0.1"
    assert changes[0].attributes[0].after == "10.0.0.11"


def test_text_output_and_detailed_exit_codes(xclone_cli: click.Group, tmp_path: Path) -> None:
    runner = CliRunner()
    new = _edited(tmp_path)
    result = runner.invoke(xclone_cli, ["diff", str(SEED), str(new), "--detailed-exitcode"])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert "~ osimage.610sysb" in lines
    assert '    spot: "610spot" -> "710spot"' in lines
    assert '    ip: "9.114.113.230" -> "9.114.113.240"' in lines
    assert any(line.startswith("~ lpar.node02  ! LPAR leaves xclone") for line in lines)
    assert "+ lpar.node03" in lines
    assert lines[-1] == "Spec diff: 1 to add, 3 to change, 0 to remove."
    same = runner.invoke(xclone_cli, ["diff", str(SEED), str(SEED), "--detailed-exitcode"])
    assert same.exit_code == 0
    assert "No changes" in same.output
    plain = runner.invoke(xclone_cli, ["diff", str(SEED), str(new)])
    assert plain.exit_code == 0


def test_json_and_markdown_outputs(xclone_cli: click.Group, tmp_path: Path) -> None:
    runner = CliRunner()
    new = _edited(tmp_path)
    document = json.loads(runner.invoke(xclone_cli, ["diff", str(SEED), str(new),
                                                     "--format", "json"]).output)
    assert document["format_version"] == 1
    assert document["summary"] == {"add": 1, "change": 3, "remove": 0}
    node03 = next(c for c in document["changes"] if c["address"] == "lpar.node03")
    assert node03["action"] == "add"
    assert {"name": "id", "before": None, "after": 11} in node03["attributes"]
    text = runner.invoke(xclone_cli, ["diff", str(SEED), str(new), "--format", "markdown"]).output
    html = markdown.markdown(text, extensions=["tables"])
    assert html.count("<tr>") == 1 + 4
    assert "<code>lpar.node02</code>" in html


def test_bad_spec_is_a_message_not_a_traceback(xclone_cli: click.Group, tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.yaml", "version: 1\ncluster: [\n")
    result = CliRunner().invoke(xclone_cli, ["diff", str(SEED), str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml" in result.output and "Traceback" not in result.output
