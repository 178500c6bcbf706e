"""`xclone validate specs/examples/*.yaml` checks each file as what it is: spec or lab file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from xclone.cli.main import _register, cli

EXAMPLES = Path(__file__).resolve().parents[2] / "specs" / "examples"


def _validate(*paths: Path) -> tuple[int, str, str]:
    _register()
    result = CliRunner().invoke(cli, ["validate", *map(str, paths)])
    return result.exit_code, result.stdout, result.stderr


def test_every_example_validates() -> None:
    status, out, err = _validate(*sorted(EXAMPLES.glob("*.yaml")))
    assert status == 0, err
    assert "seed-lab.yaml: valid lab file: 1 hmc(s), 3 lpar(s)" in out
    assert "seed-cluster.yaml: valid: 1 hmc, 1 cec" in out
    assert ("nim-cluster.yaml: valid: 1 hmc, 1 cec, 1 network, 1 osimage, 1 group, 2 lpars"
            in out)


def test_a_bad_lab_file_names_its_line(tmp_path: Path) -> None:
    text = (EXAMPLES / "seed-lab.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "lab.yaml"
    bad.write_text(text.replace("clock:", "clock:\n  speed: 3", 1), encoding="utf-8")
    status, _, err = _validate(bad)
    assert status == 1
    assert f"{bad}:" in err and "speed" in err and "Traceback" not in err
