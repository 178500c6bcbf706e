"""Postscript files on several NIM masters: is an install server's copy still the primary's?

The script files live on the primary master (its `scripts_dir`); drivers/nim/servers.py copies
one to an install server before defining its `script` resource there. NIM reads the file when
an install runs it (IBM AIX, "Using a script resource": the resource names a file on its
server), so a file changed on the primary afterwards would leave the other masters installing
the old one. The plan compares checksums (POSIX `cksum`: `CRC SIZE FILE` per file): once an
install server holds a marked script resource of a postscript its LPARs run, observation's
second round reads one `cksum` of those resources' files on that master and one of their
sources on the primary; a copy whose checksum differs is copied again (the resource stays, its
file replaced), before any install that master arms in the same plan. Nothing is read on a
master holding no copy: a fresh cluster costs no command, and each master costs at most one,
whatever the number of LPARs.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable, Mapping

from xclone.base.address import Address
from xclone.base.command import C_LOCALE, Command
from xclone.base.mark import NIM_ATTR, carries, ownership_mark
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.resources.scripts import lpar_scripts, script_owners
from xclone.observed.model import Facts, NimObject, Observed
from xclone.observed.parsers.errors import ParseError
from xclone.observed.probes import AnyProbe, ObservationTargets, Probe
from xclone.plan.action import Step
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange
from xclone.spec.model import Spec


def copied_scripts(spec: Spec) -> tuple[str, ...]:
    """The primary's files of the postscripts the install servers' LPARs run."""
    directory = spec.management_node.scripts_dir
    return tuple(sorted({f"{directory}/{script}" for lpar in spec.lpars.values()
                         if lpar.state != "absent" and spec.server_of(lpar) is not None
                         for script in lpar_scripts(spec, lpar)}))


def parse_cksum(text: str) -> dict[str, str]:
    """`CRC SIZE FILE` lines -> {FILE: "CRC SIZE"}."""
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        words = line.split(None, 2)
        if len(words) != 3 or not (words[0].isdigit() and words[1].isdigit()):
            raise ParseError("", "", number, line, "expected `CHECKSUM SIZE FILE`")
        sums[words[2]] = f"{words[0]} {words[1]}"
    return sums


def _cksum(host: str, paths: list[str], other: bool, timeout: float | None) -> AnyProbe:
    def store(facts: Facts, sums: Mapping[str, str]) -> None:
        (facts.master(host) if other else facts).add_checksums(sums)

    return Probe(host, "mn", Command.of("cksum", *paths, env=C_LOCALE), parse_cksum, store,
                 timeout=timeout)


def _copies(nim: Mapping[str, NimObject], names: Mapping[str, str], mark: str) -> list[str]:
    """The files of the marked script resources named as a copied postscript."""
    return sorted(obj.get("location") for name, obj in nim.items()
                  if name in names and obj.cls == "resources" and obj.type == "script"
                  and obj.get("location") and carries(obj.get(NIM_ATTR), mark))


def probes(targets: ObservationTargets, facts: Facts) -> tuple[AnyProbe, ...]:
    """One `cksum` per install server holding copies, and one on the primary of their
    sources (second round: the masters' `lsnim -l` said which resources exist)."""
    names = {posixpath.basename(path): path for path in targets.scripts}
    found: list[AnyProbe] = []
    held: set[str] = set()
    for host in targets.masters:
        paths = _copies(facts.master(host).nim, names, targets.mark)
        if paths:
            found.append(_cksum(host, paths, True, targets.timeout))
            held.update(posixpath.basename(p) for p in paths)
    if not held:
        return ()
    primary = sorted(names[n] for n in held)
    return (_cksum(targets.mn_host, primary, False, targets.timeout), *found)


def recopies(spec: Spec, server: str, here: Spec, seen: Observed, primary: Observed,
             relabel: Callable[[Address], Address]) -> list[tuple[Address, Step, AttrDiff]]:
    """The copies of install server `server` (its narrowed spec `here`, its observation
    `seen`) whose checksum is not the primary's file's: (owner, scp step, the difference),
    addressed as that master's plan addresses them (`relabel`)."""
    source_dir, host = spec.management_node.scripts_dir, spec.install_servers[server].host
    mark = ownership_mark(spec.cluster)
    found = []
    for script, unlabeled in sorted(script_owners(here).items()):
        obj, owner = seen.nim.get(script), relabel(unlabeled)
        if obj is None or obj.type != "script" or not carries(obj.get(NIM_ATTR), mark):
            continue
        source = f"{source_dir}/{script}"
        theirs, ours = seen.checksums.get(obj.get("location")), primary.checksums.get(source)
        if theirs is None or ours is None or theirs == ours:
            continue
        step = Step(ActionKind.COPY_SCRIPT, host,
                    ("scp", "-B", "-p", f"{spec.management_node.user}@"
                     f"{spec.management_node.host}:{source}", obj.get("location")),
                    address=owner, detail=script,
                    reason=f"postscript {script} on {server} is not the primary's any more "
                    f"(cksum {theirs}, {spec.management_node.host}: {ours}): copied again")
        found.append((owner, step, AttrDiff("postscripts", f"{script} cksum {theirs}",
                                            f"{script} cksum {ours}")))
    return found


def with_recopies(changes: list[ResourceChange], steps: list[Step],
                  found: list[tuple[Address, Step, AttrDiff]]) -> None:
    """Add the copies to the plan (`changes`, `steps` of one master, already addressed):
    each under its osimage's change (an update naming the difference), and every install
    that master arms after them."""
    if not found:
        return
    by_owner: dict[Address, list[AttrDiff]] = {}
    for owner, _, diff in found:
        by_owner.setdefault(owner, []).append(diff)
    for owner, diffs in by_owner.items():
        note = "copies again " + ", ".join(step.detail for o, step, _ in found if o == owner)
        index = next((i for i, c in enumerate(changes) if c.address == owner), None)
        if index is None:
            changes.append(ResourceChange(owner, ChangeKind.UPDATE, diffs=tuple(diffs),
                                          reason="a postscript changed on the primary",
                                          notes=(note,)))
        else:
            have = changes[index]
            changes[index] = dataclasses.replace(
                have, kind=ChangeKind.UPDATE if have.kind is ChangeKind.NOOP else have.kind,
                diffs=(*have.diffs, *diffs), notes=(*have.notes, note))
    keys = tuple(step.key for _, step, _ in found)
    steps[:] = [dataclasses.replace(s, after=(*s.after, *keys))
                if s.kind is ActionKind.NIM_BOS_INST else s for s in steps]
    steps.extend(step for _, step, _ in found)
