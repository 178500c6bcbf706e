"""The NIM-only lab (specs/examples/nim-lab.yaml) brought to the moments the apply side judges:
image resources made, machines defined and armed, LPARs network-booted; and the lab's answers as
the `Result`s the executor hands the NIM driver (commands sent as the transport sends them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from xclone.base.command import C_LOCALE, Command
from xclone.base.remote import Result
from xclone.drivers.nim.kinds import ActionKind
from xclone.plan.action import Action
from xclone.sim import Lab

ROOT = Path(__file__).resolve().parents[3]
NIM_LAB = ROOT / "specs" / "examples" / "nim-lab.yaml"
MASTER, HMC = "nimmaster", "hmc01"
SYSTEM = "Server-9117-MMA-SN10F6F3D"
LPARS = {"node01": ("9.114.113.230", "fef9dfa81e02", "lpar9"),
         "node02": ("9.114.113.231", "fef9dfb7c602", "lpar6")}
BOSINST = "/export/nim/bosinst/610sysb_bid"
BOSINST_TEXT = "control_flow:\n    PROMPT = no\n    RECOVER_DEVICES = no\n"


def nim_lab(tmp_path: Path, **changes: Any) -> Lab:
    """nim-lab.yaml on a frozen clock: lab time moves only with `advance` and blocking
    commands, so a test decides when an install step is due."""
    data = yaml.safe_load(NIM_LAB.read_text(encoding="utf-8"))
    data["clock"] = {"scale": 0}
    data.update(changes)
    path = tmp_path / "lab.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return Lab.init(path, tmp_path / "state")


def runner(lab: Lab, host: str = MASTER) -> Callable[[Command], Result]:
    def run(command: Command) -> Result:
        got = lab.execute(host, command.shell(), command.stdin)
        return Result(host, command.display(), got.exit_status, got.stdout, got.stderr)
    return run


def on(lab: Lab) -> Callable[[str, Command], Result]:
    return lambda host, command: runner(lab, host)(command)


def sh(lab: Lab, line: str, host: str = MASTER, stdin: str | None = None) -> Result:
    got = lab.execute(host, line, stdin)
    return Result(host, line, got.exit_status, got.stdout, got.stderr)


def ok(lab: Lab, line: str, host: str = MASTER, stdin: str | None = None) -> str:
    got = sh(lab, line, host, stdin)
    assert (got.stderr, got.exit_status) == ("", 0), (line, got)
    return got.stdout


def action(kind: ActionKind, words: str | tuple[str, ...], host: str = MASTER, *,
           stdin: str | None = None, extra: tuple[tuple[str, str], ...] = (),
           nodes: tuple[str, ...] = ()) -> Action:
    """An action as the planner makes it: HMC commands without the LC_ALL=C prefix."""
    before = tuple(words.split()) if isinstance(words, str) else words
    env = () if host == HMC else C_LOCALE
    return Action("a1", kind, host, before, (), nodes, (("", stdin),) if stdin else (), (),
                  (), kind is ActionKind.LPAR_NETBOOT, (), env=env, extra=extra)


def define_machine(name: str) -> tuple[str, ...]:
    ip, mac, _ = LPARS[name]
    return ("nim", "-o", "define", "-t", "standalone", "-a", "platform=chrp", "-a",
            "netboot_kernel=64", "-a", f"if1=master_net {name} {mac}", "-a", "cable_type1=N/A",
            "-a", "comments=xclone:clustersite", name)


def bos_inst(name: str) -> str:
    return ("nim -o bos_inst -a source=mksysb -a mksysb=610sysb_mksysb -a spot=610spot "
            f"-a bosinst_data=610sysb_bid -a accept_licenses=yes -a boot_client=no {name}")


def netboot(name: str) -> str:
    ip, mac, profile = LPARS[name]
    return (f"lpar_netboot -f -t ent -m {mac} -s auto -d auto -S 9.114.113.225 "
            f"-G 9.114.113.254 -C {ip} -K 255.255.255.224 {name} {profile} {SYSTEM}")


def build_image(lab: Lab) -> None:
    """The mksysb of node27, a SPOT from it and the bosinst_data resource."""
    ok(lab, "nim -o define -t mksysb -a server=master -a location=/export/nim/mksysb/610sysb "
            "-a source=node27 -a mk_image=yes 610sysb_mksysb")
    ok(lab, "nim -o define -t spot -a server=master -a location=/export/nim/spot "
            "-a source=610sysb_mksysb 610spot")
    ok(lab, "mkdir -p /export/nim/bosinst")
    ok(lab, f"tee {BOSINST}", stdin=BOSINST_TEXT)
    ok(lab, f"nim -o define -t bosinst_data -a server=master -a location={BOSINST} "
            "610sysb_bid")


def armed(lab: Lab, *names: str) -> None:
    """Each LPAR named in /etc/hosts, defined as a NIM machine and armed (bos_inst)."""
    for name in names:
        ok(lab, f"hostent -a {LPARS[name][0]} -h {name}")
        got = runner(lab)(Command(define_machine(name), C_LOCALE))
        assert got.exit_status == 0, got
        ok(lab, bos_inst(name))


def booted(lab: Lab, *names: str) -> None:
    for name in names:
        ok(lab, f"rmvterm -m {SYSTEM} -p {name}", HMC)
        ok(lab, netboot(name), HMC)
