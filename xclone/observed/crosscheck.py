"""Cross-checks of one observation before any plan is made: outputs that cannot be whole.

A plan is a diff against what the probes printed, so a listing that lost objects (cut short,
empty, answered in another locale) turns into re-creations and reinstalls of running LPARs.
The probes overlap on purpose: xCAT group `members` name existing nodes only (xCAT
computes them from the node table), and every NIM machine xclone made came from an xCAT node
(`xcat2nim`), carrying the cluster's mark in `comments`. HMC partitions carry no mark; they are
tied to xCAT nodes by the node's `hcp`, `parent` and `id`, which the planner checks per LPAR.
The NIM driver's probes have their own checks at the end (an unconfigured master, an empty
/etc/hosts, adapters of partitions the HMC did not list).
A failed check is an error naming the probe and host: never a plan.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from xclone.base.errors import XcloneError
from xclone.base.mark import NIM_ATTR, XCAT_ATTR, carries
from xclone.base.remote import Result
from xclone.observed.model import NimObject, Observed, Partition, XcatObject

# C0/C1 controls other than TAB/LF/CR, and the replacement character a decoder puts in place of
# bytes it could not read: neither xCAT, NIM nor the HMC prints them in a listing.
_BAD_CHARS = frozenset(
    chr(c) for c in (*range(32), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r"
) | {"\ufffd"}

REFUSED = "no plan was made"


@dataclass(frozen=True)
class Keep:
    """The LPARs and osimages the spec wants to exist: for them xclone's own order guarantees
    facts the cross-checks rely on (an installed node has its osimage and NIM machine)."""

    lpars: frozenset[str] = frozenset()
    osimages: frozenset[str] = frozenset()


def _where(entry: Result) -> str:
    return f"{entry.host}: `{entry.command}`"


def _mojibake(line: str) -> bool:
    """Non-ASCII text whose Latin-1 bytes are valid UTF-8 ('Ã©' for 'é'): a decoder that took
    UTF-8 output for Latin-1. Real Latin-1 text almost never forms valid UTF-8 sequences."""
    if line.isascii():
        return False
    try:
        line.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return False
    return True


def check_text(entry: Result) -> None:
    """Output a decoder mangled (U+FFFD, control characters) or that ends in the middle of a
    line (every listing ends with a newline): what it says cannot be trusted. Plain ASCII
    without a bad character (nearly every listing: 10,000 LPARs' lssyscfg is 10,000 lines) is
    let through in one scan at C speed; the per-line search only finds which line is bad."""
    clean = entry.stdout.isascii() and _BAD_CHARS.isdisjoint(entry.stdout)
    for no, line in enumerate(() if clean else entry.stdout.splitlines(), start=1):
        bad = next((c for c in line if c in _BAD_CHARS), None)
        what = "an undecodable byte (U+FFFD)" if bad == "\ufffd" else f"control {bad!r}"
        if bad is None and _mojibake(line):
            what, bad = "UTF-8 text read as Latin-1 (mojibake)", line
        if bad is not None:
            raise XcloneError(f"{_where(entry)}: output line {no} holds {what}: the output was "
                              f"garbled on the way; {REFUSED}")
    if entry.stdout and not entry.stdout.endswith("\n"):
        raise XcloneError(f"{_where(entry)}: output ends in the middle of a line: it was cut "
                          f"short; {REFUSED}")


def _said(entry: Result) -> str:
    text = " ".join(line.strip() for line in entry.stderr.splitlines() if line.strip())
    return f" (it printed only {text!r} on stderr)" if text and not entry.stdout.strip() else ""


def _marked(obj: XcatObject | NimObject, mark: str) -> bool:
    return carries(obj.get(XCAT_ATTR if isinstance(obj, XcatObject) else NIM_ATTR), mark)


def _names(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


def _networks_lost(seen: Observed, mark: str) -> list[str]:
    """Marked NIM networks that hold a marked xCAT node's IP but have no xCAT network: xclone
    defines a network in xCAT before any node in it and removes the nodes first."""
    ips = [n.get("ip") for n in seen.xcat.get("node", {}).values() if _marked(n, mark)]
    lost = []
    for name, net in seen.nim.items():
        if net.cls != "networks" or not _marked(net, mark) or name in seen.xcat.get("network", {}):
            continue
        try:
            block = ipaddress.ip_network(f"{net.get('net_addr')}/{net.get('snm')}", strict=False)
            if any(ip and ipaddress.ip_address(ip) in block for ip in ips):
                lost.append(name)
        except ValueError:
            continue  # not an IPv4 definition: nothing to compare
    return lost


def _uncovered(seen: Observed, nodes: list[XcatObject]) -> list[str]:
    """Addresses of installed nodes that no listed xCAT network holds: nimnodeset reads the
    node's xCAT network (its mask and gateway) before it installs, so one existed."""
    listed = []
    for net in seen.xcat.get("network", {}).values():
        try:
            block = f"{net.get('net')}/{net.get('mask')}"
            listed.append(ipaddress.ip_network(block, strict=False))
        except ValueError:
            continue  # not an IPv4 definition: nothing to compare
    found = []
    for node in nodes:
        try:
            ip = ipaddress.ip_address(node.get("ip"))
        except ValueError:
            continue
        if not any(ip in block for block in listed):
            found.append(str(ip))
    return found


def _misses(seen: Observed, mark: str, keep: Keep) -> Iterator[tuple[str, list[str], str, str]]:
    """(listing, names it lacks, who names them, what to do) for every overlap that fails."""
    nodes, groups = seen.xcat.get("node", {}), seen.xcat.get("group", {})
    images = seen.xcat.get("osimage", {})
    for group in groups.values():
        yield "node", [m for m in _names(group.get("members")) if m not in nodes], \
            f"`lsdef -t group` group {group.name} has members", ""
    for node in nodes.values():
        # `lsdef -t group` lists the groups of the nodelist table too (DBobjUtils.pm,
        # getObjectsOfType): a node's group it lacks means that listing is incomplete.
        yield "group", [g for g in _names(node.get("groups")) if g not in groups], \
            f"xCAT node {node.name} is in group(s)", ""
    machines = {n: o for n, o in seen.nim.items() if o.cls == "machines"}
    yield "node", [n for n, o in machines.items() if _marked(o, mark) and n not in nodes], \
        f"`lsnim -l` shows NIM machine(s) marked {mark}", \
        "If such a node was removed from xCAT on purpose, remove its NIM machine too " \
        "(`nim -o remove NAME`) and plan again."
    yield "network", _networks_lost(seen, mark), \
        f"`lsnim -l` shows NIM network(s) marked {mark} holding marked xCAT nodes", \
        "If such a network was removed from xCAT on purpose, remove it from NIM too " \
        "(`nim -o remove NAME`) and plan again."
    # What xclone's order guarantees for the LPARs and osimages the spec keeps (cleanup may
    # leave the others half-removed): an installed node has its osimage and its NIM machine.
    installed = [n for n in nodes.values() if n.name in keep.lpars and _marked(n, mark)
                 and n.get("status") == "booted" and n.get("provmethod")]
    yield "osimage", [i for i in {n.get("provmethod") for n in installed}
                      if i in keep.osimages and i not in images], \
        "installed xCAT nodes name the provmethod(s)", ""
    yield "network", _uncovered(seen, installed), "installed xCAT nodes hold the address(es)", \
        "If their network was removed from xCAT on purpose, define it again and plan again."
    nim_images = {i for i, o in images.items() if o.get("imagetype") == "NIM"}
    # A node with a `servicenode` has its NIM machine on that service node, not here.
    yield "nim", [n.name for n in installed if n.get("provmethod") in nim_images
                  and n.name not in machines and not n.get("servicenode")], \
        "xCAT shows installed from a NIM osimage the node(s)", \
        "If such a NIM machine was removed on purpose, define it again " \
        f"(`xcat2nim -t node NAME comments={mark}`) and plan again."
    # xCAT keeps its site object and NIM its master at all times: a listing without is cut.
    yield "site", [] if seen.xcat.get("site") else ["(the site object)"], "xCAT always has", ""
    yield "nim", [] if "master" in seen.nim else ["master"], "NIM always defines", \
        "If NIM is not configured on that host, run nim_master_setup (or smitty " \
        "nim_config_env) there first; else run plan again."


def check_overlaps(observed: Observed, listings: Mapping[str, Result], mark: str,
                   keep: Keep | None = None) -> None:
    """The listings name each other (group members and a node's groups, marked NIM machines and
    networks, installed nodes' osimages and NIM machines, a marked osimage's NIM resources), and
    the site object and NIM master are always there. A miss means a listing is incomplete (or
    the cluster changed during observation): an error naming that probe, never a plan.
    `listings` holds each listing's answer by the name its probe gives it (`Probe.listing`)."""
    for key, missing, source, hint in _misses(observed, mark, keep or Keep()):
        entry = listings.get(key)
        if not missing or entry is None:
            continue
        shown = ", ".join(sorted(missing)[:5]) + (" ..." if len(missing) > 5 else "")
        count = len(observed.nim) if key == "nim" else len(observed.xcat.get(key, {}))
        noun = "object(s)" if key == "nim" else f"{key}(s)"
        raise XcloneError(
            f"{_where(entry)} lists {count} {noun}{_said(entry)}, but {source} {shown} that it "
            f"does not list: the {'NIM' if key == 'nim' else key} listing is incomplete or "
            f"changed during observation; {REFUSED}. "
            + (hint or "Run plan again; if it repeats, check that listing on the host.")
        )


def check_partitions(entry: Result, partitions: Sequence[Partition]) -> None:
    """A managed system holds each partition name and id once: a repeat is a garbled listing."""
    for label, values in (("name", [p.name for p in partitions]),
                          ("id", [str(p.lpar_id) for p in partitions])):
        seen: set[str] = set()
        for value in values:
            if value in seen:
                raise XcloneError(f"{_where(entry)}: partition {label} {value} appears twice: "
                                  f"the listing is garbled; {REFUSED}")
            seen.add(value)


# The NIM driver's checks. `nim_master_setup` defines `master`, its network and the `boot` and
# `nim_script` resources at once (docs/formats.md "NIM", A configured master): a master that
# lists no object at all was never set up; one that lists objects but not `master` is caught by
# check_overlaps as a cut listing.
def check_nim_master(entry: Result, objects: Sequence[NimObject]) -> None:
    """`lsnim -l` with no object: NIM is not configured on that host, so nothing can be planned."""
    if not objects:
        raise XcloneError(f"NIM is not configured on {entry.host}: `{entry.command}` lists no "
                          f"object{_said(entry)}, not even `master`; run nim_master_setup (or "
                          f"smitty nim_config_env) there first; {REFUSED}")


def check_hosts(entry: Result, entries: Mapping[str, tuple[str, ...]]) -> None:
    """An /etc/hosts with no entry at all: AIX ships it with the loopback line, so an empty answer
    is a file cut short or the wrong file, and every client would look unnamed."""
    if not entries:
        raise XcloneError(f"{_where(entry)} lists no address at all{_said(entry)}, though AIX "
                          f"always has the loopback entry there: the file is empty or was not "
                          f"read; {REFUSED}")


def check_adapters(where: str, partitions: Sequence[Partition],
                   adapters: Sequence[tuple[str, int]]) -> None:
    """`lshwres` rows (partition, slot) against the `lssyscfg -r lpar` listing of the same
    managed system: an adapter of a partition that listing lacks, or one slot listed twice,
    means one of the two listings is incomplete or garbled (or the system changed between them).
    `where` names the lshwres answer: its host and command."""
    names = {p.name for p in partitions}
    unknown = sorted({lpar for lpar, _ in adapters if lpar not in names})
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise XcloneError(f"{where} lists virtual Ethernet adapters of partition(s) "
                          f"{shown} that `lssyscfg -r lpar` of the same managed system does not "
                          f"list: a listing is incomplete or the system changed during "
                          f"observation; {REFUSED}. Run plan again.")
    seen: set[tuple[str, int]] = set()
    for key in adapters:
        if key in seen:
            raise XcloneError(f"{where}: partition {key[0]} slot {key[1]} appears "
                              f"twice: the listing is garbled; {REFUSED}")
        seen.add(key)
