"""Against the lab: a cluster built by hand with the runbook is adopted with marks only and then
plans empty; a spec imported from the lab's own `rscan -z` plans no create for what exists."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner, Result

from xclone.sim import Lab

ROOT = Path(__file__).resolve().parents[2]
SEED_LAB = ROOT / "specs" / "examples" / "seed-lab.yaml"
SEED_SPEC = ROOT / "specs" / "examples" / "seed-cluster.yaml"
HMC_NODE = ("mkdef -t node -o hmc01 groups=hmc,all nodetype=ppc hwtype=hmc mgt=hmc "
            "username=hscroot password=abc123")
RUNBOOK = (
    "chdef -t site -o clustersite ppctimeout=180",
    "mkdef -t network -o net1 net=9.114.113.224 mask=255.255.255.224 gateway=9.114.113.254",
    "mkdef -t group -o aixnodes postscripts=setupntp,confignimsh",
    "chdef node01 ip=9.114.113.230 groups=lpar,all,aixnodes postscripts=foo,bar "
    "prescripts-begin=standalone:foo,bar",
    "chdef node02 ip=9.114.113.231 groups=lpar,all,aixnodes mac=fef9dfb7c602",
    "mknimimage -m mksysb -n node27 610sysb spot=610spot resolv_conf=my_resolv_conf",
    "makehosts",
    "makeconservercf",
    "getmacs node01 -D",
    "xcat2nim -t network -o net1",
    "xcat2nim -t node node01,node02",
    "nimnodeset -i 610sysb node01,node02",
    "rnetboot node01,node02",
)


class World:
    """The seed lab (instant clock) in a temporary directory, and the CLI run inside it."""

    def __init__(self, where: Path, cli: click.Group) -> None:
        self.dir, self.cli = where, cli
        data = yaml.safe_load(SEED_LAB.read_text(encoding="utf-8"))
        data["clock"] = {"instant": True}
        self.lab_file = where / "lab.yaml"
        self.lab_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        self.lab = Lab.for_file(self.lab_file, where / "state")
        self.env = {"XCLONE_LAB_STATE": str(where / "state"), "HMC01_PASSWORD": "abc123",
                    "NO_COLOR": "1"}

    def mn(self, command: str, stdin: str | None = None) -> str:
        result = self.lab.execute("xcataixmn", command, stdin)
        return result.stdout

    def xclone(self, *args: str) -> Result:
        return CliRunner().invoke(self.cli, [*args], env=self.env)

    def journals(self) -> list[list[dict[str, object]]]:
        files = sorted((self.dir / ".xclone" / "runs").glob("*.jsonl"))
        return [[json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()]
                for f in files]


@pytest.fixture
def world(tmp_path: Path, xclone_cli: click.Group, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.chdir(tmp_path)
    made = World(tmp_path, xclone_cli)
    made.mn(HMC_NODE)
    made.mn("mkdef -z", made.mn("rscan -z hmc01"))
    return made


def test_runbook_cluster_is_adopted_with_marks_only_and_then_plans_empty(world: World) -> None:
    for command in RUNBOOK:
        world.mn(command)
    spec = str(world.dir / "seed.yaml")
    Path(spec).write_text(SEED_SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    before = world.xclone("plan", spec, "--lab", str(world.lab_file))
    assert before.exit_code == 1
    assert "adopt it with `xclone import SPEC lpar.node01`" in before.output

    refused = world.xclone("import", spec, "--lab", str(world.lab_file), "--all")
    assert refused.exit_code == 1 and "pass --auto-approve" in refused.output
    (refusal,) = world.journals()
    assert {r["action"] for r in refusal if r["event"] == "command"} == {"lock", "observe"}
    assert "pass --auto-approve" in str(refusal[-1]["error"])
    assert "usercomment" not in world.mn("lsdef node01")

    adopted = world.xclone("import", spec, "--lab", str(world.lab_file), "--all",
                           "--auto-approve")
    assert adopted.exit_code == 0, adopted.output
    assert "Adopted: 9 objects marked" in adopted.output
    (journal,) = [j for j in world.journals() if j[-1].get("ok")]
    commands = [r["command"] for r in journal
                if r["event"] == "command" and str(r["action"]).startswith("mark")]
    assert len(commands) == 9  # master_net is NIM's own: not adopted
    assert all(str(c).startswith(("LC_ALL=C chdef -t ", "LC_ALL=C nim -o change -a comments="))
               for c in commands)
    assert all("usercomment=xclone:clustersite" in str(c) or "comments=xclone:clustersite"
               in str(c) for c in commands)
    assert journal[0]["kind"] == "import" and journal[-1]["ok"] is True

    after = world.xclone("plan", spec, "--lab", str(world.lab_file), "--detailed-exitcode")
    assert after.exit_code == 0, after.output
    assert "No changes" in after.output
    again = world.xclone("import", spec, "--lab", str(world.lab_file), "--all")
    assert again.exit_code == 0 and "Nothing to adopt" in again.output
    marks = [r for j in world.journals() for r in j
             if r["event"] == "command" and str(r["action"]).startswith("mark")]
    assert len(world.journals()) == 3 and len(marks) == len(commands)  # the second: none


def test_spec_imported_from_rscan_plans_no_create_for_existing_objects(world: World) -> None:
    stanza = world.dir / "mystanzafile"
    stanza.write_text(world.mn("rscan -z hmc01"), encoding="utf-8")
    written = world.xclone("import", "--stanza", str(stanza), "-o", "spec.yaml",
                           "--cluster", "clustersite", "--management-node", "xcataixmn")
    assert written.exit_code == 0, written.output
    data = yaml.safe_load((world.dir / "spec.yaml").read_text(encoding="utf-8"))
    data["networks"] = {"net1": {"net": "9.114.113.224", "mask": "255.255.255.224",
                                 "gateway": "9.114.113.254"}}
    data["osimages"] = {"610sysb": {"source_node": "node27", "spot": "610spot"}}
    data["lpar_defaults"]["osimage"] = "610sysb"
    ips = {"node01": "9.114.113.230", "node02": "9.114.113.231", "node27": "9.114.113.227"}
    for name, entry in data["lpars"].items():
        entry["ip"] = ips[name]
    data["lpars"]["node27"]["state"] = "defined"   # the golden node is not reinstalled
    spec = world.dir / "filled.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert world.xclone("validate", str(spec)).exit_code == 0
    adopted = world.xclone("import", str(spec), "--lab", str(world.lab_file), "--all",
                           "--auto-approve")
    assert adopted.exit_code == 0, adopted.output
    planned = world.xclone("plan", str(spec), "--lab", str(world.lab_file), "--format", "json")
    assert planned.exit_code == 0, planned.output
    changes = json.loads(planned.stdout)["resource_changes"]
    created = {c["address"] for c in changes if c["change"]["actions"] == ["create"]}
    assert created == {"network.net1", "osimage.610sysb"}
