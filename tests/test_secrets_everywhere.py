"""No secret in anything xclone writes or prints (CONTRACT §10; issue 10 §1, issue 11 §8, §11).

Every command here is the real CLI in a fresh process (`python -m xclone`), so a secret that one
command resolved cannot be masked in the next by what an earlier one remembered.

xCAT facts: `lsdef` prints the HMC node's `password` in clear in every form (2.9.2
DBobjectdefs.pm `defls` pushes `    attr=value` for `-l`/`-z` and `node: attr=value` for `-c`;
Schema.pm maps the node attribute `password` of nodetype hmc to ppchcp.password).

The NIM driver (tests/drivers.py, case `nim`): with `netboot: hmc` the HMC password goes nowhere
but the SSH login to the HMC; with `netboot: nim` it also reaches AIX's `dpasswd` (dsm.core),
which writes NIM's encrypted password file for the HMC object (`nim -o define -t hmc -a
passwd_file=...`, IBM "Defining NIM clients"; docs/formats.md "NIM", Managed clients): on its
standard input, so the journal and every printed command show it masked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import needs_sshd
from tests.drivers import XCAT, DriverCase, both
from xclone.sim import Fault, Lab
from xclone.sim.aix.dpasswd import sealed
from xclone.sim.serve import LabServer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "specs" / "examples"
QUOTED = "Zq8\"x\\ y(z)'w"
PLAIN = "Plain7Distinct4Pw"


class World:
    """The seed scenario in a temporary directory, its HMC password read from a file whose path
    has a space and parentheses. The lab file and its state are the simulated cluster (which
    holds the password, as real xCAT does); everything else under `work/` is xclone's."""

    def __init__(self, where: Path, password: str, case: DriverCase = XCAT,
                 netboot: str | None = None) -> None:
        self.password = password
        lab = yaml.safe_load((EXAMPLES / case.lab).read_text(encoding="utf-8"))
        lab["clock"] = {**lab["clock"], "instant": True}
        lab["hmcs"]["hmc01"]["password"] = password
        self.lab_file = where / "lab" / case.lab
        self.state = where / "lab" / "state"
        self.lab_file.parent.mkdir()
        self.lab_file.write_text(yaml.safe_dump(lab, sort_keys=False), encoding="utf-8")
        self.secret_file = where / "secrets dir" / "my pw (hmc)).txt"
        self.secret_file.parent.mkdir()
        self.secret_file.write_text(password + "\n", encoding="utf-8")
        self.work = where / "work"
        self.work.mkdir()
        spec = yaml.safe_load((EXAMPLES / case.spec).read_text(encoding="utf-8"))
        spec["hmcs"]["hmc01"]["password"] = {"file": str(self.secret_file)}
        if netboot is not None:
            spec["netboot"] = netboot
        self.master = spec["management_node"]["host"]
        self.spec = self.work / case.spec
        self.spec.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        self.printed: list[str] = []

    @property
    def lab(self) -> Lab:
        return Lab.for_file(self.lab_file, self.state)

    def run(self, *args: str, status: int = 0) -> str:
        env = {**os.environ, "XCLONE_LAB_STATE": str(self.state), "NO_COLOR": "1",
               "PYTHONPATH": str(ROOT)}
        env.pop("HMC01_PASSWORD", None)
        done = subprocess.run([sys.executable, "-m", "xclone", *args], cwd=self.work, env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        self.printed += [done.stdout, done.stderr]
        assert done.returncode == status, f"{args}: {done.returncode}\n{done.stdout}{done.stderr}"
        return done.stdout

    def cmd(self, name: str, *args: str, status: int = 0) -> str:
        return self.run(name, str(self.spec), "--lab", str(self.lab_file), *args, status=status)

    def plan_and_apply(self) -> None:
        """The fresh world's walk: a saved plan shown as text and JSON, a markdown plan, and
        an apply with verbose JSON logs (where a secret would be most likely to slip)."""
        self.cmd("plan", "-o", "fresh.plan.json")
        self.run("show", "fresh.plan.json")
        self.run("show", "fresh.plan.json", "--format", "json")
        self.cmd("plan", "--format", "markdown")
        self.run("--log-format", "json", "-v", "apply", str(self.spec), "--lab",
                 str(self.lab_file), "--auto-approve")

    def hmc_password_file(self) -> str:
        """NIM's password file for hmc01 as dpasswd wrote it (empty when there is none)."""
        return self.lab.execute(self.master, "cat /etc/ibm/sysmgt/dsm/config/hmc01").stdout

    def hmc_password_in_xcat(self) -> str:
        result = self.lab.execute("xcataixmn", "lsdef -t node -o hmc01 -i password -c")
        return result.stdout.strip().removeprefix("hmc01: password=")

    def leaks(self) -> list[str]:
        forms = {self.password, json.dumps(self.password)[1:-1],
                 json.dumps(self.password, ensure_ascii=False)[1:-1]}
        found = [f"printed output #{i}" for i, text in enumerate(self.printed)
                 if any(f in text for f in forms)]
        for path in sorted(self.work.rglob("*")):
            if path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                found += [f"{path.relative_to(self.work)}: {f!r}" for f in forms if f in text]
        return found


def _failing(password: str) -> list[Fault]:
    """Commands that echo the password back, raw and as an xCAT attribute, on both streams."""
    stanza = f"hmc01:\n    objtype=node\n    password={password}\n    username=hscroot\n"
    return [
        Fault(host="xcataixmn", command="chdef", args="hmc01", exit_status=1,
              stdout=stanza, stderr=f"Error: hmc01: cannot log in with '{password}'\n"),
        Fault(host="xcataixmn", command="rmdef", args="hmc01", exit_status=1,
              stdout=f"hmc01: password={password}\n", stderr=f"Error: {password}\n"),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("password", [QUOTED, PLAIN], ids=["quotes-backslash-space", "plain"])
def test_distinctive_password_is_nowhere(tmp_path: Path, password: str) -> None:
    world = World(tmp_path, password)
    world.plan_and_apply()
    assert world.hmc_password_in_xcat() == password, "the real value reached xCAT"

    world.cmd("observe", "--save", "snap")
    snapshot = (world.work / "snap" / "snapshot.json").read_text(encoding="utf-8")
    assert "password=***" in snapshot
    world.cmd("plan", "-o", "converged.plan.json")
    world.run("show", "converged.plan.json", "--format", "markdown")
    world.cmd("plan", "--format", "json")
    world.run("--log-format", "json", "-vv", "apply", str(world.spec), "--lab",
              str(world.lab_file), "--auto-approve")
    world.run("-vv", "apply", str(world.spec), "--lab", str(world.lab_file), "--auto-approve")

    # Error paths: an update of the HMC node whose command echoes the password, an observation
    # that fails quoting it, a destroy whose rmdef fails the same way.
    world.lab.execute("xcataixmn", "chdef -t node -o hmc01 username=someone")
    for fault in _failing(password):
        world.lab.add_fault(fault)
    world.cmd("plan", "--format", "json")
    world.run("--log-format", "json", "-v", "apply", str(world.spec), "--lab",
              str(world.lab_file), "--auto-approve", status=1)
    world.lab.add_fault(Fault(host="xcataixmn", command="lsdef", args="-t site", exit_status=1,
                              stderr=f"Error: site: password={password} {password}\n"))
    world.cmd("plan", status=1)
    world.lab.clear_faults()
    for fault in _failing(password):
        world.lab.add_fault(fault)
    world.run("--log-format", "json", "destroy", str(world.spec), "--lab", str(world.lab_file),
              "--auto-approve", status=1)
    world.lab.clear_faults()
    world.run("--log-format", "json", "-v", "destroy", str(world.spec), "--lab",
              str(world.lab_file), "--auto-approve")
    world.run("runs")

    assert list((world.work / ".xclone" / "runs").glob("*.jsonl")), "journals were written"
    assert world.leaks() == []


def _failing_nim(password: str, master: str) -> list[Fault]:
    """A NIM remove and an HMC listing that echo the password on both streams."""
    return [
        Fault(host=master, command="nim", args="remove", exit_status=1,
              stdout=f"passwd_file holds {password}\n",
              stderr=f'0042-001 nim: processing error encountered on "master":\n   {password}\n'),
        Fault(host="hmc01", command="lshwres", exit_status=1,
              stderr=f"HSCL0001 cannot log in with {password}\n"),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("netboot", ["hmc", "nim"], ids=["netboot-hmc", "netboot-nim"])
@pytest.mark.parametrize("case", [p for p in both() if p.id == "nim"])
def test_distinctive_password_is_nowhere_with_the_nim_driver(
        tmp_path: Path, case: DriverCase, netboot: str) -> None:
    """The same walk as the xCAT test above: plans in every format, applies, a snapshot, a
    destroy whose `nim -o remove` echoes the password and an observation whose HMC listing does;
    with `netboot: nim` dpasswd gets the exact value (the lab keeps only a digest of it)."""
    world = World(tmp_path, QUOTED, case, netboot)
    world.plan_and_apply()
    expected = f"hscroot {sealed(QUOTED)}\n" if netboot == "nim" else ""
    assert world.hmc_password_file() == expected, "dpasswd got the real value (netboot: nim)"
    world.cmd("observe", "--save", "snap")
    world.cmd("plan", "-o", "converged.plan.json")
    world.run("show", "converged.plan.json", "--format", "markdown")
    world.run("plan", str(world.spec), "--snapshot", "snap", "--format", "json")
    world.run("--log-format", "json", "-vv", "apply", str(world.spec), "--lab",
              str(world.lab_file), "--auto-approve")
    nim_remove, hmc_listing = _failing_nim(QUOTED, world.master)
    world.lab.add_fault(hmc_listing)
    world.cmd("plan", status=1)
    world.lab.clear_faults()
    world.lab.add_fault(nim_remove)
    world.run("--log-format", "json", "-v", "destroy", str(world.spec), "--lab",
              str(world.lab_file), "--auto-approve", status=1)
    world.lab.clear_faults()
    world.run("--log-format", "json", "-vv", "destroy", str(world.spec), "--lab",
              str(world.lab_file), "--auto-approve")
    world.run("runs")
    journals = sorted((world.work / ".xclone" / "runs").glob("*.jsonl"))
    assert journals, "journals were written"
    dpasswd = [json.loads(line) for path in journals
               for line in path.read_text(encoding="utf-8").splitlines() if "dpasswd" in line]
    assert [e["stdin"] for e in dpasswd if e["event"] == "command"] == (
        ["***"] if netboot == "nim" else [])
    assert world.leaks() == []


def _plan_json(run: Any, *extra: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(run("plan", *extra, "--format", "json"))
    document.pop("source")
    return document


@pytest.mark.slow
def test_masked_snapshot_plans_what_the_live_cluster_plans(tmp_path: Path) -> None:
    """Fresh lab, converged lab, and a converged lab whose HMC node was edited (the plan's
    `before` then holds the observed HMC node, password attribute included, masked)."""
    world = World(tmp_path, QUOTED)

    def compare(label: str) -> dict[str, Any]:
        live = _plan_json(world.cmd)
        world.cmd("observe", "--save", label)
        replayed = _plan_json(world.run, str(world.spec), "--snapshot", label)
        assert replayed == live, label
        return live

    compare("fresh")
    world.cmd("apply", "--auto-approve")
    assert compare("converged")["actions"] == []
    world.lab.execute("xcataixmn", "chdef -t node -o hmc01 username=someone")
    edited = compare("edited")
    assert [a["command"] for a in edited["actions"]] == \
        ["LC_ALL=C chdef -t node -o hmc01 username=hscroot"]
    assert edited["resource_changes"][0]["change"]["before"]["password"] == "***"
    assert world.leaks() == []


@pytest.mark.slow
def test_secret_file_path_with_space_and_parentheses_reaches_xcat(tmp_path: Path) -> None:
    """Issue 11 §8: the placeholder used to stop at the first blank or parenthesis, so xCAT got
    `password=((secret:file:/…/my pw (hmc)).txt))` instead of the password."""
    world = World(tmp_path, QUOTED)
    shown = world.cmd("plan")
    assert "password=***" in shown and "secret:" not in shown
    world.cmd("apply", "--auto-approve")
    assert world.hmc_password_in_xcat() == QUOTED


@pytest.mark.slow
def test_a_password_xcat_would_mangle_stops_apply_before_any_change(tmp_path: Path) -> None:
    """A password ending in ':' would make xCAT's mkdef -z reader skip the HMC stanza, and one
    with a line break would add attributes to it: apply refuses it up front, naming the file."""
    world = World(tmp_path, "ends with colon:")
    world.cmd("apply", "--auto-approve", status=1)
    assert "it ends with ':'" in world.printed[-1]
    assert str(world.secret_file) in world.printed[-1]
    assert "ends with colon" not in "".join(world.printed)
    listing = world.lab.execute("xcataixmn", "lsdef -t node -z").stdout
    assert "hmc01:" not in listing and "node01:" not in listing


@pytest.mark.slow
@needs_sshd
@pytest.mark.parametrize("case", both())
def test_distinctive_password_over_real_sshd(tmp_path: Path, case: DriverCase) -> None:
    """The SSH transport sends the filled stanza on the channel's stdin and the password as a
    connection argument: xCAT gets the exact value, and nothing written or printed holds it.
    NIM driver with `netboot: nim`: dpasswd reads it from the channel's stdin."""
    world = World(tmp_path, QUOTED, case, None if case is XCAT else "nim")
    Lab.init(world.lab_file, world.state)
    with LabServer(world.state, run_dir=tmp_path / "run") as server:
        ssh = ("--ssh-config", str(server.ssh_config), "--known-hosts", str(server.known_hosts))
        world.run("--log-format", "json", "-vv", "apply", str(world.spec), *ssh, "--auto-approve")
        world.run("observe", str(world.spec), *ssh, "--save", "snap")
        world.run("plan", str(world.spec), *ssh, "-o", "converged.plan.json")
    if case is XCAT:
        listed = Lab.open(world.state).execute("xcataixmn",
                                               "lsdef -t node -o hmc01 -i password -c")
        assert listed.stdout == f"hmc01: password={QUOTED}\n"
    else:
        listed = Lab.open(world.state).execute(world.master,
                                               "cat /etc/ibm/sysmgt/dsm/config/hmc01")
        assert listed.stdout == f"hscroot {sealed(QUOTED)}\n"
    assert world.leaks() == []


@pytest.mark.slow
def test_a_password_equal_to_another_observed_value_plans_no_change(tmp_path: Path) -> None:
    """IVMs ship as padmin/padmin: a password equal to the user name is masked wherever it is
    printed, `username=` included; a masked observed value is unknown and never compared, so
    the converged cluster plans nothing instead of `chdef ... username=` forever."""
    world = World(tmp_path, "hscroot")
    world.cmd("apply", "--auto-approve")
    assert world.cmd("plan", "--detailed-exitcode").startswith("No changes.")
    world.cmd("observe", "--save", "snap")
    world.run("plan", str(world.spec), "--snapshot", "snap", "--detailed-exitcode")


@pytest.mark.slow
def test_a_secret_echoed_in_any_listing_is_masked_from_the_first_probe(tmp_path: Path) -> None:
    """The management node's listings run beside the HMC logins: the password must be known to
    the redactor before the first output comes back, not only once a login has read it."""
    world = World(tmp_path, PLAIN)
    world.cmd("apply", "--auto-approve")
    world.lab.execute("xcataixmn", "chdef -t node -o hmc01 username=someone "
                      f"'usercomment=xclone:clustersite {PLAIN}'")
    for _ in range(8):  # without the fix, some runs (not all) showed the password
        plan = json.loads(world.cmd("plan", "--format", "json"))
        before = plan["resource_changes"][0]["change"]["before"]
        assert before["usercomment"] == "xclone:clustersite ***"
    assert world.leaks() == []
