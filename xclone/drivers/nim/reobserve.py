"""What to read back when a NIM or HMC command's answer was lost, instead of sending it again.

A command that timed out or lost its connection may or may not have run: defining an object
twice fails, and `lpar_netboot` twice power-cycles an LPAR twice. So the executor runs the
read-only probe of the kind's recheck name (kinds.py) on the action's own host and keeps what
shows the change: "lsnim" (`lsnim -l NAME`: the object exists, shows the attributes `nim -o
change` set, has its install enabled, is ready again after a reset, holds no resources after a
deallocate, or is gone), "hosts" (`cat /etc/hosts`: the line `hostent` added is there, or the
address `hostent -d` deleted is not), "file" (`ls -d DIR` after `mkdir -p`, `cat FILE` after
`tee FILE`: the directory is there, the file holds exactly what was sent)
and "refcode" (on the HMC, `lsrefcode` and `lssyscfg` for the managed system: the partition is
booting from the network). What cannot be told is "not done", never sent again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from xclone.apply.checks import Decision, Verdict
from xclone.apply.waits import RunOn
from xclone.base.command import Command
from xclone.base.errors import XcloneError
from xclone.base.remote import Result
from xclone.drivers.nim import refcodes
from xclone.drivers.nim.kinds import ActionKind
from xclone.observed.parsers.hmc import parse_fields
from xclone.observed.parsers.messages import errors_in
from xclone.observed.parsers.nim import parse_lsnim_long
from xclone.observed.parsers.records import NimObject
from xclone.plan.action import MN_ENV, Action

READY = "ready for a NIM operation"
ENABLED = "BOS installation has been enabled"
# NIM attributes that name an allocated resource (lsnim -l of a machine).
RESOURCES = frozenset({
    "lpp_source", "spot", "mksysb", "bosinst_data", "resolv_conf", "script", "fb_script",
    "image_data", "installp_bundle", "boot", "nim_script",
})

Run = Callable[[Command], Result]


class Undecided(Exception):
    """The read-back cannot tell: why (becomes part of the 'not done' message)."""


@dataclass(frozen=True)
class Words:
    """The command's words, read the way NIM and hostent take them."""

    words: tuple[str, ...]

    def value(self, flag: str) -> str | None:
        w = self.words
        return w[w.index(flag) + 1] if flag in w[:-1] else None

    def attrs(self) -> list[tuple[str, str]]:
        """Every `-a attr=value`, in order."""
        pairs = [w.partition("=") for f, w in zip(self.words, self.words[1:], strict=False)
                 if f == "-a"]
        return [(k, v) for k, sep, v in pairs if sep]

    def last(self) -> str:
        return self.words[-1] if self.words else ""


def _lsnim_on(run_on: RunOn, master: str, name: str) -> dict[str, str] | None:
    """One machine as the NIM master shows it; None when it cannot be read."""
    result = run_on(master, Command(("lsnim", "-l", name), MN_ENV))
    found = {o.name: dict(o.attrs) for o in parse_lsnim_long(result.stdout)}
    return found.get(name) if result.exit_status == 0 else None


def _lsnim(run: Run, names: tuple[str, ...]) -> dict[str, NimObject]:
    """The objects listed; a name NIM reports as unknown (0042-053) is absent; any other failure
    is undecided (an absent object must be known to be absent)."""
    result = run(Command(("lsnim", "-l", *names), MN_ENV))
    found = {o.name: o for o in parse_lsnim_long(result.stdout)}
    if result.exit_status != 0:
        unknown = [m for m in errors_in(result.stderr + "\n" + result.stdout)
                   if m.kind != "not_found"]
        if unknown or not (set(names) - set(found)):
            raise Undecided(f"lsnim failed: {unknown[0].text if unknown else result.stderr}")
    return found


def _settings_shown(attrs: Mapping[str, str], settings: list[tuple[str, str]]) -> bool:
    return all(" ".join(attrs.get(k, "").split()) == " ".join(v.split()) for k, v in settings)


def _lsnim_effect(kind: ActionKind, words: Words, found: NimObject | None) -> bool:
    if kind is ActionKind.NIM_REMOVE:
        return found is None
    if found is None:
        return False
    attrs = found.attrs
    if kind in (ActionKind.NIM_CHANGE_MASTER, ActionKind.NIM_CHANGE_NETWORK,
                ActionKind.NIM_CHANGE_MACHINE):
        return _settings_shown(attrs, words.attrs())
    if kind is ActionKind.NIM_BOS_INST:
        return bool(attrs.get("Cstate")) and attrs.get("Cstate") != READY
    if kind is ActionKind.NIM_RESET:
        return attrs.get("Cstate") == READY
    if kind is ActionKind.NIM_DEALLOCATE:
        if ("subclass", "all") in words.attrs():
            return not RESOURCES & attrs.keys()
        # `-a script=foo`: foo is no longer among the machine's scripts; lsnim prints one line
        # per allocated script, so every value counts, not only the last one printed
        return not any(v in found.values(k) for k, v in words.attrs() if k != "subclass")
    return True  # every define: the object exists


