"""`xclone import --stanza`: rscan stanza files become specs that validate once the TODOs are
filled, with ranges, kept comments and no secret copied."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from tests.importing.conftest import FIXTURES, TODO, fill_todos
from xclone.base.errors import XcloneError
from xclone.base.noderange import expand
from xclone.spec import load_spec
from xclone.spec.importer import SCHEMA_COMMENT, ImportOptions, import_stanzas, runs
from xclone.spec.stanza_import import read_inventory

CEC_A = "Server-9117-MMA-SN10F6F3D"
CEC_B = "Server-9119-FHA-SN02A7B1C"


def _lpar(name: str, lpar_id: int, profile: str, cec: str, indent: str = "\t") -> str:
    attrs = [("objtype", "node"), ("nodetype", "ppc,osi"), ("id", str(lpar_id)), ("mtm", ""),
             ("serial", ""), ("hcp", "hmc01"), ("pprofile", profile), ("parent", cec),
             ("mgt", "hmc"), ("cons", "hmc"), ("hwtype", "lpar"), ("groups", "lpar,all")]
    return f"{name}:\n" + "".join(f"{indent}{k}={v}\n" for k, v in attrs)


def _cec(name: str, mtm: str, serial: str) -> str:
    attrs = [("objtype", "node"), ("nodetype", "ppc"), ("id", ""), ("mtm", mtm),
             ("serial", serial), ("hcp", "hmc01"), ("pprofile", ""), ("parent", ""),
             ("mgt", "hmc"), ("cons", ""), ("hwtype", "cec"), ("groups", "cec,all")]
    return f"{name}:\n" + "".join(f"\t{k}={v}\n" for k, v in attrs)


def generated_500() -> str:
    """500 LPARs on two CECs; lpar400 breaks the id sequence, so it ends a range."""
    parts = [_cec(CEC_A, "9117-MMA", "10F6F3D"), _cec(CEC_B, "9119-FHA", "02A7B1C")]
    for n in range(1, 501):
        cec, lpar_id = (CEC_A, n) if n <= 250 else (CEC_B, n - 250)
        if n == 400:
            lpar_id = 300
        parts.append(_lpar(f"lpar{n:03d}", lpar_id, "compute", cec, "    " if n % 2 else "\t"))
    return "".join(parts)


def _filled(tmp_path: Path, text: str, golden: str = "node27") -> Path:
    data = yaml.safe_load(text)
    path = tmp_path / "filled.yaml"
    path.write_text(yaml.safe_dump(fill_todos(data, golden), sort_keys=False), encoding="utf-8")
    return path


def test_seed_stanza_gives_a_spec_that_validates_once_filled(tmp_path: Path) -> None:
    text = import_stanzas((FIXTURES / "seed.stanza").read_text(encoding="utf-8"))
    assert text.splitlines()[0] == SCHEMA_COMMENT
    raw = tmp_path / "raw.yaml"
    raw.write_text(text, encoding="utf-8")
    with pytest.raises(XcloneError) as caught:
        load_spec(raw)
    todo_lines = {n for n, line in enumerate(text.splitlines(), 1) if TODO in line
                  and not line.lstrip().startswith("#")}
    reported = {d.location.line for d in caught.value.diagnostics if d.location}
    assert reported == todo_lines
    spec = load_spec(_filled(tmp_path, text))
    assert {n: (lp.id, lp.profile, lp.cec, lp.hmc) for n, lp in spec.lpars.items()} == {
        "node01": (9, "lpar9", CEC_A, "hmc01"),
        "node02": (7, "lpar6", CEC_A, "hmc01"),
        "node27": (3, "lpar3", CEC_A, "hmc01"),
    }
    assert set(spec.hmcs) == {"hmc01"}
    assert spec.hmcs["hmc01"].password is not None
    assert spec.hmcs["hmc01"].password.env == "HMC01_PASSWORD"


def test_500_lpars_become_a_few_ranges_and_resolve_to_the_same_lpars(tmp_path: Path) -> None:
    stanza = generated_500()
    text = import_stanzas(stanza)
    data = yaml.safe_load(text)
    assert len(data["lpar_ranges"]) == 3
    assert sorted(data["lpars"]) == ["lpar400"]
    assert data["lpar_defaults"]["profile"] == "compute"
    spec = load_spec(_filled(tmp_path, text, golden="golden01"))
    assert len(spec.lpars) == 500
    wanted = {o.name: (o.id, o.cec) for o in read_inventory(stanza).lpars}
    assert {n: (lp.id, lp.cec) for n, lp in spec.lpars.items()} == wanted
    names = [name for entry in data["lpar_ranges"] for name in expand(entry["names"])]
    assert len(names) == 499


def test_ranges_need_names_ids_and_settings_in_step() -> None:
    stanza = "".join([
        _lpar("node01", 1, "p", CEC_A), _lpar("node02", 2, "p", CEC_A),
        _lpar("node03", 3, "p", CEC_A), _lpar("node04", 4, "other", CEC_A),
        _lpar("node05", 9, "p", CEC_A), _lpar("node07", 10, "p", CEC_A),
    ])
    cut = [[lp.name for lp in run] for run in runs(read_inventory(stanza).lpars)]
    assert cut == [["node01", "node02", "node03"], ["node04"], ["node05"], ["node07"]]


def test_old_rscan_runbook_file_keeps_comments_and_never_copies_a_password() -> None:
    text = import_stanzas((FIXTURES / "runbook.stanza").read_text(encoding="utf-8"),
                          ImportOptions("runbook.stanza", cluster="clustersite"))
    assert "abc123" not in text
    assert "# golden node: backed up with mksysb" in text
    assert "Hand-edited copy of `rscan -z hmc01` from the runbook" in text
    assert "os=AIX" in text
    data = yaml.safe_load(text)
    assert data["cluster"] == "clustersite"
    assert data["networks"] == {"net1": {"net": "9.114.113.224", "mask": "255.255.255.224",
                                         "gateway": "9.114.113.254"}}
    assert data["groups"] == {"aixnodes": {}}
    node01 = data["lpars"]["node01"]
    assert node01["prescripts_begin"] == {"standalone": ["foo", "bar"]}
    assert node01["postscripts"] == ["foo", "bar"]
    assert node01["ip"] == "9.114.113.230"
    # 2009-10 rscan names no parent: the only CEC of that HMC and model is the one.
    assert data["lpar_defaults"]["cec"] == CEC_A
    assert "mtm 9118-575, serial 02013EB" in text


def test_cli_writes_the_spec_and_refuses_to_overwrite(xclone_cli: click.Group,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "cluster.yaml"
    runner = CliRunner()
    args = ["import", "--stanza", str(FIXTURES / "seed.stanza"), "-o", str(out)]
    first = runner.invoke(xclone_cli, args)
    assert first.exit_code == 0, first.output
    assert out.read_text(encoding="utf-8").startswith(SCHEMA_COMMENT)
    again = runner.invoke(xclone_cli, args)
    assert again.exit_code == 1
    assert "--force" in again.output
    assert runner.invoke(xclone_cli, [*args, "--force"]).exit_code == 0
    to_stdout = runner.invoke(xclone_cli, ["import", "--stanza", str(FIXTURES / "seed.stanza"),
                                           "--cluster", "clustersite"])
    assert "cluster: clustersite" in to_stdout.output


def test_cli_reports_a_bad_stanza_line_without_a_traceback(xclone_cli: click.Group,
                                                           tmp_path: Path) -> None:
    bad = tmp_path / "bad.stanza"
    bad.write_text("node01:\n\tobjtype=node\n\tthis is not an attribute\n", encoding="utf-8")
    result = CliRunner().invoke(xclone_cli, ["import", "--stanza", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: line 3" in result.output
    assert "Traceback" not in result.output
    missing = CliRunner().invoke(xclone_cli, ["import", "--stanza", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "no such stanza file" in missing.output
