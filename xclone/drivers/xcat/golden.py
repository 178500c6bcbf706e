"""The golden node's root file size limit, for the xCAT driver's preflight (issue 15 item 2).

The runbook says root's limit may need `chuser fsize=-1 root` on the master *and on the golden
node*: `mknimimage -m mksysb -n NODE` runs `nim -Fo define -t mksysb ... -a mk_image=yes -a
source=NODE` (xCAT 2.9.2 aixinstall.pm line 5474), and NIM makes the backup by running mksysb
on that client, root writing the image there (IBM AIX 7.2 "Defining a mksysb resource",
mk_image). The management node reaches the node with `xdsh`, which prefixes each output line
with the node's name and `: ` and exits above 0 when the node failed (docs/formats.md "xdsh").

Read only for a golden node whose osimage xCAT does not have yet (an image already made needs
no new backup), once per node however many images come from it, in the second round (after
`lsdef -t osimage`), and only when the plan runs its preflight. A limit below one image is a
plan error naming the fix; with `site.preflight.fix_fsize` the plan runs `xdsh NODE chuser
fsize=-1 root` before that node's mknimimage steps. A node xdsh cannot reach stops the
observation with xdsh's own words (mknimimage could not back it up either); a golden node
that is a NIM client only, not an xCAT node, is not read (xdsh takes xCAT nodes only: its
noderange is xCAT's) and the plan notes that on its osimage.
"""

from __future__ import annotations

import dataclasses

from xclone.base.address import Address
from xclone.base.command import C_LOCALE, Command
from xclone.drivers import preflight
from xclone.drivers.xcat.kinds import ActionKind
from xclone.observed.model import Facts
from xclone.observed.parsers import aix
from xclone.observed.parsers.errors import fail
from xclone.observed.probes import AnyProbe, ObservationTargets, Probe
from xclone.plan.action import Step
from xclone.plan.context import Context

LSUSER = ("lsuser", "-a", "fsize", "root")
CHUSER = ("chuser", "fsize=-1", "root")


def unprefixed(node: str, text: str) -> str:
    """xdsh's answer for one node without its `NODE: ` labels; a line without one is not
    xdsh's shape."""
    label = f"{node}: "
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if not line.startswith(label):
            raise fail(number, line, f"xdsh labels every line of {node}'s output {label!r}")
        lines.append(line[len(label):])
    return "\n".join(lines) + "\n" * bool(lines)


def _probe(mn_host: str, node: str, timeout: float | None) -> AnyProbe:
    def parse(text: str) -> dict[str, str]:
        return aix.parse_lsuser(unprefixed(node, text))

    def store(facts: Facts, attrs: dict[str, str]) -> None:
        facts.add_golden_limits(node, attrs)

    return Probe(mn_host, "mn", Command.of("xdsh", node, *LSUSER, env=C_LOCALE), parse, store,
                 timeout=timeout)


def probes(targets: ObservationTargets, facts: Facts) -> tuple[AnyProbe, ...]:
    """`xdsh NODE lsuser -a fsize root` for each golden node of an osimage xCAT lacks."""
    if not targets.preflight:
        return ()
    made, known = facts.xcat.get("osimage", {}), facts.xcat.get("node", {})
    nodes = sorted({node for image, node in targets.goldens
                    if image not in made and node in known})
    return tuple(_probe(targets.mn_host, node, targets.timeout) for node in nodes)


def _source(step: Step) -> str:
    words = step.before
    return words[words.index("-n") + 1] if "-n" in words[:-1] else ""


def check(ctx: Context) -> None:
    """Each golden node's limit against the mknimimage steps that back it up."""
    facts = ctx.observed.preflight
    if facts is None:
        return
    by_node: dict[str, list[Step]] = {}
    for step in ctx.steps:
        if step.kind is ActionKind.MKNIMIMAGE and _source(step):
            by_node.setdefault(_source(step), []).append(step)
    site = Address("site", ctx.spec.cluster)
    for node, images in sorted(by_node.items()):
        attrs = facts.golden.get(node)
        if attrs is None:
            _unchecked(ctx, node, images[0])
            continue
        fix = ("xdsh", node, *CHUSER)
        preflight.check_fsize(
            ctx, site, attrs.get("fsize", ""), images, ActionKind.CHUSER,
            where=f"golden node {node}", fix=fix, detail=node,
            run=f"mksysb runs there for {', '.join(str(s.address) for s in images)}; run "
                f"`{' '.join(fix)}` on {ctx.mn}")


def _unchecked(ctx: Context, node: str, image: Step) -> None:
    """A golden node xCAT does not define (a NIM client only): xdsh cannot reach it, so the
    plan says its limit was not read instead of passing it in silence."""
    note = (f"root's file size limit on golden node {node} is not checked: xCAT defines no node "
            f"{node} for xdsh to reach (run `lsuser -a fsize root` there by hand)")
    ctx.changes[:] = [dataclasses.replace(c, notes=(*c.notes, note)) if c.address == image.address
                      else c for c in ctx.changes]
