"""`xclone lab init --from-spec SPEC`: a lab world that matches any spec, through the real CLI.

The reference worlds are the hand-written labs (specs/examples/seed-lab.yaml,
tests/golden/inputs/large-lab.yaml): a spec planned against the generated lab must give the same
plan as against the hand-written one, so the generated world holds the same partitions (ids,
profiles, `Not Activated` as never-booted hardware), golden NIM client, SPOT and resources, and
NIM master network (aixinstall.pm nim_master_setup: `master_net` on the master's own subnet,
so `xcat2nim -t network` finds it; see docs/lab.md "The seed lab").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner, Result

from xclone.sim import Lab, LabError
from xclone.sim.labfile import parse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "specs" / "examples"
INPUTS = ROOT / "tests" / "golden" / "inputs"




class Cli:
    """The CLI in `where`, with the HMC secrets the example specs reference."""

    def __init__(self, group: click.Group, where: Path) -> None:
        self.group, self.where = group, where
        home = where / "home"
        (home / ".xclone").mkdir(parents=True)
        (home / ".xclone" / "hmc02.password").write_text("def456\n", encoding="utf-8")
        self.env = {"HMC01_PASSWORD": "abc123", "HMC001_PASSWORD": "abc123", "HOME": str(home),
                    "XCLONE_LAB_STATE": str(where / "state"), "NO_COLOR": "1",
                    "COLUMNS": "100"}

    def __call__(self, *args: str, **env: str) -> Result:
        return CliRunner().invoke(self.group, list(args), env={**self.env, **env})

    def spec(self, source: Path) -> Path:
        copy = self.where / source.name
        shutil.copy(source, copy)
        return copy

    def init(self, spec: Path) -> Path:
        lab = self.where / f"{spec.stem}-lab.yaml"
        result = self("lab", "init", "--from-spec", str(spec), "--instant")
        assert result.exit_code == 0, result.output
        assert f"Lab {lab} seeded in {self.where / 'state' / lab.stem}." in result.output
        return lab

    def plan(self, spec: Path, lab: Path) -> str:
        """The plan: stdout (the lab's state folder, which differs per lab, is on stderr)."""
        result = self("plan", str(spec), "--lab", str(lab))
        assert result.exit_code == 0, result.output
        return result.stdout


def test_seed_spec_lab_plans_exactly_like_the_seed_lab(xclone_cli: click.Group,
                                                       tmp_path: Path) -> None:
    """The only differences from seed-lab.yaml are invisible to the plan: node27 gets the lowest
    free id (1, not 3) and the next free address (.226, not .227), MACs are generated, and no
    lpp_source 610lpp exists (the spec names none)."""
    run = Cli(xclone_cli, tmp_path)
    spec = run.spec(EXAMPLES / "seed-cluster.yaml")
    lab = run.init(spec)
    seed_lab = tmp_path / "seed-lab.yaml"
    data = yaml.safe_load((EXAMPLES / "seed-lab.yaml").read_text(encoding="utf-8"))
    data["clock"] = {"instant": True}
    seed_lab.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert run.plan(spec, lab) == run.plan(spec, seed_lab)
    assert "Plan: 7 to add, 1 to change" in run.plan(spec, lab)


def test_large_cluster_lab_plans_like_the_golden_lab_and_apply_converges(
        xclone_cli: click.Group, tmp_path: Path) -> None:
    run = Cli(xclone_cli, tmp_path)
    spec = run.spec(EXAMPLES / "large-cluster.yaml")
    lab = run.init(spec)
    assert run.plan(spec, lab) == run.plan(spec, INPUTS / "large-lab.yaml")
    applied = run("apply", str(spec), "--lab", str(lab), "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert "0 failed, 0 skipped" in applied.output
    again = run("plan", str(spec), "--lab", str(lab), "--detailed-exitcode")
    assert again.exit_code == 0 and "Plan: 0 to add, 0 to change" in again.output


def test_ranged_99_lab_plans_and_apply_converges(xclone_cli: click.Group, tmp_path: Path) -> None:
    """Unlike the benchmark's synthetic lab (master on 10.0.0.0/16, outside the spec's network,
    so xcat2nim must define net001 there), the generated master sits on the spec's first
    network, as on the seed cluster: no NIM network to define."""
    run = Cli(xclone_cli, tmp_path)
    spec = run.spec(INPUTS / "ranged-99.yaml")
    lab = run.init(spec)
    plan = run.plan(spec, lab)
    # getmacs per HMC, its first half of managed systems first (docs/formats.md "How the install
    # commands are batched"): 80 LPARs on the first two systems, then the third's 19
    assert "getmacs 'lpar[00001-00080]' -D" in plan and "getmacs 'lpar[00081-00099]' -D" in plan
    assert "xcat2nim -t network" not in plan
    assert run("apply", str(spec), "--lab", str(lab), "--auto-approve").exit_code == 0
    assert run("plan", str(spec), "--lab", str(lab), "--detailed-exitcode").exit_code == 0


def test_the_lab_file_holds_references_never_secrets(xclone_cli: click.Group,
                                                     tmp_path: Path) -> None:
    """The lab reads each HMC's reference when someone logs in: the password the environment
    holds then is accepted, another one or an unset variable is refused."""
    run = Cli(xclone_cli, tmp_path)
    lab = run.init(run.spec(EXAMPLES / "large-cluster.yaml"))
    text = lab.read_text(encoding="utf-8")
    assert "abc123" not in text and "def456" not in text
    data = yaml.safe_load(text)
    assert data["hmcs"]["hmc01"]["password"] == {"env": "HMC01_PASSWORD"}
    assert data["hmcs"]["hmc02"]["password"] == {"file": "~/.xclone/hmc02.password"}
    assert parse(text, str(lab)).hmcs[0].systems[0].lpars[0].state == "Running"  # golden71
    assert run("validate", str(lab)).exit_code == 0
    world = Lab.open(tmp_path / "state" / lab.stem)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HMC01_PASSWORD", "abc123")
        assert world.execute("hmc01", "lssyscfg -r sys -F name", user="hscroot",
                             password="abc123").exit_status == 0
        with pytest.raises(LabError, match="Permission denied"):
            world.execute("hmc01", "lssyscfg -r sys", user="hscroot", password="wrong")
        patch.delenv("HMC01_PASSWORD")
        with pytest.raises(LabError, match="Permission denied"):
            world.execute("hmc01", "lssyscfg -r sys", user="hscroot", password="abc123")


def test_partitions_are_fresh_with_the_spec_ids_profiles_and_macs(xclone_cli: click.Group,
                                                                   tmp_path: Path) -> None:
    run = Cli(xclone_cli, tmp_path)
    lab = run.init(run.spec(EXAMPLES / "large-cluster.yaml"))
    data = yaml.safe_load(lab.read_text(encoding="utf-8"))
    cec = data["hmcs"]["hmc01"]["systems"]["Server-9117-MMA-SN10F6F3D"]
    assert (cec["type_model"], cec["serial"]) == ("9117-MMA", "10F6F3D")
    svc01, c001 = cec["lpars"]["svc01"], cec["lpars"]["compute001"]
    assert (svc01["id"], svc01["profiles"], svc01["state"]) == (2, ["service"], "Not Activated")
    assert svc01["adapters"][0]["mac"] == "fef9dfb7c610"   # the spec's FE:F9:DF:B7:C6:10
    assert (c001["id"], c001["profiles"]) == (11, ["compute"])
    again = run.init(lab.with_name("large-cluster.yaml"))   # written again: the same world
    assert again.read_text(encoding="utf-8") == lab.read_text(encoding="utf-8")
    macs = [lp["adapters"][0]["mac"] for h in data["hmcs"].values()
            for s in h["systems"].values() for lp in s["lpars"].values()]
    assert len(macs) == len(set(macs)) == 100   # 99 of the spec + golden71


def test_a_hand_written_lab_is_never_overwritten(xclone_cli: click.Group, tmp_path: Path) -> None:
    run = Cli(xclone_cli, tmp_path)
    spec = run.spec(EXAMPLES / "seed-cluster.yaml")
    mine = tmp_path / "mine.yaml"
    mine.write_text("version: 1\n", encoding="utf-8")
    result = run("lab", "init", "--from-spec", str(spec), "-o", str(mine))
    assert result.exit_code == 1
    assert result.output == (f"Error: {mine} exists and was not written by `lab init "
                             "--from-spec`; remove it or choose another file with -o\n")
    assert mine.read_text(encoding="utf-8") == "version: 1\n"
    assert run("lab", "init").exit_code == 1
    assert "Error: lab init needs LAB, or --from-spec SPEC" in run("lab", "init").output


def test_lab_show_names_its_state_folder(xclone_cli: click.Group, tmp_path: Path) -> None:
    run = Cli(xclone_cli, tmp_path)
    lab = run.init(run.spec(EXAMPLES / "seed-cluster.yaml"))
    shown = run("lab", "show", str(lab))
    assert shown.exit_code == 0
    assert shown.output.startswith(f"State: {tmp_path / 'state' / lab.stem}\n")


def test_a_password_that_is_neither_literal_nor_reference_is_an_error(tmp_path: Path) -> None:
    text = (EXAMPLES / "seed-lab.yaml").read_text(encoding="utf-8")
    text = text.replace("    password: abc123\n", "    password: {vault: hmc01}\n")
    with pytest.raises(LabError) as error:
        parse(text, "lab.yaml")
    line = text.splitlines().index("    password: {vault: hmc01}") + 1
    assert [d.format() for d in error.value.diagnostics] == [
        f"lab.yaml:{line}:5: password must be a string, {{env: NAME}} or {{file: PATH}}"]
