"""What to read back when a command's answer was lost, per program: the facts it changes.

A command that timed out or lost its connection may or may not have run; sending it again could
power off an LPAR twice or define an object twice. Instead the executor runs the read-only probe
listed here and keeps the targets whose fact shows the change: `mkdef` made the object (lsdef lists
it), `getmacs` stored a MAC, `xcat2nim` made the NIM machine, `nimnodeset` enabled the BOS install
(NIM Cstate), `rnetboot` started the boot (xCAT status `installing`/`booting`, or Cstate moved on),
`mknimimage` defined the osimage, `chdef` shows its values. A program missing from the table is not
re-sent either: its targets are reported as "outcome unknown".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from xclone.apply.checks import Decision, Verdict
from xclone.base.command import Command
from xclone.base.errors import XcloneError
from xclone.base.remote import Result
from xclone.drivers.xcat.servicenodes import EXTRA_SN_HOST
from xclone.observed.parsers.nim import parse_lsnim_long
from xclone.observed.parsers.xcat import parse_compact
from xclone.plan.action import MN_ENV, Action

# NIM's Cstate once nimnodeset has allocated and enabled a BOS install (`lsnim -l`;
# docs/formats.md "NIM").
ENABLED = "BOS installation has been enabled"
# xCAT node status values rnetboot sets when it starts a network boot (xCAT-server ppc.pm
# rnetboot: `installing` for a standalone osimage, `booting` otherwise).
NETBOOTING = frozenset({"installing", "netbooting", "booting"})

Facts = Mapping[str, Mapping[str, str]]  # target -> its attributes as read back (absent: gone)



@dataclass(frozen=True)
class Target:
    """What a command acts on, as the probes name it: an xCAT type, object names, and the
    attribute settings it makes (`chdef`: key, operator `=`/`+=`/`-=`, value)."""

    type: str
    names: tuple[str, ...]
    settings: tuple[tuple[str, str, str], ...] = ()


ProbeFor = Callable[[Target], Command]
Probe = tuple[ProbeFor, Callable[[str], Facts]]  # the command and the parser of its stdout
Effect = Callable[[Mapping[str, str] | None, Target], bool]


@dataclass(frozen=True)
class Recheck:
    """One program's re-observation: the read-only probes for its targets (their answers merged
    per target) and the test of one target's attributes (None when no probe lists it) that
    says the command took effect."""

    probes: tuple[Probe, ...]
    took_effect: Effect


def _lsdef(attr: str) -> ProbeFor:
    def probe(target: Target) -> Command:
        attrs = ",".join(k for k, _, _ in target.settings) or attr
        return Command(("lsdef", "-t", target.type, "-o", ",".join(target.names), "-i", attrs,
                        "-c"), MN_ENV)
    return probe


def _lsnim(target: Target) -> Command:
    return Command(("lsnim", "-l", *target.names), MN_ENV)


def _read_lsdef(text: str) -> Facts:
    return {o.name: dict(o.attrs) for o in parse_compact(text)}


def _read_lsnim(text: str) -> Facts:
    return {o.name: dict(o.attrs) for o in parse_lsnim_long(text)}


def _exists(attrs: Mapping[str, str] | None, _: Target) -> bool:
    return attrs is not None


def _gone(attrs: Mapping[str, str] | None, _: Target) -> bool:
    return attrs is None


def _has_mac(attrs: Mapping[str, str] | None, _: Target) -> bool:
    return bool(attrs and attrs.get("mac"))


def _enabled(attrs: Mapping[str, str] | None, _: Target) -> bool:
    return bool(attrs and attrs.get("Cstate") == ENABLED)


def _set(attrs: Mapping[str, str] | None, target: Target) -> bool:
    """chdef's settings show: `key=v` equal, `key+=a,b` (-p) contained, `key-=a` (-m) gone."""
    if attrs is None:
        return False
    for key, op, value in target.settings:
        have = attrs.get(key, "")
        items, wanted = set(have.split(",")) - {""}, set(value.split(",")) - {""}
        if (op == "=" and have != value) or (op == "+=" and not wanted <= items) \
                or (op == "-=" and wanted & items):
            return False
    return True


def _netbooted(attrs: Mapping[str, str] | None, _: Target) -> bool:
    if not attrs:
        return False
    cstate = attrs.get("Cstate", "")
    return attrs.get("status", "") in NETBOOTING or bool(cstate and cstate != ENABLED)


_XCAT: Probe = (_lsdef("usercomment"), _read_lsdef)
_NIM: Probe = (_lsnim, _read_lsnim)

