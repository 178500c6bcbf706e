"""Re-observing a NIM or HMC command whose answer was lost (drivers/nim/reobserve.py): the
read-back on the action's own host decides, nothing is sent again.

Sources: docs/formats.md "NIM" (`lsnim -l NAME`, 0042-053 for an unknown object; Cstate after
bos_inst and reset; `hostent`) and "HMC" (`lsrefcode`, `lssyscfg -r lpar -F name,state`)."""

from __future__ import annotations

from pathlib import Path

from tests.apply.nim.world import (
    BOSINST,
    BOSINST_TEXT,
    HMC,
    action,
    armed,
    bos_inst,
    build_image,
    define_machine,
    netboot,
    nim_lab,
    ok,
    runner,
)
from xclone.base.command import Command
from xclone.base.remote import Result
from xclone.drivers.nim import reobserve
from xclone.drivers.nim.kinds import ActionKind
from xclone.plan.action import Action
from xclone.sim import Lab
from xclone.sim.faults import Fault

K = ActionKind
LOST = "connection lost to nimmaster while running nim: it may or may not have run"


class Reads:
    """The read-only `run` re-observation gets; it records what was sent."""

    def __init__(self, lab: Lab, host: str = "nimmaster") -> None:
        self.inner, self.sent = runner(lab, host), list[Command]()

    def __call__(self, command: Command) -> Result:
        self.sent.append(command)
        return self.inner(command)


def _decide(lab: Lab, act: Action) -> tuple[bool, str, list[Command]]:
    reads = Reads(lab, act.host)
    decision = reobserve.decide(reads, act, (), LOST)
    return decision.verdict.ok, decision.verdict.failed.get("", ""), reads.sent


def test_a_define_is_done_when_lsnim_lists_the_object(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    act = action(K.NIM_DEFINE_MACHINE, define_machine("node01"))
    done, why, sent = _decide(lab, act)
    assert not done and "re-observed: not done" in why and LOST in why
    assert [c.argv for c in sent] == [("lsnim", "-l", "node01")]
    runner(lab)(Command(define_machine("node01"), act.env))
    assert _decide(lab, act)[0]


def test_bos_inst_is_done_once_the_install_is_enabled(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    build_image(lab)
    runner(lab)(Command(define_machine("node01"), ()))
    act = action(K.NIM_BOS_INST, bos_inst("node01"))
    assert not _decide(lab, act)[0]  # ready for a NIM operation: never armed
    ok(lab, bos_inst("node01"))
    assert _decide(lab, act)[0]


def test_reset_deallocate_and_remove_read_back(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    build_image(lab)
    armed(lab, "node01")
    reset = action(K.NIM_RESET, "nim -Fo reset node01")
    dealloc = action(K.NIM_DEALLOCATE, "nim -o deallocate -a subclass=all node01")
    remove = action(K.NIM_REMOVE, "nim -o remove node01")
    assert not any(_decide(lab, a)[0] for a in (reset, dealloc, remove))
    ok(lab, "nim -Fo reset node01")
    assert _decide(lab, reset)[0] and not _decide(lab, dealloc)[0]
    ok(lab, "nim -o deallocate -a subclass=all node01")
    assert _decide(lab, dealloc)[0] and not _decide(lab, remove)[0]
    ok(lab, "nim -o remove node01")
    assert _decide(lab, remove)[0]  # lsnim: 0042-053, the machine is gone


def test_a_named_deallocate_reads_every_value_of_a_repeated_attribute(tmp_path: Path) -> None:
    """lsnim -l prints one `script = NAME` line per allocated script (IBM AIX "Using a script
    resource": several can be allocated to one client; docs/formats.md "NIM"). Deallocating the
    first of two is not done while it is still listed, though the last line names the other
    (the read-back used to keep only the last value printed, and called it done)."""
    lab = nim_lab(tmp_path)
    runner(lab)(Command(define_machine("node01"), ()))
    for script in ("setupntp", "confignimsh"):
        ok(lab, f"nim -o define -t script -a server=master -a "
                f"location=/export/nim/script_res/{script} {script}")
    ok(lab, "nim -o allocate -a script=setupntp -a script=confignimsh node01")
    free = action(K.NIM_DEALLOCATE, "nim -o deallocate -a script=setupntp node01")
    done, why, _ = _decide(lab, free)
    assert not done and "re-observed: not done" in why
    ok(lab, "nim -o deallocate -a script=setupntp node01")
    assert _decide(lab, free)[0]  # confignimsh is still allocated: not what was freed


def test_a_failing_lsnim_is_undecided_not_gone(tmp_path: Path) -> None:
    """An lsnim that fails for any other reason than 'no such object' cannot show a removal."""
    lab = nim_lab(tmp_path)
    lab.add_fault(Fault(command="lsnim", exit_status=1,
                        stderr='0042-001 lsnim: processing error encountered on "master":\n'))
    done, why, _ = _decide(lab, action(K.NIM_REMOVE, "nim -o remove node01"))
    assert not done and "re-observing could not tell" in why


def test_hostent_and_hostent_delete_read_etc_hosts(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    add = action(K.HOSTENT, ("hostent", "-a", "9.114.113.230", "-h", "node01"))
    delete = action(K.HOSTENT_DELETE, "hostent -d 9.114.113.230")
    assert not _decide(lab, add)[0] and _decide(lab, delete)[0]
    ok(lab, "hostent -a 9.114.113.230 -h node01")
    assert _decide(lab, add)[0] and not _decide(lab, delete)[0]


def test_the_bosinst_file_must_hold_what_was_sent(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    mkdir = action(K.WRITE_BOSINST, "mkdir -p /export/nim/bosinst")
    tee = action(K.WRITE_BOSINST, f"tee {BOSINST}", stdin=BOSINST_TEXT)
    assert not _decide(lab, mkdir)[0]
    ok(lab, "mkdir -p /export/nim/bosinst")
    assert _decide(lab, mkdir)[0]
    ok(lab, f"tee {BOSINST}", stdin=BOSINST_TEXT[:10])  # cut short
    assert not _decide(lab, tee)[0]
    ok(lab, f"tee {BOSINST}", stdin=BOSINST_TEXT)
    assert _decide(lab, tee)[0]


def test_lpar_netboot_is_done_when_the_partition_boots_from_the_network(
        tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    build_image(lab)
    armed(lab, "node01")
    act = action(K.LPAR_NETBOOT, netboot("node01"), HMC)
    done, _, sent = _decide(lab, act)
    assert not done  # Not Activated, code 00000000
    assert {c.env for c in sent} == {()}  # the HMC's shell takes no prefix
    ok(lab, netboot("node01"), HMC)
    assert _decide(lab, act)[0]


def test_a_kind_without_read_back_is_not_sent_again(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    done, why, sent = _decide(lab, action(K.RMVTERM, "rmvterm -m SYS -p node01", HMC))
    assert not done and sent == [] and "rmvterm has no read-back check" in why