def _hosts(run: Run) -> list[tuple[str, tuple[str, ...]]]:
    result = run(Command(("cat", "/etc/hosts"), MN_ENV))
    if result.exit_status != 0:
        raise Undecided(f"cat /etc/hosts failed: {result.stderr.strip()}")
    entries = []
    for line in result.stdout.splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            entries.append((fields[0], tuple(fields[1:])))
    return entries


def _hostent_done(kind: ActionKind, words: Words, run: Run) -> bool:
    entries = _hosts(run)
    if kind is ActionKind.HOSTENT_DELETE:
        ip = words.value("-d")
        return ip is not None and all(addr != ip for addr, _ in entries)
    ip, names = words.value("-a"), (words.value("-h") or "").split()
    return any(addr == ip and set(names) <= set(have) for addr, have in entries)


def _file_done(action: Action, run: Run) -> bool:
    """`mkdir -p DIR` made the directory (`ls -d DIR` finds it); `tee FILE` left the file
    holding exactly the input that was sent (`cat FILE`)."""
    command = action.command()
    paths = [w for w in command.argv[1:] if w.startswith("/")]
    if not paths:
        raise Undecided("the command names no absolute path to read back")
    if command.name == "mkdir":
        return all(run(Command(("ls", "-d", p), MN_ENV)).exit_status == 0 for p in paths)
    if command.stdin is None:
        raise Undecided(f"{command.name} sent no content to compare the file with")
    result = run(Command(("cat", paths[-1]), MN_ENV))
    return result.exit_status == 0 and result.stdout == command.stdin


def _netbooting(action: Action, words: Words, run: Run, run_on: RunOn | None) -> bool:
    """`lpar_netboot ... LPAR PROFILE SYSTEM` started: the partition is on and shows a network
    boot or AIX install code (firmware's own start code alone could be any boot); or, once the
    install has moved on (a blank code on a running partition could be any running AIX), the
    NIM master no longer shows the machine armed: the `bos_inst` before this boot left it
    "BOS installation has been enabled", and only a boot that reached NIM moves it on."""
    if len(words.words) < 4:
        raise Undecided("the command names no partition")
    lpar, system = words.words[-3], words.words[-1]
    codes = run(Command(("lsrefcode", "-r", "lpar", "-m", system, "-F", "lpar_name,refcode"), ()))
    states = run(Command(("lssyscfg", "-r", "lpar", "-m", system, "-F", "name,state"), ()))
    if codes.exit_status or states.exit_status:
        raise Undecided(f"the HMC did not answer: {(codes.stdout + states.stdout).strip()}")
    code = {r["lpar_name"]: r["refcode"] for r in parse_fields(codes.stdout,
                                                              ("lpar_name", "refcode"))}
    state = {r["name"]: r["state"] for r in parse_fields(states.stdout, ("name", "state"))}
    if refcodes.booting(state.get(lpar, ""), code.get(lpar, "")):
        return True
    master = action.extra_value("master")
    if run_on is None or master is None or state.get(lpar) not in refcodes.ON_STATES:
        return False
    machine = _lsnim_on(run_on, master, lpar)
    cstate = machine.get("Cstate", "") if machine is not None else ""
    return bool(cstate) and cstate != ENABLED


def _done(action: Action, words: Words, names: tuple[str, ...], run: Run,
          run_on: RunOn | None) -> tuple[str, ...]:
    kind = ActionKind(action.kind.value)
    if kind is ActionKind.LPAR_NETBOOT and "-M" in action.before:
        raise Undecided("the MAC lpar_netboot -M -n read was in the lost answer")
    check = kind.recheck
    if check == "lsnim":
        found = _lsnim(run, names)
        return tuple(n for n in names if _lsnim_effect(kind, words, found.get(n)))
    if check == "hosts":
        return names if _hostent_done(kind, words, run) else ()
    if check == "file":
        return names if _file_done(action, run) else ()
    if check == "refcode":
        return names if _netbooting(action, words, run, run_on) else ()
    raise Undecided(f"{action.before[0] if action.before else kind.value} has no read-back check")


def decide(run: Run, action: Action, nodes: tuple[str, ...], lost: str,
           run_on: RunOn | None = None) -> Decision:
    """Re-observe instead of re-sending: done when the read-back shows the change; otherwise
    failed with a message that says why nothing was sent again."""
    words = Words(action.command(nodes or None).argv)
    # What the journal's reobserve record names: the object, or lpar_netboot's partition.
    netboot = action.kind.value == ActionKind.LPAR_NETBOOT.value and len(words.words) > 3
    names = nodes or ((words.words[-3] if netboot else words.last()),)
    keys = nodes or ("",)
    try:
        done = _done(action, words, names, run, run_on)
    except (Undecided, XcloneError) as exc:
        reason = exc.message if isinstance(exc, XcloneError) else str(exc)
        why = (f"outcome unknown ({lost}); re-observing could not tell ({reason}), so it was "
               "not sent again: check the cluster, then run apply again")
        return Decision(Verdict((), dict.fromkeys(keys, why), False), (), names, "undecided")
    not_done = tuple(n for n in names if n not in done)
    why = (f"outcome unknown ({lost}); re-observed: not done; it was not sent again: "
           "run apply again after checking")
    if nodes:
        verdict = Verdict(done, dict.fromkeys(not_done, why), False)
    else:
        verdict = Verdict((), {"": why} if not_done else {}, False)
    return Decision(verdict, done, not_done, "re-observed")