# The read-back of each program (an action kind names its entry: kinds.py).
RECHECKS: dict[str, Recheck] = {
    "mkdef": Recheck((_XCAT,), _exists),
    "chdef": Recheck((_XCAT,), _set),
    "rmdef": Recheck((_XCAT,), _gone),
    "mknimimage": Recheck((_XCAT,), _exists),
    "getmacs": Recheck(((_lsdef("mac"), _read_lsdef),), _has_mac),
    "xcat2nim": Recheck((_NIM,), _exists),
    "xcat2nim -r": Recheck((_NIM,), _gone),
    "nimnodeset": Recheck((_NIM,), _enabled),
    "rnetboot": Recheck((_NIM, (_lsdef("status"), _read_lsdef)), _netbooted),
    "nim define": Recheck((_NIM,), _exists),
    "nim remove": Recheck((_NIM,), _gone),
}


def recheck_for(action: Action) -> Recheck | None:
    name = action.kind.recheck
    return None if name is None else RECHECKS[name]


def target_of(action: Action, nodes: tuple[str, ...]) -> Target:
    """The object type and names the command changes: its nodes, else its `-o NAME`, else (for
    mknimimage, rmnimimage, nim) the last word that is neither a flag, a flag's value nor
    `attr=value`."""
    words = (*action.before, *action.after_words)
    type_ = words[words.index("-t") + 1] if "-t" in words[:-1] else "node"
    if action.before and action.before[0] in ("mknimimage", "rmnimimage"):
        type_ = "osimage"
    settings = _settings(words) if action.before[:1] == ("chdef",) else ()
    if nodes:
        return Target("node", nodes, settings)
    if "-o" in words[:-1] and action.before[0] != "nim":
        return Target(type_, (words[words.index("-o") + 1],), settings)
    return Target(type_, (_last_operand(words),), settings)


def _settings(words: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """chdef's `key=value` words; -p appends to lists (`+=`), -m removes from them (`-=`)."""
    op = "+=" if "-p" in words else "-=" if "-m" in words else "="
    return tuple((k, op, v) for k, _, v in (w.partition("=") for w in words[1:] if "=" in w
                                            and not w.startswith("-")))


def _last_operand(words: tuple[str, ...]) -> str:
    operands = [w for i, w in enumerate(words[1:], 1)
                if not w.startswith("-") and "=" not in w and not words[i - 1].startswith("-")]
    return operands[-1] if operands else ""


def merge(parts: list[Facts]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for part in parts:
        for name, attrs in part.items():
            merged.setdefault(name, {}).update(attrs)
    return merged


def decide(run: Callable[[Command], Result], action: Action, nodes: tuple[str, ...],
           lost: str, run_on: Callable[[str, Command], Result] | None = None) -> Decision:
    """Re-observe instead of re-sending: targets whose facts show the change succeeded; the
    others failed with a message that says why nothing was sent again. The NIM machines of a
    service node's nodes are read on that service node (`run_on` its host)."""
    keys = nodes or ("",)
    program = action.before[0] if action.before else "?"
    recheck = recheck_for(action)
    if recheck is None:
        why = (f"outcome unknown ({lost}); {program} has no read-back check, so it was not "
               "sent again: check the cluster, then run apply again")
        return Decision(Verdict((), dict.fromkeys(keys, why), False), (), keys, "no check")
    target = target_of(action, nodes)
    sn = action.extra_value(EXTRA_SN_HOST)

    def ask(probe: Probe) -> Result:
        if probe is _NIM and sn is not None and run_on is not None:
            return run_on(sn, probe[0](target))
        return run(probe[0](target))

    try:
        facts = merge([probe[1](ask(probe).stdout) for probe in recheck.probes])
    except XcloneError as exc:
        why = (f"outcome unknown ({lost}); re-observing failed too ({exc.message}), so it was "
               "not sent again: check the cluster, then run apply again")
        return Decision(Verdict((), dict.fromkeys(keys, why), False), (), keys, "probe failed")
    done = tuple(n for n in target.names if recheck.took_effect(facts.get(n), target))
    not_done = tuple(n for n in target.names if n not in done)
    why = (f"outcome unknown ({lost}); re-observed: not done; it was not sent again: "
           "run apply again after checking")
    if nodes:
        verdict = Verdict(done, dict.fromkeys(not_done, why), False)
    else:
        verdict = Verdict((), {} if not not_done else {"": why}, False)
    return Decision(verdict, done, not_done, "re-observed")
